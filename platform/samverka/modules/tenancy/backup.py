"""Back up, restore and erase one municipality: its schema, its files and its rows in shared.

Engine-neutral: tables are reflected and rows read through SQLAlchemy in one snapshot
(PostgreSQL REPEATABLE READ; SQLite the tenant file with shared attached under
``BEGIN IMMEDIATE``), so the same code and the same archive work on both storage engines.
A restore rebuilds the schema at the backup's revision, loads the rows in dependency order,
then migrates to head — all in one transaction.
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from samverka.db.base import SHARED, utcnow
from samverka.db.migrate import TENANT_ENV, MigrationTarget, schema_exists
from samverka.modules.storage import Storage
from samverka.modules.tenancy.archive import ArchiveError, decode, encode
from samverka.modules.tenancy.models import Tenant

#: Shared tables never written to a tenant backup. ``shared.tenant_keys`` holds the
#: municipality's data key wrapped by the master key: destroying that row must leave every
#: backup's encrypted columns unreadable (crypto-shredding), so a restore expects it in shared.
EXCLUDED_SHARED_TABLES: tuple[str, ...] = (f"{SHARED}.tenant_keys",)
#: The registry: a restore goes into the tenant's existing row, it never rewrites it.
REGISTRY = f"{SHARED}.tenants"
VERSION_TABLE = "alembic_version"


@dataclass
class Contents:
    """What a backup holds (or a restore wrote), for the CLI to report."""

    tenant_rows: dict[str, int] = field(default_factory=dict)
    shared_rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    skipped: list[str] = field(default_factory=list)


def _sqlite_engine(target: MigrationTarget, schema: str) -> sa.Engine:
    """The tenant file with shared attached; BEGIN IMMEDIATE keeps writers out until commit."""
    path = target.tenant_file(schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(f"sqlite:///{path}", poolclass=sa.pool.NullPool, hide_parameters=True)
    shared_path = str(target.sqlite_dir / "shared.db")

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute(f'ATTACH DATABASE ? AS "{SHARED}"', (shared_path,))
        dbapi_connection.execute("PRAGMA foreign_keys = ON")
        dbapi_connection.execute("PRAGMA busy_timeout = 10000")

    @sa.event.listens_for(engine, "begin")
    def _begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


@contextmanager
def snapshot(target: MigrationTarget, schema: str) -> Iterator[tuple[sa.Connection, str | None]]:
    """One transaction that sees the tenant schema and shared at one instant; commits on exit.

    Yields the connection and the schema tenant tables live in (None on SQLite: the file's own).
    """
    if target.postgres:
        engine = sa.create_engine(
            target.database_url, poolclass=sa.pool.NullPool, hide_parameters=True
        )
        options = {"isolation_level": "REPEATABLE READ"}
        tenant_schema: str | None = schema
    else:
        engine = _sqlite_engine(target, schema)
        options = {}
        tenant_schema = None
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(**options)
            with conn.begin():
                yield conn, tenant_schema
    finally:
        engine.dispose()


def _reflect(conn: sa.Connection, schema: str | None, raw: bool) -> sa.MetaData:
    """The tables as they are in the database; ``raw``: values pass through untouched (SQLite)."""
    metadata = sa.MetaData()
    metadata.reflect(conn, schema=schema)
    if raw:
        for table in metadata.tables.values():
            for column in table.columns:
                if not column.primary_key:  # keys keep their type: autoincrement needs it
                    column.type = sa.types.NullType()
    return metadata


def owned_shared_tables(metadata: sa.MetaData) -> list[tuple[sa.Table, sa.Column]]:
    """Shared tables whose rows belong to a tenant, with the column naming it."""
    found = []
    for table in metadata.sorted_tables:
        if table.fullname in EXCLUDED_SHARED_TABLES or table.fullname == REGISTRY:
            continue
        for fk in table.foreign_keys:
            if fk.column.table.fullname == REGISTRY:
                found.append((table, fk.parent))
                break
    return found


def referenced_tables(metadata: sa.MetaData) -> dict[sa.Table, list[sa.Column]]:
    """Other shared tables the owned rows point at (users, for memberships), with the pointers."""
    owned = {table for table, _ in owned_shared_tables(metadata)}
    found: dict[sa.Table, list[sa.Column]] = {}
    for table in owned:
        for fk in table.foreign_keys:
            parent = fk.column.table
            skip = {REGISTRY, *EXCLUDED_SHARED_TABLES}
            if parent.schema == SHARED and parent.fullname not in skip and parent not in owned:
                found.setdefault(parent, []).append(fk.parent)
    return found


def _rows(conn: sa.Connection, query: sa.Select, columns: list[str]) -> tuple[bytes, int]:
    rows = [[encode(value) for value in row] for row in conn.execute(query)]
    return json.dumps({"columns": columns, "rows": rows}).encode(), len(rows)


def _ordered(table: sa.Table) -> sa.Select:
    return sa.select(table).order_by(*table.primary_key.columns)


def _version(conn: sa.Connection, schema: str | None) -> str | None:
    table = sa.table(VERSION_TABLE, sa.column("version_num"), schema=schema)
    return conn.execute(sa.select(table.c.version_num)).scalar()


def dump_tenant(
    target: MigrationTarget, tenant: Tenant, storage: Storage
) -> tuple[dict[str, bytes], Contents]:
    """Every row and file of one municipality, read in one snapshot, as archive entries."""
    schema = tenant.schema_name
    if not schema or not schema_exists(target, schema):
        raise ArchiveError(f"{tenant.slug} has no schema to back up")
    entries: dict[str, bytes] = {}
    contents = Contents()
    with snapshot(target, schema) as (conn, tenant_schema):
        raw = not target.postgres
        tenant_md = _reflect(conn, tenant_schema, raw)
        for table in tenant_md.sorted_tables:
            if table.name != VERSION_TABLE:
                name = f"tenant/{table.name}.json"
                entries[name], contents.tenant_rows[table.name] = _rows(
                    conn, _ordered(table), table.c.keys()
                )
        shared_md = _reflect(conn, SHARED, raw)
        owned = dict(owned_shared_tables(shared_md))
        for table, column in owned.items():
            name = f"shared/{table.name}.json"
            entries[name], contents.shared_rows[table.name] = _rows(
                conn, _ordered(table).where(column == tenant.id), table.c.keys()
            )
        for parent, pointers in referenced_tables(shared_md).items():
            ids = sa.union(*(sa.select(p).where(owned[p.table] == tenant.id) for p in pointers))
            pk = next(iter(parent.primary_key.columns))
            query = _ordered(parent).where(pk.in_(sa.select(ids.subquery().c[0])))
            entries[f"referenced/{parent.name}.json"], _ = _rows(conn, query, parent.c.keys())
        keys = storage.keys(f"{schema}/")
        for key in keys:
            entries[f"files/{key}"] = storage.read(key)
        contents.files = len(keys)
        manifest = {
            "tenant": {"id": tenant.id, "slug": tenant.slug, "code": tenant.code, "schema": schema},
            "dialect": conn.dialect.name,
            "tenant_revision": _version(conn, tenant_schema),
            "shared_revision": _version(conn, SHARED),
            "taken_at": utcnow().isoformat(),
            "excluded": list(EXCLUDED_SHARED_TABLES),
            "files": keys,
        }
    entries["manifest.json"] = json.dumps(manifest, indent=2).encode()
    return entries, contents


def _load(entries: dict[str, bytes], name: str) -> tuple[list[str], list[list[Any]]] | None:
    if name not in entries:
        return None
    data = json.loads(entries[name])
    return data["columns"], [[decode(v) for v in row] for row in data["rows"]]


def _reset_schema(conn: sa.Connection, target: MigrationTarget, schema: str) -> None:
    """Empty the tenant's schema (PostgreSQL: drop and create it; SQLite: drop its tables)."""
    if target.postgres:
        conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        conn.exec_driver_sql(f'SET LOCAL search_path TO "{schema}"')
        return
    _reflect(conn, None, raw=True).drop_all(conn)


def _advance_sequences(conn: sa.Connection, table: sa.Table) -> None:
    """Set a PostgreSQL serial past the restored ids, so new rows do not collide."""
    pk = list(table.primary_key.columns)
    if conn.dialect.name != "postgresql" or len(pk) != 1:
        return
    qualified = f'"{table.schema}"."{table.name}"'
    sequence = conn.execute(
        sa.text("SELECT pg_get_serial_sequence(:table, :column)"),
        {"table": qualified, "column": pk[0].name},
    ).scalar()
    if sequence:
        top = conn.execute(sa.select(sa.func.max(pk[0]))).scalar()
        if top is not None:
            conn.execute(
                sa.text("SELECT setval(CAST(:seq AS regclass), :value)"),
                {"seq": sequence, "value": top},
            )


def _insert_each(
    conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]], keep_ids: bool = False
) -> int:
    """Insert row by row in savepoints; count the rows that conflict with today's data.

    A row whose id is taken goes in under a new id, unless ``keep_ids``.
    """
    skipped = 0
    pk = [c.name for c in table.primary_key.columns]
    for row in rows:
        try:
            with conn.begin_nested():
                conn.execute(table.insert(), row)
            continue
        except sa.exc.IntegrityError:
            if keep_ids:
                skipped += 1
                continue
        try:
            with conn.begin_nested():
                conn.execute(table.insert(), {k: v for k, v in row.items() if k not in pk})
        except sa.exc.IntegrityError:
            skipped += 1
    return skipped


