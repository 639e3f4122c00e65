"""Two people editing the same record: the second save shows both versions and keeps the first."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.api.helpers import assert_problem, make_token
from tests.conftest import csrf_token
from tests.forums.meetings_helpers import build_world

VERSION = re.compile(r'name="version" type="hidden" value="([0-9]*)"')
CONFLICT = "Någon annan har sparat under tiden"


def _loaded(client, path: str) -> dict[str, str]:
    """What a browser holds after opening an edit page: its CSRF token and hidden version."""
    html = client.get(path).get_data(as_text=True)
    match = VERSION.search(html)
    assert match, f"no version field on {path}"
    return {"csrf_token": csrf_token(client, path), "version": match.group(1)}


@pytest.fixture
def world(create_user, make_forum):
    return build_world(create_user, make_forum)


def _item(in_tenant, item_id: int):
    from samverka.modules.forums.models import AgendaItem

    with in_tenant("amal") as session:
        item = session.get(AgendaItem, item_id)
        return item.title, item.version


def _first_item_id(in_tenant, meeting_id: int) -> int:
    from samverka.modules.forums.models import AgendaItem

    with in_tenant("amal") as session:
        return session.scalars(
            sa.select(AgendaItem.id).where(AgendaItem.meeting_id == meeting_id)
        ).first()


def test_second_edit_of_an_agenda_item_gets_the_conflict_page_and_the_first_is_kept(
    world, login, in_tenant
):
    item_id = _first_item_id(in_tenant, world.meeting_ids[1])
    path = world.url(1, f"/dagordning/{item_id}")
    first, second = login(world.convener), login(world.coordinator)
    first_form, second_form = _loaded(first, path), _loaded(second, path)

    saved = first.post(path, data=first_form | {"title": "Skolstarten", "owner": ""})
    assert saved.status_code == 302
    stale = second.post(path, data=second_form | {"title": "Sommarlovet", "owner": ""})

    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert CONFLICT in html
    assert "Skolstarten" in html and "Sommarlovet" in html  # both versions shown
    title, version = _item(in_tenant, item_id)
    assert title == "Skolstarten"
    # The conflict page's form carries the stored version: saving it now is a deliberate choice.
    assert VERSION.search(html).group(1) == str(version)
    again = second.post(
        path,
        data={"csrf_token": second_form["csrf_token"], "version": str(version)}
        | {"title": "Sommarlovet", "owner": ""},
    )
    assert again.status_code == 302
    assert _item(in_tenant, item_id)[0] == "Sommarlovet"


def _organisation(in_tenant):
    from samverka.modules.forums.models import Organisation

    with in_tenant("amal") as session:
        org = session.scalars(sa.select(Organisation).order_by(Organisation.id)).first()
        return org.id, org.name, org.version


def _org_form(**changes: str) -> dict[str, str]:
    return {
        "name": "Rösparksskolan",
        "type": "school",
        "principal": "",
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
    } | changes


def test_second_edit_of_an_organisation_gets_the_conflict_page_and_the_first_is_kept(
    world, login, in_tenant, create_user
):
    org_id, _name, _version = _organisation(in_tenant)
    path = f"/k/amal/organisationer/{org_id}/andra"
    first = login(world.coordinator)
    second = login(create_user(municipalities={"amal": "coordinator"}))
    first_form, second_form = _loaded(first, path), _loaded(second, path)

    assert first.post(path, data=first_form | _org_form(name="Rösparksskolan")).status_code == 302
    stale = second.post(path, data=second_form | _org_form(name="Kristinedalskolan"))

    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert CONFLICT in html and "Rösparksskolan" in html and "Kristinedalskolan" in html
    assert _organisation(in_tenant)[1] == "Rösparksskolan"


def test_moving_a_meeting_loaded_before_another_change_is_refused(world, login, in_tenant):
    from samverka.modules.forums.models import Meeting

    path = world.url(1, "/flytta")
    first, second = login(world.convener), login(world.member)
    first_form, second_form = _loaded(first, path), _loaded(second, path)
    with in_tenant("amal") as session:
        meeting = session.get(Meeting, world.meeting_ids[1])
        day = meeting.starts_at.date().isoformat()
    change = {"day": day, "starts": "13:00", "ends": "14:00"}
    assert first.post(path, data=first_form | change | {"location": "Rum 1"}).status_code == 302
    stale = second.post(path, data=second_form | change | {"location": "Rum 2"})
    assert stale.status_code == 409
    with in_tenant("amal") as session:
        assert session.get(Meeting, world.meeting_ids[1]).location == "Rum 1"


def test_nul_in_a_form_field_is_refused_with_a_clear_message_and_nothing_saved(
    world, login, in_tenant
):
    item_id = _first_item_id(in_tenant, world.meeting_ids[1])
    before = _item(in_tenant, item_id)
    path = world.url(1, f"/dagordning/{item_id}")
    client = login(world.convener)
    response = client.post(path, data=_loaded(client, path) | {"title": "Skol\x00start"})
    assert response.status_code == 422
    assert "Texten innehåller otillåtna tecken" in response.get_data(as_text=True)
    assert _item(in_tenant, item_id) == before

    new = "/k/amal/organisationer/ny"
    coordinator = login(world.coordinator)
    refused = coordinator.post(
        new, data={"csrf_token": csrf_token(coordinator, new)} | _org_form(name="Bup\x07")
    )
    assert "Texten innehåller otillåtna tecken" in refused.get_data(as_text=True)
    with in_tenant("amal") as session:
        from samverka.modules.forums.models import Organisation

        assert "Bup\x07" not in session.scalars(sa.select(Organisation.name)).all()


def test_tab_and_line_breaks_are_ordinary_text(world, login, in_tenant):
    from samverka.modules.forums.models import Decision

    client = login(world.convener)
    response = client.post(
        world.url(1, "/beslut"),
        data={"csrf_token": csrf_token(client, "/k/amal/"), "decision-text": "Ett\tTvå\r\nTre"},
    )
    assert response.status_code == 302
    with in_tenant("amal") as session:
        assert session.scalars(sa.select(Decision.text)).all() == ["Ett\tTvå\r\nTre"]


def test_api_write_needs_the_current_etag(app, world, in_tenant):
    org_id, name, version = _organisation(in_tenant)
    path = f"/api/k/amal/organisations/{org_id}"
    client = app.test_client()
    auth = {"Authorization": f"Bearer {make_token(app, world.coordinator, scope='write')}"}

    read = client.get(path, headers=auth)
    assert read.status_code == 200 and read.headers["ETag"] == f'"{version}"'

    missing = client.patch(path, json={"name": "Ny skola"}, headers=auth)
    assert_problem(missing, 428)
    stale = client.patch(path, json={"name": "Ny skola"}, headers=auth | {"If-Match": '"999"'})
    assert_problem(stale, 412)
    assert _organisation(in_tenant)[1:] == (name, version)

    ok = client.patch(
        path, json={"name": "Ny skola"}, headers=auth | {"If-Match": read.headers["ETag"]}
    )
    assert ok.status_code == 200 and ok.get_json()["name"] == "Ny skola"
    assert ok.headers["ETag"] == f'"{version + 1}"'
    again = client.patch(
        path, json={"name": "Annan"}, headers=auth | {"If-Match": read.headers["ETag"]}
    )
    assert_problem(again, 412)
    assert _organisation(in_tenant)[1] == "Ny skola"


def test_api_refuses_nul_in_a_field_and_a_member_may_not_write(app, world, in_tenant):
    org_id, name, version = _organisation(in_tenant)
    path = f"/api/k/amal/organisations/{org_id}"
    client = app.test_client()
    auth = {"Authorization": f"Bearer {make_token(app, world.coordinator, scope='write')}"}
    etag = client.get(path, headers=auth).headers["ETag"]
    body = assert_problem(
        client.patch(path, json={"name": "Ny\x00"}, headers=auth | {"If-Match": etag}), 422
    )
    assert "otillåtna tecken" in body["errors"]["name"][0]
    member = {"Authorization": f"Bearer {make_token(app, world.member, scope='write')}"}
    assert_problem(client.patch(path, json={"name": "X"}, headers=member | {"If-Match": etag}), 403)
    assert _organisation(in_tenant)[1:] == (name, version)


def test_forum_detail_carries_its_version_as_etag(app, world, in_tenant):
    client = app.test_client()
    auth = {"Authorization": f"Bearer {make_token(app, world.member, scope='write')}"}
    response = client.get(f"/api/k/amal/forums/{world.forum_id}", headers=auth)
    assert response.status_code == 200
    assert response.headers["ETag"] == f'"{response.get_json()["version"]}"'


def test_openapi_documents_etag_and_if_match(app):
    spec = app.test_client().get("/api/openapi.json").get_json()
    patch = spec["paths"]["/api/k/{tenant}/organisations/{organisation_id}"]["patch"]
    assert {"412", "428"} <= set(patch["responses"])
    assert any(p["name"] == "If-Match" for p in patch["parameters"])


def test_a_racing_save_past_the_form_check_is_stopped_by_the_version_column(app, world):
    """Two sessions load version 1; the second UPDATE matches no row and is refused."""
    from sqlalchemy.orm.exc import StaleDataError

    from samverka.db.session import bind_schema
    from samverka.extensions import db
    from samverka.modules.forums.models import Organisation
    from tests.forums.conftest import SCHEMAS

    def session():
        bind_schema(db.session, SCHEMAS["amal"])
        return db.session

    with app.app_context():
        mine = session().scalars(sa.select(Organisation)).first()
        db.session.expunge(mine)  # held in memory, as a request holds what it loaded
        db.session.remove()
        with app.app_context():
            session().get(Organisation, mine.id).name = "Först"
            db.session.commit()
            db.session.remove()
        session().add(mine)
        mine.name = "Sist"
        with pytest.raises(StaleDataError):
            db.session.flush()
        db.session.rollback()
        assert session().get(Organisation, mine.id).name == "Först"
        db.session.remove()


def test_second_edit_of_a_forum_shows_both_versions_and_keeps_the_first(world, login, in_tenant):
    from samverka.modules.forums.models import Forum
    from tests.forums.test_forums_views import _forum_data

    path = f"/k/amal/forum/{world.forum_id}/andra"
    first, second = login(world.coordinator), login(world.convener)
    loaded = {c: _loaded(c, path)["version"] for c in (first, second)}

    def save(client, name):
        data = _forum_data(client, path=path, name=name, convener=str(world.member_ids[0]))
        return client.post(path, data=data | {"version": loaded[client]})

    assert save(first, "SSPF Norr").status_code == 302
    stale = save(second, "SSPF Söder")
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert CONFLICT in html and "SSPF Norr" in html and "SSPF Söder" in html
    with in_tenant("amal") as session:
        assert session.get(Forum, world.forum_id).name == "SSPF Norr"
