"""The meeting page: who sees what, schedule changes, the agenda, and refusals."""

from __future__ import annotations

from datetime import date, time

import pytest
import sqlalchemy as sa

from tests.forums.conftest import local
from tests.forums.meetings_helpers import MeetingWorld, build_world, post


@pytest.fixture
def world(create_user, make_forum) -> MeetingWorld:
    return build_world(create_user, make_forum)


def test_member_of_the_municipality_sees_the_meeting_but_not_its_minutes(world, login, in_tenant):
    from samverka.modules.forums.models import Meeting

    with in_tenant("amal") as session:
        session.get(Meeting, world.meeting_ids[1]).minutes_html = "<p>Hemligt innehåll</p>"
        session.commit()
    page = login(world.outsider).get(world.url(1))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Dagordning" in html and "Lägesbild: unga i riskzon" in html
    assert "Hemligt innehåll" not in html
    assert "visas bara för forumets medlemmar" in html
    assert 'action="/k/amal/forum/' not in html.split("Dagordning", 1)[1]  # no change forms
    assert login(world.member).get(world.url(1)).get_data(as_text=True).count("Hemligt") == 1


def test_page_shows_stockholm_time_place_and_state(world, login, in_tenant):
    from samverka.modules.forums.models import Meeting

    with in_tenant("amal") as session:
        meeting = session.get(Meeting, world.meeting_ids[1])
        meeting.starts_at = local(date(2031, 7, 1), time(13, 15))  # summer time: UTC+2
        meeting.ends_at = local(date(2031, 7, 1), time(15, 0))
        meeting.location = "Stadshuset, rum 3"
        session.commit()
    html = login(world.member).get(world.url(1)).get_data(as_text=True)
    assert "1 juli 2031, 13:15–15:00" in html
    assert "Stadshuset, rum 3" in html and "Planerat" in html


def test_person_of_another_municipality_gets_404(world, login, create_user):
    stranger = create_user(municipalities={"bengtsfors": "coordinator"})
    client = login(stranger)
    assert client.get(world.url(1)).status_code == 404
    assert post(client, world.url(1, "/genomfort")).status_code == 404


def test_meeting_under_another_forums_url_is_404(world, login, make_forum):
    other = make_forum("amal", name="Elevhälsan", forum_type="student_health", future=1)
    client = login(world.coordinator)
    wrong = f"/k/amal/forum/{other['forum_id']}/moten/{world.meeting_ids[1]}"
    assert client.get(wrong).status_code == 404
    assert post(client, wrong + "/genomfort").status_code == 404
    assert client.get(f"/k/amal/forum/{world.forum_id}/moten/99999").status_code == 404


def test_post_without_csrf_token_is_refused_and_changes_nothing(world, login, in_tenant):
    from samverka.modules.forums.models import Meeting, MeetingState

    client = login(world.coordinator)
    response = client.post(world.url(1, "/genomfort"))
    assert response.status_code == 400
    assert "säkerhetstoken" in response.get_data(as_text=True)
    with in_tenant("amal") as session:
        assert session.get(Meeting, world.meeting_ids[1]).state == MeetingState.planned


def test_person_outside_the_forum_may_not_change_the_meeting(world, login, in_tenant):
    from samverka.modules.forums.models import Meeting, MeetingState

    client = login(world.outsider)
    assert post(client, world.url(1, "/genomfort")).status_code == 403
    assert client.get(world.url(1, "/narvaro")).status_code == 403
    assert post(client, world.url(1, "/beslut"), {"decision-text": "x"}).status_code == 403
    with in_tenant("amal") as session:
        assert session.get(Meeting, world.meeting_ids[1]).state == MeetingState.planned


def test_extra_meeting_gets_the_forum_agenda_and_an_audit_event(world, login, in_tenant):
    from samverka.modules.audit.models import AuditEvent
    from samverka.modules.forums.models import Meeting

    client = login(world.member)
    response = post(
        client,
        f"/k/amal/forum/{world.forum_id}/moten/nytt",
        {"day": "2031-01-15", "starts": "14:00", "ends": "15:30", "location": "Biblioteket"},
    )
    assert response.status_code == 302
    with in_tenant("amal") as session:
        meeting = session.scalars(sa.select(Meeting).where(Meeting.cadence_date.is_(None))).one()
        assert meeting.starts_at == local(date(2031, 1, 15), time(14, 0))
        assert meeting.location == "Biblioteket"
        assert meeting.agenda_items[0].title.startswith("Uppföljning")
        event = session.scalars(sa.select(AuditEvent).where(AuditEvent.object_id == meeting.id))
        assert [e.action for e in event] == ["create"]
    assert response.headers["Location"].endswith(f"/moten/{meeting.id}")


