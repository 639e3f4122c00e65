"""Calendar feeds: secret-token URLs without login, per forum and per person."""

from __future__ import annotations

import re

import pytest
from icalendar import Calendar

from tests.conftest import csrf_token

FEED_URL = re.compile(r'value="http://localhost(/ical/[^"]+)"')


def _forum_token(in_tenant, slug: str, forum_id: int) -> str:
    from samverka.modules.forums.models import Forum

    with in_tenant(slug) as session:
        return session.get(Forum, forum_id).ical_token


def _events(response) -> list:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/calendar"
    return list(Calendar.from_ical(response.data).walk("VEVENT"))


def test_forum_feed_lists_meetings_without_login(app, make_forum, in_tenant):
    from samverka.modules.forums.models import Meeting, MeetingState

    made = make_forum("amal", name="SSPF Åmål", past=1, future=2)
    with in_tenant("amal") as session:
        cancelled = session.get(Meeting, made["meeting_ids"][-1])
        cancelled.state = MeetingState.cancelled
        cancelled.cancel_reason = "Sjuk: Anna Rektor"
        session.commit()
    token = _forum_token(in_tenant, "amal", made["forum_id"])
    response = app.test_client().get(f"/ical/{token}/amal/forum.ics")
    events = _events(response)
    assert len(events) == 3
    assert {str(e["status"]) for e in events} == {"CONFIRMED", "CANCELLED"}
    assert all(e["dtstart"].params["TZID"] == "Europe/Stockholm" for e in events)
    assert "SSPF Åmål" in str(events[0]["summary"])
    body = response.get_data(as_text=True)
    assert "BEGIN:VTIMEZONE" in body
    # No personal data: member names and the cancel reason stay out of the feed.
    assert "Anna Rektor" not in body and "Sjuk" not in body
    assert response.headers["Cache-Control"] == "no-store"


def test_event_uid_is_stable_across_fetches_and_token_renewal(app, make_forum, in_tenant):
    from samverka.modules.forums import ical
    from samverka.modules.forums.models import Forum

    made = make_forum("amal", future=1)
    client = app.test_client()
    token = _forum_token(in_tenant, "amal", made["forum_id"])
    first = _events(client.get(f"/ical/{token}/amal/forum.ics"))[0]["uid"]
    with in_tenant("amal") as session:
        new = ical.renew_forum_token(session.get(Forum, made["forum_id"]))
        session.commit()
    again = _events(client.get(f"/ical/{new}/amal/forum.ics"))[0]["uid"]
    assert first == again == f"meeting-{made['meeting_ids'][0]}@amal.samverka"


def test_unknown_token_is_404(app, make_forum):
    make_forum("amal")
    client = app.test_client()
    assert client.get("/ical/" + "x" * 32 + "/amal/forum.ics").status_code == 404
    assert client.get("/ical/" + "x" * 32 + "/amal/person.ics").status_code == 404
    assert client.get("/ical/short/amal/forum.ics").status_code == 404


def test_forum_token_of_another_municipality_is_404(app, make_forum, in_tenant):
    """Åmål's token under Bengtsfors' name finds nothing: tokens are looked up per tenant."""
    made = make_forum("amal")
    make_forum("bengtsfors")
    token = _forum_token(in_tenant, "amal", made["forum_id"])
    client = app.test_client()
    assert client.get(f"/ical/{token}/bengtsfors/forum.ics").status_code == 404
    assert client.get(f"/ical/{token}/no-such-place/forum.ics").status_code == 404
    assert client.get(f"/ical/{token}/amal/forum.ics").status_code == 200


def test_person_feed_has_meetings_of_my_forums_only(app, create_user, login, make_forum):
    person = create_user(municipalities={"amal": "member"})
    make_forum("amal", name="Mitt forum", members=[("Jag", "school", person)], future=2)
    make_forum("amal", name="Annat forum", future=3)
    html = login(person).get("/k/amal/kalender").get_data(as_text=True)
    person_url = FEED_URL.search(html).group(1)
    assert person_url.endswith("/amal/person.ics")
    events = _events(app.test_client().get(person_url))
    assert [str(e["summary"]) for e in events] == ["Mitt forum", "Mitt forum"]


