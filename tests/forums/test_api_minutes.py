"""Minutes and attachments over the API, with the edit page's conflict rule."""

from __future__ import annotations

from io import BytesIO

from tests.api.helpers import assert_problem


def _save(client, api_forum, text, base, who="inside", meeting=None):
    return client.put(
        f"{meeting or api_forum['planned']}/minutes",
        json={"text": text, "base_version": base},
        headers=api_forum[who],
    )


def test_minutes_saved_then_a_save_on_an_old_version_gets_409_with_both_texts(app, api_forum):
    client = app.test_client()
    assert (
        client.get(f"{api_forum['planned']}/minutes", headers=api_forum["plain"]).get_json()[
            "version"
        ]
        == 0
    )
    first = _save(client, api_forum, "<p>Anna skrev</p>", 0)
    assert first.status_code == 200 and first.get_json()["version"] == 1
    conflict = _save(client, api_forum, "<p>Sara skrev</p>", 0, who="plain")
    body = assert_problem(conflict, 409)
    assert body["mine"] == "<p>Sara skrev</p>"
    assert body["latest"]["version"] == 1 and body["latest"]["html"] == "<p>Anna skrev</p>"
    now = client.get(f"{api_forum['planned']}/minutes", headers=api_forum["plain"]).get_json()
    assert (now["version"], now["html"]) == (1, "<p>Anna skrev</p>")
    versions = client.get(
        f"{api_forum['planned']}/minutes/versions", headers=api_forum["plain"]
    ).get_json()
    assert versions["total"] == 1


def test_minutes_are_hidden_from_members_outside_the_forum(app, api_forum):
    client = app.test_client()
    _save(client, api_forum, "<p>Känsligt</p>", 0)
    for path in ("/minutes", "/minutes/versions", "/minutes/versions/1"):
        assert_problem(client.get(api_forum["planned"] + path, headers=api_forum["outsider"]), 403)
        assert_problem(client.get(api_forum["planned"] + path, headers=api_forum["foreign"]), 404)
    assert_problem(_save(client, api_forum, "<p>Ändrat</p>", 1, who="outsider"), 403)
    assert "Känsligt" not in client.get(
        api_forum["planned"], headers=api_forum["outsider"]
    ).get_data(as_text=True)


def test_bad_minutes_change_nothing(app, api_forum):
    client = app.test_client()
    url = f"{api_forum['planned']}/minutes"
    for body in (
        {"text": "x"},
        {"text": "x", "base_version": -1},
        {"text": "a\x00", "base_version": 0},
    ):
        assert_problem(client.put(url, json=body, headers=api_forum["inside"]), 422)
    assert_problem(client.put(url, data="text", headers=api_forum["inside"]), 400)
    assert client.get(url, headers=api_forum["inside"]).get_json()["version"] == 0


def test_convener_and_coordinator_approve_but_a_plain_member_may_not(app, api_forum):
    client = app.test_client()
    held = f"{api_forum['base']}/{api_forum['meeting_ids'][0]}"  # only a held meeting's minutes
    _save(client, api_forum, "<p>Klart</p>", 0, meeting=held)
    url = f"{held}/minutes/approve"
    assert_problem(client.post(url, json={"version": 1}, headers=api_forum["plain"]), 403)
    assert_problem(client.post(url, json={"version": 0}, headers=api_forum["inside"]), 422)
    stale = client.post(url, json={"version": 2}, headers=api_forum["inside"])
    assert_problem(stale, 409)
    approved = client.post(url, json={"version": 1}, headers=api_forum["coordinator"])
    assert approved.status_code == 200 and approved.get_json()["status"] == "approved"


def _upload(client, api_forum, who="inside", name="protokoll.txt", data=b"Protokoll\n"):
    return client.post(
        f"{api_forum['planned']}/attachments",
        data={"file": (BytesIO(data), name)},
        headers=api_forum[who],
    )


def test_attachment_uploaded_downloaded_and_deleted(app, api_forum):
    client = app.test_client()
    uploaded = _upload(client, api_forum)
    assert uploaded.status_code == 201
    attachment = uploaded.get_json()
    assert (attachment["filename"], attachment["size"]) == ("protokoll.txt", 10)
    url = f"{api_forum['planned']}/attachments/{attachment['id']}"
    download = client.get(url, headers=api_forum["plain"])
    assert download.status_code == 200 and download.data == b"Protokoll\n"
    assert download.mimetype == "text/plain"
    assert_problem(client.get(url, headers=api_forum["outsider"]), 403)
    assert_problem(client.get(url, headers=api_forum["foreign"]), 404)
    assert_problem(client.delete(url, headers=api_forum["outsider"]), 403)
    assert client.delete(url, headers=api_forum["plain"]).status_code == 204
    assert_problem(client.get(url, headers=api_forum["plain"]), 404)


def test_rejected_or_missing_files_store_nothing(app, api_forum):
    client = app.test_client()
    assert_problem(_upload(client, api_forum, name="virus.exe", data=b"MZ"), 422)
    assert_problem(_upload(client, api_forum, data=b""), 422)
    assert_problem(_upload(client, api_forum, who="outsider"), 403)
    assert_problem(_upload(client, api_forum, who="foreign"), 404)
    no_file = client.post(
        f"{api_forum['planned']}/attachments", data={}, headers=api_forum["inside"]
    )
    assert_problem(no_file, 400)
    assert (
        client.get(api_forum["planned"], headers=api_forum["inside"]).get_json()["attachments"]
        == []
    )


def test_minutes_of_a_future_meeting_cannot_be_approved(app, api_forum):
    client = app.test_client()
    _save(client, api_forum, "<p>Klart</p>", 0)
    url = f"{api_forum['planned']}/minutes/approve"
    assert_problem(client.post(url, json={"version": 1}, headers=api_forum["coordinator"]), 409)
    minutes = client.get(f"{api_forum['planned']}/minutes", headers=api_forum["inside"]).get_json()
    assert minutes["status"] != "approved"
