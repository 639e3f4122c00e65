"""Attendance, decisions and actions over the API: the meeting page's rules, as JSON."""

from __future__ import annotations

import pytest

from tests.api.helpers import assert_problem


def _attendance(client, api_forum, headers=None):
    return client.get(f"{api_forum['planned']}/attendance", headers=headers or api_forum["inside"])


def test_attendance_is_saved_with_the_current_etag_and_refused_when_stale(app, api_forum):
    client = app.test_client()
    anna, per, _sara = api_forum["member_ids"]
    first = _attendance(client, api_forum)
    assert first.status_code == 200 and first.get_json()["rows"] == []
    body = {
        "members": [
            {"member_id": anna, "status": "present"},
            {"member_id": per, "status": "stand_in", "stand_in_name": "Eva Ersätter"},
        ]
    }
    saved = client.put(
        f"{api_forum['planned']}/attendance",
        json=body,
        headers=api_forum["coordinator"] | {"If-Match": first.headers["ETag"]},
    )
    assert saved.status_code == 200
    rows = {r["member_id"]: r for r in saved.get_json()["rows"]}
    assert rows[per]["stand_in_name"] == "Eva Ersätter" and rows[anna]["status"] == "present"
    stale = client.put(
        f"{api_forum['planned']}/attendance",
        json={"members": []},
        headers=api_forum["plain"] | {"If-Match": first.headers["ETag"]},
    )
    assert_problem(stale, 412)
    assert_problem(
        client.put(f"{api_forum['planned']}/attendance", json={}, headers=api_forum["plain"]), 428
    )
    assert len(_attendance(client, api_forum).get_json()["rows"]) == 2


@pytest.mark.parametrize(
    "body",
    [
        {"members": [{"member_id": "MEMBER", "status": "stand_in"}]},  # no stand-in name
        {"members": [{"member_id": "MEMBER", "status": "asleep"}]},
        {"members": [{"member_id": 99999, "status": "present"}]},
        {"organisations": [{"organisation_id": 99999, "status": "present"}]},
        {"members": "alla"},
    ],
)
def test_bad_attendance_is_refused_and_nothing_changes(app, api_forum, body):
    client = app.test_client()
    for row in body.get("members", []) if isinstance(body.get("members"), list) else []:
        if row["member_id"] == "MEMBER":
            row["member_id"] = api_forum["member_ids"][0]
    etag = _attendance(client, api_forum).headers["ETag"]
    response = client.put(
        f"{api_forum['planned']}/attendance",
        json=body,
        headers=api_forum["inside"] | {"If-Match": etag},
    )
    assert_problem(response, 422)
    assert _attendance(client, api_forum).headers["ETag"] == etag


def test_attendance_is_for_the_forum_and_its_municipality_only(app, api_forum):
    client = app.test_client()
    assert_problem(_attendance(client, api_forum, api_forum["outsider"]), 403)
    assert_problem(_attendance(client, api_forum, api_forum["foreign"]), 404)


def test_decisions_added_and_removed_by_forum_members(app, api_forum):
    client = app.test_client()
    added = client.post(
        f"{api_forum['planned']}/decisions",
        json={"text": "Vi startar en läxhjälp."},
        headers=api_forum["plain"],
    )
    assert added.status_code == 201
    decision = added.get_json()
    shown = client.get(api_forum["planned"], headers=api_forum["inside"]).get_json()["decisions"]
    assert [d["text"] for d in shown] == ["Vi startar en läxhjälp."]
    url = f"{api_forum['planned']}/decisions/{decision['id']}"
    assert_problem(client.delete(url, headers=api_forum["outsider"]), 403)
    assert_problem(client.delete(url, headers=api_forum["foreign"]), 404)
    assert client.delete(url, headers=api_forum["coordinator"]).status_code == 204
    assert (
        client.get(api_forum["planned"], headers=api_forum["inside"]).get_json()["decisions"] == []
    )


def test_bad_or_foreign_decisions_change_nothing(app, api_forum):
    client = app.test_client()
    url = f"{api_forum['planned']}/decisions"
    assert_problem(client.post(url, json={"text": ""}, headers=api_forum["inside"]), 422)
    assert_problem(client.post(url, json={"text": "x" * 2001}, headers=api_forum["inside"]), 422)
    assert_problem(client.post(url, json=["Beslut"], headers=api_forum["inside"]), 400)
    assert_problem(client.post(url, json={"text": "Beslut"}, headers=api_forum["outsider"]), 403)
    assert_problem(client.post(url, json={"text": "Beslut"}, headers=api_forum["foreign"]), 404)
    assert (
        client.get(api_forum["planned"], headers=api_forum["inside"]).get_json()["decisions"] == []
    )


def test_action_is_raised_and_its_status_changed_with_if_match(app, api_forum):
    client = app.test_client()
    anna = api_forum["member_ids"][0]
    added = client.post(
        f"{api_forum['planned']}/actions",
        json={"title": "Ring skolan", "owner_member_id": anna, "due_date": "2030-05-01"},
        headers=api_forum["plain"],
    )
    assert added.status_code == 201
    action = added.get_json()
    assert action["status"] == "open" and action["organisation_id"] is not None
    url = f"{api_forum['planned']}/actions/{action['id']}"
    done = client.patch(
        url,
        json={"status": "done"},
        headers=api_forum["inside"] | {"If-Match": added.headers["ETag"]},
    )
    assert done.status_code == 200 and done.get_json()["status"] == "done"
    stale = client.patch(
        url,
        json={"status": "open"},
        headers=api_forum["plain"] | {"If-Match": added.headers["ETag"]},
    )
    assert_problem(stale, 412)
    assert_problem(client.patch(url, json={"status": "open"}, headers=api_forum["plain"]), 428)


def test_bad_actions_are_refused_and_nothing_is_raised(app, api_forum):
    client = app.test_client()
    url = f"{api_forum['planned']}/actions"
    for body in (
        {"title": ""},
        {"title": "X", "owner_member_id": 99999},
        {"title": "X", "organisation_id": 99999},
        {"title": "X", "due_date": "i morgon"},
    ):
        assert_problem(client.post(url, json=body, headers=api_forum["inside"]), 422)
    assert_problem(client.post(url, json={"title": "X"}, headers=api_forum["outsider"]), 403)
    assert_problem(client.post(url, json={"title": "X"}, headers=api_forum["foreign"]), 404)
    assert (
        client.get(api_forum["planned"], headers=api_forum["inside"]).get_json()["actions_raised"]
        == []
    )


def test_action_status_refuses_unknown_status_and_other_forums_action(app, api_forum, make_forum):
    client = app.test_client()
    added = client.post(
        f"{api_forum['planned']}/actions", json={"title": "X"}, headers=api_forum["inside"]
    )
    url = f"{api_forum['planned']}/actions/{added.get_json()['id']}"
    etag = {"If-Match": added.headers["ETag"]}
    assert_problem(
        client.patch(url, json={"status": "maybe"}, headers=api_forum["inside"] | etag), 422
    )
    other = make_forum("amal", name="Annat forum")
    foreign_url = f"/api/k/amal/forums/{other['forum_id']}/meetings/{other['meeting_ids'][0]}"
    assert_problem(
        client.patch(
            f"{foreign_url}/actions/{added.get_json()['id']}",
            json={"status": "done"},
            headers=api_forum["coordinator"] | etag,
        ),
        404,
    )
    assert (
        client.get(url.rsplit("/actions", 1)[0], headers=api_forum["inside"]).get_json()[
            "actions_raised"
        ][0]["status"]
        == "open"
    )
