"""Meetings for the demo: held ones with attendance, minutes, decisions and actions."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from samverka.clock import to_utc
from samverka.extensions import db
from samverka.modules.forums import cadence
from samverka.modules.forums.demo_content import ForumSpec
from samverka.modules.forums.demo_texts import CANCEL_REASONS, OPENING, texts_for
from samverka.modules.forums.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Decision,
    Forum,
    ForumMember,
    Meeting,
    MeetingState,
    MinutesStatus,
    MinutesVersion,
)

#: Attendance by organisation type: chances of present, digital, excused, stand-in (rest absent).
#: BUP is hard to get to the table in every Dalsland municipality; police are often called away.
ATTENDANCE = {
    "school": (0.84, 0.05, 0.07, 0.02),
    "student_health": (0.82, 0.06, 0.08, 0.0),
    "preschool": (0.82, 0.04, 0.09, 0.02),
    "ifo": (0.72, 0.08, 0.12, 0.03),
    "police": (0.52, 0.08, 0.28, 0.04),
    "leisure": (0.72, 0.03, 0.17, 0.0),
    "bup": (0.18, 0.14, 0.26, 0.0),
    "bvc": (0.68, 0.1, 0.16, 0.0),
    "mvc": (0.6, 0.1, 0.2, 0.0),
    "primary_care": (0.55, 0.2, 0.15, 0.0),
}
DEFAULT_ATTENDANCE = (0.72, 0.08, 0.13, 0.02)
CANCEL_RATE = 0.05


def _at(day: date, hour: int = 12) -> datetime:
    return to_utc(day, time(hour))


@dataclass
class ForumRun:
    """One forum being seeded: its own random stream and the actions raised so far."""

    forum: Forum
    spec: ForumSpec
    rnd: random.Random
    actions: list[Action] = field(default_factory=list)


class MeetingWriter:
    """Writes one municipality's meetings into the bound session (no commit)."""

    def __init__(
        self, today: date, until: date, approver: int | None, spare_names: list[str]
    ) -> None:
        self.today = today
        self.until = until
        self.approver = approver
        self.spare_names = spare_names

    def meetings(self, run: ForumRun) -> list[Meeting]:
        """The cadence's meetings from a year ago to the coming term's end; the held ones.

        Built like ``cadence.generate_meetings`` (same dates, times and agenda skeleton) but
        added in bulk: generating one by one flushes per meeting, several times slower.
        """
        forum = run.forum
        skeleton = forum.agenda_skeleton or []
        held = []
        days = cadence.occurrences(forum, forum.cadence_start, self.until)
        past = [d for d in days if d < self.today]
        for day in days:
            starts, ends = cadence.meeting_times(forum, day)
            meeting = Meeting(
                forum=forum,
                starts_at=starts,
                ends_at=ends,
                location=forum.location or "",
                state=MeetingState.planned,
                cadence_date=day,
                agenda_items=[
                    AgendaItem(position=position * 10, title=title[:300])
                    for position, title in enumerate(skeleton, start=1)
                ],
            )
            if day < self.today:
                # Never cancel the latest one: its minutes are the fresh draft on the forum page.
                if day != past[-1] and run.rnd.random() < CANCEL_RATE:
                    meeting.state = MeetingState.cancelled
                    meeting.cancel_reason = run.rnd.choice(CANCEL_REASONS)
                else:
                    meeting.state = MeetingState.held
                    held.append(meeting)
            db.session.add(meeting)
        return held

    def held(self, run: ForumRun, meeting: Meeting, last: bool) -> None:
        rnd, forum = run.rnd, run.forum
        day = meeting.cadence_date
        present, missing = [], []
        rows = []
        for member in forum.members:
            status = self._attendance(rnd, member)
            row = Attendance(
                meeting=meeting,
                member=member,
                organisation_id=member.organisation.id,
                status=status,
                stand_in_name=self.spare_names[rnd.randrange(200)]
                if status == AttendanceStatus.stand_in
                else None,
            )
            rows.append(row)
            absent = status in (AttendanceStatus.excused, AttendanceStatus.absent)
            (missing if absent else present).append(member)
        db.session.add_all(rows)

        texts = texts_for(forum.forum_type, forum.case_rule.value, forum.level.value)
        earlier = [a for a in run.actions if a.meeting.cadence_date < day]
        done = sum(1 for a in earlier if a.done_at and a.done_at.date() <= day)
        detail = (
            f": {done} av {len(earlier)} är klara" if earlier else ": inga öppna sedan tidigare"
        )
        parts = [OPENING.format(detail=detail)]
        parts.append(f"<h4>Närvaro</h4><p>{len(present)} av {len(forum.members)} närvarande.")
        if missing:
            parts[-1] += (
                " Förhinder eller frånvaro: " + "; ".join(m.role_title for m in missing) + "."
            )
        parts[-1] += "</p>"
        for heading, paragraph in rnd.sample(texts.topics, k=min(2, len(texts.topics))):
            parts.append(f"<h4>{heading}</h4><p>{paragraph.format(cases=rnd.randint(2, 4))}</p>")
        strategic = forum.level.value == "strategic"
        decisions = rnd.sample(texts.decisions, k=rnd.randint(1 if strategic else 0, 2))
        if decisions:
            parts.append("<h4>Beslut</h4><ul>" + "".join(f"<li>{d}</li>" for d in decisions))
            parts[-1] += "</ul>"
            db.session.add_all(
                Decision(meeting=meeting, text=text, created_at=_at(day, 16)) for text in decisions
            )
        for title, org_type in rnd.sample(texts.actions, k=rnd.choice((0, 1, 1, 2))):
            run.actions.append(self._action(run, meeting, title, org_type))

        html = "".join(parts)
        meeting.minutes_html = html
        meeting.minutes_version = 1
        saved_at = _at(day + timedelta(days=1), 10)
        db.session.add(
            MinutesVersion(
                meeting_id=meeting.id,
                version=1,
                html=html,
                saved_by=self.approver,
                saved_at=saved_at,
            )
        )
        if not last:
            meeting.minutes_status = MinutesStatus.approved
            meeting.minutes_approved_by = self.approver
            meeting.minutes_approved_at = saved_at + timedelta(days=2)

    @staticmethod
    def _attendance(rnd: random.Random, member: ForumMember) -> AttendanceStatus:
        if member.is_convener:
            return AttendanceStatus.present
        present, digital, excused, stand_in = ATTENDANCE.get(
            member.organisation.type, DEFAULT_ATTENDANCE
        )
        roll = rnd.random()
        for status, chance in (
            (AttendanceStatus.present, present),
            (AttendanceStatus.digital, digital),
            (AttendanceStatus.excused, excused),
            (AttendanceStatus.stand_in, stand_in),
        ):
            if roll < chance:
                return status
            roll -= chance
        return AttendanceStatus.absent

    def _action(self, run: ForumRun, meeting: Meeting, title: str, org_type: str) -> Action:
        rnd = run.rnd
        owner = next(
            (m for m in run.forum.members if m.organisation.type == org_type),
            run.forum.convener,
        )
        day = meeting.cadence_date
        due = day + timedelta(days=rnd.choice((14, 21, 28, 35, 42)))
        roll = rnd.random()
        status, done_at = ActionStatus.open, None
        if due < self.today:
            if roll < 0.78:
                status = ActionStatus.done
                done_at = _at(max(day + timedelta(days=1), due - timedelta(days=rnd.randint(0, 9))))
            elif roll < 0.82:
                status = ActionStatus.cancelled
        elif roll < 0.25 and day + timedelta(days=1) < self.today:
            status = ActionStatus.done
            done_at = _at(day + timedelta(days=1))
        action = Action(
            forum=run.forum,
            meeting=meeting,
            title=title,
            owner=owner,
            organisation_id=owner.organisation.id,
            due_date=due,
            status=status,
            done_at=done_at,
        )
        db.session.add(action)
        return action

    def account_actions(self, runs: list[ForumRun], accounts: dict[str, int]) -> None:
        """Give each demo account one open and one overdue action, so "my actions" shows both."""
        for user_id in accounts.values():
            for run in runs:
                mine = next((m for m in run.forum.members if m.user_id == user_id), None)
                held = [m for m in run.forum.meetings if m.state == MeetingState.held]
                if mine is None or len(held) < 2:
                    continue
                for meeting, title, due in (
                    (held[-2], "Sammanställa underlag inför nästa möte", -9),
                    (held[-1], "Återkoppla till forumet om rutinen för samtycke", 12),
                ):
                    run.actions.append(
                        Action(
                            forum=run.forum,
                            meeting=meeting,
                            title=title,
                            owner=mine,
                            organisation_id=mine.organisation.id,
                            due_date=self.today + timedelta(days=due),
                            status=ActionStatus.open,
                        )
                    )
                    db.session.add(run.actions[-1])
                break
