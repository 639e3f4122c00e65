"""Backend memory after touching N tenant schemas, for SCALING.md's pool-sizing table.

Run on the database host (it reads /proc of the backend): creates N schemas of the real tenant
tables in a scratch database beside DATABASE_URL's, touches them one by one on one connection,
prints private memory and memory-context totals, and drops the scratch database.
"""

from __future__ import annotations

import os
import uuid

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from samverka.db.base import SHARED, Base
from samverka.db.engines import translate_map
from samverka.db.models import load_all_models

STEPS = (1, 5, 10, 20, 30, 40)
CONTEXTS = "SELECT sum(total_bytes) FROM pg_backend_memory_contexts"


def _memory(conn: sa.Connection, pid: int) -> tuple[float, float]:
    with open(f"/proc/{pid}/status") as status:
        fields = dict(line.split(":", 1) for line in status)
    anon = int(fields["RssAnon"].split()[0]) / 1024
    return anon, conn.exec_driver_sql(CONTEXTS).scalar() / 1024 / 1024


def main(count: int = max(STEPS)) -> None:
    load_all_models()
    base = make_url(os.environ["DATABASE_URL"]).set(drivername="postgresql+psycopg")
    name = f"samverka_scratch_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine = sa.create_engine(base.set(database=name), poolclass=sa.pool.NullPool)
    tenant = [t for t in Base.metadata.sorted_tables if t.schema is None]
    shared = [t for t in Base.metadata.sorted_tables if t.schema == SHARED]
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {SHARED}")
            mapped = conn.execution_options(schema_translate_map=translate_map(None))
            Base.metadata.create_all(mapped, tables=shared)
            for i in range(count):
                conn.exec_driver_sql(f'CREATE SCHEMA "kommun_{i:04d}"')
                mapped = conn.execution_options(
                    schema_translate_map=translate_map(f"kommun_{i:04d}")
                )
                Base.metadata.create_all(mapped, tables=tenant)
        with engine.connect() as conn:
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            print(f"{len(tenant)} tenant tables; schemas, RssAnon MB, memory contexts MB")
            print(0, *(f"{x:.1f}" for x in _memory(conn, pid)))
            for i in range(count):
                mapped = conn.execution_options(
                    schema_translate_map=translate_map(f"kommun_{i:04d}")
                )
                for table in tenant:
                    mapped.execute(sa.select(sa.func.count()).select_from(table)).scalar()
                conn.commit()
                if i + 1 in STEPS:
                    print(i + 1, *(f"{x:.1f}" for x in _memory(conn, pid)))
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
