"""Aggregates computed inside each municipality and written to shared; no person, no row ids."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from samverka.db.base import SHARED, Base, utcnow


class ForumActivity(Base):
    """Forums and meetings (held against planned) per municipality, quarter, forum type and level."""

    __tablename__ = "region_forum_activity"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "quarter", "forum_type", "level"),
        {"schema": SHARED},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(
        sa.ForeignKey(f"{SHARED}.tenants.id", ondelete="CASCADE")
    )
    #: "2026-Q3"
    quarter: Mapped[str] = mapped_column(sa.String(7))
    forum_type: Mapped[str] = mapped_column(sa.String(40))
    level: Mapped[str] = mapped_column(sa.String(20))
    forums: Mapped[int]
    meetings_planned: Mapped[int]
    meetings_held: Mapped[int]
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


class AttendanceRate(Base):
    """Attendance per municipality, quarter and organisation type: expected vs present."""

    __tablename__ = "region_attendance"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "quarter", "organisation_type"),
        {"schema": SHARED},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(
        sa.ForeignKey(f"{SHARED}.tenants.id", ondelete="CASCADE")
    )
    quarter: Mapped[str] = mapped_column(sa.String(7))
    organisation_type: Mapped[str] = mapped_column(sa.String(40))
    #: Organisation-meeting pairs where the organisation was expected (a member organisation).
    expected: Mapped[int]
    #: … and where it was there (present, digital or by stand-in).
    attended: Mapped[int]
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


class PublishedCell(Base):
    """One fact a release showed the region: these interior cells of a table and period sum to this.

    Kept so the disclosure audit of a later release of the same table and period includes what
    earlier ones published; only values that were already shown are stored, never a hidden one.
    """

    __tablename__ = "region_published_cells"
    __table_args__ = (
        sa.UniqueConstraint("table_key", "period", "terms"),
        {"schema": SHARED},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The table's stable id, e.g. "forum_activity.held".
    table_key: Mapped[str] = mapped_column(sa.String(80))
    #: "2026-Q3", "2026-H1" or "2026".
    period: Mapped[str] = mapped_column(sa.String(10))
    #: JSON list of [row, column] labels summed, sorted (one pair for an interior cell).
    terms: Mapped[str] = mapped_column(sa.Text)
    value: Mapped[int]
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
