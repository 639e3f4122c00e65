"""``samverka worker`` (RQ jobs in their tenant) and ``samverka scheduler`` (periodic tasks)."""

from __future__ import annotations

import os
import signal
import threading
from urllib.parse import urlsplit

import click
from flask import current_app

from samverka.cli_context import with_app
from samverka.modules.jobs.dispatch import QUEUE
from samverka.modules.jobs.runner import set_worker_app


def redis_location(url: str) -> str:
    """host:port/db of a Redis URL, without its password, for operator messages."""
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}:{parts.port or 6379}{parts.path or '/0'}"


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@with_app
def worker(burst: bool) -> None:
    """Run jobs from Redis (needs REDIS_URL)."""
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
    from rq import Worker

    settings = current_app.config["SETTINGS"]
    if not settings.redis_url:
        raise click.ClickException(
            "REDIS_URL is not set; on the embedded default jobs run in-process"
        )
    where = redis_location(settings.redis_url)
    connection = Redis.from_url(settings.redis_url, socket_connect_timeout=5)
    try:
        connection.ping()
    except (RedisConnectionError, RedisTimeoutError) as exc:
        raise click.ClickException(
            f"Redis at {where} does not answer ({type(exc).__name__}). Start Redis or correct "
            "REDIS_URL; queued jobs are kept in the database and run once a worker is up."
        ) from None
    app = current_app._get_current_object()
    set_worker_app(app)
    backend = app.extensions["samverka.backend"]
    # Pools must not cross fork: the work horse drops inherited connections without closing them.
    os.register_at_fork(after_in_child=lambda: backend.dispose(close=False))
    try:
        # No RQ scheduler: it would be a child process left running if this one is killed.
        # Retries go straight back to the queue; periodic work is `samverka scheduler`'s.
        Worker([QUEUE], connection=connection).work(burst=burst, with_scheduler=False)
    except (RedisConnectionError, RedisTimeoutError) as exc:
        raise click.ClickException(
            f"Lost Redis at {where} ({type(exc).__name__}). Jobs are kept in the database; "
            "restart the worker when Redis is back."
        ) from None


@click.command("scheduler")
@click.option("--once", is_flag=True, help="Fire what is due now, then stop.")
@with_app
def scheduler(once: bool) -> None:
    """Fire periodic tasks (reminders, nightly aggregates, the job reconciler) each slot."""
    from samverka.modules.jobs import scheduler as loop
    from samverka.modules.jobs.periodic import periodic_tasks

    app = current_app._get_current_object()
    if once:
        fired = loop.tick(app)
        click.echo(f"Fired: {', '.join(fired) or 'nothing due'}")
        return
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    click.echo(f"Scheduler running: {', '.join(spec.task for spec in periodic_tasks())}")
    loop.run(app, stop)
    click.echo("Scheduler stopped.")
