"""One commit per request or job; side effects only after the commit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Flask, Response
from sqlalchemy.orm import Session

from samverka.extensions import db

_CALLBACKS = "after_commit_callbacks"


def after_commit(callback: Callable[[], Any], session: Session | None = None) -> None:
    """Run ``callback`` once the session's current transaction has committed (never if it rolls back)."""
    session = session if session is not None else db.session()
    session.info.setdefault(_CALLBACKS, []).append(callback)


@sa.event.listens_for(Session, "after_commit")
def _run_callbacks(session: Session) -> None:
    callbacks = session.info.pop(_CALLBACKS, [])
    for callback in callbacks:
        callback()


@sa.event.listens_for(Session, "after_soft_rollback")
def _drop_callbacks(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_CALLBACKS, None)


def _commit(response: Response) -> Response:
    if response.status_code < 400:
        db.session.commit()
    else:
        db.session.rollback()
    return response


def init_app(app: Flask) -> None:
    app.after_request(_commit)
