"""Reads of the key table."""

from __future__ import annotations

import sqlalchemy as sa

from samverka.extensions import db
from samverka.modules.keys.models import TenantKey
from samverka.modules.tenancy.models import Tenant


def schemas_without_keys() -> set[str]:
    """Active municipality schemas with no key yet; a retired one whose keys were destroyed is left
    alone, so an upgrade never gives shredded data a fresh key."""
    has_key = sa.select(TenantKey.id).where(TenantKey.tenant_id == Tenant.id).exists()
    return set(
        db.session.scalars(
            sa.select(Tenant.schema_name).where(
                Tenant.schema_name.is_not(None), Tenant.active, ~has_key
            )
        )
    )
