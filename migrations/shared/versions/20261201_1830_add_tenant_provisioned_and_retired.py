"""add tenant provisioned and retired times

Revision ID: 20261201_1830
Revises: 20261122_0736
Create Date: 2026-12-01 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261201_1830"
down_revision: str | None = "20261122_0736"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tenants", schema="shared") as batch_op:
        batch_op.add_column(sa.Column("provisioned_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True))
    # Municipalities registered before this revision had their schema created by the same
    # `db upgrade` that registered them.
    tenants = sa.table(
        "tenants",
        sa.column("kind", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("provisioned_at", sa.DateTime(timezone=True)),
        schema="shared",
    )
    op.execute(
        tenants.update()
        .where(tenants.c.kind == "municipality")
        .values(provisioned_at=tenants.c.created_at)
    )


def downgrade() -> None:
    with op.batch_alter_table("tenants", schema="shared") as batch_op:
        batch_op.drop_column("retired_at")
        batch_op.drop_column("provisioned_at")
