"""Jobs: progress the starter can follow, bounded retries, failures kept; RQ or in-process."""

from __future__ import annotations

import json
import re

import pytest

from samverka.modules.jobs.registry import task
from tests.fixtures.jobs import run_queued_jobs

SEEN: dict[str, object] = {}
CALLS: list[str] = []


@task("tests.count_in_steps")
def count_in_steps(ctx, steps: int) -> None:
    """Report progress, and note what another session sees halfway."""
    from samverka.modules.jobs.models import JobRecord
    from samverka.modules.jobs.runner import _status_session

    ctx.progress(50, "Halvvägs")
    with _status_session() as session:
        record = session.get(JobRecord, ctx.job_id)
        SEEN["halfway"] = (record.status.value, record.progress, record.message)
    ctx.progress(100, f"{steps} steg klara")


@task("tests.always_fails")
def always_fails(ctx, marker: str) -> None:
    CALLS.append(marker)
    raise ValueError(f"no row for personnummer 19121212-1212 ({marker})")


def _start(app, tenant, fn, *args, user=None):
    from samverka.extensions import db
    from samverka.modules.jobs.enqueue import enqueue_for_tenant

    with app.app_context():
        job_id = enqueue_for_tenant(tenant("amal"), fn, *args, user_id=user.id if user else None).id
        db.session.commit()
    run_queued_jobs(app)
    return job_id


def _record(app, job_id):
    from samverka.extensions import db
    from samverka.modules.jobs.models import JobRecord

    with app.app_context():
        return db.session.get(JobRecord, job_id)


def test_progress_is_visible_while_the_job_runs_and_on_the_starters_page(
    app, tenant, create_user, login
):
    starter = create_user(municipalities={"amal": "coordinator"})
    job_id = _start(app, tenant, count_in_steps, 3, user=starter)

    assert SEEN["halfway"] == ("running", 50, "Halvvägs")
    record = _record(app, job_id)
    assert (record.status.value, record.progress, record.message) == (
        "finished",
        100,
        "3 steg klara",
    )
    page = login(starter).get(f"/jobb/{job_id}").get_data(as_text=True)
    assert "3 steg klara" in page and 'value="100"' in page
    assert job_id in login(starter).get("/jobb").get_data(as_text=True)


def test_another_user_cannot_see_someone_elses_job(app, tenant, create_user, login):
    starter = create_user(municipalities={"amal": "coordinator"})
    other = create_user(municipalities={"amal": "coordinator"})
    job_id = _start(app, tenant, count_in_steps, 1, user=starter)

    assert login(other).get(f"/jobb/{job_id}").status_code == 404
    assert login(other).get(f"/api/jobs/{job_id}").status_code == 404


def test_a_failing_job_is_retried_a_bounded_number_of_times_then_kept(
    app, tenant, create_user, login, caplog
):
    CALLS.clear()
    admin = create_user(platform_admin=True)
    job_id = _start(app, tenant, always_fails, "x")

    attempts = app.config["SETTINGS"].job_max_attempts
    assert ["x"] * attempts == CALLS
    record = _record(app, job_id)
    assert record.status.value == "failed"
    assert record.attempts == attempts
    assert record.error == f"ValueError (fel-id {record.error_ref})"
    assert record.finished_at is not None
    failed_page = login(admin).get("/admin/jobb?visa=failed").get_data(as_text=True)
    assert job_id in failed_page


def test_a_failed_jobs_stored_error_names_the_type_and_log_line_not_the_values(
    app, tenant, create_user, login, caplog
):
    """The message of an exception may quote row values; the record keeps type and error id."""
    admin = create_user(platform_admin=True)
    job_id = _start(app, tenant, always_fails, "z")

    record = _record(app, job_id)
    assert "19121212" not in record.error and "personnummer" not in record.error
    assert record.error.startswith("ValueError (fel-id ")
    failure_lines = [r.getMessage() for r in caplog.records if "error_id=" in r.getMessage()]
    assert any(f"error_id={record.error_ref}" in line for line in failure_lines)
    assert not any("19121212" in line for line in failure_lines)
    page = login(admin).get(f"/jobb/{job_id}").get_data(as_text=True)
    assert record.error_ref in page and "19121212" not in page


