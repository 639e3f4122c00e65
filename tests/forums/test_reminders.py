"""Reminders: written once to the outbox, mailed when SMTP is configured, shown to coordinators."""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from samverka.clock import local_today
from tests.fixtures.jobs import run_queued_jobs


def _soon_meeting(in_tenant, made, hours: int = 24, location: str = "Stadshuset, rum 3") -> int:
    from samverka.modules.forums.models import Meeting

    start = (datetime.now(UTC) + timedelta(hours=hours)).replace(microsecond=0)
    with in_tenant("amal") as session:
        meeting = Meeting(
            forum_id=made["forum_id"],
            starts_at=start,
            ends_at=start + timedelta(minutes=90),
            location=location,
            minutes_html="<p>Hemlig anteckning om Kalle</p>",
        )
        session.add(meeting)
        session.commit()
        return meeting.id


def _action(in_tenant, made, title: str, due_in_days: int | None, owner_index=0) -> int:
    from samverka.modules.forums.models import Action

    due = local_today() + timedelta(days=due_in_days) if due_in_days is not None else None
    with in_tenant("amal") as session:
        owner = made["member_ids"][owner_index] if owner_index is not None else None
        action = Action(forum_id=made["forum_id"], title=title, owner_member_id=owner, due_date=due)
        session.add(action)
        session.commit()
        return action.id


def _outbox(in_tenant, slug: str = "amal") -> list:
    from samverka.modules.forums.models import OutboxMessage

    with in_tenant(slug) as session:
        messages = session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
        session.expunge_all()
        return list(messages)


def _run(app):
    from samverka.modules.forums.reminders import send_all

    with app.app_context():
        run = send_all()
    assert not run.failed
    return run


@pytest.fixture
def forum(make_forum):
    """Three members with addresses 0@, 1@ and 2@example.se; no meeting within 48 hours."""
    return make_forum(
        "amal",
        name="SSPF Åmål",
        members=[
            ("Anna Rektor", "school", None),
            ("Sara Soc", "ifo", None),
            ("Per", "police", None),
        ],
        past=1,
        future=1,
    )


def test_meeting_within_48_hours_reminds_every_member_once(app, forum, in_tenant):
    from samverka.modules.forums.models import Meeting

    meeting_id = _soon_meeting(in_tenant, forum)
    _soon_meeting(in_tenant, forum, hours=72)  # too far ahead for now
    first = _run(app)
    assert first.results["amal"].meetings == 1
    messages = _outbox(in_tenant)
    assert sorted(m.to_address for m in messages) == [
        "0@example.se",
        "1@example.se",
        "2@example.se",
    ]
    assert {m.kind for m in messages} == {"meeting_reminder"}
    body = messages[0].body
    assert "SSPF Åmål" in body and "Stadshuset, rum 3" in body and "påminnelse" in body
    assert "Hemlig anteckning" not in body and "Kalle" not in body and "Anna" not in body
    with in_tenant("amal") as session:
        assert session.get(Meeting, meeting_id).reminder_sent_at is not None

    second = _run(app)
    assert second.results["amal"].written == 0
    assert len(_outbox(in_tenant)) == 3


def test_member_without_email_is_skipped(app, forum, in_tenant):
    from samverka.modules.forums.models import ForumMember

    with in_tenant("amal") as session:
        session.get(ForumMember, forum["member_ids"][1]).email = None
        session.commit()
    _soon_meeting(in_tenant, forum)
    _run(app)
    assert sorted(m.to_address for m in _outbox(in_tenant)) == ["0@example.se", "2@example.se"]


def test_inactive_member_and_cancelled_meeting_get_no_reminder(app, forum, in_tenant):
    from samverka.modules.forums.models import ForumMember, Meeting, MeetingState

    with in_tenant("amal") as session:
        session.get(ForumMember, forum["member_ids"][2]).active = False
        session.commit()
    cancelled = _soon_meeting(in_tenant, forum, hours=10)
    with in_tenant("amal") as session:
        session.get(Meeting, cancelled).state = MeetingState.cancelled
        session.commit()
    _soon_meeting(in_tenant, forum, hours=30)
    _run(app)
    assert sorted(m.to_address for m in _outbox(in_tenant)) == ["0@example.se", "1@example.se"]


