"""A check value stored with the data proves the data key before anyone is served.

A wrong SAMVERKA_DATA_KEY would otherwise start an app where every log-in fails as "wrong e-mail
or password". The row holds an AES-GCM encryption of a constant under the (master) data key:
only the right key opens it, and it reveals nothing about the key.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
from datetime import datetime

import sqlalchemy as sa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import Flask, current_app, request
from flask_babel import gettext as _
from sqlalchemy.orm import Mapped, Session, mapped_column

from samverka.db.base import SHARED, Base, utcnow

log = logging.getLogger(__name__)
NAME = "data_key"
_PLAINTEXT = b"samverka data key check v1"
_AAD = b"samverka:key_checks:data_key"
_STATE = "samverka.keycheck"
#: Endpoints served even before the key is proven: the deployment's probes and static files.
EXEMPT = frozenset({"static", "health.healthz", "health.readyz"})

MISMATCH = (
    "SAMVERKA_DATA_KEY passar inte till databasen: den nyckel som är inställd är inte den som "
    "uppgifterna krypterades med, så ingen skulle kunna logga in. Samverka startar inte. Sätt "
    "SAMVERKA_DATA_KEY (eller filen secrets/data_key i datamappen) till den nyckel som användes "
    "när uppgifterna sparades, till exempel från säkerhetskopian av nycklarna."
)


class KeyCheck(Base):
    """One proof per key: the constant encrypted under that key."""

    __tablename__ = "key_checks"
    __table_args__ = {"schema": SHARED}

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    #: base64(nonce ‖ AES-GCM ciphertext and tag) of a fixed constant.
    value: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class KeyMismatch(RuntimeError):
    """The configured data key is not the one the stored data was written with."""

    def __init__(self, message: str = MISMATCH) -> None:
        super().__init__(message)


def seal(key: bytes) -> str:
    """A fresh check value for ``key``."""
    nonce = os.urandom(12)
    return base64.b64encode(nonce + AESGCM(key).encrypt(nonce, _PLAINTEXT, _AAD)).decode()


def opens(key: bytes, value: str) -> bool:
    """Whether ``value`` was sealed with ``key``."""
    try:
        raw = base64.b64decode(value, validate=True)
        return AESGCM(key).decrypt(raw[:12], raw[12:], _AAD) == _PLAINTEXT
    except (InvalidTag, ValueError, binascii.Error):
        return False


def _existing_data_opens(session: Session) -> bool:
    """Before the first check value: can the key read data that is already there?"""
    from samverka.modules.auth.models import User

    try:
        user = session.scalar(sa.select(User).limit(1))
        if user is not None:
            _ = (user.email, user.name)
    except sa.exc.SQLAlchemyError:
        raise
    except Exception:  # the decryption failed: this key did not write these rows
        return False
    return True


def verify_key(session: Session, key: bytes, write_if_missing: bool = True) -> str | None:
    """Prove ``key`` against the stored check value; return None when not migrated yet.

    The first time (no value stored yet) the value is written, but only if data already stored
    can be read with the key; so a wrong key is never recorded as the right one. Raises
    ``KeyMismatch`` otherwise. Returns "ok", "written" or "missing" (not written on request).
    """
    if not sa.inspect(session.connection()).has_table(KeyCheck.__tablename__, schema=SHARED):
        return None
    stored = session.get(KeyCheck, NAME)
    if stored is not None:
        if not opens(key, stored.value):
            raise KeyMismatch()
        return "ok"
    if not _existing_data_opens(session):
        raise KeyMismatch()
    if not write_if_missing:
        return "missing"
    session.add(KeyCheck(name=NAME, value=seal(key)))
    try:
        session.commit()
    except sa.exc.IntegrityError:  # another process wrote it first: check against theirs
        session.rollback()
        return verify_key(session, key, write_if_missing=False)
    return "written"


def verify_app_key(app: Flask, write_if_missing: bool = True) -> str | None:
    """Prove the app's data key once per process; later calls cost nothing."""
    if app.extensions.get(_STATE) == "ok":
        return "ok"
    from samverka.db.session import tenant_session

    with app.app_context(), tenant_session(None) as session:
        result = verify_key(session, app.config["SETTINGS"].data_key, write_if_missing)
    if result in {"ok", "written"}:
        app.extensions[_STATE] = "ok"
    return result


def refuse_wrong_key(app: Flask) -> None:
    """At start-up: raise KeyMismatch for a wrong key; an unreachable database waits for later."""
    try:
        verify_app_key(app)
    except sa.exc.OperationalError:
        log.warning("database unreachable at start-up; the data key is checked on first request")


def _guard():
    app = current_app._get_current_object()
    if app.extensions.get(_STATE) == "ok" or request.endpoint in EXEMPT:
        return None
    try:
        verify_app_key(app)
    except KeyMismatch as exc:
        log.error("%s", exc)
        from samverka.web.errors import error_page

        return error_page(
            503,
            _(
                "Samverka är felinställt och kan inte visa något just nu. "
                "Kontakta den som driver tjänsten."
            ),
        )
    return None


def init_app(app: Flask) -> None:
    """Register the first-request guard; it must run before anything reads personal data."""
    app.before_request(_guard)
