"""encrypt meeting content columns

Widens the free-text columns that now hold ciphertext under the municipality's key to TEXT and
adds the e-mail look-up hash of forum members. The data step (encrypting rows written before) is
``samverka keys encrypt-existing``, which ``samverka db upgrade`` runs after the migrations: it
needs the municipality's key from ``shared.tenant_keys``, which a tenant revision cannot reach.

Revision ID: 20261201_1831
Revises: 20261201_1810
Create Date: 2026-12-01 18:31:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261201_1831"
down_revision: str | None = "20261201_1810"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: table -> (column, old type) for the columns that become TEXT
WIDENED = {
    "audit_events": [("summary", sa.String(300))],
    "meetings": [("cancel_reason", sa.String(300))],
    "agenda_items": [("title", sa.String(300))],
    "actions": [("title", sa.String(300))],
    "attachments": [("filename", sa.String(255))],
    "outbox_messages": [("subject", sa.String(300)), ("error", sa.String(500))],
}


def upgrade() -> None:
    for table, columns in WIDENED.items():
        with op.batch_alter_table(table) as batch:
            for name, old in columns:
                batch.alter_column(name, type_=sa.Text(), existing_type=old)
    with op.batch_alter_table("forum_members") as batch:
        batch.add_column(sa.Column("email_lookup", sa.String(length=80), nullable=True))
        batch.create_index(batch.f("ix_forum_members_email_lookup"), ["email_lookup"])


def downgrade() -> None:
    with op.batch_alter_table("forum_members") as batch:
        batch.drop_index(batch.f("ix_forum_members_email_lookup"))
        batch.drop_column("email_lookup")
    for table, columns in WIDENED.items():
        with op.batch_alter_table(table) as batch:
            for name, old in columns:
                batch.alter_column(name, type_=old, existing_type=sa.Text())
