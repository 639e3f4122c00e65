"""Everything one municipality owns, decrypted, as a ZIP of CSV files plus its files.

For a municipality that leaves: readable without Samverka (CSV, JSON, the original files and
a README saying what is where). Values are decrypted through the models, so the file holds
personal data in clear and must be handed over as such.
"""

from __future__ import annotations

import base64
import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import sqlalchemy as sa

from samverka.db import crypto
from samverka.db.base import SHARED, Base, utcnow
from samverka.db.session import tenant_session
from samverka.modules.storage import Storage
from samverka.modules.tenancy.archive import zip_bytes
from samverka.modules.tenancy.backup import owned_shared_tables, referenced_tables
from samverka.modules.tenancy.models import Tenant

#: Columns left out of the export: secrets and look-up hashes, not the municipality's data.
OMITTED_COLUMNS = frozenset(
    {
        f"{SHARED}.users.password_hash",
        f"{SHARED}.users.session_nonce",
        f"{SHARED}.users.email_lookup",
    }
)

README = """Export av {name} ({code}) ur Samverka, {taken_at}
=====================================================================

Innehåll
- tables/<tabell>.csv  En fil per tabell: UTF-8, komma som avgränsare, första raden är
  kolumnnamn (RFC 4180). Tomt fält = inget värde. Tider i ISO 8601 med tidszon (UTC),
  sant/falskt som true/false, listor och objekt som JSON.
- tables.json          Varje tabell med fil, antal rader och kolumner med typ.
- files/<sökväg>       Uppladdade filer (t.ex. bilagor) i originalformat; sökvägen är den
  som står i tabellernas nyckelkolumn (storage_key e.d.).
- shared/…             Rader om kommunen i plattformens gemensamma del: medlemskap,
  personer som är medlemmar (namn och e-post), jobb och regionala sammanställningar.

Personuppgifter är dekrypterade i denna fil. Hantera den som känslig information.

Tabeller
{tables}
"""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | int | float):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _type_name(column: sa.Column) -> str:
    try:
        return column.type.python_type.__name__
    except NotImplementedError:
        return "str"


def _csv(table: sa.Table, rows: list[Any]) -> tuple[bytes, list[sa.Column]]:
    columns = [c for c in table.columns if f"{table.fullname}.{c.name}" not in OMITTED_COLUMNS]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.name for c in columns])
    for row in rows:
        writer.writerow([_cell(row._mapping[c]) for c in columns])
    return buffer.getvalue().encode(), columns


def export_tenant(tenant: Tenant, storage: Storage) -> bytes:
    """A ZIP of every table row and file the municipality owns, decrypted."""
    entries: dict[str, bytes] = {}
    described: dict[str, Any] = {}

    def add(folder: str, table: sa.Table, rows: list[Any]) -> None:
        name = f"{folder}/{table.name}.csv"
        entries[name], columns = _csv(table, rows)
        described[name] = {
            "rows": len(rows),
            "columns": [{"name": c.name, "type": _type_name(c)} for c in columns],
        }

    with tenant_session(tenant.schema_name) as session:
        if session.get_bind().dialect.name == "postgresql":
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        for table in Base.metadata.sorted_tables:
            if table.schema is None:
                add("tables", table, list(session.execute(sa.select(table))))
        owned = dict(owned_shared_tables(Base.metadata))
        for table, column in owned.items():
            add("shared", table, list(session.execute(sa.select(table).where(column == tenant.id))))
        for parent, pointers in referenced_tables(Base.metadata).items():
            ids = sa.union(*(sa.select(p).where(owned[p.table] == tenant.id) for p in pointers))
            pk = next(iter(parent.primary_key.columns))
            query = sa.select(parent).where(pk.in_(sa.select(ids.subquery().c[0])))
            add("shared", parent, list(session.execute(query)))
    keys = crypto.tenant_keys(tenant.schema_name)  # files are stored encrypted under them
    for key in storage.keys(f"{tenant.schema_name}/"):
        entries[f"files/{key}"] = crypto.decrypt_bytes(storage.read(key), keys)
    entries["tables.json"] = json.dumps(described, indent=2, ensure_ascii=False).encode()
    listing = "\n".join(f"- {name}: {info['rows']} rader" for name, info in described.items())
    entries["README.txt"] = README.format(
        name=tenant.name, code=tenant.code, taken_at=utcnow().isoformat(), tables=listing
    ).encode()
    return zip_bytes(entries)
