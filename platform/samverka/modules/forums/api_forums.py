"""Forums API: the municipality's forums and organisations for its members.

Reads carry the record's version as ETag; a coordinator's change must send it back in If-Match.
"""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, request
from marshmallow import ValidationError

from samverka.api.blueprint import bp
from samverka.api.common import PAGE, page_number
from samverka.api.etags import ETAG_HEADER, IF_MATCH, refuse_stale, with_etag
from samverka.api.spec import document, problem_response
from samverka.modules.forums import forum_ops, queries
from samverka.modules.forums.schemas import (
    ForumDetailSchema,
    ForumPageSchema,
    ForumSchema,
    OrganisationArgs,
    OrganisationPageSchema,
    OrganisationSchema,
)
from samverka.web.errors import problem
from samverka.web.pagination import Page, paginate
from samverka.web.permissions import is_coordinator

_TENANT = {"name": "tenant", "in": "path", "required": True, "schema": {"type": "string"}}
_PAGE = PAGE


def _ok(schema: Any, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response = {"description": "OK", "content": {"application/json": {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return response


def _page(page: Page, schema: Any) -> dict[str, Any]:
    return {
        "items": schema(many=True).dump(page.items),
        "page": page.number,
        "pages": page.pages,
        "total": page.total,
        "size": page.size,
    }


@bp.route("/k/<slug:tenant>/forums")
@document(
    "/api/k/{tenant}/forums",
    get={
        "summary": "Kommunens forum, sida för sida",
        "tags": ["Forum"],
        "parameters": [_TENANT, _PAGE],
        "responses": {"200": _ok(ForumPageSchema)},
    },
)
def api_forums():
    if g.get("tenant") is None:
        return problem(404)
    return jsonify(_page(paginate(queries.forums_query(), number=page_number()), ForumSchema))


@bp.route("/k/<slug:tenant>/forums/<id:forum_id>")
@document(
    "/api/k/{tenant}/forums/{forum_id}",
    get={
        "summary": "Ett forum med mötesrytm, organisationer, medlemmar och kommande möten",
        "tags": ["Forum"],
        "parameters": [
            _TENANT,
            {"name": "forum_id", "in": "path", "required": True, "schema": {"type": "integer"}},
        ],
        "responses": {
            "200": _ok(ForumDetailSchema, ETAG_HEADER),
            "404": problem_response("Forumet finns inte i kommunen, eller ingen åtkomst"),
        },
    },
)
def api_forum(forum_id: int):
    if g.get("tenant") is None:
        return problem(404)
    forum = queries.forum_with_people_or_404(forum_id)
    meetings = queries.upcoming_meetings(forum.id, limit=10)
    return with_etag(jsonify(ForumDetailSchema().dump_forum(forum, meetings)), forum)


@bp.route("/k/<slug:tenant>/organisations")
@document(
    "/api/k/{tenant}/organisations",
    get={
        "summary": "Kommunens organisationer, sida för sida",
        "tags": ["Forum"],
        "parameters": [_TENANT, _PAGE],
        "responses": {"200": _ok(OrganisationPageSchema)},
    },
)
def api_organisations():
    if g.get("tenant") is None:
        return problem(404)
    return jsonify(
        _page(paginate(queries.organisations_query(), number=page_number()), OrganisationSchema)
    )


_ORGANISATION_ID = {
    "name": "organisation_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer"},
}


@bp.route("/k/<slug:tenant>/organisations/<id:organisation_id>", methods=["GET", "PATCH"])
@document(
    "/api/k/{tenant}/organisations/{organisation_id}",
    get={
        "summary": "En organisation (utan kontaktperson); ETag är postens version",
        "tags": ["Forum"],
        "parameters": [_TENANT, _ORGANISATION_ID],
        "responses": {"200": _ok(OrganisationSchema, ETAG_HEADER)},
    },
    patch={
        "summary": "Ändra en organisation (samordnare); kräver If-Match med senaste ETag",
        "tags": ["Forum"],
        "parameters": [_TENANT, _ORGANISATION_ID, IF_MATCH],
        "requestBody": {"content": {"application/json": {"schema": OrganisationArgs}}},
        "responses": {
            "200": _ok(OrganisationSchema, ETAG_HEADER),
            "403": problem_response("Bara samordnare får ändra organisationer"),
            "412": problem_response("If-Match anger en äldre version: ingenting ändrades"),
            "422": problem_response("Ogiltiga uppgifter: ingenting ändrades"),
            "428": problem_response("If-Match saknas: ingenting ändrades"),
        },
    },
)
def api_organisation(organisation_id: int):
    if g.get("tenant") is None:
        return problem(404)
    organisation = queries.organisation_or_404(organisation_id)
    if request.method == "PATCH":
        if not is_coordinator():
            return problem(403)
        refused = refuse_stale(organisation)
        if refused is not None:
            return refused
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return problem(400, "Skicka ett JSON-objekt.")
        try:
            args = OrganisationArgs().load(body)
        except ValidationError as exc:
            return problem(422, errors=exc.normalized_messages())
        _update_organisation(organisation, args)
    return with_etag(jsonify(OrganisationSchema().dump(organisation)), organisation)


def _update_organisation(organisation: Any, args: dict[str, Any]) -> None:
    """Apply the sent fields over the stored ones; the flush bumps the version."""
    data = {
        "name": organisation.name,
        "type": organisation.type,
        "principal": organisation.principal.value,
        "contact_name": organisation.contact_name,
        "contact_email": organisation.contact_email,
        "contact_phone": organisation.contact_phone,
    }
    data.update({k: v for k, v in args.items() if k != "active"})
    forum_ops.update_organisation(organisation, data)
    if "active" in args:
        forum_ops.set_organisation_active(organisation, args["active"])
