"""Invites from the web: link → password → log in, one use only, scoped to one municipality."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from tests.auth.conftest import link_token
from tests.conftest import csrf_token
from tests.fixtures.jobs import run_queued_jobs


def invite(client, slug: str = "amal", **data):
    form = {"email": "ny.person@example.se", "name": "Ny Person", "role": "member"}
    form.update(data)
    form.setdefault("organisation", "")
    form["csrf_token"] = csrf_token(client, f"/k/{slug}/konton/")
    return client.post(f"/k/{slug}/konton/bjud-in", data=form)


def set_password(client, token: str, password: str = "ett-eget-bra-losenord"):  # noqa: S107
    return client.post(
        f"/konto/lank/{token}",
        data={
            "csrf_token": csrf_token(client, f"/konto/lank/{token}"),
            "new": password,
            "repeat": password,
        },
    )


def test_invite_link_set_password_then_log_in(app, create_user, login, sent_mail):
    coordinator = login(create_user(municipalities={"amal": "coordinator"}))
    response = invite(coordinator)
    assert response.status_code == 302
    [message] = sent_mail()
    assert message.kind == "invite" and message.to_address == "ny.person@example.se"
    token = link_token(message)
    assert "ny.person" not in message.body.split("/konto/lank/")[1]  # only an opaque token

    newcomer = app.test_client()
    assert newcomer.get(f"/konto/lank/{token}").status_code == 200
    assert set_password(newcomer, token).status_code == 302

    class Person:
        plain_email, plain_password = "ny.person@example.se", "ett-eget-bra-losenord"

    client = login(Person())
    assert client.get("/k/amal/").status_code == 200
    assert client.get("/k/bengtsfors/").status_code == 404


def test_invited_person_cannot_log_in_before_choosing_a_password(app, create_user, login):
    coordinator = login(create_user(municipalities={"amal": "coordinator"}))
    invite(coordinator)
    client = app.test_client()
    response = client.post(
        "/logga-in",
        data={"csrf_token": csrf_token(client), "email": "ny.person@example.se", "password": "!"},
    )
    assert response.status_code == 200
    assert "Fel e-postadress eller lösenord." in response.get_data(as_text=True)


def test_a_used_link_is_refused(app, create_user, login, sent_mail):
    invite(login(create_user(municipalities={"amal": "coordinator"})))
    token = link_token(sent_mail()[0])
    client = app.test_client()
    set_password(client, token)
    assert client.get(f"/konto/lank/{token}").status_code == 404
    response = client.post(
        f"/konto/lank/{token}", data={"new": "ett-annat-losenord", "repeat": "ett-annat-losenord"}
    )
    assert response.status_code in {400, 404}


def test_an_expired_link_is_refused(app, create_user, login, sent_mail):
    from samverka.extensions import db
    from samverka.modules.auth.models_links import AccountLink

    invite(login(create_user(municipalities={"amal": "coordinator"})))
    token = link_token(sent_mail()[0])
    with app.app_context():
        for link in db.session.scalars(sa.select(AccountLink)):
            link.expires_at = link.created_at - timedelta(seconds=1)
        db.session.commit()
    page = app.test_client().get(f"/konto/lank/{token}")
    assert page.status_code == 404
    assert "Länken gäller inte" in page.get_data(as_text=True)


def test_a_made_up_link_is_refused(app):
    client = app.test_client()
    assert client.get("/konto/lank/inte-en-riktig-token").status_code == 404
    assert client.get("/konto/lank/" + "x" * 5000).status_code == 404


def test_tokens_are_stored_hashed(app, create_user, login, sent_mail):
    from samverka.extensions import db
    from samverka.modules.auth.models_links import AccountLink

    invite(login(create_user(municipalities={"amal": "coordinator"})))
    token = link_token(sent_mail()[0])
    with app.app_context():
        hashes = db.session.scalars(sa.select(AccountLink.token_hash)).all()
    assert hashes and token not in hashes


def test_inviting_an_existing_account_grants_access_without_a_link(
    app, create_user, login, sent_mail
):
    person = create_user(municipalities={"bengtsfors": "member"})
    coordinator = login(create_user(municipalities={"amal": "coordinator"}))
    assert invite(coordinator, email=person.plain_email).status_code == 302
    assert sent_mail() == []
    client = login(person)
    assert client.get("/k/amal/").status_code == 200
    assert client.get("/k/bengtsfors/").status_code == 200


def test_invite_with_a_bad_address_is_refused(app, create_user, login, sent_mail):
    coordinator = login(create_user(municipalities={"amal": "coordinator"}))
    response = invite(coordinator, email="inte-en-adress")
    assert response.status_code == 422
    assert sent_mail() == []


def test_invite_without_csrf_token_is_refused(app, create_user, login, sent_mail):
    coordinator = login(create_user(municipalities={"amal": "coordinator"}))
    response = coordinator.post(
        "/k/amal/konton/bjud-in", data={"email": "x@example.se", "name": "X", "role": "member"}
    )
    assert response.status_code == 400
    assert sent_mail() == []


def test_platform_admin_invites_into_any_municipality(app, create_user, login, sent_mail):
    admin = login(create_user(platform_admin=True))
    response = admin.post(
        "/admin/konton/bjud-in",
        data={
            "csrf_token": csrf_token(admin, "/admin/konton/bjud-in"),
            "email": "ny.chef@example.se",
            "name": "Ny Chef",
            "municipality": "bengtsfors",
            "role": "coordinator",
        },
    )
    assert response.status_code == 302
    token = link_token(sent_mail()[0])
    set_password(app.test_client(), token)

    class Person:
        plain_email, plain_password = "ny.chef@example.se", "ett-eget-bra-losenord"

    assert login(Person()).get("/k/bengtsfors/konton/").status_code == 200
    from tests.auth.test_members import audit_actions

    assert [a for a, _c in audit_actions(app, "kommun_1460")] == ["invite"]
    assert audit_actions(app, "kommun_1492") == []


def test_only_platform_admins_open_the_platform_invite(create_user, login):
    coordinator = login(create_user(municipalities={"amal": "coordinator"}))
    assert coordinator.get("/admin/konton/bjud-in").status_code == 403


def test_invite_mail_is_sent_over_smtp_when_configured(app, create_user, login, sent_mail):
    """The job sends the message; a relay that refuses is noted on the row, not raised."""
    settings = app.config["SETTINGS"]
    app.config["SETTINGS"] = settings.replace(smtp_host="127.0.0.1", smtp_port=1)
    try:
        invite(login(create_user(municipalities={"amal": "coordinator"})))
        run_queued_jobs(app)  # the Redis leg queues the job; inline jobs have run already
    finally:
        app.config["SETTINGS"] = settings
    [message] = sent_mail()
    assert message.sent_at is None and message.error  # connection refused, recorded
    assert "example.se" not in message.error


def test_invite_mail_goes_out_over_smtp_with_the_link(app, create_user, login, monkeypatch):
    from samverka.modules.forums import mailer
    from tests.forums.test_reminders import FakeSMTP

    monkeypatch.setattr(mailer.smtplib, "SMTP", FakeSMTP)
    FakeSMTP.sent = []
    settings = app.config["SETTINGS"]
    app.config["SETTINGS"] = settings.replace(smtp_host="smtp.example.se", smtp_port=25)
    try:
        invite(login(create_user(municipalities={"amal": "coordinator"})))
        run_queued_jobs(app)
    finally:
        app.config["SETTINGS"] = settings
    [email] = FakeSMTP.sent
    assert email["To"] == "ny.person@example.se"
    assert email["Subject"] == "Inbjudan till Samverka"
    assert "/konto/lank/" in email.get_content()
