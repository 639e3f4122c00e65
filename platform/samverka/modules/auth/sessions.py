"""Server-side sessions: the cookie names one row; revoking the row ends the session at once."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import session

from samverka.db.base import utcnow
from samverka.extensions import db
from samverka.modules.auth.models import User, UserSession

_KEY = "sid"
#: An idle session ends after this long, whatever the cookie says.
IDLE_LIMIT = timedelta(hours=10)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(user: User) -> None:
    """Open a session row for this browser and remember its token in the signed cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, token_hash=_hash(token)))
    session[_KEY] = token


def current_row(user_id: int) -> UserSession | None:
    """The open session row of this request's cookie, if it belongs to ``user_id``."""
    token = session.get(_KEY)
    if not token:
        return None
    row = db.session.scalar(sa.select(UserSession).where(UserSession.token_hash == _hash(token)))
    now = utcnow()
    if row is None or row.user_id != user_id or row.revoked_at is not None:
        return None
    if now - row.last_seen_at > IDLE_LIMIT:
        return None
    if now - row.last_seen_at > timedelta(minutes=5):  # avoid a write on every request
        row.last_seen_at = now
    return row


def end_current() -> None:
    token = session.pop(_KEY, None)
    if token:
        db.session.execute(
            sa.update(UserSession)
            .where(UserSession.token_hash == _hash(token))
            .values(revoked_at=utcnow())
        )


def end_all(user: User, keep_current: bool = False) -> None:
    """Revoke every open session of a user (deactivation, password change)."""
    query = sa.update(UserSession).where(
        UserSession.user_id == user.id, UserSession.revoked_at.is_(None)
    )
    token = session.get(_KEY) if keep_current else None
    if token:
        query = query.where(UserSession.token_hash != _hash(token))
    db.session.execute(query.values(revoked_at=utcnow()))
