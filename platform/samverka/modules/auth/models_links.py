"""Account links (invites, password resets), account mail, recovery codes, identity providers."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samverka.db.base import SHARED, Base, utcnow
from samverka.db.crypto import Encrypted
from samverka.modules.auth.models import User
from samverka.modules.tenancy.models import Tenant


class LinkPurpose(StrEnum):
    invite = "invite"
    reset = "reset"


class AccountLink(Base):
    """A one-time link to set a password; only the token's hash is stored, and it expires."""

    __tablename__ = "account_links"
    __table_args__ = {"schema": SHARED}

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey(f"{SHARED}.users.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[LinkPurpose] = mapped_column(sa.Enum(LinkPurpose, native_enum=False, length=20))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    #: Who sent the invite (None for a reset the person asked for).
    created_by: Mapped[int | None]

    user: Mapped[User] = relationship(lazy="joined")


class AccountMail(Base):
    """Account e-mail (invites, resets): shared, since an account is not one municipality's.

    The body carries a one-time link, so it is encrypted like the address.
    """

    __tablename__ = "account_mail"
    __table_args__ = {"schema": SHARED}

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    to_address: Mapped[str] = mapped_column(Encrypted(320))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(Encrypted())
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(sa.String(500))


class RecoveryCode(Base):
    """A single-use code for when the authenticator is lost; only its hash is stored."""

    __tablename__ = "recovery_codes"
    __table_args__ = {"schema": SHARED}

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey(f"{SHARED}.users.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    used_at: Mapped[datetime | None]


class IdentityProvider(Base):
    """A municipality's own OpenID Connect provider; the client secret stays in the environment."""

    __tablename__ = "identity_providers"
    __table_args__ = {"schema": SHARED}

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(
        sa.ForeignKey(f"{SHARED}.tenants.id", ondelete="CASCADE"), unique=True
    )
    issuer: Mapped[str] = mapped_column(sa.String(300))
    client_id: Mapped[str] = mapped_column(sa.String(200))
    #: Name of the environment variable that holds the client secret.
    client_secret_env: Mapped[str] = mapped_column(sa.String(100))
    active: Mapped[bool] = mapped_column(default=True)

    tenant: Mapped[Tenant] = relationship(lazy="joined")
