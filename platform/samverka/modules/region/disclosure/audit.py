"""The release gate: how precisely can an outsider pin down each suppressed cell?

Everything published is a linear equation over the interior cells (a cell, a margin, or a cell or
margin from an earlier release of the same table and period); with x ≥ 0, linear programming gives
each suppressed cell's feasible interval. Integer solutions lie inside it, so an interval wide
enough here is wide enough for an attacker who also knows the counts are integers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Set
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

from samverka.modules.region.disclosure.table import CellKey, Interior, Table


@dataclass(frozen=True)
class Equation:
    """A published fact: the interior cells ``terms`` sum to ``value``."""

    terms: frozenset[Interior]
    value: int


def published_equations(
    table: Table, hidden: Set[CellKey], prior: Iterable[Equation] = ()
) -> list[Equation]:
    """What an outsider knows: this release's published positions plus earlier releases' facts.

    Earlier facts are kept only when they still hold for the true table and name cells of it (a
    revised count makes an old equation stale; it cannot then be combined with the new one).
    """
    known = [Equation(table.terms(c), table.value(c)) for c in table.cells() if c not in hidden]
    interior = set(table.interior())
    for eq in prior:
        if eq.terms <= interior and sum(table.values.get(t, 0) for t in eq.terms) == eq.value:
            known.append(eq)
    return known


def intervals(
    table: Table,
    hidden: Set[CellKey],
    prior: Iterable[Equation] = (),
    cells: Iterable[CellKey] | None = None,
) -> dict[CellKey, tuple[float, float]]:
    """``{hidden position: (lowest, highest)}`` consistent with everything published.

    ``cells`` limits the positions solved for (default: every hidden one).
    """
    cells = sorted(hidden if cells is None else cells)
    if not cells:
        return {}
    variables = table.interior()
    index = {cell: i for i, cell in enumerate(variables)}
    equations = published_equations(table, hidden, prior)
    a_eq = np.zeros((len(equations), len(variables)))
    for row, eq in enumerate(equations):
        for term in eq.terms:
            a_eq[row, index[term]] = 1.0
    b_eq = np.array([eq.value for eq in equations], dtype=float)
    result = {}
    for cell in cells:
        objective = np.zeros(len(variables))
        for term in table.terms(cell):
            objective[index[term]] = 1.0
        low = _optimise(objective, a_eq, b_eq)
        high = -_optimise(-objective, a_eq, b_eq)
        result[cell] = (low, high)
    return result


def _optimise(objective: np.ndarray, a_eq: np.ndarray, b_eq: np.ndarray) -> float:
    solved = linprog(
        objective,
        A_eq=a_eq if len(b_eq) else None,
        b_eq=b_eq if len(b_eq) else None,
        bounds=(0, None),
        method="highs",
    )
    if solved.status == 3:  # unbounded: nothing limits the cell from this side
        return -math.inf
    if solved.status != 0:
        raise RuntimeError(f"disclosure audit failed: {solved.message}")
    return float(solved.fun)


def audit(
    table: Table,
    hidden: Set[CellKey],
    prior: Iterable[Equation] = (),
    cells: Iterable[CellKey] | None = None,
) -> list[CellKey]:
    """Hidden positions not protected by ``table.protection`` each way; empty means releasable.

    Hiding more only widens intervals, so a caller may re-check just the ``cells`` that failed.
    With earlier releases (``prior``), a bound those alone already fix (e.g. a new column total is
    at least the old one) cannot be widened by this release; the requirement is then capped at
    that bound: this release may not narrow any cell further than earlier ones did.
    """
    prior = list(prior)
    p = table.protection
    tolerance = 1e-6
    found = intervals(table, hidden, prior, cells)
    baseline = intervals(table, set(table.cells()), prior, found) if prior else {}
    failing = []
    for cell, (low, high) in sorted(found.items()):
        value = table.value(cell)
        floor, ceiling = baseline.get(cell, (0.0, math.inf))
        if low > max(0, value - p, floor) + tolerance or high < min(value + p, ceiling) - tolerance:
            failing.append(cell)
    return failing
