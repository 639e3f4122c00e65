"""Meeting and action reminders: written to each municipality's outbox once, then mailed.

Reminders say when and where, and link back to Samverka; they never carry minutes, names of
other people or case details. Each is sent at most once: the meeting's or action's
``reminder_sent_at`` is set in the same transaction that writes the outbox rows, and each
message claims a done-once key before it is mailed, so a job run twice mails it once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, format_date, format_datetime, format_time
from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload

from samverka.clock import local
from samverka.db.base import utcnow
from samverka.db.session import tenant_session
from samverka.extensions import db
from samverka.modules.forums.mailer import deliver, one_line, pending_ids, smtp_configured
from samverka.modules.forums.models import (
    Action,
    ActionStatus,
    Forum,
    ForumMember,
    ForumState,
    Meeting,
    MeetingState,
    OutboxMessage,
)
from samverka.modules.tenancy.models import Tenant, TenantKind

log = logging.getLogger(__name__)
MEETING_LEAD = timedelta(hours=48)
ACTION_LEAD_DAYS = 3
MEETING_KIND = "meeting_reminder"
ACTION_KIND = "action_reminder"


@dataclass(frozen=True)
class TenantRef:
    """What a fan-out needs of a municipality, detached from any session."""

    id: int
    slug: str
    name: str
    schema_name: str


@dataclass
class ReminderResult:
    meetings: int = 0
    actions: int = 0
    message_ids: list[int] = field(default_factory=list)
    sent: int = 0

    @property
    def written(self) -> int:
        return len(self.message_ids)


def active_municipalities() -> list[TenantRef]:
    rows = db.session.execute(
        sa.select(Tenant.id, Tenant.slug, Tenant.name, Tenant.schema_name)
        .where(
            Tenant.kind == TenantKind.municipality,
            Tenant.active,
            Tenant.schema_name.is_not(None),
        )
        .order_by(Tenant.slug)
    ).all()
    return [TenantRef(*row) for row in rows]


def _link(tenant: TenantRef, endpoint: str, **values: object) -> str:
    """An absolute link for an e-mail: built outside a request, so from the configured base URL."""
    path = current_app.url_map.bind("localhost").build(endpoint, {"tenant": tenant.slug, **values})
    return current_app.config["SETTINGS"].base_url + path


def _recipients(members: list[ForumMember]) -> list[str]:
    """Active members' addresses, once each; members without an address are skipped."""
    seen: dict[str, str] = {}
    for member in members:
        address = (member.email or "").strip()
        if member.active and address and "@" in address:
            seen.setdefault(address.casefold(), address)
    return list(seen.values())


def _meeting_message(tenant: TenantRef, meeting: Meeting) -> tuple[str, str]:
    forum = meeting.forum
    start = local(meeting.starts_at)
    when = format_datetime(start, "EEEE d MMMM yyyy 'kl.' HH:mm")
    until = format_time(local(meeting.ends_at), "HH:mm")
    place = meeting.location or forum.location or _("ingen plats angiven")
    subject = _(
        "Påminnelse: %(forum)s %(date)s", forum=forum.name, date=format_date(start, "d MMM")
    )
    link = _link(tenant, "meetings.show", forum_id=forum.id, meeting_id=meeting.id)
    body = "\n".join(
        [
            _("Hej!"),
            "",
            _("Det här är en påminnelse om nästa möte i %(forum)s.", forum=forum.name),
            "",
            _("Tid: %(when)s–%(until)s", when=when, until=until),
            _("Plats: %(place)s", place=place),
            "",
            _("Dagordning och underlag finns i Samverka:"),
            link,
            "",
            _("Du får det här meddelandet eftersom du är medlem i forumet."),
            _("Samverka, %(name)s", name=tenant.name),
        ]
    )
    return one_line(subject)[:300], body


def _action_message(tenant: TenantRef, action: Action, local_now: datetime) -> tuple[str, str]:
    forum = action.forum
    due = format_date(action.due_date, "d MMMM yyyy")
    if action.due_date < local_now.date():
        subject = _("Påminnelse: försenad åtgärd i %(forum)s", forum=forum.name)
        state = _("Åtgärden skulle ha varit klar %(date)s.", date=due)
    else:
        subject = _("Påminnelse: åtgärd ska vara klar %(date)s", date=due)
        state = _("Åtgärden ska vara klar senast %(date)s.", date=due)
    body = "\n".join(
        [
            _("Hej!"),
            "",
            _("Du är ansvarig för en åtgärd i %(forum)s:", forum=forum.name),
            "",
            f"  {action.title}",
            "",
            state,
            _("Markera den som klar i Samverka när den är gjord, eller ta upp den på nästa möte:"),
            _link(tenant, "forums.show", forum_id=forum.id),
            "",
            _("Samverka, %(name)s", name=tenant.name),
        ]
    )
    return one_line(subject)[:300], body


