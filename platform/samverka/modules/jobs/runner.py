"""Run one job record: bind its tenant, report progress, retry a bounded number of times."""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy.orm import Session

from samverka.db.base import utcnow
from samverka.db.session import backend, bind_schema
from samverka.extensions import db
from samverka.modules.jobs.enqueue import JobRefused
from samverka.modules.jobs.models import JobRecord, JobStatus
from samverka.modules.jobs.registry import get_task
from samverka.modules.tenancy.models import Tenant

log = logging.getLogger(__name__)


def _status_session() -> Session:
    """Status lives in its own short transactions, so progress shows while the job works."""
    return Session(bind=backend().engine_for(None), expire_on_commit=False)


def _update(job_id: str, **values: object) -> JobRecord:
    with _status_session() as session:
        record = session.get(JobRecord, job_id)
        if record is None:
            raise JobRefused(f"job {job_id} does not exist")
        for key, value in values.items():
            setattr(record, key, value)
        session.commit()
        return record


@dataclass
class JobContext:
    """What a job function gets besides its ids."""

    job_id: str
    tenant: Tenant | None
    user_id: int | None

    def progress(self, percent: int, message: str | None = None) -> None:
        _update(self.job_id, progress=max(0, min(100, int(percent))), message=message)


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


def run_once(job_id: str) -> JobRecord:
    """Run a job one time inside the current app; raise on failure after recording it."""
    with _status_session() as session:
        record = session.get(JobRecord, job_id)
        if record is None:
            raise JobRefused(f"job {job_id} does not exist")
        session.expunge(record)
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
    _update(job_id, status=JobStatus.running, attempts=attempts, started_at=utcnow())
    bind_schema(db.session, tenant.schema_name if tenant else None)
    try:
        spec.fn(JobContext(job_id, tenant, record.user_id), *record.args)
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        final = attempts >= record.max_attempts
        log.warning(
            "job %s (%s) failed, attempt %d of %d: %s",
            job_id,
            record.task,
            attempts,
            record.max_attempts,
            type(exc).__name__,
        )
        _update(
            job_id,
            status=JobStatus.failed if final else JobStatus.retrying,
            error="".join(traceback.format_exception_only(exc)).strip()[:4000],
            finished_at=utcnow() if final else None,
        )
        raise
    return _update(
        job_id, status=JobStatus.finished, progress=100, finished_at=utcnow(), error=None
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
                if record is None or record.status == JobStatus.failed:
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
