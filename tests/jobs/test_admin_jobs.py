"""The admin's job page: every unfinished state listed, retry and cancel where they make sense."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import csrf_token
from tests.fixtures.jobs import run_queued_jobs
from tests.jobs.helpers import NOTED, get_record, make_record

STATES = {
    "queued": {"status": "queued"},
    "running": {"status": "running", "ago": timedelta(seconds=5)},
    "stale": {"status": "running", "ago": timedelta(minutes=30)},
    "failed": {"status": "failed", "attempts": 3, "error": "ValueError (fel-id abc)"},
    "cancelled": {"status": "cancelled"},
    "finished": {"status": "finished"},
}


def _post(client, job_id: str, action: str):
    token = csrf_token(client, f"/jobb/{job_id}")
    return client.post(f"/admin/jobb/{job_id}/{action}", data={"csrf_token": token})


@pytest.mark.parametrize("state", ["queued", "running", "stale", "failed", "cancelled"])
def test_the_admin_page_lists_each_state_under_its_filter(app, create_user, login, state):
    admin = login(create_user(platform_admin=True))
    job_id = make_record(app, **STATES[state])

    assert job_id in admin.get(f"/admin/jobb?visa={state}").get_data(as_text=True)
    others = [name for name in STATES if name not in {state, "finished"}]
    for other in others:
        assert job_id not in admin.get(f"/admin/jobb?visa={other}").get_data(as_text=True)


def test_a_stale_job_is_labelled_as_stuck(app, create_user, login):
    admin = login(create_user(platform_admin=True))
    job_id = make_record(app, **STATES["stale"])

    assert "Har fastnat" in admin.get(f"/jobb/{job_id}").get_data(as_text=True)


@pytest.mark.parametrize("state", ["queued", "stale", "failed", "cancelled"])
def test_an_admin_can_run_a_job_again_from_each_stuck_state(app, create_user, login, state):
    NOTED.clear()
    admin = login(create_user(platform_admin=True))
    job_id = make_record(app, args=[state], **STATES[state])

    response = _post(admin, job_id, "kor-igen")
    run_queued_jobs(app)

    assert response.status_code == 302
    record = get_record(app, job_id)
    assert record.status.value == "finished" and record.error is None
    assert [state] == NOTED


@pytest.mark.parametrize("state", ["running", "finished"])
def test_a_live_or_finished_job_is_not_run_again(app, create_user, login, state):
    NOTED.clear()
    admin = login(create_user(platform_admin=True))
    job_id = make_record(app, **STATES[state])

    assert _post(admin, job_id, "kor-igen").status_code == 409
    assert get_record(app, job_id).status.value == STATES[state]["status"]
    assert NOTED == []


@pytest.mark.parametrize("state", ["queued", "running", "stale"])
def test_an_admin_can_cancel_an_unfinished_job_and_it_never_runs(app, create_user, login, state):
    NOTED.clear()
    admin = login(create_user(platform_admin=True))
    job_id = make_record(app, **STATES[state])

    assert _post(admin, job_id, "avbryt").status_code == 302
    with app.app_context():  # a copy still in the queue is skipped when its turn comes
        from samverka.modules.jobs.dispatch import dispatch_now

        dispatch_now(job_id)
    run_queued_jobs(app)

    record = get_record(app, job_id)
    assert record.status.value == "cancelled" and NOTED == []
    assert "Avbrutet" in admin.get(f"/jobb/{job_id}").get_data(as_text=True)


@pytest.mark.parametrize("state", ["failed", "cancelled", "finished"])
def test_a_job_that_has_ended_cannot_be_cancelled(app, create_user, login, state):
    admin = login(create_user(platform_admin=True))
    job_id = make_record(app, **STATES[state])

    assert _post(admin, job_id, "avbryt").status_code == 409


def test_a_running_job_stops_at_its_next_progress_report_once_cancelled(app, create_user, login):
    from samverka.extensions import db
    from samverka.modules.jobs.enqueue import enqueue_platform
    from samverka.modules.jobs.models import JobStatus
    from samverka.modules.jobs.registry import task
    from samverka.modules.jobs.status import update_record

    reached: list[int] = []

    @task("tests.cancelled_half_way", tenant_scoped=False)
    def cancelled_half_way(ctx) -> None:
        ctx.progress(10)
        reached.append(10)
        update_record(ctx.job_id, status=JobStatus.cancelled)  # as the admin's click would
        ctx.progress(50)
        reached.append(50)

    with app.app_context():
        job_id = enqueue_platform(cancelled_half_way).id
        db.session.commit()
    run_queued_jobs(app)

    assert reached == [10]
    assert get_record(app, job_id).status.value == "cancelled"


@pytest.mark.parametrize("action", ["kor-igen", "avbryt"])
def test_retry_and_cancel_are_for_admins_only_and_need_a_csrf_token(
    app, create_user, login, action
):
    job_id = make_record(app, **STATES["failed"])
    coordinator = login(create_user(municipalities={"amal": "coordinator"}))
    token = csrf_token(coordinator, "/konto")

    assert (
        coordinator.post(f"/admin/jobb/{job_id}/{action}", data={"csrf_token": token}).status_code
        == 403
    )
    assert coordinator.get("/admin/jobb").status_code == 403
    admin = login(create_user(platform_admin=True))
    assert admin.post(f"/admin/jobb/{job_id}/{action}").status_code == 400
    assert get_record(app, job_id).status.value == "failed"


def test_unknown_jobs_and_filters_are_404(app, create_user, login):
    admin = login(create_user(platform_admin=True))
    token = csrf_token(admin, "/konto")

    assert (
        admin.post("/admin/jobb/no-such-job/avbryt", data={"csrf_token": token}).status_code == 404
    )
    assert (
        admin.post("/admin/jobb/no-such-job/kor-igen", data={"csrf_token": token}).status_code
        == 404
    )
    assert admin.get("/admin/jobb?visa=everything").status_code == 404
