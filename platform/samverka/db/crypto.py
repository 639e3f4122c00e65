"""Encryption at rest: the master key for platform data, a key per municipality for its own.

``SAMVERKA_DATA_KEY`` is the master key. It encrypts platform-level personal data in ``shared``
(account names and e-mails, :func:`Encrypted`, :func:`blind_index`) and wraps each municipality's
data keys, which live in ``shared.tenant_keys`` (see modules/keys) and never in the municipality's
own schema. Tenant columns (:func:`TenantEncrypted`) and stored files are encrypted under the key
of the tenant the current session is bound to; with none bound, nothing is encrypted or decrypted.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy_utils import StringEncryptedType
from sqlalchemy_utils.types.encrypted.encrypted_type import AesGcmEngine

_key: bytes | None = None

#: Purposes of a tenant key: one encrypts values, the other keys the look-up hashes.
DATA, LOOKUP = "data", "lookup"
#: A process re-reads a tenant's key list this often, so a rotation elsewhere is picked up.
CACHE_SECONDS = 60.0
#: Tenant ciphertext: ``sv<version>:<base64url(nonce | ciphertext | tag)>``.
CIPHERTEXT = re.compile(r"^sv(\d{1,6}):([A-Za-z0-9_-]+={0,2})$")
_FILE_MAGIC = b"SVF1"
_NONCE = 12


class KeyUnavailable(RuntimeError):
    """No usable key: no tenant bound, the tenant has no keys, or its keys were destroyed."""


def set_data_key(key: bytes) -> None:
    """Install the master key; create_app does this before any query."""
    global _key
    _key = key


def data_key() -> bytes:
    """Return the master key; refuse to run without one rather than store plaintext."""
    if _key is None:
        raise RuntimeError("no data key installed: create the app before touching personal data")
    return _key


def blind_index(value: str) -> str:
    """Keyed hash (master key) for equality look-ups on platform data, e.g. e-mail at login."""
    normalised = value.strip().casefold().encode()
    return hmac.new(data_key(), b"lookup:" + normalised, hashlib.sha256).hexdigest()


def Encrypted(length: int | None = None) -> StringEncryptedType:
    """A shared-schema text column encrypted with AES-GCM under the master key."""
    return StringEncryptedType(sa.Unicode(length), data_key, AesGcmEngine)


def decrypt_master_legacy(value: str) -> str | None:
    """Plaintext of a value written by :func:`Encrypted`, or None if it is not one."""
    engine = AesGcmEngine()
    engine._update_key(data_key())
    try:
        return engine.decrypt(value)
    except Exception:  # anything unreadable is "not a legacy ciphertext"
        return None


# Wrapping ------------------------------------------------------------------------------------


def _wrap_aad(slug: str, purpose: str, version: int) -> bytes:
    # Binds a wrapped key to its tenant, purpose and version: a row moved to another tenant or
    # version in the key table no longer unwraps.
    return f"samverka/tenant-key/{slug}/{purpose}/{version}".encode()


def wrap_key(raw: bytes, slug: str, purpose: str, version: int) -> bytes:
    """Encrypt a tenant key under the master key."""
    nonce = os.urandom(_NONCE)
    return nonce + AESGCM(data_key()).encrypt(nonce, raw, _wrap_aad(slug, purpose, version))


def unwrap_key(wrapped: bytes, slug: str, purpose: str, version: int) -> bytes:
    """Decrypt a tenant key; raises KeyUnavailable under the wrong master key."""
    try:
        return AESGCM(data_key()).decrypt(
            wrapped[:_NONCE], wrapped[_NONCE:], _wrap_aad(slug, purpose, version)
        )
    except InvalidTag as exc:
        raise KeyUnavailable(f"key {purpose} v{version} of {slug} does not unwrap") from exc


# The per-process key ring --------------------------------------------------------------------


@dataclass
class TenantKeys:
    """A tenant's unwrapped keys by purpose and version; the highest version is the current."""

    tenant_id: int
    slug: str
    keys: dict[str, dict[int, bytes]] = field(default_factory=dict)
    loaded_at: float = field(default_factory=time.monotonic)

    def current(self, purpose: str) -> tuple[int, bytes]:
        versions = self.keys.get(purpose)
        if not versions:
            raise KeyUnavailable(f"tenant {self.slug} has no {purpose} key")
        version = max(versions)
        return version, versions[version]

    def get(self, purpose: str, version: int) -> bytes:
        try:
            return self.keys[purpose][version]
        except KeyError:
            raise KeyUnavailable(f"tenant {self.slug} has no {purpose} key v{version}") from None


