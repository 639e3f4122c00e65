"""The reconciler: no job stays queued or running forever, whatever happened to the queue."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from tests.fixtures.jobs import run_queued_jobs
from tests.jobs.helpers import NOTED, get_record, make_record, note, reconcile_later


def test_a_running_job_whose_heartbeat_stopped_is_sent_again_and_finishes(app):
    NOTED.clear()
    job_id = make_record(app, args=["again"], status="running", ago=timedelta(minutes=20))

    report = reconcile_later(app, minutes=0)
    run_queued_jobs(app)

    assert report.requeued == [job_id]
    record = get_record(app, job_id)
    assert record.status.value == "finished" and record.attempts == 2
    assert NOTED == ["again"]


def test_a_stuck_job_without_attempts_left_is_failed_with_a_reason(app):
    job_id = make_record(app, status="running", ago=timedelta(minutes=20), attempts=3)

    report = reconcile_later(app, minutes=0)

    assert report.failed == [job_id]
    record = get_record(app, job_id)
    assert record.status.value == "failed" and record.finished_at is not None
    assert "slutade svara" in record.error


def test_a_running_job_with_a_fresh_heartbeat_is_left_alone(app):
    NOTED.clear()
    job_id = make_record(app, status="running", ago=timedelta(seconds=5))

    report = reconcile_later(app, minutes=0)

    assert (report.requeued, report.failed) == ([], [])
    assert get_record(app, job_id).status.value == "running"
    assert NOTED == []


def test_a_queued_job_the_queue_has_lost_is_sent_again(app):
    """The record says queued and handed over an hour ago, but the queue does not know it."""
    NOTED.clear()
    job_id = make_record(app, args=["lost"])

    report = reconcile_later(app, minutes=0)
    run_queued_jobs(app)

    assert report.requeued == [job_id]
    assert get_record(app, job_id).status.value == "finished"
    assert NOTED == ["lost"]


def test_a_job_never_handed_to_the_queue_is_dispatched(app):
    NOTED.clear()
    job_id = make_record(app, args=["late"], dispatched_at=None)

    report = reconcile_later(app, minutes=0)
    run_queued_jobs(app)

    assert report.dispatched == [job_id]
    assert get_record(app, job_id).status.value == "finished"


def test_the_heartbeat_is_renewed_while_a_long_job_runs(app, monkeypatch):
    from samverka.extensions import db
    from samverka.modules.jobs.enqueue import enqueue_platform
    from samverka.modules.jobs.registry import task

    beats: list[bool] = []

    @task("tests.wait_for_a_heartbeat", tenant_scoped=False)
    def wait_for_a_heartbeat(ctx) -> None:
        first = get_record(app, ctx.job_id).heartbeat_at
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if get_record(app, ctx.job_id).heartbeat_at > first:
                beats.append(True)
                return
            time.sleep(0.02)

    monkeypatch.setitem(app.config, "JOBS_HEARTBEAT_SECONDS", 0.05)
    with app.app_context():
        job_id = enqueue_platform(wait_for_a_heartbeat).id
        db.session.commit()
    run_queued_jobs(app)

    assert beats == [True]
    assert get_record(app, job_id).status.value == "finished"


@pytest.mark.redis
def test_a_job_rq_marked_failed_while_the_record_says_running_is_sent_again(app):
    """RQ marks a job failed when its work horse is killed; the record must not stay running."""
    from rq.job import Job

    from samverka.extensions import db
    from samverka.modules.jobs.enqueue import enqueue_platform
    from samverka.modules.jobs.models import JobStatus
    from samverka.modules.jobs.status import update_record

    NOTED.clear()
    with app.app_context():
        job_id = enqueue_platform(note, "horse").id
        db.session.commit()
        dispatcher = app.extensions["samverka.jobs"]
        Job.fetch(job_id, connection=dispatcher.connection).set_status("failed")
        old = get_record(app, job_id).created_at - timedelta(hours=1)
        update_record(job_id, status=JobStatus.running, attempts=1, dispatched_at=old)

    report = reconcile_later(app, minutes=0)
    run_queued_jobs(app)

    assert report.requeued == [job_id]
    assert get_record(app, job_id).status.value == "finished"
    assert NOTED == ["horse"]


@pytest.mark.redis
def test_a_job_enqueued_while_redis_is_unreachable_is_kept_and_dispatched_later(
    app, create_user, login, monkeypatch
):
    """The request that enqueued succeeds and says so; the reconciler sends the job later."""
    from samverka.modules.jobs.dispatch import RQDispatcher
    from tests.conftest import csrf_token
    from tests.fixtures.faults import CuttableProxy, target_of

    settings = app.config["SETTINGS"]
    proxy = CuttableProxy(target_of(settings.redis_url))
    try:
        dispatcher = RQDispatcher(proxy.url_for(settings.redis_url), settings.job_max_attempts)
        monkeypatch.setitem(app.extensions, "samverka.jobs", dispatcher)
        analyst = create_user(regions={"vastra-gotalandsregionen": "analyst"})
        client = login(analyst)
        page = "/r/vastra-gotalandsregionen/forumaktivitet"
        token = csrf_token(client, page)
        proxy.cut()

        response = client.post(f"{page}/rakna-om", data={"csrf_token": token})

        assert response.status_code == 302
        job_id = response.headers["Location"].rsplit("/", 1)[1]
        job_page = client.get(f"/jobb/{job_id}").get_data(as_text=True)
        assert "Köat" in job_page and job_page.count("Jobbkön går inte att nå just nu") == 2
        assert get_record(app, job_id).dispatched_at is None
        assert reconcile_later(app).queue_unreachable

        proxy.restore()
        report = reconcile_later(app)
        assert report.dispatched == [job_id]
        run_queued_jobs(app)
        assert get_record(app, job_id).status.value == "finished"
    finally:
        proxy.close()
