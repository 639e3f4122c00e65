"""Forum activity for the region: counts computed inside each municipality, nothing personal leaves."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from samverka.clock import local_today
from tests.forums.conftest import local

REGION = "vastra-gotalandsregionen"
PAGE = f"/r/{REGION}/forumaktivitet"
RECOMPUTE = f"{PAGE}/rakna-om"
NAMES = ("Åsa Öberg", "Örjan Ärlig", "Per Polis", "Kim Ersättare", "Bo Bengtsson")
FORUM_NAMES = ("SSPF Åmål hemlig", "Styrgruppen Åmål", "Elevhälsan pausad", "SSPF Bengtsfors")


def _quarters():
    from samverka.modules.region.aggregate import last_quarters, quarter_start

    today = local_today()
    current, previous = last_quarters(today, 2)[::-1]
    return today, current, previous, quarter_start(current) - timedelta(days=20)


def _meeting(forum_id, day, state, cadence=True, hour=9):
    from samverka.modules.forums.models import Meeting

    return Meeting(
        forum_id=forum_id,
        starts_at=local(day, time(hour)),
        ends_at=local(day, time(hour, 45)),
        state=state,
        cadence_date=day if cadence else None,
    )


@pytest.fixture
def seeded(make_forum, in_tenant):
    """Åmål: six held meetings today with attendance, history last quarter; Bengtsfors: one meeting."""
    from samverka.modules.forums.models import Attendance, Forum, ForumState
    from samverka.modules.forums.models import AttendanceStatus as S
    from samverka.modules.forums.models import MeetingState as M

    today, _current, _previous, last_quarter_day = _quarters()
    sspf = make_forum(
        "amal",
        name=FORUM_NAMES[0],
        members=[(NAMES[0], "school", None), (NAMES[1], "ifo", None), (NAMES[2], "police", None)],
        past=0,
        future=0,
    )
    make_forum("amal", name=FORUM_NAMES[1], forum_type="steering", past=0, future=0)
    paused = make_forum("amal", name=FORUM_NAMES[2], forum_type="student_health", past=0, future=0)
    bengtsfors = make_forum(
        "bengtsfors", name=FORUM_NAMES[3], members=[(NAMES[4], "school", None)], past=0, future=0
    )
    school, ifo, police = sspf["member_ids"]
    ifo_status = [S.present, S.present, S.present, S.digital, S.absent, S.absent]
    with in_tenant("amal") as session:
        session.get(Forum, paused["forum_id"]).state = ForumState.paused
        held = [_meeting(sspf["forum_id"], today, M.held, hour=7 + n) for n in range(6)]
        session.add_all(held)
        session.add_all(
            [
                _meeting(sspf["forum_id"], today, M.held, cadence=False, hour=15),  # extra
                _meeting(sspf["forum_id"], last_quarter_day, M.held),
                _meeting(sspf["forum_id"], last_quarter_day - timedelta(days=7), M.cancelled),
                _meeting(sspf["forum_id"], today + timedelta(days=40), M.planned),
                _meeting(sspf["forum_id"], today - timedelta(days=1200), M.held),
                _meeting(paused["forum_id"], last_quarter_day, M.held),
            ]
        )
        session.flush()
        for n, meeting in enumerate(held):
            session.add(Attendance(meeting_id=meeting.id, member_id=school, status=S.present))
            session.add(Attendance(meeting_id=meeting.id, member_id=ifo, status=ifo_status[n]))
        session.add(
            Attendance(
                meeting_id=held[0].id, member_id=police, status=S.stand_in, stand_in_name=NAMES[3]
            )
        )
        session.add(Attendance(meeting_id=held[1].id, member_id=police, status=S.excused))
        session.commit()
    with in_tenant("bengtsfors") as session:
        meeting = _meeting(bengtsfors["forum_id"], today, M.held)
        session.add(meeting)
        session.flush()
        session.add(
            Attendance(
                meeting_id=meeting.id, member_id=bengtsfors["member_ids"][0], status=S.present
            )
        )
        session.commit()


def _compute(app):
    from samverka.extensions import db
    from samverka.modules.jobs.enqueue import enqueue_platform
    from samverka.modules.region.tasks import compute_forum_activity
    from tests.fixtures.jobs import run_queued_jobs

    with app.app_context():
        job = enqueue_platform(compute_forum_activity)
        job_id = job.id
        db.session.commit()
    run_queued_jobs(app)
    return job_id


def _shared(app, model, slug):
    from samverka.extensions import db
    from samverka.modules.tenancy.queries import tenant_by_slug

    with app.app_context():
        tenant_id = tenant_by_slug(slug).id
        rows = db.session.scalars(sa.select(model).where(model.tenant_id == tenant_id)).all()
        db.session.expunge_all()
        return rows


def test_aggregates_count_forums_meetings_and_attendance(app, seeded):
    from samverka.extensions import db
    from samverka.modules.jobs.models import JobRecord
    from samverka.modules.region.models import AttendanceRate, ForumActivity

    job_id = _compute(app)
    with app.app_context():
        job = db.session.get(JobRecord, job_id)
        assert job.status.value == "finished", job.error
        assert job.progress == 100
    _today, current, previous, _ = _quarters()
    activity = {(r.quarter, r.forum_type, r.level): r for r in _shared(app, ForumActivity, "amal")}
    sspf_now = activity[(current, "sspf_working", "operational")]
    assert (sspf_now.forums, sspf_now.meetings_planned, sspf_now.meetings_held) == (1, 6, 7)
    sspf_before = activity[(previous, "sspf_working", "operational")]
    assert (sspf_before.meetings_planned, sspf_before.meetings_held) == (2, 1)
    steering = activity[(current, "steering", "strategic")]
    assert (steering.forums, steering.meetings_planned, steering.meetings_held) == (1, 0, 0)
    paused = activity[(previous, "student_health", "consultation")]
    assert (paused.forums, paused.meetings_planned, paused.meetings_held) == (0, 1, 1)
    assert (current, "student_health", "consultation") not in activity  # paused, no meetings
    assert len({r[0] for r in activity}) == 8  # eight quarters, the old meeting outside
    rates = {
        (r.quarter, r.organisation_type): (r.expected, r.attended)
        for r in _shared(app, AttendanceRate, "amal")
    }
    assert rates == {
        (current, "school"): (6, 6),
        (current, "ifo"): (6, 4),
        (current, "police"): (2, 1),
    }
    assert {
        (r.organisation_type, r.expected) for r in _shared(app, AttendanceRate, "bengtsfors")
    } == {("school", 1)}


def test_recomputing_replaces_rows_instead_of_adding(app, seeded):
    from samverka.modules.region.models import ForumActivity

    _compute(app)
    first = len(_shared(app, ForumActivity, "amal"))
    _compute(app)
    assert len(_shared(app, ForumActivity, "amal")) == first


def test_shared_tables_hold_no_names(app, seeded):
    from samverka.db.base import SHARED, Base
    from samverka.extensions import db

    _compute(app)
    texts = []
    with app.app_context():
        for table in Base.metadata.sorted_tables:
            if table.schema != SHARED:
                continue
            columns = [
                c for c in table.columns if isinstance(c.type, sa.String | sa.Text | sa.JSON)
            ]
            if columns:
                texts += [str(v) for row in db.session.execute(sa.select(*columns)) for v in row]
    joined = "\n".join(texts)
    assert joined  # the scan saw rows
    for secret in NAMES + FORUM_NAMES:
        assert secret not in joined


def test_page_compares_municipalities_and_suppresses_small_counts(app, seeded, create_user, login):
    _compute(app)
    client = login(create_user(regions={REGION: "facilitator"}))
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    _today, current, _previous, _ = _quarters()
    amal = re.search(
        r'<tr><th scope="row">Åmåls kommun</th>(.*?)</tr>',
        html.split('id="meetings-heading"')[1],
        re.S,
    )
    assert "7 / 6" in amal.group(1)  # held / planned this quarter
    attendance = html.split('id="attendance-heading"')[1]
    amal_rates = re.search(r"Åmåls kommun</th>(.*?)</tr>", attendance, re.S).group(1)
    assert "100&nbsp;%" in amal_rates and "67&nbsp;%" in amal_rates
    assert "–" in amal_rates and "färre än 5 registreringar" in amal_rates  # police: 2 expected
    bengtsfors = re.search(r"Bengtsfors kommun</th>(.*?)</tr>", attendance, re.S).group(1)
    assert "100&nbsp;%" not in bengtsfors  # one registration: suppressed
    total = re.search(r"Regionen totalt</th>(.*?)</tr>", attendance, re.S).group(1)
    assert "100&nbsp;%" in total  # 7 of 7 school registrations across the region
    assert 'role="img"' in html and '<title id="meetings-chart-title">' in html
    assert "Siffrorna räknades fram" in html
    assert current in html
    assert RECOMPUTE not in html  # facilitators read; only analysts recompute
    for secret in NAMES + FORUM_NAMES:
        assert secret not in html


def test_empty_state_before_any_computation(create_user, login):
    client = login(create_user(regions={REGION: "analyst"}))
    html = client.get(PAGE).get_data(as_text=True)
    assert "Inga siffror ännu — räkna om" in html
    assert RECOMPUTE in html


def test_municipal_user_gets_404(create_user, login):
    client = login(create_user(municipalities={"amal": "coordinator"}))
    assert client.get(PAGE).status_code == 404


@pytest.fixture
def other_region(app):
    from samverka.extensions import db
    from samverka.modules.tenancy.models import Tenant, TenantKind

    with app.app_context():
        region = Tenant(
            slug="test-annan-region", name="Annan region", kind=TenantKind.region, code="99"
        )
        db.session.add(region)
        db.session.commit()
        region_id = region.id
    yield "test-annan-region"
    with app.app_context():
        db.session.execute(sa.delete(Tenant).where(Tenant.id == region_id))
        db.session.commit()


def test_analyst_of_another_region_gets_404(other_region, create_user, login):
    client = login(create_user(regions={other_region: "analyst"}))
    assert client.get(f"/r/{other_region}/forumaktivitet").status_code == 200
    assert client.get(PAGE).status_code == 404
    assert client.post(RECOMPUTE, data={}).status_code in {400, 404}


def test_recompute_needs_csrf_and_the_analyst_role(app, seeded, create_user, login):
    from samverka.extensions import db
    from samverka.modules.jobs.models import JobRecord
    from samverka.modules.region.models import ForumActivity
    from tests.conftest import csrf_token

    def jobs():
        with app.app_context():
            return db.session.scalar(sa.select(sa.func.count()).select_from(JobRecord))

    steward = login(create_user(regions={REGION: "steward"}))
    assert (
        steward.post(RECOMPUTE, data={"csrf_token": csrf_token(steward, PAGE)}).status_code == 403
    )
    analyst = login(create_user(regions={REGION: "analyst"}))
    assert analyst.post(RECOMPUTE, data={}).status_code == 400
    assert jobs() == 0
    response = analyst.post(RECOMPUTE, data={"csrf_token": csrf_token(analyst, PAGE)})
    assert response.status_code == 302
    job_url = response.headers["Location"]
    assert re.search(r"/jobb/[0-9a-f-]{36}$", job_url)
    from tests.fixtures.jobs import run_queued_jobs

    run_queued_jobs(app)
    assert "Klart" in analyst.get(job_url).get_data(as_text=True)
    assert _shared(app, ForumActivity, "amal")
    assert "Inga siffror ännu" not in analyst.get(PAGE).get_data(as_text=True)


def test_cli_computes_one_region(app, seeded):
    from samverka.cli import cli
    from samverka.modules.region.models import ForumActivity

    result = app.test_cli_runner().invoke(
        cli, ["region", "compute-forum-activity", "--region", REGION]
    )
    assert result.exit_code == 0, result.output
    assert "5 kommuner beräknade" in result.output
    assert _shared(app, ForumActivity, "amal")
    bad = app.test_cli_runner().invoke(cli, ["region", "compute-forum-activity", "--region", "nej"])
    assert bad.exit_code != 0


def test_the_job_page_names_the_job_in_swedish_and_links_back(app, seeded, create_user, login):
    from tests.conftest import csrf_token
    from tests.fixtures.jobs import run_queued_jobs

    analyst = login(create_user(regions={REGION: "analyst"}))
    response = analyst.post(RECOMPUTE, data={"csrf_token": csrf_token(analyst, PAGE)})
    job_url = response.headers["Location"]
    run_queued_jobs(app)
    for page in (analyst.get(job_url), analyst.get("/jobb")):
        html = page.get_data(as_text=True)
        assert "Räkna om forumaktiviteten" in html
        assert "region.compute_forum_activity" not in html
    assert f'href="{PAGE}"' in analyst.get(job_url).get_data(as_text=True)