_ring: dict[str, TenantKeys] = {}
_ring_lock = threading.Lock()
_active: ContextVar[str | None] = ContextVar("samverka_tenant_schema", default=None)
_loading: ContextVar[bool] = ContextVar("samverka_loading_keys", default=False)


def _load(session: Any, schema: str) -> TenantKeys | None:
    from samverka.modules.keys.models import TenantKey
    from samverka.modules.tenancy.models import Tenant

    rows = session.execute(
        sa.select(Tenant.id, Tenant.slug, TenantKey.purpose, TenantKey.version, TenantKey.wrapped)
        .join(TenantKey, TenantKey.tenant_id == Tenant.id, isouter=True)
        .where(Tenant.schema_name == schema)
    ).all()
    if not rows:
        return None
    ring = TenantKeys(rows[0].id, rows[0].slug)
    for row in rows:
        if row.purpose is not None:
            raw = unwrap_key(row.wrapped, row.slug, row.purpose, row.version)
            ring.keys.setdefault(row.purpose, {})[row.version] = raw
    return ring


def activate(session: Any, schema: str | None) -> None:
    """Make ``schema``'s keys the ones in use, loading them through ``session`` if not cached.

    ``session`` may be a Session or a Connection. Loading through the caller's own keeps a request
    on its one connection and sees keys created earlier in the same transaction.
    """
    _active.set(schema)
    if schema is None or _loading.get():
        return
    ring = _ring.get(schema)
    if ring is None or time.monotonic() - ring.loaded_at > CACHE_SECONDS:
        token = _loading.set(True)
        try:
            loaded = _load(session, schema)
        finally:
            _loading.reset(token)
        with _ring_lock:
            if loaded is None:
                _ring.pop(schema, None)
            else:
                _ring[schema] = loaded


@sa.event.listens_for(sa.engine.Engine, "before_execute")
def _follow_statement(conn: sa.Connection, *_args: Any) -> None:
    """Every statement on a tenant's engine makes that tenant's keys current.

    The schema translate map is what routes the SQL, so the key always matches the schema the
    values go to or come from, for ORM sessions and Core connections alike. Statements on the
    unbound engine (shared tables only) leave the choice alone.
    """
    from samverka.db.engines import NO_TENANT

    schema = (conn.get_execution_options().get("schema_translate_map") or {}).get(None)
    if schema and schema != NO_TENANT:
        activate(conn, schema)


def active_schema() -> str | None:
    """The tenant schema whose keys are in use in this context."""
    return _active.get()


def use_schema(schema: str | None) -> Any:
    """Set the schema in use without loading keys; returns a token for :func:`reset_schema`."""
    return _active.set(schema)


def reset_schema(token: Any) -> None:
    _active.reset(token)


def invalidate(schema: str | None = None) -> None:
    """Forget cached keys (of one tenant, or all); rotation and destruction call this."""
    with _ring_lock:
        if schema is None:
            _ring.clear()
        else:
            _ring.pop(schema, None)


def remember(schema: str, ring: TenantKeys) -> None:
    """Cache keys just created, so the same transaction can use them."""
    with _ring_lock:
        _ring[schema] = ring


def tenant_keys(schema: str | None = None) -> TenantKeys:
    """The keys of ``schema`` (default: the bound tenant); fail closed when none is bound."""
    schema = schema or _active.get()
    if schema is None:
        raise KeyUnavailable("no tenant bound: refusing to encrypt or decrypt tenant data")
    ring = _ring.get(schema)
    if ring is None:
        raise KeyUnavailable(f"no keys loaded for {schema}")
    return ring


