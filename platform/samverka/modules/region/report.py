"""The region's forum-activity comparison, read from shared aggregates only (never a tenant schema)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa

from samverka.extensions import db
from samverka.modules.forums.vocabulary import ORGANISATION_TYPES, Level
from samverka.modules.region.aggregate import last_quarters
from samverka.modules.region.models import AttendanceRate, ForumActivity
from samverka.modules.tenancy.models import Tenant

#: Quarters the page compares, the current one included.
QUARTERS_SHOWN = 4
#: Rates whose denominator is smaller than this are not shown (see shared/research/indicators.md).
MIN_EXPECTED = 5
LEVELS = (Level.strategic, Level.operational, Level.consultation)


@dataclass
class Rate:
    """Attended of expected; suppressed when expected is small."""

    expected: int = 0
    attended: int = 0

    @property
    def suppressed(self) -> bool:
        return 0 < self.expected < MIN_EXPECTED

    @property
    def percent(self) -> int | None:
        if self.expected == 0 or self.suppressed:
            return None
        return round(100 * self.attended / self.expected)


@dataclass
class Row:
    """One municipality (or the region total)."""

    name: str
    forums: dict[str, int] = field(default_factory=lambda: {lv.value: 0 for lv in LEVELS})
    #: quarter → [held, planned]
    meetings: dict[str, list[int]] = field(default_factory=dict)
    attendance: dict[str, Rate] = field(default_factory=dict)

    @property
    def forums_total(self) -> int:
        return sum(self.forums.values())

    def held(self) -> int:
        return sum(v[0] for v in self.meetings.values())

    def planned(self) -> int:
        return sum(v[1] for v in self.meetings.values())


@dataclass
class Report:
    quarters: list[str]
    rows: list[Row]
    total: Row
    org_types: list[str]
    computed_at: datetime | None

    @property
    def empty(self) -> bool:
        return self.computed_at is None

    @property
    def any_suppressed(self) -> bool:
        return any(
            r.suppressed for row in [*self.rows, self.total] for r in row.attendance.values()
        )


def forum_activity_report(municipalities: list[Tenant], today: date) -> Report:
    """Forums per level, meetings per quarter and attendance per organisation type."""
    quarters = last_quarters(today, QUARTERS_SHOWN)
    ids = [m.id for m in municipalities] or [-1]
    rows = {m.id: Row(m.name) for m in municipalities}
    total = Row("")
    for row in [*rows.values(), total]:
        row.meetings = {q: [0, 0] for q in quarters}
    activity = db.session.scalars(
        sa.select(ForumActivity).where(ForumActivity.tenant_id.in_(ids))
    ).all()
    newest: dict[int, str] = {}
    for fact in activity:
        newest[fact.tenant_id] = max(newest.get(fact.tenant_id, ""), fact.quarter)
    computed = [fact.computed_at for fact in activity]
    for fact in activity:
        row = rows[fact.tenant_id]
        if fact.quarter == newest[fact.tenant_id] and fact.level in row.forums:
            row.forums[fact.level] += fact.forums
            total.forums[fact.level] += fact.forums
        if fact.quarter in row.meetings:
            for target in (row, total):
                target.meetings[fact.quarter][0] += fact.meetings_held
                target.meetings[fact.quarter][1] += fact.meetings_planned
    rates = db.session.scalars(
        sa.select(AttendanceRate).where(
            AttendanceRate.tenant_id.in_(ids), AttendanceRate.quarter.in_(quarters)
        )
    ).all()
    computed += [rate.computed_at for rate in rates]
    seen: set[str] = set()
    for fact in rates:
        seen.add(fact.organisation_type)
        for target in (rows[fact.tenant_id], total):
            rate = target.attendance.setdefault(fact.organisation_type, Rate())
            rate.expected += fact.expected
            rate.attended += fact.attended
    order = list(ORGANISATION_TYPES)
    org_types = sorted(seen, key=lambda t: (order.index(t) if t in order else len(order), t))
    return Report(quarters, list(rows.values()), total, org_types, max(computed, default=None))


def org_type_label(key: str) -> str:
    entry = ORGANISATION_TYPES.get(key)
    return str(entry[0]) if entry else key
