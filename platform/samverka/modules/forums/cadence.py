"""A forum's cadence as meeting dates, and the planned meetings generated from it.

The recurrence is always anchored on ``cadence_start``, so "every other week" keeps its phase no
matter which window is asked for. Times are wall-clock Europe/Stockholm and stored as UTC.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from dateutil import rrule

from samverka.clock import local_today, to_utc
from samverka.extensions import db
from samverka.modules.forums import agenda
from samverka.modules.forums.models import CadenceKind, Forum, ForumState, Meeting, MeetingState

_WEEKDAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)


def _parse_dates(values: list[str] | None) -> set[date]:
    dates = set()
    for value in values or []:
        try:
            dates.add(date.fromisoformat(str(value)))
        except ValueError:
            continue  # a malformed stored date yields nothing rather than breaking the forum page
    return dates


def _rule(forum: Forum) -> rrule.rrule | None:
    weekday = forum.cadence_weekday
    if weekday is None:
        weekday = forum.cadence_start.weekday()
    interval = max(1, forum.cadence_interval or 1)
    dtstart = datetime.combine(forum.cadence_start, datetime.min.time())
    if forum.cadence_kind == CadenceKind.weekly:
        return rrule.rrule(rrule.WEEKLY, dtstart=dtstart, byweekday=_WEEKDAYS[weekday])
    if forum.cadence_kind == CadenceKind.every_n_weeks:
        return rrule.rrule(
            rrule.WEEKLY, dtstart=dtstart, interval=interval, byweekday=_WEEKDAYS[weekday]
        )
    if forum.cadence_kind == CadenceKind.monthly_weekday:
        nth = forum.cadence_week_of_month or 1
        # cadence_interval > 1 gives e.g. quarterly (every 3rd month) on the same weekday.
        return rrule.rrule(
            rrule.MONTHLY, dtstart=dtstart, interval=interval, byweekday=_WEEKDAYS[weekday](nth)
        )
    return None


def occurrences(forum: Forum, start: date, end: date) -> list[date]:
    """The forum's meeting dates in [start, end], without its exceptions."""
    lower = max(start, forum.cadence_start)
    upper = min(end, forum.cadence_until) if forum.cadence_until else end
    if lower > upper:
        return []
    exceptions = _parse_dates(forum.cadence_exceptions)
    if forum.cadence_kind == CadenceKind.school_year_dates:
        candidates = _parse_dates(forum.cadence_dates)
        days = sorted(d for d in candidates if lower <= d <= upper)
    else:
        rule = _rule(forum)
        if rule is None:
            return []
        found = rule.between(
            datetime.combine(lower, datetime.min.time()),
            datetime.combine(upper, datetime.min.time()),
            inc=True,
        )
        days = [moment.date() for moment in found]
    return [d for d in days if d not in exceptions]


def meeting_times(forum: Forum, day: date) -> tuple[datetime, datetime]:
    """Start and end (aware UTC) of a meeting on ``day`` at the forum's Stockholm start time."""
    starts = to_utc(day, forum.start_time)
    return starts, starts + timedelta(minutes=max(1, forum.duration_minutes or 90))


def generate_meetings(forum: Forum, until: date, today: date | None = None) -> list[Meeting]:
    """Create the planned meetings the cadence asks for from today to ``until`` (idempotent).

    A cadence date that already has a meeting — even a moved or cancelled one — gets no new
    meeting. Paused and closed forums get none.
    """
    if forum.state in (ForumState.paused, ForumState.closed):
        return []
    today = today or local_today()
    if forum not in db.session:
        db.session.add(forum)
    db.session.flush()
    taken = set(
        db.session.scalars(
            sa.select(Meeting.cadence_date).where(
                Meeting.forum_id == forum.id, Meeting.cadence_date.is_not(None)
            )
        )
    )
    created = []
    for day in occurrences(forum, today, until):
        if day in taken:
            continue
        starts, ends = meeting_times(forum, day)
        meeting = Meeting(
            forum=forum,
            starts_at=starts,
            ends_at=ends,
            location=forum.location or "",
            state=MeetingState.planned,
            cadence_date=day,
        )
        db.session.add(meeting)
        created.append(meeting)
        taken.add(day)
    if created:
        db.session.flush()
        for meeting in created:
            agenda.prefill_agenda(meeting)
    return created
