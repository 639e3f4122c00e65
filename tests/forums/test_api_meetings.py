"""Meetings API: members read meetings; api_forum members and coordinators plan them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.api.helpers import assert_problem, bearer


def _new(days: int = 60) -> dict:
    day = (date.today() + timedelta(days=days)).isoformat()
    return {"day": day, "starts": "13:00", "ends": "14:30", "location": "Stadshuset"}


def test_member_lists_meetings_earliest_first(app, api_forum):
    client = app.test_client()
    body = client.get(api_forum["base"], headers=api_forum["outsider"]).get_json()
    assert body["total"] == 3
    starts = [m["starts_at"] for m in body["items"]]
    assert starts == sorted(starts)
    assert [m["state"] for m in body["items"]] == ["held", "planned", "planned"]


@pytest.mark.parametrize("bad", ["0", "-1", "abc", "1.5", "99999999999999999999", "٣"])
def test_invalid_page_numbers_are_refused_with_400(app, api_forum, bad):
    response = app.test_client().get(f"{api_forum['base']}?sida={bad}", headers=api_forum["inside"])
    body = assert_problem(response, 400)
    assert "Sidnumret" in body["detail"]


def test_meeting_in_other_municipality_is_404(app, api_forum):
    client = app.test_client()
    meeting_id = api_forum["meeting_ids"][1]
    assert_problem(
        client.get(f"{api_forum['base']}/{meeting_id}", headers=api_forum["foreign"]), 404
    )
    assert_problem(client.post(api_forum["base"], json=_new(), headers=api_forum["foreign"]), 404)
    path = f"/api/k/bengtsfors/forums/{api_forum['forum_id']}/meetings/{meeting_id}"
    assert_problem(client.get(path, headers=api_forum["foreign"]), 404)


def test_outsider_sees_the_agenda_without_owners_and_nothing_of_the_minutes(app, api_forum):
    client = app.test_client()
    url = f"{api_forum['base']}/{api_forum['meeting_ids'][1]}"
    outside = client.get(url, headers=api_forum["outsider"]).get_json()
    inside = client.get(url, headers=api_forum["inside"]).get_json()
    assert outside["agenda"] and "owner_member_id" not in outside["agenda"][0]
    assert "decisions" not in outside and "attachments" not in outside
    assert "owner_member_id" in inside["agenda"][0] and inside["decisions"] == []


def test_forum_member_creates_a_meeting_and_reads_it_back(app, api_forum):
    client = app.test_client()
    response = client.post(api_forum["base"], json=_new(), headers=api_forum["inside"])
    assert response.status_code == 201
    created = response.get_json()
    assert created["state"] == "planned" and created["location"] == "Stadshuset"
    again = client.get(f"{api_forum['base']}/{created['id']}", headers=api_forum["inside"])
    assert again.status_code == 200 and again.headers["ETag"] == f'"{created["version"]}"'


def test_outsider_may_not_create_meetings_and_nothing_is_created(app, api_forum):
    client = app.test_client()
    assert_problem(client.post(api_forum["base"], json=_new(), headers=api_forum["outsider"]), 403)
    assert client.get(api_forum["base"], headers=api_forum["inside"]).get_json()["total"] == 3


@pytest.mark.parametrize(
    "body",
    [
        {"day": "2030-13-01", "starts": "13:00", "ends": "14:00"},
        {"day": "2030-01-01", "starts": "15:00", "ends": "14:00"},
        {"day": "2030-01-01", "starts": "13:00", "ends": "14:00", "location": "a\x00b"},
        {"starts": "13:00", "ends": "14:00"},
    ],
)
def test_bad_meeting_is_refused_and_nothing_is_created(app, api_forum, body):
    client = app.test_client()
    assert_problem(client.post(api_forum["base"], json=body, headers=api_forum["coordinator"]), 422)
    assert_problem(
        client.post(api_forum["base"], data="nej", headers=api_forum["coordinator"]), 400
    )
    assert client.get(api_forum["base"], headers=api_forum["inside"]).get_json()["total"] == 3


def test_moving_needs_the_current_etag(app, api_forum):
    client = app.test_client()
    url = f"{api_forum['base']}/{api_forum['meeting_ids'][1]}"
    etag = client.get(url, headers=api_forum["coordinator"]).headers["ETag"]
    assert_problem(client.patch(url, json=_new(90), headers=api_forum["coordinator"]), 428)
    moved = client.patch(url, json=_new(90), headers=api_forum["coordinator"] | {"If-Match": etag})
    assert moved.status_code == 200 and moved.get_json()["location"] == "Stadshuset"
    stale = client.patch(
        url,
        json=_new(91) | {"location": "Biblioteket"},
        headers=api_forum["inside"] | {"If-Match": etag},
    )
    assert_problem(stale, 412)
    assert client.get(url, headers=api_forum["inside"]).get_json()["location"] == "Stadshuset"


def test_held_meeting_cannot_be_moved(app, api_forum):
    client = app.test_client()
    url = f"{api_forum['base']}/{api_forum['meeting_ids'][0]}"
    etag = client.get(url, headers=api_forum["inside"]).headers["ETag"]
    assert_problem(
        client.patch(url, json=_new(), headers=api_forum["inside"] | {"If-Match": etag}), 409
    )


def test_read_scoped_token_cannot_write(app, api_forum, create_user):
    from samverka.modules.auth.models import User  # noqa: F401

    client = app.test_client()
    user = create_user(municipalities={"amal": "coordinator"})
    response = client.post(api_forum["base"], json=_new(), headers=bearer(app, user, "read"))
    body = assert_problem(response, 403)
    assert "bara läsa" in body["detail"]
    assert client.get(api_forum["base"], headers=bearer(app, user, "read")).status_code == 200


def test_agenda_items_added_edited_and_removed(app, api_forum):
    client = app.test_client()
    url = f"{api_forum['base']}/{api_forum['meeting_ids'][1]}/agenda"
    owner = api_forum["member_ids"][1]
    added = client.post(
        url,
        json={"title": "Skolfrånvaro", "owner_member_id": owner, "minutes": 20},
        headers=api_forum["inside"],
    )
    assert added.status_code == 201
    item = added.get_json()
    item_url = f"{url}/{item['id']}"
    edited = client.patch(
        item_url,
        json={"title": "Skolfrånvaro hösten", "owner_member_id": None, "minutes": 30},
        headers=api_forum["coordinator"] | {"If-Match": added.headers["ETag"]},
    )
    assert edited.status_code == 200 and edited.get_json()["title"] == "Skolfrånvaro hösten"
    stale = client.patch(
        item_url,
        json={"title": "Gammal"},
        headers=api_forum["inside"] | {"If-Match": added.headers["ETag"]},
    )
    assert_problem(stale, 412)
    assert client.delete(item_url, headers=api_forum["inside"]).status_code == 204
    assert_problem(client.delete(item_url, headers=api_forum["inside"]), 404)


def test_agenda_item_refuses_strangers_and_bad_input(app, api_forum):
    client = app.test_client()
    url = f"{api_forum['base']}/{api_forum['meeting_ids'][1]}/agenda"
    before = len(
        client.get(url[: -len("/agenda")], headers=api_forum["inside"]).get_json()["agenda"]
    )
    assert_problem(client.post(url, json={"title": "X"}, headers=api_forum["outsider"]), 403)
    assert_problem(client.post(url, json={"title": ""}, headers=api_forum["inside"]), 422)
    assert_problem(
        client.post(url, json={"title": "X", "owner_member_id": 999}, headers=api_forum["inside"]),
        422,
    )
    assert_problem(
        client.post(url, json={"title": "X", "minutes": 0}, headers=api_forum["inside"]), 422
    )
    after = len(
        client.get(url[: -len("/agenda")], headers=api_forum["inside"]).get_json()["agenda"]
    )
    assert after == before


def test_405_names_the_allowed_methods(app, api_forum):
    response = app.test_client().put(api_forum["base"], json={}, headers=api_forum["inside"])
    assert_problem(response, 405)
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}


def test_outsider_sees_no_carried_action_on_the_next_agenda(app, api_forum):
    """The API follows the meeting page: a carried action's title only for the forum."""
    client = app.test_client()
    origin = f"{api_forum['base']}/{api_forum['meeting_ids'][0]}"
    raised = client.post(
        f"{origin}/actions",
        json={"title": "Kontakta fritidsgården", "due_date": "2031-03-01"},
        headers=api_forum["plain"],
    )
    assert raised.status_code == 201, raised.get_json()
    inside = client.get(api_forum["planned"], headers=api_forum["inside"]).get_json()
    carried = [item for item in inside["agenda"] if item["action_id"] is not None]
    assert [item["title"] for item in carried] == ["Kontakta fritidsgården"]
    outside = client.get(api_forum["planned"], headers=api_forum["outsider"]).get_json()
    titles = [item["title"] for item in outside["agenda"] if item["action_id"] is not None]
    assert titles == ["Uppföljning av åtgärd"]
    assert "fritidsgården" not in str(outside)
