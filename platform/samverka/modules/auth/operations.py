"""Every write to accounts, memberships, roles and tokens (flush, never commit)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import g

from samverka.db.base import utcnow
from samverka.db.crypto import blind_index, data_key
from samverka.extensions import db
from samverka.modules.auth import sessions
from samverka.modules.auth.models import (
    ApiToken,
    LoginAttempt,
    Membership,
    MunicipalRole,
    RegionRole,
    RegionRoleGrant,
    TokenScope,
    User,
    new_nonce,
)
from samverka.modules.auth.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from samverka.modules.tenancy.models import Tenant, TenantKind

#: Leave a value as it is (distinct from None, which clears it).
KEEP = object()
TOKEN_PREFIX = "svk_"  # noqa: S105 - a public prefix, not a secret


class AccountError(ValueError):
    """A request about accounts that cannot be carried out; the message is for the user."""


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email_lookup == blind_index(email)))


def create_user(email: str, name: str, password: str, *, platform_admin: bool = False) -> User:
    email = email.strip()
    if "@" not in email or len(email) > 320:
        raise AccountError("Ange en giltig e-postadress.")
    if not name.strip():
        raise AccountError("Ange ett namn.")
    if problem := password_problem(password):
        raise AccountError(problem)
    if find_user_by_email(email) is not None:
        raise AccountError("Det finns redan ett konto med den e-postadressen.")
    user = User(
        email=email,
        email_lookup=blind_index(email),
        name=name.strip(),
        password_hash=hash_password(password),
        is_platform_admin=platform_admin,
    )
    db.session.add(user)
    db.session.flush()
    return user


def client_lookup(address: str | None) -> str:
    return hmac.new(data_key(), b"client:" + (address or "?").encode(), hashlib.sha256).hexdigest()


def throttled(email: str, address: str | None, max_failures: int, window_minutes: int) -> bool:
    """Whether too many failed log-ins came for this account or from this address lately."""
    since = utcnow() - timedelta(minutes=window_minutes)
    by_account = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.email_lookup == blind_index(email), LoginAttempt.attempted_at >= since)
    )
    by_client = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(LoginAttempt)
        .where(
            LoginAttempt.client_lookup == client_lookup(address), LoginAttempt.attempted_at >= since
        )
    )
    return by_account >= max_failures or by_client >= max_failures * 4


def record_failure(email: str, address: str | None) -> None:
    """Count a failed attempt (password, code or reset request) towards the throttle."""
    db.session.add(
        LoginAttempt(email_lookup=blind_index(email), client_lookup=client_lookup(address))
    )
    db.session.flush()


def authenticate(email: str, password: str, address: str | None) -> User | None:
    """Check the password; record a failure, or clear earlier failures on success."""
    user = find_user_by_email(email)
    ok = verify_password(user.password_hash if user and user.has_password else None, password)
    if not ok or user is None or not user.active:
        record_failure(email, address)
        return None
    db.session.execute(
        sa.delete(LoginAttempt).where(LoginAttempt.email_lookup == user.email_lookup)
    )
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password and end the user's other sessions."""
    if not verify_password(user.password_hash, current):
        raise AccountError("Nuvarande lösenord stämmer inte.")
    if problem := password_problem(new):
        raise AccountError(problem)
    user.password_hash = hash_password(new)
    sessions.end_all(user, keep_current=True)


def set_password(user: User, new: str) -> None:
    if problem := password_problem(new):
        raise AccountError(problem)
    user.password_hash = hash_password(new)
    sessions.end_all(user)


def set_active(user: User, active: bool) -> None:
    """Deactivate or reactivate; deactivation ends open sessions and tokens at once."""
    user.active = active
    user.session_nonce = new_nonce()
    if not active:
        sessions.end_all(user)


def grant_membership(
    user: User, tenant: Tenant, role: MunicipalRole, organisation_id: object = KEEP
) -> Membership:
    """Grant or change a role; the organisation must be one of this municipality's own.

    Without ``organisation_id`` an existing membership keeps its organisation.
    """
    from samverka.modules.auth.organisations import organisation_choices

    if tenant.kind != TenantKind.municipality:
        raise AccountError(f"{tenant.name} är ingen kommun.")
    if isinstance(organisation_id, int) and organisation_id not in organisation_choices(tenant):
        raise AccountError(f"Organisationen finns inte i {tenant.name}.")
    membership = next((m for m in user.memberships if m.tenant_id == tenant.id), None)
    if membership is None:
        membership = Membership(user=user, tenant=tenant, role=role)
        db.session.add(membership)
    membership.role = role
    if organisation_id is not KEEP:
        membership.organisation_id = organisation_id  # type: ignore[assignment]
    db.session.flush()
    return membership


def revoke_membership(user: User, tenant: Tenant) -> None:
    for membership in list(user.memberships):
        if membership.tenant_id == tenant.id:
            user.memberships.remove(membership)
    db.session.flush()


def grant_region_role(user: User, region: Tenant, role: RegionRole) -> RegionRoleGrant:
    if region.kind != TenantKind.region:
        raise AccountError(f"{region.name} är ingen region.")
    grant = next(
        (g for g in user.region_roles if g.region_id == region.id and g.role == role), None
    )
    if grant is None:
        grant = RegionRoleGrant(user=user, region=region, role=role)
        db.session.add(grant)
        db.session.flush()
    return grant


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    user: User, name: str, days: int | None = 90, scope: str = "read"
) -> tuple[ApiToken, str]:
    """Create a personal access token; the plain token is returned once and never stored."""
    if scope not in {s.value for s in TokenScope}:
        raise AccountError("Okänd behörighet för nyckeln.")
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(days=days) if days else None
    token = ApiToken(
        user=user,
        name=name.strip()[:100] or "token",
        token_hash=_token_hash(plain),
        scope=scope,
        expires_at=expires,
    )
    db.session.add(token)
    db.session.flush()
    return token, plain


def user_for_token(plain: str, now: datetime | None = None) -> User | None:
    if not plain.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == _token_hash(plain)))
    now = now or utcnow()
    if token is None or token.revoked_at or (token.expires_at and token.expires_at < now):
        return None
    if not token.user.active:
        return None
    token.last_used_at = now
    # The request's scope, checked by the API before any write (see samverka.api.blueprint).
    g.token_scope = token.scope
    return token.user