def _as_dicts(
    table: sa.Table, loaded: tuple[list[str], list[list[Any]]] | None
) -> list[dict[str, Any]]:
    """Rows as dicts of the columns the table still has (shared may have moved on since)."""
    if loaded is None:
        return []
    keep = set(table.c.keys())
    return [{k: v for k, v in zip(loaded[0], row, strict=True) if k in keep} for row in loaded[1]]


def _restore_shared(
    conn: sa.Connection,
    tenant: Tenant,
    entries: dict[str, bytes],
    contents: Contents,
    recreate_accounts: bool,
) -> None:
    """Replace the tenant's shared rows; accounts deleted since come back only if asked."""
    shared_md = _reflect(conn, SHARED, raw=conn.dialect.name == "sqlite")
    owned = owned_shared_tables(shared_md)
    for table, column in reversed(owned):
        conn.execute(table.delete().where(column == tenant.id))
    for parent in referenced_tables(shared_md) if recreate_accounts else ():
        pk = next(iter(parent.primary_key.columns))
        present = set(conn.scalars(sa.select(pk)))
        missing = [
            row
            for row in _as_dicts(parent, _load(entries, f"referenced/{parent.name}.json"))
            if row[pk.name] not in present
        ]
        if skipped := _insert_each(conn, parent, missing, keep_ids=True):
            contents.skipped.append(f"{skipped} row(s) of {parent.fullname}")
    for table, column in owned:
        loaded = _load(entries, f"shared/{table.name}.json")
        if loaded is None:
            continue
        rows = [row | {column.name: tenant.id} for row in _as_dicts(table, loaded)]
        skipped = _insert_each(conn, table, rows)
        contents.shared_rows[table.name] = len(rows) - skipped
        if skipped:
            contents.skipped.append(f"{skipped} row(s) of {table.fullname}")
        _advance_sequences(conn, table)


