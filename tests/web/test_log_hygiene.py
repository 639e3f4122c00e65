"""Personal data never reaches the logs: errors are logged, the values people typed are not."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from samverka.db.migrate import MigrationTarget
from tests.conftest import csrf_token

CANARY = "Kanariefågel-Svensson-4711"
CANARY_MAIL = "kanariefagel.4711@example.se"


@pytest.fixture
def canary_app(settings):
    """An app with one route that fails in the database with the canary in its parameters."""
    from samverka.app import create_app
    from samverka.extensions import db

    app = create_app(settings, {"TESTING": True, "PROPAGATE_EXCEPTIONS": False})

    @app.route("/test/kanarie/<kind>", methods=["POST"])
    def fail_with_canary(kind: str):
        value = db.session.execute(sa.text("SELECT :typed"), {"typed": CANARY}).scalar()
        assert value == CANARY
        db.session.execute(
            sa.text("CREATE TEMPORARY TABLE canary (a VARCHAR(100), b INTEGER NOT NULL)")
        )
        if kind == "cast" and db.session.get_bind().dialect.name == "postgresql":
            db.session.execute(sa.text("SELECT CAST(:typed AS INTEGER)"), {"typed": CANARY})
        db.session.execute(
            sa.text("INSERT INTO canary (a, b) VALUES (:typed, NULL)"), {"typed": CANARY}
        )
        return "not reached"

    yield app
    app.extensions["samverka.backend"].dispose()


def _logged(caplog) -> str:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    return "\n".join(handler.format(r) for r in caplog.records)


@pytest.mark.parametrize("kind", ["not-null", "cast"])
def test_failing_request_is_logged_without_the_values_people_typed(
    canary_app, create_user, login, caplog, kind
):
    user = create_user(CANARY_MAIL, name=CANARY, municipalities={"amal": "member"})
    client = login(user, canary_app.test_client())
    with caplog.at_level(logging.INFO):
        token = csrf_token(client, "/k/amal/")
        response = client.post(f"/test/kanarie/{kind}", data={"csrf_token": token, "namn": CANARY})
    assert response.status_code == 500
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors, "the failure must be logged"
    text = _logged(caplog)
    assert "IntegrityError" in text or "DataError" in text
    assert "/test/kanarie" in text
    assert CANARY not in text and CANARY_MAIL not in text


def test_database_error_logged_by_any_module_hides_the_parameters(app, caplog):
    from samverka.extensions import db

    log = logging.getLogger("samverka.modules.forums.some_job")
    with app.app_context(), caplog.at_level(logging.INFO):
        try:
            db.session.execute(
                sa.text("SELECT * FROM shared.no_such_table WHERE x = :v"), {"v": CANARY}
            )
        except sa.exc.DBAPIError as exc:
            log.exception("the job failed")
            log.error("the job failed: %s", exc)
        finally:
            db.session.rollback()
    assert len([r for r in caplog.records if r.levelno >= logging.ERROR]) == 2
    text = _logged(caplog)
    assert "no_such_table" in text
    assert CANARY not in text


def test_every_engine_hides_bound_parameters(app, settings):
    backend = app.extensions["samverka.backend"]
    assert backend.engine_for(None).hide_parameters
    assert backend.engine_for("kommun_1492").hide_parameters
    target = MigrationTarget.from_settings(settings)
    assert target.shared_engine().hide_parameters
    assert target.tenant_engine("kommun_1492").hide_parameters
