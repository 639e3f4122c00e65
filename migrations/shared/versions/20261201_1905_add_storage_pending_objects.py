"""add storage pending objects

Revision ID: 20261201_1905
Revises: 20261201_1900
Create Date: 2026-12-01 19:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261201_1905"
down_revision: str | None = "20261201_1900"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "storage_pending",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=600), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "upload",
                "delete",
                name="pendingkind",
                native_enum=False,
                length=10,
                schema="shared",
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_storage_pending")),
        sa.UniqueConstraint("key", name=op.f("uq_storage_pending_key")),
        schema="shared",
    )
    op.create_index(
        op.f("ix_storage_pending_created_at"),
        "storage_pending",
        ["created_at"],
        unique=False,
        schema="shared",
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_storage_pending_created_at"), table_name="storage_pending", schema="shared"
    )
    op.drop_table("storage_pending", schema="shared")
