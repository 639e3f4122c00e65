"""Job records in a chosen state, and tasks the job tests share (also imported by a worker)."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from samverka.modules.jobs.registry import task

NOTED: list[str] = []


@task("tests.note", tenant_scoped=False)
def note(ctx, marker: str) -> None:
    NOTED.append(marker)


@task("tests.block_until_released", tenant_scoped=False)
def block_until_released(ctx, directory: str) -> None:
    """Say it started, then wait (bounded) for the test to release it."""
    folder = Path(directory)
    if (folder / "release").exists():
        return
    (folder / "started").touch()
    deadline = time.monotonic() + 120
    while not (folder / "release").exists() and time.monotonic() < deadline:
        time.sleep(0.05)


def make_record(app, task_name: str = "tests.note", args=("x",), **values):
    """A platform job record as the queue left it: ``status``, times ``ago`` … (no dispatch)."""
    from samverka.db.base import utcnow
    from samverka.extensions import db
    from samverka.modules.jobs.models import JobRecord, JobStatus

    ago = values.pop("ago", None)
    with app.app_context():
        now = utcnow()
        long_ago = now - timedelta(hours=1)
        record = JobRecord(task=task_name, args=list(args), max_attempts=3)
        record.created_at = long_ago
        record.dispatched_at = long_ago
        status = values.pop("status", JobStatus.queued)
        record.status = JobStatus(status)
        if record.status == JobStatus.running:
            record.started_at = record.heartbeat_at = now - (ago or timedelta(seconds=1))
            record.attempts = 1
        for key, value in values.items():
            setattr(record, key, value)
        db.session.add(record)
        db.session.commit()
        return record.id


def get_record(app, job_id: str):
    from samverka.extensions import db
    from samverka.modules.jobs.models import JobRecord

    with app.app_context():
        record = db.session.get(JobRecord, job_id)
        db.session.expunge_all()
        return record


def reconcile_later(app, minutes: int = 10):
    """Run the reconciler as it would run ``minutes`` from now."""
    from samverka.db.base import utcnow
    from samverka.modules.jobs.reconcile import reconcile

    with app.app_context():
        return reconcile(utcnow() + timedelta(minutes=minutes))
