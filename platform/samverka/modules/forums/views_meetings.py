"""The meeting page: schedule, agenda, attendance, minutes, decisions, actions, attachments."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from samverka.extensions import db
from samverka.modules.forums import meeting_ops as ops
from samverka.modules.forums import queries
from samverka.modules.forums.forum_labels import ATTENDANCE_LABELS, MEETING_STATE_LABELS
from samverka.modules.forums.meeting_forms import (
    ACTION_STATUS_LABELS,
    ActionForm,
    ActionStatusForm,
    AgendaItemForm,
    AttachmentForm,
    AttendanceSheet,
    CancelForm,
    ConfirmForm,
    DecisionForm,
    MeetingForm,
    stored_cancel_form,
    stored_item_form,
    stored_schedule_form,
    stored_status_form,
)
from samverka.modules.forums.meeting_loaders import (
    load_child,
    load_meeting,
    working_meeting,
)
from samverka.modules.forums.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Decision,
    Forum,
    ForumMember,
    Meeting,
    MeetingState,
    MinutesStatus,
)
from samverka.modules.forums.permissions import (
    can_edit_forum,
    can_view_actions,
    can_view_minutes,
    can_work_in_meetings,
    require,
)
from samverka.web.conflicts import check_version

bp = Blueprint("meetings", __name__, url_prefix="/k/<slug:tenant>", template_folder="templates")

FORUM = "/forum/<id:forum_id>/moten"
MEETING = FORUM + "/<id:meeting_id>"

STATE_LABELS = MEETING_STATE_LABELS
MINUTES_LABELS = {MinutesStatus.draft: _l("Utkast"), MinutesStatus.approved: _l("Godkända")}


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {
        "state_labels": STATE_LABELS,
        "attendance_labels": ATTENDANCE_LABELS,
        "minutes_labels": MINUTES_LABELS,
        "action_labels": ACTION_STATUS_LABELS,
    }


# --- loading ----------------------------------------------------------------------------------


def back_to(meeting: Meeting, anchor: str | None = None) -> Response:
    return redirect(
        url_for("meetings.show", forum_id=meeting.forum_id, meeting_id=meeting.id, _anchor=anchor)
    )


def user_names(user_ids: set[int | None]) -> dict[int, str]:
    from samverka.modules.auth.queries import names_by_id

    return names_by_id({i for i in user_ids if i})


def render_show(meeting: Meeting, status: int = 200, **forms: Any) -> tuple[str, int]:
    forum = meeting.forum
    forms.setdefault("agenda_form", AgendaItemForm(forum, prefix="agenda", formdata=None))
    forms.setdefault("decision_form", DecisionForm(prefix="decision", formdata=None))
    forms.setdefault("action_form", ActionForm(forum, prefix="action", formdata=None))
    forms.setdefault("attachment_form", AttachmentForm(prefix="attachment", formdata=None))
    may_view = can_view_minutes(forum)
    may_view_actions = can_view_actions(forum)
    uploaders = {a.uploaded_by for a in meeting.attachments} if may_view else set()
    return render_template(
        "meetings/show.html",
        forum=forum,
        meeting=meeting,
        # Actions name people: only for those who may read them (here, on the agenda, exports).
        raised=ops.actions_raised_at(meeting) if may_view_actions else [],
        followed=ops.actions_followed_up_at(meeting) if may_view_actions else [],
        can_view_actions=may_view_actions,
        has_started=ops.has_started(meeting),
        names=user_names({meeting.minutes_approved_by, *uploaders}),
        can_work=can_work_in_meetings(forum),
        can_reinstate=ops.can_reinstate(meeting) and can_work_in_meetings(forum),
        can_view=may_view,
        can_approve=can_edit_forum(forum),
        **forms,
    ), status


# --- the page and the schedule -------------------------------------------------------------


def render_form(template: str, form: Any, forum: Forum, **context: Any) -> tuple[str, int]:
    """A form page: 422 when the submitted form had errors, so nothing reads as saved."""
    status = 422 if form.errors else 200
    return render_template(template, forum=forum, form=form, **context), status


@bp.route(MEETING)
def show(forum_id: int, meeting_id: int):
    """One meeting; names, minutes, decisions and actions only for those who may read minutes."""
    return render_show(load_meeting(forum_id, meeting_id, SHOW_OPTIONS))


#: The page lists every member with their organisation: three statements, not one per member.
SHOW_OPTIONS = (
    joinedload(Meeting.forum).selectinload(Forum.members).selectinload(ForumMember.organisation),
)


@bp.route(FORUM + "/nytt", methods=["GET", "POST"])
def new(forum_id: int):
    """An extra meeting outside the cadence."""
    forum = queries.forum_or_404(forum_id)
    require(can_work_in_meetings(forum))
    form = MeetingForm()
    if request.method == "GET":
        ends = datetime.combine(datetime.today(), forum.start_time) + timedelta(
            minutes=forum.duration_minutes
        )
        form.starts.data, form.ends.data = forum.start_time, ends.time()
        form.location.data = forum.location
    elif form.validate_on_submit():
        meeting = ops.create_meeting(
            forum, form.day.data, form.starts.data, form.ends.data, form.location.data or ""
        )
        flash(_("Mötet är skapat."), "success")
        return back_to(meeting)
    return render_form("meetings/schedule.html", form, forum, meeting=None)


@bp.route(MEETING + "/flytta", methods=["GET", "POST"])
def move(forum_id: int, meeting_id: int):
    """Change a planned meeting's date, time or place."""
    meeting = working_meeting(forum_id, meeting_id)
    if meeting.state != MeetingState.planned:
        flash(_("Bara planerade möten kan flyttas."), "error")
        return back_to(meeting)
    form = stored_schedule_form(meeting) if request.method == "GET" else MeetingForm()
    if form.validate_on_submit():
        check_version(
            meeting, form, lambda: stored_schedule_form(meeting), back=meeting_url(meeting)
        )
        ops.move_meeting(
            meeting, form.day.data, form.starts.data, form.ends.data, form.location.data or ""
        )
        flash(_("Mötet är ändrat."), "success")
        return back_to(meeting)
    return render_form("meetings/schedule.html", form, meeting.forum, meeting=meeting)


