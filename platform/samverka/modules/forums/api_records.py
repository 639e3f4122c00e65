"""Attendance, decisions and actions of a meeting over the API.

The forum's members and the municipality's coordinators read and write them (the meeting page's
``can_work_in_meetings``); the attendance is checked by the attendance form's own sheet, so the
API and the page accept exactly the same rows.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _

from samverka.api.blueprint import bp
from samverka.api.common import created, load_body, no_content, ok, path_id, refuse
from samverka.api.etags import ETAG_HEADER, IF_MATCH, refuse_stale, with_etag
from samverka.api.spec import document, problem_response
from samverka.extensions import db
from samverka.modules.forums import meeting_ops as ops
from samverka.modules.forums.api_meetings import (
    DOC_MEETING,
    FORBIDDEN,
    INVALID,
    MEETING,
    MEETING_PARAMS,
    STALE,
    TAGS,
    check_owner,
)
from samverka.modules.forums.meeting_forms import AttendanceSheet, _organisation_choices
from samverka.modules.forums.meeting_loaders import load_child, working_meeting
from samverka.modules.forums.meeting_schemas import (
    ActionArgs,
    ActionSchema,
    ActionStatusArgs,
    AttendanceArgs,
    AttendanceRowSchema,
    AttendanceSchema,
    DecisionArgs,
    DecisionSchema,
)
from samverka.modules.forums.models import Action, ActionStatus, Decision, Meeting
from samverka.web.errors import problem

# --- attendance -----------------------------------------------------------------------------


def _attendance(meeting: Meeting) -> Any:
    marker = ops.attendance_marker(meeting)
    rows = sorted(meeting.attendance, key=lambda a: (a.member_id or 0, a.organisation_id or 0))
    response = jsonify({"rows": AttendanceRowSchema(many=True).dump(rows), "marker": marker})
    response.set_etag(marker)
    return response


def _sheet(meeting: Meeting) -> AttendanceSheet:
    """The attendance form's sheet, built as the attendance page builds it."""
    forum = meeting.forum
    members = ops.attendance_members(meeting)
    orgs = {o.id: o for o in forum.organisations}
    orgs.update({m.organisation.id: m.organisation for m in members if m.organisation})
    alone = ops.attendance_organisations(meeting)
    return AttendanceSheet(
        members, orgs, meeting.attendance, alone, (o.id for o in forum.organisations)
    )


def _formdata(args: dict[str, Any], sheet: AttendanceSheet) -> dict[str, str]:
    """The JSON rows as the attendance form would post them."""
    known = {m.id for m in sheet.members}
    data: dict[str, str] = {}
    for row in args["members"]:
        if row["member_id"] not in known:
            refuse(422, _("Närvaro kan bara registreras för forumets medlemmar."))
        key = row["member_id"]
        data[f"status-{key}"] = row["status"]
        data[f"org-{key}"] = str(row["organisation_id"] or "")
        data[f"standin-{key}"] = row["stand_in_name"]
    for row in args["organisations"]:
        key = row["organisation_id"]
        data[f"orgstatus-{key}"] = row["status"]
        data[f"orgstandin-{key}"] = row["stand_in_name"]
    return data


@bp.route(MEETING + "/attendance", methods=["GET", "PUT"])
@document(
    DOC_MEETING + "/attendance",
    get={
        "summary": "Mötets närvaro; ETag är närvarons fingeravtryck",
        "operationId": "getAttendance",
        "tags": TAGS,
        "parameters": MEETING_PARAMS,
        "responses": {"200": ok(AttendanceSchema, ETAG_HEADER), "403": FORBIDDEN},
    },
    put={
        "summary": "Ersätt mötets närvaro; kräver If-Match med närvarons ETag",
        "operationId": "saveAttendance",
        "tags": TAGS,
        "parameters": [*MEETING_PARAMS, IF_MATCH],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": AttendanceArgs}},
        },
        "responses": {
            "200": ok(AttendanceSchema, ETAG_HEADER),
            "400": problem_response("Inget JSON-objekt"),
            "403": FORBIDDEN,
            "422": INVALID,
            **STALE,
        },
    },
)
def api_attendance(forum_id: int, meeting_id: int):
    meeting = working_meeting(forum_id, meeting_id)
    if request.method == "GET":
        return _attendance(meeting)
    ops.lock_attendance(meeting)
    marker = ops.attendance_marker(meeting)
    if_match = request.if_match
    if not if_match or if_match.star_tag:
        return problem(428, _("Ange If-Match med den ETag du fick när du läste närvaron."))
    if not if_match.contains(marker):
        response = problem(
            412, _("Någon annan har sparat närvaron sedan du läste den. Läs den igen.")
        )
        response.set_etag(marker)
        return response
    args = load_body(AttendanceArgs())
    sheet = _sheet(meeting)
    rows = sheet.read(_formdata(args, sheet))
    if rows is None:
        return problem(422, errors={key: [message] for key, message in sheet.errors.items()})
    ops.replace_attendance(meeting, rows)
    db.session.flush()
    db.session.expire(meeting, ["attendance"])
    return _attendance(meeting)


