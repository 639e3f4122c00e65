"""What an admin may do with a job: run it again or cancel it, in whatever state it is stuck."""

from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _

from samverka.db.base import utcnow
from samverka.modules.jobs.enqueue import dispatch_after_commit
from samverka.modules.jobs.models import JobRecord, JobStatus
from samverka.modules.jobs.runner import stale_after
from samverka.web.transaction import after_commit

log = logging.getLogger(__name__)


class JobStateConflict(Exception):
    """The job's state does not allow this; the message says why, in Swedish."""


def is_stale(record: JobRecord, now: datetime | None = None) -> bool:
    return record.is_stale(now or utcnow(), stale_after(current_app))


def can_retry(record: JobRecord, now: datetime | None = None) -> bool:
    """Everything but a finished job and one that is running with a live worker."""
    if record.status == JobStatus.finished:
        return False
    return record.status != JobStatus.running or is_stale(record, now)


def can_cancel(record: JobRecord) -> bool:
    return not record.done


def retry(record: JobRecord) -> None:
    """Start the job afresh with all its attempts; it is sent to the queue after commit."""
    if record.status == JobStatus.finished:
        raise JobStateConflict(_("Jobbet är redan klart och körs inte igen."))
    if not can_retry(record):
        raise JobStateConflict(_("Jobbet pågår. Avbryt det först om det ska köras om."))
    record.status, record.attempts, record.progress = JobStatus.queued, 0, 0
    record.error = record.error_ref = record.message = None
    record.started_at = record.heartbeat_at = record.finished_at = None
    dispatch_after_commit(record.id)


def cancel(record: JobRecord) -> None:
    """Stop the job: it is taken off the queue, and a running one stops at its next progress."""
    if not can_cancel(record):
        raise JobStateConflict(_("Jobbet är redan avslutat."))
    record.status = JobStatus.cancelled
    record.finished_at = utcnow()
    record.message = _("Avbrutet av en administratör.")
    dispatcher = current_app.extensions["samverka.jobs"]
    job_id = record.id

    def take_off_queue() -> None:
        try:
            dispatcher.cancel(job_id)
        except Exception as exc:  # the record says cancelled; the worker skips it either way
            log.warning("job %s not taken off the queue: %s", job_id, type(exc).__name__)

    after_commit(take_off_queue)
