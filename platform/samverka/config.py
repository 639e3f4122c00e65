"""Typed settings read from the environment and validated at start-up."""

from __future__ import annotations

import base64
import contextlib
import os
import secrets
import tempfile
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

#: The repository root when running from a checkout (editable install or source tree).
SOURCE_ROOT = Path(__file__).resolve().parents[2]


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be 1/0, true/false, yes/no or on/off, not {raw!r}")


def _int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer, not {raw!r}") from exc
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}")
    return value


def _path(name: str, default: Path) -> Path:
    raw = os.environ.get(name)
    return Path(raw).resolve() if raw else default


def _pooler() -> str | None:
    raw = os.environ.get("SAMVERKA_DB_POOLER") or None
    if raw not in {None, "transaction"}:
        raise ConfigError(f"SAMVERKA_DB_POOLER must be 'transaction' or unset, not {raw!r}")
    return raw


def _place(tmp: str, path: Path) -> None:
    """Put a written file in place only if ``path`` does not exist yet."""
    try:
        os.link(tmp, path)  # atomic, and fails if the file exists
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links
        if path.exists():
            raise FileExistsError(path) from None
        os.rename(tmp, path)


def _secret_file(path: Path, nbytes: int, variable: str) -> str:
    """Read or create a locally persisted secret so the embedded default survives restarts.

    Created atomically (temp file, fsync, link into place), so a full disk or a crash never
    leaves a half-written key, and two processes starting at once agree on one key.
    """
    expected = len(base64.b64encode(bytes(nbytes)))
    if path.exists():
        try:
            value = path.read_text().strip()
        except OSError as exc:
            raise ConfigError(f"{variable}: cannot read {path}: {exc.strerror or exc}") from exc
        if len(value) < expected:
            state = (
                "is empty" if not value else f"is too short ({len(value)} of {expected} characters)"
            )
            raise ConfigError(
                f"{variable}: the key file {path} {state}; it was probably cut off while being "
                f"written (a full disk?). Restore it from your backup, or set {variable}. Delete "
                "the file only if nothing has been stored with it yet: a new key cannot read "
                "old data."
            )
        return value
    value = base64.b64encode(secrets.token_bytes(nbytes)).decode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(value)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o600)
            _place(tmp, path)
        except FileExistsError:  # another process created it meanwhile: use theirs
            return _secret_file(path, nbytes, variable)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    except OSError as exc:
        raise ConfigError(
            f"{variable}: cannot write the key file {path}: {exc.strerror or exc}. "
            f"Free disk space or fix the folder's permissions, or set {variable}."
        ) from exc
    return value