# --- decisions ------------------------------------------------------------------------------


@bp.route(MEETING + "/decisions", methods=["POST"])
@document(
    DOC_MEETING + "/decisions",
    post={
        "summary": "Lägg till ett beslut",
        "operationId": "addDecision",
        "tags": TAGS,
        "parameters": MEETING_PARAMS,
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": DecisionArgs}},
        },
        "responses": {
            "201": ok(DecisionSchema, status="Skapat"),
            "400": problem_response("Inget JSON-objekt"),
            "403": FORBIDDEN,
            "422": INVALID,
        },
    },
)
def api_add_decision(forum_id: int, meeting_id: int):
    meeting = working_meeting(forum_id, meeting_id)
    args = load_body(DecisionArgs())
    decision = ops.add_decision(meeting, args["text"])
    db.session.flush()
    return created(DecisionSchema().dump(decision))


@bp.route(MEETING + "/decisions/<id:decision_id>", methods=["DELETE"])
@document(
    DOC_MEETING + "/decisions/{decision_id}",
    delete={
        "summary": "Ta bort ett beslut",
        "operationId": "removeDecision",
        "tags": TAGS,
        "parameters": [*MEETING_PARAMS, path_id("decision_id")],
        "responses": {"204": {"description": "Borttaget"}, "403": FORBIDDEN},
    },
)
def api_decision(forum_id: int, meeting_id: int, decision_id: int):
    meeting = working_meeting(forum_id, meeting_id)
    ops.remove_decision(meeting, load_child(Decision, decision_id, meeting))
    db.session.flush()
    return no_content()


# --- actions --------------------------------------------------------------------------------


@bp.route(MEETING + "/actions", methods=["POST"])
@document(
    DOC_MEETING + "/actions",
    post={
        "summary": "Lägg till en åtgärd; den följs upp på forumets nästa planerade möte",
        "operationId": "addAction",
        "tags": TAGS,
        "parameters": MEETING_PARAMS,
        "requestBody": {"required": True, "content": {"application/json": {"schema": ActionArgs}}},
        "responses": {
            "201": ok(ActionSchema, ETAG_HEADER, "Skapad"),
            "400": problem_response("Inget JSON-objekt"),
            "403": FORBIDDEN,
            "422": INVALID,
        },
    },
)
def api_add_action(forum_id: int, meeting_id: int):
    meeting = working_meeting(forum_id, meeting_id)
    args = load_body(ActionArgs())
    check_owner(meeting.forum, args["owner_member_id"])
    organisations = {c.value for c in _organisation_choices(meeting.forum)}
    if str(args["organisation_id"] or "") not in organisations:
        refuse(422, _("Välj en av forumets organisationer."))
    action = ops.add_action(
        meeting,
        args["title"],
        args["owner_member_id"],
        args["organisation_id"],
        args["due_date"],
    )
    db.session.flush()
    return created(ActionSchema().dump(action), action)


@bp.route(MEETING + "/actions/<id:action_id>", methods=["PATCH"])
@document(
    DOC_MEETING + "/actions/{action_id}",
    patch={
        "summary": "Ändra en åtgärds status; kräver If-Match med åtgärdens ETag",
        "operationId": "setActionStatus",
        "tags": TAGS,
        "parameters": [*MEETING_PARAMS, path_id("action_id"), IF_MATCH],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": ActionStatusArgs}},
        },
        "responses": {
            "200": ok(ActionSchema, ETAG_HEADER),
            "400": problem_response("Inget JSON-objekt"),
            "403": FORBIDDEN,
            "422": INVALID,
            **STALE,
        },
    },
)
def api_action(forum_id: int, meeting_id: int, action_id: int):
    meeting = working_meeting(forum_id, meeting_id)
    action = db.session.get(Action, action_id)
    if action is None or action.forum_id != meeting.forum_id:
        refuse(404, _("Åtgärden finns inte i forumet."))
    refused = refuse_stale(action)
    if refused is not None:
        return refused
    args = load_body(ActionStatusArgs())
    ops.set_action_status(action, ActionStatus(args["status"]))
    db.session.flush()
    return with_etag(jsonify(ActionSchema().dump(action)), action)
