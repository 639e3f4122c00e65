"""``samverka keys``: rotate, encrypt-existing, destroy, export and import a municipality's keys."""

from __future__ import annotations

import json
from typing import TextIO

import click

from samverka.cli_context import with_app
from samverka.db import crypto
from samverka.db.session import tenant_session
from samverka.extensions import db
from samverka.modules.keys import operations as ops
from samverka.modules.tenancy.models import Tenant
from samverka.modules.tenancy.queries import tenant_by_slug


def _municipality(slug: str) -> Tenant:
    tenant = tenant_by_slug(slug)
    if tenant is None or tenant.schema_name is None:
        raise click.ClickException(f"ingen kommun med namnet {slug!r}")
    return tenant


def encrypt_existing(tenants: list[Tenant], echo: bool = True) -> int:
    """Give each municipality keys and encrypt rows not yet under its current key.

    Works in a session per tenant; the caller's session is committed first, so no read it holds
    open (on SQLite) keeps these writes from committing.
    """
    from samverka.modules.keys.reencrypt import reencrypt

    owners = [ops.KeyOwner(t.id, t.slug, t.schema_name) for t in tenants if t.schema_name]
    db.session.commit()
    total = 0
    for tenant in owners:
        with tenant_session(tenant.schema_name) as session:
            if ops.ensure_keys(session, tenant):
                session.commit()
            done = reencrypt(session, crypto.tenant_keys(tenant.schema_name))
        if echo and done:
            click.echo(f"  {tenant.slug:<24} {done} rader krypterade")
        total += done
    return total


@click.group("keys")
def keys() -> None:
    """Each municipality's data keys (wrapped by SAMVERKA_DATA_KEY, kept in shared.tenant_keys)."""


@keys.command("rotate")
@click.argument("slug")
@with_app
def rotate_command(slug: str) -> None:
    """Make a new key version for new writes and start re-encrypting old rows."""
    from samverka.modules.jobs.enqueue import enqueue_for_tenant
    from samverka.modules.keys.tasks import reencrypt_tenant

    tenant = _municipality(slug)
    version = ops.rotate(db.session, tenant)
    job = enqueue_for_tenant(tenant, reencrypt_tenant)
    db.session.commit()
    click.echo(f"{slug}: nyckelversion {version}; omkryptering i jobb {job.id}")


@keys.command("encrypt-existing")
@click.argument("slug", required=False)
@with_app
def encrypt_existing_command(slug: str | None) -> None:
    """Encrypt rows written before per-municipality keys (db upgrade runs this too)."""
    from samverka.modules.tenancy.queries import all_tenants

    tenants = (
        [_municipality(slug)] if slug else [t for t in all_tenants() if t.schema_name is not None]
    )
    done = encrypt_existing(tenants)
    click.echo(f"klart: {done} rader krypterade")


@keys.command("destroy")
@click.argument("slug")
@click.option("--yes", is_flag=True, help="Bekräfta: all kommunens data blir oläsbar för alltid.")
@with_app
def destroy_command(slug: str, yes: bool) -> None:
    """Delete a municipality's wrapped keys: every copy of its data becomes unreadable."""
    if not yes:
        raise click.ClickException("lägg till --yes: detta går inte att ångra")
    tenant = _municipality(slug)
    count = ops.destroy(db.session, tenant)
    db.session.commit()
    click.echo(f"{slug}: {count} nycklar förstörda")


@keys.command("export")
@click.argument("slug")
@with_app
def export_command(slug: str) -> None:
    """Write the municipality's wrapped keys as JSON to stdout (store apart from its backups)."""
    click.echo(json.dumps(ops.export_keys(db.session, _municipality(slug)), indent=2))


@keys.command("import")
@click.argument("slug")
@click.argument("source", type=click.File("r"), default="-")
@with_app
def import_command(slug: str, source: TextIO) -> None:
    """Restore wrapped keys written by ``keys export`` (before restoring the tenant's backup)."""
    try:
        added = ops.import_keys(db.session, _municipality(slug), json.load(source))
    except (ValueError, KeyError, crypto.KeyUnavailable) as exc:
        raise click.ClickException(f"nycklarna kunde inte läsas in: {exc}") from exc
    db.session.commit()
    click.echo(f"{slug}: {added} nycklar inlästa")