def test_extra_meeting_ending_before_it_starts_is_refused(world, login, in_tenant):
    from samverka.modules.forums.models import Meeting

    client = login(world.member)
    response = post(
        client,
        f"/k/amal/forum/{world.forum_id}/moten/nytt",
        {"day": "2031-01-15", "starts": "14:00", "ends": "13:00"},
    )
    assert response.status_code == 422
    assert "Sluttiden måste vara efter starttiden." in response.get_data(as_text=True)
    with in_tenant("amal") as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 3


def test_moving_a_meeting_changes_time_and_place(world, login, in_tenant):
    from samverka.modules.forums.models import Meeting

    client = login(world.convener)
    assert client.get(world.url(1, "/flytta")).status_code == 200
    response = post(
        client,
        world.url(1, "/flytta"),
        {"day": "2031-02-03", "starts": "08:30", "ends": "09:30", "location": "Polishuset"},
    )
    assert response.status_code == 302
    with in_tenant("amal") as session:
        meeting = session.get(Meeting, world.meeting_ids[1])
        assert meeting.starts_at == local(date(2031, 2, 3), time(8, 30))
        assert meeting.location == "Polishuset"


def test_cancelling_needs_a_reason_then_shows_it(world, login, in_tenant):
    from samverka.modules.forums.models import Meeting, MeetingState

    client = login(world.member)
    refused = post(client, world.url(1, "/stall-in"), {"reason": "  "})
    assert refused.status_code == 422
    assert "Ange varför mötet ställs in." in refused.get_data(as_text=True)
    assert post(client, world.url(1, "/stall-in"), {"reason": "Sportlov"}).status_code == 302
    with in_tenant("amal") as session:
        assert session.get(Meeting, world.meeting_ids[1]).state == MeetingState.cancelled
    html = client.get(world.url(1)).get_data(as_text=True)
    assert "Inställt" in html and "Sportlov" in html
    # A cancelled meeting cannot be held.
    post(client, world.url(1, "/genomfort"))
    with in_tenant("amal") as session:
        assert session.get(Meeting, world.meeting_ids[1]).state == MeetingState.cancelled


def _start_an_hour_ago(in_tenant, meeting_id: int) -> None:
    from datetime import timedelta

    from samverka.db.base import utcnow
    from samverka.modules.forums.models import Meeting

    with in_tenant("amal") as session:
        meeting = session.get(Meeting, meeting_id)
        meeting.starts_at = utcnow() - timedelta(hours=1)
        meeting.ends_at = utcnow() + timedelta(minutes=30)
        session.commit()


def test_marking_held(world, login, in_tenant):
    from samverka.modules.forums.models import Meeting, MeetingState

    _start_an_hour_ago(in_tenant, world.meeting_ids[1])
    assert post(login(world.member), world.url(1, "/genomfort")).status_code == 302
    with in_tenant("amal") as session:
        assert session.get(Meeting, world.meeting_ids[1]).state == MeetingState.held


def test_a_meeting_in_the_future_cannot_be_marked_held(world, login, in_tenant):
    from samverka.modules.forums.models import Meeting, MeetingState

    client = login(world.member)
    assert "Markera som genomfört" not in client.get(world.url(1)).get_data(as_text=True)
    response = post(client, world.url(1, "/genomfort"), follow_redirects=True)
    assert "Mötet har inte börjat än och kan inte markeras som genomfört." in response.get_data(
        as_text=True
    )
    with in_tenant("amal") as session:
        assert session.get(Meeting, world.meeting_ids[1]).state == MeetingState.planned


def _titles(in_tenant, meeting_id: int) -> list[str]:
    from samverka.modules.forums.models import Meeting

    with in_tenant("amal") as session:
        return [i.title for i in session.get(Meeting, meeting_id).agenda_items]


