"""Password reset by e-mail link, with the same answer for unknown addresses."""

from __future__ import annotations

from tests.auth.conftest import link_token
from tests.auth.test_invites import set_password
from tests.conftest import csrf_token


def ask_reset(client, email: str):
    return client.post(
        "/glomt-losenord",
        data={"csrf_token": csrf_token(client, "/glomt-losenord"), "email": email},
    )


def test_reset_link_sets_a_new_password_and_ends_old_sessions(app, create_user, login, sent_mail):
    user = create_user(municipalities={"amal": "member"})
    old_session = login(user)
    assert ask_reset(app.test_client(), user.plain_email).status_code == 302
    [message] = sent_mail()
    assert message.kind == "reset" and message.to_address == user.plain_email
    assert (
        set_password(app.test_client(), link_token(message), "ett-nytt-fint-losenord").status_code
        == 302
    )
    assert old_session.get("/k/amal/").status_code == 302  # logged out everywhere
    user.plain_password = "ett-nytt-fint-losenord"
    assert login(user).get("/k/amal/").status_code == 200


def test_unknown_and_known_addresses_get_the_same_answer(app, create_user, sent_mail):
    user = create_user(municipalities={"amal": "member"})
    known, unknown = app.test_client(), app.test_client()
    a = ask_reset(known, user.plain_email)
    b = ask_reset(unknown, "ingen.alls@example.se")
    assert a.status_code == b.status_code == 302
    assert a.headers["Location"] == b.headers["Location"]
    page_a = known.get(a.headers["Location"]).get_data(as_text=True)
    page_b = unknown.get(b.headers["Location"]).get_data(as_text=True)
    assert "Om adressen hör till ett konto" in page_a
    assert page_a.replace(csrf_token(known), "") == page_b.replace(csrf_token(unknown), "")
    assert [m.to_address for m in sent_mail()] == [user.plain_email]


def test_a_deactivated_account_gets_no_reset_link(app, runner, create_user, sent_mail):
    from samverka.cli import cli

    user = create_user(municipalities={"amal": "member"})
    runner.invoke(cli, ["users", "deactivate", user.plain_email])
    assert ask_reset(app.test_client(), user.plain_email).status_code == 302
    assert sent_mail() == []


def test_a_new_reset_link_replaces_the_previous_one(app, create_user, sent_mail):
    user = create_user(municipalities={"amal": "member"})
    ask_reset(app.test_client(), user.plain_email)
    ask_reset(app.test_client(), user.plain_email)
    first, second = (link_token(m) for m in sent_mail())
    assert app.test_client().get(f"/konto/lank/{first}").status_code == 404
    assert app.test_client().get(f"/konto/lank/{second}").status_code == 200


def test_reset_requests_are_throttled(app, create_user, sent_mail):
    """Three requests for one address (the test limit) and the fourth is refused."""
    user = create_user(municipalities={"amal": "member"})
    for _ in range(3):
        assert ask_reset(app.test_client(), user.plain_email).status_code == 302
    assert ask_reset(app.test_client(), user.plain_email).status_code == 429
    assert len(sent_mail()) == 3


def test_reset_without_csrf_token_is_refused(app, create_user, sent_mail):
    user = create_user(municipalities={"amal": "member"})
    response = app.test_client().post("/glomt-losenord", data={"email": user.plain_email})
    assert response.status_code == 400
    assert sent_mail() == []


def test_reset_with_a_bad_address_is_refused_with_a_swedish_reason(app):
    client = app.test_client()
    response = client.post(
        "/glomt-losenord", data={"csrf_token": csrf_token(client, "/glomt-losenord"), "email": ""}
    )
    assert response.status_code == 422
    assert "Ange din e-postadress." in response.get_data(as_text=True)
