"""``samverka storage …``: file store maintenance from the command line (cron, operators)."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app

from samverka.cli_context import with_app


@click.group("storage")
def storage() -> None:
    """The file store (local folder or S3)."""


@storage.command("check")
@with_app
def check() -> None:
    """Tell whether the configured store can be used (exits non-zero if not)."""
    from samverka.modules.storage.lifecycle import current_storage

    problem = current_storage().check()
    if problem:
        raise click.ClickException(problem)
    click.echo("storage ok")


@storage.command("create-bucket")
@with_app
def create_bucket() -> None:
    """Create the S3 bucket named by S3_BUCKET if it does not exist yet."""
    from samverka.modules.storage.backends import S3Storage
    from samverka.modules.storage.lifecycle import current_storage

    store = current_storage()
    if not isinstance(store, S3Storage):
        raise click.ClickException("S3_BUCKET is not set; the local folder needs no bucket")
    store.ensure_bucket()
    click.echo(f"bucket {store.bucket} ready")


@storage.command("sweep")
@with_app
def sweep() -> None:
    """Delete objects whose rows were removed or never committed (run every few minutes)."""
    from samverka.modules.storage.lifecycle import current_storage, sweep_pending

    grace = timedelta(minutes=current_app.config["SETTINGS"].storage_grace_minutes)
    result = sweep_pending(current_storage(), grace)
    click.echo(f"deleted={result.deleted} failed={result.failed} waiting={result.waiting}")
    if result.failed:
        raise click.ClickException(f"{result.failed} objects could not be deleted; run again later")
