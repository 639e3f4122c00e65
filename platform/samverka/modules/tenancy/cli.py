"""``samverka db upgrade`` and ``samverka tenants sync|list``."""

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
from samverka.modules.tenancy.manifests import ManifestError, load_manifests
from samverka.modules.tenancy.operations import SyncResult, sync_tenants
from samverka.modules.tenancy.queries import all_tenants, municipality_schemas


def _echo_outcome(outcome: Outcome) -> None:
    colour = {"failed": "red", "migrated": "green"}.get(outcome.status)
    change = (
        f"{outcome.before or '∅'} → {outcome.after or '∅'}"
        if outcome.status == "migrated"
        else (outcome.after or "")
    )
    line = f"  {outcome.schema:<24} {outcome.status:<9} {outcome.seconds:6.2f} s  {change}"
    if outcome.error:
        line += f"\n      {outcome.error}"
    click.secho(line, fg=colour, err=outcome.status == "failed")


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
    workers: int | None = None, extra_versions: tuple[str, ...] = (), echo: bool = True
) -> Report:
    """Shared schema, then the registry from the manifests, then every tenant schema."""
    settings = current_app.config["SETTINGS"]
    target = MigrationTarget.from_settings(settings, extra_versions)
    start = time.perf_counter()
    report = Report(upgrade_shared(target))
    if echo:
        click.echo("shared schema:")
        _echo_outcome(report.shared)
    if not report.shared.ok:
        return report
    prove_data_key()
    sync_from_manifests()
    schemas = municipality_schemas()
    if echo:
        click.echo(f"{len(schemas)} tenant schemas:")
    report.tenants = upgrade_tenants(
        target,
        schemas,
        workers or settings.migration_workers,
        on_outcome=_echo_outcome if echo else None,
    )
    report.seconds = time.perf_counter() - start
    return report


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
@with_app
def upgrade_command(workers: int | None, extra_versions: tuple[str, ...]) -> None:
    """Bring the shared schema and every tenant schema to head."""
    try:
        report = upgrade_all(workers, extra_versions)
    except ManifestError as exc:
        raise click.ClickException(str(exc)) from exc
    counts = {
        s: sum(1 for o in report.tenants if o.status == s)
        for s in ("at head", "migrated", "failed")
    }
    click.echo(
        f"done in {report.seconds:.2f} s: {counts['migrated']} migrated, "
        f"{counts['at head']} already at head, {counts['failed']} failed"
    )
    if not report.ok:
        sys.exit(1)


@click.group("tenants")
def tenants() -> None:
    """The tenant registry (regions and municipalities)."""


@tenants.command("sync")
@with_app
def sync_command() -> None:
    """Create or update tenants from tenants/*.toml; bring new schemas to head."""
    settings = current_app.config["SETTINGS"]
    target = MigrationTarget.from_settings(settings)
    if not upgrade_shared(target).ok:
        raise click.ClickException(
            "the shared schema could not be migrated; run `samverka db upgrade`"
        )
    try:
        result = sync_from_manifests()
    except ManifestError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"created: {', '.join(result.created) or '-'}")
    click.echo(f"updated: {', '.join(result.updated) or '-'}")
    click.echo(f"unchanged: {len(result.unchanged)}")
    outcomes = upgrade_tenants(
        target, municipality_schemas(), settings.migration_workers, on_outcome=_echo_outcome
    )
    if any(not o.ok for o in outcomes):
        sys.exit(1)


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
            f"{version or '-'}{state}{'' if t.active else ' inactive'}"
        )


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
