"""Forum activity of one municipality, reduced to counts the region may see.

The counting itself is the forums module's provider (``modules/forums/region.py``, where the
definitions are); this module runs the providers in a session bound to the municipality's schema
and writes only counts per quarter, forum type, level and organisation type to the shared schema.
No names, minutes or row ids leave.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from samverka.clock import local_today
from samverka.db.base import utcnow
from samverka.modules.region import providers
from samverka.modules.region.models import AttendanceRate, ForumActivity
from samverka.modules.region.providers import Period

#: Quarters computed and stored, the current one included.
QUARTERS_STORED = 8


def quarter_of(day: date) -> str:
    """``date(2026, 8, 1)`` → ``"2026-Q3"``."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_start(label: str) -> date:
    year, q = label.split("-Q")
    return date(int(year), 3 * (int(q) - 1) + 1, 1)


def last_quarters(today: date, count: int) -> list[str]:
    """The ``count`` quarters ending with today's, oldest first."""
    return list(Period.quarters(today, count).labels)


@dataclass
class Summary:
    """What one computation wrote: row counts only."""

    activity_rows: int
    attendance_rows: int


def replace_shared_rows(session: Session, tenant_id: int, today: date | None = None) -> Summary:
    """Recompute one municipality and replace its shared rows; the caller commits (one transaction)."""
    today = today or local_today()
    now = utcnow()
    period = Period.quarters(today, QUARTERS_STORED)
    activity = {
        (c.period, *c.dims): c.values for c in providers.run("forum_activity", session, period)
    }
    attendance = {
        (c.period, *c.dims): c.values
        for c in providers.run("attendance_by_org_type", session, period)
    }
    session.execute(sa.delete(ForumActivity).where(ForumActivity.tenant_id == tenant_id))
    session.execute(sa.delete(AttendanceRate).where(AttendanceRate.tenant_id == tenant_id))
    session.add_all(
        ForumActivity(
            tenant_id=tenant_id,
            quarter=quarter,
            forum_type=forum_type,
            level=level,
            forums=forums,
            meetings_planned=planned,
            meetings_held=held,
            computed_at=now,
        )
        for (quarter, forum_type, level), (forums, planned, held) in sorted(activity.items())
    )
    session.add_all(
        AttendanceRate(
            tenant_id=tenant_id,
            quarter=quarter,
            organisation_type=org_type,
            expected=expected,
            attended=attended,
            computed_at=now,
        )
        for (quarter, org_type), (expected, attended) in sorted(attendance.items())
    )
    session.flush()
    return Summary(len(activity), len(attendance))
