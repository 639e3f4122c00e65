"""Swedish labels for forum settings, and a readable description of a cadence."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from samverka.modules.forums.models import (
    ActionStatus,
    AttendanceStatus,
    CadenceKind,
    Forum,
    ForumState,
    MeetingState,
)
from samverka.modules.forums.vocabulary import FORUM_TYPES, ORGANISATION_TYPES

STATE_LABELS = {
    ForumState.active: _l("Aktivt"),
    ForumState.paused: _l("Pausat"),
    ForumState.closed: _l("Avslutat"),
}
MEETING_STATE_LABELS = {
    MeetingState.planned: _l("Planerat"),
    MeetingState.held: _l("Genomfört"),
    MeetingState.cancelled: _l("Inställt"),
}
ATTENDANCE_LABELS = {
    AttendanceStatus.present: _l("Närvarande"),
    AttendanceStatus.digital: _l("Närvarande digitalt"),
    AttendanceStatus.excused: _l("Anmält förhinder"),
    AttendanceStatus.absent: _l("Frånvarande"),
    AttendanceStatus.stand_in: _l("Ersättare"),
}
ACTION_STATUS_LABELS = {
    ActionStatus.open: _l("Öppen"),
    ActionStatus.done: _l("Klar"),
    ActionStatus.cancelled: _l("Struken"),
}
CADENCE_LABELS = {
    CadenceKind.weekly: _l("Varje vecka"),
    CadenceKind.every_n_weeks: _l("Var N:e vecka"),
    CadenceKind.monthly_weekday: _l("Månadsvis på en veckodag"),
    CadenceKind.school_year_dates: _l("Valda datum under läsåret"),
}
WEEKDAY_LABELS = (
    _l("måndag"),
    _l("tisdag"),
    _l("onsdag"),
    _l("torsdag"),
    _l("fredag"),
    _l("lördag"),
    _l("söndag"),
)
WEEKDAY_PLURALS = (
    _l("måndagar"),
    _l("tisdagar"),
    _l("onsdagar"),
    _l("torsdagar"),
    _l("fredagar"),
    _l("lördagar"),
    _l("söndagar"),
)
WEEK_OF_MONTH_LABELS = {
    1: _l("första"),
    2: _l("andra"),
    3: _l("tredje"),
    4: _l("fjärde"),
    -1: _l("sista"),
}


def forum_type_label(key: str) -> str:
    kind = FORUM_TYPES.get(key)
    return str(kind.label) if kind else key


def organisation_type_label(key: str) -> str:
    entry = ORGANISATION_TYPES.get(key)
    return str(entry[0]) if entry else key


def describe_cadence(forum: Forum) -> str:
    """E.g. "Var 3:e vecka på torsdagar" or "Sista fredagen varje månad"."""
    weekday = forum.cadence_weekday if forum.cadence_weekday is not None else 0
    day = str(WEEKDAY_LABELS[weekday])
    days = str(WEEKDAY_PLURALS[weekday])
    interval = forum.cadence_interval or 1
    if forum.cadence_kind == CadenceKind.weekly:
        return _("Varje vecka på %(days)s", days=days)
    if forum.cadence_kind == CadenceKind.every_n_weeks:
        return _("Var %(n)d:e vecka på %(days)s", n=interval, days=days)
    if forum.cadence_kind == CadenceKind.monthly_weekday:
        nth = str(WEEK_OF_MONTH_LABELS.get(forum.cadence_week_of_month or 1, ""))
        if interval > 1:
            return _(
                "%(nth)s %(day)sen var %(n)d:e månad", nth=nth.capitalize(), day=day, n=interval
            )
        return _("%(nth)s %(day)sen varje månad", nth=nth.capitalize(), day=day)
    dates = sorted(forum.cadence_dates or [])
    if not dates:
        return _("Valda datum (inga valda ännu)")
    return _("%(count)d valda datum", count=len(dates))


def format_iso_dates(values: list[str]) -> list[str]:
    """Stored ISO dates as Swedish dates for display (malformed values shown as stored)."""
    from datetime import date

    shown = []
    for value in sorted(values or []):
        try:
            shown.append(format_date(date.fromisoformat(value), "long"))
        except ValueError:
            shown.append(value)
    return shown
