"""Create, rotate, destroy, export and import a municipality's wrapped keys (shared schema)."""

from __future__ import annotations

import base64
import os
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from samverka.db import crypto
from samverka.db.base import utcnow
from samverka.modules.keys.models import TenantKey
from samverka.modules.tenancy.models import Tenant

PURPOSES = (crypto.DATA, crypto.LOOKUP)


class KeyOwner(NamedTuple):
    """What key operations need of a tenant, detached from any session."""

    id: int
    slug: str
    schema_name: str | None


def _versions(session: Session, tenant: Tenant | KeyOwner) -> dict[str, list[int]]:
    rows = session.execute(
        sa.select(TenantKey.purpose, TenantKey.version).where(TenantKey.tenant_id == tenant.id)
    ).all()
    found: dict[str, list[int]] = {}
    for purpose, version in rows:
        found.setdefault(purpose, []).append(version)
    return found


def _add_version(session: Session, tenant: Tenant | KeyOwner, purpose: str, version: int) -> None:
    raw = os.urandom(32)
    session.add(
        TenantKey(
            tenant_id=tenant.id,
            purpose=purpose,
            version=version,
            wrapped=crypto.wrap_key(raw, tenant.slug, purpose, version),
        )
    )


def _refresh(session: Session, tenant: Tenant | KeyOwner) -> None:
    """Reload this process's cached keys from the session (which sees the new, unsaved rows)."""
    session.flush()
    crypto.invalidate(tenant.schema_name)
    if tenant.schema_name:
        token = crypto.use_schema(None)
        try:
            crypto.activate(session, tenant.schema_name)
        finally:
            crypto.reset_schema(token)


def ensure_keys(session: Session, tenant: Tenant | KeyOwner) -> bool:
    """Give a municipality its first data and look-up keys; return whether any were made."""
    if tenant.schema_name is None:
        return False
    existing = _versions(session, tenant)
    made = False
    for purpose in PURPOSES:
        if not existing.get(purpose):
            _add_version(session, tenant, purpose, 1)
            made = True
    if made:
        _refresh(session, tenant)
    return made


def rotate(session: Session, tenant: Tenant | KeyOwner) -> int:
    """Add a new version of both keys; new writes use it at once. Returns the data key version."""
    existing = _versions(session, tenant)
    version = max((v for vs in existing.values() for v in vs), default=0) + 1
    for purpose in PURPOSES:
        _add_version(session, tenant, purpose, version)
    _refresh(session, tenant)
    return version


def retire_old(session: Session, tenant_id: int, current: dict[str, int]) -> None:
    """Mark versions no row uses any more; they stay so older backups remain readable."""
    for purpose, version in current.items():
        session.execute(
            sa.update(TenantKey)
            .where(
                TenantKey.tenant_id == tenant_id,
                TenantKey.purpose == purpose,
                TenantKey.version < version,
                TenantKey.retired_at.is_(None),
            )
            .values(retired_at=utcnow())
        )


def destroy(session: Session, tenant: Tenant | KeyOwner) -> int:
    """Delete every wrapped key of a municipality: its data, in every backup, becomes unreadable."""
    result = session.execute(sa.delete(TenantKey).where(TenantKey.tenant_id == tenant.id))
    crypto.invalidate(tenant.schema_name)
    return result.rowcount


def export_keys(session: Session, tenant: Tenant | KeyOwner) -> dict[str, Any]:
    """The tenant's wrapped keys as JSON-able data; useless without the master key."""
    rows = session.scalars(
        sa.select(TenantKey).where(TenantKey.tenant_id == tenant.id).order_by(TenantKey.id)
    )
    return {
        "tenant": tenant.slug,
        "keys": [
            {
                "purpose": row.purpose,
                "version": row.version,
                "wrapped": base64.b64encode(row.wrapped).decode(),
                "created_at": row.created_at.isoformat(),
                "retired_at": row.retired_at.isoformat() if row.retired_at else None,
            }
            for row in rows
        ],
    }


def import_keys(session: Session, tenant: Tenant | KeyOwner, exported: dict[str, Any]) -> int:
    """Restore exported wrapped keys (versions already present are left alone); checks each."""
    from datetime import datetime

    if exported.get("tenant") != tenant.slug:
        raise ValueError(f"the keys belong to {exported.get('tenant')!r}, not {tenant.slug!r}")
    existing = _versions(session, tenant)
    added = 0
    for item in exported["keys"]:
        purpose, version = item["purpose"], int(item["version"])
        wrapped = base64.b64decode(item["wrapped"], validate=True)
        crypto.unwrap_key(wrapped, tenant.slug, purpose, version)  # wrong master key: refuse
        if version in existing.get(purpose, []):
            continue
        session.add(
            TenantKey(
                tenant_id=tenant.id,
                purpose=purpose,
                version=version,
                wrapped=wrapped,
                created_at=datetime.fromisoformat(item["created_at"]),
                retired_at=datetime.fromisoformat(item["retired_at"])
                if item.get("retired_at")
                else None,
            )
        )
        added += 1
    _refresh(session, tenant)
    return added
