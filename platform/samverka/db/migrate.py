"""Bring the shared schema and every tenant schema to head.

Every schema's version is read in one query; schemas at head are skipped; the rest are
migrated one transaction per schema (in parallel processes on PostgreSQL), so a failing
tenant leaves itself unchanged and the others migrated.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from samverka.config import Settings
from samverka.db.base import SHARED, Base, is_shared_table
from samverka.db.engines import check_schema_name, sqlite_transactional
from samverka.db.models import load_all_models

SHARED_ENV = "shared"
TENANT_ENV = "tenant"


def _metadata(keep: Callable[[sa.Table], bool]) -> sa.MetaData:
    load_all_models()
    metadata = sa.MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.tables.values():
        if keep(table):
            table.to_metadata(metadata)
    return metadata


def shared_metadata() -> sa.MetaData:
    """The tables of the shared schema, for the shared environment's autogenerate."""
    return _metadata(is_shared_table)


def tenant_metadata() -> sa.MetaData:
    """The tables of a tenant schema, for the tenant environment's autogenerate."""
    return _metadata(lambda table: not is_shared_table(table))


@dataclass(frozen=True)
class MigrationTarget:
    """Where migrations run: picklable, so worker processes can rebuild their engines."""

    database_url: str | None
    sqlite_dir: Path
    migrations_dir: Path
    extra_version_locations: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings, extra: Sequence[str] = ()) -> MigrationTarget:
        return cls(
            settings.database_url, settings.data_dir / "db", settings.migrations_dir, tuple(extra)
        )

    @property
    def postgres(self) -> bool:
        return bool(self.database_url)

    def config(
        self, env: str, connection: sa.Connection | None = None, schema: str | None = None
    ) -> Config:
        cfg = Config()
        cfg.set_main_option("script_location", str(self.migrations_dir / env))
        if env == TENANT_ENV and self.extra_version_locations:
            locations = [str(self.migrations_dir / env / "versions"), *self.extra_version_locations]
            cfg.set_main_option("path_separator", "os")
            cfg.set_main_option("version_locations", ":".join(locations))
        cfg.attributes["connection"] = connection
        cfg.attributes["schema"] = schema
        return cfg

    def head(self, env: str) -> str | None:
        return ScriptDirectory.from_config(self.config(env)).get_current_head()

    def shared_engine(self) -> sa.Engine:
        if self.postgres:
            return sa.create_engine(
                self.database_url, poolclass=sa.pool.NullPool, hide_parameters=True
            )
        self.sqlite_dir.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine("sqlite://", poolclass=sa.pool.NullPool, hide_parameters=True)
        path = str(self.sqlite_dir / "shared.db")

        @sa.event.listens_for(engine, "connect")
        def _attach(dbapi_connection, _record) -> None:
            dbapi_connection.execute(f'ATTACH DATABASE ? AS "{SHARED}"', (path,))

        sqlite_transactional(engine)
        return engine

    def tenant_file(self, schema: str) -> Path:
        return self.sqlite_dir / "tenants" / f"{check_schema_name(schema)}.db"

    def tenant_engine(self, schema: str) -> sa.Engine:
        if self.postgres:
            return sa.create_engine(
                self.database_url, poolclass=sa.pool.NullPool, hide_parameters=True
            )
        self.tenant_file(schema).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            f"sqlite:///{self.tenant_file(schema)}",
            poolclass=sa.pool.NullPool,
            hide_parameters=True,
        )
        sqlite_transactional(engine)
        return engine


@dataclass
class Outcome:
    """What happened to one schema."""

    schema: str
    status: str  # one of STATUSES
    before: str | None
    after: str | None
    seconds: float = 0.0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status not in FAILED


#: Every outcome status, in the order reports count them.
STATUSES = ("migrated", "at head", "missing", "failed")
#: "missing": a provisioned tenant's schema is gone; it is refused, not re-created empty.
FAILED = frozenset({"missing", "failed"})


@dataclass
class Report:
    """One `db upgrade` or `tenants sync` run; the CLI prints it, tests read it."""

    shared: Outcome
    tenants: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    #: The registry sync's result (a SyncResult), None when the run stopped before it.
    sync: Any = None

    @property
    def ok(self) -> bool:
        return self.shared.ok and all(o.ok for o in self.tenants)

    def counts(self) -> dict[str, int]:
        """Tenant outcomes per status."""
        return {s: sum(1 for o in self.tenants if o.status == s) for s in STATUSES}


def _short(exc: BaseException) -> str:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {first}"[:500]


def _current(connection: sa.Connection, version_schema: str | None) -> str | None:
    table = sa.table("alembic_version", sa.column("version_num"), schema=version_schema)
    try:
        with connection.begin_nested():
            return connection.execute(sa.select(table.c.version_num)).scalar()
    except sa.exc.DBAPIError:
        return None


def upgrade_shared(target: MigrationTarget) -> Outcome:
    """Migrate the shared schema in one transaction."""
    start = time.perf_counter()
    engine = target.shared_engine()
    try:
        with engine.connect() as conn, conn.begin():
            if target.postgres:
                conn.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{SHARED}"')
            before = _current(conn, SHARED)
            command.upgrade(target.config(SHARED_ENV, conn), "head")
            after = _current(conn, SHARED)
        status = "at head" if before == after else "migrated"
        return Outcome(SHARED, status, before, after, time.perf_counter() - start)
    except Exception as exc:  # reported, not raised: the CLI prints and exits non-zero
        return Outcome(SHARED, "failed", None, None, time.perf_counter() - start, _short(exc))
    finally:
        engine.dispose()


