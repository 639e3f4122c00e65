"""Region figures come from providers that modules register; the region never imports their models.

A module registers what it can count (``modules/forums/region.py``)::

    @provider("forum_activity", period="quarter")
    def forum_activity(session: Session, period: Period) -> Iterable[Count]: ...

The region job binds each municipality's schema in turn and runs the providers inside it; only the
counts they return (no names, no row ids) are reduced and written to ``shared``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy.orm import Session

from samverka.clock import local, to_utc

#: Period kinds a provider may count by.
PERIOD_KINDS = ("quarter", "half-year", "year")


def period_label(day: date, kind: str) -> str:
    """``date(2026, 8, 1)`` → ``"2026-Q3"``, ``"2026-H2"`` or ``"2026"``."""
    if kind == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if kind == "half-year":
        return f"{day.year}-H{(day.month - 1) // 6 + 1}"
    if kind == "year":
        return str(day.year)
    raise ValueError(f"unknown period kind {kind!r}")


@dataclass(frozen=True)
class Period:
    """The periods to count (oldest first) and the UTC window they cover, up to today."""

    kind: str
    labels: tuple[str, ...]
    start: datetime
    end: datetime

    def label_of(self, moment: datetime) -> str:
        """The period a UTC instant falls in, by the municipality's local calendar day."""
        return period_label(local(moment).date(), self.kind)

    @classmethod
    def quarters(cls, today: date, count: int) -> Period:
        """The ``count`` quarters ending with today's."""
        year, q = today.year, (today.month - 1) // 3 + 1
        labels = []
        for _ in range(count):
            labels.append(f"{year}-Q{q}")
            year, q = (year - 1, 4) if q == 1 else (year, q - 1)
        labels.reverse()
        first_year, first_q = labels[0].split("-Q")
        start = date(int(first_year), 3 * (int(first_q) - 1) + 1, 1)
        return cls("quarter", tuple(labels), to_utc(start, time()), to_utc(today, time.max))


@dataclass(frozen=True)
class Count:
    """One row a provider returns: the period, its dimension labels and its counts."""

    period: str
    dims: tuple[str, ...]
    values: tuple[int, ...]


ProviderFn = Callable[[Session, Period], Iterable[Count]]


@dataclass(frozen=True)
class Provider:
    name: str
    period: str
    fn: ProviderFn


_PROVIDERS: dict[str, Provider] = {}


def provider(name: str, period: str = "quarter") -> Callable[[ProviderFn], ProviderFn]:
    """Register ``fn`` as the source of the region figure ``name``, counted per ``period``."""
    if period not in PERIOD_KINDS:
        raise ValueError(f"unknown period kind {period!r}")

    def register(fn: ProviderFn) -> ProviderFn:
        existing = _PROVIDERS.get(name)
        if existing is not None and existing.fn.__qualname__ != fn.__qualname__:
            raise ValueError(f"region provider {name!r} registered twice")
        _PROVIDERS[name] = Provider(name, period, fn)
        return fn

    return register


def registered() -> dict[str, Provider]:
    """Every provider by name (modules register theirs when imported)."""
    return dict(_PROVIDERS)


def run(name: str, session: Session, period: Period) -> list[Count]:
    """Run one provider in the municipality ``session`` is bound to."""
    try:
        found = _PROVIDERS[name]
    except KeyError:
        raise LookupError(f"no region provider {name!r}; is its module imported?") from None
    if found.period != period.kind:
        raise ValueError(f"provider {name!r} counts per {found.period}, not {period.kind}")
    return list(found.fn(session, period))
