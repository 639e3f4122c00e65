"""A two-way cover table (rows × columns) with its margins, as disclosure control sees it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

#: The label of a margin: ``(row, TOTAL)`` is a row total, ``(TOTAL, TOTAL)`` the grand total.
TOTAL = "*"
#: How a suppressed value is shown, as in Kolada.
SUPPRESSED_MARK = ".."

#: A position in the table including margins: ``(row label or TOTAL, column label or TOTAL)``.
CellKey = tuple[str, str]
#: An interior cell: ``(row label, column label)``.
Interior = tuple[str, str]


@dataclass(frozen=True)
class Table:
    """True counts of one table for one period; margins are derived, never given."""

    #: Stable id of the table across releases, e.g. ``"forum_activity.held"``; keys the ledger.
    key: str
    #: The period released, e.g. ``"2026-Q3"`` or ``"2026-H1"``.
    period: str
    rows: tuple[str, ...]
    cols: tuple[str, ...]
    #: Interior counts; a missing cell is 0.
    values: Mapping[Interior, int] = field(default_factory=dict)
    #: False for tables about services (meetings, forums), which need no suppression.
    about_people: bool = True
    #: Counts 1 … threshold−1 are suppressed.
    threshold: int = 5
    #: How far the audit must let every suppressed cell move each way.
    protection: int = 2

    def __post_init__(self) -> None:
        if TOTAL in self.rows or TOTAL in self.cols:
            raise ValueError(f"{TOTAL!r} is reserved for margins")
        for (row, col), value in self.values.items():
            if row not in self.rows or col not in self.cols:
                raise ValueError(f"cell {(row, col)} outside the table")
            if value < 0:
                raise ValueError("counts cannot be negative")

    @classmethod
    def from_lists(
        cls, key: str, period: str, rows: list[str], cols: list[str], cells: list[list[int]], **kw
    ) -> Table:
        """Build from a matrix, one list per row."""
        values = {(r, c): cells[i][j] for i, r in enumerate(rows) for j, c in enumerate(cols)}
        return cls(key, period, tuple(rows), tuple(cols), values, **kw)

    def interior(self) -> list[Interior]:
        return [(r, c) for r in self.rows for c in self.cols]

    def cells(self) -> Iterator[CellKey]:
        """Every position: interior, row totals, column totals, grand total."""
        for r in (*self.rows, TOTAL):
            for c in (*self.cols, TOTAL):
                yield (r, c)

    def terms(self, cell: CellKey) -> frozenset[Interior]:
        """The interior cells a position sums (one for an interior cell)."""
        row, col = cell
        rows = self.rows if row == TOTAL else (row,)
        cols = self.cols if col == TOTAL else (col,)
        return frozenset((r, c) for r in rows for c in cols)

    def value(self, cell: CellKey) -> int:
        return sum(self.values.get(term, 0) for term in self.terms(cell))

    def lines(self) -> Iterator[tuple[CellKey, list[CellKey]]]:
        """Each row and column of the augmented table: ``(its total, its other members)``."""
        for r in (*self.rows, TOTAL):
            yield (r, TOTAL), [(r, c) for c in self.cols]
        for c in (*self.cols, TOTAL):
            yield (TOTAL, c), [(r, c) for r in self.rows]