def _write(session: Session, kind: str, addresses: list[str], subject: str, body: str) -> list:
    messages = [
        OutboxMessage(kind=kind, to_address=a, subject=subject, body=body) for a in addresses
    ]
    session.add_all(messages)
    return messages


def collect(session: Session, tenant: TenantRef, now: datetime | None = None) -> ReminderResult:
    """Write due reminders to the outbox of the municipality ``session`` is bound to; no commit.

    Meetings: planned ones starting within 48 hours, to every active member with an address.
    Actions: open ones due within three days or overdue, to the owner (the convener if the
    action has no owner). Both are marked so the next run skips them, even if nobody had an
    address to write to.
    """
    now = now or utcnow()
    local_now = local(now)
    result = ReminderResult()
    written: list[OutboxMessage] = []
    meetings = session.scalars(
        sa.select(Meeting)
        .join(Forum, Forum.id == Meeting.forum_id)
        .where(
            Forum.state == ForumState.active,
            Meeting.state == MeetingState.planned,
            Meeting.reminder_sent_at.is_(None),
            Meeting.starts_at >= now,
            Meeting.starts_at <= now + MEETING_LEAD,
        )
        .options(selectinload(Meeting.forum).selectinload(Forum.members))
        .order_by(Meeting.starts_at, Meeting.id)
        # Two overlapping runs must not both remind: the second skips rows the first holds.
        .with_for_update(of=Meeting, skip_locked=True)
    ).all()
    for meeting in meetings:
        subject, body = _meeting_message(tenant, meeting)
        written += _write(session, MEETING_KIND, _recipients(meeting.forum.members), subject, body)
        meeting.reminder_sent_at = now
        result.meetings += 1
    actions = session.scalars(
        sa.select(Action)
        .join(Forum, Forum.id == Action.forum_id)
        .where(
            Forum.state == ForumState.active,
            Action.status == ActionStatus.open,
            Action.reminder_sent_at.is_(None),
            Action.due_date.is_not(None),
            Action.due_date <= local_now.date() + timedelta(days=ACTION_LEAD_DAYS),
        )
        .options(
            selectinload(Action.owner),
            selectinload(Action.forum).selectinload(Forum.members),
        )
        .order_by(Action.due_date, Action.id)
        .with_for_update(of=Action, skip_locked=True)
    ).all()
    for action in actions:
        owner = action.owner if action.owner is not None else action.forum.convener
        subject, body = _action_message(tenant, action, local_now)
        written += _write(
            session, ACTION_KIND, _recipients([owner] if owner else []), subject, body
        )
        action.reminder_sent_at = now
        result.actions += 1
    session.flush()
    result.message_ids = [m.id for m in written]
    return result


def send_for_tenant(tenant: TenantRef, now: datetime | None = None) -> ReminderResult:
    """Collect and commit one municipality's reminders, then mail them (after the commit).

    Messages an earlier run wrote but never tried (it stopped half-way) go out as well.
    """
    settings = current_app.config["SETTINGS"]
    with force_locale("sv"), tenant_session(tenant.schema_name) as session:
        result = collect(session, tenant, now)
        session.commit()
        if smtp_configured(settings):
            ids = sorted(set(result.message_ids) | set(pending_ids(session)))
            if ids:
                once = f"outbox:{tenant.schema_name}"
                result.sent = deliver(session, ids, settings, once_prefix=once)
                session.commit()
    return result


@dataclass
class ReminderRun:
    results: dict[str, ReminderResult] = field(default_factory=dict)
    #: Municipalities whose run failed (rolled back there; the others still went).
    failed: list[str] = field(default_factory=list)


def send_all(now: datetime | None = None) -> ReminderRun:
    """Run reminders for every active municipality; one failing does not stop the others."""
    run = ReminderRun()
    for tenant in active_municipalities():
        try:
            run.results[tenant.slug] = send_for_tenant(tenant, now)
        except Exception as exc:  # reported in the run, after the others went
            log.warning("reminders failed for %s: %s", tenant.slug, type(exc).__name__)
            run.failed.append(tenant.slug)
    return run
