"""Re-planning a forum's future meetings after its cadence, time or place changed.

Only meetings nobody has worked in or moved are changed; everything a person did is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

import sqlalchemy as sa

from samverka.clock import local_today, to_utc
from samverka.extensions import db
from samverka.modules.forums import cadence
from samverka.modules.forums.models import (
    Action,
    AgendaItem,
    Attachment,
    Attendance,
    Decision,
    Forum,
    ForumState,
    Meeting,
    MeetingState,
)

#: How far ahead planned meetings are generated.
HORIZON = timedelta(days=365)


@dataclass(frozen=True)
class Placement:
    """When and where a forum's meetings fall by default (kept to tell hand-moved ones apart)."""

    start_time: time
    duration_minutes: int
    location: str

    @classmethod
    def of(cls, forum: Forum) -> Placement:
        return cls(forum.start_time, forum.duration_minutes, forum.location or "")

    def fits(self, meeting: Meeting) -> bool:
        """Whether the meeting still sits where this placement put it on its cadence date."""
        starts = to_utc(meeting.cadence_date, self.start_time)
        ends = starts + timedelta(minutes=max(1, self.duration_minutes or 90))
        return (
            meeting.starts_at == starts
            and meeting.ends_at == ends
            and (meeting.location or "") == self.location
        )


def replan(
    forum: Forum, before: Placement | None = None, skeleton_before: list[str] | None = None
) -> list[Meeting]:
    """Re-plan future untouched meetings after a settings change, then generate missing ones.

    Meetings someone has moved (to another day, time or room), cancelled or worked in are left
    alone; untouched ones the cadence no longer asks for are removed, and the rest follow the
    forum's new time and place. ``before`` is the forum's placement before the change.
    """
    before = before or Placement.of(forum)
    now = local_today()
    wanted = set(cadence.occurrences(forum, now, now + HORIZON))
    if forum.state != ForumState.active:
        wanted = set()
    skeletons = {t[:300] for t in [*(skeleton_before or []), *(forum.agenda_skeleton or [])]}
    for meeting in _untouched_future_meetings(forum, skeletons):
        if not before.fits(meeting):
            continue  # moved by hand to another day, time or room
        if meeting.cadence_date not in wanted:
            db.session.delete(meeting)
            continue
        meeting.starts_at, meeting.ends_at = cadence.meeting_times(forum, meeting.cadence_date)
        meeting.location = forum.location or ""
    db.session.flush()
    return cadence.generate_meetings(forum, until=now + HORIZON, today=now)


def _untouched_future_meetings(forum: Forum, skeleton_titles: set[str]) -> list[Meeting]:
    """Planned cadence meetings after today with nothing recorded at or for them.

    Agenda items count as work unless they are the forum's skeleton (as generated: no owner,
    no time) or open actions carried in automatically.
    """
    tomorrow = to_utc(local_today() + timedelta(days=1), time(0))
    candidates = db.session.scalars(
        sa.select(Meeting).where(
            Meeting.forum_id == forum.id,
            Meeting.state == MeetingState.planned,
            Meeting.cadence_date.is_not(None),
            Meeting.starts_at >= tomorrow,
            Meeting.minutes_html == "",
        )
    ).all()
    if not candidates:
        return []
    ids = [m.id for m in candidates]
    used: set[int] = set()
    for model in (Attendance, Decision, Attachment, Action):
        used.update(
            db.session.scalars(sa.select(model.meeting_id).where(model.meeting_id.in_(ids)))
        )
    items = db.session.execute(
        sa.select(
            AgendaItem.meeting_id,
            AgendaItem.title,
            AgendaItem.owner_member_id,
            AgendaItem.minutes,
        ).where(AgendaItem.meeting_id.in_(ids), AgendaItem.action_id.is_(None))
    ).all()
    for meeting_id, title, owner_id, minutes in items:
        if title not in skeleton_titles or owner_id is not None or minutes is not None:
            used.add(meeting_id)
    return [m for m in candidates if m.id not in used]
