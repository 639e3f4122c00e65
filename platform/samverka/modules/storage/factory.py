"""Pick the storage backend from configuration, so the app never names one directly."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from samverka.modules.storage.backends import (
    CONNECT_TIMEOUT,
    MAX_ATTEMPTS,
    READ_TIMEOUT,
    LocalStorage,
    S3Storage,
    Storage,
)
from samverka.modules.storage.errors import StorageError


def build_storage(config: Mapping[str, Any]) -> Storage:
    """S3/MinIO when ``S3_BUCKET`` is set, otherwise local disk under ``STORAGE_DIR``."""
    bucket = config.get("S3_BUCKET")
    if bucket:
        return S3Storage(
            bucket,
            endpoint_url=config.get("S3_ENDPOINT_URL") or None,
            region=config.get("S3_REGION") or None,
            access_key_id=config.get("S3_ACCESS_KEY_ID") or None,
            secret_access_key=config.get("S3_SECRET_ACCESS_KEY") or None,
            connect_timeout=config.get("S3_CONNECT_TIMEOUT") or CONNECT_TIMEOUT,
            read_timeout=config.get("S3_READ_TIMEOUT") or READ_TIMEOUT,
            max_attempts=config.get("S3_MAX_ATTEMPTS") or MAX_ATTEMPTS,
        )
    storage_dir = config.get("STORAGE_DIR")
    if not storage_dir:
        raise StorageError("Set S3_BUCKET or STORAGE_DIR to choose where files are stored")
    return LocalStorage(Path(storage_dir))
