"""Accounts live in the shared schema: one person may belong to several municipalities."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samverka.db.base import SHARED, Base, TimestampMixin, utcnow
from samverka.db.crypto import Encrypted
from samverka.modules.tenancy.models import Tenant


class MunicipalRole(StrEnum):
    coordinator = "coordinator"
    member = "member"


class RegionRole(StrEnum):
    analyst = "analyst"
    facilitator = "facilitator"
    steward = "steward"


#: Stored instead of a hash until an invited person sets a password; never verifies.
UNUSABLE_PASSWORD = "!"  # noqa: S105 - a marker, not a secret


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class User(UserMixin, TimestampMixin, Base):
    """A person with an account; name and e-mail are encrypted at rest."""

    __tablename__ = "users"
    __table_args__ = {"schema": SHARED}

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Keyed hash of the normalised e-mail, so log-in can find the row without decrypting.
    email_lookup: Mapped[str] = mapped_column(sa.String(64), unique=True)
    email: Mapped[str] = mapped_column(Encrypted(320))
    name: Mapped[str] = mapped_column(Encrypted(200))
    password_hash: Mapped[str] = mapped_column(sa.String(200))
    active: Mapped[bool] = mapped_column(default=True)
    is_platform_admin: Mapped[bool] = mapped_column(default=False)
    #: Part of the session cookie; rotating it ends every open session of this user.
    session_nonce: Mapped[str] = mapped_column(sa.String(40), default=new_nonce)
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    last_login_at: Mapped[datetime | None]
    #: Base32 TOTP secret once a second factor is enrolled (encrypted like the e-mail).
    totp_secret: Mapped[str | None] = mapped_column(Encrypted(64))
    #: The last accepted TOTP time step: a code is never accepted twice.
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    region_roles: Mapped[list[RegionRoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_nonce}"

    def role_in(self, tenant: Tenant) -> MunicipalRole | None:
        for membership in self.memberships:
            if membership.tenant_id == tenant.id and membership.tenant.active:
                return membership.role
        return None

    def membership_in(self, tenant_id: int) -> Membership | None:
        return next((m for m in self.memberships if m.tenant_id == tenant_id), None)

    @property
    def has_password(self) -> bool:
        """An invited person has none until they follow the link."""
        return self.password_hash != UNUSABLE_PASSWORD

    def region_roles_in(self, region: Tenant) -> set[RegionRole]:
        return {g.role for g in self.region_roles if g.region_id == region.id}

    @property
    def municipalities(self) -> list[Tenant]:
        return sorted((m.tenant for m in self.memberships if m.tenant.active), key=lambda t: t.name)

    @property
    def regions(self) -> list[Tenant]:
        seen = {g.region.id: g.region for g in self.region_roles if g.region.active}
        return sorted(seen.values(), key=lambda t: t.name)


class Membership(Base):
    """A user's role in one municipality."""

    __tablename__ = "memberships"
    __table_args__ = (sa.UniqueConstraint("user_id", "tenant_id"), {"schema": SHARED})

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey(f"{SHARED}.users.id", ondelete="CASCADE"))
    tenant_id: Mapped[int] = mapped_column(
        sa.ForeignKey(f"{SHARED}.tenants.id", ondelete="CASCADE")
    )
    role: Mapped[MunicipalRole] = mapped_column(
        sa.Enum(MunicipalRole, native_enum=False, length=20)
    )
    #: The person's organisation in this municipality (an id in the tenant's ``organisations``;
    #: no foreign key across schemas, so it is checked when granted).
    organisation_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    tenant: Mapped[Tenant] = relationship(lazy="joined")


class RegionRoleGrant(Base):
    """A user's role in a region (analyst, facilitator, steward)."""

    __tablename__ = "region_roles"
    __table_args__ = (sa.UniqueConstraint("user_id", "region_id", "role"), {"schema": SHARED})

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey(f"{SHARED}.users.id", ondelete="CASCADE"))
    region_id: Mapped[int] = mapped_column(
        sa.ForeignKey(f"{SHARED}.tenants.id", ondelete="CASCADE")
    )
    role: Mapped[RegionRole] = mapped_column(sa.Enum(RegionRole, native_enum=False, length=20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="region_roles")
    region: Mapped[Tenant] = relationship(lazy="joined")


class LoginAttempt(Base):
    """Failed log-ins, counted per account and per address to throttle guessing."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        sa.Index(None, "email_lookup", "attempted_at"),
        sa.Index(None, "client_lookup", "attempted_at"),
        {"schema": SHARED},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email_lookup: Mapped[str] = mapped_column(sa.String(64))
    #: Keyed hash of the client address: enough to throttle, useless to identify.
    client_lookup: Mapped[str] = mapped_column(sa.String(64))
    attempted_at: Mapped[datetime] = mapped_column(default=utcnow)


class TokenScope(StrEnum):
    """What a token may do: bearer calls skip CSRF, so writing is a separate, explicit grant."""

    read = "read"
    write = "write"


class ApiToken(Base):
    """A personal access token for the JSON API; only its hash is stored."""

    __tablename__ = "api_tokens"
    __table_args__ = (
        sa.CheckConstraint("scope in ('read', 'write')", name="scope"),
        {"schema": SHARED},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey(f"{SHARED}.users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(100))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: "read" (GET only) or "write"; see TokenScope.
    scope: Mapped[str] = mapped_column(
        sa.String(10), default=TokenScope.read.value, server_default=TokenScope.read.value
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")


class UserSession(Base):
    """A server-side log-in session, so logging out (or deactivation) ends it for real."""

    __tablename__ = "user_sessions"
    __table_args__ = {"schema": SHARED}

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey(f"{SHARED}.users.id", ondelete="CASCADE"), index=True
    )
    #: SHA-256 of the random value kept in the signed session cookie.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    #: How the person signed in: ``password`` or ``oidc`` (the municipality's identity provider).
    method: Mapped[str] = mapped_column(sa.String(20), default="password")
    #: Whether a second factor (TOTP or a recovery code) was checked at sign-in.
    second_factor: Mapped[bool] = mapped_column(default=False)
