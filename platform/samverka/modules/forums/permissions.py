"""Who may do what with a forum (the municipality's membership is already checked per request).

- every member of the municipality sees its forums and meetings;
- minutes and actions are for the forum's own members and the municipality's coordinators;
- the convener and coordinators change a forum (settings, members, cadence) and approve minutes;
- the forum's members and coordinators record attendance, minutes, decisions and actions.
"""

from __future__ import annotations

from flask import abort, g
from flask_login import current_user

from samverka.modules.auth.models import MunicipalRole
from samverka.modules.forums.models import Forum, ForumMember


def _is_coordinator() -> bool:
    return g.get("tenant_role") == MunicipalRole.coordinator


def my_membership(forum: Forum) -> ForumMember | None:
    """The current user's active member record in this forum, if any."""
    if not current_user.is_authenticated:
        return None
    return next((m for m in forum.members if m.user_id == current_user.id and m.active), None)


def can_edit_forum(forum: Forum) -> bool:
    member = my_membership(forum)
    return _is_coordinator() or bool(member and member.is_convener)


def can_work_in_meetings(forum: Forum) -> bool:
    return _is_coordinator() or my_membership(forum) is not None


def can_view_minutes(forum: Forum) -> bool:
    return can_work_in_meetings(forum)


def can_view_actions(forum: Forum) -> bool:
    """Actions name people and what is done for a child: only for those who read the minutes.

    The one rule for every page that shows an action, including an action carried onto the
    agenda of a later meeting.
    """
    return can_view_minutes(forum)


def require(allowed: bool) -> None:
    """403 when the user belongs to the municipality but lacks the right for this forum."""
    if not allowed:
        abort(403)
