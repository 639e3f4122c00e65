"""Load a meeting or one of its rows from URL ids: shared by the meeting pages and the API."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask_login import current_user

from samverka.extensions import db
from samverka.modules.forums.models import Meeting
from samverka.modules.forums.permissions import can_work_in_meetings, require


def load_meeting(forum_id: int, meeting_id: int, options: tuple = ()) -> Meeting:
    """The meeting, only under its own forum's URL."""
    meeting = db.session.get(Meeting, meeting_id, options=list(options))
    if meeting is None or meeting.forum_id != forum_id:
        abort(404)
    return meeting


def load_child(model: type, child_id: int, meeting: Meeting) -> Any:
    """A row of ``model`` that belongs to ``meeting``; 404 for anything else."""
    row = db.session.get(model, child_id)
    if row is None or row.meeting_id != meeting.id:
        abort(404)
    return row


def working_meeting(forum_id: int, meeting_id: int) -> Meeting:
    """The meeting, for someone who may work in it (403 otherwise)."""
    meeting = load_meeting(forum_id, meeting_id)
    require(can_work_in_meetings(meeting.forum))
    return meeting


def current_user_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None
