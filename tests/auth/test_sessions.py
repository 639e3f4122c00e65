"""Sessions end for real: on log-out, deactivation, password change and after idling."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import csrf_token


def is_logged_in(client) -> bool:
    response = client.get("/k/amal/")
    if response.status_code == 302:
        assert "/logga-in" in response.headers["Location"]
        return False
    assert response.status_code == 200, response.status_code
    return True


def session_cookie(client) -> str:
    cookie = client.get_cookie("samverka_session")
    assert cookie is not None
    return cookie.value


def client_with_cookie(app, value: str):
    client = app.test_client()
    client.set_cookie("samverka_session", value)
    return client


def change_password(client, current: str, new: str, repeat: str | None = None):
    return client.post(
        "/konto/losenord",
        data={
            "csrf_token": csrf_token(client, "/konto"),
            "current": current,
            "new": new,
            "repeat": new if repeat is None else repeat,
        },
    )


def shift_session_clock(app, delta: timedelta) -> None:
    """Pretend time has passed: move every session's last activity ``delta`` into the past."""
    from samverka.extensions import db
    from samverka.modules.auth.models import UserSession

    with app.app_context():
        for row in db.session.scalars(sa.select(UserSession)):
            row.last_seen_at = row.last_seen_at - delta
        db.session.commit()


def test_logout_without_csrf_token_is_refused_and_keeps_the_session(create_user, login):
    client = login(create_user(municipalities={"amal": "member"}))
    response = client.post("/logga-ut")
    assert response.status_code == 400
    assert is_logged_in(client)


def test_logout_ends_the_session_and_the_old_cookie_cannot_be_replayed(app, create_user, login):
    client = login(create_user(municipalities={"amal": "member"}))
    stolen = session_cookie(client)
    assert is_logged_in(client_with_cookie(app, stolen))

    response = client.post("/logga-ut", data={"csrf_token": csrf_token(client, "/konto")})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/logga-in")
    assert "Du är utloggad." in client.get("/logga-in").get_data(as_text=True)
    assert not is_logged_in(client)
    assert not is_logged_in(client_with_cookie(app, stolen))


def test_logging_out_in_one_browser_leaves_the_other_logged_in(app, create_user, login):
    user = create_user(municipalities={"amal": "member"})
    laptop, phone = login(user), login(user)
    laptop.post("/logga-ut", data={"csrf_token": csrf_token(laptop, "/konto")})
    assert not is_logged_in(laptop)
    assert is_logged_in(phone)


def test_deactivating_a_user_ends_their_open_session_at_once(app, create_user, login):
    from samverka.extensions import db
    from samverka.modules.auth import operations as ops

    user = create_user(municipalities={"amal": "member"})
    client = login(user)
    stolen = session_cookie(client)
    assert is_logged_in(client)
    with app.app_context():
        ops.set_active(db.session.get(ops.User, user.id), False)
        db.session.commit()
    assert not is_logged_in(client)
    assert not is_logged_in(client_with_cookie(app, stolen))


def test_cli_deactivate_ends_the_users_open_session(app, runner, create_user, login):
    from samverka.cli import cli

    user = create_user(municipalities={"amal": "member"})
    client = login(user)
    assert is_logged_in(client)
    result = runner.invoke(cli, ["users", "deactivate", user.plain_email])
    assert result.exit_code == 0, result.output
    assert not is_logged_in(client)


def test_reactivated_user_must_log_in_again(app, runner, create_user, login):
    from samverka.cli import cli

    user = create_user(municipalities={"amal": "member"})
    client = login(user)
    runner.invoke(cli, ["users", "deactivate", user.plain_email])
    runner.invoke(cli, ["users", "activate", user.plain_email])
    assert not is_logged_in(client)
    assert is_logged_in(login(user))


