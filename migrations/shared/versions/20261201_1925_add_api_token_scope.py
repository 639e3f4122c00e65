"""add api token scope

Revision ID: 20261201_1925
Revises: 20261201_1920
Create Date: 2026-12-01 19:25:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261201_1925"
down_revision: str | None = "20261201_1920"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Tokens made before this revision could only read (the API had no writes), so "read" keeps
    # every existing script working and gives none of them a new power.
    with op.batch_alter_table("api_tokens", schema="shared") as batch_op:
        batch_op.add_column(
            sa.Column("scope", sa.String(10), nullable=False, server_default="read")
        )
        batch_op.create_check_constraint("scope", "scope in ('read', 'write')")


def downgrade() -> None:
    with op.batch_alter_table("api_tokens", schema="shared") as batch_op:
        batch_op.drop_constraint("ck_api_tokens_scope", type_="check")
        batch_op.drop_column("scope")
