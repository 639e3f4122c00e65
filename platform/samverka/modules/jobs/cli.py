"""``samverka worker``: an RQ worker that runs jobs in their tenant."""

from __future__ import annotations

import os

import click
from flask import current_app

from samverka.cli_context import with_app
from samverka.modules.jobs.dispatch import QUEUE
from samverka.modules.jobs.runner import set_worker_app


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@with_app
def worker(burst: bool) -> None:
    """Run jobs from Redis (needs REDIS_URL)."""
    from redis import Redis
    from rq import Worker

    settings = current_app.config["SETTINGS"]
    if not settings.redis_url:
        raise click.ClickException(
            "REDIS_URL is not set; on the embedded default jobs run in-process"
        )
    app = current_app._get_current_object()
    set_worker_app(app)
    backend = app.extensions["samverka.backend"]
    # Pools must not cross fork: the work horse drops inherited connections without closing them.
    os.register_at_fork(after_in_child=lambda: backend.dispose(close=False))
    connection = Redis.from_url(settings.redis_url)
    Worker([QUEUE], connection=connection).work(burst=burst, with_scheduler=True)
