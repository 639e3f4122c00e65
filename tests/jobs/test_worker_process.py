"""A real worker process: killed mid-job, killed while idle, started with Redis away."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fixtures.jobs import run_queued_jobs
from tests.jobs.helpers import block_until_released, get_record, note, reconcile_later

ROOT = Path(__file__).resolve().parents[2]
BOUND = 60  # seconds any wait below may take at most


def _wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + BOUND
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def _start_worker(settings, log) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url or "",
        "REDIS_URL": settings.redis_url,
        "SAMVERKA_DATA_DIR": str(settings.data_dir),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "platform"), str(ROOT)]),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "tests.jobs.worker_main"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in {"Z", "X"}


def _enqueue(app, fn, *args) -> str:
    from samverka.extensions import db
    from samverka.modules.jobs.enqueue import enqueue_platform

    with app.app_context():
        job_id = enqueue_platform(fn, *args).id
        db.session.commit()
    return job_id


@pytest.mark.redis
def test_a_job_whose_worker_was_killed_is_reconciled_and_runs_again(app, tmp_path):
    settings = app.config["SETTINGS"]
    log = (tmp_path / "worker.log").open("w")
    worker = _start_worker(settings, log)
    horses: list[int] = []
    try:
        job_id = _enqueue(app, block_until_released, str(tmp_path))
        _wait_for(lambda: (tmp_path / "started").exists(), "the job to start")
        _wait_for(lambda: get_record(app, job_id).status.value == "running", "status running")
        horses = _children(worker.pid)  # RQ puts its work horse in a session of its own
        for pid in [worker.pid, *horses]:  # kill -9 of everything, as when the host dies
            os.kill(pid, signal.SIGKILL)
        worker.wait(timeout=BOUND)
        _wait_for(lambda: all(_gone(pid) for pid in horses), "the work horse to die")
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=BOUND)
        log.close()
    assert get_record(app, job_id).status.value == "running"  # nothing else will change it

    report = reconcile_later(app)

    assert report.requeued == [job_id]
    record = get_record(app, job_id)
    assert record.status.value == "queued" and "slutade svara" in record.message
    (tmp_path / "release").touch()
    run_queued_jobs(app)
    record = get_record(app, job_id)
    assert record.status.value == "finished" and record.attempts == 2


@pytest.mark.redis
def test_killing_the_worker_leaves_no_child_process_running(app, tmp_path):
    """Today's RQ scheduler ran as a child of the worker and outlived a kill -9 of it."""
    settings = app.config["SETTINGS"]
    log = (tmp_path / "worker.log").open("w")
    worker = _start_worker(settings, log)
    children: list[int] = []
    try:
        job_id = _enqueue(app, note, "alive")
        _wait_for(lambda: get_record(app, job_id).status.value == "finished", "a job to run")
        children = _children(worker.pid)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=BOUND)
        deadline = time.monotonic() + 10
        while not all(_gone(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = [pid for pid in children if not _gone(pid)]
    finally:
        for pid in children:
            if not _gone(pid):
                os.kill(pid, signal.SIGKILL)
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=BOUND)
        log.close()
    assert left == []


def test_the_worker_says_briefly_that_redis_is_away_and_exits_non_zero(app, monkeypatch):
    import socket

    from samverka.cli import cli

    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]  # closed again below: nothing listens there
    settings = app.config["SETTINGS"].replace(redis_url=f"redis://:secret@127.0.0.1:{port}/1")
    monkeypatch.setitem(app.config, "SETTINGS", settings)
    with app.app_context():
        result = app.test_cli_runner().invoke(cli, ["worker"])

    assert result.exit_code == 1
    assert f"Redis at 127.0.0.1:{port}/1 does not answer" in result.output
    assert "Traceback" not in result.output and "secret" not in result.output
    assert len(result.output.strip().splitlines()) <= 3
