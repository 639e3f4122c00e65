"""``samverka db upgrade`` and ``samverka tenants sync|list|backup|restore|export|retire``."""

from __future__ import annotations

import sys
import time

import click
from flask import current_app

from samverka.cli_context import with_app
from samverka.db.migrate import (
    TENANT_ENV,
    MigrationTarget,
    Outcome,
    Report,
    tenant_versions,
    upgrade_shared,
    upgrade_tenants,
)
from samverka.extensions import db
from samverka.modules.tenancy.cli_backup import (
    backup_command,
    export_command,
    restore_command,
    retire_command,
)
from samverka.modules.tenancy.manifests import ManifestError, load_manifests
from samverka.modules.tenancy.models import Tenant
from samverka.modules.tenancy.operations import SyncResult, mark_provisioned, sync_tenants
from samverka.modules.tenancy.queries import (
    all_tenants,
    municipality_schemas,
    provisioned_schemas,
    tenant_by_slug,
)


def _echo_outcome(outcome: Outcome) -> None:
    colour = {"failed": "red", "missing": "red", "migrated": "green"}.get(outcome.status)
    change = (
        f"{outcome.before or '∅'} → {outcome.after or '∅'}"
        if outcome.status == "migrated"
        else (outcome.after or "")
    )
    line = f"  {outcome.schema:<24} {outcome.status:<9} {outcome.seconds:6.2f} s  {change}"
    if outcome.error:
        line += f"\n      {outcome.error}"
    click.secho(line, fg=colour, err=not outcome.ok)


def _echo_sync(result: SyncResult) -> None:
    click.echo(f"created: {', '.join(result.created) or '-'}")
    click.echo(f"updated: {', '.join(result.updated) or '-'}")
    click.echo(f"unchanged: {len(result.unchanged)}")
    if result.retired:
        click.echo(f"retired, left alone: {', '.join(result.retired)}")


def sync_from_manifests() -> SyncResult:
    """Read the manifests and upsert the registry; commits."""
    settings = current_app.config["SETTINGS"]
    result = sync_tenants(load_manifests(settings.tenants_dir))
    db.session.commit()
    return result


def prove_data_key() -> None:
    """Write the data key's check value on first migration; refuse a key that does not fit."""
    from samverka.db.keycheck import KeyMismatch, verify_app_key

    try:
        verify_app_key(current_app._get_current_object())
    except KeyMismatch as exc:
        raise click.ClickException(str(exc)) from exc


def upgrade_all(
    workers: int | None = None,
    extra_versions: tuple[str, ...] = (),
    echo: bool = True,
    recreate_empty: tuple[str, ...] = (),
    show_sync: bool = False,
) -> Report:
    """Shared schema, then the registry from the manifests, then every tenant schema.

    `db upgrade` and `tenants sync` both run this; they differ only in what they print. A
    municipality whose schema was created before and is now missing is reported "missing"
    (restore it), unless its slug is in ``recreate_empty``.
    """
    settings = current_app.config["SETTINGS"]
    target = MigrationTarget.from_settings(settings, extra_versions)
    start = time.perf_counter()
    report = Report(upgrade_shared(target))
    if echo:
        click.echo("shared schema:")
        _echo_outcome(report.shared)
    if not report.shared.ok:
        report.seconds = time.perf_counter() - start
        return report
    prove_data_key()
    report.sync = sync_from_manifests()
    if echo and show_sync:
        _echo_sync(report.sync)
    schemas = municipality_schemas()
    allowed = {t.schema_name for t in map(tenant_by_slug, recreate_empty) if t is not None}
    if echo:
        click.echo(f"{len(schemas)} tenant schemas:")
    report.tenants = upgrade_tenants(
        target,
        schemas,
        workers or settings.migration_workers,
        on_outcome=_echo_outcome if echo else None,
        must_exist=provisioned_schemas() - allowed,
    )
    mark_provisioned([o.schema for o in report.tenants if o.ok])
    db.session.commit()
    if all(o.ok for o in report.tenants):
        encrypt_municipalities(report.tenants, echo)
    report.seconds = time.perf_counter() - start
    return report


def encrypt_municipalities(outcomes: list[Outcome], echo: bool = True) -> None:
    """``keys encrypt-existing`` for the schemas just migrated and municipalities without keys.

    Schemas already at head were converted by an earlier run, so a repeated upgrade stays cheap.
    """
    from samverka.modules.keys.cli import encrypt_existing
    from samverka.modules.keys.queries import schemas_without_keys

    wanted = {o.schema for o in outcomes if o.status == "migrated"} | schemas_without_keys()
    encrypt_existing([t for t in all_tenants() if t.active and t.schema_name in wanted], echo)


