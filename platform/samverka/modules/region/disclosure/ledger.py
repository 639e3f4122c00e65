"""The ledger of published cells: earlier releases' facts enter the audit of the next one."""

from __future__ import annotations

import json

import sqlalchemy as sa
from sqlalchemy.orm import Session

from samverka.modules.region.disclosure.audit import Equation
from samverka.modules.region.disclosure.release import Release, build_release
from samverka.modules.region.disclosure.table import Table
from samverka.modules.region.models import PublishedCell


def _encode(terms: frozenset[tuple[str, str]]) -> str:
    return json.dumps(sorted(terms), ensure_ascii=False, separators=(",", ":"))


def _decode(text: str) -> frozenset[tuple[str, str]]:
    return frozenset((row, col) for row, col in json.loads(text))


def prior_equations(session: Session, table_key: str, period: str) -> list[Equation]:
    """Everything already published for this table and period."""
    rows = session.execute(
        sa.select(PublishedCell.terms, PublishedCell.value).where(
            PublishedCell.table_key == table_key, PublishedCell.period == period
        )
    )
    return [Equation(_decode(terms), value) for terms, value in rows]


def record(session: Session, release: Release) -> int:
    """Add the release's published facts not yet in the ledger; returns how many were added."""
    known = {
        terms
        for (terms,) in session.execute(
            sa.select(PublishedCell.terms).where(
                PublishedCell.table_key == release.key, PublishedCell.period == release.period
            )
        )
    }
    added = 0
    for eq in release.equations():
        encoded = _encode(eq.terms)
        if encoded in known:
            continue  # the first published value stays: it is what was seen
        session.add(
            PublishedCell(
                table_key=release.key, period=release.period, terms=encoded, value=eq.value
            )
        )
        known.add(encoded)
        added += 1
    session.flush()
    return added


def publish(session: Session, table: Table) -> Release:
    """Audit against the ledger, build the release and record it; the caller commits."""
    release = build_release(table, prior_equations(session, table.key, table.period))
    record(session, release)
    return release
