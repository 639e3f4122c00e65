"""add record versions for optimistic locking

Revision ID: 20261201_1810
Revises: 20261122_0736
Create Date: 2026-12-01 18:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261201_1810"
down_revision: str | None = "20261122_0736"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Every editable table; existing rows start at version 1.
TABLES = (
    "organisations",
    "forums",
    "forum_members",
    "meetings",
    "agenda_items",
    "attendance",
    "decisions",
    "actions",
)


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False)
            )


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
