"""What the forums module lets the region count: forum activity and attendance, as plain counts.

Runs inside one municipality's schema (the region job binds it). Definitions, also shown to the
region's analysts:

- *forums*: the municipality's active forums of that type and level when the figures were computed
  (the same number on every period's row);
- *planned meetings*: meetings generated from a forum's cadence (not extra meetings) that start in
  the period on or before today, whatever their state — held, still marked planned, or cancelled;
- *held meetings*: meetings in state held that start in the period on or before today, extra
  meetings included (so held can exceed planned when a forum met extra);
- *attendance*: per organisation type, every attendance row of a held meeting in the period is
  one expected presence; it counts as attended when present, digital or by a stand-in.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

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
from samverka.modules.region.providers import Count, Period, provider


@provider("forum_activity", period="quarter")
def forum_activity(session: Session, period: Period) -> Iterable[Count]:
    """``Count(period, (forum_type, level), (forums, planned, held))`` per period, type and level."""
    active = Counter(
        (row.forum_type, str(row.level.value))
        for row in session.execute(
            sa.select(Forum.forum_type, Forum.level).where(Forum.state == ForumState.active)
        )
    )
    counts: dict[tuple[str, str, str], list[int]] = {}
    for label in period.labels:
        for (forum_type, level), n in active.items():
            counts[(label, forum_type, level)] = [n, 0, 0]
    meetings = session.execute(
        sa.select(
            Forum.forum_type, Forum.level, Meeting.starts_at, Meeting.state, Meeting.cadence_date
        )
        .join(Forum, Meeting.forum_id == Forum.id)
        .where(Meeting.starts_at >= period.start, Meeting.starts_at <= period.end)
    )
    for forum_type, level, starts_at, state, cadence_date in meetings:
        key = (period.label_of(starts_at), forum_type, str(level.value))
        row = counts.setdefault(key, [active.get((forum_type, str(level.value)), 0), 0, 0])
        if cadence_date is not None:
            row[1] += 1
        if state == MeetingState.held:
            row[2] += 1
    return [Count(label, (t, lvl), tuple(v)) for (label, t, lvl), v in sorted(counts.items())]


@provider("attendance_by_org_type", period="quarter")
def attendance_by_org_type(session: Session, period: Period) -> Iterable[Count]:
    """``Count(period, (organisation_type,), (expected, attended))`` over held meetings."""
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
            Meeting.starts_at >= period.start,
            Meeting.starts_at <= period.end,
        )
    )
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for starts_at, status, org_type in rows:
        row = counts[(period.label_of(starts_at), org_type or "other")]
        row[0] += 1
        if status in ATTENDED:
            row[1] += 1
    return [Count(label, (org,), tuple(v)) for (label, org), v in sorted(counts.items())]
