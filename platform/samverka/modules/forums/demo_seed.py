"""Seed the Dalsland municipalities' forums with a year of meetings and the coming term's plan.

A municipality that already has forums is left alone, so re-running ``samverka demo`` keeps
whatever people have changed. Randomness is seeded per municipality and forum, so every run on an
empty database gives the same data (relative to today's date).
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, time, timedelta
from itertools import product

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from dateutil.rrule import weekdays

from samverka.clock import local_today
from samverka.db.session import bind_schema, bound_schema
from samverka.extensions import db
from samverka.modules.forums import agenda, cadence
from samverka.modules.forums.demo_content import (
    FIRST_NAMES,
    LAST_NAMES,
    MUNICIPALITIES,
    ForumSpec,
    MunicipalityDemo,
)
from samverka.modules.forums.demo_meetings import ForumRun, MeetingWriter
from samverka.modules.forums.models import (
    CadenceKind,
    Forum,
    ForumMember,
    MeetingState,
    Organisation,
)
from samverka.modules.forums.vocabulary import FORUM_TYPES, ORGANISATION_TYPES

#: School breaks (month, day) → (month, day): no meetings then.
BREAKS = (((6, 20), (8, 14)), ((12, 21), (1, 6)))
#: Autumn and winter half-term weeks (ISO weeks), skipped by weekly cadences.
HALF_TERM_WEEKS = (44, 8)
_KINDS = {
    "weekly": CadenceKind.weekly,
    "every_n_weeks": CadenceKind.every_n_weeks,
    "monthly": CadenceKind.monthly_weekday,
    "school_year": CadenceKind.school_year_dates,
}


def seed_demo_forums() -> None:
    """Seeder for ``samverka demo``."""
    seed_forums()


def seed_forums(today: date | None = None, slugs: set[str] | None = None) -> dict[str, int]:
    """Seed each Dalsland municipality (of ``slugs``) that has no forums yet; forums per slug."""
    from samverka.modules.tenancy.models import TenantKind
    from samverka.modules.tenancy.queries import all_tenants

    today = today or local_today()
    previous = bound_schema(db.session)
    bind_schema(db.session, None)
    tenants = [
        (t.slug, t.schema_name)
        for t in all_tenants()
        if t.kind == TenantKind.municipality and t.schema_name and t.slug in MUNICIPALITIES
        if slugs is None or t.slug in slugs
    ]
    accounts = {slug: _account_ids(slug) for slug, _schema in tenants}
    created = {}
    try:
        for slug, schema in tenants:
            bind_schema(db.session, schema)
            created[slug] = seed_municipality(slug, MUNICIPALITIES[slug], accounts[slug], today)
    finally:
        db.session.rollback()
        bind_schema(db.session, previous)
    return created


def _account_ids(slug: str) -> dict[str, int]:
    """The municipality's demo accounts that exist (coordinator, member) by role."""
    from samverka.modules.auth.operations import find_user_by_email

    found = {}
    for role, prefix in (("coordinator", "samordnare"), ("member", "medlem")):
        user = find_user_by_email(f"{prefix}.{slug}@demo.samverka.se")
        if user is not None:
            found[role] = user.id
    return found


