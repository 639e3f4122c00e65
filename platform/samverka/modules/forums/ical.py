"""iCalendar feeds of meetings, reached by secret tokens; no personal data beyond forum and place."""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from icalendar import Calendar, Event
from sqlalchemy.orm import selectinload

from samverka.clock import STOCKHOLM
from samverka.extensions import db
from samverka.modules.forums.models import (
    Forum,
    ForumMember,
    Meeting,
    MeetingState,
    PersonalFeed,
    new_token,
)

#: How far back a feed reaches; calendar apps keep what they already have.
HISTORY = timedelta(days=365)
#: How far ahead a feed reaches; anything later is a typing error, not a meeting.
HORIZON = timedelta(days=10 * 366)
PRODID = "-//Samverka//Mötesflöde//SV"

#: Years a feed event may fall in; outside them the meeting is skipped, not allowed to break
#: the whole feed (``date(year + 1, …)`` and UTC/Stockholm shifts overflow at the ends).
MIN_YEAR, MAX_YEAR = 1900, 9000
#: The widest time zone description a feed carries.
MAX_SPAN_YEARS = 30


def _match(candidates: Iterable[tuple[int, str]], token: str) -> int | None:
    """The id whose token equals ``token``, comparing every candidate in constant time."""
    found = None
    given = token.encode()
    for row_id, stored in candidates:
        # No early exit: the time taken does not tell how close a guess came, or where it matched.
        if hmac.compare_digest(stored.encode(), given):
            found = row_id
    return found


def _plausible(token: str) -> bool:
    return 16 <= len(token) <= 64


def forum_by_token(token: str) -> Forum | None:
    """The bound municipality's forum whose feed token this is, or None."""
    if not _plausible(token):
        return None
    forum_id = _match(db.session.execute(sa.select(Forum.id, Forum.ical_token)).all(), token)
    return db.session.get(Forum, forum_id) if forum_id is not None else None


def feed_by_token(token: str) -> PersonalFeed | None:
    """The bound municipality's personal feed with this token, or None."""
    if not _plausible(token):
        return None
    feed_id = _match(
        db.session.execute(sa.select(PersonalFeed.id, PersonalFeed.token)).all(), token
    )
    return db.session.get(PersonalFeed, feed_id) if feed_id is not None else None


def personal_feed(user_id: int) -> PersonalFeed:
    """The user's feed in the bound municipality, created on first use."""
    feed = db.session.scalar(sa.select(PersonalFeed).where(PersonalFeed.user_id == user_id))
    if feed is None:
        feed = PersonalFeed(user_id=user_id, token=new_token())
        db.session.add(feed)
        db.session.flush()
    return feed


def renew_personal_feed(user_id: int) -> PersonalFeed:
    """Give the user's feed a new token; the old URL stops working at once."""
    feed = personal_feed(user_id)
    feed.token = new_token()
    feed.created_at = datetime.now(UTC)
    db.session.flush()
    return feed


def renew_forum_token(forum: Forum) -> str:
    """Give the forum's feed a new token; every old subscription is revoked."""
    forum.ical_token = new_token()
    db.session.flush()
    return forum.ical_token


def member_forum_ids(user_id: int) -> list[int]:
    """Forums where the user is an active member: the person feed's scope."""
    return list(
        db.session.scalars(
            sa.select(ForumMember.forum_id)
            .where(ForumMember.user_id == user_id, ForumMember.active)
            .distinct()
        )
    )


def feed_meetings(forum_ids: list[int], now: datetime | None = None) -> list[Meeting]:
    """Planned, held and cancelled meetings of these forums, from a year back onwards."""
    if not forum_ids:
        return []
    now = now or datetime.now(UTC)
    since, until = now - HISTORY, now + HORIZON
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(
                Meeting.forum_id.in_(forum_ids),
                Meeting.starts_at >= since,
                Meeting.starts_at < until,
            )
            .options(selectinload(Meeting.forum))
            .order_by(Meeting.starts_at, Meeting.id)
        )
    )


def _event(meeting: Meeting, tenant_slug: str, url: str | None, cancelled_label: str) -> Event:
    event = Event()
    # Stable across renders, renames and token renewals, so calendar apps update in place.
    event.add("uid", f"meeting-{meeting.id}@{tenant_slug}.samverka")
    event.add("dtstamp", meeting.updated_at or datetime.now(UTC))
    event.add("last-modified", meeting.updated_at or datetime.now(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(STOCKHOLM))
    event.add("dtend", meeting.ends_at.astimezone(STOCKHOLM))
    summary = meeting.forum.name
    if meeting.state == MeetingState.cancelled:
        summary = f"{cancelled_label}: {summary}"
    event.add("summary", summary)
    place = meeting.location or meeting.forum.location
    if place:
        event.add("location", place)
    event.add("status", "CANCELLED" if meeting.state == MeetingState.cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if meeting.state == MeetingState.cancelled else "OPAQUE")
    if url:
        event.add("url", url)
    return event


def _representable(meeting: Meeting) -> bool:
    """Whether the meeting's times convert to Stockholm time within the years a feed allows."""
    try:
        start = meeting.starts_at.astimezone(STOCKHOLM)
        end = meeting.ends_at.astimezone(STOCKHOLM)
    except (OverflowError, ValueError):
        return False
    return MIN_YEAR <= start.year <= MAX_YEAR and MIN_YEAR <= end.year <= MAX_YEAR


def build_calendar(
    name: str,
    meetings: list[Meeting],
    tenant_slug: str,
    meeting_url: Callable[[Meeting], str | None] | None = None,
    cancelled_label: str = "Inställt",
) -> bytes:
    """A VCALENDAR with one VEVENT per meeting, times in Europe/Stockholm with a VTIMEZONE."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Stockholm")
    shown = [m for m in meetings if _representable(m)]
    for meeting in shown:
        url = meeting_url(meeting) if meeting_url else None
        calendar.add_component(_event(meeting, tenant_slug, url, cancelled_label))
    if shown:
        first = min(m.starts_at for m in shown).astimezone(STOCKHOLM).date()
        last = max(m.ends_at for m in shown).astimezone(STOCKHOLM).date()
        # The time zone is described from New Year before the first meeting to New Year after
        # the last, clamped so the range stays valid and bounded.
        first_year = min(max(first.year, MIN_YEAR), MAX_YEAR)
        last_year = min(max(last.year, first_year), first_year + MAX_SPAN_YEARS, MAX_YEAR)
        calendar.add_missing_timezones(
            first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)
        )
    return calendar.to_ical()
