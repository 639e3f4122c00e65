"""``samverka users …``: create accounts, grant roles, deactivate."""

from __future__ import annotations

import click

from samverka.cli_context import with_app
from samverka.extensions import db
from samverka.modules.auth import operations as ops
from samverka.modules.auth.models import MunicipalRole, RegionRole, User
from samverka.modules.tenancy.queries import tenant_by_slug

ROLES = [r.value for r in MunicipalRole] + [r.value for r in RegionRole]


def _user(email: str) -> User:
    user = ops.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"no account with e-mail {email}")
    return user


@click.group("users")
def users() -> None:
    """Accounts and roles."""


@users.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Full name, as colleagues know it.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--platform-admin", is_flag=True, help="May provision tenants and manage accounts.")
@with_app
def create(email: str, name: str, password: str, platform_admin: bool) -> None:
    """Create an account."""
    try:
        user = ops.create_user(email, name, password, platform_admin=platform_admin)
    except ops.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"created user {user.id}")


@users.command("grant")
@click.argument("email")
@click.argument("tenant_slug")
@click.argument("role", type=click.Choice(ROLES))
@with_app
def grant(email: str, tenant_slug: str, role: str) -> None:
    """Grant ROLE in a municipality (coordinator, member) or a region (analyst, facilitator, steward)."""
    user = _user(email)
    tenant = tenant_by_slug(tenant_slug)
    if tenant is None:
        raise click.ClickException(f"no tenant with slug {tenant_slug}")
    try:
        if role in MunicipalRole.__members__:
            ops.grant_membership(user, tenant, MunicipalRole(role))
        else:
            ops.grant_region_role(user, tenant, RegionRole(role))
    except ops.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"{email} is now {role} in {tenant.name}")


@users.command("revoke")
@click.argument("email")
@click.argument("tenant_slug")
@with_app
def revoke(email: str, tenant_slug: str) -> None:
    """Remove a person's membership in a municipality."""
    user, tenant = _user(email), tenant_by_slug(tenant_slug)
    if tenant is None:
        raise click.ClickException(f"no tenant with slug {tenant_slug}")
    ops.revoke_membership(user, tenant)
    db.session.commit()
    click.echo(f"{email} no longer belongs to {tenant.name}")


@users.command("deactivate")
@click.argument("email")
@with_app
def deactivate(email: str) -> None:
    """Lock an account out at once, ending its open sessions."""
    ops.set_active(_user(email), False)
    db.session.commit()
    click.echo(f"{email} is deactivated")


@users.command("activate")
@click.argument("email")
@with_app
def activate(email: str) -> None:
    """Let a deactivated account log in again."""
    ops.set_active(_user(email), True)
    db.session.commit()
    click.echo(f"{email} is active")


@users.command("token")
@click.argument("email")
@click.option("--name", required=True, help="What the token is for, e.g. the script's name.")
@click.option(
    "--scope",
    type=click.Choice(["read", "write"]),
    default="read",
    show_default=True,
    help="read: GET only; write: may also change what the account may change.",
)
@click.option(
    "--days", type=click.IntRange(0, 3650), default=90, show_default=True, help="0 = never"
)
@with_app
def token(email: str, name: str, scope: str, days: int) -> None:
    """Create a personal API token for an account; it is printed once."""
    created, plain = ops.create_token(_user(email), name, days=days or None, scope=scope)
    db.session.commit()
    click.echo(f"token {created.id} ({scope}): {plain}")


@users.command("idp")
@click.argument("tenant_slug")
@click.option("--issuer", help="The provider's issuer URL (HTTPS), as in its discovery document.")
@click.option("--client-id", help="Samverka's client id at the provider.")
@click.option("--secret-env", help="Name of the environment variable holding the client secret.")
@click.option("--off", is_flag=True, help="Stop offering sign-in through this provider.")
@with_app
def idp(
    tenant_slug: str, issuer: str | None, client_id: str | None, secret_env: str | None, off: bool
) -> None:
    """Set (or turn off) a municipality's own OpenID Connect provider for sign-in."""
    import sqlalchemy as sa

    from samverka.modules.auth.models_links import IdentityProvider

    tenant = tenant_by_slug(tenant_slug)
    if tenant is None or not tenant.is_municipality:
        raise click.ClickException(f"no municipality with slug {tenant_slug}")
    row = db.session.scalar(
        sa.select(IdentityProvider).where(IdentityProvider.tenant_id == tenant.id)
    )
    if off:
        if row is not None:
            row.active = False
        db.session.commit()
        click.echo(f"sign-in through {tenant.name}'s provider is off")
        return
    if not (issuer and client_id and secret_env):
        raise click.ClickException("give --issuer, --client-id and --secret-env (or --off)")
    if not issuer.startswith("https://"):
        raise click.ClickException("the issuer must be an https:// URL")
    if row is None:
        row = IdentityProvider(tenant_id=tenant.id)
        db.session.add(row)
    row.issuer, row.client_id, row.client_secret_env, row.active = (
        issuer,
        client_id,
        secret_env,
        True,
    )
    db.session.commit()
    click.echo(f"{tenant.name} signs in through {issuer}")
