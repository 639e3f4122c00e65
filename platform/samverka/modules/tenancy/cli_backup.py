"""``samverka tenants backup|restore|export|retire``: one municipality's data, in and out."""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import current_app

from samverka.cli_context import with_app
from samverka.db.base import utcnow
from samverka.db.migrate import MigrationTarget
from samverka.extensions import db
from samverka.modules.storage import Storage
from samverka.modules.tenancy.archive import (
    ArchiveError,
    BackupKey,
    open_sealed,
    seal,
    unzip_bytes,
    zip_bytes,
)
from samverka.modules.tenancy.backup import Contents, dump_tenant, erase_tenant, restore_tenant
from samverka.modules.tenancy.models import Tenant
from samverka.modules.tenancy.operations import mark_provisioned, retire_tenant
from samverka.modules.tenancy.queries import tenant_by_slug


def backup_key() -> BackupKey:
    """SAMVERKA_BACKUP_KEY if set, else the master data key."""
    settings = current_app.config["SETTINGS"]
    if settings.backup_key:
        return BackupKey(settings.backup_key, "SAMVERKA_BACKUP_KEY")
    return BackupKey(settings.data_key, "SAMVERKA_DATA_KEY")


def _municipality(slug: str, *, allow_retired: bool = False) -> Tenant:
    tenant = tenant_by_slug(slug)
    if tenant is None or not tenant.is_municipality or not tenant.schema_name:
        raise click.ClickException(f"no municipality with the slug {slug!r} in the registry")
    if tenant.retired and not allow_retired:
        raise click.ClickException(f"{slug} is retired (since {tenant.retired_at:%Y-%m-%d})")
    return tenant


def _target() -> MigrationTarget:
    return MigrationTarget.from_settings(current_app.config["SETTINGS"])


def _storage() -> Storage:
    return current_app.extensions["samverka.storage"]


def _write_private(path: Path, data: bytes) -> None:
    """Create the file readable by its owner only: an export holds personal data in clear."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _stamp() -> str:
    return utcnow().strftime("%Y%m%dT%H%M%SZ")


def _summary(contents: Contents) -> str:
    rows = sum(contents.tenant_rows.values())
    shared = sum(contents.shared_rows.values())
    return f"{rows} rows in {len(contents.tenant_rows)} tables, {shared} shared rows, {contents.files} files"


@click.command("backup")
@click.argument("slug")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@with_app
def backup_command(slug: str, output: Path | None) -> None:
    """Write one municipality's schema, files and shared rows to an encrypted archive."""
    tenant = _municipality(slug)
    try:
        entries, contents = dump_tenant(_target(), tenant, _storage())
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from exc
    key = backup_key()
    sealed = seal(zip_bytes(entries), key, {"tenant": slug, "taken_at": utcnow().isoformat()})
    output = output or Path(f"{slug}-{_stamp()}.samverka-backup")
    _write_private(output, sealed)
    click.echo(f"{slug}: {_summary(contents)} → {output} (sealed under {key.source})")


@click.command("restore")
@click.argument("slug")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--recreate-accounts",
    is_flag=True,
    help="Re-create accounts deleted since the backup (e.g. after losing shared).",
)
@click.option("--yes", is_flag=True, help="Do not ask before replacing the municipality's data.")
@with_app
def restore_command(slug: str, archive: Path, recreate_accounts: bool, yes: bool) -> None:
    """Replace one municipality's schema, files and shared rows with a backup's."""
    tenant = _municipality(slug)
    try:
        header, payload = open_sealed(archive.read_bytes(), backup_key())
        if header.get("tenant") != slug:
            raise ArchiveError(
                f"this backup belongs to {header.get('tenant')}, not {slug}; nothing was changed"
            )
        entries = unzip_bytes(payload)
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from exc
    if not yes:
        click.confirm(
            f"Replace all of {tenant.name}'s data with the backup taken {header.get('taken_at')}?",
            abort=True,
        )
    db.session.rollback()  # the restore uses its own connection; hold no locks meanwhile
    try:
        contents = restore_tenant(_target(), tenant, _storage(), entries, recreate_accounts)
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.rollback()  # its snapshot predates the restore's commit (SQLite would refuse)
    mark_provisioned([tenant.schema_name])
    db.session.commit()
    click.echo(f"{slug}: restored {_summary(contents)}")
    for skipped in contents.skipped:
        click.secho(
            f"  not restored: {skipped} (they conflict with today's data or point at an "
            "account deleted since; --recreate-accounts brings deleted accounts back)",
            fg="yellow",
        )


@click.command("export")
@click.argument("slug")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@with_app
def export_command(slug: str, output: Path | None) -> None:
    """Write everything a municipality owns, decrypted, to a ZIP of CSV files and its files."""
    from samverka.modules.tenancy.export import export_tenant

    tenant = _municipality(slug, allow_retired=True)
    output = output or Path(f"{slug}-export-{_stamp()}.zip")
    _write_private(output, export_tenant(tenant, _storage()))
    click.echo(f"{slug}: exported to {output} — it holds personal data in clear")


@click.command("retire")
@click.argument("slug")
@click.option(
    "--erase",
    is_flag=True,
    help="Also delete its schema, files, shared rows and wrapped data keys.",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_app
def retire_command(slug: str, erase: bool, yes: bool) -> None:
    """Mark a municipality as retired: no longer served, synced or migrated."""
    tenant = _municipality(slug, allow_retired=erase)
    if not yes:
        what = "retire and ERASE all data of" if erase else "retire"
        click.confirm(f"Really {what} {tenant.name}?", abort=True)
    if not tenant.retired:
        retire_tenant(tenant)
        db.session.commit()
    click.echo(f"{slug}: retired; it is no longer served, synced or migrated")
    if erase:
        erase_tenant(_target(), tenant, _storage())
        click.echo(
            f"{slug}: schema, files and shared rows erased; copies remain in backups until "
            "they expire (see infra/BACKUP.md)"
        )
