"""Personal access tokens from the account page: shown once, stored hashed, revocable."""

from __future__ import annotations

import re

import sqlalchemy as sa

from tests.conftest import csrf_token

PLAIN = re.compile(r"<code>(svk_[A-Za-z0-9_-]+)</code>")


def create_on_account_page(client, name: str = "Mitt skript"):
    return client.post(
        "/konto/nycklar", data={"csrf_token": csrf_token(client, "/konto"), "name": name}
    )


def bearer(app, plain: str):
    return app.test_client().get("/api/me", headers={"Authorization": f"Bearer {plain}"})


def test_new_token_is_shown_once_and_works_for_the_api(app, create_user, login):
    user = create_user(name="Sara Svensson", municipalities={"amal": "member"})
    client = login(user)
    response = create_on_account_page(client)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "den visas bara en gång" in html
    plain = PLAIN.search(html).group(1)

    me = bearer(app, plain)
    assert me.status_code == 200
    assert me.get_json()["name"] == "Sara Svensson"
    assert plain not in client.get("/konto").get_data(as_text=True)


def test_token_needs_a_name(app, create_user, login):
    client = login(create_user(municipalities={"amal": "member"}))
    response = create_on_account_page(client, name="")
    assert response.status_code == 422
    assert "Ge nyckeln ett namn." in response.get_data(as_text=True)
    assert not PLAIN.search(response.get_data(as_text=True))


def test_creating_a_token_without_csrf_token_is_refused(app, create_user, login):
    from samverka.extensions import db
    from samverka.modules.auth.models import ApiToken

    client = login(create_user(municipalities={"amal": "member"}))
    response = client.post("/konto/nycklar", data={"name": "Skript"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def test_only_a_hash_of_the_token_is_stored(app, create_user, login):
    client = login(create_user(municipalities={"amal": "member"}))
    plain = PLAIN.search(create_on_account_page(client).get_data(as_text=True)).group(1)
    engine = app.extensions["samverka.backend"].engine_for(None)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT name, token_hash FROM shared.api_tokens")).all()
    assert len(rows) == 1
    assert plain not in rows[0].token_hash
    assert plain[4:20] not in rows[0].token_hash


def test_revoking_a_token_on_the_account_page_stops_it(app, create_user, login):
    client = login(create_user(municipalities={"amal": "member"}))
    plain = PLAIN.search(create_on_account_page(client).get_data(as_text=True)).group(1)
    page = client.get("/konto").get_data(as_text=True)
    assert "Mitt skript" in page
    action = re.search(r'action="(/konto/nycklar/\d+/aterkalla)"', page).group(1)

    response = client.post(action, data={"csrf_token": csrf_token(client, "/konto")})
    assert response.status_code == 302
    assert "Nyckeln är återkallad." in client.get("/konto").get_data(as_text=True)
    assert bearer(app, plain).status_code == 401
    assert "Mitt skript" not in client.get("/konto").get_data(as_text=True)


def test_nobody_can_revoke_someone_elses_token(app, create_user, login):
    owner = login(create_user(municipalities={"amal": "member"}))
    plain = PLAIN.search(create_on_account_page(owner).get_data(as_text=True)).group(1)
    action = re.search(
        r'action="(/konto/nycklar/\d+/aterkalla)"', owner.get("/konto").get_data(as_text=True)
    ).group(1)

    intruder = login(create_user(municipalities={"amal": "coordinator"}))
    response = intruder.post(action, data={"csrf_token": csrf_token(intruder, "/konto")})
    assert response.status_code == 404
    assert "Sidan finns inte" in response.get_data(as_text=True)
    assert bearer(app, plain).status_code == 200


def test_a_token_opens_the_api_only_not_the_web_pages(app, create_user, login):
    client = login(create_user(municipalities={"amal": "member"}))
    plain = PLAIN.search(create_on_account_page(client).get_data(as_text=True)).group(1)
    response = app.test_client().get("/k/amal/", headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 302
    assert "/logga-in" in response.headers["Location"]


def test_a_rejected_form_still_lists_the_users_open_tokens(app, create_user, login):
    client = login(create_user(municipalities={"amal": "member"}))
    create_on_account_page(client, name="Nattkörning")

    token_error = create_on_account_page(client, name="")
    password_error = client.post(
        "/konto/losenord",
        data={
            "csrf_token": csrf_token(client, "/konto"),
            "current": "fel",
            "new": "",
            "repeat": "",
        },
    )

    for response in (token_error, password_error):
        assert response.status_code == 422
        assert "Nattkörning" in response.get_data(as_text=True)
