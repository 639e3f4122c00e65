"""Start-page overviews: how the municipality's forums are doing, and what is mine to do.

Pure reads over ``db.session`` (bound to the municipality), so they are testable without a request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from samverka.clock import local, to_utc
from samverka.db.base import utcnow
from samverka.extensions import db
from samverka.modules.forums.models import (
    ATTENDED,
    Action,
    ActionStatus,
    Attendance,
    Forum,
    ForumMember,
    ForumState,
    Meeting,
    MeetingState,
    Organisation,
    forum_organisations,
)

#: How many held meetings the attendance rate may look back over (the selectable choices).
ATTENDANCE_WINDOWS = (3, 6, 10, 12)
DEFAULT_WINDOW = 6
#: Below this share of meetings attended, an organisation is flagged as missing.
LOW_ATTENDANCE = 0.5
#: A forum with no meeting held for this long is flagged as stalled.
STALE_DAYS = 60


def today_local(now: datetime | None = None) -> date:
    return local(now or utcnow()).date()


def term_bounds(day: date) -> tuple[date, date]:
    """The school term containing ``day``: spring is 1 Jan–30 Jun, autumn 1 Jul–31 Dec.

    A calendar-half approximation of the Swedish school year: simple, and the same in every
    municipality, so the region can compare terms like with like.
    """
    if day.month <= 6:
        return date(day.year, 1, 1), date(day.year, 6, 30)
    return date(day.year, 7, 1), date(day.year, 12, 31)


def _start_of(day: date) -> datetime:
    """Midnight in Stockholm on ``day``, as an aware UTC datetime."""
    return to_utc(day, time.min)


def active_forums() -> list[Forum]:
    return list(
        db.session.scalars(
            sa.select(Forum).where(Forum.state == ForumState.active).order_by(Forum.name)
        )
    )


@dataclass
class NextMeeting:
    forum: Forum
    meeting: Meeting | None


def next_meetings(forums: list[Forum], now: datetime | None = None) -> list[NextMeeting]:
    """Each forum's next planned meeting (None when none is planned), soonest first."""
    now = now or utcnow()
    if not forums:
        return []
    first = (
        sa.select(Meeting.forum_id, sa.func.min(Meeting.starts_at).label("starts_at"))
        .where(
            Meeting.forum_id.in_([f.id for f in forums]),
            Meeting.state == MeetingState.planned,
            Meeting.starts_at >= now,
        )
        .group_by(Meeting.forum_id)
        .subquery()
    )
    found = db.session.scalars(
        sa.select(Meeting).join(
            first,
            sa.and_(Meeting.forum_id == first.c.forum_id, Meeting.starts_at == first.c.starts_at),
        )
    ).all()
    by_forum = {m.forum_id: m for m in found}
    rows = [NextMeeting(f, by_forum.get(f.id)) for f in forums]
    far = datetime.max.replace(tzinfo=UTC)
    return sorted(
        rows, key=lambda r: (r.meeting is None, r.meeting.starts_at if r.meeting else far)
    )


@dataclass
class TermRow:
    forum: Forum
    held: int = 0
    #: Meetings that were due by today (held, cancelled or still marked planned).
    due: int = 0
    #: Meetings planned for the rest of the term.
    upcoming: int = 0
    cancelled: int = 0


@dataclass
class TermSummary:
    start: date
    end: date
    rows: list[TermRow] = field(default_factory=list)

    @property
    def held(self) -> int:
        return sum(r.held for r in self.rows)

    @property
    def due(self) -> int:
        return sum(r.due for r in self.rows)

    @property
    def upcoming(self) -> int:
        return sum(r.upcoming for r in self.rows)


