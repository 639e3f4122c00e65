"""``samverka bench`` subcommands."""

import click


@click.group("bench")
def bench() -> None:
    """Measure tenancy and module performance (PostgreSQL; prints figures)."""


@bench.command("tenancy")
@click.option(
    "--tenants",
    type=click.IntRange(1, 4999),
    default=290,
    show_default=True,
    help="Synthetic municipalities to provision.",
)
@click.option(
    "--requests",
    type=click.IntRange(1, 100_000),
    default=200,
    show_default=True,
    help="Timed GETs of each page (tenant page and bypass).",
)
@click.option(
    "--database-url",
    envvar="DATABASE_URL",
    show_envvar=True,
    help="PostgreSQL server to use; the run creates and drops its own database there.",
)
def tenancy_command(tenants: int, requests: int, database_url: str | None) -> None:
    """Provision, migrate and route N tenants in a throwaway database; print figures."""
    from samverka.bench.tenancy import BenchError, run
    from samverka.config import ConfigError

    try:
        run(database_url, tenants, requests)
    except (BenchError, ConfigError) as exc:
        raise click.ClickException(str(exc)) from exc
