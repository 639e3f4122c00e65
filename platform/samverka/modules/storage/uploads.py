"""Upload policy: which files a municipality may store, under which key, and who may read them."""

from __future__ import annotations

import math
import re
import unicodedata
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from samverka.db.crypto import decrypt_bytes, encrypt_bytes
from samverka.modules.storage.backends import Storage, check_key
from samverka.modules.storage.errors import FileMissing, FileRejected, StorageError

_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."

#: Allowed extension -> MIME type stored with the file; anything else is refused.
ALLOWED_TYPES: Mapping[str, str] = MappingProxyType(
    {
        "pdf": "application/pdf",
        "docx": _OOXML + "wordprocessingml.document",
        "xlsx": _OOXML + "spreadsheetml.sheet",
        "pptx": _OOXML + "presentationml.presentation",
        "odt": _ODF + "text",
        "ods": _ODF + "spreadsheet",
        "txt": "text/plain; charset=utf-8",
        "csv": "text/csv; charset=utf-8",
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
    }
)

_ZIP = b"PK\x03\x04"
#: Leading bytes each binary type must start with, so a renamed .exe is not let through.
_MAGIC: Mapping[str, bytes] = {
    "pdf": b"%PDF-",
    "docx": _ZIP,
    "xlsx": _ZIP,
    "pptx": _ZIP,
    "odt": _ZIP,
    "ods": _ZIP,
    "png": b"\x89PNG\r\n\x1a\n",
    "jpg": b"\xff\xd8\xff",
    "jpeg": b"\xff\xd8\xff",
}
_TEXT_TYPES = frozenset({"txt", "csv"})
_NAME_RE = re.compile(r"[a-z0-9_]+")
_FALLBACK = "fil"
_MAX_STEM = 100
_MAX_EXT = 10


@dataclass(frozen=True, slots=True)
class StoredFile:
    """What the caller saves in its own table to find and show the file later."""

    key: str
    filename: str
    size: int
    content_type: str


def _check_name(value: str, what: str) -> None:
    if not isinstance(value, str) or not _NAME_RE.fullmatch(value):
        raise ValueError(f"{what} must match ^[a-z0-9_]+$, not {value!r}")


def _split_name(filename: str) -> tuple[str, str]:
    """Last path component as (stem, lower-case extension); browsers may send full paths."""
    base = re.split(r"[/\\]", filename)[-1].strip()
    stem, dot, ext = base.rpartition(".")
    return (stem, ext.strip().lower()) if dot else (base, "")


def _megabytes(max_bytes: int) -> str:
    """Swedish decimal comma, rounded up so a small limit never reads as "0 MB"."""
    tenths = math.ceil(max_bytes * 10 / (1024 * 1024))
    return f"{tenths / 10:.1f}".removesuffix(".0").replace(".", ",")


def _content_matches(ext: str, data: bytes) -> bool:
    if ext in _TEXT_TYPES:
        if b"\x00" in data:
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    return data.startswith(_MAGIC[ext])


def display_filename(filename: str) -> str:
    """The user's own name (å, ä, ö kept) without folders, control or bidi-override characters."""
    stem, ext = _split_name(unicodedata.normalize("NFC", filename))
    stem = "".join(ch for ch in stem if not unicodedata.category(ch).startswith("C"))
    stem = " ".join(stem.split())[:_MAX_STEM] or _FALLBACK
    ext = "".join(ch for ch in ext if ch.isalnum())[:_MAX_EXT]
    return f"{stem}.{ext}" if ext else stem


def make_key(tenant_schema: str, module: str) -> str:
    """``tenant/module/<uuid>``: unique, the tenant prefix scopes every read, and no file name
    (which may be personal data) ends up in the store; the name lives in the caller's row."""
    _check_name(tenant_schema, "tenant_schema")
    _check_name(module, "module")
    return check_key(f"{tenant_schema}/{module}/{uuid.uuid4().hex}")


def validate_upload(filename: str, data: bytes, max_bytes: int) -> str:
    """Return the MIME type to store, or raise ``FileRejected`` with a Swedish message."""
    if not data:
        raise FileRejected("Filen är tom.")
    if len(data) > max_bytes:
        raise FileRejected(f"Filen är för stor: högst {_megabytes(max_bytes)} MB.")
    _, ext = _split_name(filename)
    if ext not in ALLOWED_TYPES:
        allowed = ", ".join(f".{name}" for name in ALLOWED_TYPES)
        if not ext:
            raise FileRejected(f"Filen saknar filändelse. Tillåtna typer: {allowed}.")
        shown = "".join(ch for ch in ext if ch.isalnum())[:20]
        raise FileRejected(f"Filtypen .{shown} är inte tillåten. Tillåtna typer: {allowed}.")
    if not _content_matches(ext, data):
        hint = " Textfiler måste vara sparade som UTF-8." if ext in _TEXT_TYPES else ""
        raise FileRejected(f"Filens innehåll stämmer inte med filtypen .{ext}.{hint}")
    return ALLOWED_TYPES[ext]


def save_upload(
    storage: Storage,
    tenant_schema: str,
    module: str,
    filename: str,
    data: bytes,
    max_bytes: int,
    before_write: Callable[[str], None] | None = None,
) -> StoredFile:
    """Check the upload against the policy, then store it under a fresh tenant-scoped key.

    ``before_write(key)`` runs once the key is known and before any byte is stored, so the
    caller can record the key durably and clean up if its own row never commits.
    """
    content_type = validate_upload(filename, data, max_bytes)
    key = make_key(tenant_schema, module)
    if before_write is not None:
        before_write(key)
    storage.put(key, encrypt_bytes(data), content_type)  # under the bound tenant's key
    return StoredFile(
        key=key, filename=display_filename(filename), size=len(data), content_type=content_type
    )


def read_for_tenant(storage: Storage, tenant_schema: str, key: str) -> bytes:
    """Read only keys inside this tenant's folder, so a forged key can never cross tenants."""
    _check_name(tenant_schema, "tenant_schema")
    try:
        check_key(key)
    except StorageError as exc:
        raise FileMissing("No such file for this tenant") from exc
    if not key.startswith(f"{tenant_schema}/"):
        raise FileMissing("No such file for this tenant")
    return decrypt_bytes(storage.read(key))
