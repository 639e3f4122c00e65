"""Meetings API: a forum's meetings and their agenda.

The same permission functions and operations as the meeting pages: every member of the
municipality reads meetings and agendas (without owners); the forum's members and coordinators
plan meetings and edit agendas. Changes to an existing record need If-Match with its ETag.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _

from samverka.api.blueprint import bp
from samverka.api.common import (
    PAGE,
    TENANT,
    created,
    dump_page,
    load_body,
    no_content,
    ok,
    page_number,
    path_id,
    refuse,
)
from samverka.api.etags import ETAG_HEADER, IF_MATCH, refuse_stale, with_etag
from samverka.api.spec import document, problem_response
from samverka.extensions import db
from samverka.modules.forums import meeting_ops as ops
from samverka.modules.forums import queries
from samverka.modules.forums.meeting_forms import _member_choices
from samverka.modules.forums.meeting_loaders import load_child, load_meeting, working_meeting
from samverka.modules.forums.meeting_schemas import (
    ActionSchema,
    AgendaItemArgs,
    AgendaItemSchema,
    AttachmentSchema,
    DecisionSchema,
    MeetingArgs,
    MeetingDetailSchema,
    MeetingPageSchema,
    MeetingSchema,
    PublicAgendaItemSchema,
)
from samverka.modules.forums.models import AgendaItem, Meeting, MeetingState
from samverka.modules.forums.permissions import (
    can_view_actions,
    can_view_minutes,
    can_work_in_meetings,
    require,
)
from samverka.web.pagination import paginate

FORUM = "/k/<slug:tenant>/forums/<id:forum_id>/meetings"
MEETING = FORUM + "/<id:meeting_id>"
DOC_FORUM = "/api/k/{tenant}/forums/{forum_id}/meetings"
DOC_MEETING = DOC_FORUM + "/{meeting_id}"
FORUM_PARAMS = [TENANT, path_id("forum_id")]
MEETING_PARAMS = [*FORUM_PARAMS, path_id("meeting_id")]
TAGS = ["Möten"]
FORBIDDEN = problem_response("Bara forumets medlemmar och kommunens samordnare")
INVALID = problem_response("Ogiltiga uppgifter: ingenting ändrades")
STALE = {
    "412": problem_response("If-Match anger en äldre version: ingenting ändrades"),
    "428": problem_response("If-Match saknas: ingenting ändrades"),
}
#: Follow a created meeting or agenda item (schemathesis' stateful tests use these links too).
MEETING_LINK = {
    "GetMeeting": {
        "operationId": "getMeeting",
        "parameters": {
            "tenant": "$request.path.tenant",
            "forum_id": "$request.path.forum_id",
            "meeting_id": "$response.body#/id",
        },
    }
}


def _agenda(meeting: Meeting, schema: type[AgendaItemSchema]) -> list[dict[str, Any]]:
    """The agenda as the meeting page shows it: a carried action's title only to those who may
    see the forum's actions (the same rule, ``can_view_actions``, as the page)."""
    items = schema(many=True).dump(meeting.agenda_items)
    if not can_view_actions(meeting.forum):
        for item in items:
            if item["action_id"] is not None:
                item["title"] = _("Uppföljning av åtgärd")
    return items


def meeting_detail(meeting: Meeting) -> dict[str, Any]:
    """The meeting as its page shows it to the caller."""
    data = MeetingSchema().dump(meeting)
    if not can_view_minutes(meeting.forum):
        data["agenda"] = _agenda(meeting, PublicAgendaItemSchema)
        return data
    data |= {
        "agenda": _agenda(meeting, AgendaItemSchema),
        "cancel_reason": meeting.cancel_reason,
        "minutes_status": meeting.minutes_status.value,
        "decisions": DecisionSchema(many=True).dump(meeting.decisions),
        "actions_raised": ActionSchema(many=True).dump(ops.actions_raised_at(meeting)),
        "actions_followed_up": ActionSchema(many=True).dump(ops.actions_followed_up_at(meeting)),
        "attachments": AttachmentSchema(many=True).dump(meeting.attachments),
    }
    return data


def check_owner(forum: Any, owner_id: int | None, keep: int | None = None) -> None:
    """The same owners the agenda form offers: active members (and a kept former owner)."""
    allowed = {c.value for c in _member_choices(forum, keep)}
    if str(owner_id or "") not in allowed:
        refuse(422, _("Välj en av forumets medlemmar som ansvarig."))


@bp.route(FORUM, methods=["GET", "POST"])
@document(
    DOC_FORUM,
    get={
        "summary": "Forumets möten, tidigast först, sida för sida",
        "operationId": "listMeetings",
        "tags": TAGS,
        "parameters": [*FORUM_PARAMS, PAGE],
        "responses": {"200": ok(MeetingPageSchema), "400": problem_response("Ogiltigt sidnummer")},
    },
    post={
        "summary": "Skapa ett extra möte utanför mötesrytmen",
        "operationId": "createMeeting",
        "tags": TAGS,
        "parameters": FORUM_PARAMS,
        "requestBody": {"required": True, "content": {"application/json": {"schema": MeetingArgs}}},
        "responses": {
            "201": ok(MeetingSchema, ETAG_HEADER, "Skapat") | {"links": MEETING_LINK},
            "400": problem_response("Inget JSON-objekt"),
            "403": FORBIDDEN,
            "422": INVALID,
        },
    },
)
def api_meetings(forum_id: int):
    forum = queries.forum_or_404(forum_id)
    if request.method == "GET":
        page = paginate(queries.meetings_query(forum.id), number=page_number())
        return jsonify(dump_page(page, MeetingSchema))
    require(can_work_in_meetings(forum))
    args = load_body(MeetingArgs())
    meeting = ops.create_meeting(forum, args["day"], args["starts"], args["ends"], args["location"])
    db.session.flush()
    return created(MeetingSchema().dump(meeting), meeting)