@dataclass(frozen=True)
class Settings:
    """Every setting Samverka reads; README's table documents the same names."""

    data_dir: Path
    database_url: str | None
    redis_url: str | None
    secret_key: str
    data_key: bytes
    #: Seals tenant backups; None: backups are sealed under a key derived from data_key.
    backup_key: bytes | None
    tenants_dir: Path
    migrations_dir: Path
    migration_workers: int
    secure_cookies: bool
    upload_max_mb: int
    s3_bucket: str | None
    s3_endpoint_url: str | None
    s3_region: str | None
    s3_access_key_id: str | None
    s3_secret_access_key: str | None
    s3_connect_timeout: int
    s3_read_timeout: int
    s3_max_attempts: int
    storage_grace_minutes: int
    login_max_failures: int
    login_window_minutes: int
    idle_timeout_minutes: int
    job_max_attempts: int
    smtp_host: str | None
    smtp_port: int
    smtp_user: str | None
    smtp_password: str | None
    smtp_from: str
    base_url: str
    #: "transaction" when DATABASE_URL points at a transaction pooler (PgBouncer); see SCALING.md.
    db_pooler: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def uses_postgres(self) -> bool:
        return bool(self.database_url) and self.database_url.startswith("postgresql")

    @classmethod
    def from_env(cls) -> Settings:
        """Read the environment; raise ConfigError naming the first bad variable."""
        data_dir = _path("SAMVERKA_DATA_DIR", SOURCE_ROOT / "instance")
        database_url = os.environ.get("DATABASE_URL") or None
        if database_url:
            if database_url.startswith("postgres://"):
                database_url = "postgresql+psycopg://" + database_url[len("postgres://") :]
            elif database_url.startswith("postgresql://"):
                database_url = "postgresql+psycopg://" + database_url[len("postgresql://") :]
            if not database_url.startswith("postgresql+"):
                raise ConfigError(
                    "DATABASE_URL must point to PostgreSQL; leave it unset for the embedded SQLite"
                )
        secret_key = os.environ.get("SAMVERKA_SECRET_KEY") or _secret_file(
            data_dir / "secrets" / "secret_key", 32, "SAMVERKA_SECRET_KEY"
        )
        raw_key = os.environ.get("SAMVERKA_DATA_KEY") or _secret_file(
            data_dir / "secrets" / "data_key", 32, "SAMVERKA_DATA_KEY"
        )
        try:
            data_key = base64.b64decode(raw_key, validate=True)
        except ValueError as exc:
            raise ConfigError("SAMVERKA_DATA_KEY must be base64") from exc
        if len(data_key) != 32:
            raise ConfigError("SAMVERKA_DATA_KEY must decode to 32 bytes")
        backup_key = None
        if raw_backup_key := os.environ.get("SAMVERKA_BACKUP_KEY"):
            try:
                backup_key = base64.b64decode(raw_backup_key, validate=True)
            except ValueError as exc:
                raise ConfigError("SAMVERKA_BACKUP_KEY must be base64") from exc
            if len(backup_key) != 32:
                raise ConfigError("SAMVERKA_BACKUP_KEY must decode to 32 bytes")
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            redis_url=os.environ.get("REDIS_URL") or None,
            secret_key=secret_key,
            data_key=data_key,
            backup_key=backup_key,
            tenants_dir=_path("SAMVERKA_TENANTS_DIR", SOURCE_ROOT / "tenants"),
            migrations_dir=_path("SAMVERKA_MIGRATIONS_DIR", SOURCE_ROOT / "migrations"),
            migration_workers=_int("SAMVERKA_MIGRATION_WORKERS", 4, minimum=1),
            secure_cookies=_bool("SAMVERKA_SECURE_COOKIES", False),
            upload_max_mb=_int("SAMVERKA_UPLOAD_MAX_MB", 20, minimum=1),
            s3_bucket=os.environ.get("S3_BUCKET") or None,
            s3_endpoint_url=os.environ.get("S3_ENDPOINT_URL") or None,
            s3_region=os.environ.get("S3_REGION") or None,
            s3_access_key_id=os.environ.get("S3_ACCESS_KEY_ID") or None,
            s3_secret_access_key=os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            s3_connect_timeout=_int("S3_CONNECT_TIMEOUT", 5, minimum=1),
            s3_read_timeout=_int("S3_READ_TIMEOUT", 15, minimum=1),
            s3_max_attempts=_int("S3_MAX_ATTEMPTS", 2, minimum=1),
            storage_grace_minutes=_int("SAMVERKA_STORAGE_GRACE_MINUTES", 60, minimum=1),
            login_max_failures=_int("SAMVERKA_LOGIN_MAX_FAILURES", 5, minimum=1),
            login_window_minutes=_int("SAMVERKA_LOGIN_WINDOW_MINUTES", 15, minimum=1),
            idle_timeout_minutes=_int("SAMVERKA_IDLE_TIMEOUT_MINUTES", 30, minimum=1),
            job_max_attempts=_int("SAMVERKA_JOB_MAX_ATTEMPTS", 3, minimum=1),
            smtp_host=os.environ.get("SMTP_HOST") or None,
            smtp_port=_int("SMTP_PORT", 587, minimum=1),
            smtp_user=os.environ.get("SMTP_USER") or None,
            smtp_password=os.environ.get("SMTP_PASSWORD") or None,
            smtp_from=os.environ.get("SMTP_FROM", "samverka@localhost"),
            base_url=os.environ.get("SAMVERKA_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
            db_pooler=_pooler(),
        )

    def replace(self, **changes: Any) -> Settings:
        """Return a copy with some settings changed (tests and the demo use this)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return Settings(**values)
