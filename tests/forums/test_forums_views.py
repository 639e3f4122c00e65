"""Forum pages: create from a type, adapt settings and cadence, manage members, by role."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from samverka.clock import local, local_today
from tests.conftest import csrf_token

NEW = "/k/amal/forum/nytt?typ=sspf_working"


def _forum_data(client, path=NEW, **changes):
    data = {
        "csrf_token": csrf_token(client, path),
        "forum_type": "sspf_working",
        "name": "SSPF Åmål",
        "purpose": "Unga i riskzon",
        "level": "operational",
        "case_rule": "consent",
        "age_min": "12",
        "age_max": "18",
        "convener": "0",
        "state": "active",
        "cadence_kind": "monthly_weekday",
        "cadence_interval": "1",
        "cadence_weekday": "1",
        "cadence_week_of_month": "1",
        "cadence_dates": "",
        "cadence_exceptions": "",
        "cadence_start": local_today().isoformat(),
        "cadence_until": "",
        "start_time": "09:00",
        "duration_minutes": "90",
        "location": "Stadshuset",
        "agenda_skeleton": "Uppföljning\nÄrenden",
    }
    data.update(changes)
    return data


def _forums(in_tenant, slug="amal"):
    from samverka.modules.forums.models import Forum

    with in_tenant(slug) as session:
        return [
            {
                "id": f.id,
                "name": f.name,
                "kind": f.cadence_kind.value,
                "state": f.state.value,
                "orgs": sorted(o.type for o in f.organisations),
                "members": [(m.name, m.user_id, m.is_convener, m.active) for m in f.members],
                "meetings": [(m.cadence_date, m.state.value, m.starts_at) for m in f.meetings],
                "agenda": list(f.agenda_skeleton),
            }
            for f in session.scalars(sa.select(Forum).order_by(Forum.id))
        ]


def _add_org(in_tenant, org_type, name, slug="amal"):
    from samverka.modules.forums.models import Organisation
    from samverka.modules.forums.vocabulary import ORGANISATION_TYPES

    with in_tenant(slug) as session:
        org = Organisation(name=name, type=org_type, principal=ORGANISATION_TYPES[org_type][1])
        session.add(org)
        session.commit()
        return org.id


# --- list ------------------------------------------------------------------------------------


def test_empty_forum_list_explains_what_to_do(create_user, login):
    coordinator = login(create_user(municipalities={"amal": "coordinator"}))
    html = coordinator.get("/k/amal/forum").get_data(as_text=True)
    assert "Inga forum ännu" in html and "Skapa det första forumet" in html
    member = login(create_user(municipalities={"amal": "member"}))
    html = member.get("/k/amal/forum").get_data(as_text=True)
    assert "Inga forum ännu" in html and "Nytt forum" not in html


def test_forum_list_filters_by_state(create_user, login, make_forum, in_tenant):
    from samverka.modules.forums.models import Forum, ForumState

    make_forum("amal", name="Aktiva gruppen")
    paused = make_forum("amal", name="Vilande gruppen")
    with in_tenant("amal") as session:
        session.get(Forum, paused["forum_id"]).state = ForumState.paused
        session.commit()
    client = login(create_user(municipalities={"amal": "member"}))
    everything = client.get("/k/amal/forum").get_data(as_text=True)
    assert "Aktiva gruppen" in everything and "Vilande gruppen" in everything
    only_paused = client.get("/k/amal/forum?status=pausade").get_data(as_text=True)
    assert "Vilande gruppen" in only_paused and "Aktiva gruppen" not in only_paused
    assert "Pausat" in only_paused  # the state is written out, not only coloured
    closed = client.get("/k/amal/forum?status=avslutade").get_data(as_text=True)
    assert "Inga forum med den statusen" in closed


def test_forums_of_another_municipality_are_invisible(create_user, login, make_forum):
    made = make_forum("bengtsfors", name="Bengtsfors SSPF")
    client = login(create_user(municipalities={"amal": "coordinator"}))
    assert "Bengtsfors SSPF" not in client.get("/k/amal/forum").get_data(as_text=True)
    assert client.get(f"/k/bengtsfors/forum/{made['forum_id']}").status_code == 404
    assert client.get(f"/k/amal/forum/{made['forum_id']}").status_code == 404
    assert client.get("/k/amal/forum/999").status_code == 404


# --- create ----------------------------------------------------------------------------------


def test_new_forum_starts_by_choosing_a_type(create_user, login):
    client = login(create_user(municipalities={"amal": "coordinator"}))
    html = client.get("/k/amal/forum/nytt").get_data(as_text=True)
    assert "SSPF arbetsgrupp" in html and "HLT-team" in html and 'name="typ"' in html


def test_type_prefills_the_form(create_user, login, in_tenant):
    bvc = _add_org(in_tenant, "bvc", "BVC Åmål")
    police = _add_org(in_tenant, "police", "Polisen")
    client = login(create_user(municipalities={"amal": "coordinator"}))
    html = client.get("/k/amal/forum/nytt?typ=hlt_team").get_data(as_text=True)
    assert 'value="HLT-team"' in html
    assert re.search(r'<option selected value="every_n_weeks">', html)
    assert re.search(r'<input[^>]*name="cadence_interval"[^>]*value="3"', html)
    assert "Ärenden anmälda en vecka före" in html
    # BVC belongs to an HLT team by default; the police does not.
    assert _checked(html, bvc) and not _checked(html, police)


def _checked(html: str, org_id: int) -> bool:
    for tag in re.findall(r"<input[^>]*name=\"organisations\"[^>]*>", html):
        if f'value="{org_id}"' in tag:
            return "checked" in tag
    return False


def test_coordinator_creates_forum_with_meetings_a_year_ahead(create_user, login, in_tenant):
    school = _add_org(in_tenant, "school", "Rösparksskolan")
    convener = create_user(municipalities={"amal": "member"}, name="Anna Rektor")
    client = login(create_user(municipalities={"amal": "coordinator"}))
    response = client.post(
        NEW, data=_forum_data(client, convener=str(convener.id), organisations=[str(school)])
    )
    assert response.status_code == 302
    [forum] = _forums(in_tenant)
    assert forum["name"] == "SSPF Åmål" and forum["orgs"] == ["school"]
    assert forum["members"] == [("Anna Rektor", convener.id, True, True)]
    assert forum["agenda"] == ["Uppföljning", "Ärenden"]
    assert 12 <= len(forum["meetings"]) <= 13
    assert all(state == "planned" for _d, state, _s in forum["meetings"])
    page = client.get(response.location).get_data(as_text=True)
    assert "Första tisdagen varje månad" in page and "Anna Rektor" in page
    assert "Kommande möten" in page


def test_member_cannot_create_a_forum(create_user, login, in_tenant):
    client = login(create_user(municipalities={"amal": "member"}))
    assert client.get("/k/amal/forum/nytt").status_code == 403
    # A valid token from a page the member may open, so only the role stops the post.
    data = _forum_data(client, path="/k/amal/organisationer")
    assert client.post(NEW, data=data).status_code == 403
    assert _forums(in_tenant) == []


def test_missing_csrf_token_creates_nothing(create_user, login, in_tenant):
    client = login(create_user(municipalities={"amal": "coordinator"}))
    data = _forum_data(client)
    del data["csrf_token"]
    assert client.post(NEW, data=data).status_code == 400
    assert _forums(in_tenant) == []


def test_bad_input_shows_errors_next_to_fields_and_saves_nothing(create_user, login, in_tenant):
    client = login(create_user(municipalities={"amal": "coordinator"}))
    response = client.post(
        NEW,
        data=_forum_data(
            client,
            name="",
            level="strategic",
            case_rule="consent",
            age_min="15",
            age_max="10",
            cadence_exceptions="2026-13-45",
            duration_minutes="5",
        ),
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for message in (
        "Ge forumet ett namn.",
        "Ett strategiskt forum tar inte upp enskilda ärenden.",
        "Åldern till kan inte vara lägre än åldern från.",
        "Kunde inte läsa: 2026-13-45",
        "Ange en längd mellan 15 och 600 minuter.",
    ):
        assert message in html, message
    assert 'href="#name"' in html  # the summary links to the field
    assert _forums(in_tenant) == []


def test_school_year_cadence_needs_dates_and_uses_only_those(create_user, login, in_tenant):
    client = login(create_user(municipalities={"amal": "coordinator"}))
    kind = {"cadence_kind": "school_year_dates"}
    response = client.post(NEW, data=_forum_data(client, **kind))
    assert "Ange minst ett mötesdatum" in response.get_data(as_text=True)
    assert _forums(in_tenant) == []
    first, second = local_today() + timedelta(days=30), local_today() + timedelta(days=120)
    response = client.post(
        NEW,
        data=_forum_data(
            client, **kind, cadence_dates=f"{second.isoformat()}\n{first.isoformat()}"
        ),
    )
    assert response.status_code == 302
    [forum] = _forums(in_tenant)
    assert [d for d, _s, _t in forum["meetings"]] == [first, second]


# --- edit and cadence ------------------------------------------------------------------------


def test_convener_may_edit_but_other_members_may_not(create_user, login, make_forum):
    convener = create_user(municipalities={"amal": "member"})
    other = create_user(municipalities={"amal": "member"})
    made = make_forum(
        "amal", members=[("Anna Rektor", "school", convener), ("Per Polis", "police", other)]
    )
    edit = f"/k/amal/forum/{made['forum_id']}/andra"
    assert login(convener).get(edit).status_code == 200
    client = login(other)
    assert client.get(edit).status_code == 403
    page = client.get(f"/k/amal/forum/{made['forum_id']}").get_data(as_text=True)
    assert "Ändra forumet" not in page and "Anna Rektor" in page


def test_cadence_change_replans_untouched_meetings_and_keeps_cancelled_ones(
    create_user, login, make_forum, in_tenant
):
    from samverka.modules.forums.models import Meeting, MeetingState

    made = make_forum("amal", past=1, future=2)
    cancelled_id = made["meeting_ids"][-1]
    with in_tenant("amal") as session:
        session.get(Meeting, cancelled_id).state = MeetingState.cancelled
        session.commit()
    client = login(create_user(municipalities={"amal": "coordinator"}))
    edit = f"/k/amal/forum/{made['forum_id']}/andra"
    response = client.post(
        edit,
        data=_forum_data(
            client,
            path=edit,
            name="SSPF Testgruppen",
            cadence_kind="weekly",
            cadence_weekday="3",
            cadence_start=(local_today() - timedelta(days=400)).isoformat(),
            convener=str(made["member_ids"][0]),
            start_time="13:30",
        ),
    )
    assert response.status_code == 302
    [forum] = _forums(in_tenant)
    planned = [(d, t) for d, state, t in forum["meetings"] if state == "planned"]
    assert all(d.weekday() == 3 for d, _t in planned if d > local_today())
    assert 50 <= len(planned) <= 54
    assert all(local(t).strftime("%H:%M") == "13:30" for d, t in planned if d > local_today())
    states = [state for _d, state, _t in forum["meetings"]]
    assert states.count("held") == 1 and states.count("cancelled") == 1


def test_pausing_a_forum_removes_its_untouched_future_meetings(
    create_user, login, make_forum, in_tenant
):
    made = make_forum("amal", past=1, future=3)
    client = login(create_user(municipalities={"amal": "coordinator"}))
    edit = f"/k/amal/forum/{made['forum_id']}/andra"
    form = client.get(edit).get_data(as_text=True)
    assert 'value="SSPF Testgruppen"' in form
    data = _forum_data(
        client,
        path=edit,
        name="SSPF Testgruppen",
        state="paused",
        cadence_weekday=str(local_today().weekday()),
        cadence_start=(local_today() - timedelta(days=400)).isoformat(),
        convener=str(made["member_ids"][0]),
    )
    assert client.post(edit, data=data).status_code == 302
    [forum] = _forums(in_tenant)
    assert forum["state"] == "paused"
    assert [state for _d, state, _t in forum["meetings"]] == ["held"]


# --- members ---------------------------------------------------------------------------------


def test_coordinator_adds_members_with_and_without_account(
    create_user, login, make_forum, in_tenant
):
    made = make_forum("amal", members=[])
    account = create_user(municipalities={"amal": "member"}, name="Sara Kurator")
    client = login(create_user(municipalities={"amal": "coordinator"}))
    path = f"/k/amal/forum/{made['forum_id']}/medlemmar/ny"
    form = client.get(path).get_data(as_text=True)
    assert "Sara Kurator" in form  # the municipality's accounts are offered
    base = {"organisation_id": "0", "role_title": "Skolkurator", "email": "", "phone": ""}
    response = client.post(
        path,
        data={
            "csrf_token": csrf_token(client, path),
            "user_id": str(account.id),
            "name": "",
            **base,
        },
    )
    assert response.status_code == 302
    response = client.post(
        path,
        data={
            "csrf_token": csrf_token(client, path),
            "user_id": "0",
            "name": "Per Polis",
            "is_convener": "y",
            **base,
            "role_title": "Kommunpolis",
            "phone": "010-114 14 00",
        },
    )
    assert response.status_code == 302
    [forum] = _forums(in_tenant)
    assert forum["members"] == [
        ("Sara Kurator", account.id, False, True),
        ("Per Polis", None, True, True),
    ]
    page = client.get(f"/k/amal/forum/{made['forum_id']}").get_data(as_text=True)
    assert "Kommunpolis" in page and "010-114 14 00" in page


def test_member_needs_a_name_or_an_account_and_an_account_only_once(
    create_user, login, make_forum, in_tenant
):
    account = create_user(municipalities={"amal": "member"})
    made = make_forum("amal", members=[("Anna Rektor", "school", account)])
    client = login(create_user(municipalities={"amal": "coordinator"}))
    path = f"/k/amal/forum/{made['forum_id']}/medlemmar/ny"
    base = {"organisation_id": "0", "role_title": "", "email": "", "phone": ""}
    html = client.post(
        path, data={"csrf_token": csrf_token(client, path), "user_id": "0", "name": "", **base}
    ).get_data(as_text=True)
    assert "Ange personens namn eller välj ett konto." in html
    html = client.post(
        path,
        data={
            "csrf_token": csrf_token(client, path),
            "user_id": str(account.id),
            "name": "",
            **base,
        },
    ).get_data(as_text=True)
    assert "Kontot är redan medlem i forumet." in html
    html = client.post(
        path,
        data={
            "csrf_token": csrf_token(client, path),
            "user_id": "0",
            "name": "X",
            **base,
            "email": "fel",
        },
    ).get_data(as_text=True)
    assert "Ange en giltig e-postadress" in html
    assert len(_forums(in_tenant)[0]["members"]) == 1


def test_edit_and_remove_member_keeps_history_and_audits_without_names(
    create_user, login, make_forum, in_tenant
):
    from samverka.modules.audit.models import AuditEvent

    made = make_forum("amal")
    first, second = made["member_ids"]
    client = login(create_user(municipalities={"amal": "coordinator"}))
    edit = f"/k/amal/forum/{made['forum_id']}/medlemmar/{second}/andra"
    assert "Sara Socialsekreterare" in client.get(edit).get_data(as_text=True)
    response = client.post(
        edit,
        data={
            "csrf_token": csrf_token(client, edit),
            "user_id": "0",
            "name": "Sara Socialsekreterare",
            "role_title": "Socialsekreterare",
            "organisation_id": "0",
            "email": "sara@amal.se",
            "phone": "",
            "is_convener": "y",
        },
    )
    assert response.status_code == 302
    remove = f"/k/amal/forum/{made['forum_id']}/medlemmar/{first}/ta-bort"
    assert client.post(remove).status_code == 400  # no CSRF token
    token = csrf_token(client, f"/k/amal/forum/{made['forum_id']}")
    assert client.post(remove, data={"csrf_token": token}).status_code == 302
    [forum] = _forums(in_tenant)
    assert forum["members"] == [
        ("Anna Rektor", None, False, False),
        ("Sara Socialsekreterare", None, True, True),
    ]
    page = client.get(f"/k/amal/forum/{made['forum_id']}").get_data(as_text=True)
    assert "Anna Rektor" not in page
    assert (
        client.get(f"/k/amal/forum/{made['forum_id']}/medlemmar/{first}/andra").status_code == 404
    )
    with in_tenant("amal") as session:
        events = session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.object_type == "forum_member")
            .order_by(AuditEvent.id)
        ).all()
        actions = [e.action for e in events]
        text = str([(e.summary, e.changes) for e in events])
    assert actions == ["update", "remove"]
    assert "Sara" not in text and "Anna" not in text and "sara@amal.se" not in text


def test_member_of_one_forum_cannot_be_reached_through_another(create_user, login, make_forum):
    one = make_forum("amal", name="Ett")
    two = make_forum("amal", name="Två")
    client = login(create_user(municipalities={"amal": "coordinator"}))
    foreign = one["member_ids"][0]
    assert (
        client.get(f"/k/amal/forum/{two['forum_id']}/medlemmar/{foreign}/andra").status_code == 404
    )


def test_plain_member_cannot_manage_members(create_user, login, make_forum):
    made = make_forum("amal")
    client = login(create_user(municipalities={"amal": "member"}))
    forum = f"/k/amal/forum/{made['forum_id']}"
    assert client.get(f"{forum}/medlemmar/ny").status_code == 403
    token = csrf_token(client, "/k/amal/forum")
    removal = client.post(
        f"{forum}/medlemmar/{made['member_ids'][0]}/ta-bort", data={"csrf_token": token}
    )
    assert removal.status_code == 403
    assert "Anna Rektor" in client.get(forum).get_data(as_text=True)


def test_forum_list_query_count_does_not_grow_with_forums(create_user, login, make_forum):
    from contextlib import contextmanager

    from sqlalchemy.engine import Engine

    @contextmanager
    def counted():
        statements: list[str] = []

        def count(conn, cursor, statement, *args):
            statements.append(statement)

        sa.event.listen(Engine, "before_cursor_execute", count)
        try:
            yield statements
        finally:
            sa.event.remove(Engine, "before_cursor_execute", count)

    client = login(create_user(municipalities={"amal": "member"}))
    make_forum("amal", name="Ett")
    client.get("/k/amal/forum")  # warm per-process caches (the tenant's schema name)
    with counted() as few:
        assert client.get("/k/amal/forum").status_code == 200
    for n in range(6):
        make_forum("amal", name=f"Fler {n}")
    with counted() as many:
        assert client.get("/k/amal/forum").status_code == 200
    assert len(many) == len(few)


def test_forum_page_lists_recent_meetings_to_write_up_and_offers_an_extra_one(
    create_user, login, make_forum
):
    coordinator = create_user(municipalities={"amal": "coordinator"})
    member = create_user(municipalities={"amal": "member"})
    made = make_forum("amal", past=2, future=1)
    forum_id = made["forum_id"]

    page = login(coordinator).get(f"/k/amal/forum/{forum_id}").get_data(as_text=True)
    recent = page.split('id="tidigare-moten"')[1]
    for meeting_id in made["meeting_ids"][:2]:  # the two held ones
        assert f"/k/amal/forum/{forum_id}/moten/{meeting_id}" in recent
    assert "saknar minnesanteckningar" in recent
    assert f"/k/amal/forum/{forum_id}/moten/nytt" in page

    outsider_page = login(member).get(f"/k/amal/forum/{forum_id}").get_data(as_text=True)
    assert f"/k/amal/forum/{forum_id}/moten/nytt" not in outsider_page


# --- security review: one-line names, hand-made changes, contact details ----------------------


def test_line_breaks_in_names_and_place_are_refused_and_nothing_saved(
    create_user, login, in_tenant
):
    client = login(create_user(municipalities={"amal": "coordinator"}))
    response = client.post(
        NEW,
        data=_forum_data(client, name="SSPF\r\nBcc: alla@example.se", location="Rum\t3"),
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Skriv allt på en rad, utan radbrytningar" in html
    assert 'href="#name"' in html and 'href="#location"' in html  # both fields named
    assert _forums(in_tenant) == []


def _created_forum(client, in_tenant) -> dict:
    """A forum made through the form: monthly on the first Tuesday, 09:00, at Stadshuset."""
    assert client.post(NEW, data=_forum_data(client)).status_code == 302
    [forum] = _forums(in_tenant)
    return forum


def _future_meeting_ids(in_tenant, forum_id: int, count: int) -> list[int]:
    from samverka.modules.forums.models import Meeting

    with in_tenant("amal") as session:
        return list(
            session.scalars(
                sa.select(Meeting.id)
                .where(Meeting.forum_id == forum_id, Meeting.cadence_date > local_today())
                .order_by(Meeting.starts_at)
                .limit(count)
            )
        )


def _edit(client, forum_id: int, **changes):
    edit = f"/k/amal/forum/{forum_id}/andra"
    return client.post(edit, data=_forum_data(client, path=edit, **changes))


def test_schedule_change_keeps_meetings_with_hand_written_agenda_items(
    create_user, login, in_tenant
):
    from samverka.modules.forums.agenda import carry_open_actions
    from samverka.modules.forums.models import Action, AgendaItem, Meeting

    client = login(create_user(municipalities={"amal": "coordinator"}))
    forum = _created_forum(client, in_tenant)
    written, carried, plain = _future_meeting_ids(in_tenant, forum["id"], 3)
    with in_tenant("amal") as session:
        days = {i: session.get(Meeting, i).cadence_date for i in (written, carried, plain)}
        session.add(AgendaItem(meeting_id=written, position=15, title="Nytt fritidsprojekt"))
        session.add(Action(forum_id=forum["id"], title="Ring BUP"))
        session.flush()
        carry_open_actions(session.get(Meeting, carried))
        session.commit()

    # Tuesdays → Thursdays: the old Tuesday meetings are no longer asked for.
    response = _edit(client, forum["id"], cadence_kind="weekly", cadence_weekday="3")
    assert response.status_code == 302
    with in_tenant("amal") as session:
        kept = session.get(Meeting, written)
        assert kept is not None and kept.cadence_date == days[written]
        assert "Nytt fritidsprojekt" in [i.title for i in kept.agenda_items]
        remaining = set(session.scalars(sa.select(Meeting.cadence_date)))
    # Only the skeleton and a carried action: nothing written by hand, so re-planned away.
    assert days[carried] not in remaining and days[plain] not in remaining


def test_time_and_place_change_leaves_meetings_moved_by_hand_alone(create_user, login, in_tenant):
    from samverka.modules.forums.models import Meeting

    client = login(create_user(municipalities={"amal": "coordinator"}))
    forum = _created_forum(client, in_tenant)
    later, elsewhere, untouched = _future_meeting_ids(in_tenant, forum["id"], 3)
    with in_tenant("amal") as session:
        moved = session.get(Meeting, later)
        moved.starts_at += timedelta(hours=2)  # 11:00 the same day
        moved.ends_at += timedelta(hours=2)
        session.get(Meeting, elsewhere).location = "Skolan, rum 5"
        session.commit()

    response = _edit(client, forum["id"], start_time="13:30", location="Kommunhuset")
    assert response.status_code == 302

    def placed(meeting_id):
        with in_tenant("amal") as session:
            meeting = session.get(Meeting, meeting_id)
            return local(meeting.starts_at).strftime("%H:%M"), meeting.location

    assert placed(later) == ("11:00", "Stadshuset")
    assert placed(elsewhere) == ("09:00", "Skolan, rum 5")
    assert placed(untouched) == ("13:30", "Kommunhuset")


def test_editing_a_member_keeps_their_deactivated_organisation(
    create_user, login, make_forum, in_tenant
):
    from samverka.modules.forums.models import ForumMember, Organisation

    made = make_forum("amal")
    member_id = made["member_ids"][0]
    old_org = _add_org(in_tenant, "bup", "BUP Åmål (nedlagd)")
    with in_tenant("amal") as session:
        session.get(ForumMember, member_id).organisation_id = old_org
        session.get(Organisation, old_org).active = False
        session.commit()
    client = login(create_user(municipalities={"amal": "coordinator"}))
    edit = f"/k/amal/forum/{made['forum_id']}/medlemmar/{member_id}/andra"
    form = client.get(edit).get_data(as_text=True)
    assert re.search(rf'<option selected value="{old_org}">BUP Åmål \(nedlagd\)</option>', form)
    response = client.post(
        edit,
        data={
            "csrf_token": csrf_token(client, edit),
            "user_id": "0",
            "name": "Anna Rektor",
            "role_title": "Rektor",
            "organisation_id": str(old_org),
            "email": "0@example.se",
            "phone": "",
        },
    )
    assert response.status_code == 302
    with in_tenant("amal") as session:
        member = session.get(ForumMember, member_id)
        assert (member.role_title, member.organisation_id) == ("Rektor", old_org)


def test_contact_details_only_for_the_forums_members_and_coordinators(
    create_user, login, make_forum, in_tenant
):
    from samverka.modules.forums.models import ForumMember

    insider = create_user(municipalities={"amal": "member"})
    outsider = create_user(municipalities={"amal": "member"})
    coordinator = create_user(municipalities={"amal": "coordinator"})
    made = make_forum(
        "amal", members=[("Anna Rektor", "school", insider), ("Per Polis", "police", None)]
    )
    with in_tenant("amal") as session:
        session.get(ForumMember, made["member_ids"][1]).phone = "010-114 14 00"
        session.commit()
    page = f"/k/amal/forum/{made['forum_id']}"

    for user in (insider, coordinator):
        html = login(user).get(page).get_data(as_text=True)
        assert "1@example.se" in html and "010-114 14 00" in html

    html = login(outsider).get(page).get_data(as_text=True)
    for shown in ("Anna Rektor", "Per Polis", "police", "Polis"):
        assert shown in html, shown
    assert "@example.se" not in html and "010-114 14 00" not in html and "mailto:" not in html
    assert "Kontaktuppgifter visas bara för forumets medlemmar" in html
