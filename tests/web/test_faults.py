"""Under faults people get the truth: no "saved" for what was not, a Swedish page, 503 to retry."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tests.conftest import csrf_token
from tests.fixtures.db_faults import fault_app  # noqa: F401 - fixture

NEW_ORG = "/k/amal/organisationer/ny"
SAVED = "är tillagd"


@pytest.fixture
def pages_for_errors(app, monkeypatch):
    """Unexpected errors become error pages, as in production, instead of reaching the test."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    return app


@pytest.fixture
def coordinator(create_user, login):
    return login(create_user(municipalities={"amal": "coordinator"}))


def _new_organisation(client, name="Kanalskolan", token=None):
    token = token or csrf_token(client, NEW_ORG)
    return client.post(NEW_ORG, data={"csrf_token": token, "name": name, "type": "school"})


def _organisation_names(app) -> list[str]:
    from samverka.db.session import tenant_session
    from samverka.modules.forums.models import Organisation

    with app.app_context(), tenant_session("kommun_1492") as session:
        return list(session.scalars(sa.select(Organisation.name)))


@contextmanager
def refused_commits():
    """Commits fail meanwhile, as a commit can when the database refuses it at the last step."""

    def refuse(session: Session) -> None:
        raise RuntimeError("the database refused the commit")

    sa.event.listen(Session, "before_commit", refuse)
    try:
        yield
    finally:
        sa.event.remove(Session, "before_commit", refuse)


def test_failed_commit_shows_no_success_message_but_a_true_swedish_failure_page(
    app, pages_for_errors, coordinator
):
    token = csrf_token(coordinator, NEW_ORG)
    with refused_commits():
        response = _new_organisation(coordinator, token=token)
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert '<html lang="sv">' in html
    assert "Ingenting sparades" in html
    assert SAVED not in html
    later = coordinator.get("/k/amal/organisationer").get_data(as_text=True)
    assert SAVED not in later
    assert _organisation_names(app) == []


def test_successful_commit_still_shows_its_message(app, coordinator):
    response = _new_organisation(coordinator)
    assert response.status_code == 302
    page = coordinator.get("/k/amal/organisationer").get_data(as_text=True)
    assert "Organisationen Kanalskolan är tillagd." in page
    assert _organisation_names(app) == ["Kanalskolan"]


def test_failed_flush_still_gets_the_apps_own_swedish_500_page(app, pages_for_errors, coordinator):
    from samverka.modules.forums.models import Organisation

    def break_insert(session: Session, _context, _instances) -> None:
        for obj in session.new:
            if isinstance(obj, Organisation):
                obj.name = None  # NOT NULL: the INSERT fails inside the flush

    sa.event.listen(Session, "before_flush", break_insert)
    try:
        response = _new_organisation(coordinator)
    finally:
        sa.event.remove(Session, "before_flush", break_insert)
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Något gick fel" in html and "Ingenting sparades" in html
    assert SAVED not in html
    assert "Internal Server Error" not in html
    assert _organisation_names(app) == []


def test_logged_in_user_gets_a_swedish_503_when_the_database_is_unreachable(
    fault_app,  # noqa: F811
    create_user,
    login,
):
    client = login(create_user(municipalities={"amal": "coordinator"}), fault_app.test_client())
    assert client.get("/k/amal/").status_code == 200
    fault_app.cut()
    response = client.get("/k/amal/")
    html = response.get_data(as_text=True)
    assert response.status_code == 503, html[:500]
    assert '<html lang="sv">' in html
    assert "försök igen om en stund" in html.lower()
    assert "Internal Server Error" not in html
    assert response.headers["Retry-After"]


def test_form_post_while_the_database_is_unreachable_says_nothing_was_saved(
    fault_app,  # noqa: F811
    create_user,
    login,
):
    client = login(create_user(municipalities={"amal": "coordinator"}), fault_app.test_client())
    token = csrf_token(client, NEW_ORG)
    fault_app.cut()
    response = client.post(NEW_ORG, data={"csrf_token": token, "name": "X", "type": "school"})
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Ingenting sparades" in html
    assert SAVED not in html


def test_api_caller_gets_a_problem_document_when_the_database_is_unreachable(
    fault_app,  # noqa: F811
    create_user,
):
    from tests.api.helpers import assert_problem, make_token

    user = create_user(municipalities={"amal": "member"})
    token = make_token(fault_app, user)
    headers = {"Authorization": f"Bearer {token}"}
    client = fault_app.test_client()
    assert client.get("/api/me", headers=headers).status_code == 200
    fault_app.cut()
    body = assert_problem(client.get("/api/me", headers=headers), 503)
    assert "försök igen om en stund" in body["detail"].lower()


def test_error_pages_are_swedish_for_wrong_municipality_and_unknown_page(create_user, login):
    client = login(create_user(municipalities={"amal": "member"}))
    for path in ("/k/bengtsfors/", "/finns-inte"):
        response = client.get(path)
        html = response.get_data(as_text=True)
        assert response.status_code == 404
        assert "Sidan finns inte" in html and '<html lang="sv">' in html


def test_failing_step_after_the_commit_keeps_the_truth_saved_and_says_what_failed(
    settings, create_user, login
):
    from flask import flash, redirect

    from samverka.app import create_app
    from samverka.web.transaction import after_commit

    app = create_app(settings, {"TESTING": True, "PROPAGATE_EXCEPTIONS": False})

    @app.route("/test/efter-commit", methods=["POST"])
    def save_then_fail_after():
        def unreachable_queue() -> None:
            raise ConnectionError("Redis is down")

        after_commit(unreachable_queue)
        flash("Sparat.", "success")
        return redirect("/k/amal/")

    client = login(create_user(municipalities={"amal": "member"}), app.test_client())
    response = client.post(
        "/test/efter-commit", data={"csrf_token": csrf_token(client, "/k/amal/")}
    )
    assert response.status_code == 302
    page = client.get("/k/amal/").get_data(as_text=True)
    assert "Sparat." in page
    assert "Ändringarna sparades, men ett steg som skulle göras efteråt" in page
    app.extensions["samverka.backend"].dispose()


def test_success_message_of_a_refused_request_is_taken_back(settings, create_user, login):
    from flask import abort, flash

    from samverka.app import create_app

    app = create_app(settings, {"TESTING": True})

    @app.route("/test/sparat-men-nekat", methods=["POST"])
    def saved_then_refused():
        flash("Sparat.", "success")
        flash("Du saknar behörighet.", "error")
        abort(403)

    client = login(create_user(municipalities={"amal": "member"}), app.test_client())
    token = csrf_token(client, "/k/amal/")
    assert client.post("/test/sparat-men-nekat", data={"csrf_token": token}).status_code == 403
    page = client.get("/k/amal/").get_data(as_text=True)
    assert "Sparat." not in page
    assert "Du saknar behörighet." in page
    app.extensions["samverka.backend"].dispose()
