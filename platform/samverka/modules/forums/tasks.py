"""Forum jobs: run by the worker (or in-process), found by name through the registry."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l

from samverka.modules.jobs.periodic import periodic
from samverka.modules.jobs.registry import task


@task("forums.send_reminders", tenant_scoped=False, label=_l("Skicka påminnelser"))
def send_reminders(ctx: object) -> None:
    """Write and send due meeting and action reminders in every active municipality."""
    from samverka.modules.forums.reminders import send_all

    run = send_all()
    if run.failed:  # the job is retried; municipalities already done are not reminded twice
        raise RuntimeError(f"reminders failed for: {', '.join(run.failed)}")


periodic("forums.send_reminders", every=timedelta(minutes=15))
