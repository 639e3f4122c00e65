"""Minutes: sanitised, versioned, never silently overwritten, approved by the right people."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.forums.meetings_helpers import MeetingWorld, build_world, post


@pytest.fixture
def world(create_user, make_forum) -> MeetingWorld:
    return build_world(create_user, make_forum)


def _minutes(in_tenant, meeting_id: int):
    from samverka.modules.forums.models import Meeting, MinutesVersion

    with in_tenant("amal") as session:
        meeting = session.get(Meeting, meeting_id)
        versions = session.scalars(
            sa.select(MinutesVersion)
            .where(MinutesVersion.meeting_id == meeting_id)
            .order_by(MinutesVersion.version)
        ).all()
        return (
            meeting.minutes_html,
            meeting.minutes_version,
            meeting.minutes_status.value,
            [(v.version, v.html) for v in versions],
        )


def _save(client, world, text: str, base: int):
    return post(client, world.url(0, "/anteckningar"), {"text": text, "base_version": str(base)})


def test_sanitising_strips_scripts_and_event_handlers_but_keeps_formatting():
    from samverka.modules.forums.minutes import sanitize

    dirty = (
        '<h3 onclick="steal()">Rubrik</h3><script>alert(1)</script>'
        '<p style="color:red">Text <strong>fet</strong> <img src=x onerror=alert(2)></p>'
        '<a href="javascript:alert(3)">länk</a> <a href="https://example.se" target="_blank">ok</a>'
    )
    clean = sanitize(dirty)
    assert "script" not in clean and "alert" not in clean
    assert "onclick" not in clean and "onerror" not in clean and "style" not in clean
    assert "<img" not in clean and "target" not in clean
    assert "<h3>Rubrik</h3>" in clean and "<strong>fet</strong>" in clean
    assert '<a href="https://example.se" rel="noopener">ok</a>' in clean


def test_plain_text_becomes_paragraphs():
    from samverka.modules.forums.minutes import sanitize

    assert sanitize("Rad ett\nrad två\n\nNytt stycke & <mer>") != ""
    assert sanitize("Rad ett\nrad två\n\nNytt stycke") == (
        "<p>Rad ett<br>rad två</p><p>Nytt stycke</p>"
    )


def test_saved_minutes_are_sanitised_on_the_page(world, login, in_tenant):
    client = login(world.member)
    response = _save(
        client, world, '<p onclick="x()">Beslut om <em>fika</em></p><script>x()</script>', 0
    )
    assert response.status_code == 302
    html, version, status, versions = _minutes(in_tenant, world.meeting_ids[0])
    assert html == "<p>Beslut om <em>fika</em></p>"
    assert (version, status, versions) == (1, "draft", [(1, html)])
    page = client.get(world.url(0)).get_data(as_text=True)
    assert "<p>Beslut om <em>fika</em></p>" in page and "x()" not in page


def test_concurrent_edit_loses_nothing(world, login, in_tenant):
    """Two people open version 0; the second save shows both texts instead of overwriting."""
    anna, sara = login(world.convener), login(world.member)
    form = anna.get(world.url(0, "/anteckningar")).get_data(as_text=True)
    assert re.search(r'name="base_version" type="hidden" value="0"', form)

    assert _save(anna, world, "Annas anteckningar", 0).status_code == 302
    conflict = _save(sara, world, "Saras anteckningar", 0)
    page = conflict.get_data(as_text=True)
    assert conflict.status_code == 409
    assert "Annas anteckningar" in page and "Saras anteckningar" in page
    assert 'name="base_version" type="hidden" value="1"' in page
    html, version, _status, versions = _minutes(in_tenant, world.meeting_ids[0])
    assert (html, version) == ("<p>Annas anteckningar</p>", 1)
    assert len(versions) == 1

    merged = _save(sara, world, "Annas anteckningar\n\nSaras anteckningar", 1)
    assert merged.status_code == 302
    html, version, _status, versions = _minutes(in_tenant, world.meeting_ids[0])
    assert version == 2
    assert html == "<p>Annas anteckningar</p><p>Saras anteckningar</p>"
    assert [v for v, _ in versions] == [1, 2]
    assert versions[0][1] == "<p>Annas anteckningar</p>"


def test_history_lists_every_version_for_members_only(world, login, in_tenant):
    client = login(world.member)
    _save(client, world, "Första", 0)
    _save(client, world, "Andra", 1)
    history = client.get(world.url(0, "/anteckningar/versioner"))
    text = history.get_data(as_text=True)
    assert history.status_code == 200
    assert "Version 2" in text and "Version 1" in text
    assert "Första" in client.get(world.url(0, "/anteckningar/versioner/1")).get_data(as_text=True)
    assert client.get(world.url(0, "/anteckningar/versioner/9")).status_code == 404
    outsider = login(world.outsider)
    assert outsider.get(world.url(0, "/anteckningar/versioner")).status_code == 403
    assert outsider.get(world.url(0, "/anteckningar/versioner/1")).status_code == 403
    assert outsider.get(world.url(0, "/anteckningar")).status_code == 403


def test_plain_member_may_not_approve(world, login, in_tenant):
    client = login(world.member)
    _save(client, world, "Att godkänna", 0)
    response = post(client, world.url(0, "/anteckningar/godkann"), {"version": "1"})
    assert response.status_code == 403
    assert _minutes(in_tenant, world.meeting_ids[0])[2] == "draft"


def test_convener_and_coordinator_approve(world, login, in_tenant, make_forum):
    from samverka.modules.audit.models import AuditEvent

    _save(login(world.member), world, "Att godkänna", 0)
    assert (
        post(login(world.convener), world.url(0, "/anteckningar/godkann"), {"version": "1"})
    ).status_code == 302
    assert _minutes(in_tenant, world.meeting_ids[0])[2] == "approved"
    with in_tenant("amal") as session:
        event = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "approve")).one()
        assert "Att godkänna" not in event.summary

    coordinator = login(world.coordinator)
    _save(coordinator, world, "Ny text", 1)
    post(coordinator, world.url(0, "/anteckningar/godkann"), {"version": "2"})
    assert _minutes(in_tenant, world.meeting_ids[0])[2] == "approved"


def test_minutes_of_a_meeting_in_the_future_cannot_be_approved(world, login, in_tenant):
    coordinator = login(world.coordinator)
    post(coordinator, world.url(1, "/anteckningar"), {"text": "Plan", "base_version": "0"})
    response = post(
        coordinator, world.url(1, "/anteckningar/godkann"), {"version": "1"}, follow_redirects=True
    )
    assert "Mötet har inte börjat än, så anteckningarna kan inte godkännas." in (
        response.get_data(as_text=True)
    )
    assert _minutes(in_tenant, world.meeting_ids[1])[2] == "draft"


def test_approving_future_minutes_directly_changes_nothing(world, app, in_tenant):
    """The rule lives in the operation, so every path (web, API) refuses the same way."""
    from samverka.modules.forums import minutes as minutes_ops
    from samverka.modules.forums.models import Meeting

    with in_tenant("amal") as session:
        meeting = session.get(Meeting, world.meeting_ids[1])
        assert minutes_ops.save_minutes(meeting, "Plan", 0, None).saved
        assert minutes_ops.approve_minutes(meeting, 1, None) is False
        assert meeting.minutes_status.value == "draft"


def test_approving_a_version_that_changed_meanwhile_is_refused(world, login, in_tenant):
    member, convener = login(world.member), login(world.convener)
    _save(member, world, "Ett", 0)
    _save(member, world, "Två", 1)
    response = post(convener, world.url(0, "/anteckningar/godkann"), {"version": "1"})
    assert response.status_code == 302
    assert _minutes(in_tenant, world.meeting_ids[0])[2] == "draft"
    assert "kunde inte godkännas" in convener.get(world.url(0)).get_data(as_text=True)


def test_editing_approved_minutes_makes_them_a_draft_again_with_a_notice(world, login, in_tenant):
    member = login(world.member)
    _save(member, world, "Godkänd text", 0)
    post(login(world.convener), world.url(0, "/anteckningar/godkann"), {"version": "1"})
    assert "är godkända" in member.get(world.url(0, "/anteckningar")).get_data(as_text=True)
    response = _save(member, world, "Ändrad text", 1)
    assert response.status_code == 302
    assert "nu ett utkast" in member.get(world.url(0)).get_data(as_text=True)
    html, version, status, _ = _minutes(in_tenant, world.meeting_ids[0])
    assert (html, version, status) == ("<p>Ändrad text</p>", 2, "draft")


def test_minutes_save_without_csrf_is_refused(world, login, in_tenant):
    client = login(world.member)
    response = client.post(world.url(0, "/anteckningar"), data={"text": "x", "base_version": "0"})
    assert response.status_code == 400
    assert _minutes(in_tenant, world.meeting_ids[0])[1] == 0


@pytest.mark.parametrize("base", [str(2**70), str(2**31 - 1), "-1", "²", "١", " 0"])
def test_impossible_base_version_is_refused_with_nothing_saved(world, login, in_tenant, base):
    response = _save(login(world.member), world, "Text", base)
    assert response.status_code == 422
    assert "Ogiltig version" in response.get_data(as_text=True)
    assert _minutes(in_tenant, world.meeting_ids[0]) == ("", 0, "draft", [])


@pytest.mark.parametrize("version", ["²", "١", "9" * 40, "1.0"])
def test_approving_an_impossible_version_is_a_clear_400(world, login, in_tenant, version):
    _save(login(world.member), world, "Att godkänna", 0)
    response = post(
        login(world.convener), world.url(0, "/anteckningar/godkann"), {"version": version}
    )
    assert response.status_code == 400
    assert "Ogiltig version" in response.get_data(as_text=True)
    assert _minutes(in_tenant, world.meeting_ids[0])[2] == "draft"


def test_approval_checks_the_version_in_the_database_not_the_one_read_earlier(
    world, login, in_tenant, app
):
    """A save that commits between the approver's read and write is not approved unseen."""
    from samverka.modules.forums import minutes as minutes_ops
    from samverka.modules.forums.models import Meeting

    _save(login(world.member), world, "Ett", 0)
    with in_tenant("amal") as session, app.test_request_context():
        meeting = session.get(Meeting, world.meeting_ids[0])
        assert meeting.minutes_version == 1  # what the approver read
        # Someone else's save lands now, behind this session's back.
        session.execute(
            sa.update(Meeting)
            .where(Meeting.id == meeting.id)
            .values(minutes_html="<p>Två</p>", minutes_version=2)
            .execution_options(synchronize_session=False)
        )
        assert minutes_ops.approve_minutes(meeting, 1, None) is False
        session.commit()
    html, version, status, _ = _minutes(in_tenant, world.meeting_ids[0])
    assert (html, version, status) == ("<p>Två</p>", 2, "draft")


def test_plain_lines_mixed_with_a_tag_keep_their_paragraphs():
    """A list pasted between typed lines must not swallow the lines around it."""
    from samverka.modules.forums.minutes import sanitize

    text = "Första stycket\nandra raden\n\n<ul>\n<li>punkt</li>\n</ul>\nSista stycket med <em>kursiv</em>"
    assert sanitize(text) == (
        "<p>Första stycket<br>andra raden</p><ul>\n<li>punkt</li>\n</ul>"
        "<p>Sista stycket med <em>kursiv</em></p>"
    )
