"""A tenant job runs in its tenant and only there; a tenant job without a tenant is refused."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from samverka.modules.audit.models import AuditEvent
from samverka.modules.jobs.registry import task
from tests.fixtures.jobs import run_queued_jobs
from tests.isolation.conftest import SECRETS


@task("tests.read_audit_summary")
def read_audit_summary(ctx, event_id: int) -> None:
    """Report what this tenant's row ``event_id`` says, through the job's progress message."""
    from samverka.extensions import db

    summary = db.session.scalar(sa.select(AuditEvent.summary).where(AuditEvent.id == event_id))
    ctx.progress(100, summary)


def _job(app, job_id):
    from samverka.extensions import db
    from samverka.modules.jobs.models import JobRecord

    with app.app_context():
        return db.session.get(JobRecord, job_id)


def test_jobs_for_two_tenants_each_read_their_own_row(app, tenant, seeded):
    from samverka.extensions import db
    from samverka.modules.jobs.enqueue import enqueue_for_tenant

    ids = {}
    with app.app_context():
        for slug in SECRETS:
            ids[slug] = enqueue_for_tenant(tenant(slug), read_audit_summary, 1).id
        db.session.commit()
    run_queued_jobs(app)
    for slug, secret in SECRETS.items():
        record = _job(app, ids[slug])
        assert record.status.value == "finished", record.error
        assert record.message == secret


def test_enqueueing_a_tenant_job_without_a_tenant_is_refused(app):
    from samverka.modules.jobs.enqueue import JobRefused, enqueue_for_tenant

    with app.app_context(), pytest.raises(JobRefused):
        enqueue_for_tenant(None, read_audit_summary, 1)


def test_worker_refuses_a_tenant_job_record_that_names_no_tenant(app, seeded):
    """Even a record forged past the wrapper never runs unbound (no fallback to shared)."""
    from samverka.extensions import db
    from samverka.modules.jobs.enqueue import JobRefused
    from samverka.modules.jobs.models import JobRecord
    from samverka.modules.jobs.runner import run_once

    with app.app_context():
        record = JobRecord(task="tests.read_audit_summary", tenant_id=None, args=[1])
        db.session.add(record)
        db.session.commit()
        job_id = record.id
        with pytest.raises(JobRefused):
            run_once(job_id)
    record = _job(app, job_id)
    assert record.status.value == "failed"
    assert "names no tenant" in record.error
    assert record.message is None


def test_job_is_not_dispatched_when_its_transaction_rolls_back(app, tenant, seeded):
    from samverka.extensions import db
    from samverka.modules.jobs.enqueue import enqueue_for_tenant
    from samverka.modules.jobs.models import JobRecord

    with app.app_context():
        enqueue_for_tenant(tenant("amal"), read_audit_summary, 1)
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(JobRecord)) == 0
    run_queued_jobs(app)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(JobRecord)) == 0
