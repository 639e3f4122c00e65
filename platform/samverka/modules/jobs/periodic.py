"""Periodic work, declared once in code and fired by one scheduler per slot.

A slot is one period's start (every 15 minutes: 10:00, 10:15 …; daily: the day, from its hour
on, in Swedish local time). Firing claims ``periodic:<name>:<slot>`` in ``shared.done_once`` in
the same transaction that enqueues the job, so two schedulers never fire the same slot twice,
and a scheduler that was down catches up with the current slot when it starts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from samverka.clock import local
from samverka.db.base import utcnow
from samverka.extensions import db
from samverka.modules.jobs.once import claim_in

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicTask:
    #: A registered task name, enqueued as a platform job each slot.
    task: str
    every: timedelta | None = None
    #: Daily at this local time (instead of ``every``).
    daily_at: time | None = None
    #: Run in the scheduler process itself instead of through the queue (the reconciler, which
    #: must work while the queue is away).
    inline: Callable[[], Any] | None = None

    def slot(self, now: datetime) -> str | None:
        """The current slot's key part, or None before a daily task's first hour of the day."""
        if self.every is not None:
            step = int(self.every.total_seconds())
            start = int(now.timestamp()) // step * step
            return datetime.fromtimestamp(start, now.tzinfo).isoformat(timespec="minutes")
        assert self.daily_at is not None
        today = local(now)
        if today.time() < self.daily_at:
            return None
        return today.date().isoformat()


_PERIODIC: dict[str, PeriodicTask] = {}


def periodic(
    task: str,
    *,
    every: timedelta | None = None,
    daily_at: time | None = None,
    inline: Callable[[], Any] | None = None,
) -> PeriodicTask:
    """Declare ``task`` as periodic: every ``every`` or daily at ``daily_at`` (local time)."""
    if (every is None) == (daily_at is None):
        raise ValueError("give exactly one of every= and daily_at=")
    spec = PeriodicTask(task, every, daily_at, inline)
    _PERIODIC[task] = spec
    return spec


def periodic_tasks() -> list[PeriodicTask]:
    return sorted(_PERIODIC.values(), key=lambda spec: spec.task)


def fire_due(now: datetime | None = None) -> list[str]:
    """Fire every periodic task whose current slot nobody has fired yet; returns their names."""
    from samverka.modules.jobs.enqueue import enqueue_platform

    now = now or utcnow()
    fired = []
    for spec in periodic_tasks():
        slot = spec.slot(now)
        if slot is None:
            continue
        try:
            if not claim_in(db.session, f"periodic:{spec.task}:{slot}"):
                db.session.rollback()
                continue
            if spec.inline is None:
                enqueue_platform(spec.task)
            db.session.commit()
        except Exception as exc:  # one task's trouble never stops the others
            db.session.rollback()
            log.warning("periodic %s not fired: %s", spec.task, type(exc).__name__)
            continue
        fired.append(spec.task)
        if spec.inline is not None:
            try:
                spec.inline()
            except Exception as exc:
                log.warning("periodic %s failed: %s", spec.task, type(exc).__name__)
    return fired
