"""Create and update tenants from their manifests."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from samverka.db.base import utcnow
from samverka.extensions import db
from samverka.modules.tenancy.manifests import Manifest
from samverka.modules.tenancy.models import ExternalIndicator, Tenant, TenantKind


@dataclass
class SyncResult:
    created: list[str]
    updated: list[str]
    unchanged: list[str]
    #: Manifests of retired tenants: left alone, so a municipality that left is not re-created.
    retired: list[str] = field(default_factory=list)


def _apply(tenant: Tenant, manifest: Manifest, region: Tenant | None) -> bool:
    """Copy manifest fields onto a tenant; return whether anything changed."""
    wanted = {
        "name": manifest.name,
        "kind": TenantKind(manifest.kind),
        "code": manifest.code,
        "region_id": region.id if region else None,
        "schema_name": manifest.schema_name,
    }
    changed = False
    for key, value in wanted.items():
        if getattr(tenant, key) != value:
            setattr(tenant, key, value)
            changed = True
    return changed


def _sync_figures(tenant: Tenant, manifest: Manifest) -> bool:
    existing = {
        (row.indicator, row.period): row
        for row in db.session.scalars(
            sa.select(ExternalIndicator).where(ExternalIndicator.tenant_id == tenant.id)
        )
    }
    changed = False
    for fig in manifest.indicators:
        row = existing.pop((fig.indicator, fig.period), None)
        values = {"value": fig.value, "unit": fig.unit, "source": fig.source}
        if row is None:
            db.session.add(
                ExternalIndicator(
                    tenant_id=tenant.id, indicator=fig.indicator, period=fig.period, **values
                )
            )
            changed = True
        elif any(getattr(row, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            changed = True
    for row in existing.values():
        db.session.delete(row)
        changed = True
    return changed


def sync_tenants(manifests: list[Manifest]) -> SyncResult:
    """Upsert tenants (regions first) and their figures; the schemas are migrated by the caller."""
    result = SyncResult([], [], [])
    by_slug = {t.slug: t for t in db.session.scalars(sa.select(Tenant))}
    for manifest in sorted(manifests, key=lambda m: m.kind != "region"):
        tenant = by_slug.get(manifest.slug)
        region = by_slug.get(manifest.region) if manifest.region else None
        if tenant is None:
            tenant = Tenant(slug=manifest.slug, active=True)
            _apply(tenant, manifest, region)
            db.session.add(tenant)
            db.session.flush()
            by_slug[tenant.slug] = tenant
            _sync_figures(tenant, manifest)
            result.created.append(manifest.slug)
            continue
        if tenant.retired:
            result.retired.append(manifest.slug)
            continue
        changed = _apply(tenant, manifest, region)
        changed = _sync_figures(tenant, manifest) or changed
        (result.updated if changed else result.unchanged).append(manifest.slug)
    db.session.flush()
    return result


def mark_provisioned(schemas: list[str]) -> None:
    """Record that these municipalities' schemas now exist (first successful migration)."""
    if schemas:
        db.session.execute(
            sa.update(Tenant)
            .where(Tenant.schema_name.in_(schemas), Tenant.provisioned_at.is_(None))
            .values(provisioned_at=utcnow())
        )


def retire_tenant(tenant: Tenant) -> None:
    """Mark a municipality as gone: not served, not synced from its manifest, not migrated."""
    tenant.active = False
    tenant.retired_at = utcnow()
    db.session.flush()
