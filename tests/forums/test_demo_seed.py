"""The Dalsland demo: each municipality's real forums, a year of meetings and the coming term."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import sqlalchemy as sa

TODAY = date(2026, 11, 23)
SCHOOL_YEAR = (date(2026, 8, 1), date(2027, 7, 31))


def _seed(app, *slugs: str) -> dict[str, int]:
    from samverka.modules.forums.demo_seed import seed_forums

    with app.app_context():
        return seed_forums(TODAY, set(slugs) or None)


def _forum(session, name: str):
    from samverka.modules.forums.models import Forum

    forum = session.scalar(sa.select(Forum).where(Forum.name == name))
    assert forum is not None, name
    return forum


def _counts(in_tenant, slug: str) -> dict[str, int]:
    from samverka.modules.forums.models import Action, Attendance, Forum, Meeting, Organisation

    with in_tenant(slug) as session:
        return {
            model.__name__: session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (Organisation, Forum, Meeting, Attendance, Action)
        }


def test_each_municipality_gets_its_named_forums_with_their_real_cadences(app, in_tenant):
    from samverka.modules.forums.cadence import occurrences
    from samverka.modules.forums.models import CadenceKind

    created = _seed(app)
    assert created == {"amal": 6, "bengtsfors": 6, "dals-ed": 5, "fargelanda": 3, "mellerud": 8}

    with in_tenant("mellerud") as session:
        sspf = _forum(session, "SSPF arbetsgrupp Mellerud")
        assert (sspf.cadence_kind, sspf.cadence_interval) == (CadenceKind.weekly, 1)
        assert sspf.convener.role_title == "SSPF-koordinator"
        assert {o.type for o in sspf.organisations} >= {"school", "ifo", "police", "leisure"}
        steering = _forum(session, "SSPF styrgrupp Mellerud")
        assert len(occurrences(steering, date(2027, 1, 1), date(2027, 12, 31))) == 4
        children = _forum(session, "Barnsamverkan Mellerud")
        assert len(occurrences(children, *SCHOOL_YEAR)) == 2
        health = _forum(session, "Elevhälsans samverkansmöte Mellerud")
        assert (health.cadence_kind, health.cadence_interval) == (CadenceKind.every_n_weeks, 3)
        assert health.case_rule.value == "deidentified"

    with in_tenant("dals-ed") as session:
        for name in ("Barnsamverkan Dals-Ed", "Elevsamverkan Dals-Ed"):
            forum = _forum(session, name)
            assert forum.case_rule.value == "consent"
            days = occurrences(forum, *SCHOOL_YEAR)
            # Three per school year: one in the autumn, two in the spring.
            assert len(days) == 3
            assert [d.month >= 8 for d in days] == [True, False, False]

    with in_tenant("bengtsfors") as session:
        sspf = _forum(session, "SSPF arbetsgrupp Bengtsfors")
        assert (sspf.cadence_kind, sspf.cadence_interval) == (CadenceKind.monthly_weekday, 1)
        steering = _forum(session, "SSPF styrgrupp Bengtsfors")
        assert steering.level.value == "strategic" and steering.case_rule.value == "none"

    with in_tenant("amal") as session:
        first_line = _forum(session, "Tillsammans i första linjen")
        assert (first_line.cadence_kind, first_line.cadence_interval) == (
            CadenceKind.every_n_weeks,
            2,
        )
        assert "bup" in {o.type for o in first_line.organisations}
        _forum(session, "Styrgrupp Ungvux och familjecentral")

    with in_tenant("fargelanda") as session:
        _forum(session, "Elevhälsans samverkansmöte Färgelanda")


def test_a_year_of_held_meetings_with_attendance_minutes_and_the_coming_term_planned(
    app, in_tenant
):
    from samverka.modules.forums.models import MeetingState, MinutesStatus, MinutesVersion

    _seed(app, "mellerud", "dals-ed")
    with in_tenant("mellerud") as session:
        sspf = _forum(session, "SSPF arbetsgrupp Mellerud")
        held = [m for m in sspf.meetings if m.state == MeetingState.held]
        planned = [m for m in sspf.meetings if m.state == MeetingState.planned]
        cancelled = [m for m in sspf.meetings if m.state == MeetingState.cancelled]
        # Weekly, minus school breaks and a few cancellations: roughly 40 a year.
        assert 35 <= len(held) <= 52
        assert held[0].cadence_date <= TODAY - timedelta(days=330)
        assert all(m.cadence_date < TODAY for m in held + cancelled)
        assert all(m.cadence_date >= TODAY for m in planned)
        assert planned[-1].cadence_date >= date(2027, 5, 1)
        assert all(m.cancel_reason for m in cancelled)
        for meeting in held:
            assert len(meeting.attendance) == len(sspf.members)
            assert "<h4>Närvaro</h4>" in meeting.minutes_html
        assert held[-1].minutes_status == MinutesStatus.draft
        assert held[0].minutes_status == MinutesStatus.approved
        versions = session.scalar(
            sa.select(sa.func.count())
            .select_from(MinutesVersion)
            .where(MinutesVersion.meeting_id.in_([m.id for m in held]))
        )
        assert versions == len(held)
        assert planned[0].agenda_items, "the next meeting has its agenda"

    with in_tenant("dals-ed") as session:
        children = _forum(session, "Barnsamverkan Dals-Ed")
        assert [m.state for m in children.meetings].count(MeetingState.held) == 3


def test_bup_comes_clearly_less_often_than_the_school(app, in_tenant):
    from samverka.modules.forums.models import Attendance, AttendanceStatus, Organisation

    _seed(app)
    came = {AttendanceStatus.present, AttendanceStatus.digital, AttendanceStatus.stand_in}
    totals: Counter[str] = Counter()
    attended: Counter[str] = Counter()
    for slug in ("amal", "bengtsfors", "dals-ed", "fargelanda", "mellerud"):
        with in_tenant(slug) as session:
            rows = session.execute(
                sa.select(Organisation.type, Attendance.status).join(
                    Organisation, Attendance.organisation_id == Organisation.id
                )
            ).all()
        for org_type, status in rows:
            totals[org_type] += 1
            attended[org_type] += status in came
    rate = {t: attended[t] / totals[t] for t in totals}
    assert totals["bup"] >= 30 and totals["school"] >= 100
    assert rate["school"] > 0.8
    assert rate["bup"] < rate["school"] - 0.3
    assert rate["police"] < rate["school"]


def test_actions_are_done_open_and_overdue_and_the_demo_accounts_have_their_own(
    app, in_tenant, create_user
):
    from samverka.modules.forums.models import Action, ActionStatus, ForumMember

    coordinator = create_user(
        "samordnare.amal@demo.samverka.se", municipalities={"amal": "coordinator"}
    )
    member = create_user("medlem.amal@demo.samverka.se", municipalities={"amal": "member"})
    _seed(app, "amal", "bengtsfors")
    with in_tenant("amal") as session:
        actions = session.scalars(sa.select(Action)).all()
        states = Counter(
            (a.status, a.due_date < TODAY) for a in actions if a.status != ActionStatus.cancelled
        )
        assert states[(ActionStatus.done, True)] > 20
        assert states[(ActionStatus.open, True)] >= 3  # overdue
        assert states[(ActionStatus.open, False)] >= 3
        assert all(a.owner is not None and a.organisation_id for a in actions)
        for user in (coordinator, member):
            mine = session.scalars(
                sa.select(ForumMember).where(ForumMember.user_id == user.id)
            ).all()
            assert len({m.forum_id for m in mine}) >= 2
            owned = [a for a in actions if a.owner_member_id in {m.id for m in mine}]
            assert any(a.status == ActionStatus.open and a.due_date < TODAY for a in owned)
            assert any(a.status == ActionStatus.open and a.due_date >= TODAY for a in owned)
        convened = session.scalars(
            sa.select(ForumMember).where(
                ForumMember.user_id == coordinator.id, ForumMember.is_convener
            )
        ).all()
        assert convened, "the coordinator account convenes forums"

    with in_tenant("bengtsfors") as session:
        # Without demo accounts the forums are still seeded, with nobody linked.
        linked = session.scalar(
            sa.select(sa.func.count())
            .select_from(ForumMember)
            .where(ForumMember.user_id.is_not(None))
        )
        assert linked == 0


def test_minutes_never_name_a_case_and_consultations_stay_deidentified(app, in_tenant):
    from samverka.modules.forums.models import Forum, Meeting, MeetingState

    _seed(app, "bengtsfors")
    with in_tenant("bengtsfors") as session:
        rows = session.execute(
            sa.select(Forum.case_rule, Meeting.minutes_html)
            .join(Meeting, Meeting.forum_id == Forum.id)
            .where(Meeting.state == MeetingState.held)
        ).all()
    by_rule: dict[str, list[str]] = {}
    for rule, html in rows:
        by_rule.setdefault(rule.value, []).append(html)
    assert any("avidentifierade konsultationer" in h for h in by_rule["deidentified"])
    assert not any("samtycke" in h for h in by_rule["deidentified"])
    assert not any("ärenden lyftes" in h or "konsultation" in h for h in by_rule["none"])


def test_running_the_demo_again_keeps_what_people_changed(app, in_tenant):
    from samverka.demo_data import seed_demo_data
    from samverka.modules.forums.models import Meeting

    _seed(app)
    with in_tenant("mellerud") as session:
        forum = _forum(session, "SSPF arbetsgrupp Mellerud")
        forum.name = "SSPF Mellerud (omdöpt)"
        session.delete(session.scalars(sa.select(Meeting).limit(1)).one())
        session.commit()
    before = {slug: _counts(in_tenant, slug) for slug in ("mellerud", "amal")}

    assert _seed(app) == dict.fromkeys(
        ("amal", "bengtsfors", "dals-ed", "fargelanda", "mellerud"), 0
    )
    with app.app_context():
        seed_demo_data()  # the `samverka demo` path, with the seeder registered
    assert {slug: _counts(in_tenant, slug) for slug in ("mellerud", "amal")} == before
    with in_tenant("mellerud") as session:
        _forum(session, "SSPF Mellerud (omdöpt)")


def test_the_demo_seeds_an_empty_municipality_even_when_others_have_forums(
    app, in_tenant, make_forum
):
    make_forum("amal", name="Egen grupp")
    created = _seed(app, "amal", "mellerud")
    assert created == {"amal": 0, "mellerud": 8}
    assert _counts(in_tenant, "amal")["Forum"] == 1
