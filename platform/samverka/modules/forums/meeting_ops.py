"""Every write on a meeting: schedule, agenda, attendance, decisions, actions, attachments."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, time

import sqlalchemy as sa

from samverka.clock import to_utc
from samverka.db.base import utcnow
from samverka.extensions import db
from samverka.modules.audit.operations import record
from samverka.modules.forums import agenda
from samverka.modules.forums.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Attachment,
    Attendance,
    AttendanceStatus,
    Decision,
    Forum,
    ForumMember,
    Meeting,
    MeetingState,
    Organisation,
)
from samverka.modules.storage import StoredFile

# --- schedule -------------------------------------------------------------------------------


def create_meeting(forum: Forum, day: date, starts: time, ends: time, location: str) -> Meeting:
    """An extra meeting (not from the cadence), with the forum's agenda and open actions."""
    meeting = Meeting(
        forum=forum,
        starts_at=to_utc(day, starts),
        ends_at=to_utc(day, ends),
        location=location.strip(),
        state=MeetingState.planned,
        cadence_date=None,
    )
    db.session.add(meeting)
    db.session.flush()
    agenda.prefill_agenda(meeting)
    record("create", "meeting", meeting.id, "Extra möte skapat", forum_id=forum.id)
    return meeting


def move_meeting(meeting: Meeting, day: date, starts: time, ends: time, location: str) -> None:
    """Change date, time or place; a fresh reminder goes out for the new time."""
    changes = {}
    new_start, new_end = to_utc(day, starts), to_utc(day, ends)
    if new_start != meeting.starts_at or new_end != meeting.ends_at:
        changes["starts_at"] = new_start.isoformat()
        meeting.starts_at, meeting.ends_at = new_start, new_end
        meeting.reminder_sent_at = None
    if location.strip() != meeting.location:
        changes["location"] = True
        meeting.location = location.strip()
    if changes:
        record("move", "meeting", meeting.id, "Möte flyttat", **changes)


def cancel_meeting(meeting: Meeting, reason: str) -> None:
    """Cancel a planned meeting; the reason is shown on the page, not in the audit trail."""
    meeting.state = MeetingState.cancelled
    meeting.cancel_reason = reason.strip()[:300]
    record("cancel", "meeting", meeting.id, "Möte inställt", state="cancelled")


def can_reinstate(meeting: Meeting) -> bool:
    """A cancelled meeting may be put back only while it still lies ahead."""
    return meeting.state == MeetingState.cancelled and meeting.starts_at > utcnow()


def reinstate_meeting(meeting: Meeting) -> bool:
    """Put a cancelled meeting back on the schedule; only one that has not started yet."""
    if not can_reinstate(meeting):
        return False
    meeting.state = MeetingState.planned
    meeting.cancel_reason = ""
    meeting.reminder_sent_at = None
    record("reinstate", "meeting", meeting.id, "Inställt möte återupptaget", state="planned")
    return True


def has_started(meeting: Meeting) -> bool:
    """A meeting can be held, and its minutes approved, only once it has begun."""
    return meeting.starts_at <= utcnow()


def mark_held(meeting: Meeting) -> bool:
    """Record a planned meeting as held; refuse one that is not planned or lies ahead."""
    if meeting.state != MeetingState.planned or not has_started(meeting):
        return False
    meeting.state = MeetingState.held
    record("held", "meeting", meeting.id, "Möte markerat som genomfört", state="held")
    return True


# --- agenda ---------------------------------------------------------------------------------


def add_agenda_item(
    meeting: Meeting, title: str, owner_id: int | None, minutes: int | None
) -> AgendaItem:
    last = max((i.position for i in meeting.agenda_items), default=0)
    item = AgendaItem(
        position=last + 10, title=title.strip(), owner_member_id=owner_id, minutes=minutes
    )
    meeting.agenda_items.append(item)
    return item


def edit_agenda_item(
    item: AgendaItem, title: str, owner_id: int | None, minutes: int | None
) -> None:
    item.title, item.owner_member_id, item.minutes = title.strip(), owner_id, minutes


def move_agenda_item(meeting: Meeting, item: AgendaItem, step: int) -> None:
    """Swap with the neighbour above (-1) or below (+1), then renumber in tens."""
    items = sorted(meeting.agenda_items, key=lambda i: (i.position, i.id or 0))
    index = items.index(item)
    other = index + step
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    for position, each in enumerate(items, start=1):
        each.position = position * 10
    meeting.agenda_items.sort(key=lambda i: i.position)


def remove_agenda_item(meeting: Meeting, item: AgendaItem) -> None:
    meeting.agenda_items.remove(item)


# --- attendance -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceRow:
    """One member's, or one organisation's (``member_id`` None), attendance from the form."""

    member_id: int | None
    status: AttendanceStatus
    organisation_id: int | None
    stand_in_name: str | None


def lock_attendance(meeting: Meeting) -> None:
    """Hold the meeting row until commit (PostgreSQL) and re-read its attendance afterwards.

    Two saves of the attendance form then run one after the other, so the second one sees
    the first one's rows when it compares markers.
    """
    db.session.execute(sa.select(Meeting.id).where(Meeting.id == meeting.id).with_for_update())
    db.session.expire(meeting, ["attendance"])


