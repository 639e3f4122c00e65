"""A municipality's organisations, read for memberships (which live in shared, by id)."""

from __future__ import annotations

import sqlalchemy as sa

from samverka.db.session import tenant_session
from samverka.modules.tenancy.models import Tenant


def organisation_choices(tenant: Tenant) -> dict[int, str]:
    """Active organisations of one municipality, id → name, read from its own schema only."""
    from samverka.modules.forums.models import Organisation

    if tenant.schema_name is None:
        return {}
    with tenant_session(tenant.schema_name) as session:
        rows = session.execute(
            sa.select(Organisation.id, Organisation.name)
            .where(Organisation.active)
            .order_by(Organisation.name)
        ).all()
    return {row.id: row.name for row in rows}


def organisation_name(tenant: Tenant, organisation_id: int | None) -> str | None:
    """The name of a membership's organisation (inactive ones too), or None."""
    from samverka.modules.forums.models import Organisation

    if organisation_id is None or tenant.schema_name is None:
        return None
    with tenant_session(tenant.schema_name) as session:
        return session.scalar(
            sa.select(Organisation.name).where(Organisation.id == organisation_id)
        )