def test_action_due_soon_or_overdue_reminds_its_owner_once(app, forum, in_tenant):
    _action(in_tenant, forum, "Kontakta fritidsgården", 2, owner_index=1)
    _action(in_tenant, forum, "Skicka lägesbild", -4, owner_index=2)
    _action(in_tenant, forum, "Planera hösten", 10)
    _action(in_tenant, forum, "Utan ansvarig", 1, owner_index=None)  # goes to the convener
    _run(app)
    messages = _outbox(in_tenant)
    by_address = {m.to_address: m for m in messages}
    assert set(by_address) == {"1@example.se", "2@example.se", "0@example.se"}
    assert "Kontakta fritidsgården" in by_address["1@example.se"].body
    assert "försenad" in by_address["2@example.se"].subject
    assert "Planera hösten" not in "".join(m.body for m in messages)
    _run(app)
    assert len(_outbox(in_tenant)) == 3


def test_reminders_stay_in_their_municipality(app, make_forum, in_tenant):
    amal = make_forum("amal", future=0)
    make_forum("bengtsfors", future=0)
    _soon_meeting(in_tenant, amal)
    run = _run(app)
    assert run.results["amal"].written == 2 and run.results["bengtsfors"].written == 0
    assert _outbox(in_tenant, "bengtsfors") == []


class FakeSMTP:
    """Records what would go out; refuses one address to prove the others still go."""

    sent: list = []
    refuse = "1@example.se"

    def __init__(self, host, port, timeout=None):
        self.host = host

    def ehlo(self):
        return (250, b"ok")

    def has_extn(self, name):
        return False

    def login(self, user, password):
        pass

    def send_message(self, message):
        if message["To"] == self.refuse:
            raise smtplib.SMTPRecipientsRefused({self.refuse: (550, b"no such user 1@example.se")})
        FakeSMTP.sent.append(message)

    def quit(self):
        pass


def test_with_smtp_messages_are_sent_and_failures_recorded(app, forum, in_tenant, monkeypatch):
    from samverka.modules.forums import mailer

    settings = app.config["SETTINGS"].replace(smtp_host="smtp.example.se", smtp_port=25)
    monkeypatch.setitem(app.config, "SETTINGS", settings)
    monkeypatch.setattr(mailer.smtplib, "SMTP", FakeSMTP)
    FakeSMTP.sent = []
    _soon_meeting(in_tenant, forum)
    run = _run(app)
    assert run.results["amal"].sent == 2
    assert sorted(m["To"] for m in FakeSMTP.sent) == ["0@example.se", "2@example.se"]
    assert FakeSMTP.sent[0]["Subject"].startswith("Påminnelse")
    by_address = {m.to_address: m for m in _outbox(in_tenant)}
    assert by_address["0@example.se"].sent_at is not None
    refused = by_address["1@example.se"]
    assert refused.sent_at is None and refused.error.startswith("SMTPRecipientsRefused")
    assert "example.se" not in refused.error  # the server's text may echo the address