def test_changing_password_ends_other_sessions_but_keeps_the_current_one(app, create_user, login):
    user = create_user(municipalities={"amal": "member"})
    here, elsewhere = login(user), login(user)
    response = change_password(here, user.plain_password, "ett-helt-nytt-losenord")
    assert response.status_code == 302
    assert "Lösenordet är bytt" in here.get("/konto").get_data(as_text=True)
    assert is_logged_in(here)
    assert not is_logged_in(elsewhere)


def test_after_a_password_change_only_the_new_password_works(app, create_user, login):
    user = create_user(municipalities={"amal": "member"})
    client = login(user)
    change_password(client, user.plain_password, "ett-helt-nytt-losenord")

    old = app.test_client()
    old.post(
        "/logga-in",
        data={
            "csrf_token": csrf_token(old),
            "email": user.plain_email,
            "password": user.plain_password,
        },
    )
    assert not is_logged_in(old)
    user.plain_password = "ett-helt-nytt-losenord"
    assert is_logged_in(login(user))


def test_wrong_current_password_is_refused_and_changes_nothing(app, create_user, login):
    user = create_user(municipalities={"amal": "member"})
    here, elsewhere = login(user), login(user)
    response = change_password(here, "inte-det-nuvarande", "ett-helt-nytt-losenord")
    assert response.status_code == 422
    assert "Nuvarande lösenord stämmer inte." in response.get_data(as_text=True)
    assert is_logged_in(here) and is_logged_in(elsewhere)
    assert is_logged_in(login(user, app.test_client()))  # the old password still works


@pytest.mark.parametrize(
    ("new", "repeat", "message"),
    [
        ("kort", "kort", "Lösenordet måste ha 10–200 tecken."),
        ("ett-helt-nytt-losenord", "ett-annat-losenord", "Lösenorden är inte lika."),
    ],
)
def test_unacceptable_new_password_is_refused_with_a_swedish_reason(
    app, create_user, login, new, repeat, message
):
    user = create_user(municipalities={"amal": "member"})
    here, elsewhere = login(user), login(user)
    response = change_password(here, user.plain_password, new, repeat)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert is_logged_in(elsewhere)


def test_password_change_without_csrf_token_is_refused(app, create_user, login):
    user = create_user(municipalities={"amal": "member"})
    client = login(user)
    response = client.post(
        "/konto/losenord",
        data={
            "current": user.plain_password,
            "new": "ett-helt-nytt-losenord",
            "repeat": "ett-helt-nytt-losenord",
        },
    )
    assert response.status_code == 400
    assert is_logged_in(login(user, app.test_client()))  # the old password still works


def test_a_session_idle_for_more_than_thirty_minutes_has_ended(app, create_user, login):
    """Shared computers: the default idle timeout is 30 minutes (SAMVERKA_IDLE_TIMEOUT_MINUTES)."""
    client = login(create_user(municipalities={"amal": "member"}))
    shift_session_clock(app, timedelta(minutes=31))
    assert not is_logged_in(client)


def test_a_session_idle_for_less_than_thirty_minutes_is_still_open(app, create_user, login):
    client = login(create_user(municipalities={"amal": "member"}))
    shift_session_clock(app, timedelta(minutes=29))
    assert is_logged_in(client)


def test_the_idle_timeout_follows_the_setting(app, create_user, login):
    client = login(create_user(municipalities={"amal": "member"}))
    settings = app.config["SETTINGS"]
    app.config["SETTINGS"] = settings.replace(idle_timeout_minutes=5)
    try:
        shift_session_clock(app, timedelta(minutes=6))
        assert not is_logged_in(client)
    finally:
        app.config["SETTINGS"] = settings


@pytest.mark.parametrize("path", ["/konto", "/k/amal/"])
def test_activity_keeps_a_session_alive(app, create_user, login, path):
    client = login(create_user(municipalities={"amal": "member"}))
    shift_session_clock(app, timedelta(minutes=29))
    assert client.get(path).status_code == 200  # the user is active…
    shift_session_clock(app, timedelta(minutes=20))  # …and comes back twenty minutes later
    assert is_logged_in(client)
