"""Independent checks for disclosure tests: brute-force enumeration and a plain LP on a release."""

from __future__ import annotations

import itertools

import numpy as np
from scipy.optimize import linprog

#: Beyond this many candidate tables the brute force is skipped (the test draws another example).
MAX_TABLES = 200_000


def brute_force(variables, equations, targets, cap):
    """``{target: (min, max)}`` over every non-negative integer table satisfying ``equations``.

    ``variables`` are interior cells, ``equations`` ``(terms, value)`` pairs, ``targets`` term sets.
    A variable is enumerated from 0 to the smallest equation value that contains it (or ``cap``).
    Returns None when the enumeration would be too large.
    """
    index = {v: i for i, v in enumerate(variables)}
    bounds = [cap] * len(variables)
    fixed = {}
    for terms, value in equations:
        for term in terms:
            bounds[index[term]] = min(bounds[index[term]], value)
        if len(terms) == 1:
            fixed[index[next(iter(terms))]] = value
    ranges = [[fixed[i]] if i in fixed else range(b + 1) for i, b in enumerate(bounds)]
    if np.prod([len(r) for r in ranges], dtype=float) > MAX_TABLES:
        return None
    grid = np.array(list(itertools.product(*ranges)), dtype=np.int32).reshape(-1, len(variables))
    ok = np.ones(len(grid), dtype=bool)
    for terms, value in equations:
        ok &= grid[:, [index[t] for t in terms]].sum(axis=1) == value
    feasible = grid[ok]
    assert len(feasible), "the true table is always consistent with what was published"
    result = {}
    for target in targets:
        sums = feasible[:, [index[t] for t in target]].sum(axis=1)
        result[target] = (int(sums.min()), int(sums.max()))
    return result


def lp_interval(variables, equations, target):
    """``(min, max)`` of the target's sum by LP, from the published equations alone."""
    index = {v: i for i, v in enumerate(variables)}
    a_eq = np.zeros((len(equations), len(variables)))
    for row, (terms, _value) in enumerate(equations):
        for term in terms:
            a_eq[row, index[term]] = 1
    b_eq = np.array([value for _terms, value in equations], dtype=float)
    c = np.zeros(len(variables))
    for term in target:
        c[index[term]] = 1
    low = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    high = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    return low.fun, (float("inf") if high.status == 3 else -high.fun)
