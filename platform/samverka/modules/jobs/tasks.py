"""The jobs module's own periodic work: the reconciler, run in the scheduler process."""

from __future__ import annotations

from datetime import timedelta

from samverka.modules.jobs.periodic import periodic


def _reconcile() -> None:
    from samverka.modules.jobs.reconcile import reconcile

    reconcile()


periodic("jobs.reconcile", every=timedelta(minutes=1), inline=_reconcile)
