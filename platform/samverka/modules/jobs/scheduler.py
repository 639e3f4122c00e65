"""One loop that fires the periodic tasks: ``samverka scheduler``, or a thread in the demo."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from flask import Flask

from samverka.extensions import db
from samverka.modules.jobs.once import keep_for, prune_all
from samverka.modules.jobs.periodic import fire_due

log = logging.getLogger(__name__)
TICK_SECONDS = 20.0
#: Periodic slot keys are kept this long; an older slot is never fired again anyway.
keep_for("periodic:", timedelta(days=7))


def tick(app: Flask) -> list[str]:
    """Fire what is due now; never raises (the loop must outlive a database hiccup)."""
    with app.app_context():
        try:
            fired = fire_due()
            prune_all()
            return fired
        except Exception as exc:
            log.warning("scheduler tick failed: %s", type(exc).__name__)
            return []
        finally:
            db.session.remove()


def run(app: Flask, stop: threading.Event, tick_seconds: float = TICK_SECONDS) -> None:
    """Tick until ``stop`` is set."""
    while not stop.is_set():
        for name in tick(app):
            log.info("periodic %s fired", name)
        stop.wait(tick_seconds)


class InProcessScheduler:
    """The demo's scheduler: a daemon thread in the web process."""

    def __init__(self, app: Flask, tick_seconds: float = TICK_SECONDS) -> None:
        self.stopped = threading.Event()
        self.thread = threading.Thread(
            target=run,
            args=(app, self.stopped, tick_seconds),
            name="samverka-scheduler",
            daemon=True,
        )
        self.thread.start()

    def stop(self, timeout: float = 30) -> None:
        self.stopped.set()
        self.thread.join(timeout)


def start_in_process(app: Flask) -> InProcessScheduler:
    return InProcessScheduler(app)
