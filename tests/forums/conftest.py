"""Factories for forum tests: organisations, forums with members, meetings in the past and future."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from samverka.clock import local_today, to_utc
from tests.api.helpers import bearer

SCHEMAS = {
    "amal": "kommun_1492",
    "bengtsfors": "kommun_1460",
    "dals-ed": "kommun_1438",
    "fargelanda": "kommun_1439",
    "mellerud": "kommun_1461",
}


def local(day: date, at: time = time(9, 0)) -> datetime:
    """A Stockholm wall-clock time as an aware UTC datetime (9:00 unless told)."""
    return to_utc(day, at)


@pytest.fixture
def in_tenant(app) -> Callable[[str], Any]:
    """``with in_tenant("amal"): ...`` — an app context whose db.session is bound to that tenant."""
    from contextlib import contextmanager

    from samverka.db.session import bind_schema
    from samverka.extensions import db

    @contextmanager
    def bound(slug: str):
        with app.app_context():
            bind_schema(db.session, SCHEMAS[slug])
            try:
                yield db.session
            finally:
                db.session.remove()

    return bound


@pytest.fixture
def make_forum(in_tenant) -> Callable[..., dict[str, Any]]:
    """Create a forum directly in the tenant schema; returns plain ids so tests stay detached.

    ``make_forum("amal", members=[("Anna Rektor", "school", user), ("Per Polis", "police", None)],
    past=3, future=2)`` creates one organisation per distinct type, the members (the first is the
    convener), monthly meetings: ``past`` held ones (last one yesterday-ish) and ``future`` planned.
    """

    def make(
        slug: str,
        *,
        name: str = "SSPF Testgruppen",
        forum_type: str = "sspf_working",
        members: list[tuple[str, str, Any]] | None = None,
        past: int = 0,
        future: int = 1,
        convener_index: int | None = 0,
    ) -> dict[str, Any]:
        from samverka.modules.forums.agenda import prefill_agenda
        from samverka.modules.forums.models import (
            CadenceKind,
            Forum,
            ForumMember,
            Meeting,
            MeetingState,
            Organisation,
        )
        from samverka.modules.forums.vocabulary import FORUM_TYPES, ORGANISATION_TYPES

        kind = FORUM_TYPES[forum_type]
        members = (
            members
            if members is not None
            else [("Anna Rektor", "school", None), ("Sara Socialsekreterare", "ifo", None)]
        )
        today = local_today()
        with in_tenant(slug) as session:
            orgs: dict[str, Organisation] = {}
            for _name, org_type, _user in members:
                if org_type not in orgs:
                    label, principal = ORGANISATION_TYPES[org_type]
                    orgs[org_type] = Organisation(
                        name=f"{label} {slug}", type=org_type, principal=principal
                    )
            forum = Forum(
                forum_type=forum_type,
                name=name,
                purpose="Test",
                level=kind.level,
                age_min=kind.age_min,
                age_max=kind.age_max,
                case_rule=kind.case_rule,
                agenda_skeleton=list(kind.agenda),
                cadence_kind=CadenceKind.monthly_weekday,
                cadence_weekday=today.weekday(),
                cadence_week_of_month=1,
                cadence_start=today - timedelta(days=400),
                organisations=list(orgs.values()),
            )
            session.add(forum)
            for index, (person, org_type, user) in enumerate(members):
                forum.members.append(
                    ForumMember(
                        name=person,
                        role_title=org_type,
                        organisation=orgs[org_type],
                        user_id=getattr(user, "id", None),
                        email=f"{index}@example.se",
                        is_convener=index == convener_index,
                    )
                )
            session.flush()
            meetings = []
            for n in range(past, 0, -1):
                day = today - timedelta(days=28 * n)
                meetings.append(
                    Meeting(
                        forum=forum,
                        starts_at=local(day),
                        ends_at=local(day, time(10, 30)),
                        state=MeetingState.held,
                        cadence_date=day,
                    )
                )
            for n in range(1, future + 1):
                day = today + timedelta(days=28 * n)
                meetings.append(
                    Meeting(
                        forum=forum,
                        starts_at=local(day),
                        ends_at=local(day, time(10, 30)),
                        state=MeetingState.planned,
                        cadence_date=day,
                    )
                )
            session.add_all(meetings)
            session.flush()
            for meeting in meetings:
                if meeting.state == MeetingState.planned:
                    prefill_agenda(meeting)
            session.commit()
            return {
                "forum_id": forum.id,
                "meeting_ids": [m.id for m in meetings],
                "member_ids": [m.id for m in forum.members],
                "organisation_ids": {t: o.id for t, o in orgs.items()},
            }

    return make


@pytest.fixture
def api_forum(app, create_user, make_forum):
    """A forum in Åmål: its convener ("inside") and a plain member with accounts, one member
    without; plus tokens of a coordinator, a municipality member outside the forum and a
    coordinator of another municipality."""
    inside = create_user(municipalities={"amal": "member"})
    plain = create_user(municipalities={"amal": "member"})
    made = make_forum(
        "amal",
        members=[
            ("Anna Rektor", "school", inside),
            ("Per Polis", "police", None),
            ("Sara Kurator", "school", plain),
        ],
        past=1,
        future=2,
    )
    made["inside"] = bearer(app, inside)
    made["plain"] = bearer(app, plain)
    made["coordinator"] = bearer(app, create_user(municipalities={"amal": "coordinator"}))
    made["outsider"] = bearer(app, create_user(municipalities={"amal": "member"}))
    made["foreign"] = bearer(app, create_user(municipalities={"bengtsfors": "coordinator"}))
    made["base"] = f"/api/k/amal/forums/{made['forum_id']}/meetings"
    made["planned"] = f"{made['base']}/{made['meeting_ids'][1]}"
    return made
