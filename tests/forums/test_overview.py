"""The municipality start page: the coordinator's overview and the member's own work."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from samverka.clock import local_today


def _attend(in_tenant, made, present_types: set[str], statuses=None) -> None:
    """Record attendance at every held meeting: organisations in ``present_types`` came."""
    from samverka.modules.forums.models import Attendance, AttendanceStatus, ForumMember, Meeting

    with in_tenant("amal") as session:
        for meeting_id in made["meeting_ids"]:
            meeting = session.get(Meeting, meeting_id)
            if meeting.state != "held":
                continue
            for member_id in made["member_ids"]:
                member = session.get(ForumMember, member_id)
                came = member.organisation.type in present_types
                status = (statuses or {}).get(member.organisation.type, AttendanceStatus.present)
                session.add(
                    Attendance(
                        meeting_id=meeting_id,
                        member_id=member_id,
                        organisation_id=member.organisation_id,
                        status=status if came else AttendanceStatus.absent,
                    )
                )
        session.commit()


def _add_action(in_tenant, made, title: str, due: date | None, owner_index: int = 0) -> int:
    from samverka.modules.forums.models import Action

    with in_tenant("amal") as session:
        action = Action(
            forum_id=made["forum_id"],
            title=title,
            owner_member_id=made["member_ids"][owner_index],
            due_date=due,
        )
        session.add(action)
        session.commit()
        return action.id


@pytest.fixture
def steering(make_forum, create_user):
    """A steering group where BUP never comes, plus a coordinator and a member with an account."""
    coordinator = create_user(municipalities={"amal": "coordinator"})
    member = create_user(municipalities={"amal": "member"})
    made = make_forum(
        "amal",
        name="Styrgrupp barn och unga",
        forum_type="steering",
        members=[
            ("Rektor", "school", member),
            ("Socialchef", "ifo", None),
            ("BUP-kontakt", "bup", None),
        ],
        past=4,
        future=2,
    )
    return coordinator, member, made


def test_missing_organisation_shows_low_attendance_rate(steering, in_tenant):
    """BUP absent at every held meeting: 0 %, flagged; the others at 100 %."""
    from samverka.modules.forums import overview

    _coordinator, _member, made = steering
    _attend(in_tenant, made, {"school", "ifo"})
    with in_tenant("amal"):
        rows = overview.attendance_by_organisation(overview.active_forums(), window=6)
    by_type = {r.organisation.type: r for r in rows}
    assert by_type["bup"].rate == 0 and by_type["bup"].missing
    assert by_type["bup"].expected == 4
    assert by_type["school"].rate == 1 and not by_type["school"].missing
    assert rows[0].organisation.type == "bup"  # lowest first: who is missing shows at the top


def test_digital_and_stand_in_count_as_attended(steering, in_tenant):
    from samverka.modules.forums import overview
    from samverka.modules.forums.models import AttendanceStatus

    _coordinator, _member, made = steering
    statuses = {"ifo": AttendanceStatus.digital, "bup": AttendanceStatus.stand_in}
    _attend(in_tenant, made, {"school", "ifo", "bup"}, statuses)
    with in_tenant("amal"):
        rows = overview.attendance_by_organisation(overview.active_forums())
    assert all(r.rate == 1 for r in rows)


def test_attendance_window_counts_only_the_last_n_held_meetings(steering, in_tenant):
    from samverka.modules.forums import overview

    _coordinator, _member, made = steering
    _attend(in_tenant, made, {"school"})
    with in_tenant("amal"):
        rows = overview.attendance_by_organisation(overview.active_forums(), window=3)
    assert {r.expected for r in rows} == {3}


def test_overdue_action_appears_on_coordinator_start_page(steering, in_tenant, login):
    coordinator, _member, made = steering
    _add_action(
        in_tenant, made, "Ta fram lägesbild för skolfrånvaro", local_today() - timedelta(days=5)
    )
    _add_action(in_tenant, made, "Boka lokal till hösten", local_today() + timedelta(days=20))
    html = login(coordinator).get("/k/amal/").get_data(as_text=True)
    overdue = html.split('id="overdue"', 1)[1].split("</section>", 1)[0]
    assert "Ta fram lägesbild för skolfrånvaro" in overdue
    assert "Boka lokal till hösten" not in overdue


def test_coordinator_page_flags_bup_as_missing(steering, in_tenant, login):
    coordinator, _member, made = steering
    _attend(in_tenant, made, {"school", "ifo"})
    html = login(coordinator).get("/k/amal/?moten=3").get_data(as_text=True)
    attendance = html.split('id="attendance"', 1)[1].split("</section>", 1)[0]
    table = attendance.split("<table", 1)[1]  # the chart above repeats the names
    bup_row = next(r for r in table.split("<tr>") if "(BUP)" in r)
    assert "0 %" in bup_row and "Saknas ofta" in bup_row and "0 av 3" in bup_row
    assert '<option value="3" selected>' in attendance


def test_bad_window_falls_back_to_default(steering, login):
    coordinator, _member, _made = steering
    response = login(coordinator).get("/k/amal/?moten=abc")
    assert response.status_code == 200
    assert '<option value="6" selected>' in response.get_data(as_text=True)


def test_term_counts_held_against_planned(in_tenant, make_forum):
    from samverka.modules.forums import overview
    from samverka.modules.forums.models import Meeting, MeetingState
    from tests.forums.conftest import local

    made = make_forum("amal", past=0, future=0)
    start, _end = overview.term_bounds(local_today())
    with in_tenant("amal") as session:
        days = [start + timedelta(days=n) for n in range(3)]
        states = [MeetingState.held, MeetingState.cancelled, MeetingState.planned]
        for day, state in zip(days, states, strict=True):
            session.add(
                Meeting(
                    forum_id=made["forum_id"],
                    starts_at=local(day),
                    ends_at=local(day) + timedelta(hours=1),
                    state=state,
                )
            )
        session.commit()
    now = local(start + timedelta(days=10))
    with in_tenant("amal"):
        term = overview.term_summary(overview.active_forums(), now)
    assert (term.held, term.due, term.rows[0].cancelled) == (1, 3, 1)


def test_term_bounds_are_spring_and_autumn():
    from samverka.modules.forums.overview import term_bounds

    assert term_bounds(date(2025, 3, 14)) == (date(2025, 1, 1), date(2025, 6, 30))
    assert term_bounds(date(2025, 7, 1)) == (date(2025, 7, 1), date(2025, 12, 31))


def test_forum_without_recent_meeting_is_listed_as_stale(make_forum, in_tenant):
    from samverka.modules.forums import overview

    fresh = make_forum("amal", name="Elevhälsan", past=2, future=1)
    idle = make_forum("amal", name="Familjecentralen", past=0, future=1)
    with in_tenant("amal"):
        stale = {s.forum.id for s in overview.stale_forums(overview.active_forums())}
        upcoming = overview.next_meetings(overview.active_forums())
    assert idle["forum_id"] in stale and fresh["forum_id"] not in stale
    assert all(row.meeting is not None for row in upcoming)


def test_member_sees_own_forums_meetings_and_actions_not_the_coordinator_overview(
    steering, in_tenant, make_forum, login
):
    _coordinator, member, made = steering
    other = make_forum("amal", name="Hemlig arbetsgrupp", past=0, future=1)
    _add_action(
        in_tenant, made, "Skicka kallelse till föräldramöte", local_today() + timedelta(days=2)
    )
    _add_action(in_tenant, other, "Någon annans åtgärd", local_today() - timedelta(days=2))
    html = login(member).get("/k/amal/").get_data(as_text=True)
    mine = html.split('id="mine"', 1)[1]
    assert "Styrgrupp barn och unga" in mine
    assert "Skicka kallelse till föräldramöte" in mine
    assert "Hemlig arbetsgrupp" not in html and "Någon annans åtgärd" not in html
    assert 'id="attendance"' not in html and 'id="overdue"' not in html


def test_empty_states_explain_what_to_do(create_user, login):
    coordinator = create_user(municipalities={"amal": "coordinator"})
    member = create_user(municipalities={"amal": "member"})
    coordinator_html = login(coordinator).get("/k/amal/").get_data(as_text=True)
    assert "Inga forum ännu" in coordinator_html and "Skapa" in coordinator_html
    member_html = login(member).get("/k/amal/").get_data(as_text=True)
    assert "Du är inte medlem i något forum ännu" in member_html


def test_foreign_tenant_start_page_is_404(create_user, login):
    member = create_user(municipalities={"amal": "member"})
    assert login(member).get("/k/bengtsfors/").status_code == 404


def test_coordinator_sees_attendance_and_term_as_charts_beside_the_tables(
    steering, in_tenant, login
):
    """Two SVG charts with the same numbers as the tables; the download script only where shown."""
    coordinator, member, made = steering
    _attend(in_tenant, made, {"school", "ifo"})
    html = login(coordinator).get("/k/amal/").get_data(as_text=True)
    attendance = html.split('id="attendance"', 1)[1].split("</section>", 1)[0]
    chart = attendance.split('id="attendance-chart"', 1)[1].split("</svg>", 1)[0]
    assert "0 %" in chart and "100 %" in chart  # BUP never came, the school always did
    assert "<table" in attendance  # the table stays as the text alternative
    term = html.split('id="term"', 1)[1].split("</section>", 1)[0]
    assert 'id="term-chart"' in term and "4 hållna" in term and "<table" in term
    assert "js/chart-download.js" in html

    member_html = login(member).get("/k/amal/").get_data(as_text=True)
    assert "<svg" not in member_html and "chart-download.js" not in member_html
