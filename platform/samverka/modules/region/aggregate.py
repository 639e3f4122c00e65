"""Forum activity of one municipality, reduced to counts the region may see.

Computed with a session bound to the municipality's schema; only counts per quarter, forum type,
level and organisation type are written to the shared schema. No names, minutes or row ids leave.

Definitions (documented for the region's analysts on the page too):

- *forums*: the municipality's active forums of that type and level when the figures were computed
  (the same number on every quarter's row);
- *planned meetings*: meetings generated from a forum's cadence (not extra meetings) that start in
  the quarter on or before today, whatever their state — held, still marked planned, or cancelled;
- *held meetings*: meetings in state held that start in the quarter on or before today, extra
  meetings included (so held can exceed planned when a forum met extra);
- *attendance*: per organisation type, every attendance row of a held meeting in the quarter is
  one expected presence; it counts as attended when present, digital or by a stand-in.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from samverka.clock import local, local_today, to_utc
from samverka.db.base import utcnow
from samverka.modules.forums.models import (
    ATTENDED,
    Attendance,
    Forum,
    ForumMember,
    ForumState,
    Meeting,
    MeetingState,
    Organisation,
)
from samverka.modules.region.models import AttendanceRate, ForumActivity

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
    year, q = today.year, (today.month - 1) // 3 + 1
    labels = []
    for _ in range(count):
        labels.append(f"{year}-Q{q}")
        year, q = (year - 1, 4) if q == 1 else (year, q - 1)
    return list(reversed(labels))


@dataclass
class Summary:
    """What one computation wrote: row counts only."""

    activity_rows: int
    attendance_rows: int


def _local_day(moment: datetime) -> date:
    return local(moment).date()


def _window(today: date) -> tuple[list[str], datetime, datetime]:
    quarters = last_quarters(today, QUARTERS_STORED)
    start = to_utc(quarter_start(quarters[0]), time())
    end = to_utc(today, time.max)
    return quarters, start, end


def forum_activity(session: Session, today: date) -> dict[tuple[str, str, str], list[int]]:
    """``{(quarter, forum_type, level): [forums, planned, held]}`` in the bound tenant."""
    quarters, start, end = _window(today)
    active = Counter(
        (row.forum_type, str(row.level.value))
        for row in session.execute(
            sa.select(Forum.forum_type, Forum.level).where(Forum.state == ForumState.active)
        )
    )
    counts: dict[tuple[str, str, str], list[int]] = {}
    for quarter in quarters:
        for (forum_type, level), n in active.items():
            counts[(quarter, forum_type, level)] = [n, 0, 0]
    meetings = session.execute(
        sa.select(
            Forum.forum_type, Forum.level, Meeting.starts_at, Meeting.state, Meeting.cadence_date
        )
        .join(Forum, Meeting.forum_id == Forum.id)
        .where(Meeting.starts_at >= start, Meeting.starts_at <= end)
    )
    for forum_type, level, starts_at, state, cadence_date in meetings:
        key = (quarter_of(_local_day(starts_at)), forum_type, str(level.value))
        row = counts.setdefault(key, [active.get((forum_type, str(level.value)), 0), 0, 0])
        if cadence_date is not None:
            row[1] += 1
        if state == MeetingState.held:
            row[2] += 1
    return counts


def attendance_by_org_type(session: Session, today: date) -> dict[tuple[str, str], list[int]]:
    """``{(quarter, organisation_type): [expected, attended]}`` over held meetings."""
    _quarters, start, end = _window(today)
    member_org = aliased(Organisation)
    rows = session.execute(
        sa.select(
            Meeting.starts_at,
            Attendance.status,
            sa.func.coalesce(Organisation.type, member_org.type),
        )
        .join(Meeting, Attendance.meeting_id == Meeting.id)
        .outerjoin(Organisation, Attendance.organisation_id == Organisation.id)
        .outerjoin(ForumMember, Attendance.member_id == ForumMember.id)
        .outerjoin(member_org, ForumMember.organisation_id == member_org.id)
        .where(
            Meeting.state == MeetingState.held,
            Meeting.starts_at >= start,
            Meeting.starts_at <= end,
        )
    )
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for starts_at, status, org_type in rows:
        row = counts[(quarter_of(_local_day(starts_at)), org_type or "other")]
        row[0] += 1
        if status in ATTENDED:
            row[1] += 1
    return dict(counts)


def replace_shared_rows(session: Session, tenant_id: int, today: date | None = None) -> Summary:
    """Recompute one municipality and replace its shared rows; the caller commits (one transaction)."""
    today = today or local_today()
    now = utcnow()
    activity = forum_activity(session, today)
    attendance = attendance_by_org_type(session, today)
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
