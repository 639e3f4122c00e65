"""The one way to start a job: a record in shared, dispatched only after commit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app

from samverka.extensions import db
from samverka.modules.jobs.dispatch import dispatch_now
from samverka.modules.jobs.models import JobRecord
from samverka.modules.jobs.registry import get_task, task_name
from samverka.modules.jobs.status import JobRefused
from samverka.modules.tenancy.models import Tenant
from samverka.web.transaction import after_commit

__all__ = ["JobRefused", "dispatch_after_commit", "enqueue_for_tenant", "enqueue_platform"]


def _check_ids(ids: tuple[Any, ...]) -> list[Any]:
    for value in ids:
        if not isinstance(value, int | str) or isinstance(value, bool):
            raise TypeError("jobs take ids (int or str), not objects")
    return list(ids)


def _record(
    name: str, tenant: Tenant | None, ids: tuple[Any, ...], user_id: int | None
) -> JobRecord:
    settings = current_app.config["SETTINGS"]
    record = JobRecord(
        task=name,
        tenant_id=tenant.id if tenant else None,
        args=_check_ids(ids),
        user_id=user_id,
        max_attempts=settings.job_max_attempts,
    )
    db.session.add(record)
    db.session.flush()
    dispatch_after_commit(record.id)
    return record


def dispatch_after_commit(job_id: str) -> None:
    """Hand a job to the queue once the transaction that saved its record commits.

    If the queue cannot be reached the record stays queued and the reconciler sends it later.
    """
    after_commit(lambda: dispatch_now(job_id))


def enqueue_for_tenant(
    tenant: Tenant | None, fn: Callable[..., Any] | str, *ids: Any, user_id: int | None = None
) -> JobRecord:
    """Queue a tenant job; it runs after the current transaction commits, bound to ``tenant``."""
    name = task_name(fn)
    spec = get_task(name)
    if not spec.tenant_scoped:
        raise JobRefused(f"{name} is not a tenant task; use enqueue_platform")
    if tenant is None or tenant.schema_name is None:
        raise JobRefused(f"{name} needs a municipality to run in")
    return _record(name, tenant, ids, user_id)


def enqueue_platform(
    fn: Callable[..., Any] | str, *ids: Any, user_id: int | None = None
) -> JobRecord:
    """Queue a platform or region job that touches the shared schema (and fans out per tenant)."""
    name = task_name(fn)
    if get_task(name).tenant_scoped:
        raise JobRefused(f"{name} is a tenant task; use enqueue_for_tenant")
    return _record(name, None, ids, user_id)
