"""The encrypted file a tenant backup is written to, and the JSON encoding of its rows.

Layout: ``MAGIC``, a 4-byte length, a JSON header, then AES-256-GCM ciphertext of a ZIP.
The header (authenticated as associated data) names the tenant and carries the salt, the
nonce and a key check value, so a wrong key is told apart from a damaged file.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import os
import struct
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"SAMVERKA-TENANT-BACKUP\n"
FORMAT = 1
_INFO = b"samverka tenant backup v1"


class ArchiveError(Exception):
    """An archive that cannot be read: the message says why, for the operator."""


@dataclass(frozen=True)
class BackupKey:
    """The master key archives are derived from, and the setting it came from."""

    secret: bytes
    source: str  # "SAMVERKA_BACKUP_KEY" or "SAMVERKA_DATA_KEY"

    def derive(self, salt: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=_INFO).derive(self.secret)


def _check_value(key: bytes) -> str:
    return hmac.new(key, b"key check", hashlib.sha256).hexdigest()[:16]


def seal(payload: bytes, key: BackupKey, header: dict[str, Any]) -> bytes:
    """Encrypt a ZIP payload under a fresh salt and nonce; the header stays readable."""
    salt, nonce = os.urandom(16), os.urandom(12)
    derived = key.derive(salt)
    header = {
        **header,
        "format": FORMAT,
        "cipher": "AES-256-GCM, key HKDF-SHA256(master key, salt)",
        "key_source": key.source,
        "salt": base64.b64encode(salt).decode(),
        "nonce": base64.b64encode(nonce).decode(),
        "key_check": _check_value(derived),
    }
    head = json.dumps(header, sort_keys=True).encode()
    prefix = MAGIC + struct.pack(">I", len(head)) + head
    return prefix + AESGCM(derived).encrypt(nonce, payload, prefix)


def read_header(blob: bytes) -> tuple[dict[str, Any], bytes, bytes]:
    """Split an archive into its header, the authenticated prefix and the ciphertext."""
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + 4:
        raise ArchiveError(
            "not a Samverka tenant backup (unknown file format); nothing was changed"
        )
    (length,) = struct.unpack(">I", blob[len(MAGIC) : len(MAGIC) + 4])
    end = len(MAGIC) + 4 + length
    try:
        header = json.loads(blob[len(MAGIC) + 4 : end])
        salt = base64.b64decode(header["salt"])
        base64.b64decode(header["nonce"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ArchiveError("the backup's header is damaged; nothing was changed") from exc
    if header.get("format") != FORMAT or len(salt) != 16:
        raise ArchiveError(
            f"unsupported backup format {header.get('format')!r}; nothing was changed"
        )
    return header, blob[:end], blob[end:]


def open_sealed(blob: bytes, key: BackupKey) -> tuple[dict[str, Any], bytes]:
    """Decrypt and authenticate an archive; refuse a foreign key or a damaged file clearly."""
    header, prefix, ciphertext = read_header(blob)
    derived = key.derive(base64.b64decode(header["salt"]))
    if not hmac.compare_digest(_check_value(derived), str(header.get("key_check"))):
        raise ArchiveError(
            f"this backup was made with another key than the current {key.source} "
            f"(it was sealed under {header.get('key_source')}); nothing was changed"
        )
    try:
        payload = AESGCM(derived).decrypt(base64.b64decode(header["nonce"]), ciphertext, prefix)
    except InvalidTag as exc:
        raise ArchiveError(
            "the backup is damaged (its authentication check failed); nothing was changed"
        ) from exc
    return header, payload


def encode(value: Any) -> Any:
    """A JSON value for one column value; non-JSON types become tagged objects."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return {"t": "datetime", "v": value.isoformat()}
    if isinstance(value, date):
        return {"t": "date", "v": value.isoformat()}
    if isinstance(value, time):
        return {"t": "time", "v": value.isoformat()}
    if isinstance(value, Decimal):
        return {"t": "decimal", "v": str(value)}
    if isinstance(value, bytes | memoryview):
        return {"t": "bytes", "v": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, dict | list):
        return {"t": "json", "v": value}
    raise TypeError(f"cannot back up a value of type {type(value).__name__}")


_DECODERS = {
    "datetime": datetime.fromisoformat,
    "date": date.fromisoformat,
    "time": time.fromisoformat,
    "decimal": Decimal,
    "bytes": base64.b64decode,
    "json": lambda v: v,
}


def decode(value: Any) -> Any:
    """The column value ``encode`` wrote."""
    if isinstance(value, dict):
        return _DECODERS[value["t"]](value["v"])
    return value


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    """A ZIP of named entries, in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def unzip_bytes(payload: bytes) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            return {name: archive.read(name) for name in archive.namelist()}
    except zipfile.BadZipFile as exc:
        raise ArchiveError("the backup's contents are damaged; nothing was changed") from exc
