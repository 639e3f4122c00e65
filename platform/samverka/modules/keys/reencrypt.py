"""Bring every encrypted value of one tenant to its current key version, in resumable batches.

Used by rotation (the ``keys.reencrypt`` job) and by ``db upgrade`` for rows written before
tenant encryption: plaintext, or ciphertext under the master key. Each batch commits, and a
row already at the current version is never touched again, so an interrupted run simply
continues where it stopped and nothing is encrypted twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from samverka.db import crypto
from samverka.db.base import Base
from samverka.db.models import load_all_models

BATCH = 200


@dataclass(frozen=True)
class EncryptedTable:
    """A tenant table's encrypted columns and the blind indexes computed from them."""

    name: str
    columns: tuple[str, ...]
    #: look-up column -> the encrypted column it hashes
    lookups: tuple[tuple[str, str], ...]

    def raw(self) -> sa.Table:
        """The table with plain text types, so values are read and written exactly as stored."""
        cols = {*self.columns, *(lk for lk, _ in self.lookups)}
        return sa.Table(
            self.name,
            sa.MetaData(),
            sa.Column("id", sa.Integer, primary_key=True),
            *(sa.Column(name, sa.Text) for name in sorted(cols)),
        )


def encrypted_tables() -> list[EncryptedTable]:
    """Every tenant table holding tenant-encrypted columns (found from the models' types)."""
    load_all_models()
    found = []
    for table in Base.metadata.sorted_tables:
        if table.schema is not None:
            continue
        columns = tuple(c.name for c in table.columns if crypto.is_tenant_encrypted(c.type))
        lookups = tuple(
            (c.name, c.info["blind_index_of"]) for c in table.columns if "blind_index_of" in c.info
        )
        if columns:
            found.append(EncryptedTable(table.name, columns, lookups))
    return found


def _stale(raw: sa.Table, spec: EncryptedTable, data_v: int, lookup_v: int) -> sa.ColumnElement:
    conditions = [
        sa.and_(raw.c[c].is_not(None), raw.c[c] != "", raw.c[c].not_like(f"sv{data_v}:%"))
        for c in spec.columns
    ]
    for lookup, source in spec.lookups:
        has_source = sa.and_(raw.c[source].is_not(None), raw.c[source] != "")
        conditions.append(
            sa.and_(
                has_source,
                sa.or_(raw.c[lookup].is_(None), raw.c[lookup].not_like(f"{lookup_v}:%")),
            )
        )
    return sa.or_(*conditions)


def plaintext(stored: str, keys: crypto.TenantKeys) -> str:
    """What a stored value says, whichever way it was written."""
    if crypto.ciphertext_version(stored) is not None:
        return crypto.decrypt_text(stored, keys)
    legacy = crypto.decrypt_master_legacy(stored)
    return stored if legacy is None else legacy


def _convert(row: sa.Row, spec: EncryptedTable, keys: crypto.TenantKeys) -> dict[str, str]:
    data_v, _ = keys.current(crypto.DATA)
    values: dict[str, str] = {}
    plain: dict[str, str | None] = {}
    for column in spec.columns:
        stored = row._mapping[column]
        if stored is None or stored == "":
            plain[column] = stored
            continue
        plain[column] = plaintext(stored, keys)
        if crypto.ciphertext_version(stored) != data_v:
            values[column] = crypto.encrypt_text(plain[column], keys)
    for lookup, source in spec.lookups:
        if plain.get(source):
            wanted = crypto.tenant_blind_index(plain[source], keys)
            if row._mapping[lookup] != wanted:
                values[lookup] = wanted
    return values


def pending(session: Session, keys: crypto.TenantKeys) -> int:
    """How many rows still need work."""
    data_v, _ = keys.current(crypto.DATA)
    lookup_v, _ = keys.current(crypto.LOOKUP)
    total = 0
    for spec in encrypted_tables():
        raw = spec.raw()
        total += session.scalar(
            sa.select(sa.func.count()).select_from(raw).where(_stale(raw, spec, data_v, lookup_v))
        )
    return total


def reencrypt(
    session: Session,
    keys: crypto.TenantKeys,
    on_batch: Callable[[int, int], None] | None = None,
    batch: int = BATCH,
) -> int:
    """Re-encrypt stale rows, committing each batch; ``on_batch(done, total)`` reports progress."""
    data_v, _ = keys.current(crypto.DATA)
    lookup_v, _ = keys.current(crypto.LOOKUP)
    total = pending(session, keys)
    done = 0
    for spec in encrypted_tables():
        raw = spec.raw()
        stale = _stale(raw, spec, data_v, lookup_v)
        last_id = 0
        while True:
            rows = session.execute(
                sa.select(raw).where(stale, raw.c.id > last_id).order_by(raw.c.id).limit(batch)
            ).all()
            if not rows:
                break
            for row in rows:
                values = _convert(row, spec, keys)
                if values:
                    session.execute(sa.update(raw).where(raw.c.id == row.id).values(**values))
            last_id = rows[-1].id
            session.commit()
            done += len(rows)
            if on_batch:
                on_batch(done, total)
    return done
