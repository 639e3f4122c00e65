"""Start-up refuses rather than half-starts: a wrong data key, a cut-off key file, `samverka check`."""

from __future__ import annotations

import base64
import logging
import os
import stat

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from samverka.checks import check_command
from samverka.config import ConfigError, Settings
from samverka.db.crypto import set_data_key
from samverka.db.keycheck import KeyCheck, KeyMismatch, refuse_wrong_key, verify_key
from tests.fixtures.db_faults import dead_port, fault_app  # noqa: F401 - fixture

WRONG_KEY = base64.b64encode(b"W" * 32).decode()


@pytest.fixture
def restore_data_key(settings):
    """create_app installs its key process-wide; put the suite's key back afterwards."""
    yield
    set_data_key(settings.data_key)


@pytest.fixture
def wrong_key_app(app, settings, restore_data_key):
    from samverka.app import create_app

    app = create_app(
        settings.replace(data_key=base64.b64decode(WRONG_KEY)),
        {"TESTING": True, "PROPAGATE_EXCEPTIONS": False},
    )
    yield app
    app.extensions["samverka.backend"].dispose()


def test_app_with_a_wrong_data_key_refuses_to_start_naming_the_variable(wrong_key_app):
    with pytest.raises(KeyMismatch, match="SAMVERKA_DATA_KEY"):
        refuse_wrong_key(wrong_key_app)


def test_wrong_data_key_answers_every_page_with_503_instead_of_failed_logins(
    wrong_key_app, create_user, caplog
):
    user = create_user(municipalities={"amal": "member"})
    client = wrong_key_app.test_client()
    with caplog.at_level(logging.ERROR):
        response = client.post(
            "/logga-in", data={"email": user.plain_email, "password": user.plain_password}
        )
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Fel e-postadress eller lösenord" not in html
    assert "felinställt" in html
    assert any("SAMVERKA_DATA_KEY" in r.getMessage() for r in caplog.records)


def test_right_key_starts_and_serves(app):
    refuse_wrong_key(app)
    assert app.test_client().get("/logga-in").status_code == 200


def test_first_check_value_is_not_written_for_a_key_that_cannot_read_existing_data(
    app, create_user, restore_data_key
):
    from samverka.db.session import tenant_session

    create_user()  # data written with the right key
    with app.app_context(), tenant_session(None) as session:
        stored = session.get(KeyCheck, "data_key")
        session.delete(stored)
        session.commit()
        try:
            set_data_key(base64.b64decode(WRONG_KEY))
            with pytest.raises(KeyMismatch):
                verify_key(session, base64.b64decode(WRONG_KEY))
            session.rollback()
            assert session.get(KeyCheck, "data_key") is None
        finally:
            set_data_key(app.config["SETTINGS"].data_key)
        session.expunge_all()
        assert verify_key(session, app.config["SETTINGS"].data_key) == "written"
        assert verify_key(session, app.config["SETTINGS"].data_key) == "ok"


@pytest.fixture
def fresh_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("SAMVERKA_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SAMVERKA_DATA_KEY", raising=False)
    monkeypatch.delenv("SAMVERKA_SECRET_KEY", raising=False)
    return tmp_path


def test_key_files_are_created_whole_private_and_reused(fresh_data_dir):
    first = Settings.from_env()
    secrets = fresh_data_dir / "secrets"
    assert sorted(p.name for p in secrets.iterdir()) == ["data_key", "secret_key"]
    for path in secrets.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert len(path.read_text()) == 44
    again = Settings.from_env()
    assert (again.data_key, again.secret_key) == (first.data_key, first.secret_key)


@pytest.mark.parametrize("content", ["", "c2hvcnQ="])
def test_cut_off_key_file_is_reported_as_such(fresh_data_dir, content):
    secrets = fresh_data_dir / "secrets"
    secrets.mkdir()
    (secrets / "secret_key").write_text(base64.b64encode(os.urandom(32)).decode())
    (secrets / "data_key").write_text(content)
    with pytest.raises(ConfigError) as caught:
        Settings.from_env()
    message = str(caught.value)
    assert str(secrets / "data_key") in message
    assert ("is empty" if not content else "is too short") in message
    assert "SAMVERKA_DATA_KEY" in message and "must decode" not in message


def test_unwritable_key_folder_is_reported_clearly(fresh_data_dir):
    (fresh_data_dir / "secrets").write_text("a file where the folder should be")
    with pytest.raises(ConfigError, match="cannot write the key file"):
        Settings.from_env()


def _check(**env: str | None):
    runner = CliRunner()
    return runner.invoke(check_command, env=env, catch_exceptions=False)


def test_samverka_check_passes_when_everything_is_in_order(app, restore_data_key):
    result = _check()
    assert result.exit_code == 0, result.output
    for name in ("inställningar", "database", "keys", "redis", "storage"):
        assert f"ok   {name}" in result.output


def test_samverka_check_names_a_wrong_data_key_and_exits_1(app, restore_data_key):
    result = _check(SAMVERKA_DATA_KEY=WRONG_KEY)
    assert result.exit_code == 1
    assert "FEL  keys: SAMVERKA_DATA_KEY passar inte" in result.output


def test_samverka_check_reports_redis_down(app, restore_data_key):
    result = _check(REDIS_URL=f"redis://127.0.0.1:{dead_port()}/0")
    assert result.exit_code == 1
    assert "FEL  redis" in result.output and "ok   database" in result.output


def test_samverka_check_reports_a_cut_off_key_file(fresh_data_dir, restore_data_key):
    (fresh_data_dir / "secrets").mkdir()
    (fresh_data_dir / "secrets" / "data_key").write_text("")
    result = _check()
    assert result.exit_code == 1
    assert "FEL  inställningar" in result.output and "is empty" in result.output


def test_samverka_check_reports_an_unreachable_database(app, restore_data_key, tmp_path):
    if app.config["SETTINGS"].database_url:
        url = sa.engine.make_url(app.config["SETTINGS"].database_url)
        result = _check(DATABASE_URL=url.set(port=dead_port()).render_as_string(False))
    else:
        (tmp_path / "db" / "shared.db").mkdir(parents=True)  # a folder cannot be opened
        result = _check(SAMVERKA_DATA_DIR=str(tmp_path))
    assert result.exit_code == 1
    assert "FEL  database" in result.output


def test_start_with_the_database_down_waits_and_checks_the_key_on_first_request(
    fault_app,  # noqa: F811
    caplog,
):
    fault_app.cut()
    with caplog.at_level(logging.WARNING):
        refuse_wrong_key(fault_app)  # does not refuse: the key cannot be judged yet
    assert "checked on first request" in caplog.text
    response = fault_app.test_client().get("/logga-in")
    assert response.status_code == 503
    assert "försök igen om en stund" in response.get_data(as_text=True).lower()
