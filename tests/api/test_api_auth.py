"""Who the API lets in: a live session or a valid personal token, and nobody else."""

from __future__ import annotations

import pytest

from tests.api.helpers import assert_problem, make_token
from tests.conftest import csrf_token


def me_with(app, plain: str):
    return app.test_client().get("/api/me", headers={"Authorization": f"Bearer {plain}"})


def test_me_without_login_is_a_401_problem_document(app):
    body = assert_problem(app.test_client().get("/api/me"), 401)
    assert body["title"] == "Inloggning krävs"


def test_me_with_a_session_cookie_describes_the_user_and_roles(app, create_user, login):
    user = create_user(
        name="Maja Magnusson",
        municipalities={"amal": "coordinator"},
        regions={"vastra-gotalandsregionen": "analyst"},
    )
    response = login(user).get("/api/me")
    assert response.status_code == 200
    body = response.get_json()
    assert body["name"] == "Maja Magnusson"
    assert body["is_platform_admin"] is False
    assert [(m["tenant"]["slug"], m["role"]) for m in body["memberships"]] == [
        ("amal", "coordinator")
    ]
    assert [(r["region"]["slug"], r["role"]) for r in body["region_roles"]] == [
        ("vastra-gotalandsregionen", "analyst")
    ]
    assert "password_hash" not in body and "email" not in body


def test_me_with_a_bearer_token_works_without_cookies(app, create_user):
    user = create_user(name="Tor Token", municipalities={"amal": "member"})
    client = app.test_client()
    response = client.get("/api/me", headers={"Authorization": f"Bearer {make_token(app, user)}"})
    assert response.status_code == 200
    assert response.get_json()["name"] == "Tor Token"
    # The token does not turn into a cookie session: the next call without it is anonymous.
    assert client.get_cookie("samverka_session") is None
    assert_problem(client.get("/api/me"), 401)


def test_a_token_without_expiry_works(app, create_user):
    user = create_user(municipalities={"amal": "member"})
    assert me_with(app, make_token(app, user, days=None)).status_code == 200


@pytest.mark.parametrize("kind", ["revoked", "expired"])
def test_revoked_or_expired_token_is_refused(app, create_user, kind):
    user = create_user(municipalities={"amal": "member"})
    plain = make_token(app, user, **{kind: True})
    assert_problem(me_with(app, plain), 401)


@pytest.mark.parametrize(
    "header",
    [
        "Bearer svk_this-token-was-never-issued",
        "Bearer not-even-our-prefix",
        "Bearer ",
        "Basic c3ZrOnN2aw==",
    ],
)
def test_unknown_or_malformed_credentials_are_refused(app, create_user, header):
    create_user(municipalities={"amal": "member"})
    response = app.test_client().get("/api/me", headers={"Authorization": header})
    assert_problem(response, 401)


def test_token_of_a_deactivated_user_is_refused(app, create_user, runner):
    from samverka.cli import cli

    user = create_user(municipalities={"amal": "member"})
    plain = make_token(app, user)
    assert me_with(app, plain).status_code == 200
    result = runner.invoke(cli, ["users", "deactivate", user.plain_email])
    assert result.exit_code == 0, result.output
    assert_problem(me_with(app, plain), 401)


def test_logging_out_of_the_web_does_not_revoke_personal_tokens(app, create_user, login):
    """Logging out of the web ends that browser session only; scripts keep their token."""
    user = create_user(municipalities={"amal": "member"})
    plain = make_token(app, user)
    client = login(user)
    client.post("/logga-ut", data={"csrf_token": csrf_token(client, "/konto")})
    assert client.get("/api/me").status_code == 401
    assert me_with(app, plain).status_code == 200


def test_api_session_ends_with_the_web_session(app, create_user, login):
    user = create_user(municipalities={"amal": "member"})
    client = login(user)
    stolen = client.get_cookie("samverka_session").value
    client.post("/logga-ut", data={"csrf_token": csrf_token(client, "/konto")})
    replay = app.test_client()
    replay.set_cookie("samverka_session", stolen)
    assert_problem(replay.get("/api/me"), 401)


# There is no state-changing API route yet. A POST to /api/me is refused by routing (405), but
# only after the CSRF guard in app._csrf has run, so the answer tells which of the two refused it.


def test_api_post_with_a_bearer_token_is_not_subject_to_csrf(app, create_user):
    plain = make_token(app, create_user(municipalities={"amal": "member"}))
    response = app.test_client().post("/api/me", headers={"Authorization": f"Bearer {plain}"})
    assert_problem(response, 405)


def test_api_post_on_a_cookie_session_without_csrf_header_is_refused(app, create_user, login):
    client = login(create_user(municipalities={"amal": "member"}))
    body = assert_problem(client.post("/api/me", json={}), 400)
    assert "säkerhetstoken" in body["detail"]


def test_api_post_on_a_cookie_session_with_csrf_header_passes_the_csrf_check(
    app, create_user, login
):
    client = login(create_user(municipalities={"amal": "member"}))
    token = csrf_token(client, "/konto")
    assert_problem(client.post("/api/me", json={}, headers={"X-CSRFToken": token}), 405)


def test_bearer_header_does_not_excuse_csrf_outside_the_api(app, create_user, login):
    user = create_user(municipalities={"amal": "member"})
    client = login(user)
    response = client.post("/logga-ut", headers={"Authorization": "Bearer svk_whatever"})
    assert response.status_code == 400
    assert client.get("/k/amal/").status_code == 200
