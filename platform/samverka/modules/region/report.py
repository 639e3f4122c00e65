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
    """Forums per level, meetings per quarter and attendance per organisation type.

    Summed in SQL and only for the quarters shown: three statements whatever the number of
    municipalities, and no stored quarter outside the window is loaded.
    """
    quarters = last_quarters(today, QUARTERS_SHOWN)
    ids = [m.id for m in municipalities] or [-1]
    rows = {m.id: Row(m.name) for m in municipalities}
    total = Row("")
    for row in [*rows.values(), total]:
        row.meetings = {q: [0, 0] for q in quarters}
    newest = (
        sa.select(ForumActivity.tenant_id, sa.func.max(ForumActivity.quarter).label("quarter"))
        .where(ForumActivity.tenant_id.in_(ids))
        .group_by(ForumActivity.tenant_id)
        .subquery()
    )
    forums = db.session.execute(
        sa.select(
            ForumActivity.tenant_id,
            ForumActivity.level,
            sa.func.sum(ForumActivity.forums),
            sa.func.max(ForumActivity.computed_at),
        )
        .join(
            newest,
            sa.and_(
                newest.c.tenant_id == ForumActivity.tenant_id,
                newest.c.quarter == ForumActivity.quarter,
            ),
        )
        .group_by(ForumActivity.tenant_id, ForumActivity.level)
    ).all()
    computed = [at for *_, at in forums]
    for tenant_id, level, count, _at in forums:
        if level in total.forums:
            rows[tenant_id].forums[level] += count
            total.forums[level] += count
    meetings = db.session.execute(
        sa.select(
            ForumActivity.tenant_id,
            ForumActivity.quarter,
            sa.func.sum(ForumActivity.meetings_held),
            sa.func.sum(ForumActivity.meetings_planned),
        )
        .where(ForumActivity.tenant_id.in_(ids), ForumActivity.quarter.in_(quarters))
        .group_by(ForumActivity.tenant_id, ForumActivity.quarter)
    ).all()
    for tenant_id, quarter, held, planned in meetings:
        for target in (rows[tenant_id], total):
            target.meetings[quarter][0] += held
            target.meetings[quarter][1] += planned
    rates = db.session.execute(
        sa.select(
            AttendanceRate.tenant_id,
            AttendanceRate.organisation_type,
            sa.func.sum(AttendanceRate.expected),
            sa.func.sum(AttendanceRate.attended),
            sa.func.max(AttendanceRate.computed_at),
        )
        .where(AttendanceRate.tenant_id.in_(ids), AttendanceRate.quarter.in_(quarters))
        .group_by(AttendanceRate.tenant_id, AttendanceRate.organisation_type)
    ).all()
    computed += [at for *_, at in rates]
    seen: set[str] = set()
    for tenant_id, org_type, expected, attended, _at in rates:
        seen.add(org_type)
        for target in (rows[tenant_id], total):
            rate = target.attendance.setdefault(org_type, Rate())
            rate.expected += expected
            rate.attended += attended
    order = list(ORGANISATION_TYPES)
    org_types = sorted(seen, key=lambda t: (order.index(t) if t in order else len(order), t))
    return Report(quarters, list(rows.values()), total, org_types, max(computed, default=None))


def org_type_label(key: str) -> str:
    entry = ORGANISATION_TYPES.get(key)
    return str(entry[0]) if entry else key
