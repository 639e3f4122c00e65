"""The isolation checks again, through PgBouncer in transaction mode with one server connection.

Every tenant statement is schema-qualified (schema_translate_map), so handing the one server
connection from Åmål's transaction to Bengtsfors' cannot leak; psycopg must not prepare
statements, which a pre-1.21 PgBouncer does not carry between client connections.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from samverka.modules.audit.models import AuditEvent
from tests.fixtures.pgbouncer import pgbouncer
from tests.isolation.conftest import SCHEMAS, SECRETS
from tests.isolation.test_isolation import (  # noqa: F401 - collected again, through the pooler
    test_amal_coordinator_gets_404_on_every_bengtsfors_url,
    test_api_of_another_municipality_answers_404,
    test_cli_reads_only_the_named_municipality,
    test_coordinator_sees_only_own_municipality_rows_with_same_primary_key,
    test_person_in_two_municipalities_sees_each_in_its_own_url,
    test_tenant_session_without_tenant_fails_closed,
    test_unbound_session_fails_closed,
)

pytestmark = pytest.mark.pg


@pytest.fixture(scope="module")
def pooler_url(database_url, tmp_path_factory) -> str:
    with pgbouncer(database_url, tmp_path_factory.mktemp("pgbouncer"), pool_size=1) as url:
        yield url


@pytest.fixture(scope="module")
def app(app, settings, pooler_url):
    """The app on the same migrated database, but reached only through the pooler."""
    from samverka.app import create_app

    pooled = create_app(
        settings.replace(database_url=pooler_url, db_pooler="transaction"),
        {"TESTING": True, "JOBS_SYNCHRONOUS": True},
    )
    yield pooled
    pooled.extensions["samverka.backend"].dispose()


def test_the_app_really_talks_to_the_pooler(app, pooler_url):
    backend = app.extensions["samverka.backend"]
    assert backend.url == pooler_url
    with backend.engine_for(None).connect() as conn:
        assert conn.exec_driver_sql("SHOW port").scalar() == "5432"
    assert ":5432/" not in pooler_url


def test_two_client_connections_share_one_server_connection_without_leaks(app, seeded):
    """Two open client connections, one server connection: each transaction sees its tenant."""
    backend = app.extensions["samverka.backend"]
    sessions = {slug: Session(bind=backend.engine_for(schema)) for slug, schema in SCHEMAS.items()}
    pids = set()
    try:
        for _ in range(8):  # past psycopg's prepare threshold of 5 executions
            for slug, session in sessions.items():
                summary = session.scalar(sa.select(AuditEvent.summary).where(AuditEvent.id == 1))
                assert summary == SECRETS[slug]
                pids.add(session.scalar(sa.text("SELECT pg_backend_pid()")))
                session.commit()
    finally:
        for session in sessions.values():
            session.close()
    assert len(pids) == 1, "the pooler must really hand one server connection around"


def test_without_the_pooler_setting_prepared_statements_collide(settings, pooler_url, seeded):
    """Why SAMVERKA_DB_POOLER exists: psycopg's default prepares break behind PgBouncer 1.18."""
    from samverka.db.engines import PostgresBackend

    backend = PostgresBackend(pooler_url)
    engine = backend.engine_for(SCHEMAS["amal"])
    first, second = engine.connect(), engine.connect()
    try:
        with pytest.raises(sa.exc.DBAPIError):
            for _ in range(8):
                for conn in (first, second):
                    conn.execute(sa.select(AuditEvent.summary).where(AuditEvent.id == 1))
                    conn.commit()
    finally:
        first.close()
        second.close()
        backend.dispose()
