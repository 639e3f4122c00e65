"""Where jobs go after commit: RQ on Redis, or in-process on the embedded default."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from flask import Flask, current_app, flash, has_request_context
from flask_babel import lazy_gettext as _l

from samverka.db.base import utcnow
from samverka.modules.jobs.status import update_record

log = logging.getLogger(__name__)
QUEUE = "samverka"
#: Shown on the job page while the queue cannot be reached; the reconciler sends the job later.
WAITING_FOR_QUEUE = _l("Jobbkön går inte att nå just nu. Jobbet startar när den är tillbaka.")
#: RQ states in which the queue still holds the job.
LIVE_STATES = frozenset({"queued", "started", "scheduled", "deferred"})


class InlineDispatcher:
    """Runs jobs in this process: synchronously (tests) or on one background thread (demo)."""

    def __init__(self, app: Flask, threaded: bool) -> None:
        self.app = app
        self.executor = (
            ThreadPoolExecutor(1, thread_name_prefix="samverka-job") if threaded else None
        )
        self._pending: set[str] = set()
        self._lock = threading.Lock()

    def _run(self, job_id: str) -> None:
        from samverka.modules.jobs.runner import run_in_app

        try:
            run_in_app(self.app, job_id)
        finally:
            with self._lock:
                self._pending.discard(job_id)

    def dispatch(self, job_id: str) -> None:
        with self._lock:
            self._pending.add(job_id)
        if self.executor is None:
            self._run(job_id)
        else:
            self.executor.submit(self._run, job_id)

    def state(self, job_id: str) -> str | None:
        """ "queued" while this process holds the job; None once it is gone (or never came)."""
        with self._lock:
            return "queued" if job_id in self._pending else None

    def cancel(self, job_id: str) -> None:
        """Nothing to take back: a cancelled record is skipped when its turn comes."""


class RQDispatcher:
    """Pushes job ids to Redis; `samverka worker` runs them."""

    def __init__(self, redis_url: str, max_attempts: int) -> None:
        from redis import Redis
        from rq import Queue

        # Short timeouts: a request that enqueues must not hang on an unreachable Redis.
        self.connection = Redis.from_url(redis_url, socket_connect_timeout=3, socket_timeout=5)
        self.queue = Queue(QUEUE, connection=self.connection)
        self.max_attempts = max_attempts

    def _fetch(self, job_id: str) -> Any:
        from rq.exceptions import NoSuchJobError
        from rq.job import Job

        try:
            return Job.fetch(job_id, connection=self.connection)
        except NoSuchJobError:
            return None

    def dispatch(self, job_id: str) -> None:
        from rq import Retry

        old = self._fetch(job_id)
        if old is not None:  # sent again: drop the dead entry from RQ's registries first
            old.delete()
        retries = self.max_attempts - 1
        self.queue.enqueue(
            "samverka.modules.jobs.runner.execute",
            job_id,
            job_id=job_id,
            retry=Retry(max=retries) if retries else None,
            job_timeout=1800,
            result_ttl=3600,
            failure_ttl=30 * 24 * 3600,
        )

    def state(self, job_id: str) -> str | None:
        """RQ's status of the job, or None if Redis no longer knows it."""
        job = self._fetch(job_id)
        if job is None:
            return None
        status = job.get_status(refresh=False)
        return str(getattr(status, "value", status)) if status is not None else None

    def cancel(self, job_id: str) -> None:
        job = self._fetch(job_id)
        if job is not None and job.get_status(refresh=False) != "started":
            job.delete()


def dispatch_now(job_id: str) -> bool:
    """Hand a committed job to the queue; if the queue is away, keep the record for later.

    Never raises: the request or run that enqueued has committed and must still succeed.
    """
    dispatcher = current_app.extensions["samverka.jobs"]
    update_record(job_id, dispatched_at=utcnow())
    try:
        dispatcher.dispatch(job_id)
    except Exception as exc:  # Redis away: the reconciler dispatches it when it is back
        log.warning(
            "job %s could not be queued (%s); it is kept and sent when the queue is back",
            job_id,
            type(exc).__name__,
        )
        update_record(job_id, dispatched_at=None, message=str(WAITING_FOR_QUEUE))
        if has_request_context():  # the next page says so too, next to "it is started"
            flash(str(WAITING_FOR_QUEUE), "warning")
        return False
    return True


def init_app(app: Flask) -> None:
    settings = app.config["SETTINGS"]
    if settings.redis_url:
        dispatcher: InlineDispatcher | RQDispatcher = RQDispatcher(
            settings.redis_url, settings.job_max_attempts
        )
    else:
        dispatcher = InlineDispatcher(app, threaded=not app.config.get("JOBS_SYNCHRONOUS", False))
    app.extensions["samverka.jobs"] = dispatcher
