"""Job records: status, progress and failures, shown to the user who started the job."""

from __future__ import annotations

import uuid
from datetime import datetime
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
    error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    @property
    def done(self) -> bool:
        return self.status in {JobStatus.finished, JobStatus.failed}
