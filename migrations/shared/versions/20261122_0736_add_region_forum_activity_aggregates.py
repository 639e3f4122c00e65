"""add region forum activity aggregates

Revision ID: 20261122_0736
Revises: 20261122_0733
Create Date: 2026-11-22 07:36:48.098722
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261122_0736"
down_revision: str | None = "20261122_0733"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "region_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.String(length=7), nullable=False),
        sa.Column("organisation_type", sa.String(length=40), nullable=False),
        sa.Column("expected", sa.Integer(), nullable=False),
        sa.Column("attended", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["shared.tenants.id"],
            name=op.f("fk_region_attendance_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_region_attendance")),
        sa.UniqueConstraint(
            "tenant_id",
            "quarter",
            "organisation_type",
            name=op.f("uq_region_attendance_tenant_id_quarter_organisation_type"),
        ),
        schema="shared",
    )
    op.create_table(
        "region_forum_activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.String(length=7), nullable=False),
        sa.Column("forum_type", sa.String(length=40), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("forums", sa.Integer(), nullable=False),
        sa.Column("meetings_planned", sa.Integer(), nullable=False),
        sa.Column("meetings_held", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["shared.tenants.id"],
            name=op.f("fk_region_forum_activity_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_region_forum_activity")),
        sa.UniqueConstraint(
            "tenant_id",
            "quarter",
            "forum_type",
            "level",
            name=op.f("uq_region_forum_activity_tenant_id_quarter_forum_type_level"),
        ),
        schema="shared",
    )


def downgrade() -> None:
    op.drop_table("region_forum_activity", schema="shared")
    op.drop_table("region_attendance", schema="shared")
