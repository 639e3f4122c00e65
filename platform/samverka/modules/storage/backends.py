"""Byte stores behind one small interface, so uploads work on local disk and S3/MinIO alike."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol, runtime_checkable

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotoConnectionError

from samverka.modules.storage.errors import FileMissing, StorageError, StorageUnavailable

_MAX_KEY_BYTES = 1024
_MISSING_CODES = frozenset({"NoSuchKey", "NotFound", "404"})
_NO_BUCKET_CODES = frozenset({"NoSuchBucket", "NotFound", "404"})
_DENIED_CODES = frozenset({"AccessDenied", "Forbidden", "403", "InvalidAccessKeyId"})
#: Defaults for a store that accepts connections but does not answer (seconds, tries in all).
CONNECT_TIMEOUT = 5
READ_TIMEOUT = 15
MAX_ATTEMPTS = 2


@runtime_checkable
class Storage(Protocol):
    """What the app needs from a file store; keys are '/'-separated relative names."""

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store ``data`` under ``key``, replacing any earlier content."""

    def read(self, key: str) -> bytes:
        """Return the stored bytes; raise ``FileMissing`` if there are none."""

    def delete(self, key: str) -> None:
        """Remove the key; deleting a missing key is a no-op, so retries are safe."""

    def exists(self, key: str) -> bool:
        """Tell whether the key holds a file."""

    def check(self) -> str | None:
        """None if the store can be used; otherwise what is wrong and what to do (for /readyz)."""

    def keys(self, prefix: str) -> list[str]:
        """Every stored key starting with ``prefix`` (a tenant's folder, for backups), sorted."""


def check_key(key: str) -> str:
    """Refuse keys that could name something outside the store or another tenant's folder."""
    if not isinstance(key, str) or not key or not key.isprintable():
        raise StorageError("Storage key must be a non-empty printable string")
    if len(key.encode()) > _MAX_KEY_BYTES or key.startswith("/") or "\\" in key:
        raise StorageError("Storage key must be relative, short and use '/' separators")
    if any(part in {"", ".", ".."} for part in key.split("/")):
        raise StorageError("Storage key must not contain empty, '.' or '..' segments")
    return key


