"""Flask-Login loaders: session cookie (with nonce) or personal access token."""

from __future__ import annotations

from flask import Flask, Request, flash, redirect, request, url_for
from flask_babel import gettext as _

from samverka.extensions import db, login_manager
from samverka.modules.auth import operations as ops
from samverka.modules.auth import sessions
from samverka.modules.auth.models import User


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """A session stays valid only while the account is active and its nonce unchanged."""
    raw_id, _sep, nonce = user_id.partition(":")
    if not raw_id.isdigit() or not nonce:
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not user.active or user.session_nonce != nonce:
        return None
    if sessions.current_row(user.id) is None:
        return None
    return user


@login_manager.request_loader
def load_user_from_token(request: Request) -> User | None:
    """Bearer tokens authenticate API calls only."""
    header = request.headers.get("Authorization", "")
    if not request.path.startswith("/api/") or not header.startswith("Bearer "):
        return None
    return ops.user_for_token(header.removeprefix("Bearer ").strip())


@login_manager.unauthorized_handler
def unauthorized():
    """API callers get a problem document; people get the log-in page and come back after."""
    from samverka.web.errors import problem

    if request.path.startswith("/api/"):
        return problem(401)
    flash(_("Logga in för att se sidan."), "info")
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("auth.login", next=target))


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
