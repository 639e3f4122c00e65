"""Server-side sessions: the cookie names one row; revoking the row ends the session at once."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, g, has_app_context, session
from flask_login import current_user

from samverka.db.base import utcnow
from samverka.extensions import db
from samverka.modules.auth.models import User, UserSession

_KEY = "sid"
#: Without app settings (CLI), an idle session ends after this long.
DEFAULT_IDLE_LIMIT = timedelta(minutes=30)
#: Sign-in methods that count as strong without a second factor (the municipality's own IdP).
STRONG_METHODS = frozenset({"oidc"})


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def idle_limit() -> timedelta:
    """How long a session may sit unused (shared computers): ``SAMVERKA_IDLE_TIMEOUT_MINUTES``."""
    if not has_app_context():
        return DEFAULT_IDLE_LIMIT
    return timedelta(minutes=current_app.config["SETTINGS"].idle_timeout_minutes)


def start(user: User, method: str = "password", second_factor: bool = False) -> None:
    """Open a session row for this browser and remember its token in the signed cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            user_id=user.id, token_hash=_hash(token), method=method, second_factor=second_factor
        )
    )
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
    limit = idle_limit()
    if now - row.last_seen_at > limit:
        row.revoked_at = now
        return None
    # Avoid a write on every request, but keep the idle clock well inside the limit.
    if now - row.last_seen_at > min(timedelta(minutes=1), limit / 10):
        row.last_seen_at = now
    g.auth_session = row
    return row


def session_is_strong() -> bool:
    """Whether this sign-in used a second factor or the municipality's identity provider.

    Case data will demand it; a token-authenticated API call is never strong.
    """
    if not getattr(current_user, "is_authenticated", False):
        return False
    row = g.get("auth_session")
    if row is None or row.user_id != current_user.id:
        return False
    return bool(row.second_factor) or row.method in STRONG_METHODS


def mark_second_factor() -> None:
    """Enrolling a second factor makes the current session strong from now on."""
    row = g.get("auth_session")
    if row is not None:
        row.second_factor = True


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
