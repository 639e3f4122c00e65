"""add job heartbeats, dispatch times, error ids and done-once keys

Revision ID: 20261201_1900
Revises: 20261201_1830
Create Date: 2026-12-01 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261201_1900"
down_revision: str | None = "20261201_1830"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema="shared") as batch:
        batch.add_column(sa.Column("error_ref", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
    # Jobs queued before this revision were handed to the queue when they were enqueued.
    jobs = sa.table(
        "jobs",
        sa.column("status", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("dispatched_at", sa.DateTime(timezone=True)),
        schema="shared",
    )
    op.execute(
        jobs.update()
        .where(jobs.c.status.in_(["queued", "retrying"]))
        .values(dispatched_at=jobs.c.created_at)
    )
    op.create_table(
        "done_once",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_done_once")),
        schema="shared",
    )


def downgrade() -> None:
    op.drop_table("done_once", schema="shared")
    with op.batch_alter_table("jobs", schema="shared") as batch:
        batch.drop_column("heartbeat_at")
        batch.drop_column("dispatched_at")
        batch.drop_column("error_ref")
