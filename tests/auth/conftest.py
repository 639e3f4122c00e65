"""Factories for account tests: organisations in a tenant, the account mail that was written."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
import sqlalchemy as sa

SCHEMAS = {"amal": "kommun_1492", "bengtsfors": "kommun_1460"}
LINK = re.compile(r"https?://[^\s]+/konto/lank/([A-Za-z0-9_\-]+)")


@pytest.fixture
def make_organisation(app) -> Callable[..., int]:
    """``make_organisation("amal", "Kristinebergskolan")`` → the new organisation's id."""

    def make(slug: str, name: str = "Rektorsområde Öst", org_type: str = "school") -> int:
        from samverka.db.session import tenant_session
        from samverka.modules.forums.models import Organisation
        from samverka.modules.forums.vocabulary import ORGANISATION_TYPES

        with app.app_context(), tenant_session(SCHEMAS[slug]) as session:
            _label, principal = ORGANISATION_TYPES[org_type]
            org = Organisation(name=name, type=org_type, principal=principal)
            session.add(org)
            session.commit()
            return org.id

    return make


@pytest.fixture
def sent_mail(app) -> Callable[[], list]:
    """The account mail written so far (detached rows: kind, to_address, subject, body)."""

    def read() -> list:
        from samverka.extensions import db
        from samverka.modules.auth.models_links import AccountMail

        with app.app_context():
            rows = db.session.scalars(sa.select(AccountMail).order_by(AccountMail.id)).all()
            db.session.expunge_all()
            return list(rows)

    return read


def link_token(message) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)