def _item_ids(in_tenant, meeting_id: int) -> list[int]:
    from samverka.modules.forums.models import Meeting

    with in_tenant("amal") as session:
        return [i.id for i in session.get(Meeting, meeting_id).agenda_items]


def test_agenda_items_are_added_edited_reordered_and_removed(world, login, in_tenant):
    from samverka.modules.forums.models import AgendaItem

    client = login(world.member)
    meeting_id = world.meeting_ids[1]
    added = post(
        client,
        world.url(1, "/dagordning"),
        {"agenda-title": "Sommarlovet", "agenda-owner": str(world.member_ids[2])},
    )
    assert added.status_code == 302
    assert _titles(in_tenant, meeting_id)[-1] == "Sommarlovet"
    new_id = _item_ids(in_tenant, meeting_id)[-1]

    edited = post(
        client,
        world.url(1, f"/dagordning/{new_id}"),
        {"title": "Sommarlovet 2031", "owner": str(world.member_ids[0]), "minutes": "20"},
    )
    assert edited.status_code == 302
    with in_tenant("amal") as session:
        item = session.get(AgendaItem, new_id)
        assert (item.title, item.owner_member_id, item.minutes) == (
            "Sommarlovet 2031",
            world.member_ids[0],
            20,
        )

    post(client, world.url(1, f"/dagordning/{new_id}/flytta"), {"riktning": "upp"})
    titles = _titles(in_tenant, meeting_id)
    assert titles[-2:] == ["Sommarlovet 2031", "Nästa möte"]

    first = _item_ids(in_tenant, meeting_id)[0]
    post(client, world.url(1, f"/dagordning/{first}/flytta"), {"riktning": "upp"})  # no-op
    assert _item_ids(in_tenant, meeting_id)[0] == first

    assert post(client, world.url(1, f"/dagordning/{new_id}/ta-bort")).status_code == 302
    assert "Sommarlovet 2031" not in _titles(in_tenant, meeting_id)


def test_agenda_owner_must_be_a_member_of_this_forum(world, login, in_tenant, make_forum):
    other = make_forum("amal", name="Annat forum", members=[("Lisa Logoped", "other", None)])
    before = _titles(in_tenant, world.meeting_ids[1])
    response = post(
        login(world.member),
        world.url(1, "/dagordning"),
        {"agenda-title": "Fel ägare", "agenda-owner": str(other["member_ids"][0])},
    )
    assert response.status_code == 422
    assert _titles(in_tenant, world.meeting_ids[1]) == before


def test_agenda_item_of_another_meeting_is_404(world, login, in_tenant):
    foreign_item = _item_ids(in_tenant, world.meeting_ids[2])[0]
    client = login(world.member)
    assert client.get(world.url(1, f"/dagordning/{foreign_item}")).status_code == 404
    assert post(client, world.url(1, f"/dagordning/{foreign_item}/ta-bort")).status_code == 404


def test_every_form_page_opens_for_a_forum_member(world, login, in_tenant):
    client = login(world.member)
    item = _item_ids(in_tenant, world.meeting_ids[1])[0]
    new = client.get(f"/k/amal/forum/{world.forum_id}/moten/nytt")
    assert new.status_code == 200
    assert 'value="09:00"' in new.get_data(as_text=True)  # the forum's start time
    for suffix in ("/flytta", "/stall-in", f"/dagordning/{item}", "/narvaro", "/anteckningar"):
        assert client.get(world.url(1, suffix)).status_code == 200, suffix


def test_agenda_item_keeps_an_owner_who_has_left_the_forum(world, login, in_tenant):
    from samverka.modules.forums.models import AgendaItem, ForumMember

    item_id = _item_ids(in_tenant, world.meeting_ids[1])[0]
    with in_tenant("amal") as session:
        session.get(AgendaItem, item_id).owner_member_id = world.member_ids[2]
        session.get(ForumMember, world.member_ids[2]).active = False
        session.commit()
    client = login(world.member)
    page = client.get(world.url(1, f"/dagordning/{item_id}")).get_data(as_text=True)
    assert "Per Polis" in page
    saved = post(
        client,
        world.url(1, f"/dagordning/{item_id}"),
        {"title": "Uppföljning", "owner": str(world.member_ids[2])},
    )
    assert saved.status_code == 302


