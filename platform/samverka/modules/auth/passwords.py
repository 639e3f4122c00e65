"""Argon2 password hashing and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
#: Burn the same time for unknown accounts as for known ones, so timing reveals nothing.
_DUMMY_HASH = _hasher.hash("not-a-real-password")
MIN_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def password_problem(password: str) -> str | None:
    """A Swedish explanation of why a password is not acceptable, or None."""
    if len(password) < MIN_LENGTH:
        return f"Lösenordet måste ha minst {MIN_LENGTH} tecken."
    if len(password) > 200:
        return "Lösenordet får ha högst 200 tecken."
    if password.strip() != password:
        return "Lösenordet får inte börja eller sluta med mellanslag."
    return None