def schema_exists(target: MigrationTarget, schema: str) -> bool:
    """Whether a tenant schema (PostgreSQL) or its file (SQLite) is there."""
    check_schema_name(schema)
    if not target.postgres:
        return target.tenant_file(schema).exists()
    engine = target.shared_engine()
    try:
        with engine.connect() as conn:
            query = sa.text("SELECT 1 FROM pg_namespace WHERE nspname = :schema")
            return conn.execute(query, {"schema": schema}).scalar() is not None
    finally:
        engine.dispose()


MISSING = (
    "schema missing although this municipality's schema was created before "
    "(a partial restore?); it was not re-created empty"
)


def upgrade_tenant(target: MigrationTarget, schema: str, must_exist: bool = False) -> Outcome:
    """Create (if new) and migrate one tenant schema in a single transaction.

    ``must_exist``: the registry says the schema was created before, so a missing one is
    reported, not silently replaced by an empty schema.
    """
    start = time.perf_counter()
    check_schema_name(schema)
    if must_exist and not schema_exists(target, schema):
        return Outcome(schema, "missing", None, None, time.perf_counter() - start, MISSING)
    existed = target.postgres or target.tenant_file(schema).exists()
    engine = target.tenant_engine(schema)
    before = None
    try:
        with engine.connect() as conn, conn.begin():
            version_schema = None
            if target.postgres:
                conn.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
                conn.exec_driver_sql(f'SET LOCAL search_path TO "{schema}"')
                version_schema = schema
            before = _current(conn, version_schema)
            command.upgrade(target.config(TENANT_ENV, conn, schema), "head")
            after = _current(conn, version_schema)
        status = "at head" if before == after else "migrated"
        return Outcome(schema, status, before, after, time.perf_counter() - start)
    except Exception as exc:
        engine.dispose()
        if not existed:
            target.tenant_file(schema).unlink(missing_ok=True)
        return Outcome(schema, "failed", before, before, time.perf_counter() - start, _short(exc))
    finally:
        engine.dispose()


def tenant_versions(target: MigrationTarget, schemas: Sequence[str]) -> dict[str, str | None]:
    """Every tenant schema's version; on PostgreSQL in one catalog query."""
    versions: dict[str, str | None] = dict.fromkeys(schemas)
    if not schemas:
        return versions
    if target.postgres:
        query = sa.text(
            "SELECT n.nspname, (xpath('/row/v/text()', query_to_xml(format("
            "'SELECT version_num AS v FROM %I.alembic_version LIMIT 1', n.nspname),"
            " false, true, '')))[1]::text "
            "FROM pg_namespace n JOIN pg_class c ON c.relnamespace = n.oid "
            "WHERE c.relname = 'alembic_version' AND c.relkind = 'r' "
            "AND n.nspname = ANY(:schemas)"
        )
        engine = target.shared_engine()
        try:
            with engine.connect() as conn:
                versions.update(dict(conn.execute(query, {"schemas": list(schemas)}).all()))
        finally:
            engine.dispose()
        return versions
    for schema in schemas:
        path = target.tenant_file(schema)
        if not path.exists():
            continue
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            try:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            except sqlite3.OperationalError:
                row = None
        versions[schema] = row[0] if row else None
    return versions


def upgrade_tenants(
    target: MigrationTarget,
    schemas: Iterable[str],
    workers: int = 4,
    on_outcome: Callable[[Outcome], None] | None = None,
    must_exist: Collection[str] = (),
) -> list[Outcome]:
    """Migrate the tenants not at head; report each outcome as it arrives.

    Schemas in ``must_exist`` were created before; if one is gone it is reported "missing".
    """
    schemas = list(schemas)
    head = target.head(TENANT_ENV)
    versions = tenant_versions(target, schemas)
    outcomes: list[Outcome] = []

    def record(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)

    pending = []
    for schema in schemas:
        if versions[schema] == head:
            record(Outcome(schema, "at head", head, head))
        else:
            pending.append(schema)
    if target.postgres and workers > 1 and len(pending) > 1:
        context = get_context("spawn")
        with ProcessPoolExecutor(min(workers, len(pending)), mp_context=context) as pool:
            futures = [
                pool.submit(upgrade_tenant, target, schema, schema in must_exist)
                for schema in pending
            ]
            for future in as_completed(futures):
                record(future.result())
    else:
        for schema in pending:
            record(upgrade_tenant(target, schema, schema in must_exist))
    return outcomes


def render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Render our column types as plain SQLAlchemy types, so revisions never import app code."""
    from sqlalchemy_utils import StringEncryptedType

    from samverka.db.base import UTCDateTime
    from samverka.db.crypto import is_tenant_encrypted

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and (isinstance(obj, StringEncryptedType) or is_tenant_encrypted(obj)):
        return "sa.Text()"
    return False


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Leave Alembic's own version table out of autogenerate."""
    return not (type_ == "table" and name == "alembic_version")


def compare_type(
    context: object,
    inspected: object,
    metadata: object,
    inspected_type: object,
    metadata_type: object,
) -> bool | None:
    """Our wrapper types are stored as their plain equivalents; don't report them as changed."""
    from sqlalchemy_utils import StringEncryptedType

    from samverka.db.base import UTCDateTime
    from samverka.db.crypto import is_tenant_encrypted

    if isinstance(metadata_type, StringEncryptedType | UTCDateTime) or is_tenant_encrypted(
        metadata_type
    ):
        return False
    return None