def _years_ahead(years: int) -> str:
    from datetime import timedelta

    return (date.today() + timedelta(days=round(years * 365.25))).isoformat()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1900-01-01"])
def test_extra_meeting_in_an_impossible_year_is_refused_and_feeds_keep_working(
    world, login, in_tenant, app, day
):
    from samverka.modules.forums.models import Forum, Meeting

    client = login(world.member)
    response = post(
        client,
        f"/k/amal/forum/{world.forum_id}/moten/nytt",
        {"day": day, "starts": "09:00", "ends": "10:00"},
    )
    assert response.status_code == 422
    assert "högst fem år bakåt eller framåt" in response.get_data(as_text=True)
    with in_tenant("amal") as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 3
        token = session.get(Forum, world.forum_id).ical_token
    assert app.test_client().get(f"/ical/{token}/amal/forum.ics").status_code == 200


def test_dates_more_than_five_years_away_are_refused_but_within_them_accepted(
    world, login, in_tenant
):
    from samverka.modules.forums.models import Meeting

    client = login(world.convener)
    with in_tenant("amal") as session:
        before = session.get(Meeting, world.meeting_ids[1]).starts_at
    for day in (_years_ahead(6), _years_ahead(-6), "9999-12-31", "0001-01-01"):
        moved = post(
            client, world.url(1, "/flytta"), {"day": day, "starts": "08:30", "ends": "09:30"}
        )
        assert moved.status_code == 422, day
        assert "högst fem år" in moved.get_data(as_text=True)
    with in_tenant("amal") as session:
        assert session.get(Meeting, world.meeting_ids[1]).starts_at == before
    for day in (_years_ahead(4.9), _years_ahead(-4.9)):
        moved = post(
            client, world.url(1, "/flytta"), {"day": day, "starts": "08:30", "ends": "09:30"}
        )
        assert moved.status_code == 302, day


def test_names_decisions_and_actions_are_only_for_those_who_may_read_minutes(
    world, login, in_tenant
):
    from samverka.modules.forums.models import (
        Action,
        ActionStatus,
        AgendaItem,
        Attendance,
        AttendanceStatus,
        Decision,
        Meeting,
        MeetingState,
    )

    anna, _sara, per = world.member_ids
    with in_tenant("amal") as session:
        meeting = session.get(Meeting, world.meeting_ids[0])
        meeting.attendance.append(Attendance(member_id=anna, status=AttendanceStatus.present))
        meeting.attendance.append(
            Attendance(
                member_id=per, status=AttendanceStatus.stand_in, stand_in_name="Olle Vikarie"
            )
        )
        meeting.decisions.append(Decision(text="Beslut om Kalle i klass 7B"))
        meeting.agenda_items.append(
            AgendaItem(position=99, title="Trygghetsvandring", owner_member_id=anna)
        )
        session.add(
            Action(
                forum_id=world.forum_id,
                meeting_id=meeting.id,
                title="Ring Kalles föräldrar",
                owner_member_id=per,
                status=ActionStatus.open,
            )
        )
        cancelled = session.get(Meeting, world.meeting_ids[2])
        cancelled.state = MeetingState.cancelled
        cancelled.cancel_reason = "Anna Rektor är sjuk"
        session.commit()
    secret = (
        "Anna Rektor",
        "Per Polis",
        "Olle Vikarie",
        "Beslut om Kalle",
        "Ring Kalles föräldrar",
    )
    outsider = login(world.outsider)
    page = outsider.get(world.url(0))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Trygghetsvandring" in html and "Genomfört" in html  # agenda title and state
    for text in secret:
        assert text not in html, text
    assert "visas bara för forumets medlemmar och kommunens samordnare" in html
    cancelled_html = outsider.get(world.url(2)).get_data(as_text=True)
    assert "Inställt" in cancelled_html and "sjuk" not in cancelled_html
    for reader in (world.member, world.coordinator):
        html = login(reader).get(world.url(0)).get_data(as_text=True)
        for text in secret:
            assert text in html, text
        assert "visas bara för forumets medlemmar" not in html
        assert "Anna Rektor är sjuk" in login(reader).get(world.url(2)).get_data(as_text=True)


# --- reinstating a cancelled meeting -------------------------------------------------------------


