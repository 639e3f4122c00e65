"""Encryption at rest for personal data and keyed hashes for looking it up."""

from __future__ import annotations

import hashlib
import hmac

import sqlalchemy as sa
from sqlalchemy_utils import StringEncryptedType
from sqlalchemy_utils.types.encrypted.encrypted_type import AesGcmEngine

_key: bytes | None = None


def set_data_key(key: bytes) -> None:
    """Install the data key; create_app does this before any query."""
    global _key
    _key = key


def data_key() -> bytes:
    """Return the installed data key; refuse to run without one rather than store plaintext."""
    if _key is None:
        raise RuntimeError("no data key installed: create the app before touching personal data")
    return _key


def blind_index(value: str) -> str:
    """Keyed hash for equality look-ups on an encrypted value (e.g. e-mail at login)."""
    normalised = value.strip().casefold().encode()
    return hmac.new(data_key(), b"lookup:" + normalised, hashlib.sha256).hexdigest()


def Encrypted(length: int | None = None) -> StringEncryptedType:
    """A text column encrypted with AES-GCM under the data key."""
    return StringEncryptedType(sa.Unicode(length), data_key, AesGcmEngine)