def restore_tenant(
    target: MigrationTarget,
    tenant: Tenant,
    storage: Storage,
    entries: dict[str, bytes],
    recreate_accounts: bool = False,
) -> Contents:
    """Replace one municipality's schema, files and shared rows with a backup's.

    Accounts deleted since the backup are not brought back (their memberships are skipped and
    reported) unless ``recreate_accounts``, e.g. when rebuilding a lost shared schema.
    """
    manifest = json.loads(entries["manifest.json"])
    schema = tenant.schema_name
    if manifest["tenant"]["slug"] != tenant.slug or manifest["tenant"]["schema"] != schema:
        raise ArchiveError(
            f"this backup belongs to {manifest['tenant']['slug']}, not {tenant.slug}; "
            "nothing was changed"
        )
    revision = manifest["tenant_revision"]
    try:
        ScriptDirectory.from_config(target.config(TENANT_ENV)).get_revision(revision)
    except Exception as exc:  # alembic raises several kinds for an unknown revision
        raise ArchiveError(
            f"the backup's schema revision {revision} is unknown to this version of Samverka; "
            "nothing was changed"
        ) from exc
    files = manifest["files"]
    for key in files:
        storage.put(key, entries[f"files/{key}"], mimetypes.guess_type(key)[0] or "")
    contents = Contents(files=len(files))
    existed = schema_exists(target, schema)
    try:
        with snapshot(target, schema) as (conn, tenant_schema):
            _reset_schema(conn, target, schema)
            command.upgrade(target.config(TENANT_ENV, conn, schema), revision)
            raw = not target.postgres
            for table in _reflect(conn, tenant_schema, raw).sorted_tables:
                loaded = _load(entries, f"tenant/{table.name}.json")
                if table.name == VERSION_TABLE or loaded is None:
                    continue
                if set(loaded[0]) != set(table.c.keys()):
                    raise ArchiveError(f"the backup's table {table.name} does not match its schema")
                rows = [dict(zip(loaded[0], r, strict=True)) for r in loaded[1]]
                if rows:
                    conn.execute(table.insert(), rows)
                _advance_sequences(conn, table)
                contents.tenant_rows[table.name] = len(rows)
            _restore_shared(conn, tenant, entries, contents, recreate_accounts)
            command.upgrade(target.config(TENANT_ENV, conn, schema), "head")
    except BaseException:
        if not existed and not target.postgres:
            target.tenant_file(schema).unlink(missing_ok=True)
        raise
    for key in set(storage.keys(f"{schema}/")) - set(files):
        storage.delete(key)  # uploaded after the backup: no restored row points at it
    return contents


def erase_tenant(target: MigrationTarget, tenant: Tenant, storage: Storage) -> None:
    """Delete a municipality's schema, files, shared rows and wrapped keys (crypto-shredding)."""
    schema = tenant.schema_name
    if not schema:
        raise ArchiveError(f"{tenant.slug} has no schema")
    engine = target.shared_engine()
    try:
        with engine.connect() as conn, conn.begin():
            shared_md = _reflect(conn, SHARED, raw=not target.postgres)
            for table, column in reversed(owned_shared_tables(shared_md)):
                conn.execute(table.delete().where(column == tenant.id))
            for name in EXCLUDED_SHARED_TABLES:
                table = shared_md.tables.get(name)
                for fk in table.foreign_keys if table is not None else ():
                    if fk.column.table.fullname == REGISTRY:
                        conn.execute(table.delete().where(fk.parent == tenant.id))
            if target.postgres:
                conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        engine.dispose()
    if not target.postgres:
        path = target.tenant_file(schema)
        for suffix in ("", "-wal", "-shm", "-journal"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
    for key in storage.keys(f"{schema}/"):
        storage.delete(key)