def term_summary(forums: list[Forum], now: datetime | None = None) -> TermSummary:
    """Meetings held against planned this term, per forum: due so far, held, and still to come."""
    now = now or utcnow()
    start, end = term_bounds(today_local(now))
    summary = TermSummary(start, end, [TermRow(f) for f in forums])
    if not forums:
        return summary
    rows = {r.forum.id: r for r in summary.rows}
    meetings = db.session.execute(
        sa.select(Meeting.forum_id, Meeting.state, Meeting.starts_at).where(
            Meeting.forum_id.in_(rows),
            Meeting.starts_at >= _start_of(start),
            Meeting.starts_at < _start_of(end + timedelta(days=1)),
        )
    ).all()
    for forum_id, state, starts_at in meetings:
        row = rows[forum_id]
        if state == MeetingState.held:  # a meeting recorded as held counts as due, even if early
            row.held += 1
            row.due += 1
        elif starts_at <= now:
            row.due += 1
            row.cancelled += state == MeetingState.cancelled
        elif state == MeetingState.planned:
            row.upcoming += 1
    return summary


@dataclass
class OrganisationAttendance:
    organisation: Organisation
    #: Held meetings (within each forum's window) this organisation was expected at.
    expected: int = 0
    attended: int = 0
    forums: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return self.attended / self.expected if self.expected else None

    @property
    def missing(self) -> bool:
        return self.rate is not None and self.rate < LOW_ATTENDANCE


def attendance_by_organisation(
    forums: list[Forum], window: int = DEFAULT_WINDOW
) -> list[OrganisationAttendance]:
    """Attendance per member organisation over each forum's last ``window`` held meetings.

    Present, digital and stand-in count as attended. Lowest rate first, so who is missing shows.
    """
    if not forums:
        return []
    ranked = (
        sa.select(
            Meeting.id.label("meeting_id"),
            Meeting.forum_id.label("forum_id"),
            sa.func.row_number()
            .over(partition_by=Meeting.forum_id, order_by=Meeting.starts_at.desc())
            .label("n"),
        )
        .where(Meeting.forum_id.in_([f.id for f in forums]), Meeting.state == MeetingState.held)
        .subquery()
    )
    recent = db.session.execute(
        sa.select(ranked.c.meeting_id, ranked.c.forum_id).where(ranked.c.n <= window)
    ).all()
    meetings_by_forum: dict[int, set[int]] = {}
    for meeting_id, forum_id in recent:
        meetings_by_forum.setdefault(forum_id, set()).add(meeting_id)
    meeting_ids = [m for ids in meetings_by_forum.values() for m in ids]
    present: set[tuple[int, int]] = set()  # (meeting id, organisation id)
    if meeting_ids:
        org = sa.func.coalesce(Attendance.organisation_id, ForumMember.organisation_id)
        present = {
            (meeting_id, org_id)
            for meeting_id, org_id in db.session.execute(
                sa.select(Attendance.meeting_id, org)
                .outerjoin(ForumMember, Attendance.member_id == ForumMember.id)
                .where(Attendance.meeting_id.in_(meeting_ids), Attendance.status.in_(ATTENDED))
                .distinct()
            )
            if org_id is not None
        }
    members = db.session.execute(
        sa.select(forum_organisations.c.forum_id, Organisation)
        .join(Organisation, Organisation.id == forum_organisations.c.organisation_id)
        .where(forum_organisations.c.forum_id.in_([f.id for f in forums]))
    ).all()
    names = {f.id: f.name for f in forums}
    result: dict[int, OrganisationAttendance] = {}
    for forum_id, organisation in members:
        held = meetings_by_forum.get(forum_id, set())
        entry = result.setdefault(organisation.id, OrganisationAttendance(organisation))
        entry.forums.append(names[forum_id])
        entry.expected += len(held)
        entry.attended += sum(1 for m in held if (m, organisation.id) in present)
    return sorted(
        result.values(),
        key=lambda e: (e.rate is None, e.rate or 0.0, e.organisation.name.casefold()),
    )


