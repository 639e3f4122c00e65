"""Every write to organisations, forums and forum members; flushes, never commits.

Audit summaries name the kind of change and non-personal facts only (forum and organisation
names); changed personal fields appear as field names without values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

import sqlalchemy as sa

from samverka.clock import local_today
from samverka.extensions import db
from samverka.modules.audit.operations import record
from samverka.modules.forums import cadence
from samverka.modules.forums.models import (
    CadenceKind,
    Forum,
    ForumMember,
    ForumState,
    Organisation,
)
from samverka.modules.forums.replanning import HORIZON, Placement, replan
from samverka.modules.forums.vocabulary import (
    FORUM_TYPES,
    ORGANISATION_TYPES,
    CaseRule,
    Level,
    Principal,
)

#: Forum fields that change when (and where) meetings fall.
PLANNING_FIELDS = (
    "cadence_kind",
    "cadence_interval",
    "cadence_weekday",
    "cadence_week_of_month",
    "cadence_dates",
    "cadence_exceptions",
    "cadence_start",
    "cadence_until",
    "start_time",
    "duration_minutes",
    "state",
    "location",
)
_PERSONAL = {"contact_name", "contact_email", "contact_phone", "name", "email", "phone"}


def _apply(obj: Any, values: dict[str, Any]) -> dict[str, Any]:
    """Set changed attributes; return {field: new value, or True for personal fields}."""
    changed: dict[str, Any] = {}
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            if key in _PERSONAL:
                changed[key] = True
            elif isinstance(value, date | time):
                changed[key] = value.isoformat()
            elif isinstance(value, str | int | bool | list | type(None)):
                changed[key] = value
            else:
                changed[key] = str(value)
    return changed


# --- organisations ---------------------------------------------------------------------------


def organisation_values(data: dict[str, Any]) -> dict[str, Any]:
    """Form data → column values; an empty principal means the type's usual one."""
    principal = data.get("principal") or ORGANISATION_TYPES[data["type"]][1]
    return {
        "name": data["name"],
        "type": data["type"],
        "principal": Principal(principal),
        "contact_name": data.get("contact_name") or None,
        "contact_email": data.get("contact_email") or None,
        "contact_phone": data.get("contact_phone") or None,
    }


def create_organisation(data: dict[str, Any]) -> Organisation:
    organisation = Organisation(**organisation_values(data), active=True)
    db.session.add(organisation)
    db.session.flush()
    record("create", "organisation", organisation.id, f"Organisation skapad: {organisation.name}")
    return organisation


def update_organisation(organisation: Organisation, data: dict[str, Any]) -> dict[str, Any]:
    changed = _apply(organisation, organisation_values(data))
    if changed:
        db.session.flush()
        record(
            "update",
            "organisation",
            organisation.id,
            f"Organisation ändrad: {organisation.name}",
            **changed,
        )
    return changed


def set_organisation_active(organisation: Organisation, active: bool) -> None:
    """Deactivate (kept for history; no longer offered for new forums) or reactivate."""
    if organisation.active == active:
        return
    organisation.active = active
    db.session.flush()
    verb = "aktiverad" if active else "inaktiverad"
    record(
        "activate" if active else "deactivate",
        "organisation",
        organisation.id,
        f"Organisation {verb}: {organisation.name}",
        active=active,
    )


# --- forums ----------------------------------------------------------------------------------


@dataclass
class ForumDefaults:
    """What a new forum of a type starts with before the coordinator adapts it."""

    values: dict[str, Any] = field(default_factory=dict)
    organisation_ids: list[int] = field(default_factory=list)


def defaults_for_type(key: str, organisations: list[Organisation]) -> ForumDefaults:
    """Prefill a forum form from a built-in type (vocabulary.FORUM_TYPES)."""
    kind = FORUM_TYPES.get(key) or FORUM_TYPES["other"]
    values: dict[str, Any] = {
        "forum_type": kind.key,
        "name": str(kind.label),
        "level": kind.level.value,
        "case_rule": kind.case_rule.value,
        "age_min": kind.age_min,
        "age_max": kind.age_max,
        "agenda_skeleton": "\n".join(kind.agenda),
        "cadence_kind": CadenceKind.monthly_weekday.value,
        "cadence_interval": 1,
        "cadence_weekday": 1,
        "cadence_week_of_month": 1,
        "cadence_start": local_today(),
    }
    if kind.cadence == "quarterly":
        values["cadence_interval"] = 3
    elif kind.cadence == "weekly":
        values["cadence_kind"] = CadenceKind.weekly.value
    elif kind.cadence.startswith("every_") and kind.cadence.endswith("_weeks"):
        values["cadence_kind"] = CadenceKind.every_n_weeks.value
        values["cadence_interval"] = int(kind.cadence.split("_")[1])
    elif kind.cadence == "school_year":
        values["cadence_kind"] = CadenceKind.school_year_dates.value
    chosen = [o.id for o in organisations if o.type in kind.member_types]
    return ForumDefaults(values, chosen)


