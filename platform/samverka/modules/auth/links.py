"""Invites and password resets: one-time, expiring links whose tokens are stored hashed."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _

from samverka.db.base import utcnow
from samverka.db.crypto import blind_index
from samverka.extensions import db
from samverka.modules.auth import mail
from samverka.modules.auth.models import UNUSABLE_PASSWORD, MunicipalRole, User
from samverka.modules.auth.models_links import AccountLink, LinkPurpose
from samverka.modules.auth.operations import (
    AccountError,
    find_user_by_email,
    grant_membership,
    set_password,
)
from samverka.modules.tenancy.models import Tenant

INVITE_TTL = timedelta(days=3)
RESET_TTL = timedelta(hours=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _issue(user: User, purpose: LinkPurpose, ttl: timedelta, created_by: int | None) -> str:
    """A new link; earlier unused links of the same kind stop working."""
    now = utcnow()
    db.session.execute(
        sa.update(AccountLink)
        .where(
            AccountLink.user_id == user.id,
            AccountLink.purpose == purpose,
            AccountLink.used_at.is_(None),
        )
        .values(used_at=now)
    )
    plain = secrets.token_urlsafe(32)
    db.session.add(
        AccountLink(
            user_id=user.id,
            purpose=purpose,
            token_hash=_hash(plain),
            expires_at=now + ttl,
            created_by=created_by,
        )
    )
    db.session.flush()
    return plain


def _url(plain: str) -> str:
    return current_app.config["SETTINGS"].base_url + url_for("auth.use_link", token=plain)


def invite(
    email: str,
    name: str,
    *,
    invited_by: User,
    tenant: Tenant | None = None,
    role: MunicipalRole = MunicipalRole.member,
    organisation_id: int | None = None,
) -> User:
    """Create the account (no password yet) or reuse it, grant the membership, mail the link.

    A person who already has a password gets the membership and no link.
    """
    email = email.strip()
    if "@" not in email or len(email) > 320:
        raise AccountError(_("Ange en giltig e-postadress."))
    user = find_user_by_email(email)
    if user is None:
        if not name.strip():
            raise AccountError(_("Ange ett namn."))
        user = User(
            email=email,
            email_lookup=blind_index(email),
            name=name.strip()[:200],
            password_hash=UNUSABLE_PASSWORD,
        )
        db.session.add(user)
        db.session.flush()
    if tenant is not None:
        grant_membership(user, tenant, role, organisation_id)
    if not user.has_password:
        plain = _issue(user, LinkPurpose.invite, INVITE_TTL, invited_by.id)
        where = tenant.name if tenant else "Samverka"
        mail.queue(
            "invite",
            user.email,
            _("Inbjudan till Samverka"),
            _(
                "Hej!\n\n%(inviter)s har bjudit in dig till Samverka (%(where)s).\n"
                "Välj ditt lösenord här inom tre dygn:\n\n%(url)s\n\n"
                "Länken fungerar en gång. Om du inte väntade dig inbjudan kan du bortse från den.",
                inviter=invited_by.name,
                where=where,
                url=_url(plain),
            ),
        )
    return user


def request_reset(email: str) -> None:
    """Mail a reset link if the address has an active account; say nothing either way."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    plain = _issue(user, LinkPurpose.reset, RESET_TTL, None)
    mail.queue(
        "reset",
        user.email,
        _("Återställ ditt lösenord i Samverka"),
        _(
            "Hej!\n\nNågon (förhoppningsvis du) bad om att få byta lösenord i Samverka.\n"
            "Välj ett nytt lösenord här inom en timme:\n\n%(url)s\n\n"
            "Länken fungerar en gång. Om det inte var du kan du bortse från meddelandet.",
            url=_url(plain),
        ),
    )


def open_link(plain: str) -> AccountLink | None:
    """The unused, unexpired link for this token whose account is active, or None."""
    if not plain or len(plain) > 100:
        return None
    link = db.session.scalar(sa.select(AccountLink).where(AccountLink.token_hash == _hash(plain)))
    if link is None or link.used_at is not None or link.expires_at <= utcnow():
        return None
    if not link.user.active:
        return None
    return link


def use_link(link: AccountLink, password: str) -> User:
    """Set the password, spend the link and end every open session of the account."""
    set_password(link.user, password)
    link.used_at = utcnow()
    return link.user