def attendance_marker(meeting: Meeting) -> str:
    """A fingerprint of the saved attendance (member and organisation-only rows).

    It changes whenever anyone saves new rows.
    """
    rows = sorted(
        (a.member_id or 0, a.organisation_id or 0, a.status.value, a.stand_in_name or "")
        for a in meeting.attendance
    )
    payload = json.dumps([meeting.id, rows], ensure_ascii=False).encode()
    return hashlib.sha256(payload).hexdigest()[:32]


def replace_attendance(meeting: Meeting, rows: list[AttendanceRow]) -> None:
    """Replace all attendance at this meeting (members and organisations alone) with ``rows``."""
    for old in list(meeting.attendance):
        meeting.attendance.remove(old)
    # Flush the deletes first: the unit of work would insert before deleting and trip the
    # unique (meeting, member, organisation) constraint.
    db.session.flush()
    for row in rows:
        meeting.attendance.append(
            Attendance(
                member_id=row.member_id,
                organisation_id=row.organisation_id,
                status=row.status,
                stand_in_name=row.stand_in_name
                if row.status == AttendanceStatus.stand_in
                else None,
            )
        )
    organisation_only = sum(1 for r in rows if r.member_id is None)
    record(
        "attendance",
        "meeting",
        meeting.id,
        "Närvaro registrerad",
        rows=len(rows),
        organisation_rows=organisation_only,
    )


def attendance_members(meeting: Meeting) -> list[ForumMember]:
    """Active members, plus former members who already have attendance at this meeting."""
    recorded = {a.member_id for a in meeting.attendance if a.member_id is not None}
    return [m for m in meeting.forum.members if m.active or m.id in recorded]


def attendance_organisations(meeting: Meeting) -> list[Organisation]:
    """Forum organisations with no active member, plus any with organisation-only rows here."""
    staffed = {m.organisation_id for m in meeting.forum.members if m.active}
    listed = {o.id: o for o in meeting.forum.organisations if o.id not in staffed}
    for a in meeting.attendance:
        if a.member_id is None and a.organisation is not None:
            listed.setdefault(a.organisation.id, a.organisation)
    return sorted(listed.values(), key=lambda o: (o.name.casefold(), o.id))


# --- decisions and actions -------------------------------------------------------------------


def add_decision(meeting: Meeting, text: str) -> Decision:
    decision = Decision(text=text.strip())
    meeting.decisions.append(decision)
    db.session.flush()
    record("create", "decision", decision.id, "Beslut tillagt", meeting_id=meeting.id)
    return decision


def remove_decision(meeting: Meeting, decision: Decision) -> None:
    record("delete", "decision", decision.id, "Beslut borttaget", meeting_id=meeting.id)
    meeting.decisions.remove(decision)


def add_action(
    meeting: Meeting,
    title: str,
    owner_id: int | None,
    organisation_id: int | None,
    due_date: date | None,
) -> Action:
    """Raise an action here and put it on the agenda of the forum's next planned meeting."""
    if organisation_id is None and owner_id is not None:
        owner = db.session.get(ForumMember, owner_id)
        organisation_id = owner.organisation_id if owner else None
    action = Action(
        forum_id=meeting.forum_id,
        meeting_id=meeting.id,
        title=title.strip(),
        owner_member_id=owner_id,
        organisation_id=organisation_id,
        due_date=due_date,
        status=ActionStatus.open,
    )
    db.session.add(action)
    db.session.flush()
    record("create", "action", action.id, "Åtgärd tillagd", meeting_id=meeting.id)
    following = agenda.next_planned_meeting(meeting.forum_id, after=meeting)
    if following is not None:
        agenda.carry_open_actions(following)
    return action


def set_action_status(action: Action, status: ActionStatus) -> None:
    if action.status == status:
        return
    action.status = status
    action.done_at = utcnow() if status == ActionStatus.done else None
    record("status", "action", action.id, "Åtgärdens status ändrad", status=status.value)


def actions_raised_at(meeting: Meeting) -> list[Action]:
    return list(
        db.session.scalars(
            sa.select(Action).where(Action.meeting_id == meeting.id).order_by(Action.id)
        )
    )


def actions_followed_up_at(meeting: Meeting) -> list[Action]:
    """Earlier actions carried onto this meeting's agenda."""
    ids = [i.action_id for i in meeting.agenda_items if i.action_id]
    if not ids:
        return []
    return list(
        db.session.scalars(
            sa.select(Action)
            .where(Action.id.in_(ids), Action.meeting_id.is_distinct_from(meeting.id))
            .order_by(Action.due_date, Action.id)
        )
    )


# --- attachments ----------------------------------------------------------------------------


def add_attachment(meeting: Meeting, stored: StoredFile, user_id: int | None) -> Attachment:
    attachment = Attachment(
        storage_key=stored.key,
        filename=stored.filename,
        size=stored.size,
        content_type=stored.content_type,
        uploaded_by=user_id,
    )
    meeting.attachments.append(attachment)
    db.session.flush()
    record(
        "upload",
        "attachment",
        attachment.id,
        "Bilaga uppladdad",
        meeting_id=meeting.id,
        size=stored.size,
    )
    return attachment


def remove_attachment(meeting: Meeting, attachment: Attachment) -> str:
    """Remove the row; returns the storage key so the caller deletes the bytes after commit."""
    record("delete", "attachment", attachment.id, "Bilaga borttagen", meeting_id=meeting.id)
    meeting.attachments.remove(attachment)
    return attachment.storage_key