def overdue_actions(forum_ids: list[int] | None = None, today: date | None = None) -> list[Action]:
    """Open actions past their due date, oldest due first."""
    today = today or today_local()
    query = (
        sa.select(Action)
        .where(Action.status == ActionStatus.open, Action.due_date < today)
        .options(selectinload(Action.forum), selectinload(Action.owner))
        .order_by(Action.due_date, Action.id)
    )
    if forum_ids is not None:
        query = query.where(Action.forum_id.in_(forum_ids or [-1]))
    return list(db.session.scalars(query))


@dataclass
class StaleForum:
    forum: Forum
    last_held: datetime | None


def stale_forums(forums: list[Forum], now: datetime | None = None) -> list[StaleForum]:
    """Active forums with no meeting held in the last 60 days (never held ones included)."""
    now = now or utcnow()
    if not forums:
        return []
    last = dict(
        db.session.execute(
            sa.select(Meeting.forum_id, sa.func.max(Meeting.starts_at))
            .where(
                Meeting.forum_id.in_([f.id for f in forums]),
                Meeting.state == MeetingState.held,
            )
            .group_by(Meeting.forum_id)
        ).all()
    )
    cutoff = now - timedelta(days=STALE_DAYS)
    stale = []
    for forum in forums:
        held = last.get(forum.id)
        if held is None or held < cutoff:
            stale.append(StaleForum(forum, held))
    return stale


@dataclass
class CoordinatorOverview:
    forums: list[Forum]
    next_meetings: list[NextMeeting]
    term: TermSummary
    attendance: list[OrganisationAttendance]
    window: int
    overdue: list[Action]
    stale: list[StaleForum]


def coordinator_overview(
    window: int = DEFAULT_WINDOW, now: datetime | None = None
) -> CoordinatorOverview:
    """Everything a coordinator's start page shows, for every active forum."""
    now = now or utcnow()
    forums = active_forums()
    ids = [f.id for f in forums]
    return CoordinatorOverview(
        forums=forums,
        next_meetings=next_meetings(forums, now),
        term=term_summary(forums, now),
        attendance=attendance_by_organisation(forums, window),
        window=window,
        overdue=overdue_actions(ids, today_local(now)),
        stale=stale_forums(forums, now),
    )


@dataclass
class MemberOverview:
    forums: list[Forum]
    meetings: list[Meeting]
    actions: list[Action]


def member_overview(user_id: int, now: datetime | None = None, limit: int = 10) -> MemberOverview:
    """My forums (where I am an active member), my next meetings and my open actions."""
    now = now or utcnow()
    memberships = db.session.execute(
        sa.select(ForumMember.id, ForumMember.forum_id)
        .join(Forum, Forum.id == ForumMember.forum_id)
        .where(
            ForumMember.user_id == user_id,
            ForumMember.active,
            Forum.state != ForumState.closed,
        )
    ).all()
    member_ids = [m for m, _ in memberships]
    forum_ids = sorted({f for _, f in memberships})
    if not forum_ids:
        return MemberOverview([], [], [])
    forums = list(
        db.session.scalars(sa.select(Forum).where(Forum.id.in_(forum_ids)).order_by(Forum.name))
    )
    meetings = list(
        db.session.scalars(
            sa.select(Meeting)
            .where(
                Meeting.forum_id.in_(forum_ids),
                Meeting.state == MeetingState.planned,
                Meeting.starts_at >= now,
            )
            .options(selectinload(Meeting.forum))
            .order_by(Meeting.starts_at)
            .limit(limit)
        )
    )
    actions = list(
        db.session.scalars(
            sa.select(Action)
            .where(Action.owner_member_id.in_(member_ids), Action.status == ActionStatus.open)
            .options(selectinload(Action.forum))
            .order_by(Action.due_date.is_(None), Action.due_date, Action.id)
        )
    )
    return MemberOverview(forums, meetings, actions)


def parse_window(raw: str | None) -> int:
    """The chosen attendance window from the query string; anything else means the default."""
    try:
        value = int(raw or DEFAULT_WINDOW)
    except ValueError:
        return DEFAULT_WINDOW
    return value if value in ATTENDANCE_WINDOWS else DEFAULT_WINDOW
