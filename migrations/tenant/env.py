"""Alembic environment for one tenant schema; samverka.db.migrate supplies connection and schema."""

from alembic import context

from samverka.db.migrate import compare_type, include_name, render_item, tenant_metadata

connection = context.config.attributes["connection"]
schema = context.config.attributes["schema"]
context.configure(
    connection=connection,
    target_metadata=tenant_metadata(),
    include_name=include_name,
    # On PostgreSQL the version table lives in the tenant's schema; SQLite has one file per tenant.
    version_table_schema=schema if connection.dialect.name == "postgresql" else None,
    render_as_batch=connection.dialect.name == "sqlite",
    render_item=render_item,
    compare_type=compare_type,
    transactional_ddl=True,
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
