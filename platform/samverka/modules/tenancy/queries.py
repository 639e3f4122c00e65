"""Reads of the tenant registry."""

from __future__ import annotations

import sqlalchemy as sa

from samverka.extensions import db
from samverka.modules.tenancy.models import Tenant, TenantKind


def tenant_by_slug(slug: str) -> Tenant | None:
    return db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))


def active_municipality(slug: str) -> Tenant | None:
    """The municipality a URL names, if it exists and is active."""
    return db.session.scalar(
        sa.select(Tenant).where(
            Tenant.slug == slug, Tenant.kind == TenantKind.municipality, Tenant.active
        )
    )


def active_region(slug: str) -> Tenant | None:
    return db.session.scalar(
        sa.select(Tenant).where(
            Tenant.slug == slug, Tenant.kind == TenantKind.region, Tenant.active
        )
    )


def all_tenants() -> list[Tenant]:
    return list(db.session.scalars(sa.select(Tenant).order_by(Tenant.kind.desc(), Tenant.name)))


def municipality_schemas() -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Tenant.schema_name)
            .where(Tenant.kind == TenantKind.municipality)
            .order_by(Tenant.schema_name)
        )
    )


def municipalities_of(region: Tenant) -> list[Tenant]:
    return list(
        db.session.scalars(
            sa.select(Tenant)
            .where(Tenant.region_id == region.id, Tenant.active)
            .order_by(Tenant.name)
        )
    )
