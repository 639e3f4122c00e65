"""The tenant registry and external figures, in the shared schema."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samverka.db.base import SHARED, Base, TimestampMixin


class TenantKind(StrEnum):
    region = "region"
    municipality = "municipality"


class Tenant(TimestampMixin, Base):
    """A region or a municipality; only municipalities own a schema of their own."""

    __tablename__ = "tenants"
    __table_args__ = {"schema": SHARED}

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[TenantKind] = mapped_column(sa.Enum(TenantKind, native_enum=False, length=20))
    #: Municipality code (four digits) or county code (two digits), as SCB assigns them.
    code: Mapped[str] = mapped_column(sa.String(8), unique=True)
    region_id: Mapped[int | None] = mapped_column(sa.ForeignKey(f"{SHARED}.tenants.id"))
    #: Database schema (PostgreSQL) or attached file name (SQLite); None for regions.
    schema_name: Mapped[str | None] = mapped_column(sa.String(63), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    #: When its schema was first brought to head; a provisioned schema that has gone missing is
    #: restored from a backup, never silently re-created empty.
    provisioned_at: Mapped[datetime | None]
    #: When the municipality left; a retired tenant is not served, synced or migrated again.
    retired_at: Mapped[datetime | None]

    region: Mapped[Tenant | None] = relationship(remote_side="Tenant.id", lazy="joined")

    @property
    def is_municipality(self) -> bool:
        return self.kind == TenantKind.municipality

    @property
    def retired(self) -> bool:
        return self.retired_at is not None

    def __repr__(self) -> str:
        return f"<Tenant {self.slug}>"


class ExternalIndicator(Base):
    """A published figure about a municipality (Kolada/SCB style); never personal data."""

    __tablename__ = "external_indicators"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "indicator", "period"),
        {"schema": SHARED},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(
        sa.ForeignKey(f"{SHARED}.tenants.id", ondelete="CASCADE")
    )
    indicator: Mapped[str] = mapped_column(sa.String(80))
    period: Mapped[str] = mapped_column(sa.String(40))
    value: Mapped[Decimal] = mapped_column(sa.Numeric(14, 4))
    unit: Mapped[str] = mapped_column(sa.String(40))
    source: Mapped[str] = mapped_column(sa.String(300))
