"""Region jobs: recompute the anonymised forum activity of municipalities, one schema at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from samverka.db.session import tenant_session
from samverka.modules.jobs.periodic import periodic
from samverka.modules.jobs.registry import task
from samverka.modules.region.aggregate import replace_shared_rows
from samverka.modules.tenancy.models import Tenant, TenantKind

if TYPE_CHECKING:
    from samverka.modules.jobs.runner import JobContext


@dataclass(frozen=True)
class Target:
    id: int
    name: str
    schema: str


def municipalities_to_compute(region_id: int | None = None) -> list[Target]:
    """Active municipalities of one region, or of every active region."""
    with tenant_session(None) as session:
        region = aliased(Tenant)
        query = (
            sa.select(Tenant.id, Tenant.name, Tenant.schema_name)
            .join(region, Tenant.region_id == region.id)
            .where(
                Tenant.kind == TenantKind.municipality,
                Tenant.active,
                Tenant.schema_name.is_not(None),
                region.active,
            )
            .order_by(Tenant.name)
        )
        if region_id is not None:
            query = query.where(Tenant.region_id == region_id)
        return [Target(*row) for row in session.execute(query)]


def compute_for(target: Target) -> None:
    """One municipality in its own transaction: read its schema, replace its shared rows."""
    with tenant_session(target.schema) as session:
        replace_shared_rows(session, target.id)
        session.commit()


def _forum_activity_page(region_id: int | None = None) -> str | None:
    """The region's forum activity page, where an analyst starts the recomputation."""
    from flask import url_for

    from samverka.extensions import db

    if region_id is None:
        return None
    slug = db.session.scalar(sa.select(Tenant.slug).where(Tenant.id == region_id))
    return url_for("region.forum_activity", region=slug) if slug else None


@task(
    "region.compute_forum_activity",
    tenant_scoped=False,
    label=_l("Räkna om forumaktiviteten"),
    return_to=_forum_activity_page,
)
def compute_forum_activity(ctx: JobContext, region_id: int | None = None) -> None:
    """Recompute every municipality of a region (or of all regions), reporting progress per one."""
    targets = municipalities_to_compute(region_id)
    if not targets:
        ctx.progress(100, "Inga aktiva kommuner att räkna på.")
        return
    for done, target in enumerate(targets, start=1):
        compute_for(target)
        # Committed above: on SQLite the progress write uses another connection to shared.
        ctx.progress(
            round(100 * done / len(targets)), f"{target.name} klar ({done} av {len(targets)})"
        )


#: Nightly, when nobody is working: every region's forum activity from its municipalities.
periodic("region.compute_forum_activity", daily_at=time(2, 0))
