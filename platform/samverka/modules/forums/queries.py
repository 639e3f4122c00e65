"""Reads of organisations and forums in the bound tenant, with 404 helpers for views."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import selectinload

from samverka.db.base import utcnow
from samverka.db.crypto import lookup_candidates
from samverka.extensions import db
from samverka.modules.forums.models import (
    Forum,
    ForumMember,
    ForumState,
    Meeting,
    MeetingState,
    Organisation,
)


def forum_or_404(forum_id: int) -> Forum:
    """The forum with this id in the bound municipality, or 404."""
    forum = db.session.get(Forum, forum_id)
    if forum is None:
        abort(404)
    return forum


def forum_with_people_or_404(forum_id: int) -> Forum:
    """The forum with its organisations and members (and theirs) loaded up front, for pages."""
    forum = db.session.scalars(
        sa.select(Forum)
        .where(Forum.id == forum_id)
        .options(
            selectinload(Forum.organisations),
            selectinload(Forum.members).selectinload(ForumMember.organisation),
        )
    ).first()
    if forum is None:
        abort(404)
    return forum


def organisation_or_404(organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        abort(404)
    return organisation


def member_or_404(forum: Forum, member_id: int) -> ForumMember:
    """A member of exactly this forum (another forum's member id is a 404 here)."""
    member = db.session.get(ForumMember, member_id)
    if member is None or member.forum_id != forum.id or not member.active:
        abort(404)
    return member


def forums_query(state: ForumState | None = None) -> sa.Select:
    query = sa.select(Forum).order_by(Forum.name, Forum.id)
    if state is not None:
        query = query.where(Forum.state == state)
    return query


def organisations_query(active_only: bool = False) -> sa.Select:
    query = sa.select(Organisation).order_by(Organisation.active.desc(), Organisation.name)
    if active_only:
        query = query.where(Organisation.active.is_(True))
    return query


def active_organisations() -> list[Organisation]:
    return list(db.session.scalars(organisations_query(active_only=True)))


def organisations_by_ids(ids: Iterable[int]) -> list[Organisation]:
    wanted = set(ids)
    if not wanted:
        return []
    return list(
        db.session.scalars(
            sa.select(Organisation).where(Organisation.id.in_(wanted)).order_by(Organisation.name)
        )
    )


def upcoming_meetings(forum_id: int, limit: int = 5, now: datetime | None = None) -> list[Meeting]:
    """The forum's next meetings that have not started yet (cancelled ones included, marked)."""
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(Meeting.forum_id == forum_id, Meeting.starts_at >= (now or utcnow()))
            .order_by(Meeting.starts_at)
            .limit(limit)
        )
    )


def recent_meetings(forum_id: int, limit: int = 6, now: datetime | None = None) -> list[Meeting]:
    """The forum's latest meetings that have started, newest first: where minutes get written."""
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(Meeting.forum_id == forum_id, Meeting.starts_at < (now or utcnow()))
            .order_by(Meeting.starts_at.desc())
            .limit(limit)
        )
    )


def next_meeting_starts(forum_ids: Iterable[int]) -> dict[int, datetime]:
    """Each forum's next planned meeting start, in one query (for list pages)."""
    ids = list(forum_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(Meeting.forum_id, sa.func.min(Meeting.starts_at))
        .where(
            Meeting.forum_id.in_(ids),
            Meeting.state == MeetingState.planned,
            Meeting.starts_at >= utcnow(),
        )
        .group_by(Meeting.forum_id)
    ).all()
    return {forum_id: _aware(starts) for forum_id, starts in rows if starts is not None}


def _aware(value: datetime | str) -> datetime:
    # Be strict about awareness even if a driver hands back an aggregate undecorated.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def member_counts(forum_ids: Iterable[int]) -> dict[int, int]:
    ids = list(forum_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(ForumMember.forum_id, sa.func.count())
        .where(ForumMember.forum_id.in_(ids), ForumMember.active.is_(True))
        .group_by(ForumMember.forum_id)
    ).all()
    return dict(rows)


def meetings_query(forum_id: int) -> sa.Select:
    """A forum's meetings, earliest first (the API lists them page by page)."""
    return (
        sa.select(Meeting)
        .where(Meeting.forum_id == forum_id)
        .order_by(Meeting.starts_at, Meeting.id)
    )


def members_with_email(email: str) -> list[ForumMember]:
    """Forum members with this e-mail, found by keyed hash (the address itself is encrypted)."""
    return list(
        db.session.scalars(
            sa.select(ForumMember)
            .where(ForumMember.email_lookup.in_(lookup_candidates(email)))
            .order_by(ForumMember.id)
        )
    )
