"""One commit per request or job; side effects and success messages only after the commit.

Views call flask's ``flash()`` before the commit runs. The message stays in the session only if
the commit succeeds; on a failed commit or an error page the request's own messages are taken
back, so nobody reads "Sparat" about something that was not saved.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, current_app, flash, g, has_request_context, message_flashed
from flask import session as cookie_session
from flask.globals import request_ctx
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from samverka.extensions import db

log = logging.getLogger(__name__)
_CALLBACKS = "after_commit_callbacks"
#: ``g`` keys: the messages this request flashed, and whether its commit went through.
_FLASHED = "samverka_flashed"
COMMITTED = "samverka_committed"
_STEP_FAILED = "samverka_after_commit_failed"
_SUCCESS = frozenset({"success"})


def after_commit(callback: Callable[[], Any], session: Session | None = None) -> None:
    """Run ``callback`` once the session's current transaction has committed (never if it rolls back)."""
    session = session if session is not None else db.session()
    session.info.setdefault(_CALLBACKS, []).append(callback)


@sa.event.listens_for(Session, "after_commit")
def _run_callbacks(session: Session) -> None:
    """Run every callback even if one fails: the data is committed either way."""
    callbacks = session.info.pop(_CALLBACKS, [])
    failed = 0
    for callback in callbacks:
        try:
            callback()
        except Exception:
            failed += 1
            log.exception("a step after the commit failed; the committed data stays")
    if failed and has_request_context():
        g.setdefault(_STEP_FAILED, True)  # told after the commit returns: nothing may load now


@sa.event.listens_for(Session, "after_soft_rollback")
def _drop_callbacks(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_CALLBACKS, None)


def _remember_flash(sender: Flask, message: str, category: str, **_kw: Any) -> None:
    g.setdefault(_FLASHED, []).append((category, message))


def drop_request_flashes(
    categories: frozenset[str] | None = None, page_discarded: bool = True
) -> None:
    """Take back the messages this request flashed (only ``categories``, if given).

    Messages queued by earlier requests stay queued; if the page that showed them is being
    replaced by an error page (``page_discarded``), they are queued again for the next page.
    """
    flashed = g.get(_FLASHED, [])
    mine = [item for item in flashed if categories is None or item[0] in categories]
    setattr(g, _FLASHED, [item for item in flashed if item not in mine])
    if not mine:
        return
    queued = list(cookie_session.get("_flashes", []))
    shown = request_ctx.flashes  # messages a rendered page already took
    if shown and page_discarded:
        queued = list(shown) + queued
        request_ctx.flashes = None
    for item in mine:
        if item in queued:
            queued.remove(item)
    if queued:
        cookie_session["_flashes"] = queued
    else:
        cookie_session.pop("_flashes", None)


def safe_rollback() -> None:
    """Roll back without letting a dead connection turn an error page into another error."""
    try:
        db.session.rollback()
    except Exception:
        log.warning("rollback failed; the connection is discarded", exc_info=True)
        db.session.close()


def _commit(response: Response) -> Response:
    if response.status_code >= 400:
        safe_rollback()  # nothing of a refused request is saved, so no "saved" message either
        if response.status_code >= 500:
            drop_request_flashes()
        else:  # the refusal page itself is sent: only its untrue "saved" messages go
            drop_request_flashes(_SUCCESS, page_discarded=False)
        return response
    try:
        db.session.commit()
    except Exception as exc:
        current_app.log_exception((type(exc), exc, exc.__traceback__))
        from samverka.web.errors import failure_response

        return failure_response(exc)
    g.setdefault(COMMITTED, True)
    if g.pop(_STEP_FAILED, False):
        flash(
            _(
                "Ändringarna sparades, men ett steg som skulle göras efteråt (till exempel att "
                "starta ett bakgrundsjobb) misslyckades. Försök igen om en stund om något saknas."
            ),
            "warning",
        )
    return response


def init_app(app: Flask) -> None:
    app.after_request(_commit)
    message_flashed.connect(_remember_flash, app)
