"""Job records: status, progress and failures, shown to the user who started the job."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from samverka.db.base import SHARED, Base, utcnow


class JobStatus(StrEnum):
    queued = "queued"
    running = "running"
    retrying = "retrying"
    finished = "finished"
    failed = "failed"
    cancelled = "cancelled"


class JobRecord(Base):
    """One enqueued job; arguments are ids only, never personal data."""

    __tablename__ = "jobs"
    __table_args__ = (sa.Index(None, "user_id", "created_at"), {"schema": SHARED})

    id: Mapped[str] = mapped_column(
        sa.String(36), primary_key=True, default=lambda: str(uuid.uuid4())
    )
    task: Mapped[str] = mapped_column(sa.String(120))
    #: The tenant the job runs in; None only for platform or region jobs.
    tenant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey(f"{SHARED}.tenants.id", ondelete="CASCADE")
    )
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey(f"{SHARED}.users.id", ondelete="SET NULL")
    )
    args: Mapped[list[Any]] = mapped_column(sa.JSON, default=list)
    status: Mapped[JobStatus] = mapped_column(
        sa.Enum(JobStatus, native_enum=False, length=20), default=JobStatus.queued
    )
    #: 0–100, reported by the job as it goes.
    progress: Mapped[int] = mapped_column(default=0)
    message: Mapped[str | None] = mapped_column(sa.String(300))
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=3)
    #: Exception type and error id only; the detail is in the server log under ``error_ref``.
    error: Mapped[str | None] = mapped_column(sa.Text)
    #: The error id that the failure's log line carries.
    error_ref: Mapped[str | None] = mapped_column(sa.String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: When the queue last accepted the job; None while it waits for Redis (the reconciler sends it).
    dispatched_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    #: Renewed while the job runs; a running job whose heartbeat is old has lost its worker.
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    @property
    def done(self) -> bool:
        return self.status in DONE

    def is_stale(self, now: datetime, stale_after: timedelta) -> bool:
        """Running, but no sign of life for longer than ``stale_after``."""
        beat = self.heartbeat_at or self.started_at
        return self.status == JobStatus.running and (beat is None or beat < now - stale_after)


DONE = frozenset({JobStatus.finished, JobStatus.failed, JobStatus.cancelled})


class DoneOnce(Base):
    """A side effect that has happened: its key is inserted once, a second insert fails.

    Jobs may run twice (a retry after a lost worker); they claim a key before an effect that
    must not repeat (an e-mail, a periodic slot) and skip it when the claim fails.
    """

    __tablename__ = "done_once"
    __table_args__ = {"schema": SHARED}

    key: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    done_at: Mapped[datetime] = mapped_column(default=utcnow)
