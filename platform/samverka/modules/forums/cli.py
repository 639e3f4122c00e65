"""``samverka forums …``: forum maintenance from the command line (cron, operators)."""

from __future__ import annotations

import click

from samverka.cli_context import with_app


@click.group("forums")
def forums() -> None:
    """Forums, meetings and their reminders."""


@forums.command("send-reminders")
@with_app
def send_reminders() -> None:
    """Write due meeting and action reminders to each municipality's outbox and mail them."""
    from samverka.modules.forums.reminders import send_all

    run = send_all()
    for slug, result in run.results.items():
        click.echo(
            f"{slug:<14} meetings={result.meetings} actions={result.actions} "
            f"messages={result.written} sent={result.sent}"
        )
    if run.failed:
        raise click.ClickException(f"reminders failed for: {', '.join(run.failed)}")