@pytest.mark.redis
def test_on_redis_nothing_runs_until_a_worker_takes_the_job(app, tenant):
    from samverka.extensions import db
    from samverka.modules.jobs.enqueue import enqueue_for_tenant

    with app.app_context():
        job_id = enqueue_for_tenant(tenant("amal"), count_in_steps, 2).id
        db.session.commit()
    assert _record(app, job_id).status.value == "queued"
    run_queued_jobs(app)
    assert _record(app, job_id).status.value == "finished"


def test_an_admin_can_run_a_failed_job_again_and_others_cannot(app, tenant, create_user, login):
    from tests.conftest import csrf_token

    CALLS.clear()
    admin = create_user(platform_admin=True)
    starter = create_user(municipalities={"amal": "coordinator"})
    job_id = _start(app, tenant, always_fails, "y", user=starter)
    attempts = app.config["SETTINGS"].job_max_attempts
    assert len(CALLS) == attempts

    owner = login(starter)
    refused = owner.post(
        f"/admin/jobb/{job_id}/kor-igen", data={"csrf_token": csrf_token(owner, "/konto")}
    )
    assert refused.status_code == 403
    client = login(admin)
    assert client.post(f"/admin/jobb/{job_id}/kor-igen").status_code == 400  # no CSRF token
    assert len(CALLS) == attempts

    token = csrf_token(client, f"/jobb/{job_id}")
    response = client.post(f"/admin/jobb/{job_id}/kor-igen", data={"csrf_token": token})
    assert response.status_code == 302
    run_queued_jobs(app)
    assert len(CALLS) == 2 * attempts
    assert _record(app, job_id).attempts == attempts


def test_the_job_page_labels_its_states_in_swedish_for_the_poller(app, tenant, create_user, login):
    starter = create_user(municipalities={"amal": "coordinator"})
    job_id = _start(app, tenant, count_in_steps, 1, user=starter)

    page = login(starter).get(f"/jobb/{job_id}").get_data(as_text=True)
    labels = json.loads(re.search(r"data-labels='([^']*)'", page).group(1))
    assert labels["retrying"] == "Försöker igen" and labels["finished"] == "Klart"


def test_a_task_without_a_label_is_never_shown_by_its_internal_name(
    app, tenant, create_user, login
):
    starter = create_user(municipalities={"amal": "member"})
    job_id = _start(app, tenant, count_in_steps, 2, user=starter)
    client = login(starter)
    for url in ("/jobb", f"/jobb/{job_id}"):
        html = client.get(url).get_data(as_text=True)
        assert "tests.count_in_steps" not in html and "Bakgrundsjobb" in html


@pytest.mark.parametrize(
    "path",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        "x/y",
        "/ok\nSet-Cookie: a=b",
        None,
    ],
)
def test_a_return_path_must_be_a_relative_path_on_this_site(path):
    from samverka.modules.jobs.registry import is_same_site_path

    assert not is_same_site_path(path)
    assert is_same_site_path("/r/vastra-gotalandsregionen/forumaktivitet")


def test_the_admin_job_page_shows_no_internal_task_names(app, tenant, create_user, login):
    admin = create_user(platform_admin=True)
    _start(app, tenant, always_fails, "y")
    html = login(admin).get("/admin/jobb?visa=failed").get_data(as_text=True)
    assert "Bakgrundsjobb" in html and "tests.always_fails" not in html


def test_every_task_of_the_platform_has_a_swedish_label(app):
    """The job pages show the label; a task added without one would read "Bakgrundsjobb"."""
    from samverka.modules.jobs import registry

    platform_tasks = [n for n in registry._TASKS if not n.startswith("tests.")]
    assert platform_tasks
    assert all(registry._TASKS[n].label for n in platform_tasks), platform_tasks
