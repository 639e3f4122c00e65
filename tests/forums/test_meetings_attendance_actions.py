"""Attendance per member and organisation, decisions, and actions followed up next time."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.forums.meetings_helpers import MeetingWorld, build_world, post


@pytest.fixture
def world(create_user, make_forum) -> MeetingWorld:
    return build_world(create_user, make_forum)


def _attendance(in_tenant, meeting_id: int) -> dict[int, tuple[str, int | None, str | None]]:
    from samverka.modules.forums.models import Attendance

    with in_tenant("amal") as session:
        rows = session.scalars(sa.select(Attendance).where(Attendance.meeting_id == meeting_id))
        return {a.member_id: (a.status.value, a.organisation_id, a.stand_in_name) for a in rows}


MARKER = re.compile(r'name="marker" value="([0-9a-f]+)"')


def _marker(client, world, index: int = 0) -> str:
    """The attendance version the form carries when it is opened now."""
    return MARKER.search(client.get(world.url(index, "/narvaro")).get_data(as_text=True)).group(1)


def _attend(client, world, data: dict, index: int = 0, marker: str | None = None):
    """Open the attendance form, then save it with ``data`` (as one person at a browser)."""
    marker = _marker(client, world, index) if marker is None else marker
    return post(client, world.url(index, "/narvaro"), {"marker": marker, **data})


def test_attendance_form_lists_every_active_member(world, login):
    html = login(world.member).get(world.url(0, "/narvaro")).get_data(as_text=True)
    for name in ("Anna Rektor", "Sara Socialsekreterare", "Per Polis"):
        assert name in html
    assert f'for="status-{world.member_ids[2]}"' in html


def test_attendance_is_saved_then_replaced(world, login, in_tenant):
    anna, sara, per = world.member_ids
    orgs = world.organisation_ids
    client = login(world.member)
    first = _attend(
        client,
        world,
        {
            f"status-{anna}": "present",
            f"org-{anna}": str(orgs["school"]),
            f"status-{sara}": "digital",
            f"org-{sara}": str(orgs["ifo"]),
            f"status-{per}": "stand_in",
            f"org-{per}": str(orgs["police"]),
            f"standin-{per}": "Olle Ersättare",
        },
    )
    assert first.status_code == 302
    assert _attendance(in_tenant, world.meeting_ids[0]) == {
        anna: ("present", orgs["school"], None),
        sara: ("digital", orgs["ifo"], None),
        per: ("stand_in", orgs["police"], "Olle Ersättare"),
    }
    page = client.get(world.url(0)).get_data(as_text=True)
    assert "Olle Ersättare" in page and "Närvarande digitalt" in page

    second = _attend(
        client,
        world,
        {f"status-{anna}": "excused", f"org-{anna}": str(orgs["school"]), f"status-{sara}": ""},
    )
    assert second.status_code == 302
    assert _attendance(in_tenant, world.meeting_ids[0]) == {anna: ("excused", orgs["school"], None)}


def test_stand_in_without_a_name_is_refused_and_nothing_changes(world, login, in_tenant):
    anna, _sara, per = world.member_ids
    client = login(world.member)
    _attend(client, world, {f"status-{anna}": "present"})
    response = _attend(
        client,
        world,
        {f"status-{anna}": "absent", f"status-{per}": "stand_in", f"standin-{per}": " "},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ange ersättarens namn." in html and f'href="#standin-{per}"' in html
    assert _attendance(in_tenant, world.meeting_ids[0]) == {anna: ("present", None, None)}


def test_unknown_status_or_foreign_organisation_is_refused(world, login, in_tenant, make_forum):
    other = make_forum("amal", name="Annat", members=[("X", "bup", None)])
    anna = world.member_ids[0]
    client = login(world.member)
    bad_status = _attend(client, world, {f"status-{anna}": "sleeping"})
    bad_org = _attend(
        client,
        world,
        {f"status-{anna}": "present", f"org-{anna}": str(other["organisation_ids"]["bup"])},
    )
    assert bad_status.status_code == bad_org.status_code == 422
    assert _attendance(in_tenant, world.meeting_ids[0]) == {}


@pytest.mark.parametrize("org", ["²", "١", "1" * 40, "-1", " 1"])
def test_odd_organisation_numbers_are_refused_not_a_crash(world, login, in_tenant, org):
    anna = world.member_ids[0]
    client = login(world.member)
    response = _attend(client, world, {f"status-{anna}": "present", f"org-{anna}": org})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Välj en av forumets organisationer." in html and f'href="#org-{anna}"' in html
    assert _attendance(in_tenant, world.meeting_ids[0]) == {}


def test_two_people_saving_attendance_at_once_overwrite_nothing(world, login, in_tenant):
    anna, sara, per = world.member_ids
    convener, member = login(world.convener), login(world.member)
    # Both open the form before either saves.
    convener_marker, member_marker = _marker(convener, world), _marker(member, world)
    assert convener_marker == member_marker
    first = _attend(
        convener,
        world,
        {
            f"status-{anna}": "present",
            f"status-{per}": "stand_in",
            f"standin-{per}": "Olle Ersättare",
        },
        marker=convener_marker,
    )
    assert first.status_code == 302
    late = _attend(
        member,
        world,
        {f"status-{anna}": "absent", f"status-{sara}": "digital"},
        marker=member_marker,
    )
    html = late.get_data(as_text=True)
    assert late.status_code == 409
    assert "Någon annan har sparat närvaron" in html
    # The convener's rows are shown, and untouched in the database.
    assert "Olle Ersättare" in html.split("<h2>Dina val</h2>")[0]
    assert _attendance(in_tenant, world.meeting_ids[0]) == {
        anna: ("present", None, None),
        per: ("stand_in", None, "Olle Ersättare"),
    }
    # The late person's choices are still in the form, with the current marker to save again.
    form = html.split("<h2>Dina val</h2>")[1]
    assert (
        '<option value="absent" selected>' in form and '<option value="digital" selected>' in form
    )
    new_marker = MARKER.search(html).group(1)
    assert new_marker != member_marker
    again = _attend(
        member, world, {f"status-{anna}": "absent", f"status-{sara}": "digital"}, marker=new_marker
    )
    assert again.status_code == 302
    assert _attendance(in_tenant, world.meeting_ids[0]) == {
        anna: ("absent", None, None),
        sara: ("digital", None, None),
    }


def test_attendance_save_without_a_marker_saves_nothing(world, login, in_tenant):
    anna = world.member_ids[0]
    client = login(world.member)
    response = post(client, world.url(0, "/narvaro"), {f"status-{anna}": "present"})
    assert response.status_code == 409
    assert _attendance(in_tenant, world.meeting_ids[0]) == {}


def test_decisions_are_added_and_removed(world, login, in_tenant):
    from samverka.modules.forums.models import Decision

    client = login(world.member)
    assert post(client, world.url(0, "/beslut"), {"decision-text": ""}).status_code == 422
    assert post(client, world.url(0, "/beslut"), {"decision-text": "Vi startar"}).status_code == 302
    with in_tenant("amal") as session:
        decision_id = session.scalars(sa.select(Decision.id)).one()
    assert "Vi startar" in client.get(world.url(0)).get_data(as_text=True)
    assert post(client, world.url(1, f"/beslut/{decision_id}/ta-bort")).status_code == 404
    assert post(client, world.url(0, f"/beslut/{decision_id}/ta-bort")).status_code == 302
    with in_tenant("amal") as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Decision)) == 0


def _agenda_action_ids(in_tenant, meeting_id: int) -> list[int]:
    from samverka.modules.forums.models import Meeting

    with in_tenant("amal") as session:
        return [i.action_id for i in session.get(Meeting, meeting_id).agenda_items if i.action_id]


def test_action_is_carried_to_the_next_planned_meeting(world, login, in_tenant):
    from samverka.modules.forums.models import Action

    held, next_planned, later = world.meeting_ids
    client = login(world.member)
    response = post(
        client,
        world.url(0, "/atgarder"),
        {
            "action-title": "Kontakta fritidsgården",
            "action-owner": str(world.member_ids[1]),
            "action-due_date": "2031-03-01",
        },
    )
    assert response.status_code == 302
    with in_tenant("amal") as session:
        action = session.scalars(sa.select(Action)).one()
        assert action.meeting_id == held
        assert action.organisation_id == world.organisation_ids["ifo"]  # the owner's
        action_id = action.id
    assert _agenda_action_ids(in_tenant, next_planned) == [action_id]
    assert "Kontakta fritidsgården" in client.get(world.url(1)).get_data(as_text=True)

    # Done on the follow-up meeting's page: it stays there as history, but is not carried on.
    assert (
        post(client, world.url(1, f"/atgarder/{action_id}/status"), {"status": "done"}).status_code
        == 302
    )
    with in_tenant("amal") as session:
        action = session.get(Action, action_id)
        assert action.status.value == "done" and action.done_at is not None
    created = post(
        client,
        f"/k/amal/forum/{world.forum_id}/moten/nytt",
        {
            "day": (date.today() + timedelta(days=3 * 365)).isoformat(),
            "starts": "09:00",
            "ends": "10:00",
        },
    )
    new_id = int(created.headers["Location"].rsplit("/", 1)[1])
    assert _agenda_action_ids(in_tenant, new_id) == []
    assert _agenda_action_ids(in_tenant, later) == []


def test_action_owner_must_belong_to_the_forum_and_title_is_required(world, login, in_tenant):
    from samverka.modules.forums.models import Action

    client = login(world.member)
    response = post(client, world.url(0, "/atgarder"), {"action-title": "", "action-owner": "999"})
    assert response.status_code == 422
    assert "Skriv vad som ska göras." in response.get_data(as_text=True)
    with in_tenant("amal") as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Action)) == 0


def test_invalid_action_status_changes_nothing(world, login, in_tenant):
    from samverka.modules.forums.models import Action, ActionStatus

    client = login(world.member)
    post(client, world.url(0, "/atgarder"), {"action-title": "Ring BUP"})
    with in_tenant("amal") as session:
        action_id = session.scalars(sa.select(Action.id)).one()
    post(client, world.url(0, f"/atgarder/{action_id}/status"), {"status": "forgotten"})
    assert (
        post(client, world.url(0, "/atgarder/9999/status"), {"status": "done"}).status_code == 404
    )
    with in_tenant("amal") as session:
        assert session.get(Action, action_id).status == ActionStatus.open


# --- organisations without a named participant -----------------------------------------------


def _add_lone_organisation(in_tenant, world, name: str = "BUP Fyrstad") -> int:
    """A member organisation of the forum that has no member of its own in the forum."""
    from samverka.modules.forums.models import Forum, Organisation
    from samverka.modules.forums.vocabulary import ORGANISATION_TYPES

    with in_tenant("amal") as session:
        organisation = Organisation(name=name, type="bup", principal=ORGANISATION_TYPES["bup"][1])
        forum = session.get(Forum, world.forum_id)
        forum.organisations.append(organisation)
        session.commit()
        return organisation.id


def _organisation_rows(in_tenant, meeting_id: int) -> dict[int, tuple[str, str | None]]:
    """Organisation-only attendance: organisation id -> (status, stand-in name)."""
    from samverka.modules.forums.models import Attendance

    with in_tenant("amal") as session:
        rows = session.scalars(
            sa.select(Attendance).where(
                Attendance.meeting_id == meeting_id, Attendance.member_id.is_(None)
            )
        )
        return {a.organisation_id: (a.status.value, a.stand_in_name) for a in rows}


def test_organisation_without_member_is_listed_saved_shown_and_counted(world, login, in_tenant):
    bup = _add_lone_organisation(in_tenant, world)
    anna = world.member_ids[0]
    client = login(world.member)
    form = client.get(world.url(0, "/narvaro")).get_data(as_text=True)
    assert "Organisationer utan namngiven deltagare" in form
    assert f'for="orgstatus-{bup}"' in form
    # Organisations with an active member are recorded through the member, not listed again.
    assert f"orgstatus-{world.organisation_ids['school']}" not in form

    saved = _attend(client, world, {f"status-{anna}": "present", f"orgstatus-{bup}": "digital"})
    assert saved.status_code == 302
    assert _organisation_rows(in_tenant, world.meeting_ids[0]) == {bup: ("digital", None)}
    assert _attendance(in_tenant, world.meeting_ids[0])[anna] == ("present", None, None)

    page = client.get(world.url(0)).get_data(as_text=True)
    section = page.split('id="attendance"', 1)[1].split("</section>", 1)[0]
    bup_row = next(r for r in section.split("<tr>") if "BUP Fyrstad" in r)
    assert "Närvarande digitalt" in bup_row

    # Opening the form again shows the saved organisation status.
    again = client.get(world.url(0, "/narvaro")).get_data(as_text=True)
    select = again.split(f'name="orgstatus-{bup}"', 1)[1].split("</select>", 1)[0]
    assert '<option value="digital" selected>' in select

    # The coordinator's overview counts the organisation as having attended the held meeting.
    home = login(world.coordinator).get("/k/amal/").get_data(as_text=True)
    overview = home.split('id="attendance"', 1)[1].split("</section>", 1)[0]
    table = overview.split("<table", 1)[1]  # the chart above repeats the names
    overview_row = next(r for r in table.split("<tr>") if "BUP Fyrstad" in r)
    assert "100 %" in overview_row and "1 av 1" in overview_row


def test_organisation_attendance_is_replaced_with_the_rest(world, login, in_tenant):
    bup = _add_lone_organisation(in_tenant, world)
    anna = world.member_ids[0]
    client = login(world.member)
    missing_name = _attend(client, world, {f"orgstatus-{bup}": "stand_in"})
    assert missing_name.status_code == 422
    assert f'href="#orgstandin-{bup}"' in missing_name.get_data(as_text=True)
    assert _organisation_rows(in_tenant, world.meeting_ids[0]) == {}

    first = _attend(
        client,
        world,
        {
            f"status-{anna}": "present",
            f"orgstatus-{bup}": "stand_in",
            f"orgstandin-{bup}": "Olle Ersättare",
        },
    )
    assert first.status_code == 302
    assert _organisation_rows(in_tenant, world.meeting_ids[0]) == {
        bup: ("stand_in", "Olle Ersättare")
    }
    second = _attend(client, world, {f"orgstatus-{bup}": "excused"})
    assert second.status_code == 302
    assert _organisation_rows(in_tenant, world.meeting_ids[0]) == {bup: ("excused", None)}
    assert _attendance(in_tenant, world.meeting_ids[0]) == {None: ("excused", bup, None)}

    cleared = _attend(client, world, {f"orgstatus-{bup}": ""})
    assert cleared.status_code == 302
    assert _attendance(in_tenant, world.meeting_ids[0]) == {}


def test_organisation_of_another_forum_is_refused_and_nothing_saved(
    world, login, in_tenant, make_forum
):
    _add_lone_organisation(in_tenant, world)
    other = make_forum("amal", name="Annat", members=[("X", "bup", None)])
    foreign = other["organisation_ids"]["bup"]
    anna = world.member_ids[0]
    client = login(world.member)
    for key in (f"orgstatus-{foreign}", "orgstatus-abc", "orgstatus-²"):
        response = _attend(client, world, {f"status-{anna}": "present", key: "present"})
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert "Närvaro kan bara registreras för forumets organisationer." in html
        assert 'href="#organisations-alone"' in html
    assert _attendance(in_tenant, world.meeting_ids[0]) == {}


def test_organisation_rows_are_part_of_the_concurrency_marker(world, login, in_tenant):
    bup = _add_lone_organisation(in_tenant, world)
    anna = world.member_ids[0]
    convener, member = login(world.convener), login(world.member)
    stale = _marker(member, world)
    assert _attend(convener, world, {f"orgstatus-{bup}": "present"}).status_code == 302
    late = _attend(member, world, {f"status-{anna}": "absent"}, marker=stale)
    assert late.status_code == 409
    assert _attendance(in_tenant, world.meeting_ids[0]) == {None: ("present", bup, None)}


def _raise_action(client, world) -> None:
    response = post(
        client,
        world.url(0, "/atgarder"),
        {
            "action-title": "Kontakta fritidsgården",
            "action-owner": str(world.member_ids[1]),
            "action-due_date": "2031-03-01",
        },
    )
    assert response.status_code == 302


def test_a_carried_action_shows_its_due_date_on_the_agenda(world, login):
    client = login(world.member)
    _raise_action(client, world)
    html = client.get(world.url(1)).get_data(as_text=True)
    agenda = html.split('id="agenda"', 1)[1].split("</section>", 1)[0]
    assert "Kontakta fritidsgården" in agenda
    assert "Klart senast 2031-03-01" in agenda


def test_a_non_member_sees_no_carried_action_on_the_next_agenda(world, login):
    """The meeting the action came from hides it; so must the next meeting's agenda."""
    _raise_action(login(world.member), world)
    outsider = login(world.outsider)
    origin = outsider.get(world.url(0)).get_data(as_text=True)
    following = outsider.get(world.url(1)).get_data(as_text=True)
    for html in (origin, following):
        assert "Kontakta fritidsgården" not in html
        assert "2031" not in html
    assert "Uppföljning av åtgärd" in following  # the item is there, its content is not