# Values --------------------------------------------------------------------------------------


def encrypt_text(value: str, keys: TenantKeys | None = None) -> str:
    """Encrypt under the tenant's current data key; the output names the key version."""
    version, key = (keys or tenant_keys()).current(DATA)
    nonce = os.urandom(_NONCE)
    sealed = nonce + AESGCM(key).encrypt(nonce, value.encode(), None)
    return f"sv{version}:{base64.urlsafe_b64encode(sealed).decode()}"


def ciphertext_version(value: str) -> int | None:
    """The key version a stored value was encrypted with, or None if it is not tenant ciphertext."""
    match = CIPHERTEXT.match(value)
    return int(match.group(1)) if match else None


def decrypt_text(value: str, keys: TenantKeys | None = None) -> str:
    """Decrypt with the version the value names; a foreign tenant's value fails here."""
    match = CIPHERTEXT.match(value)
    if match is None:
        raise KeyUnavailable("not a tenant ciphertext")
    key = (keys or tenant_keys()).get(DATA, int(match.group(1)))
    sealed = base64.urlsafe_b64decode(match.group(2))
    try:
        return AESGCM(key).decrypt(sealed[:_NONCE], sealed[_NONCE:], None).decode()
    except InvalidTag as exc:
        raise KeyUnavailable("value does not decrypt under this tenant's key") from exc


def encrypt_bytes(data: bytes, keys: TenantKeys | None = None) -> bytes:
    """A stored file's bytes, encrypted under the bound tenant's current key."""
    version, key = (keys or tenant_keys()).current(DATA)
    nonce = os.urandom(_NONCE)
    return _FILE_MAGIC + version.to_bytes(4, "big") + nonce + AESGCM(key).encrypt(nonce, data, None)


def decrypt_bytes(blob: bytes, keys: TenantKeys | None = None) -> bytes:
    """Inverse of :func:`encrypt_bytes`; files stored before encryption are returned as they are."""
    if not blob.startswith(_FILE_MAGIC):
        return blob
    version = int.from_bytes(blob[4:8], "big")
    key = (keys or tenant_keys()).get(DATA, version)
    nonce, sealed = blob[8 : 8 + _NONCE], blob[8 + _NONCE :]
    try:
        return AESGCM(key).decrypt(nonce, sealed, None)
    except InvalidTag as exc:
        raise KeyUnavailable("file does not decrypt under this tenant's key") from exc


def _lookup_hash(key: bytes, version: int, value: str) -> str:
    normalised = value.strip().casefold().encode()
    return f"{version}:{hmac.new(key, b'lookup:' + normalised, hashlib.sha256).hexdigest()}"


def tenant_blind_index(value: str, keys: TenantKeys | None = None) -> str:
    """Keyed look-up hash under the tenant's own look-up key (current version)."""
    version, key = (keys or tenant_keys()).current(LOOKUP)
    return _lookup_hash(key, version, value)


def lookup_candidates(value: str) -> list[str]:
    """The value's hash under every look-up key version, so look-ups work during a rotation."""
    ring = tenant_keys()
    return [_lookup_hash(key, v, value) for v, key in sorted(ring.keys.get(LOOKUP, {}).items())]


class _TenantEncrypted(sa.types.TypeDecorator):
    """Text encrypted under the bound tenant's key; '' and NULL are kept as they are.

    Keeping '' readable lets queries still ask "are there minutes?" (``== ""``) without
    revealing anything but emptiness.
    """

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: sa.Dialect) -> str | None:
        if value is None or value == "":
            return value
        return encrypt_text(value)

    def process_result_value(self, value: str | None, dialect: sa.Dialect) -> str | None:
        if value is None or value == "":
            return value
        return decrypt_text(value)


def TenantEncrypted() -> _TenantEncrypted:
    """A tenant-schema text column encrypted under the municipality's own key."""
    return _TenantEncrypted()


def is_tenant_encrypted(type_: Any) -> bool:
    return isinstance(type_, _TenantEncrypted)
