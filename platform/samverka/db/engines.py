"""Engines per schema for the two storage engines: PostgreSQL schemas or SQLite files.

Every engine handed out carries the same schema_translate_map key set ``{None, "shared"}``,
so compiled SQL is shared across tenants and no statement depends on connection state.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from samverka.db.base import SHARED

#: Tenant tables resolve here when no tenant is bound: a schema that never exists (fail closed).
NO_TENANT = "no_tenant_bound"
SCHEMA_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def check_schema_name(schema: str) -> str:
    """Refuse anything that is not a plain lower-case identifier; schema names reach DDL."""
    if not SCHEMA_NAME.match(schema) or schema in {SHARED, NO_TENANT, "public", "main"}:
        raise ValueError(f"invalid tenant schema name: {schema!r}")
    return schema


def translate_map(schema: str | None) -> dict[str | None, str]:
    return {None: schema or NO_TENANT, SHARED: SHARED}


def sqlite_transactional(engine: Engine) -> None:
    """Let SQLite run DDL inside real transactions (pysqlite otherwise autocommits DDL)."""

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 10000")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN")


class Backend:
    """Hands out engines bound to one tenant schema (or to none)."""

    dialect: str

    def engine_for(self, schema: str | None) -> Engine:
        raise NotImplementedError

    def dispose(self, close: bool = True) -> None:
        """Drop pooled connections; ``close=False`` in a forked child leaves the parent's alone."""
        raise NotImplementedError


class PostgresBackend(Backend):
    """One engine; one option-engine per tenant schema carrying its translate map."""

    dialect = "postgresql"

    def __init__(self, url: str, pooler: str | None = None, **engine_options: Any) -> None:
        self.url = url
        if pooler == "transaction":
            # A transaction pooler hands each transaction any server connection, and PgBouncer
            # before 1.21 does not carry prepared statements across: psycopg must not prepare.
            connect_args = {**engine_options.pop("connect_args", {}), "prepare_threshold": None}
            engine_options["connect_args"] = connect_args
        self.engine = sa.create_engine(
            url, pool_pre_ping=True, hide_parameters=True, **engine_options
        )
        self._by_schema: dict[str | None, Engine] = {}
        self._lock = threading.Lock()

    def engine_for(self, schema: str | None) -> Engine:
        if schema is not None:
            check_schema_name(schema)
        with self._lock:
            engine = self._by_schema.get(schema)
            if engine is None:
                engine = self.engine.execution_options(schema_translate_map=translate_map(schema))
                self._by_schema[schema] = engine
        return engine

    def dispose(self, close: bool = True) -> None:
        self.engine.dispose(close=close)


class SQLiteBackend(Backend):
    """A shared file plus one file per tenant, attached under the schema's name."""

    dialect = "sqlite"

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        (directory / "tenants").mkdir(parents=True, exist_ok=True)
        self._by_schema: dict[str | None, Engine] = {}
        self._lock = threading.Lock()

    @property
    def shared_path(self) -> Path:
        return self.directory / "shared.db"

    def tenant_path(self, schema: str) -> Path:
        return self.directory / "tenants" / f"{check_schema_name(schema)}.db"

    def _attaching_engine(self, schema: str | None) -> Engine:
        engine = sa.create_engine(
            "sqlite://",
            hide_parameters=True,  # error logs never show submitted values
            poolclass=sa.pool.QueuePool,
            pool_size=5,
            connect_args={"check_same_thread": False},
        )
        attachments = [(self.shared_path, SHARED)]
        if schema is not None:
            attachments.append((self.tenant_path(schema), schema))

        @sa.event.listens_for(engine, "connect")
        def _attach(dbapi_connection: Any, _record: Any) -> None:
            for path, name in attachments:
                dbapi_connection.execute(f'ATTACH DATABASE ? AS "{name}"', (str(path),))
                # WAL: an open read (a job reading its tenant) never blocks a status write.
                dbapi_connection.execute(f'PRAGMA "{name}".journal_mode = WAL')

        sqlite_transactional(engine)
        return engine

    def engine_for(self, schema: str | None) -> Engine:
        if schema is not None:
            check_schema_name(schema)
        with self._lock:
            engine = self._by_schema.get(schema)
            if engine is None:
                engine = self._attaching_engine(schema).execution_options(
                    schema_translate_map=translate_map(schema)
                )
                self._by_schema[schema] = engine
        return engine

    def dispose(self, close: bool = True) -> None:
        with self._lock:
            for engine in self._by_schema.values():
                engine.dispose(close=close)


def make_backend(
    database_url: str | None, data_dir: Path, pooler: str | None = None, **engine_options: Any
) -> Backend:
    """PostgreSQL when DATABASE_URL is set; otherwise SQLite files below the data folder."""
    if database_url:
        return PostgresBackend(database_url, pooler=pooler, **engine_options)
    return SQLiteBackend(data_dir / "db")
