"""Record audit events in the bound tenant's schema."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from samverka.extensions import db
from samverka.modules.audit.models import AuditEvent


def record(
    action: str, object_type: str, object_id: int | None, summary: str = "", **changes: Any
) -> AuditEvent:
    """Add an audit event for the current user; committed with the rest of the request."""
    user_id = current_user.id if getattr(current_user, "is_authenticated", False) else None
    event = AuditEvent(
        user_id=user_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary[:300],
        changes=changes,
    )
    db.session.add(event)
    return event
