"""Job records are written in their own short transactions, apart from the job's own work."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from samverka.db.session import backend
from samverka.modules.jobs.models import JobRecord, JobStatus


class JobRefused(RuntimeError):
    """A job that must not run: a tenant task without a tenant, or a tenant not active."""


class JobCancelled(JobRefused):
    """An admin cancelled the job while it ran; its open transaction is rolled back."""


def status_session() -> Session:
    """Status lives in its own short transactions, so progress shows while the job works."""
    return Session(bind=backend().engine_for(None), expire_on_commit=False)


def update_record(job_id: str, **values: object) -> JobRecord:
    with status_session() as session:
        record = session.get(JobRecord, job_id)
        if record is None:
            raise JobRefused(f"job {job_id} does not exist")
        for key, value in values.items():
            setattr(record, key, value)
        session.commit()
        return record


def transition(job_id: str, expected: set[JobStatus], **values: Any) -> bool:
    """Change a record only if its status is still one of ``expected`` (two reconcilers, a
    worker finishing at the same time); True if this call made the change."""
    with status_session() as session:
        result = session.execute(
            sa.update(JobRecord)
            .where(JobRecord.id == job_id, JobRecord.status.in_(expected))
            .values(**values)
        )
        session.commit()
        return result.rowcount == 1