def forum_values(data: dict[str, Any]) -> dict[str, Any]:
    """Form data → forum columns (organisations, convener and agenda are handled apart)."""
    kind = CadenceKind(data["cadence_kind"])
    return {
        "forum_type": data["forum_type"],
        "name": data["name"],
        "purpose": data.get("purpose") or "",
        "level": Level(data["level"]),
        "case_rule": CaseRule(data["case_rule"]),
        "age_min": data.get("age_min"),
        "age_max": data.get("age_max"),
        "state": ForumState(data.get("state") or ForumState.active),
        "location": data.get("location") or "",
        "cadence_kind": kind,
        "cadence_interval": (
            data.get("cadence_interval") or 1
            if kind in (CadenceKind.every_n_weeks, CadenceKind.monthly_weekday)
            else 1
        ),
        "cadence_weekday": (
            data.get("cadence_weekday") if kind != CadenceKind.school_year_dates else None
        ),
        "cadence_week_of_month": (
            data.get("cadence_week_of_month") if kind == CadenceKind.monthly_weekday else None
        ),
        "cadence_dates": list(data.get("cadence_dates") or [])
        if kind == CadenceKind.school_year_dates
        else [],
        "cadence_exceptions": list(data.get("cadence_exceptions") or []),
        "cadence_start": data["cadence_start"],
        "cadence_until": data.get("cadence_until"),
        "start_time": data["start_time"],
        "duration_minutes": data["duration_minutes"],
    }


def _set_organisations(forum: Forum, organisation_ids: list[int]) -> bool:
    wanted = set(organisation_ids)
    if {o.id for o in forum.organisations} == wanted:
        return False
    forum.organisations = list(
        db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(wanted or {-1})))
    )
    return True


def set_convener(forum: Forum, member_id: int | None) -> bool:
    """Make one active member the convener (or nobody); returns whether anything changed."""
    changed = False
    for member in forum.members:
        should = member.active and member.id == member_id
        if member.is_convener != should:
            member.is_convener = should
            changed = True
    return changed


def create_forum(
    data: dict[str, Any],
    organisation_ids: list[int],
    agenda: list[str],
    convener_user: tuple[int, str] | None = None,
) -> Forum:
    """Create a forum, optionally its convener (an account), and its planned meetings."""
    forum = Forum(**forum_values(data), agenda_skeleton=agenda)
    db.session.add(forum)
    _set_organisations(forum, organisation_ids)
    if convener_user is not None:
        user_id, name = convener_user
        forum.members.append(ForumMember(user_id=user_id, name=name, is_convener=True))
    db.session.flush()
    record("create", "forum", forum.id, f"Forum skapat: {forum.name}")
    cadence.generate_meetings(forum, until=local_today() + HORIZON, today=local_today())
    return forum


def update_forum(
    forum: Forum,
    data: dict[str, Any],
    organisation_ids: list[int],
    agenda: list[str],
    convener_member_id: int | None,
) -> dict[str, Any]:
    """Change a forum's settings; a cadence change re-plans its future unused meetings."""
    before = Placement.of(forum)
    skeleton_before = list(forum.agenda_skeleton or [])
    changed = _apply(forum, forum_values(data))
    if skeleton_before != agenda:
        forum.agenda_skeleton = agenda
        changed["agenda_skeleton"] = True
    if _set_organisations(forum, organisation_ids):
        changed["organisations"] = sorted(organisation_ids)
    if set_convener(forum, convener_member_id):
        changed["convener"] = True
    if not changed:
        return changed
    db.session.flush()
    record("update", "forum", forum.id, f"Forum ändrat: {forum.name}", **changed)
    if any(key in changed for key in PLANNING_FIELDS):
        replan(forum, before, skeleton_before)
    return changed


# --- members ---------------------------------------------------------------------------------


def member_values(data: dict[str, Any], account_name: str | None) -> dict[str, Any]:
    return {
        "user_id": data.get("user_id") or None,
        "name": data.get("name") or account_name or "",
        "role_title": data.get("role_title") or "",
        "organisation_id": data.get("organisation_id") or None,
        "email": data.get("email") or None,
        "phone": data.get("phone") or None,
    }


def add_member(forum: Forum, data: dict[str, Any], account_name: str | None = None) -> ForumMember:
    member = ForumMember(**member_values(data, account_name), is_convener=False, active=True)
    forum.members.append(member)
    db.session.flush()
    if data.get("is_convener"):
        set_convener(forum, member.id)
    record(
        "create",
        "forum_member",
        member.id,
        f"Medlem tillagd i forum: {forum.name}",
        forum_id=forum.id,
        has_account=member.user_id is not None,
    )
    return member


def update_member(
    forum: Forum, member: ForumMember, data: dict[str, Any], account_name: str | None = None
) -> dict[str, Any]:
    changed = _apply(member, member_values(data, account_name))
    wants_convener = bool(data.get("is_convener"))
    if wants_convener != member.is_convener:
        set_convener(forum, member.id if wants_convener else None)
        changed["is_convener"] = wants_convener
    if changed:
        db.session.flush()
        record(
            "update",
            "forum_member",
            member.id,
            f"Medlem ändrad i forum: {forum.name}",
            forum_id=forum.id,
            **changed,
        )
    return changed


def remove_member(forum: Forum, member: ForumMember) -> None:
    """Take a person out of the forum; the record stays inactive so attendance history holds."""
    member.active = False
    member.is_convener = False
    db.session.flush()
    record(
        "remove",
        "forum_member",
        member.id,
        f"Medlem borttagen ur forum: {forum.name}",
        forum_id=forum.id,
    )
