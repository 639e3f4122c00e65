"""File storage for uploads: local disk or S3/MinIO, with tenant-scoped keys."""

from samverka.modules.storage.backends import LocalStorage, S3Storage, Storage, check_key
from samverka.modules.storage.errors import (
    FileMissing,
    FileRejected,
    StorageError,
    StorageUnavailable,
)
from samverka.modules.storage.factory import build_storage
from samverka.modules.storage.uploads import (
    ALLOWED_TYPES,
    StoredFile,
    display_filename,
    make_key,
    read_for_tenant,
    save_upload,
    validate_upload,
)

__all__ = [
    "ALLOWED_TYPES",
    "FileMissing",
    "FileRejected",
    "LocalStorage",
    "S3Storage",
    "Storage",
    "StorageError",
    "StorageUnavailable",
    "StoredFile",
    "build_storage",
    "check_key",
    "display_filename",
    "make_key",
    "read_for_tenant",
    "save_upload",
    "validate_upload",
]
