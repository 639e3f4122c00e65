"""add account links, mail, second factor and identity providers

Revision ID: 20261201_1910
Revises: 20261201_1905
Create Date: 2026-12-01 18:09:27.953680
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261201_1910"
down_revision: str | None = "20261201_1905"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account_mail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("to_address", sa.Text(), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_mail")),
        schema="shared",
    )
    op.create_index(
        op.f("ix_account_mail_created_at"),
        "account_mail",
        ["created_at"],
        unique=False,
        schema="shared",
    )
    op.create_table(
        "account_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum(
                "invite", "reset", name="linkpurpose", native_enum=False, length=20, schema="shared"
            ),
            nullable=False,
        ),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["shared.users.id"],
            name=op.f("fk_account_links_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_account_links_token_hash")),
        schema="shared",
    )
    op.create_index(
        op.f("ix_account_links_user_id"),
        "account_links",
        ["user_id"],
        unique=False,
        schema="shared",
    )
    op.create_table(
        "identity_providers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=300), nullable=False),
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("client_secret_env", sa.String(length=100), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["shared.tenants.id"],
            name=op.f("fk_identity_providers_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_providers")),
        sa.UniqueConstraint("tenant_id", name=op.f("uq_identity_providers_tenant_id")),
        schema="shared",
    )
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["shared.users.id"],
            name=op.f("fk_recovery_codes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_codes")),
        schema="shared",
    )
    op.create_index(
        op.f("ix_recovery_codes_user_id"),
        "recovery_codes",
        ["user_id"],
        unique=False,
        schema="shared",
    )
    op.add_column(
        "memberships", sa.Column("organisation_id", sa.Integer(), nullable=True), schema="shared"
    )
    op.add_column(
        "user_sessions",
        sa.Column("method", sa.String(length=20), nullable=False, server_default="password"),
        schema="shared",
    )
    op.add_column(
        "user_sessions",
        sa.Column("second_factor", sa.Boolean(), nullable=False, server_default=sa.false()),
        schema="shared",
    )
    op.add_column("users", sa.Column("totp_secret", sa.Text(), nullable=True), schema="shared")
    op.add_column(
        "users", sa.Column("totp_last_step", sa.BigInteger(), nullable=True), schema="shared"
    )


def downgrade() -> None:
    op.drop_column("users", "totp_last_step", schema="shared")
    op.drop_column("users", "totp_secret", schema="shared")
    op.drop_column("user_sessions", "second_factor", schema="shared")
    op.drop_column("user_sessions", "method", schema="shared")
    op.drop_column("memberships", "organisation_id", schema="shared")
    op.drop_index(op.f("ix_recovery_codes_user_id"), table_name="recovery_codes", schema="shared")
    op.drop_table("recovery_codes", schema="shared")
    op.drop_table("identity_providers", schema="shared")
    op.drop_index(op.f("ix_account_links_user_id"), table_name="account_links", schema="shared")
    op.drop_table("account_links", schema="shared")
    op.drop_index(op.f("ix_account_mail_created_at"), table_name="account_mail", schema="shared")
    op.drop_table("account_mail", schema="shared")
