"""Storage errors, so callers can tell a missing file from a rejected upload."""

from __future__ import annotations


class StorageError(Exception):
    """Base for every failure of the file store, so callers can catch one type."""


class FileMissing(StorageError):
    """The key does not exist, or this caller may not see it (same answer on purpose)."""


class FileRejected(StorageError):
    """An upload broke the policy; ``message`` is Swedish and safe to show the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StorageUnavailable(StorageError):
    """The store did not answer in time or refused; the upload or download may be retried later."""
