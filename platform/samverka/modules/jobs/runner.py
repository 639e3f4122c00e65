"""Run one job record: bind its tenant, report progress and heartbeats, retry a bounded number
of times; a failure is stored as its exception type and an error id, never its message."""

from __future__ import annotations

import logging
import threading
import traceback
import uuid
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy.orm import Session

from samverka.db.base import utcnow
from samverka.db.session import bind_schema
from samverka.extensions import db
from samverka.modules.jobs.models import JobRecord, JobStatus
from samverka.modules.jobs.registry import get_task
from samverka.modules.jobs.status import (
    JobCancelled,
    JobRefused,
    status_session,
    update_record,
)
from samverka.modules.tenancy.models import Tenant

log = logging.getLogger(__name__)
#: How often a running job says it is alive, and when a silent one counts as stuck.
HEARTBEAT_SECONDS = 30
STALE_SECONDS = 300


def heartbeat_interval(app: Flask) -> float:
    return float(app.config.get("JOBS_HEARTBEAT_SECONDS", HEARTBEAT_SECONDS))


def stale_after(app: Flask) -> timedelta:
    return timedelta(seconds=app.config.get("JOBS_STALE_SECONDS", STALE_SECONDS))


def _status_session() -> Session:
    return status_session()


def _update(job_id: str, **values: object) -> JobRecord:
    return update_record(job_id, **values)


@dataclass
class JobContext:
    """What a job function gets besides its ids."""

    job_id: str
    tenant: Tenant | None
    user_id: int | None

    def progress(self, percent: int, message: str | None = None) -> None:
        """Report progress; raises JobCancelled if an admin cancelled the job meanwhile."""
        record = _update(
            self.job_id,
            progress=max(0, min(100, int(percent))),
            message=message,
            heartbeat_at=utcnow(),
        )
        if record.status == JobStatus.cancelled:
            raise JobCancelled(f"job {self.job_id} was cancelled")


class _Heartbeat:
    """A daemon thread renewing ``heartbeat_at`` while the job function runs."""

    def __init__(self, app: Flask, job_id: str) -> None:
        self.app, self.job_id = app, job_id
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name="samverka-heartbeat", daemon=True)

    def _beat(self) -> None:
        interval = heartbeat_interval(self.app)
        while not self.stopped.wait(interval):
            try:
                with self.app.app_context():
                    _update(self.job_id, heartbeat_at=utcnow())
            except Exception as exc:  # a missed beat is not the job's failure
                log.warning("heartbeat of job %s failed: %s", self.job_id, type(exc).__name__)

    def __enter__(self) -> _Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)


def _tenant_for(record: JobRecord, tenant_scoped: bool) -> Tenant | None:
    if not tenant_scoped:
        return None
    if record.tenant_id is None:
        raise JobRefused(f"{record.task} is a tenant task but the job names no tenant")
    with _status_session() as session:  # keep the job's own session free of open reads
        tenant = session.get(Tenant, record.tenant_id)
    if tenant is None or not tenant.active or tenant.schema_name is None:
        raise JobRefused(f"{record.task}: tenant {record.tenant_id} is not an active municipality")
    return tenant


def _should_skip(record: JobRecord, app: Flask) -> bool:
    """A job sent twice runs once: skip it if it is done, cancelled or alive elsewhere."""
    if record.done:
        return True
    return record.status == JobStatus.running and not record.is_stale(utcnow(), stale_after(app))


def stored_error(exc: BaseException) -> tuple[str, str]:
    """(error, error id): the exception's type only, since its message may quote row values."""
    ref = uuid.uuid4().hex[:12]
    return f"{type(exc).__name__} (fel-id {ref})", ref


def _stack(exc: BaseException) -> str:
    """Where it failed (files, lines, functions), without source lines or the message."""
    frames = traceback.extract_tb(exc.__traceback__)
    return "\n".join(f"  {f.filename}:{f.lineno} in {f.name}" for f in frames)


def run_once(job_id: str) -> JobRecord:
    """Run a job one time inside the current app; raise on failure after recording it."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with _status_session() as session:
        record = session.get(JobRecord, job_id)
        if record is None:
            raise JobRefused(f"job {job_id} does not exist")
        session.expunge(record)
    if _should_skip(record, app):
        log.info("job %s skipped: it is %s", job_id, record.status.value)
        return record
    try:
        spec = get_task(record.task)
        tenant = _tenant_for(record, spec.tenant_scoped)
    except (JobRefused, LookupError) as exc:
        _update(
            job_id,
            status=JobStatus.failed,
            error=str(exc),
            finished_at=utcnow(),
            attempts=record.attempts + 1,
        )
        raise JobRefused(str(exc)) from exc
    attempts = record.attempts + 1
    now = utcnow()
    _update(
        job_id,
        status=JobStatus.running,
        attempts=attempts,
        started_at=now,
        heartbeat_at=now,
        message=None,
    )
    bind_schema(db.session, tenant.schema_name if tenant else None)
    try:
        with _Heartbeat(app, job_id):
            spec.fn(JobContext(job_id, tenant, record.user_id), *record.args)
            db.session.commit()
    except JobCancelled:
        db.session.rollback()
        log.info("job %s (%s) stopped: cancelled", job_id, record.task)
        raise
    except Exception as exc:
        db.session.rollback()
        final = attempts >= record.max_attempts
        error, ref = stored_error(exc)
        # The log line carries the error id and where it failed; neither the message nor values.
        log.warning(
            "job %s (%s) failed, attempt %d of %d: %s error_id=%s\n%s",
            job_id,
            record.task,
            attempts,
            record.max_attempts,
            type(exc).__name__,
            ref,
            _stack(exc),
        )
        _update(
            job_id,
            status=JobStatus.failed if final else JobStatus.retrying,
            error=error,
            error_ref=ref,
            finished_at=utcnow() if final else None,
        )
        raise
    return _update(
        job_id,
        status=JobStatus.finished,
        progress=100,
        finished_at=utcnow(),
        error=None,
        error_ref=None,
    )


def run_in_app(app: Flask, job_id: str) -> None:
    """In-process execution: a fresh app context per attempt, retried up to max attempts."""
    while True:
        with app.app_context():
            try:
                run_once(job_id)
                return
            except JobRefused:
                return
            except Exception:
                record = db.session.get(JobRecord, job_id)
                if record is None or record.status != JobStatus.retrying:
                    return
            finally:
                db.session.remove()


_worker_app: Flask | None = None


def set_worker_app(app: Flask) -> None:
    """The worker creates its app once, at start, never at import."""
    global _worker_app
    _worker_app = app


def execute(job_id: str) -> None:
    """RQ entry point: run in the worker's app; RQ's Retry re-queues on failure."""
    app = _worker_app or current_app._get_current_object()  # type: ignore[attr-defined]
    with app.app_context():
        try:
            run_once(job_id)
        except JobRefused as exc:
            log.warning("job %s refused: %s", job_id, exc)  # recorded as failed; no retry helps
        finally:
            db.session.remove()
