"""Minutes over the API, with the meeting page's conflict rule.

A save names the version it was based on; if someone saved since, nothing changes and the answer
is 409 with both texts (yours and the latest), just as the edit page shows them side by side.
"""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _

from samverka.api.blueprint import bp
from samverka.api.common import PAGE, dump_page, load_body, ok, page_number, path_id, refuse
from samverka.api.spec import document, problem_response
from samverka.modules.forums import minutes as minutes_ops
from samverka.modules.forums.api_meetings import (
    DOC_MEETING,
    FORBIDDEN,
    INVALID,
    MEETING,
    MEETING_PARAMS,
    TAGS,
)
from samverka.modules.forums.meeting_loaders import current_user_id, load_meeting, working_meeting
from samverka.modules.forums.meeting_schemas import (
    ApproveArgs,
    MinutesArgs,
    MinutesConflictSchema,
    MinutesSchema,
    MinutesVersionPageSchema,
    MinutesVersionSchema,
)
from samverka.modules.forums.permissions import can_edit_forum, can_view_minutes, require
from samverka.web.errors import problem
from samverka.web.pagination import paginate


@bp.route(MEETING + "/minutes", methods=["GET", "PUT"])
@document(
    DOC_MEETING + "/minutes",
    get={
        "summary": "Mötets minnesanteckningar (forumets medlemmar och samordnare)",
        "operationId": "getMinutes",
        "tags": TAGS,
        "parameters": MEETING_PARAMS,
        "responses": {"200": ok(MinutesSchema), "403": FORBIDDEN},
    },
    put={
        "summary": "Spara en ny version; en äldre base_version ger 409 med båda texterna",
        "operationId": "saveMinutes",
        "tags": TAGS,
        "parameters": MEETING_PARAMS,
        "requestBody": {"required": True, "content": {"application/json": {"schema": MinutesArgs}}},
        "responses": {
            "200": ok(MinutesSchema),
            "400": problem_response("Inget JSON-objekt"),
            "403": FORBIDDEN,
            "409": {
                "description": "Någon annan har sparat sedan base_version: ingenting ändrades",
                "content": {"application/problem+json": {"schema": MinutesConflictSchema}},
            },
            "422": INVALID,
        },
    },
)
def api_minutes(forum_id: int, meeting_id: int):
    if request.method == "GET":
        meeting = load_meeting(forum_id, meeting_id)
        require(can_view_minutes(meeting.forum))
        return jsonify(MinutesSchema().dump(meeting))
    meeting = working_meeting(forum_id, meeting_id)
    args = load_body(MinutesArgs())
    result = minutes_ops.save_minutes(
        meeting, args["text"], args["base_version"], current_user_id()
    )
    if not result.saved:
        latest = minutes_ops.get_version(meeting, meeting.minutes_version)
        response = problem(
            409,
            _(
                "Någon annan har sparat anteckningarna (version %(n)d) sedan du läste dem. "
                "Ingenting ändrades; jämför texterna och spara igen med base_version %(n)d.",
                n=meeting.minutes_version,
            ),
        )
        body = response.get_json() | {
            "mine": args["text"],
            "latest": MinutesVersionSchema().dump(latest) if latest else None,
        }
        conflict = jsonify(body)
        conflict.status_code, conflict.mimetype = 409, "application/problem+json"
        return conflict
    return jsonify(MinutesSchema().dump(meeting))


@bp.route(MEETING + "/minutes/approve", methods=["POST"])
@document(
    DOC_MEETING + "/minutes/approve",
    post={
        "summary": "Godkänn den version du läste (sammankallande och samordnare)",
        "operationId": "approveMinutes",
        "tags": TAGS,
        "parameters": MEETING_PARAMS,
        "requestBody": {"required": True, "content": {"application/json": {"schema": ApproveArgs}}},
        "responses": {
            "200": ok(MinutesSchema),
            "400": problem_response("Inget JSON-objekt"),
            "403": problem_response("Bara sammankallande och samordnare godkänner"),
            "409": problem_response("Anteckningarna är tomma eller har ändrats: ej godkända"),
            "422": INVALID,
        },
    },
)
def api_approve_minutes(forum_id: int, meeting_id: int):
    meeting = load_meeting(forum_id, meeting_id)
    require(can_edit_forum(meeting.forum))
    args = load_body(ApproveArgs())
    if not minutes_ops.approve_minutes(meeting, args["version"], current_user_id()):
        refuse(
            409,
            _(
                "Anteckningarna kunde inte godkännas: de är tomma eller har ändrats sedan du läste dem."
            ),
        )
    return jsonify(MinutesSchema().dump(meeting))


@bp.route(MEETING + "/minutes/versions")
@document(
    DOC_MEETING + "/minutes/versions",
    get={
        "summary": "Alla sparade versioner, nyast först, sida för sida",
        "operationId": "listMinutesVersions",
        "tags": TAGS,
        "parameters": [*MEETING_PARAMS, PAGE],
        "responses": {
            "200": ok(MinutesVersionPageSchema),
            "400": problem_response("Ogiltigt sidnummer"),
            "403": FORBIDDEN,
        },
    },
)
def api_minutes_versions(forum_id: int, meeting_id: int):
    meeting = load_meeting(forum_id, meeting_id)
    require(can_view_minutes(meeting.forum))
    page = paginate(minutes_ops.versions_query(meeting), number=page_number())
    return jsonify(dump_page(page, MinutesVersionSchema))


@bp.route(MEETING + "/minutes/versions/<id:version>")
@document(
    DOC_MEETING + "/minutes/versions/{version}",
    get={
        "summary": "En sparad version av minnesanteckningarna",
        "operationId": "getMinutesVersion",
        "tags": TAGS,
        "parameters": [*MEETING_PARAMS, path_id("version")],
        "responses": {"200": ok(MinutesVersionSchema), "403": FORBIDDEN},
    },
)
def api_minutes_version(forum_id: int, meeting_id: int, version: int):
    meeting = load_meeting(forum_id, meeting_id)
    require(can_view_minutes(meeting.forum))
    found = minutes_ops.get_version(meeting, version)
    if found is None:
        refuse(404, _("Versionen finns inte."))
    return jsonify(MinutesVersionSchema().dump(found))
