"""Downloads for the forums' own members and the coordinators: minutes, actions, attendance."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import Blueprint, Response, abort, g, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload

from samverka.clock import STOCKHOLM
from samverka.db.base import utcnow
from samverka.extensions import db
from samverka.modules.audit.operations import record
from samverka.modules.forums import exports
from samverka.modules.forums.export_minutes import build_document, minutes_pdf
from samverka.modules.forums.meeting_forms import parse_small_int
from samverka.modules.forums.models import Forum, ForumMember, Meeting, MeetingState
from samverka.modules.forums.permissions import can_view_minutes, require
from samverka.modules.forums.vocabulary import FORUM_TYPES
from samverka.web import nav
from samverka.web.pagination import paginate
from samverka.web.permissions import is_coordinator, tenant_role_required

bp = Blueprint("exports", __name__, url_prefix="/k/<slug:tenant>", template_folder="templates")


def _forum(forum_id: int) -> Forum:
    forum = db.session.get(Forum, forum_id)
    if forum is None:
        abort(404)
    require(can_view_minutes(forum))
    return forum


def _meeting(forum: Forum, meeting_id: int) -> Meeting:
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or meeting.forum_id != forum.id:
        abort(404)
    return meeting


def _fmt(fmt: str) -> str:
    if fmt not in exports.FORMATS:
        abort(404)
    return fmt


def _status() -> exports.ActionStatus | None:
    try:
        return exports.parse_status(request.args.get("status"))
    except ValueError:
        abort(400, _("Okänd status. Välj öppna, klara, strukna eller alla åtgärder."))


def _status_key(status: exports.ActionStatus | None) -> str:
    return status.value if status else "alla"


def _meeting_count() -> int:
    count = parse_small_int(request.args.get("moten", str(exports.DEFAULT_MEETINGS)))
    if count is None or not 1 <= count <= exports.MAX_MEETINGS:
        abort(400, _("Antal möten ska vara ett heltal 1–%(max)d.", max=exports.MAX_MEETINGS))
    return count


def _download(table: exports.Table, fmt: str, stem: str) -> Response:
    body, content_type = exports.render(table, fmt)
    filename = f"{stem}-{datetime.now(STOCKHOLM):%Y-%m-%d}.{fmt}"
    return Response(
        body,
        content_type=content_type,  # already carries its charset where it has one
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _visible_forums() -> sa.Select:
    """Coordinators see every forum; others the forums they are active members of."""
    query = sa.select(Forum).order_by(Forum.name, Forum.id)
    if not is_coordinator():
        mine = sa.select(ForumMember.forum_id).where(
            ForumMember.user_id == current_user.id, ForumMember.active
        )
        query = query.where(Forum.id.in_(mine))
    return query


@bp.route("/export")
@tenant_role_required()
def index():
    """The forums this person may export from, with links per format."""
    page = paginate(_visible_forums())
    recent: dict[int, list[Meeting]] = {f.id: [] for f in page.items}
    if recent:
        meetings = db.session.scalars(
            sa.select(Meeting)
            .where(Meeting.forum_id.in_(recent), Meeting.state == MeetingState.held)
            .order_by(Meeting.starts_at.desc())
        )
        for meeting in meetings:
            if len(recent[meeting.forum_id]) < 3:
                recent[meeting.forum_id].append(meeting)
    return render_template(
        "exports/index.html",
        page=page,
        recent=recent,
        forum_types=FORUM_TYPES,
        statuses=exports.ACTION_STATUS_LABELS,
        default_meetings=exports.DEFAULT_MEETINGS,
        coordinator=is_coordinator(),
    )


@bp.route("/forum/<id:forum_id>/moten/<id:meeting_id>/utskrift")
@tenant_role_required()
def minutes_print(forum_id: int, meeting_id: int):
    """A print-friendly page of the minutes (the print stylesheet does the rest)."""
    forum = _forum(forum_id)
    meeting = _meeting(forum, meeting_id)
    record("export", "meeting", meeting.id, "Minnesanteckningar öppnade för utskrift")
    return render_template(
        "exports/minutes_print.html",
        forum=forum,
        meeting=meeting,
        doc=build_document(meeting),
        now=utcnow(),
    )


@bp.route("/forum/<id:forum_id>/moten/<id:meeting_id>/minnesanteckningar.pdf")
@tenant_role_required()
def minutes_pdf_download(forum_id: int, meeting_id: int):
    forum = _forum(forum_id)
    meeting = _meeting(forum, meeting_id)
    body = minutes_pdf(build_document(meeting), g.tenant.name)
    record("export", "meeting", meeting.id, "Minnesanteckningar exporterade som PDF")
    day = meeting.starts_at.astimezone(STOCKHOLM).date().isoformat()
    return Response(
        body,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="minnesanteckningar-{forum.id}-{day}.pdf"'
        },
    )


@bp.route("/export/forum/<id:forum_id>/atgarder.<fmt>")
@tenant_role_required()
def forum_actions(forum_id: int, fmt: str):
    forum = _forum(forum_id)
    fmt, status = _fmt(fmt), _status()
    table = exports.actions_table([forum], status)
    summary = f"Åtgärder exporterade ({fmt.upper()})"
    record("export", "forum", forum.id, summary, format=fmt, status=_status_key(status))
    return _download(table, fmt, f"atgarder-forum-{forum.id}")


@bp.route("/export/atgarder.<fmt>")
@tenant_role_required()
def all_actions(fmt: str):
    """Actions of every forum whose minutes this person may see, in one table."""
    fmt, status = _fmt(fmt), _status()
    forums = [
        f
        for f in db.session.scalars(_visible_forums().options(selectinload(Forum.members)))
        if can_view_minutes(f)
    ]
    if not forums:
        abort(403)
    table = exports.actions_table(forums, status)
    summary = f"Åtgärder för {len(forums)} forum exporterade ({fmt.upper()})"
    record("export", "municipality", None, summary, format=fmt, status=_status_key(status))
    return _download(table, fmt, f"atgarder-{g.tenant.slug}")


@bp.route("/export/forum/<id:forum_id>/narvaro.<fmt>")
@tenant_role_required()
def forum_attendance(forum_id: int, fmt: str):
    forum = _forum(forum_id)
    fmt, last = _fmt(fmt), _meeting_count()
    table = exports.attendance_table(forum, last)
    summary = f"Närvaro exporterad ({fmt.upper()}, {last} möten)"
    record("export", "forum", forum.id, summary, format=fmt, meetings=last)
    return _download(table, fmt, f"narvaro-forum-{forum.id}")


nav.register("tenant", "exports.index", _l("Exportera"), order=75)
