"""``samverka audit show SLUG``: a municipality's audit trail, for its data controller."""

from __future__ import annotations

import click
import sqlalchemy as sa

from samverka.cli_context import with_app
from samverka.db.session import tenant_session
from samverka.modules.audit.models import AuditEvent
from samverka.modules.tenancy.queries import active_municipality


@click.group("audit")
def audit() -> None:
    """Audit trails of municipalities."""


@audit.command("show")
@click.argument("tenant_slug")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10000))
@with_app
def show(tenant_slug: str, limit: int) -> None:
    """Print the latest audit events of one municipality (read from its schema only)."""
    tenant = active_municipality(tenant_slug)
    if tenant is None:
        raise click.ClickException(f"no active municipality with slug {tenant_slug}")
    with tenant_session(tenant.schema_name) as session:
        events = session.scalars(
            sa.select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
        ).all()
        if not events:
            click.echo(f"{tenant.name}: no audit events")
        for e in events:
            click.echo(
                f"{e.at:%Y-%m-%d %H:%M} user={e.user_id or '-'} {e.action} "
                f"{e.object_type}#{e.object_id or '-'} {e.summary}"
            )
