"""Helpers for the API tests: personal tokens and problem documents."""

from __future__ import annotations

from datetime import timedelta

PROBLEM_KEYS = {"type", "title", "status", "detail"}


def make_token(
    app,
    user,
    *,
    days: int | None = 90,
    revoked: bool = False,
    expired: bool = False,
    scope: str = "read",
) -> str:
    from samverka.db.base import utcnow
    from samverka.extensions import db
    from samverka.modules.auth import operations as ops
    from samverka.modules.auth.models import User

    with app.app_context():
        token, plain = ops.create_token(
            db.session.get(User, user.id), "Rapportskript", days=days, scope=scope
        )
        if revoked:
            token.revoked_at = utcnow()
        if expired:
            token.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    return plain


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body.keys() >= PROBLEM_KEYS
    assert body["status"] == status
    return body


def bearer(app, user, scope: str = "write") -> dict[str, str]:
    """Authorization headers for a fresh token of this user (write scope unless told)."""
    return {"Authorization": f"Bearer {make_token(app, user, scope=scope)}"}