def seed_municipality(
    slug: str, content: MunicipalityDemo, accounts: dict[str, int], today: date
) -> int:
    """Seed the bound municipality unless it has forums; commits once, returns forums created."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Forum)):
        return 0
    _Seeder(slug, content, accounts, today).run()
    db.session.commit()
    return len(content.forums)


def term_end(today: date) -> date:
    """The end of the coming term: June in the autumn, December in the spring."""
    return date(today.year + 1, 6, 12) if today.month >= 7 else date(today.year, 12, 18)


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return plain.lower().replace(" ", "")


def _in_break(day: date) -> bool:
    for (m1, d1), (m2, d2) in BREAKS:
        start, end = (m1, d1), (m2, d2)
        key = (day.month, day.day)
        inside = start <= key <= end if start <= end else key >= start or key <= end
        if inside:
            return True
    return False


@dataclass
class _Person:
    name: str
    email: str
    role_title: str
    org: Organisation
    user_id: int | None


class _Seeder:
    """Builds one municipality in the bound session (no commit)."""

    def __init__(
        self, slug: str, content: MunicipalityDemo, accounts: dict[str, int], today: date
    ) -> None:
        self.slug = slug
        self.content = content
        self.accounts = accounts
        self.today = today
        self.until = term_end(today)
        self.approver = accounts.get("coordinator")

    def run(self) -> None:
        orgs = {
            o.key: Organisation(
                name=o.name, type=o.type, principal=o.principal or ORGANISATION_TYPES[o.type][1]
            )
            for o in self.content.orgs
        }
        db.session.add_all(orgs.values())
        self.people = self._people(orgs)
        runs = [self._forum(spec) for spec in self.content.forums]
        db.session.flush()
        writer = MeetingWriter(self.today, self.until, self.approver, self.spare_names)
        held = {id(run): writer.meetings(run) for run in runs}
        db.session.flush()  # one round of inserts for all meetings: minutes versions need ids
        for run in runs:
            for index, meeting in enumerate(held[id(run)]):
                writer.held(run, meeting, last=index == len(held[id(run)]) - 1)
        writer.account_actions(runs, self.accounts)
        db.session.flush()
        for run in runs:
            upcoming = next(
                (m for m in run.forum.meetings if m.state == MeetingState.planned), None
            )
            if upcoming is not None:
                agenda.carry_open_actions(upcoming)

    def _people(self, orgs: dict[str, Organisation]) -> dict[str, _Person]:
        rnd = random.Random(f"{self.slug}-people")  # noqa: S311 - demo data, not secrets
        names = [f"{first} {last}" for first, last in product(FIRST_NAMES, LAST_NAMES)]
        rnd.shuffle(names)
        self.spare_names = names[len(self.content.people) :]
        people = {}
        for person, name in zip(self.content.people, names, strict=False):
            user_id = self.accounts.get(person.account) if person.account else None
            if user_id is not None:
                prefix = "samordnare" if person.account == "coordinator" else "medlem"
                email = f"{prefix}.{self.slug}@demo.samverka.se"
            else:
                first, last = name.split(" ", 1)
                email = f"{_ascii(first)}.{_ascii(last)}@{self.slug}.example"
            people[person.key] = _Person(name, email, person.role_title, orgs[person.org], user_id)
        return people

    def _forum(self, spec: ForumSpec) -> ForumRun:
        kind = FORUM_TYPES[spec.forum_type]
        c = spec.cadence
        start = self._cadence_start(spec)
        age_min, age_max = spec.age if spec.age is not None else (kind.age_min, kind.age_max)
        hour, minute = (int(part) for part in spec.start.split(":"))
        keys = [spec.convener] + [k for k in spec.people if k != spec.convener]
        members = [
            ForumMember(
                name=self.people[k].name,
                role_title=self.people[k].role_title,
                email=self.people[k].email,
                organisation=self.people[k].org,
                user_id=self.people[k].user_id,
                is_convener=k == spec.convener,
            )
            for k in keys
        ]
        organisations = list({id(m.organisation): m.organisation for m in members}.values())
        forum = Forum(
            forum_type=spec.forum_type,
            name=spec.name,
            purpose=spec.purpose,
            level=spec.level or kind.level,
            age_min=age_min,
            age_max=age_max,
            case_rule=spec.case_rule or kind.case_rule,
            location=spec.location,
            agenda_skeleton=[str(title) for title in kind.agenda],
            cadence_kind=_KINDS[c.kind],
            cadence_interval=c.interval,
            cadence_weekday=c.weekday,
            cadence_week_of_month=c.week_of_month,
            cadence_dates=self._school_dates(spec, start),
            cadence_exceptions=[],
            cadence_start=start,
            start_time=time(hour, minute),
            duration_minutes=spec.duration,
            organisations=organisations,
            members=members,
        )
        forum.cadence_exceptions = [
            d.isoformat() for d in cadence.occurrences(forum, start, self.until) if self._skip(c, d)
        ]
        db.session.add(forum)
        rnd = random.Random(f"{self.slug}-{spec.name}")  # noqa: S311 - demo data
        return ForumRun(forum, spec, rnd)

    def _cadence_start(self, spec: ForumSpec) -> date:
        c = spec.cadence
        if spec.started_days_ago is not None:
            start = self.today - timedelta(days=spec.started_days_ago)
        else:
            start = (self.today - timedelta(days=365)).replace(day=1)
        if c.months:
            while start.month not in c.months:
                start = (start - timedelta(days=1)).replace(day=1)
        if c.kind in ("weekly", "every_n_weeks"):
            start -= timedelta(days=start.weekday())
            if c.week_parity is not None and start.isocalendar().week % 2 != c.week_parity:
                start += timedelta(days=7)
        return start

    def _school_dates(self, spec: ForumSpec, start: date) -> list[str]:
        c = spec.cadence
        if c.kind != "school_year":
            return []
        days = []
        for year in range(start.year - 1, self.until.year + 1):
            for month, nth in c.school_dates:
                first = date(year if month >= 8 else year + 1, month, 1)
                day = first + relativedelta(weekday=weekdays[c.weekday](nth))
                if start <= day <= self.until:
                    days.append(day)
        return [d.isoformat() for d in sorted(set(days))]

    @staticmethod
    def _skip(c, day: date) -> bool:
        if c.kind == "school_year":
            return False
        weekly = c.kind in ("weekly", "every_n_weeks")
        return _in_break(day) or (weekly and day.isocalendar().week in HALF_TERM_WEEKS)


def _register() -> None:
    from samverka import demo_data

    if seed_demo_forums not in demo_data.SEEDERS:
        demo_data.SEEDERS.append(seed_demo_forums)


_register()
