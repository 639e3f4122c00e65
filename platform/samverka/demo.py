"""``samverka demo``: the embedded default with the Dalsland tenants and demo accounts."""

from __future__ import annotations

import sys
import unicodedata

import click

from samverka.modules.auth.models import MunicipalRole, RegionRole

#: Demo accounts only: fixed passwords so every printed account can log in again after a restart.
DEMO_PASSWORD_SUFFIX = "-demo-2026"  # noqa: S105 - demo accounts only, printed on start


def _place_name(name: str, slug: str) -> str:
    """ "Åmåls kommun" → "Åmål", but "Bengtsfors kommun" stays "Bengtsfors" (no genitive s)."""
    base = name.removesuffix(" kommun").strip()
    folded = unicodedata.normalize("NFKD", base[:-1]).encode("ascii", "ignore").decode().lower()
    return base[:-1] if base.endswith("s") and folded == slug else base


def demo_accounts(municipalities: list[tuple[str, str]], region: tuple[str, str]) -> list[dict]:
    """The demo people: a coordinator and a member per municipality, region roles, an admin."""
    accounts = []
    for slug, name in municipalities:
        short = _place_name(name, slug)
        accounts.append(
            {
                "email": f"samordnare.{slug}@demo.samverka.se",
                "name": f"Samordnare {short}",
                "password": f"samordnare-{slug}{DEMO_PASSWORD_SUFFIX}",
                "grants": [(slug, MunicipalRole.coordinator.value)],
            }
        )
        accounts.append(
            {
                "email": f"medlem.{slug}@demo.samverka.se",
                "name": f"Medlem {short}",
                "password": f"medlem-{slug}{DEMO_PASSWORD_SUFFIX}",
                "grants": [(slug, MunicipalRole.member.value)],
            }
        )
    region_slug = region[0]
    accounts.append(
        {
            "email": "analytiker@demo.samverka.se",
            "name": "Regionanalytiker",
            "password": f"analytiker{DEMO_PASSWORD_SUFFIX}",
            "grants": [(region_slug, RegionRole.analyst.value)],
        }
    )
    accounts.append(
        {
            "email": "processledare@demo.samverka.se",
            "name": "Processledare",
            "password": f"processledare{DEMO_PASSWORD_SUFFIX}",
            "grants": [(region_slug, RegionRole.facilitator.value)],
        }
    )
    accounts.append(
        {
            "email": "admin@demo.samverka.se",
            "name": "Plattformsadministratör",
            "password": f"admin{DEMO_PASSWORD_SUFFIX}",
            "grants": [],
            "admin": True,
        }
    )
    return accounts


def ensure_demo_accounts() -> list[dict]:
    """Create the demo accounts that are missing; keep existing ones (and their data) as they are."""
    from samverka.extensions import db
    from samverka.modules.auth import operations as ops
    from samverka.modules.tenancy.models import TenantKind
    from samverka.modules.tenancy.queries import all_tenants

    tenants = all_tenants()
    municipalities = [(t.slug, t.name) for t in tenants if t.kind == TenantKind.municipality]
    region = next((t.slug, t.name) for t in tenants if t.kind == TenantKind.region)
    by_slug = {t.slug: t for t in tenants}
    accounts = demo_accounts(municipalities, region)
    for account in accounts:
        user = ops.find_user_by_email(account["email"])
        if user is None:
            user = ops.create_user(
                account["email"],
                account["name"],
                account["password"],
                platform_admin=account.get("admin", False),
            )
        for slug, role in account["grants"]:
            tenant = by_slug[slug]
            if role in MunicipalRole.__members__:
                ops.grant_membership(user, tenant, MunicipalRole(role))
            else:
                ops.grant_region_role(user, tenant, RegionRole(role))
    db.session.commit()
    return accounts


def _refresh_derived_data() -> None:
    """What the scheduled jobs would have done: due reminders and the region's aggregates."""
    from samverka.modules.forums.reminders import send_all
    from samverka.modules.region.tasks import compute_for, municipalities_to_compute

    run = send_all()
    written = sum(result.written for result in run.results.values())
    targets = municipalities_to_compute()
    for target in targets:
        compute_for(target)
    click.echo(
        f"Reminders written to the outboxes: {written}; "
        f"forum activity computed for {len(targets)} municipalities"
    )


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--threads",
    default=4,
    show_default=True,
    type=click.IntRange(1, 32),
    help="Request threads (a fixed pool; see embedded_server.py).",
)
@click.option(
    "--no-serve", is_flag=True, help="Prepare the data and print the accounts, then stop."
)
def demo(host: str, port: int, threads: int, no_serve: bool) -> None:
    """Migrate, sync the Dalsland manifests, create demo accounts and serve on the embedded default."""
    from samverka.app import create_app
    from samverka.config import Settings
    from samverka.modules.tenancy.cli import upgrade_all

    settings = Settings.from_env()
    if settings.database_url is None:
        click.echo(
            f"Embedded default: SQLite files in {settings.data_dir / 'db'}, jobs in-process, "
            f"files in {settings.data_dir / 'files'}"
        )
    app = create_app(settings)
    with app.app_context():
        report = upgrade_all()
        if not report.ok:
            click.secho("Migration failed; see above.", fg="red", err=True)
            sys.exit(1)
        from samverka.demo_data import seed_demo_data

        accounts = ensure_demo_accounts()
        seed_demo_data()
        _refresh_derived_data()
    click.echo("\nDemo accounts (e-mail / password / role):")
    for account in accounts:
        roles = (
            ", ".join(f"{role} @ {slug}" for slug, role in account["grants"]) or "platform admin"
        )
        click.echo(f"  {account['email']:<44} {account['password']:<36} {roles}")
    if no_serve:
        return
    from samverka.modules.jobs.scheduler import start_in_process

    start_in_process(app)  # the periodic tasks, in this process as the demo has no worker
    from samverka.embedded_server import serve

    click.echo(f"\nServing on http://{host}:{port}/ with {threads} threads  (Ctrl+C stops)")
    serve(app, host, port, threads)
