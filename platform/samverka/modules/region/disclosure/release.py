"""Frozen per-period releases: only published values and suppression marks leave this module."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from samverka.modules.region.disclosure.audit import Equation
from samverka.modules.region.disclosure.suppress import suppress
from samverka.modules.region.disclosure.table import (
    SUPPRESSED_MARK,
    TOTAL,
    CellKey,
    Interior,
    Table,
)


@dataclass(frozen=True)
class Release:
    """What the region may see of one table for one period; holds no suppressed value."""

    key: str
    period: str
    rows: tuple[str, ...]
    cols: tuple[str, ...]
    #: Every position (margins under ``TOTAL``): its count, or None where suppressed.
    values: Mapping[CellKey, int | None]
    #: True for tables about services, published without suppression.
    exempt: bool

    def get(self, row: str, col: str = TOTAL) -> int | None:
        return self.values[(row, col)]

    def display(self, row: str, col: str = TOTAL) -> str:
        """The value as text, ``..`` where suppressed."""
        value = self.values[(row, col)]
        return SUPPRESSED_MARK if value is None else str(value)

    @property
    def suppressed(self) -> list[CellKey]:
        return sorted(c for c, v in self.values.items() if v is None)

    def equations(self) -> list[Equation]:
        """The published facts, as the ledger keeps them for later audits."""
        return [
            Equation(_terms(self.rows, self.cols, cell), value)
            for cell, value in self.values.items()
            if value is not None
        ]


def _terms(rows: tuple[str, ...], cols: tuple[str, ...], cell: CellKey) -> frozenset[Interior]:
    row, col = cell
    return frozenset(
        (r, c)
        for r in (rows if row == TOTAL else (row,))
        for c in (cols if col == TOTAL else (col,))
    )


def build_release(table: Table, prior: Iterable[Equation] = ()) -> Release:
    """Protect ``table`` (against ``prior`` releases too) and return only what may be shown."""
    hidden = suppress(table, prior)
    values = {cell: None if cell in hidden else table.value(cell) for cell in table.cells()}
    return Release(table.key, table.period, table.rows, table.cols, values, not table.about_people)
