"""Reads of accounts that other modules need (by id, never through their models)."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from samverka.extensions import db
from samverka.modules.auth.models import Membership, User


def names_by_id(user_ids: Iterable[int]) -> dict[int, str]:
    ids = set(user_ids)
    if not ids:
        return {}
    return {u.id: u.name for u in db.session.scalars(sa.select(User).where(User.id.in_(ids)))}


def members_of(tenant_id: int) -> list[User]:
    """Accounts with a membership in a municipality, by name."""
    users = db.session.scalars(
        sa.select(User).join(Membership).where(Membership.tenant_id == tenant_id, User.active)
    ).all()
    return sorted(users, key=lambda u: u.name.casefold())