class LocalStorage(Storage):
    """Files below one directory; for the embedded default and single-server installs."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()

    def _path(self, key: str) -> Path:
        check_key(key)
        path = (self.root / key).resolve()
        # Also catches symlinks inside the root that point elsewhere.
        if path == self.root or not path.is_relative_to(self.root):
            raise StorageError("Storage key escapes the storage directory")
        return path

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Write via a temp file and ``os.replace`` so readers never see half a file."""
        path = self._path(key)
        tmp: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
            tmp = None
        except OSError as exc:
            raise StorageError("Could not write file to local storage") from exc
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    def read(self, key: str) -> bytes:
        """Return the file's bytes."""
        path = self._path(key)
        try:
            return path.read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
            raise FileMissing("No such file in storage") from exc
        except OSError as exc:
            raise StorageError("Could not read file from local storage") from exc

    def delete(self, key: str) -> None:
        """Remove the file, and its folder if now empty (keys before 2026-12 had one per upload)."""
        path = self._path(key)
        try:
            path.unlink(missing_ok=True)
        except IsADirectoryError:
            return
        except OSError as exc:
            raise StorageError("Could not delete file from local storage") from exc
        if path.parent != self.root:
            with contextlib.suppress(OSError):
                path.parent.rmdir()

    def exists(self, key: str) -> bool:
        """True only for a regular file, not a folder prefix."""
        return self._path(key).is_file()

    def check(self) -> str | None:
        """None when files can be written; otherwise what is wrong and what to do, in Swedish."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd, probe = tempfile.mkstemp(dir=self.root, prefix=".check-")
            os.close(fd)
            os.unlink(probe)
        except OSError as exc:
            return (
                f"Filmappen {self.root} går inte att skriva till ({exc.strerror or exc}). "
                "Kontrollera STORAGE_DIR, att disken inte är full och att tjänsten har skrivrätt."
            )
        return None

    def keys(self, prefix: str) -> list[str]:
        """Walk the folder the prefix names; temp files of unfinished writes are left out."""
        folder = self._path(prefix.rstrip("/"))
        if not folder.is_dir():
            return []
        found = (p.relative_to(self.root).as_posix() for p in folder.rglob("*") if p.is_file())
        return sorted(k for k in found if k.startswith(prefix) and "/.tmp-" not in f"/{k}")


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


@contextlib.contextmanager
def _s3_errors() -> Iterator[None]:
    """Turn botocore errors into ours so callers need not import botocore."""
    try:
        yield
    except ClientError as exc:
        code = _code(exc)
        if code in _MISSING_CODES:
            raise FileMissing("No such file in storage") from exc
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        error = StorageUnavailable if status >= 500 else StorageError
        raise error(f"S3 request failed: {code or 'unknown error'}") from exc
    except (BotoConnectionError, HTTPClientError) as exc:  # refused, timed out, dropped
        raise StorageUnavailable(f"S3 did not answer: {type(exc).__name__}") from exc
    except BotoCoreError as exc:
        raise StorageError(f"S3 request failed: {type(exc).__name__}") from exc


class S3Storage(Storage):
    """Objects in one S3 bucket; ``endpoint_url`` points it at MinIO or another S3 clone."""

    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self.bucket = bucket
        self.region = region
        self.endpoint_url = endpoint_url
        # Without limits botocore waits 60 s per read and retries, holding a request thread for
        # minutes when S3 accepts connections but never answers.
        config = Config(
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            retries={"mode": "standard", "total_max_attempts": max_attempts},
            # MinIO and most clones only understand path-style bucket addressing.
            s3={"addressing_style": "path"} if endpoint_url else None,
        )
        # A private session: boto3's default session is not thread-safe to create.
        self.client = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            config=config,
        )

    def ensure_bucket(self) -> None:
        """Create the bucket if it is missing, so a fresh MinIO works without manual steps."""
        with contextlib.suppress(FileMissing), _s3_errors():
            self.client.head_bucket(Bucket=self.bucket)
            return
        kwargs: dict[str, object] = {"Bucket": self.bucket}
        if self.region and self.region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": self.region}
        with _s3_errors():
            try:
                self.client.create_bucket(**kwargs)
            except ClientError as exc:
                if _code(exc) != "BucketAlreadyOwnedByYou":  # lost a harmless race
                    raise

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Upload the object with its content type."""
        check_key(key)
        with _s3_errors():
            self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type)

    def read(self, key: str) -> bytes:
        """Download the whole object."""
        check_key(key)
        with _s3_errors():
            response = self.client.get_object(Bucket=self.bucket, Key=key)
            return response["Body"].read()

    def delete(self, key: str) -> None:
        """Delete the object; S3 itself treats a missing key as success."""
        check_key(key)
        with _s3_errors():
            self.client.delete_object(Bucket=self.bucket, Key=key)

    def check(self) -> str | None:
        """None when the bucket answers; otherwise what is wrong and what to do, in Swedish."""
        where = self.endpoint_url or "AWS"
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError as exc:
            code = _code(exc)
            if code in _NO_BUCKET_CODES:
                return (
                    f"S3-bucketen {self.bucket!r} finns inte hos {where}. Skapa den "
                    "(`samverka storage create-bucket`) eller rätta S3_BUCKET."
                )
            if code in _DENIED_CODES:
                return (
                    f"S3 nekar åtkomst till bucketen {self.bucket!r} ({code}). Kontrollera "
                    "S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY och bucketens behörigheter."
                )
            return f"S3-bucketen {self.bucket!r} hos {where} svarade {code or 'med ett fel'}."
        except BotoCoreError as exc:
            return (
                f"S3 hos {where} svarar inte ({type(exc).__name__}). Kontrollera "
                "S3_ENDPOINT_URL, nätverket och S3_CONNECT_TIMEOUT/S3_READ_TIMEOUT."
            )
        return None

    def exists(self, key: str) -> bool:
        """HEAD the object; a 404 means no."""
        check_key(key)
        try:
            with _s3_errors():
                self.client.head_object(Bucket=self.bucket, Key=key)
        except FileMissing:
            return False
        return True

    def keys(self, prefix: str) -> list[str]:
        """List the objects under the prefix, page by page."""
        found: list[str] = []
        with _s3_errors():
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=prefix
            )
            for page in pages:
                found.extend(item["Key"] for item in page.get("Contents", []))
        return sorted(found)
