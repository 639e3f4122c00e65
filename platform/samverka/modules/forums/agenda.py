"""Agenda items: the forum's skeleton, plus open actions carried in from earlier meetings."""

from __future__ import annotations

import sqlalchemy as sa

from samverka.extensions import db
from samverka.modules.forums.models import Action, ActionStatus, AgendaItem, Meeting, MeetingState


def prefill_agenda(meeting: Meeting) -> None:
    """Give a new meeting the forum's agenda skeleton, then carry in open actions."""
    if not meeting.agenda_items:
        for position, title in enumerate(meeting.forum.agenda_skeleton or [], start=1):
            meeting.agenda_items.append(AgendaItem(position=position * 10, title=title[:300]))
    carry_open_actions(meeting)


def next_planned_meeting(forum_id: int, after: Meeting | None = None) -> Meeting | None:
    """The forum's next planned meeting (after ``after``, if given)."""
    query = sa.select(Meeting).where(
        Meeting.forum_id == forum_id, Meeting.state == MeetingState.planned
    )
    if after is not None:
        query = query.where(Meeting.starts_at > after.starts_at)
    return db.session.scalars(query.order_by(Meeting.starts_at).limit(1)).first()


def carry_open_actions(meeting: Meeting) -> list[AgendaItem]:
    """Add an agenda item for each open action raised before this meeting (idempotent)."""
    if meeting.state != MeetingState.planned:
        return []
    db.session.flush()
    carried = {item.action_id for item in meeting.agenda_items if item.action_id}
    open_actions = db.session.scalars(
        sa.select(Action)
        .outerjoin(Meeting, Action.meeting_id == Meeting.id)
        .where(
            Action.forum_id == meeting.forum_id,
            Action.status == ActionStatus.open,
            sa.or_(Meeting.id.is_(None), Meeting.starts_at < meeting.starts_at),
        )
        .order_by(Action.due_date, Action.id)
    ).all()
    # Carried actions sit right after the first skeleton item ("Uppföljning …").
    base = meeting.agenda_items[0].position if meeting.agenda_items else 0
    added = []
    for offset, action in enumerate((a for a in open_actions if a.id not in carried), start=1):
        item = AgendaItem(
            position=base + offset,
            title=action.title[:300],
            owner_member_id=action.owner_member_id,
            action_id=action.id,
        )
        meeting.agenda_items.append(item)
        added.append(item)
    meeting.agenda_items.sort(key=lambda i: (i.position, i.id or 0))
    return added
