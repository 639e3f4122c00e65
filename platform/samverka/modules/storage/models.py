"""Objects in the store whose fate is not settled yet: uploads not committed, deletes not done."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from samverka.db.base import SHARED, Base, utcnow


class PendingKind(StrEnum):
    #: Written before its row; the row's commit removes this record, a rollback leaves it.
    upload = "upload"
    #: Its row is gone; the sweep job deletes the object and then this record.
    delete = "delete"


class PendingObject(Base):
    """A storage key to clean up unless its owner's transaction claims it; keys hold no names."""

    __tablename__ = "storage_pending"
    __table_args__ = {"schema": SHARED}

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(600), unique=True)
    kind: Mapped[PendingKind] = mapped_column(sa.Enum(PendingKind, native_enum=False, length=10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    #: Failed delete attempts, so an operator can spot an object that never goes away.
    attempts: Mapped[int] = mapped_column(default=0)
