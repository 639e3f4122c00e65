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
            Tenant.slug == slug,
            Tenant.kind == TenantKind.municipality,
            Tenant.active,
            Tenant.retired_at.is_(None),
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
    """The schemas `db upgrade` keeps at head: every municipality except retired ones."""
    return list(
        db.session.scalars(
            sa.select(Tenant.schema_name)
            .where(Tenant.kind == TenantKind.municipality, Tenant.retired_at.is_(None))
            .order_by(Tenant.schema_name)
        )
    )


def provisioned_schemas() -> set[str]:
    """Schemas whose municipality has had its schema created; they must never come back empty."""
    return set(
        db.session.scalars(
            sa.select(Tenant.schema_name).where(
                Tenant.kind == TenantKind.municipality, Tenant.provisioned_at.is_not(None)
            )
        )
    )


def municipalities_of(region: Tenant) -> list[Tenant]:
    return list(
        db.session.scalars(
            sa.select(Tenant)
            .where(Tenant.region_id == region.id, Tenant.active, Tenant.retired_at.is_(None))
            .order_by(Tenant.name)
        )
    )
