"""Storage jobs: the sweep that deletes objects whose rows are gone or never committed."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from samverka.modules.jobs.periodic import periodic
from samverka.modules.jobs.registry import task


@task("storage.sweep", tenant_scoped=False, label=_l("Städa bort kvarlämnade filer"))
def sweep(ctx: object) -> None:
    """Delete pending objects; fail (and so be retried) while the store refuses some."""
    from samverka.modules.storage.lifecycle import current_storage, sweep_pending

    grace = timedelta(minutes=current_app.config["SETTINGS"].storage_grace_minutes)
    result = sweep_pending(current_storage(), grace)
    if result.failed:
        raise RuntimeError(f"{result.failed} stored objects could not be deleted yet")


periodic("storage.sweep", every=timedelta(minutes=10))