def _finish(report: Report) -> None:
    """Print the run's true summary; exit non-zero unless every schema is fine."""
    if not report.shared.ok:
        click.secho(
            f"failed after {report.seconds:.2f} s: the shared schema could not be migrated, "
            "so the registry was not synced and no tenant schema was migrated",
            fg="red",
            err=True,
        )
        sys.exit(1)
    counts = report.counts()
    click.echo(
        f"done in {report.seconds:.2f} s: shared schema {report.shared.status}; "
        f"{counts['migrated']} migrated, {counts['at head']} already at head, "
        f"{counts['failed']} failed, {counts['missing']} missing"
    )
    slugs = {t.schema_name: t.slug for t in all_tenants() if t.schema_name}
    for outcome in report.tenants:
        if outcome.status == "missing":
            slug = slugs.get(outcome.schema, outcome.schema)
            click.secho(
                f"{slug}: restore its schema with `samverka tenants restore {slug} <archive>`; "
                f"only if it never held data, `samverka db upgrade --recreate-empty {slug}`",
                fg="red",
                err=True,
            )
    if not report.ok:
        sys.exit(1)


@click.group("db")
def db_group() -> None:
    """Database schemas and migrations."""


@db_group.command("upgrade")
@click.option(
    "--workers", type=click.IntRange(1, 64), help="Parallel tenant migrations (PostgreSQL)."
)
@click.option(
    "--extra-versions",
    multiple=True,
    hidden=True,
    type=click.Path(exists=True, file_okay=False),
    help="More tenant revision folders.",
)
@click.option(
    "--recreate-empty",
    multiple=True,
    metavar="SLUG",
    help="Create this municipality's missing schema empty instead of refusing.",
)
@with_app
def upgrade_command(
    workers: int | None, extra_versions: tuple[str, ...], recreate_empty: tuple[str, ...]
) -> None:
    """Bring the shared schema and every tenant schema to head."""
    try:
        report = upgrade_all(workers, extra_versions, recreate_empty=recreate_empty)
    except ManifestError as exc:
        raise click.ClickException(f"shared schema migrated; manifests refused: {exc}") from exc
    _finish(report)


@click.group("tenants")
def tenants() -> None:
    """The tenant registry (regions and municipalities)."""


@tenants.command("sync")
@with_app
def sync_command() -> None:
    """Create or update tenants from tenants/*.toml; bring new schemas to head."""
    try:
        report = upgrade_all(show_sync=True)
    except ManifestError as exc:
        raise click.ClickException(str(exc)) from exc
    _finish(report)


for _command in (backup_command, restore_command, export_command, retire_command):
    tenants.add_command(_command)


@tenants.command("list")
@with_app
def list_command() -> None:
    """Show every tenant with its schema version."""
    settings = current_app.config["SETTINGS"]
    target = MigrationTarget.from_settings(settings)
    rows = all_tenants()
    versions = tenant_versions(target, [t.schema_name for t in rows if t.schema_name])
    head = target.head(TENANT_ENV)
    click.echo(f"{'slug':<26} {'kind':<13} {'code':<5} {'schema':<14} version")
    for t in rows:
        version = versions.get(t.schema_name) if t.schema_name else None
        state = "" if not t.schema_name else (" (head)" if version == head else " (behind)")
        click.echo(
            f"{t.slug:<26} {t.kind.value:<13} {t.code:<5} {t.schema_name or '-':<14} "
            f"{version or '-'}{state}{_flag(t)}"
        )


def _flag(tenant: Tenant) -> str:
    if tenant.retired:
        return " retired"
    return "" if tenant.active else " inactive"


@db_group.command("revision")
@click.argument("env", type=click.Choice(["shared", "tenant"]))
@click.option("-m", "--message", required=True, help="One-line subject of the revision.")
@with_app
def revision_command(env: str, message: str) -> None:
    """Draft a revision by autogenerate against a reference schema on PostgreSQL (rolled back)."""
    from datetime import UTC, datetime

    from alembic import command

    from samverka.db.base import SHARED

    target = MigrationTarget.from_settings(current_app.config["SETTINGS"])
    if not target.postgres:
        raise click.ClickException("autogenerate compares against PostgreSQL: set DATABASE_URL")
    engine = target.shared_engine()
    schema = SHARED if env == "shared" else "reference_tenant"
    with engine.connect() as conn:
        transaction = conn.begin()
        conn.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        if env == "tenant":
            conn.exec_driver_sql(f'SET LOCAL search_path TO "{schema}"')
        cfg = target.config(env, conn, schema)
        cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
        command.upgrade(cfg, "head")
        rev_id = datetime.now(UTC).strftime("%Y%m%d_%H%M")
        command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)
        transaction.rollback()
    engine.dispose()
