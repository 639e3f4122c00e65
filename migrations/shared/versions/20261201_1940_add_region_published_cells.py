"""add region published cells

Revision ID: 20261201_1940
Revises: 20261201_1925
Create Date: 2026-12-01 19:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261201_1940"
down_revision: str | None = "20261201_1925"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "region_published_cells",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_key", sa.String(length=80), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_region_published_cells")),
        sa.UniqueConstraint(
            "table_key",
            "period",
            "terms",
            name=op.f("uq_region_published_cells_table_key_period_terms"),
        ),
        schema="shared",
    )


def downgrade() -> None:
    op.drop_table("region_published_cells", schema="shared")
