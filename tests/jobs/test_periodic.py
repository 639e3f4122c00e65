"""Periodic work: declared once, fired once per slot however many schedulers run."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.fixtures.jobs import run_queued_jobs


def _jobs(app, task: str) -> int:
    from samverka.extensions import db
    from samverka.modules.jobs.models import JobRecord

    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count()).select_from(JobRecord).where(JobRecord.task == task)
        )


def test_reminders_aggregates_and_the_reconciler_are_declared_periodic(app):
    from samverka.modules.jobs.periodic import periodic_tasks

    declared = {spec.task: spec for spec in periodic_tasks()}
    assert declared["forums.send_reminders"].every == timedelta(minutes=15)
    assert declared["region.compute_forum_activity"].daily_at is not None
    assert declared["jobs.reconcile"].inline is not None


def test_two_schedulers_fire_a_slot_once_and_the_next_slot_again(app):
    from samverka.modules.jobs.periodic import fire_due

    slot = datetime(2026, 12, 1, 10, 3, tzinfo=UTC)
    with app.app_context():
        first = fire_due(slot)
        second = fire_due(slot + timedelta(minutes=5))  # same 15-minute slot, other scheduler
        third = fire_due(slot + timedelta(minutes=15))
    run_queued_jobs(app)

    assert "forums.send_reminders" in first
    assert "forums.send_reminders" not in second
    assert "forums.send_reminders" in third
    assert _jobs(app, "forums.send_reminders") == 2


def test_the_nightly_aggregate_waits_for_its_hour_and_then_runs_once_that_day(app):
    from samverka.modules.jobs.periodic import fire_due

    evening_before = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)  # 00:30 in Sweden
    with app.app_context():
        assert "region.compute_forum_activity" not in fire_due(evening_before)
        night = evening_before + timedelta(hours=2)  # 02:30 in Sweden
        assert "region.compute_forum_activity" in fire_due(night)
        assert "region.compute_forum_activity" not in fire_due(night + timedelta(hours=8))
    run_queued_jobs(app)
    assert _jobs(app, "region.compute_forum_activity") == 1


@pytest.mark.pg
def test_schedulers_firing_at_the_same_moment_enqueue_once(app):
    """Two processes' ticks at once: the unique key lets exactly one through."""
    from samverka.extensions import db
    from samverka.modules.jobs.periodic import fire_due

    slot = datetime(2026, 12, 1, 11, 1, tzinfo=UTC)
    barrier = threading.Barrier(2)
    fired: list[list[str]] = []

    def scheduler() -> None:
        with app.app_context():
            barrier.wait(timeout=30)
            fired.append(fire_due(slot))
            db.session.remove()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    run_queued_jobs(app)

    assert sum("forums.send_reminders" in names for names in fired) == 1
    assert _jobs(app, "forums.send_reminders") == 1


def test_the_scheduler_command_fires_what_is_due(app, runner):
    from samverka.cli import cli

    with app.app_context():
        result = runner.invoke(cli, ["scheduler", "--once"])
    run_queued_jobs(app)

    assert result.exit_code == 0, result.output
    assert "forums.send_reminders" in result.output
    assert _jobs(app, "forums.send_reminders") == 1


def test_the_demos_in_process_scheduler_fires_the_reminders(app):
    import time

    from samverka.modules.jobs.scheduler import start_in_process

    scheduler = start_in_process(app)
    try:
        deadline = time.monotonic() + 60
        while _jobs(app, "forums.send_reminders") == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        scheduler.stop()
    assert _jobs(app, "forums.send_reminders") >= 1


def test_old_done_once_keys_are_pruned_and_recent_ones_kept(app):
    from samverka.db.base import utcnow
    from samverka.extensions import db
    from samverka.modules.jobs.models import DoneOnce
    from samverka.modules.jobs.once import claim_now, prune_all

    with app.app_context():
        db.session.add(DoneOnce(key="periodic:old:slot", done_at=utcnow() - timedelta(days=30)))
        db.session.add(DoneOnce(key="outbox:old:1", done_at=utcnow() - timedelta(days=90)))
        db.session.commit()
        assert claim_now("periodic:new:slot")
        assert prune_all() == 2
        assert not claim_now("periodic:new:slot")
        assert claim_now("periodic:old:slot")
