"""``samverka region …``: the region's anonymised figures."""

from __future__ import annotations

import click

from samverka.cli_context import with_app
from samverka.modules.tenancy.queries import active_region


@click.group("region")
def region() -> None:
    """Anonymised aggregates for regions."""


@region.command("compute-forum-activity")
@click.option("--region", "region_slug", default=None, help="Only this region's municipalities.")
@with_app
def compute_forum_activity_command(region_slug: str | None) -> None:
    """Recompute forums, meetings and attendance per municipality into the shared schema."""
    from samverka.modules.region.tasks import compute_for, municipalities_to_compute

    region_id = None
    if region_slug is not None:
        found = active_region(region_slug)
        if found is None:
            raise click.ClickException(f"no active region with slug {region_slug}")
        region_id = found.id
    targets = municipalities_to_compute(region_id)
    for target in targets:
        compute_for(target)
        click.echo(f"{target.name}: klar")
    click.echo(f"{len(targets)} kommuner beräknade")