def test_person_feed_of_someone_who_left_the_municipality_is_404(
    app, create_user, login, make_forum
):
    from samverka.extensions import db
    from samverka.modules.auth.models import Membership

    person = create_user(municipalities={"amal": "member"})
    make_forum("amal", members=[("Jag", "school", person)])
    html = login(person).get("/k/amal/kalender").get_data(as_text=True)
    person_url = FEED_URL.search(html).group(1)
    with app.app_context():
        db.session.query(Membership).filter_by(user_id=person.id).delete()
        db.session.commit()
    assert app.test_client().get(person_url).status_code == 404


def test_renewed_personal_token_kills_old_url(app, create_user, login, make_forum):
    person = create_user(municipalities={"amal": "member"})
    make_forum("amal", members=[("Jag", "school", person)])
    client = login(person)
    old = FEED_URL.search(client.get("/k/amal/kalender").get_data(as_text=True)).group(1)
    feeds = app.test_client()
    assert feeds.get(old).status_code == 200
    response = client.post(
        "/k/amal/kalender/fornya", data={"csrf_token": csrf_token(client, "/k/amal/kalender")}
    )
    assert response.status_code == 302
    new = FEED_URL.search(client.get("/k/amal/kalender").get_data(as_text=True)).group(1)
    assert new != old
    assert feeds.get(old).status_code == 404
    assert feeds.get(new).status_code == 200


def test_renewed_forum_token_kills_old_url(app, create_user, login, make_forum, in_tenant):
    coordinator = create_user(municipalities={"amal": "coordinator"})
    made = make_forum("amal")
    old = _forum_token(in_tenant, "amal", made["forum_id"])
    client = login(coordinator)
    response = client.post(
        f"/k/amal/kalender/forum/{made['forum_id']}/fornya",
        data={"csrf_token": csrf_token(client, "/k/amal/kalender")},
    )
    assert response.status_code == 302
    new = _forum_token(in_tenant, "amal", made["forum_id"])
    assert new != old
    feeds = app.test_client()
    assert feeds.get(f"/ical/{old}/amal/forum.ics").status_code == 404
    assert feeds.get(f"/ical/{new}/amal/forum.ics").status_code == 200


def test_renewing_without_csrf_changes_nothing(create_user, login, make_forum, in_tenant):
    coordinator = create_user(municipalities={"amal": "coordinator"})
    made = make_forum("amal")
    old = _forum_token(in_tenant, "amal", made["forum_id"])
    client = login(coordinator)
    response = client.post(f"/k/amal/kalender/forum/{made['forum_id']}/fornya")
    assert response.status_code == 400
    assert _forum_token(in_tenant, "amal", made["forum_id"]) == old


def test_plain_member_outside_the_forum_cannot_renew_its_token(
    create_user, login, make_forum, in_tenant
):
    member = create_user(municipalities={"amal": "member"})
    made = make_forum("amal")
    old = _forum_token(in_tenant, "amal", made["forum_id"])
    client = login(member)
    token = csrf_token(client, "/k/amal/kalender")
    response = client.post(
        f"/k/amal/kalender/forum/{made['forum_id']}/fornya", data={"csrf_token": token}
    )
    assert response.status_code == 403
    assert (
        client.post("/k/amal/kalender/forum/9999/fornya", data={"csrf_token": token}).status_code
        == 404
    )
    assert _forum_token(in_tenant, "amal", made["forum_id"]) == old


def test_calendar_page_of_a_foreign_municipality_is_404(create_user, login):
    member = create_user(municipalities={"amal": "member"})
    assert login(member).get("/k/bengtsfors/kalender").status_code == 404


def test_calendar_page_requires_login(app):
    response = app.test_client().get("/k/amal/kalender")
    assert response.status_code in {302, 401}


def test_feed_token_is_the_segment_the_access_log_masks():
    """gunicorn masks the segment right after /ical/: that must be the secret."""
    pytest.importorskip("gunicorn")
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "infra" / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_conf", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    secret = "s3cr3t-token-s3cr3t-token"
    masked = module._redact(f"/ical/{secret}/amal/person.ics?x=1")
    assert secret not in masked and masked == "/ical/***/amal/person.ics"