@bp.route(MEETING + "/stall-in", methods=["GET", "POST"])
def cancel(forum_id: int, meeting_id: int):
    """Cancel a planned meeting, saying why."""
    meeting = working_meeting(forum_id, meeting_id)
    if meeting.state != MeetingState.planned:
        flash(_("Bara planerade möten kan ställas in."), "error")
        return back_to(meeting)
    form = CancelForm()
    if request.method == "GET":
        form.version.data = meeting.version
    if form.validate_on_submit():
        check_version(meeting, form, lambda: stored_cancel_form(meeting), back=meeting_url(meeting))
        ops.cancel_meeting(meeting, form.reason.data)
        flash(_("Mötet är inställt."), "success")
        return back_to(meeting)
    return render_form("meetings/cancel.html", form, meeting.forum, meeting=meeting)


def meeting_url(meeting: Meeting, anchor: str | None = None) -> str:
    return url_for(
        "meetings.show", forum_id=meeting.forum_id, meeting_id=meeting.id, _anchor=anchor
    )


@bp.route(MEETING + "/genomfort", methods=["POST"])
def mark_held(forum_id: int, meeting_id: int):
    meeting = working_meeting(forum_id, meeting_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if meeting.state == MeetingState.planned and not ops.has_started(meeting):
        flash(_("Mötet har inte börjat än och kan inte markeras som genomfört."), "error")
    elif ops.mark_held(meeting):
        flash(_("Mötet är markerat som genomfört."), "success")
    else:
        flash(_("Bara planerade möten kan markeras som genomförda."), "error")
    return back_to(meeting)


@bp.route(MEETING + "/ateruppta", methods=["POST"])
def reinstate(forum_id: int, meeting_id: int):
    """Undo a cancellation, as long as the meeting has not started yet."""
    meeting = working_meeting(forum_id, meeting_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not ops.reinstate_meeting(meeting):
        message = _("Bara inställda möten som inte har börjat än kan återupptas.")
        flash(message, "error")
        return render_show(meeting, 409)
    flash(_("Mötet är återupptaget och planerat igen."), "success")
    return back_to(meeting)


# --- agenda ---------------------------------------------------------------------------------


@bp.route(MEETING + "/dagordning", methods=["POST"])
def add_item(forum_id: int, meeting_id: int):
    meeting = working_meeting(forum_id, meeting_id)
    form = AgendaItemForm(meeting.forum, prefix="agenda")
    if not form.validate_on_submit():
        return render_show(meeting, 422, agenda_form=form)
    ops.add_agenda_item(meeting, form.title.data, form.owner.data, form.minutes.data)
    flash(_("Punkten är tillagd."), "success")
    return back_to(meeting, "agenda")


@bp.route(MEETING + "/dagordning/<id:item_id>", methods=["GET", "POST"])
def edit_item(forum_id: int, meeting_id: int, item_id: int):
    meeting = working_meeting(forum_id, meeting_id)
    item = load_child(AgendaItem, item_id, meeting)
    if request.method == "GET":
        form = stored_item_form(meeting, item)
    else:
        form = AgendaItemForm(meeting.forum, keep_owner=item.owner_member_id)
    if form.validate_on_submit():
        check_version(
            item, form, lambda: stored_item_form(meeting, item), back=meeting_url(meeting, "agenda")
        )
        ops.edit_agenda_item(item, form.title.data, form.owner.data, form.minutes.data)
        flash(_("Punkten är ändrad."), "success")
        return back_to(meeting, "agenda")
    return render_form("meetings/agenda_item.html", form, meeting.forum, meeting=meeting, item=item)


@bp.route(MEETING + "/dagordning/<id:item_id>/flytta", methods=["POST"])
def move_item(forum_id: int, meeting_id: int, item_id: int):
    meeting = working_meeting(forum_id, meeting_id)
    item = load_child(AgendaItem, item_id, meeting)
    step = {"upp": -1, "ner": 1}.get(request.form.get("riktning", ""))
    if step is None:
        abort(400)
    ops.move_agenda_item(meeting, item, step)
    return back_to(meeting, f"item-{item.id}")


@bp.route(MEETING + "/dagordning/<id:item_id>/ta-bort", methods=["POST"])
def remove_item(forum_id: int, meeting_id: int, item_id: int):
    meeting = working_meeting(forum_id, meeting_id)
    ops.remove_agenda_item(meeting, load_child(AgendaItem, item_id, meeting))
    flash(_("Punkten är borttagen."), "success")
    return back_to(meeting, "agenda")


# --- attendance -----------------------------------------------------------------------------


@bp.route(MEETING + "/narvaro", methods=["GET", "POST"])
def attendance(forum_id: int, meeting_id: int):
    """One form for everyone: saving replaces the meeting's attendance."""
    meeting = working_meeting(forum_id, meeting_id)
    if request.method == "POST":
        ops.lock_attendance(meeting)
    forum = meeting.forum
    members = ops.attendance_members(meeting)
    orgs = {o.id: o for o in forum.organisations}
    orgs.update({m.organisation.id: m.organisation for m in members if m.organisation})
    alone = ops.attendance_organisations(meeting)
    sheet = AttendanceSheet(
        members, orgs, meeting.attendance, alone, (o.id for o in forum.organisations)
    )
    conflict = False
    if request.method == "POST" and ConfirmForm().validate_on_submit():
        rows = sheet.read(request.form)
        # Someone else saved since this form was loaded: save nothing, show both.
        conflict = request.form.get("marker", "") != ops.attendance_marker(meeting)
        if rows is not None and not conflict:
            ops.replace_attendance(meeting, rows)
            flash(_("Närvaron är sparad."), "success")
            return back_to(meeting, "attendance")
    status = 409 if conflict else 422 if sheet.errors else 200
    return render_template(
        "meetings/attendance.html",
        forum=forum,
        meeting=meeting,
        members=members,
        organisations=sorted(orgs.values(), key=lambda o: o.name),
        values=sheet.values,
        alone=alone,
        alone_values=sheet.alone_values,
        errors=sheet.errors,
        conflict=conflict,
        saved=sorted(meeting.attendance, key=lambda a: a.id) if conflict else [],
        marker=ops.attendance_marker(meeting),
    ), status


# --- decisions and actions ------------------------------------------------------------------


@bp.route(MEETING + "/beslut", methods=["POST"])
def add_decision(forum_id: int, meeting_id: int):
    meeting = working_meeting(forum_id, meeting_id)
    form = DecisionForm(prefix="decision")
    if not form.validate_on_submit():
        return render_show(meeting, 422, decision_form=form)
    ops.add_decision(meeting, form.text.data)
    flash(_("Beslutet är tillagt."), "success")
    return back_to(meeting, "decisions")


@bp.route(MEETING + "/beslut/<id:decision_id>/ta-bort", methods=["POST"])
def remove_decision(forum_id: int, meeting_id: int, decision_id: int):
    meeting = working_meeting(forum_id, meeting_id)
    ops.remove_decision(meeting, load_child(Decision, decision_id, meeting))
    flash(_("Beslutet är borttaget."), "success")
    return back_to(meeting, "decisions")


@bp.route(MEETING + "/atgarder", methods=["POST"])
def add_action(forum_id: int, meeting_id: int):
    """Raise an action; it is followed up on the next planned meeting's agenda."""
    meeting = working_meeting(forum_id, meeting_id)
    form = ActionForm(meeting.forum, prefix="action")
    if not form.validate_on_submit():
        return render_show(meeting, 422, action_form=form)
    ops.add_action(
        meeting, form.title.data, form.owner.data, form.organisation.data, form.due_date.data
    )
    flash(_("Åtgärden är tillagd och följs upp på nästa möte."), "success")
    return back_to(meeting, "actions")


@bp.route(MEETING + "/atgarder/<id:action_id>/status", methods=["POST"])
def action_status(forum_id: int, meeting_id: int, action_id: int):
    meeting = working_meeting(forum_id, meeting_id)
    action = db.session.get(Action, action_id)
    if action is None or action.forum_id != meeting.forum_id:
        abort(404)
    form = ActionStatusForm()
    if not form.validate_on_submit():
        flash(_("Välj en giltig status."), "error")
        return back_to(meeting, "actions")
    check_version(
        action, form, lambda: stored_status_form(action), back=meeting_url(meeting, "actions")
    )
    ops.set_action_status(action, ActionStatus(form.status.data))
    flash(_("Åtgärdens status är ändrad."), "success")
    return back_to(meeting, "actions")


# Minutes and attachment routes live in their own module on the same blueprint.
from samverka.modules.forums import views_minutes  # noqa: E402, F401
