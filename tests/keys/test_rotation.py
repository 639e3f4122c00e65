"""Key rotation re-encrypts old rows in a resumable job; destroying a municipality's keys shreds it."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from tests.fixtures.jobs import run_queued_jobs
from tests.keys.conftest import AMAL, BENGTSFORS, keys_cli, raw_values

TEXTS = [f"Beslut {n} om eleven" for n in range(5)]


def _seed(make_forum, in_tenant, slug: str = "amal") -> list[int]:
    from samverka.modules.forums.models import Decision

    meeting_id = make_forum(slug, members=[("Anna Rektor", "school", None)], past=1, future=0)[
        "meeting_ids"
    ][0]
    with in_tenant(slug) as session:
        rows = [Decision(meeting_id=meeting_id, text=t) for t in TEXTS]
        session.add_all(rows)
        session.commit()
        return [r.id for r in rows]


def _versions(app, table: str, column: str, schema: str = AMAL) -> set[str]:
    return {v.split(":", 1)[0] for v in raw_values(app, schema, table, column) if v}


def _texts(in_tenant, slug: str = "amal") -> list[str]:
    from samverka.modules.forums.models import Decision

    with in_tenant(slug) as session:
        return [d.text for d in session.scalars(sa.select(Decision).order_by(Decision.id))]


def _current_versions(app) -> dict[str, int]:
    from samverka.modules.keys.models import TenantKey
    from samverka.modules.tenancy.queries import tenant_by_slug

    with app.app_context():
        from samverka.extensions import db

        tenant_id = tenant_by_slug("amal").id
        rows = db.session.execute(
            sa.select(TenantKey.purpose, sa.func.max(TenantKey.version))
            .where(TenantKey.tenant_id == tenant_id)
            .group_by(TenantKey.purpose)
        ).all()
        return dict(rows)


def test_rotate_makes_new_writes_use_the_new_version_and_reencrypts_old_rows(
    app, make_forum, in_tenant
):
    from samverka.modules.forums.models import Decision
    from samverka.modules.forums.queries import members_with_email
    from samverka.modules.jobs.models import JobRecord, JobStatus

    ids = _seed(make_forum, in_tenant)
    old = _current_versions(app)["data"]
    assert _versions(app, "decisions", "text") == {f"sv{old}"}

    result = keys_cli(app, ["rotate", "amal"])
    assert result.exit_code == 0, result.output
    run_queued_jobs(app)
    new = old + 1
    assert _current_versions(app) == {"data": new, "lookup": new}
    assert _versions(app, "decisions", "text") == {f"sv{new}"}
    assert _versions(app, "forum_members", "name") == {f"sv{new}"}
    assert _versions(app, "forum_members", "email_lookup") == {str(new)}
    assert _texts(in_tenant) == TEXTS
    with in_tenant("amal") as session:
        assert [m.name for m in members_with_email("0@example.se")] == ["Anna Rektor"]
        session.add(Decision(meeting_id=session.get(Decision, ids[0]).meeting_id, text="Ny"))
        session.commit()
    assert _versions(app, "decisions", "text") == {f"sv{new}"}
    with app.app_context():
        from samverka.extensions import db

        job = db.session.scalars(
            sa.select(JobRecord).where(JobRecord.task == "keys.reencrypt")
        ).one()
        assert job.status == JobStatus.finished and job.progress == 100


def test_interrupted_reencryption_resumes_and_encrypts_nothing_twice(
    app, make_forum, in_tenant, monkeypatch
):
    from samverka.db import crypto
    from samverka.db.session import tenant_session
    from samverka.modules.keys import operations as ops
    from samverka.modules.keys import reencrypt as job
    from samverka.modules.tenancy.queries import tenant_by_slug

    _seed(make_forum, in_tenant)
    with app.app_context():
        from samverka.extensions import db

        new = ops.rotate(db.session, tenant_by_slug("amal"))
        db.session.commit()

    def interrupt(done: int, total: int) -> None:
        # As if the worker was stopped right after the first batch of decisions was committed.
        if any(v.startswith(f"sv{new}:") for v in raw_values(app, AMAL, "decisions", "text")):
            raise KeyboardInterrupt

    with app.app_context(), tenant_session(AMAL) as session, pytest.raises(KeyboardInterrupt):
        job.reencrypt(session, crypto.tenant_keys(AMAL), on_batch=interrupt, batch=2)
    halfway = raw_values(app, AMAL, "decisions", "text")
    assert sum(v.startswith(f"sv{new}:") for v in halfway) == 2
    assert _texts(in_tenant) == TEXTS  # old and new versions are both readable meanwhile

    with app.app_context(), tenant_session(AMAL) as session:
        assert job.pending(session, crypto.tenant_keys(AMAL)) > 0
        job.reencrypt(session, crypto.tenant_keys(AMAL), batch=2)
        assert job.pending(session, crypto.tenant_keys(AMAL)) == 0
    after = raw_values(app, AMAL, "decisions", "text")
    assert all(v.startswith(f"sv{new}:") for v in after)
    assert after[:2] == halfway[:2]  # rows done before the interruption were not touched again
    assert _texts(in_tenant) == TEXTS


def test_job_retried_after_failure_completes_the_rotation(app, make_forum, in_tenant, monkeypatch):
    from samverka.modules.jobs.models import JobRecord, JobStatus
    from samverka.modules.keys import reencrypt as job

    _seed(make_forum, in_tenant)
    real = job._convert
    calls = {"n": 0}

    def flaky(row, spec, keys_):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("worker lost")
        return real(row, spec, keys_)

    monkeypatch.setattr(job, "_convert", flaky)
    monkeypatch.setattr(job, "BATCH", 2)
    monkeypatch.setattr(job.reencrypt, "__defaults__", (None, 2))
    assert keys_cli(app, ["rotate", "amal"]).exit_code == 0
    run_queued_jobs(app)
    new = _current_versions(app)["data"]
    assert _versions(app, "decisions", "text") == {f"sv{new}"}
    assert _texts(in_tenant) == TEXTS
    with app.app_context():
        from samverka.extensions import db

        record = db.session.scalars(
            sa.select(JobRecord).where(JobRecord.task == "keys.reencrypt")
        ).one()
        assert record.status == JobStatus.finished and record.attempts == 2


def test_destroyed_keys_make_the_municipality_unreadable_but_not_its_neighbours(
    app, make_forum, in_tenant
):
    from samverka.db.crypto import KeyUnavailable

    _seed(make_forum, in_tenant, "amal")
    _seed(make_forum, in_tenant, "bengtsfors")
    exported = keys_cli(app, ["export", "amal"])
    assert exported.exit_code == 0 and json.loads(exported.output)["tenant"] == "amal"
    try:
        assert keys_cli(app, ["destroy", "amal"]).exit_code != 0  # needs --yes
        assert keys_cli(app, ["destroy", "amal", "--yes"]).exit_code == 0
        with pytest.raises(KeyUnavailable):
            _texts(in_tenant, "amal")
        assert _texts(in_tenant, "bengtsfors") == TEXTS
        assert raw_values(app, AMAL, "decisions", "text")  # the rows are there, unreadable
    finally:
        restored = keys_cli(app, ["import", "amal"], input=exported.output)
        assert restored.exit_code == 0, restored.output
    assert _texts(in_tenant, "amal") == TEXTS
    assert _versions(app, "decisions", "text", BENGTSFORS)


def test_keys_of_one_municipality_cannot_be_imported_into_another(app):

    exported = keys_cli(app, ["export", "amal"]).output
    result = keys_cli(app, ["import", "bengtsfors"], input=exported)
    assert result.exit_code != 0 and "amal" in result.output


def test_rotate_unknown_municipality_is_refused(app):

    result = keys_cli(app, ["rotate", "atlantis"])
    assert result.exit_code != 0 and "ingen kommun" in result.output
