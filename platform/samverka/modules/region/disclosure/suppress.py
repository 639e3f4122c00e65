"""Choosing which cells to hide: primary rules, then secondary cells until the audit passes."""

from __future__ import annotations

from collections.abc import Iterable

from samverka.modules.region.disclosure.audit import Equation, audit
from samverka.modules.region.disclosure.table import TOTAL, CellKey, Table


def primary(table: Table) -> set[CellKey]:
    """Counts 1 … T−1, and non-zero cells equal to their row or column total."""
    if not table.about_people:
        return set()
    hidden = set()
    for cell in table.cells():
        row, col = cell
        value = table.value(cell)
        if 0 < value < table.threshold or (
            value > 0
            and (
                (col != TOTAL and value == table.value((row, TOTAL)))
                or (row != TOTAL and value == table.value((TOTAL, col)))
            )
        ):
            hidden.add(cell)
    return hidden


def suppress(table: Table, prior: Iterable[Equation] = ()) -> set[CellKey]:
    """Primary cells plus secondary ones, so that the audit (with ``prior`` facts) passes."""
    prior = list(prior)
    hidden = primary(table)
    if not hidden:
        return hidden
    protected: set[CellKey] = set()  # hiding more only widens intervals: these stay protected
    while True:
        _apply_line_rules(table, hidden)
        unchecked = hidden - protected
        failing = audit(table, hidden, prior, unchecked)
        protected |= unchecked - set(failing)
        if not failing:
            return hidden
        hidden.add(_next_secondary(table, hidden, failing, prior))


def _order(table: Table, cell: CellKey) -> tuple[bool, bool, int, CellKey]:
    """Smallest non-zero interior cells first; zeros and margins only when nothing else helps."""
    value = table.value(cell)
    return (value == 0, TOTAL in cell, value, cell)


def _smallest_published(
    table: Table, hidden: set[CellKey], cells: Iterable[CellKey]
) -> CellKey | None:
    candidates = [c for c in cells if c not in hidden]
    return min(candidates, key=lambda c: _order(table, c)) if candidates else None


def _apply_line_rules(table: Table, hidden: set[CellKey]) -> None:
    """S2 (no mutual protection) and S3 (singletons), repeated until nothing changes."""
    changed = True
    while changed:
        changed = False
        for _total, members in table.lines():
            hidden_members = [c for c in members if c in hidden]
            if not hidden_members:
                continue
            hidden_sum = sum(table.value(c) for c in hidden_members)
            weak = 0 < hidden_sum < table.threshold
            singleton = len(hidden_members) < 3 and any(table.value(c) == 1 for c in hidden_members)
            if weak or singleton:
                extra = _smallest_published(table, hidden, members)
                if extra is not None:
                    hidden.add(extra)
                    changed = True


#: Candidates tried per step; the one leaving the fewest unprotected cells wins.
CANDIDATES_TRIED = 4


def _next_secondary(
    table: Table, hidden: set[CellKey], failing: list[CellKey], prior: list[Equation]
) -> CellKey:
    """Among the smallest published cells sharing a line with a failing cell, the most useful."""
    lines = {cell[0] for cell in failing}, {cell[1] for cell in failing}
    same_line = [c for c in table.cells() if c[0] in lines[0] or c[1] in lines[1]]
    candidates = sorted((c for c in same_line if c not in hidden), key=lambda c: _order(table, c))
    if not candidates:
        candidates = sorted(
            (c for c in table.cells() if c not in hidden), key=lambda c: _order(table, c)
        )
    if not candidates:  # everything hidden already: the audit cannot fail
        raise RuntimeError("disclosure audit fails with every cell hidden")
    tried = candidates[:CANDIDATES_TRIED]
    return min(
        tried, key=lambda c: (len(audit(table, hidden | {c}, prior, failing)), _order(table, c))
    )