def test_unreachable_smtp_is_recorded_not_raised(app, forum, in_tenant, monkeypatch):
    from samverka.modules.forums import mailer

    def down(*args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    settings = app.config["SETTINGS"].replace(smtp_host="smtp.example.se", smtp_port=587)
    monkeypatch.setitem(app.config, "SETTINGS", settings)
    monkeypatch.setattr(mailer.smtplib, "SMTP", down)
    _soon_meeting(in_tenant, forum)
    _run(app)
    messages = _outbox(in_tenant)
    assert len(messages) == 3
    assert all(m.sent_at is None and m.error == "ConnectionRefusedError" for m in messages)


def test_job_and_cli_run_the_reminders(app, forum, in_tenant):
    from samverka.cli import cli
    from samverka.extensions import db
    from samverka.modules.forums.tasks import send_reminders
    from samverka.modules.jobs.enqueue import enqueue_platform
    from samverka.modules.jobs.models import JobRecord, JobStatus

    _soon_meeting(in_tenant, forum)
    with app.app_context():
        job_id = enqueue_platform(send_reminders).id
        db.session.commit()  # jobs run after commit (synchronously, or on RQ below)
    run_queued_jobs(app)
    with app.app_context():
        assert db.session.get(JobRecord, job_id).status == JobStatus.finished
    assert len(_outbox(in_tenant)) == 3

    _soon_meeting(in_tenant, forum, hours=40)
    result = app.test_cli_runner().invoke(cli, ["forums", "send-reminders"])
    assert result.exit_code == 0, result.output
    assert "amal" in result.output and "messages=3" in result.output
    assert len(_outbox(in_tenant)) == 6


def test_outbox_page_shows_what_would_have_been_sent(app, forum, in_tenant, create_user, login):
    coordinator = create_user(municipalities={"amal": "coordinator"})
    _soon_meeting(in_tenant, forum)
    _run(app)
    html = login(coordinator).get("/k/amal/utkorg").get_data(as_text=True)
    assert "Påminnelse: SSPF Åmål" in html and "0@example.se" in html
    assert "skulle ha skickats" in html


def test_outbox_is_paginated_newest_first(app, create_user, login, in_tenant):
    from samverka.modules.forums.models import OutboxMessage

    coordinator = create_user(municipalities={"amal": "coordinator"})
    start = datetime(2025, 1, 1, tzinfo=UTC)
    with in_tenant("amal") as session:
        for n in range(30):
            session.add(
                OutboxMessage(
                    kind="meeting_reminder",
                    to_address="x@example.se",
                    subject=f"Meddelande {n:02d}",
                    body="-",
                    created_at=start + timedelta(hours=n),
                )
            )
        session.commit()
    client = login(coordinator)
    first = client.get("/k/amal/utkorg").get_data(as_text=True)
    assert "Meddelande 29" in first and "Meddelande 04" not in first
    assert first.index("Meddelande 29") < first.index("Meddelande 28")
    second = client.get("/k/amal/utkorg?sida=2").get_data(as_text=True)
    assert "Meddelande 04" in second and "Meddelande 29" not in second


def test_outbox_page_is_403_for_a_plain_member(create_user, login):
    member = create_user(municipalities={"amal": "member"})
    assert login(member).get("/k/amal/utkorg").status_code == 403


def test_outbox_page_of_a_foreign_municipality_is_404(create_user, login):
    coordinator = create_user(municipalities={"amal": "coordinator"})
    assert login(coordinator).get("/k/bengtsfors/utkorg").status_code == 404


def test_outbox_nav_entry_only_for_coordinators(create_user, login):
    coordinator = create_user(municipalities={"amal": "coordinator"})
    member = create_user(municipalities={"amal": "member"})
    assert 'href="/k/amal/utkorg"' in login(coordinator).get("/k/amal/").get_data(as_text=True)
    member_page = login(member).get("/k/amal/").get_data(as_text=True)
    assert 'href="/k/amal/utkorg"' not in member_page
    assert 'href="/k/amal/kalender"' in member_page


# --- security review: one bad message must not stop the rest --------------------------------


def _with_smtp(app, monkeypatch):
    from samverka.modules.forums import mailer

    settings = app.config["SETTINGS"].replace(smtp_host="smtp.example.se", smtp_port=25)
    monkeypatch.setitem(app.config, "SETTINGS", settings)
    monkeypatch.setattr(mailer.smtplib, "SMTP", FakeSMTP)
    monkeypatch.setattr(FakeSMTP, "refuse", "nobody")
    FakeSMTP.sent = []


def test_a_line_break_in_a_forum_name_does_not_stop_the_reminders(
    app, make_forum, in_tenant, monkeypatch
):
    from samverka.modules.forums.models import Forum

    _with_smtp(app, monkeypatch)
    bad = make_forum("amal", name="Trasigt", future=0)
    good = make_forum("amal", name="SSPF Åmål", future=0)
    with in_tenant("amal") as session:  # saved before names were checked
        session.get(Forum, bad["forum_id"]).name = "SSPF\r\nBcc: alla@example.se"
        session.commit()
    _soon_meeting(in_tenant, bad)
    _soon_meeting(in_tenant, good)
    run = _run(app)
    assert run.results["amal"].sent == 4
    subjects = sorted(str(m["Subject"]) for m in FakeSMTP.sent)
    assert subjects[0].startswith("Påminnelse: SSPF Bcc: alla@example.se")
    assert all("\n" not in s and "\r" not in s for s in subjects)
    assert all(m["Bcc"] is None for m in FakeSMTP.sent)
    assert all(m.sent_at is not None for m in _outbox(in_tenant))


def test_a_message_that_cannot_be_built_is_noted_and_the_others_go(
    app, forum, in_tenant, monkeypatch
):
    from samverka.modules.forums.models import ForumMember

    _with_smtp(app, monkeypatch)
    with in_tenant("amal") as session:  # an address header with a line break raises ValueError
        session.get(ForumMember, forum["member_ids"][0]).email = "0@example.se\nBcc: x@example.se"
        session.commit()
    _soon_meeting(in_tenant, forum)
    run = _run(app)
    assert run.results["amal"].sent == 2
    by_address = {m.to_address.split("\n")[0]: m for m in _outbox(in_tenant)}
    broken = by_address["0@example.se"]
    assert broken.sent_at is None and broken.error == "ValueError"
    assert by_address["1@example.se"].sent_at is not None
    assert by_address["2@example.se"].sent_at is not None


def test_unsent_messages_of_a_stopped_run_go_out_with_the_next_run(
    app, forum, in_tenant, monkeypatch
):
    from samverka.modules.forums.models import OutboxMessage

    _with_smtp(app, monkeypatch)
    now = datetime.now(UTC)
    with in_tenant("amal") as session:
        for subject, created, error in (
            ("Väntar", now - timedelta(hours=3), None),
            ("För gammal", now - timedelta(days=3), None),
            ("Misslyckad", now - timedelta(hours=3), "SMTPRecipientsRefused"),
        ):
            session.add(
                OutboxMessage(
                    kind="meeting_reminder",
                    to_address="0@example.se",
                    subject=subject,
                    body="-",
                    created_at=created,
                    error=error,
                )
            )
        session.commit()
    run = _run(app)  # nothing new is due: only the waiting message goes
    assert run.results["amal"].written == 0 and run.results["amal"].sent == 1
    assert [m["Subject"] for m in FakeSMTP.sent] == ["Väntar"]
    state = {m.subject: m.sent_at is not None for m in _outbox(in_tenant)}
    assert state == {"Väntar": True, "För gammal": False, "Misslyckad": False}
    _run(app)
    assert len(FakeSMTP.sent) == 1  # sent once only


def test_outbox_says_what_happened_to_each_message(app, create_user, login, in_tenant, monkeypatch):
    """Sent, failed, queued and never-to-be-sent read differently, whatever SMTP is now."""
    from samverka.modules.forums.models import OutboxMessage

    coordinator = create_user(municipalities={"amal": "coordinator"})
    now = datetime.now(UTC)
    rows = {
        "Skickad": {"sent_at": now - timedelta(hours=1)},
        "Misslyckad": {"error": "SMTPRecipientsRefused (550)"},
        "Köad": {},
        "Gammal": {"created_at": now - timedelta(days=10)},
    }
    with in_tenant("amal") as session:
        for subject, values in rows.items():
            values.setdefault("created_at", now - timedelta(hours=2))
            session.add(
                OutboxMessage(
                    kind="meeting_reminder",
                    to_address="x@example.se",
                    subject=subject,
                    body="-",
                    **values,
                )
            )
        session.commit()
    client = login(coordinator)

    def status_of(html: str, subject: str) -> str:
        return html.split(f"<summary>{subject}</summary>", 1)[1].split("</tr>", 1)[0]

    without = client.get("/k/amal/utkorg").get_data(as_text=True)
    assert "Skickat" in status_of(without, "Skickad")
    assert "Kunde inte skickas" in status_of(without, "Misslyckad")
    for subject in ("Köad", "Gammal"):
        assert "ingen e-postserver är inställd" in status_of(without, subject)

    settings = app.config["SETTINGS"].replace(smtp_host="smtp.example.se", smtp_port=25)
    monkeypatch.setitem(app.config, "SETTINGS", settings)
    html = client.get("/k/amal/utkorg").get_data(as_text=True)
    assert "I kö" in status_of(html, "Köad")
    assert "Inte skickat" in status_of(html, "Gammal") and "I kö" not in status_of(html, "Gammal")
    assert "Samverka har skickat" not in html


# --- a job may run twice (a lost worker, a re-queue): each reminder is mailed once ----------


def test_a_reminder_is_mailed_once_when_the_job_runs_twice(app, forum, in_tenant, monkeypatch):
    """The first run mails, then dies before it records ``sent_at``; the retry must not re-mail."""
    from samverka.extensions import db
    from samverka.modules.forums.tasks import send_reminders
    from samverka.modules.jobs.enqueue import enqueue_platform
    from samverka.modules.jobs.models import JobRecord, JobStatus

    _with_smtp(app, monkeypatch)
    crashes = iter([True])

    def quit_then_crash(self):
        if next(crashes, False):
            raise RuntimeError("worker lost before commit")

    monkeypatch.setattr(FakeSMTP, "quit", quit_then_crash)
    _soon_meeting(in_tenant, forum)
    with app.app_context():
        job_id = enqueue_platform(send_reminders).id
        db.session.commit()
    run_queued_jobs(app)

    with app.app_context():
        record = db.session.get(JobRecord, job_id)
        assert record.status == JobStatus.finished and record.attempts == 2
    assert sorted(m["To"] for m in FakeSMTP.sent) == [
        "0@example.se",
        "1@example.se",
        "2@example.se",
    ]
