"""Where jobs go after commit: RQ on Redis, or in-process on the embedded default."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from flask import Flask

log = logging.getLogger(__name__)
QUEUE = "samverka"


class InlineDispatcher:
    """Runs jobs in this process: synchronously (tests) or on one background thread (demo)."""

    def __init__(self, app: Flask, threaded: bool) -> None:
        self.app = app
        self.executor = (
            ThreadPoolExecutor(1, thread_name_prefix="samverka-job") if threaded else None
        )

    def dispatch(self, job_id: str) -> None:
        from samverka.modules.jobs.runner import run_in_app

        if self.executor is None:
            run_in_app(self.app, job_id)
        else:
            self.executor.submit(run_in_app, self.app, job_id)


class RQDispatcher:
    """Pushes job ids to Redis; `samverka worker` runs them."""

    def __init__(self, redis_url: str, max_attempts: int) -> None:
        from redis import Redis
        from rq import Queue

        self.connection = Redis.from_url(redis_url)
        self.queue = Queue(QUEUE, connection=self.connection)
        self.max_attempts = max_attempts

    def dispatch(self, job_id: str) -> None:
        from rq import Retry

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


def init_app(app: Flask) -> None:
    settings = app.config["SETTINGS"]
    if settings.redis_url:
        dispatcher = RQDispatcher(settings.redis_url, settings.job_max_attempts)
    else:
        dispatcher = InlineDispatcher(app, threaded=not app.config.get("JOBS_SYNCHRONOUS", False))
    app.extensions["samverka.jobs"] = dispatcher
