"""A session whose every query goes to the bound tenant's schema, or fails closed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import flask_sqlalchemy.session
from flask import current_app
from sqlalchemy.orm import Session

from samverka.db import crypto
from samverka.db.engines import Backend

_SCHEMA = "tenant_schema"


def backend() -> Backend:
    """The app's storage backend (PostgreSQL or SQLite)."""
    return current_app.extensions["samverka.backend"]


class TenantSession(flask_sqlalchemy.session.Session):
    """Chooses the engine from the schema bound in ``session.info``, never from connection state."""

    def get_bind(self, mapper: Any = None, clause: Any = None, bind: Any = None, **kw: Any):
        if bind is not None:
            return bind
        return backend().engine_for(self.info.get(_SCHEMA))


def bound_schema(session: Session) -> str | None:
    """The tenant schema a session is bound to, or None."""
    return session.info.get(_SCHEMA)


def bind_schema(session: Session, schema: str | None) -> None:
    """Bind a session to a tenant schema; refuse to switch with unsaved changes."""
    if session.info.get(_SCHEMA) == schema:
        crypto.activate(session, schema)
        return
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("cannot switch tenant with unsaved changes in the session")
    # End the current transaction so the next statement checks out a connection for the new bind.
    session.rollback()
    session.info[_SCHEMA] = schema
    # The tenant's keys follow the binding; unbound, tenant data is neither encrypted nor read.
    crypto.activate(session, schema)


@contextmanager
def tenant_session(schema: str | None) -> Iterator[Session]:
    """A fresh session bound to one schema, for CLI commands, jobs and tests."""
    session = Session(bind=backend().engine_for(schema))
    session.info[_SCHEMA] = schema
    token = crypto.use_schema(schema)
    try:
        crypto.activate(session, schema)
        yield session
    finally:
        session.close()
        crypto.reset_schema(token)