@bp.route(MEETING, methods=["GET", "PATCH"])
@document(
    DOC_MEETING,
    get={
        "summary": "Ett möte med dagordning; närvaro, beslut, åtgärder och bilagor för forumets "
        "medlemmar och samordnare",
        "operationId": "getMeeting",
        "tags": TAGS,
        "parameters": MEETING_PARAMS,
        "responses": {"200": ok(MeetingDetailSchema, ETAG_HEADER)},
    },
    patch={
        "summary": "Flytta ett planerat möte (datum, tid, plats); kräver If-Match",
        "operationId": "moveMeeting",
        "tags": TAGS,
        "parameters": [*MEETING_PARAMS, IF_MATCH],
        "requestBody": {"required": True, "content": {"application/json": {"schema": MeetingArgs}}},
        "responses": {
            "200": ok(MeetingSchema, ETAG_HEADER),
            "400": problem_response("Inget JSON-objekt"),
            "403": FORBIDDEN,
            "409": problem_response("Mötet är inte planerat längre"),
            "422": INVALID,
            **STALE,
        },
    },
)
def api_meeting(forum_id: int, meeting_id: int):
    if request.method == "GET":
        meeting = load_meeting(forum_id, meeting_id)
        return with_etag(jsonify(meeting_detail(meeting)), meeting)
    meeting = working_meeting(forum_id, meeting_id)
    refused = refuse_stale(meeting)
    if refused is not None:
        return refused
    args = load_body(MeetingArgs())
    if meeting.state != MeetingState.planned:
        refuse(409, _("Bara planerade möten kan flyttas."))
    ops.move_meeting(meeting, args["day"], args["starts"], args["ends"], args["location"])
    db.session.flush()
    return with_etag(jsonify(MeetingSchema().dump(meeting)), meeting)


# --- agenda ---------------------------------------------------------------------------------


@bp.route(MEETING + "/agenda", methods=["POST"])
@document(
    DOC_MEETING + "/agenda",
    post={
        "summary": "Lägg till en punkt sist på dagordningen",
        "operationId": "addAgendaItem",
        "tags": TAGS,
        "parameters": MEETING_PARAMS,
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": AgendaItemArgs}},
        },
        "responses": {
            "201": ok(AgendaItemSchema, ETAG_HEADER, "Skapad"),
            "400": problem_response("Inget JSON-objekt"),
            "403": FORBIDDEN,
            "422": INVALID,
        },
    },
)
def api_add_agenda_item(forum_id: int, meeting_id: int):
    meeting = working_meeting(forum_id, meeting_id)
    args = load_body(AgendaItemArgs())
    check_owner(meeting.forum, args["owner_member_id"])
    item = ops.add_agenda_item(meeting, args["title"], args["owner_member_id"], args["minutes"])
    db.session.flush()
    return created(AgendaItemSchema().dump(item), item)


@bp.route(MEETING + "/agenda/<id:item_id>", methods=["PATCH", "DELETE"])
@document(
    DOC_MEETING + "/agenda/{item_id}",
    patch={
        "summary": "Ändra en punkt på dagordningen; kräver If-Match med punktens ETag",
        "operationId": "editAgendaItem",
        "tags": TAGS,
        "parameters": [*MEETING_PARAMS, path_id("item_id"), IF_MATCH],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": AgendaItemArgs}},
        },
        "responses": {
            "200": ok(AgendaItemSchema, ETAG_HEADER),
            "400": problem_response("Inget JSON-objekt"),
            "403": FORBIDDEN,
            "422": INVALID,
            **STALE,
        },
    },
    delete={
        "summary": "Ta bort en punkt från dagordningen",
        "operationId": "removeAgendaItem",
        "tags": TAGS,
        "parameters": [*MEETING_PARAMS, path_id("item_id")],
        "responses": {"204": {"description": "Borttagen"}, "403": FORBIDDEN},
    },
)
def api_agenda_item(forum_id: int, meeting_id: int, item_id: int):
    meeting = working_meeting(forum_id, meeting_id)
    item = load_child(AgendaItem, item_id, meeting)
    if request.method == "DELETE":
        ops.remove_agenda_item(meeting, item)
        db.session.flush()
        return no_content()
    refused = refuse_stale(item)
    if refused is not None:
        return refused
    args = load_body(AgendaItemArgs())
    check_owner(meeting.forum, args["owner_member_id"], keep=item.owner_member_id)
    ops.edit_agenda_item(item, args["title"], args["owner_member_id"], args["minutes"])
    db.session.flush()
    return with_etag(jsonify(AgendaItemSchema().dump(item)), item)
