"""Organisations, forums, members, meetings and what happens at them (tenant schema).

People's names and contact details, minutes, decisions, actions, agenda items, outbox mail and
file names are encrypted at rest under the municipality's own key (db/crypto.py). Shared-schema
users are referred to by id only (no foreign key), so a tenant schema can live on another node
(Citus).
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, time
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from samverka.db.base import Base, TimestampMixin, utcnow
from samverka.db.crypto import TenantEncrypted, tenant_blind_index
from samverka.modules.forums.vocabulary import CaseRule, Level, Principal


def _enum(enum: type[StrEnum]) -> sa.Enum:
    return sa.Enum(enum, native_enum=False, length=20, validate_strings=True)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class ForumState(StrEnum):
    active = "active"
    paused = "paused"
    closed = "closed"


class CadenceKind(StrEnum):
    weekly = "weekly"
    every_n_weeks = "every_n_weeks"
    monthly_weekday = "monthly_weekday"
    school_year_dates = "school_year_dates"


class MeetingState(StrEnum):
    planned = "planned"
    held = "held"
    cancelled = "cancelled"


class AttendanceStatus(StrEnum):
    present = "present"
    digital = "digital"
    excused = "excused"
    absent = "absent"
    stand_in = "stand_in"


#: What counts as taking part, everywhere a rate is shown (overview, exports, region aggregates).
ATTENDED = (AttendanceStatus.present, AttendanceStatus.digital, AttendanceStatus.stand_in)


class MinutesStatus(StrEnum):
    draft = "draft"
    approved = "approved"


class ActionStatus(StrEnum):
    open = "open"
    done = "done"
    cancelled = "cancelled"


class Organisation(TimestampMixin, Base):
    """A participating organisation: school unit, IFO, police, BVC, BUP …"""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    #: Key in vocabulary.ORGANISATION_TYPES, shared by all municipalities.
    type: Mapped[str] = mapped_column(sa.String(40), index=True)
    principal: Mapped[Principal] = mapped_column(_enum(Principal))
    contact_name: Mapped[str | None] = mapped_column(TenantEncrypted())
    contact_email: Mapped[str | None] = mapped_column(TenantEncrypted())
    contact_phone: Mapped[str | None] = mapped_column(TenantEncrypted())
    active: Mapped[bool] = mapped_column(default=True)
    #: Optimistic lock, bumped on every update: a save loaded at another version is refused.
    version: Mapped[int] = mapped_column(server_default=sa.text("1"))
    __mapper_args__ = {"version_id_col": version}


forum_organisations = sa.Table(
    "forum_organisations",
    Base.metadata,
    sa.Column("forum_id", sa.ForeignKey("forums.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "organisation_id", sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    ),
)


class Forum(TimestampMixin, Base):
    """A standing forum with its type, level, members and cadence."""

    __tablename__ = "forums"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Key in vocabulary.FORUM_TYPES.
    forum_type: Mapped[str] = mapped_column(sa.String(40), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    purpose: Mapped[str] = mapped_column(sa.Text, default="")
    level: Mapped[Level] = mapped_column(_enum(Level))
    age_min: Mapped[int | None]
    age_max: Mapped[int | None]
    case_rule: Mapped[CaseRule] = mapped_column(_enum(CaseRule))
    state: Mapped[ForumState] = mapped_column(_enum(ForumState), default=ForumState.active)
    location: Mapped[str] = mapped_column(sa.String(200), default="")
    #: Agenda skeleton: one title per line, copied into each new meeting.
    agenda_skeleton: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # The cadence as a recurrence rule; see cadence.py.
    cadence_kind: Mapped[CadenceKind] = mapped_column(_enum(CadenceKind))
    cadence_interval: Mapped[int] = mapped_column(default=1)
    #: 0 = Monday … 6 = Sunday.
    cadence_weekday: Mapped[int | None]
    #: Week of the month for monthly_weekday: 1–4, or -1 for the last.
    cadence_week_of_month: Mapped[int | None]
    #: Chosen dates (ISO strings) for school_year_dates.
    cadence_dates: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    #: Dates (ISO strings) on which the cadence yields no meeting.
    cadence_exceptions: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    cadence_start: Mapped[date]
    cadence_until: Mapped[date | None]
    start_time: Mapped[time] = mapped_column(sa.Time, default=time(9, 0))
    duration_minutes: Mapped[int] = mapped_column(default=90)
    #: Secret for the forum's iCalendar feed; rotating it revokes old subscriptions.
    ical_token: Mapped[str] = mapped_column(sa.String(64), default=new_token, unique=True)
    #: Optimistic lock, bumped on every update: a save loaded at another version is refused.
    version: Mapped[int] = mapped_column(server_default=sa.text("1"))
    __mapper_args__ = {"version_id_col": version}

    organisations: Mapped[list[Organisation]] = relationship(
        secondary=forum_organisations, order_by=Organisation.name
    )
    members: Mapped[list[ForumMember]] = relationship(
        back_populates="forum", cascade="all, delete-orphan", order_by="ForumMember.id"
    )
    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="forum", cascade="all, delete-orphan", order_by="Meeting.starts_at"
    )

    @property
    def convener(self) -> ForumMember | None:
        return next((m for m in self.members if m.is_convener and m.active), None)


class ForumMember(TimestampMixin, Base):
    """A person in a forum, with or without an account."""

    __tablename__ = "forum_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(
        sa.ForeignKey("forums.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL")
    )
    #: Shared-schema account id when the person has an account (no FK: see module docstring).
    user_id: Mapped[int | None] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(TenantEncrypted())
    role_title: Mapped[str] = mapped_column(sa.String(120), default="")
    email: Mapped[str | None] = mapped_column(TenantEncrypted())
    #: Keyed hash of the e-mail under the municipality's look-up key, for finding a person.
    email_lookup: Mapped[str | None] = mapped_column(
        sa.String(80), index=True, info={"blind_index_of": "email"}
    )
    phone: Mapped[str | None] = mapped_column(TenantEncrypted())
    is_convener: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    #: Optimistic lock, bumped on every update: a save loaded at another version is refused.
    version: Mapped[int] = mapped_column(server_default=sa.text("1"))
    __mapper_args__ = {"version_id_col": version}

    forum: Mapped[Forum] = relationship(back_populates="members")
    organisation: Mapped[Organisation | None] = relationship()

    @validates("email")
    def _index_email(self, _key: str, email: str | None) -> str | None:
        self.email_lookup = tenant_blind_index(email) if email else None
        return email


class Meeting(TimestampMixin, Base):
    """One meeting of a forum: generated from the cadence, or extra."""

    __tablename__ = "meetings"
    __table_args__ = (
        sa.Index(None, "forum_id", "starts_at"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forums.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    location: Mapped[str] = mapped_column(sa.String(200), default="")
    state: Mapped[MeetingState] = mapped_column(_enum(MeetingState), default=MeetingState.planned)
    #: The cadence date this meeting stands for (kept when moved); None for extra meetings.
    cadence_date: Mapped[date | None]
    cancel_reason: Mapped[str] = mapped_column(TenantEncrypted(), default="")
    minutes_html: Mapped[str] = mapped_column(TenantEncrypted(), default="")
    minutes_status: Mapped[MinutesStatus] = mapped_column(
        _enum(MinutesStatus), default=MinutesStatus.draft
    )
    #: Optimistic lock: a save must name the version it edited, or it is refused as stale.
    minutes_version: Mapped[int] = mapped_column(default=0)
    minutes_approved_by: Mapped[int | None]
    minutes_approved_at: Mapped[datetime | None]
    reminder_sent_at: Mapped[datetime | None]
    #: Optimistic lock, bumped on every update: a save loaded at another version is refused.
    version: Mapped[int] = mapped_column(server_default=sa.text("1"))
    __mapper_args__ = {"version_id_col": version}

    forum: Mapped[Forum] = relationship(back_populates="meetings")
    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="AgendaItem.position"
    )
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Decision.id"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Attachment.id"
    )


class MinutesVersion(Base):
    """Every saved version of a meeting's minutes, so nothing is ever lost."""

    __tablename__ = "minutes_versions"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    version: Mapped[int]
    html: Mapped[str] = mapped_column(TenantEncrypted())
    saved_by: Mapped[int | None]
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)


