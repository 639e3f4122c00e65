"""TOTP as a second factor: enrol, log in with a code, wrong and replayed codes refused."""

from __future__ import annotations

import re
import time

import pyotp

from tests.conftest import csrf_token

SECRET = re.compile(r'class="totp-secret">([A-Z2-7]+)<')


def enrol(client) -> tuple[str, list[str]]:
    page = client.get("/konto/tvastegs").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page  # the QR code is made here, not fetched
    secret = SECRET.search(page).group(1)
    response = client.post(
        "/konto/tvastegs",
        data={
            "csrf_token": csrf_token(client, "/konto/tvastegs"),
            "code": pyotp.TOTP(secret).now(),
        },
    )
    assert response.status_code == 200
    codes = re.findall(r"<code>([0-9a-f]{8}-[0-9a-f]{8})</code>", response.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def password_step(app, user):
    client = app.test_client()
    response = client.post(
        "/logga-in",
        data={
            "csrf_token": csrf_token(client),
            "email": user.plain_email,
            "password": user.plain_password,
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/logga-in/kod")
    return client


def send_code(client, code: str):
    return client.post(
        "/logga-in/kod", data={"csrf_token": csrf_token(client, "/logga-in/kod"), "code": code}
    )


def code_at(secret: str, offset_steps: int) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * offset_steps)


def test_enrol_then_log_in_with_a_code(app, create_user, login):
    user = create_user(municipalities={"amal": "member"})
    secret, _codes = enrol(login(user))
    client = password_step(app, user)
    assert client.get("/k/amal/").status_code == 302  # not logged in before the code
    assert send_code(client, code_at(secret, 1)).status_code == 302
    assert client.get("/k/amal/").status_code == 200
    assert "Den här inloggningen är stark" in client.get("/konto").get_data(as_text=True)


def test_password_only_session_is_not_strong(app, create_user, login):
    page = login(create_user(municipalities={"amal": "member"})).get("/konto")
    assert "gjord med enbart lösenord" in page.get_data(as_text=True)


def test_wrong_code_is_refused(app, create_user, login):
    user = create_user(municipalities={"amal": "member"})
    secret, _codes = enrol(login(user))
    client = password_step(app, user)
    wrong = code_at(secret, 5)
    response = send_code(client, wrong)
    assert response.status_code == 200
    assert "Koden stämmer inte." in response.get_data(as_text=True)
    assert client.get("/k/amal/").status_code == 302


def test_a_used_code_cannot_be_replayed(app, create_user, login):
    user = create_user(municipalities={"amal": "member"})
    secret, _codes = enrol(login(user))
    code = code_at(secret, 1)  # a step after the one used to enrol
    assert send_code(password_step(app, user), code).status_code == 302
    again = password_step(app, user)
    assert "Koden stämmer inte." in send_code(again, code).get_data(as_text=True)
    assert again.get("/k/amal/").status_code == 302


def test_the_enrolment_code_cannot_be_replayed_at_log_in(app, create_user, login):
    user = create_user(municipalities={"amal": "member"})
    client = login(user)
    page = client.get("/konto/tvastegs").get_data(as_text=True)
    secret = SECRET.search(page).group(1)
    code = pyotp.TOTP(secret).now()
    client.post(
        "/konto/tvastegs", data={"csrf_token": csrf_token(client, "/konto/tvastegs"), "code": code}
    )
    again = password_step(app, user)
    send_code(again, code)
    assert again.get("/k/amal/").status_code == 302


def test_a_recovery_code_works_once(app, create_user, login):
    user = create_user(municipalities={"amal": "member"})
    _secret, codes = enrol(login(user))
    assert send_code(password_step(app, user), codes[0]).status_code == 302
    again = password_step(app, user)
    send_code(again, codes[0])
    assert again.get("/k/amal/").status_code == 302


def test_recovery_codes_and_secret_are_not_stored_in_plain_text(app, create_user, login):
    import sqlalchemy as sa

    from samverka.extensions import db
    from samverka.modules.auth.models import User
    from samverka.modules.auth.models_links import RecoveryCode

    user = create_user(municipalities={"amal": "member"})
    secret, codes = enrol(login(user))
    with app.app_context():
        hashes = db.session.scalars(sa.select(RecoveryCode.code_hash)).all()
        raw = db.session.execute(
            sa.text("SELECT totp_secret FROM shared.users WHERE id = :id"), {"id": user.id}
        ).scalar()
        assert db.session.get(User, user.id).totp_secret == secret
    assert not set(codes) & set(hashes)
    assert secret not in raw


def test_wrong_enrolment_code_leaves_totp_off(app, create_user, login):
    user = create_user(municipalities={"amal": "member"})
    client = login(user)
    client.get("/konto/tvastegs")
    response = client.post(
        "/konto/tvastegs",
        data={"csrf_token": csrf_token(client, "/konto/tvastegs"), "code": "000000"},
    )
    assert response.status_code == 422
    assert password_step_is_skipped(app, user)


def password_step_is_skipped(app, user) -> bool:
    client = app.test_client()
    response = client.post(
        "/logga-in",
        data={
            "csrf_token": csrf_token(client),
            "email": user.plain_email,
            "password": user.plain_password,
        },
    )
    return response.status_code == 302 and not response.headers["Location"].endswith("/kod")


def test_code_step_without_a_password_first_goes_back_to_log_in(app):
    response = app.test_client().get("/logga-in/kod")
    assert response.status_code == 302 and response.headers["Location"].endswith("/logga-in")


def test_turning_totp_off_needs_the_password(app, create_user, login):
    user = create_user(municipalities={"amal": "member"})
    client = login(user)
    enrol(client)
    client.post(
        "/konto/tvastegs/av", data={"csrf_token": csrf_token(client, "/konto"), "password": "fel"}
    )
    assert not password_step_is_skipped(app, user)
    client.post(
        "/konto/tvastegs/av",
        data={"csrf_token": csrf_token(client, "/konto"), "password": user.plain_password},
    )
    assert password_step_is_skipped(app, user)
