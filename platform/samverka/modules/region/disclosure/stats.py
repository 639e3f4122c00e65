"""Derived figures: rates follow their parts; medians and quartiles need enough people."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

#: A median needs at least this many observations, quartiles at least ``QUARTILE_MIN_N``.
MEDIAN_MIN_N = 5
QUARTILE_MIN_N = 10


def rate(numerator: int | None, denominator: int | None, per: int = 100) -> float | None:
    """``numerator / denominator × per``; None (shown ``..``) when either part is suppressed."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator * per / denominator


def median(values: Sequence[float], exempt: bool = False) -> float | None:
    """The median, or None when fewer than 5 observations (unless about services)."""
    if not values or (not exempt and len(values) < MEDIAN_MIN_N):
        return None
    return statistics.median(values)


def quartiles(values: Sequence[float], exempt: bool = False) -> tuple[float, float, float] | None:
    """Lower quartile, median, upper quartile; None when fewer than 10 observations."""
    if len(values) < 2 or (not exempt and len(values) < QUARTILE_MIN_N):
        return None
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return (q1, q2, q3)
