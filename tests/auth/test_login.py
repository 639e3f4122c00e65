"""Logging in: the right people get in, everyone else gets one Swedish answer and nothing more."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from tests.conftest import csrf_token

WRONG = "Fel e-postadress eller lösenord."


def post_login(client, email: str, password: str, query: str = ""):
    return client.post(
        f"/logga-in{query}",
        data={"csrf_token": csrf_token(client), "email": email, "password": password},
    )


def is_anonymous(client) -> bool:
    """A municipality page sends an anonymous visitor to the log-in page."""
    response = client.get("/k/amal/")
    return response.status_code == 302 and "/logga-in" in response.headers["Location"]


def test_wrong_password_is_refused_and_leaves_user_logged_out(app, create_user):
    user = create_user(municipalities={"amal": "coordinator"})
    client = app.test_client()
    response = post_login(client, user.plain_email, "inte-mitt-losenord")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert WRONG in html
    assert "Du är inloggad" not in html
    assert is_anonymous(client)


def test_unknown_email_gets_the_same_message_as_a_wrong_password(app):
    client = app.test_client()
    response = post_login(client, "finns-inte@example.se", "ett-bra-losenord")
    assert response.status_code == 200
    assert WRONG in response.get_data(as_text=True)
    assert is_anonymous(client)


def test_email_is_matched_regardless_of_case_and_surrounding_spaces(app, create_user):
    user = create_user("Anna.Andersson@Example.se", municipalities={"amal": "member"})
    client = app.test_client()
    response = post_login(client, "  anna.andersson@example.SE ", user.plain_password)
    assert response.status_code == 302
    assert client.get("/k/amal/").status_code == 200


def test_right_password_logs_in_and_greets_in_swedish(app, create_user):
    user = create_user(municipalities={"amal": "member"})
    client = app.test_client()
    response = post_login(client, user.plain_email, user.plain_password)
    assert response.status_code == 302
    html = client.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "Du är inloggad." in html
    assert client.get("/k/amal/").status_code == 200


def test_fourth_attempt_after_three_failures_is_throttled_even_with_the_right_password(
    app, create_user
):
    user = create_user(municipalities={"amal": "member"})
    client = app.test_client()
    for _ in range(3):  # the test settings allow three failures
        assert post_login(client, user.plain_email, "fel-losenord-igen").status_code == 200
    response = post_login(client, user.plain_email, user.plain_password)
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "För många misslyckade inloggningar" in html
    assert '<html lang="sv">' in html
    assert is_anonymous(client)


def test_throttling_one_account_leaves_other_accounts_alone(app, create_user):
    victim = create_user(municipalities={"amal": "member"})
    other = create_user(municipalities={"amal": "member"})
    attacker = app.test_client()
    for _ in range(3):
        post_login(attacker, victim.plain_email, "gissning-nummer-x")
    assert post_login(attacker, victim.plain_email, victim.plain_password).status_code == 429
    client = app.test_client()
    assert post_login(client, other.plain_email, other.plain_password).status_code == 302
    assert client.get("/k/amal/").status_code == 200


def test_failures_with_unknown_addresses_are_throttled_too(app):
    client = app.test_client()
    for _ in range(3):
        assert post_login(client, "ingen@example.se", "ett-bra-losenord").status_code == 200
    assert post_login(client, "ingen@example.se", "ett-bra-losenord").status_code == 429


def test_successful_login_forgets_earlier_failures(app, create_user):
    user = create_user(municipalities={"amal": "member"})
    client = app.test_client()
    for _ in range(2):
        post_login(client, user.plain_email, "fel-losenord-igen")
    assert post_login(client, user.plain_email, user.plain_password).status_code == 302
    client.post("/logga-ut", data={"csrf_token": csrf_token(client, "/konto")})
    for _ in range(2):
        assert post_login(client, user.plain_email, "fel-losenord-igen").status_code == 200
    assert post_login(client, user.plain_email, user.plain_password).status_code == 302


def test_login_without_csrf_token_is_refused_and_leaves_user_logged_out(app, create_user):
    user = create_user(municipalities={"amal": "member"})
    client = app.test_client()
    client.get("/logga-in")
    response = client.post(
        "/logga-in", data={"email": user.plain_email, "password": user.plain_password}
    )
    assert response.status_code == 400
    assert "säkerhetstoken" in response.get_data(as_text=True)
    assert is_anonymous(client)


def test_deactivated_account_cannot_log_in_with_its_right_password(app, create_user):
    from samverka.extensions import db
    from samverka.modules.auth import operations as ops

    user = create_user(municipalities={"amal": "member"})
    with app.app_context():
        ops.set_active(ops.find_user_by_email(user.plain_email), False)
        db.session.commit()
    client = app.test_client()
    response = post_login(client, user.plain_email, user.plain_password)
    assert response.status_code == 200
    assert WRONG in response.get_data(as_text=True)
    assert is_anonymous(client)


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "https:evil.example",
        "/\t/evil.example",
    ],
)
def test_login_never_follows_a_next_link_to_another_site(app, create_user, target):
    user = create_user(municipalities={"amal": "member"})
    client = app.test_client()
    response = client.post(
        "/logga-in",
        query_string={"next": target},
        data={
            "csrf_token": csrf_token(client),
            "email": user.plain_email,
            "password": user.plain_password,
        },
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    parts = urlsplit(location)
    assert parts.netloc in ("", "localhost"), location
    # A path on this site: a browser reads "//x" and "/\\x" as another host.
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location


def test_login_follows_a_next_link_within_the_app(app, create_user):
    user = create_user(municipalities={"amal": "coordinator"})
    client = app.test_client()
    response = client.get("/konto")
    assert response.status_code == 302
    login_url = response.headers["Location"]
    assert "next=" in login_url
    response = client.post(
        login_url,
        data={
            "csrf_token": csrf_token(client),
            "email": user.plain_email,
            "password": user.plain_password,
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/konto"


def test_session_cookie_is_httponly_and_samesite_lax(app, create_user):
    user = create_user(municipalities={"amal": "member"})
    client = app.test_client()
    response = post_login(client, user.plain_email, user.plain_password)
    cookies = [
        c for c in response.headers.getlist("Set-Cookie") if c.startswith("samverka_session=")
    ]
    assert cookies, response.headers
    flags = [part.strip().lower() for part in cookies[-1].split(";")]
    assert "httponly" in flags
    assert "samesite=lax" in flags


def test_password_is_stored_as_an_argon2_hash(app, create_user):
    user = create_user(municipalities={"amal": "member"})
    engine = app.extensions["samverka.backend"].engine_for(None)
    with engine.connect() as conn:
        stored = conn.execute(
            sa.text("SELECT password_hash FROM shared.users WHERE id = :id"), {"id": user.id}
        ).scalar_one()
    assert stored.startswith("$argon2")
    assert user.plain_password not in stored


def test_email_and_name_are_encrypted_at_rest(app, create_user):
    user = create_user(
        "kerstin.karlsson@amal.se", name="Kerstin Karlsson", municipalities={"amal": "member"}
    )
    engine = app.extensions["samverka.backend"].engine_for(None)
    with engine.connect() as conn:
        email, name = conn.execute(
            sa.text("SELECT email, name FROM shared.users WHERE id = :id"), {"id": user.id}
        ).one()
    for raw in (email, name):
        text = raw if isinstance(raw, str) else bytes(raw).decode("latin-1")
        assert "kerstin" not in text.lower()
        assert "amal.se" not in text
    # …and the application still reads them back in clear.
    with app.app_context():
        from samverka.modules.auth import operations as ops

        found = ops.find_user_by_email("kerstin.karlsson@amal.se")
        assert (found.email, found.name) == ("kerstin.karlsson@amal.se", "Kerstin Karlsson")
