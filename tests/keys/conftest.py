"""Key tests reuse the forum factories; helpers read what the database really holds."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tests.forums.conftest import SCHEMAS, in_tenant, make_forum  # noqa: F401 - fixtures

AMAL, BENGTSFORS = SCHEMAS["amal"], SCHEMAS["bengtsfors"]


def raw_table(name: str, *columns: str) -> sa.Table:
    """A tenant table typed as plain text, so reads show the stored bytes, not decrypted values."""
    return sa.Table(
        name,
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        *(sa.Column(c, sa.Text) for c in columns),
    )


def raw_values(app: Any, schema: str, table: str, column: str) -> list[str | None]:
    with app.app_context():
        engine = app.extensions["samverka.backend"].engine_for(schema)
        raw = raw_table(table, column)
        with engine.connect() as conn:
            return list(conn.scalars(sa.select(raw.c[column]).order_by(raw.c.id)))


def raw_update(app: Any, schema: str, table: str, row_id: int, **values: str) -> None:
    with app.app_context():
        engine = app.extensions["samverka.backend"].engine_for(schema)
        raw = raw_table(table, *values)
        with engine.begin() as conn:
            conn.execute(sa.update(raw).where(raw.c.id == row_id).values(**values))


def keys_cli(app: Any, args: list[str], input: str | None = None) -> Any:
    """Run ``samverka keys …`` inside the test app (synchronous jobs, the test database)."""
    from samverka.modules.keys.cli import keys

    with app.app_context():
        return app.test_cli_runner().invoke(keys, args, input=input)
