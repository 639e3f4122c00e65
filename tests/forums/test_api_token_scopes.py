"""Token scopes: bearer calls skip CSRF, so only a token made for writing may change anything."""

from __future__ import annotations

import re

from tests.api.helpers import assert_problem, make_token
from tests.conftest import csrf_token

PLAIN = re.compile(r"<code>(svk_[A-Za-z0-9_-]+)</code>")


def _patch_organisation(app, plain: str, organisation_id: int, version: str = '"1"'):
    return app.test_client().patch(
        f"/api/k/amal/organisations/{organisation_id}",
        json={"name": "Nytt namn"},
        headers={"Authorization": f"Bearer {plain}", "If-Match": version},
    )


def _organisation(app, make_forum) -> int:
    made = make_forum("amal")
    return next(iter(made["organisation_ids"].values()))


def test_read_token_gets_403_on_writes_and_nothing_changes(app, create_user, make_forum):
    organisation_id = _organisation(app, make_forum)
    user = create_user(municipalities={"amal": "coordinator"})
    plain = make_token(app, user, scope="read")
    body = assert_problem(_patch_organisation(app, plain, organisation_id), 403)
    assert "bara läsa" in body["detail"]
    headers = {"Authorization": f"Bearer {plain}"}
    read = app.test_client().get(f"/api/k/amal/organisations/{organisation_id}", headers=headers)
    assert read.status_code == 200 and read.get_json()["name"] != "Nytt namn"


def test_write_token_may_write_what_its_owner_may(app, create_user, make_forum):
    organisation_id = _organisation(app, make_forum)
    coordinator = make_token(
        app, create_user(municipalities={"amal": "coordinator"}), scope="write"
    )
    member = make_token(app, create_user(municipalities={"amal": "member"}), scope="write")
    assert _patch_organisation(app, coordinator, organisation_id).status_code == 200
    assert_problem(_patch_organisation(app, member, organisation_id, '"2"'), 403)


def test_new_tokens_read_only_unless_told(app, create_user):
    from samverka.extensions import db
    from samverka.modules.auth import operations as ops
    from samverka.modules.auth.models import User

    user = create_user(municipalities={"amal": "member"})
    with app.app_context():
        token, _plain = ops.create_token(db.session.get(User, user.id), "Skript")
        assert token.scope == "read"
        db.session.rollback()


def test_account_page_creates_a_write_token_and_lists_its_scope(
    app, create_user, login, make_forum
):
    organisation_id = _organisation(app, make_forum)
    client = login(create_user(municipalities={"amal": "coordinator"}))
    response = client.post(
        "/konto/nycklar",
        data={"csrf_token": csrf_token(client, "/konto"), "name": "Synk", "scope": "write"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "läsa och ändra" in html
    plain = PLAIN.search(html).group(1)
    assert _patch_organisation(app, plain, organisation_id).status_code == 200


def test_account_page_refuses_an_unknown_scope(app, create_user, login):
    client = login(create_user(municipalities={"amal": "member"}))
    response = client.post(
        "/konto/nycklar",
        data={"csrf_token": csrf_token(client, "/konto"), "name": "Synk", "scope": "admin"},
    )
    assert response.status_code == 422
    assert "svk_" not in response.get_data(as_text=True)


def test_cli_creates_a_token_with_the_chosen_scope(app, runner, create_user, make_forum):
    from samverka.cli import cli

    organisation_id = _organisation(app, make_forum)
    user = create_user(municipalities={"amal": "coordinator"})
    result = runner.invoke(cli, ["users", "token", user.plain_email, "--name", "Synk"])
    assert result.exit_code == 0, result.output
    read_plain = result.output.strip().rsplit(" ", 1)[-1]
    assert "(read)" in result.output
    assert_problem(_patch_organisation(app, read_plain, organisation_id), 403)
    result = runner.invoke(
        cli, ["users", "token", user.plain_email, "--name", "Synk", "--scope", "write"]
    )
    assert result.exit_code == 0, result.output
    write_plain = result.output.strip().rsplit(" ", 1)[-1]
    assert _patch_organisation(app, write_plain, organisation_id).status_code == 200
