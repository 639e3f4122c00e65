"""Bring job records and the queue back in line, so that no job stays queued or running forever.

A record is the truth users see; the queue only carries ids. The reconciler looks at every
unfinished record and at what the queue knows of it:

- never handed to the queue (Redis was away when it was enqueued) → sent now;
- queued, but the queue has lost it → sent again;
- the queue gave up on it (failed, stopped) or it runs without a heartbeat for too long (its
  worker was killed) → sent again while attempts remain, otherwise failed with a reason.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from samverka.db.base import utcnow
from samverka.modules.jobs.dispatch import LIVE_STATES, dispatch_now
from samverka.modules.jobs.models import JobRecord, JobStatus
from samverka.modules.jobs.runner import stale_after
from samverka.modules.jobs.status import status_session, transition

log = logging.getLogger(__name__)
#: A record younger than this may still be on its way to the queue from its own request.
DISPATCH_GRACE = timedelta(seconds=30)
OPEN = {JobStatus.queued, JobStatus.retrying, JobStatus.running}


@dataclass
class ReconcileReport:
    dispatched: list[str] = field(default_factory=list)
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    #: The queue could not be reached; nothing more was checked this round.
    queue_unreachable: bool = False


def _open_records() -> list[JobRecord]:
    with status_session() as session:
        records = list(
            session.scalars(
                sa.select(JobRecord)
                .where(JobRecord.status.in_(OPEN))
                .order_by(JobRecord.created_at)
            )
        )
        session.expunge_all()
    return records


def _problem(record: JobRecord, state: str | None, now: datetime) -> str | None:
    """Why this dispatched record needs help, or None if the queue has it in hand."""
    if record.status == JobStatus.running:
        if record.is_stale(now, stale_after(current_app)):
            return _("Jobbet slutade svara (ingen livstecken från arbetsprocessen).")
        if state is not None and state not in LIVE_STATES and state != "finished":
            return _("Arbetsprocessen avbröts medan jobbet pågick.")
        return None
    if state is None:
        return _("Jobbet försvann ur kön.")
    if state in LIVE_STATES:
        return None
    return _("Kön gav upp jobbet utan att det blev klart.")


def _recover(record: JobRecord, reason: str, report: ReconcileReport) -> None:
    if record.attempts < record.max_attempts:
        if transition(record.id, {record.status}, status=JobStatus.queued, message=reason):
            log.warning("job %s (%s) sent again: %s", record.id, record.task, reason)
            dispatch_now(record.id)
            report.requeued.append(record.id)
        return
    if transition(
        record.id,
        {record.status},
        status=JobStatus.failed,
        error=reason,
        error_ref=None,
        finished_at=utcnow(),
    ):
        log.warning("job %s (%s) failed: %s", record.id, record.task, reason)
        report.failed.append(record.id)


def reconcile(now: datetime | None = None) -> ReconcileReport:
    """Check every unfinished job once; safe to run often and from two processes."""
    now = now or utcnow()
    dispatcher = current_app.extensions["samverka.jobs"]
    report = ReconcileReport()
    with force_locale("sv"):
        for record in _open_records():
            if record.dispatched_at is None and record.status != JobStatus.running:
                if record.created_at < now - DISPATCH_GRACE:
                    if not dispatch_now(record.id):
                        report.queue_unreachable = True
                        return report
                    report.dispatched.append(record.id)
                continue
            if record.dispatched_at is not None and record.dispatched_at > now - DISPATCH_GRACE:
                continue  # just handed over; the queue may not show it yet
            try:
                state = dispatcher.state(record.id)
            except Exception as exc:  # Redis away: try again next round
                log.warning("reconciler cannot reach the queue: %s", type(exc).__name__)
                report.queue_unreachable = True
                return report
            reason = _problem(record, state, now)
            if reason is not None:
                _recover(record, reason, report)
    return report