def _far_meetings(in_tenant, forum_id: int) -> None:
    """Meetings far outside any real calendar, as typing errors or old data could leave them."""
    from datetime import UTC, datetime

    from samverka.modules.forums.models import Meeting, MeetingState

    with in_tenant("amal") as session:
        for start in (
            datetime(9999, 12, 31, 20, 0, tzinfo=UTC),
            datetime(2200, 6, 1, 8, 0, tzinfo=UTC),
        ):
            session.add(
                Meeting(
                    forum_id=forum_id,
                    starts_at=start,
                    ends_at=start.replace(hour=start.hour + 1),
                    location="",
                    state=MeetingState.planned,
                )
            )
        session.commit()


def test_forum_and_person_feeds_survive_meetings_in_impossible_years(
    app, create_user, login, make_forum, in_tenant
):
    person = create_user(municipalities={"amal": "member"})
    made = make_forum("amal", name="Mitt forum", members=[("Jag", "school", person)], future=2)
    _far_meetings(in_tenant, made["forum_id"])
    token = _forum_token(in_tenant, "amal", made["forum_id"])
    forum_events = _events(app.test_client().get(f"/ical/{token}/amal/forum.ics"))
    assert len(forum_events) == 2  # the real meetings; the far-off ones are left out
    assert all(e["dtstart"].dt.year < 2100 for e in forum_events)
    person_url = FEED_URL.search(login(person).get("/k/amal/kalender").get_data(as_text=True))
    person_events = _events(app.test_client().get(person_url.group(1)))
    assert len(person_events) == 2


def test_calendar_builder_skips_dates_it_cannot_describe(app):
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from samverka.modules.forums import ical
    from samverka.modules.forums.models import MeetingState

    forum = SimpleNamespace(name="Forum", location="Stadshuset")

    def meeting(meeting_id: int, start: datetime) -> SimpleNamespace:
        return SimpleNamespace(
            id=meeting_id,
            forum=forum,
            starts_at=start,
            ends_at=start.replace(minute=59),
            state=MeetingState.planned,
            location="",
            updated_at=None,
        )

    body = ical.build_calendar(
        "Forum",
        [
            meeting(1, datetime(2030, 3, 1, 8, 0, tzinfo=UTC)),
            meeting(2, datetime(9999, 12, 31, 22, 0, tzinfo=UTC)),
            meeting(3, datetime(1, 1, 1, 0, 0, tzinfo=UTC)),
        ],
        "amal",
    )
    events = list(Calendar.from_ical(body).walk("VEVENT"))
    assert [str(e["uid"]) for e in events] == ["meeting-1@amal.samverka"]
    assert b"BEGIN:VTIMEZONE" in body


def test_calendar_page_offers_copy_buttons_and_webcal_links_without_inline_script(
    app, create_user, login, make_forum
):
    person = create_user(municipalities={"amal": "member"})
    made = make_forum("amal", name="Mitt forum", members=[("Jag", "school", person)])
    response = login(person).get("/k/amal/kalender")
    html = response.get_data(as_text=True)
    person_url = FEED_URL.search(html).group(1)
    # Without script: the field and the webcal: link work; the copy button waits for the script.
    assert f'href="webcal://localhost{person_url}"' in html
    assert re.search(r'<button[^>]*hidden[^>]*data-copy-target="person-url"', html)
    assert f'data-copy-target="forum-url-{made["forum_id"]}"' in html
    assert "webcal://localhost/ical/" in html.split(f"forum-url-{made['forum_id']}", 1)[1]
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all("src=" in attrs for attrs in scripts)  # CSP: script-src 'self'
    assert any("js/copy-link.js" in attrs for attrs in scripts)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    script = app.test_client().get("/static/js/copy-link.js")
    assert script.status_code == 200
    script.close()


def test_webcal_keeps_anything_but_http_unchanged():
    from samverka.modules.forums.views_calendar import webcal

    assert webcal("https://samverka.se/ical/x/amal/person.ics") == (
        "webcal://samverka.se/ical/x/amal/person.ics"
    )
    assert webcal("javascript:alert(1)") == "javascript:alert(1)"