class AgendaItem(Base):
    """An agenda item with owner and time; carried actions point back to their action."""

    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(TenantEncrypted())
    owner_member_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("forum_members.id", ondelete="SET NULL")
    )
    minutes: Mapped[int | None]
    action_id: Mapped[int | None] = mapped_column(sa.ForeignKey("actions.id", ondelete="SET NULL"))
    #: Optimistic lock, bumped on every update: a save loaded at another version is refused.
    version: Mapped[int] = mapped_column(server_default=sa.text("1"))
    __mapper_args__ = {"version_id_col": version}

    meeting: Mapped[Meeting] = relationship(back_populates="agenda_items")
    owner: Mapped[ForumMember | None] = relationship()
    #: The carried action, for its due date on the agenda.
    action: Mapped[Action | None] = relationship()


class Attendance(Base):
    """Who came: per member (with their organisation) or per organisation alone."""

    __tablename__ = "attendance"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "member_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("forum_members.id", ondelete="CASCADE")
    )
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL")
    )
    status: Mapped[AttendanceStatus] = mapped_column(_enum(AttendanceStatus))
    stand_in_name: Mapped[str | None] = mapped_column(TenantEncrypted())
    #: Optimistic lock, bumped on every update: a save loaded at another version is refused.
    version: Mapped[int] = mapped_column(server_default=sa.text("1"))
    __mapper_args__ = {"version_id_col": version}

    meeting: Mapped[Meeting] = relationship(back_populates="attendance")
    member: Mapped[ForumMember | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()


class Decision(Base):
    """A decision taken at a meeting."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(TenantEncrypted())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Optimistic lock, bumped on every update: a save loaded at another version is refused.
    version: Mapped[int] = mapped_column(server_default=sa.text("1"))
    __mapper_args__ = {"version_id_col": version}

    meeting: Mapped[Meeting] = relationship(back_populates="decisions")


class Action(TimestampMixin, Base):
    """An action with owner, organisation and due date, followed up at later meetings."""

    __tablename__ = "actions"
    __table_args__ = (sa.Index(None, "forum_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forums.id", ondelete="CASCADE"))
    meeting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(TenantEncrypted())
    owner_member_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("forum_members.id", ondelete="SET NULL")
    )
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL")
    )
    due_date: Mapped[date | None]
    status: Mapped[ActionStatus] = mapped_column(_enum(ActionStatus), default=ActionStatus.open)
    done_at: Mapped[datetime | None]
    reminder_sent_at: Mapped[datetime | None]
    #: Optimistic lock, bumped on every update: a save loaded at another version is refused.
    version: Mapped[int] = mapped_column(server_default=sa.text("1"))
    __mapper_args__ = {"version_id_col": version}

    forum: Mapped[Forum] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
    owner: Mapped[ForumMember | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()


class Attachment(Base):
    """A file attached to a meeting; the bytes live in the storage backend."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    storage_key: Mapped[str] = mapped_column(sa.String(600), unique=True)
    filename: Mapped[str] = mapped_column(TenantEncrypted())
    size: Mapped[int]
    content_type: Mapped[str] = mapped_column(sa.String(120))
    uploaded_by: Mapped[int | None]
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="attachments")


class PersonalFeed(Base):
    """A person's secret iCalendar feed in this municipality (all their forums' meetings)."""

    __tablename__ = "personal_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(unique=True)
    token: Mapped[str] = mapped_column(sa.String(64), default=new_token, unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutboxMessage(Base):
    """A reminder e-mail: sent by SMTP when configured; in the demo, shown on the outbox page."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    to_address: Mapped[str] = mapped_column(TenantEncrypted())
    subject: Mapped[str] = mapped_column(TenantEncrypted())
    body: Mapped[str] = mapped_column(TenantEncrypted())
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(TenantEncrypted())
