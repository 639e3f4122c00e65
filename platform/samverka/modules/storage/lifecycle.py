"""Files follow their rows: an upload is claimed by the row's commit, a delete runs after it.

The store and the database cannot share a transaction, so every object whose row is not settled
has a record in ``shared.storage_pending``. An upload is recorded before its bytes are written
and cleared after the caller's commit; a rollback or failed commit leaves the record, and the
sweep removes the object after a grace period unless a row claims it (any tenant table's
``storage_key`` column). A delete is recorded in the transaction that removes the row and
carried out by the sweep job after the commit, again and again until the store answers.

The record is cleared after the commit rather than in it: on SQLite a connection that read
``shared`` before another one committed there may not write it afterwards.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from samverka.db.base import Base, is_shared_table, utcnow
from samverka.db.session import backend
from samverka.extensions import db
from samverka.modules.storage.backends import Storage
from samverka.modules.storage.errors import StorageError
from samverka.modules.storage.models import PendingKind, PendingObject
from samverka.modules.storage.uploads import StoredFile, save_upload
from samverka.modules.tenancy.models import Tenant
from samverka.web.transaction import after_commit

log = logging.getLogger(__name__)
#: How many records one sweep handles; the next run takes the rest.
SWEEP_BATCH = 500


def current_storage() -> Storage:
    """The app's configured store."""
    return current_app.extensions["samverka.storage"]


def _own_session() -> Session:
    """A short transaction of its own, so a record outlives the caller's rollback."""
    return Session(bind=backend().engine_for(None))


def _insert_upload(key: str) -> None:
    with _own_session() as session:
        exists = session.scalar(sa.select(PendingObject.id).where(PendingObject.key == key))
        if exists is None:
            session.add(PendingObject(key=key, kind=PendingKind.upload))
            session.commit()


def _claim_upload(key: str) -> None:
    """After the row's commit; if this fails the sweep finds the row and keeps the file."""
    try:
        with _own_session() as session:
            session.execute(
                sa.delete(PendingObject).where(
                    PendingObject.key == key, PendingObject.kind == PendingKind.upload
                )
            )
            session.commit()
    except sa.exc.SQLAlchemyError as exc:
        log.warning("could not clear a pending upload record: %s", type(exc).__name__)


def _record_after_rollback(key: str) -> None:
    try:
        _insert_upload(key)
    except sa.exc.SQLAlchemyError as exc:
        log.error("an uncommitted upload may be left in storage: %s", type(exc).__name__)


def _record_upload(key: str) -> None:
    """Note the key before its bytes are written, so an upload whose row never commits is found.

    On PostgreSQL the record is committed at once in its own transaction and survives anything
    that follows. SQLite allows one writer per file, and a connection that has read a file may
    not write it after another connection did: the request (which may already have written
    ``shared``) keeps the record in its own transaction and writes it afresh if that does not
    commit.
    """
    if backend().dialect == "postgresql":
        _insert_upload(key)
    else:
        db.session.add(PendingObject(key=key, kind=PendingKind.upload))
        db.session.flush()
        _after_rollback(lambda: _record_after_rollback(key))
    after_commit(lambda: _claim_upload(key))


_ROLLBACK_CALLBACKS = "storage_unless_committed"


def _after_rollback(callback: Callable[[], None]) -> None:
    """Run ``callback`` when the current transaction ends without committing (rollback, failed
    commit, or a session closed mid-way), after its connection has been released."""
    db.session().info.setdefault(_ROLLBACK_CALLBACKS, []).append(callback)


@sa.event.listens_for(Session, "after_commit")
def _forget_rollback_callbacks(session: Session) -> None:
    session.info.pop(_ROLLBACK_CALLBACKS, None)


@sa.event.listens_for(Session, "after_transaction_end")
def _run_rollback_callbacks(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        for callback in session.info.pop(_ROLLBACK_CALLBACKS, []):
            callback()


def upload_file(
    tenant_schema: str, module: str, filename: str, data: bytes, max_bytes: int
) -> StoredFile:
    """Store an upload that the current transaction claims when it commits its row.

    Raises ``FileRejected`` (Swedish message) for a file against the policy and
    ``StorageError`` when the store cannot take it; either way no row should be written.
    """
    return save_upload(
        current_storage(),
        tenant_schema,
        module,
        filename,
        data,
        max_bytes,
        before_write=_record_upload,
    )


def discard_file(key: str) -> None:
    """Delete a file whose row the current transaction removes, once that commit is done."""
    from samverka.modules.jobs.enqueue import enqueue_platform
    from samverka.modules.storage.tasks import sweep

    record = db.session.scalar(sa.select(PendingObject).where(PendingObject.key == key))
    if record is None:
        db.session.add(PendingObject(key=key, kind=PendingKind.delete))
    else:  # an upload record whose clearing failed after its commit
        record.kind = PendingKind.delete
    db.session.flush()
    enqueue_platform(sweep)


def _claimed(key: str) -> bool:
    """Whether a committed row in the key's tenant names this key (its ``storage_key``)."""
    schema = key.partition("/")[0]
    with _own_session() as session:
        known = session.scalar(sa.select(Tenant.id).where(Tenant.schema_name == schema))
    if known is None:  # a retired municipality: nothing can claim it any more
        return False
    tables = [
        table
        for table in Base.metadata.sorted_tables
        if not is_shared_table(table) and "storage_key" in table.c
    ]
    with Session(bind=backend().engine_for(schema)) as session:
        return any(
            session.scalar(sa.select(sa.literal(1)).where(table.c.storage_key == key).limit(1))
            for table in tables
        )


@dataclass
class SweepResult:
    deleted: int = 0
    failed: int = 0
    #: Recorded uploads still inside the grace period (their request may yet commit).
    waiting: int = 0


def sweep_pending(storage: Storage, grace: timedelta, now: datetime | None = None) -> SweepResult:
    """Delete every recorded delete and every upload older than ``grace`` that no row claimed.

    Each object is settled in its own transaction, so one the store refuses does not undo the
    others; it keeps its record and the next sweep tries again.
    """
    cutoff = (now or utcnow()) - grace
    settle = sa.or_(PendingObject.kind == PendingKind.delete, PendingObject.created_at < cutoff)
    with _own_session() as session:
        due = session.execute(
            sa.select(PendingObject.id, PendingObject.key, PendingObject.kind)
            .where(settle)
            .order_by(PendingObject.id)
            .limit(SWEEP_BATCH)
        ).all()
        waiting = session.scalar(
            sa.select(sa.func.count()).select_from(PendingObject).where(sa.not_(settle))
        )
    result = SweepResult(waiting=waiting or 0)
    for record_id, key, kind in due:
        try:
            if kind == PendingKind.upload and _claimed(key):
                change = sa.delete(PendingObject)  # committed after all; only the record goes
            else:
                storage.delete(key)
                result.deleted += 1
                change = sa.delete(PendingObject)
        except StorageError as exc:
            result.failed += 1
            log.warning("storage sweep: could not delete object %d yet: %s", record_id, exc)
            change = sa.update(PendingObject).values(attempts=PendingObject.attempts + 1)
        with _own_session() as session:
            session.execute(change.where(PendingObject.id == record_id))
            session.commit()
    return result