def _set_state(in_tenant, meeting_id: int, state: str, **fields) -> None:
    from samverka.modules.forums.models import Meeting, MeetingState

    with in_tenant("amal") as session:
        meeting = session.get(Meeting, meeting_id)
        meeting.state = MeetingState(state)
        for name, value in fields.items():
            setattr(meeting, name, value)
        session.commit()


def _state(in_tenant, meeting_id: int) -> tuple[str, str, object]:
    from samverka.modules.forums.models import Meeting

    with in_tenant("amal") as session:
        meeting = session.get(Meeting, meeting_id)
        return meeting.state.value, meeting.cancel_reason, meeting.reminder_sent_at


def test_cancelled_future_meeting_is_reinstated(world, login, in_tenant):
    from samverka.db.base import utcnow
    from samverka.modules.audit.models import AuditEvent

    client = login(world.member)
    assert post(client, world.url(1, "/stall-in"), {"reason": "Sjukdom"}).status_code == 302
    _set_state(in_tenant, world.meeting_ids[1], "cancelled", reminder_sent_at=utcnow())
    page = client.get(world.url(1)).get_data(as_text=True)
    assert "Återuppta mötet" in page and f"{world.url(1)}/ateruppta" in page

    response = post(client, world.url(1, "/ateruppta"))
    assert response.status_code == 302
    assert _state(in_tenant, world.meeting_ids[1]) == ("planned", "", None)
    page = client.get(world.url(1)).get_data(as_text=True)
    assert "Återuppta mötet" not in page and "Sjukdom" not in page
    with in_tenant("amal") as session:
        events = list(
            session.scalars(
                sa.select(AuditEvent).where(
                    AuditEvent.object_type == "meeting",
                    AuditEvent.object_id == world.meeting_ids[1],
                    AuditEvent.action == "reinstate",
                )
            )
        )
        assert len(events) == 1
        assert "Sjukdom" not in str(events[0].changes) + events[0].summary


def test_past_cancelled_or_planned_meeting_cannot_be_reinstated(world, login, in_tenant):
    _set_state(in_tenant, world.meeting_ids[0], "cancelled", cancel_reason="Snöstorm")
    client = login(world.member)
    assert "Återuppta mötet" not in client.get(world.url(0)).get_data(as_text=True)
    past = post(client, world.url(0, "/ateruppta"))
    assert past.status_code == 409
    assert "Bara inställda möten som inte har börjat än kan återupptas." in past.get_data(
        as_text=True
    )
    assert _state(in_tenant, world.meeting_ids[0])[:2] == ("cancelled", "Snöstorm")
    assert post(client, world.url(1, "/ateruppta")).status_code == 409
    assert _state(in_tenant, world.meeting_ids[1])[0] == "planned"


def test_outsider_and_missing_csrf_cannot_reinstate(world, login, in_tenant):
    _set_state(in_tenant, world.meeting_ids[1], "cancelled", cancel_reason="Sportlov")
    outsider = login(world.outsider)
    assert "Återuppta mötet" not in outsider.get(world.url(1)).get_data(as_text=True)
    assert post(outsider, world.url(1, "/ateruppta")).status_code == 403
    member = login(world.member)
    refused = member.post(world.url(1, "/ateruppta"))
    assert refused.status_code == 400
    assert "säkerhetstoken" in refused.get_data(as_text=True)
    assert _state(in_tenant, world.meeting_ids[1])[:2] == ("cancelled", "Sportlov")


def test_the_audit_log_names_changed_fields_in_swedish(world, login):
    from datetime import date, timedelta

    client = login(world.coordinator)
    day = (date.today() + timedelta(days=40)).isoformat()
    moved = post(
        client,
        world.url(1, "/flytta"),
        {"day": day, "starts": "13:00", "ends": "14:00", "location": "Stadshuset"},
    )
    assert moved.status_code == 302
    html = client.get("/k/amal/logg").get_data(as_text=True)
    assert "Möte flyttat" in html and "Tid, Plats" in html
    assert "starts_at" not in html and "location" not in html


def test_an_unlabelled_field_is_not_shown_by_its_column_name():
    from samverka.modules.audit.labels import field_labels

    assert field_labels({"cadence_kind": "x", "some_new_column": 1}) == [
        "Mötesrytm",
        "annat fält",
    ]
