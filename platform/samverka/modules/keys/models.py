"""The key table: each municipality's data keys, wrapped by the master key (shared schema)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from samverka.db.base import SHARED, Base, utcnow


class TenantKey(Base):
    """One version of one tenant key; kept outside the tenant's schema so its backups hold none.

    Deleting a tenant's rows here makes every copy of its schema unreadable (crypto-shredding).
    """

    __tablename__ = "tenant_keys"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "purpose", "version"),
        {"schema": SHARED},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(
        sa.ForeignKey(f"{SHARED}.tenants.id", ondelete="CASCADE")
    )
    #: "data" encrypts values and files; "lookup" keys the blind indexes.
    purpose: Mapped[str] = mapped_column(sa.String(20))
    version: Mapped[int]
    #: nonce | AES-GCM(master key, raw key), bound to tenant slug, purpose and version.
    wrapped: Mapped[bytes] = mapped_column(sa.LargeBinary(128))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Set once no row uses this version any more; the key stays for older backups.
    retired_at: Mapped[datetime | None]
