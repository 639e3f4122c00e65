"""Audit events live in the tenant's schema, beside the rows they describe."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from samverka.db.base import Base, utcnow
from samverka.db.crypto import TenantEncrypted


class AuditEvent(Base):
    """One change or read of tenant data; ``changes`` holds field names, not secret values."""

    __tablename__ = "audit_events"
    __table_args__ = (sa.Index(None, "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Shared-schema user id; no foreign key, so the schema can move to another node (Citus).
    user_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(sa.String(40))
    object_type: Mapped[str] = mapped_column(sa.String(60))
    object_id: Mapped[int | None]
    summary: Mapped[str] = mapped_column(TenantEncrypted(), default="")
    changes: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
