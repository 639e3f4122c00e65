"""Alembic environment for the shared schema; samverka.db.migrate supplies the connection."""

from alembic import context

from samverka.db.base import SHARED
from samverka.db.migrate import compare_type, include_name, render_item, shared_metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=shared_metadata(),
    version_table_schema=SHARED,
    include_schemas=True,
    include_name=lambda name, type_, parent: (
        (type_ != "schema" or name == SHARED) and include_name(name, type_, parent)
    ),
    render_as_batch=connection.dialect.name == "sqlite",
    render_item=render_item,
    compare_type=compare_type,
    transactional_ddl=True,
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
