"""The municipality API answers members only; everyone else cannot even tell it exists."""

from __future__ import annotations

import pytest

from tests.api.helpers import assert_problem, make_token


def test_other_municipalitys_coordinator_gets_404_problem(create_user, login):
    client = login(create_user(municipalities={"amal": "coordinator"}))
    body = assert_problem(client.get("/api/k/bengtsfors/"), 404)
    assert body["title"] == "Sidan finns inte"
    assert "Bengtsfors" not in str(body)


def test_member_gets_their_municipality_with_their_role(create_user, login):
    client = login(create_user(municipalities={"bengtsfors": "member"}))
    response = client.get("/api/k/bengtsfors/")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert (body["slug"], body["name"], body["role"]) == (
        "bengtsfors",
        "Bengtsfors kommun",
        "member",
    )
    assert body["code"].isdigit()


def test_each_municipality_answers_with_the_users_role_there(create_user, login):
    client = login(create_user(municipalities={"amal": "coordinator", "mellerud": "member"}))
    assert client.get("/api/k/amal/").get_json()["role"] == "coordinator"
    assert client.get("/api/k/mellerud/").get_json()["role"] == "member"
    assert_problem(client.get("/api/k/dals-ed/"), 404)


@pytest.mark.parametrize("slug", ["bengtsfors", "finns-inte", "vastra-gotalandsregionen"])
def test_foreign_unknown_and_region_slugs_answer_alike(create_user, login, slug):
    client = login(
        create_user(
            municipalities={"amal": "coordinator"}, regions={"vastra-gotalandsregionen": "analyst"}
        )
    )
    body = assert_problem(client.get(f"/api/k/{slug}/"), 404)
    assert body == {
        "type": "about:blank",
        "title": "Sidan finns inte",
        "status": 404,
        "detail": body["detail"],
    }


def test_anonymous_caller_gets_401_problem_not_a_login_redirect(app):
    assert_problem(app.test_client().get("/api/k/amal/"), 401)


def test_bearer_token_reaches_its_owners_municipality_only(app, create_user):
    user = create_user(municipalities={"bengtsfors": "coordinator"})
    headers = {"Authorization": f"Bearer {make_token(app, user)}"}
    client = app.test_client()
    response = client.get("/api/k/bengtsfors/", headers=headers)
    assert response.status_code == 200
    assert response.get_json()["role"] == "coordinator"
    assert_problem(client.get("/api/k/amal/", headers=headers), 404)


def test_api_answers_are_not_cached(create_user, login):
    client = login(create_user(municipalities={"amal": "member"}))
    assert client.get("/api/k/amal/").headers["Cache-Control"] == "no-store"
    assert client.get("/api/me").headers["Cache-Control"] == "no-store"


def test_unknown_job_is_a_404_problem(create_user, login):
    client = login(create_user(municipalities={"amal": "member"}))
    assert_problem(client.get("/api/jobs/00000000-0000-0000-0000-000000000000"), 404)


def test_unknown_api_path_is_a_problem_document_not_an_html_page(create_user, login):
    client = login(create_user(municipalities={"amal": "member"}))
    assert_problem(client.get("/api/finns-inte"), 404)
