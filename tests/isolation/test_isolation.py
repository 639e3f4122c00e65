"""Tenant A never sees tenant B: through HTTP, jobs, the CLI and one pooled connection.

Åmål and Bengtsfors are seeded with rows that carry identical primary keys, so a leak would show
up as the wrong municipality's text, not as a missing row.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from samverka.modules.audit.models import AuditEvent
from tests.conftest import csrf_token
from tests.isolation.conftest import SCHEMAS, SECRETS


def _tenant_urls(app, slug: str) -> list[tuple[str, str]]:
    """Every routed URL of a municipality, with 1 for each id, and the methods it takes."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "tenant" not in rule.arguments:
            continue
        values = {arg: 1 for arg in rule.arguments if arg != "tenant"}
        for name, converter in rule._converters.items():  # string arguments get a word
            if name != "tenant" and type(converter).__name__ in {
                "UnicodeConverter",
                "PathConverter",
            }:
                values[name] = "x"
        with app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, tenant=slug, **values)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            urls.append((method, url))
    return urls


def test_amal_coordinator_gets_404_on_every_bengtsfors_url(app, create_user, login, seeded):
    client = login(create_user(municipalities={"amal": "coordinator"}))
    token = csrf_token(client, "/k/amal/")
    urls = _tenant_urls(app, "bengtsfors")
    assert len(urls) >= 3
    for method, url in urls:
        response = client.open(
            url, method=method, data={"csrf_token": token}, headers={"X-CSRFToken": token}
        )
        assert response.status_code == 404, (method, url, response.status_code)
        assert SECRETS["bengtsfors"] not in response.get_data(as_text=True)


def test_coordinator_sees_only_own_municipality_rows_with_same_primary_key(
    create_user, login, seeded
):
    amal = login(create_user(municipalities={"amal": "coordinator"}))
    bengtsfors = login(create_user(municipalities={"bengtsfors": "coordinator"}))
    amal_page = amal.get("/k/amal/logg").get_data(as_text=True)
    bengtsfors_page = bengtsfors.get("/k/bengtsfors/logg").get_data(as_text=True)
    assert SECRETS["amal"] in amal_page and SECRETS["bengtsfors"] not in amal_page
    assert SECRETS["bengtsfors"] in bengtsfors_page and SECRETS["amal"] not in bengtsfors_page


def test_person_in_two_municipalities_sees_each_in_its_own_url(create_user, login, seeded):
    client = login(create_user(municipalities={"amal": "coordinator", "bengtsfors": "coordinator"}))
    for _ in range(2):  # alternate, so a sticky connection or cache would show
        for slug, secret in SECRETS.items():
            page = client.get(f"/k/{slug}/logg").get_data(as_text=True)
            other = next(s for k, s in SECRETS.items() if k != slug)
            assert secret in page and other not in page


def test_api_of_another_municipality_answers_404(create_user, login, seeded):
    client = login(create_user(municipalities={"amal": "member"}))
    assert client.get("/api/k/amal/").status_code == 200
    response = client.get("/api/k/bengtsfors/")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_cli_reads_only_the_named_municipality(app, seeded):
    from samverka.cli import cli

    runner = app.test_cli_runner()
    for slug, secret in SECRETS.items():
        result = runner.invoke(cli, ["audit", "show", slug])
        assert result.exit_code == 0, result.output
        other = next(s for k, s in SECRETS.items() if k != slug)
        assert secret in result.output and other not in result.output


def test_unbound_session_fails_closed(app, seeded):
    from samverka.extensions import db

    with app.app_context():
        with pytest.raises(sa.exc.DBAPIError):
            db.session.scalar(sa.select(AuditEvent.summary))
        db.session.rollback()
        # Shared tables still work without a tenant.
        from samverka.modules.tenancy.models import Tenant

        assert db.session.scalar(sa.select(sa.func.count()).select_from(Tenant)) == 6


def test_tenant_session_without_tenant_fails_closed(app, seeded):
    from samverka.db.session import tenant_session

    with app.app_context(), tenant_session(None) as session, pytest.raises(sa.exc.DBAPIError):
        session.scalar(sa.select(AuditEvent.summary))


@pytest.mark.pg
def test_one_pooled_connection_alternating_between_tenants_never_leaks(settings, app, seeded):
    """pool_size=1: the same server connection serves A then B then A; each sees its own row."""
    from sqlalchemy.orm import Session

    from samverka.db.engines import PostgresBackend

    backend = PostgresBackend(settings.database_url, pool_size=1, max_overflow=0)
    try:
        pids = set()
        for _ in range(3):
            for slug, schema in SCHEMAS.items():
                with Session(bind=backend.engine_for(schema)) as session:
                    assert (
                        session.scalar(sa.select(AuditEvent.summary).where(AuditEvent.id == 1))
                        == SECRETS[slug]
                    )
                    pids.add(session.scalar(sa.text("SELECT pg_backend_pid()")))
        assert len(pids) == 1, "the test must really share one connection"
        with Session(bind=backend.engine_for(None)) as session, pytest.raises(sa.exc.DBAPIError):
            session.scalar(sa.select(AuditEvent.summary))
    finally:
        backend.dispose()


def test_one_engine_per_tenant_file_alternating_never_leaks(settings, app, seeded):
    """SQLite leg of the pooled-connection check: each tenant's engine attaches only its own file."""
    from sqlalchemy.orm import Session

    backend = app.extensions["samverka.backend"]
    for _ in range(3):
        for slug, schema in SCHEMAS.items():
            with Session(bind=backend.engine_for(schema)) as session:
                assert (
                    session.scalar(sa.select(AuditEvent.summary).where(AuditEvent.id == 1))
                    == SECRETS[slug]
                )
