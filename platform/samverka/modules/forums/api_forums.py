"""Forums API: the municipality's forums and organisations, read-only, for its members."""

from __future__ import annotations

from typing import Any

from flask import g, jsonify

from samverka.api.blueprint import bp
from samverka.api.spec import document, problem_response
from samverka.modules.forums import queries
from samverka.modules.forums.schemas import (
    ForumDetailSchema,
    ForumPageSchema,
    ForumSchema,
    OrganisationPageSchema,
    OrganisationSchema,
)
from samverka.web.errors import problem
from samverka.web.pagination import Page, paginate

_TENANT = {"name": "tenant", "in": "path", "required": True, "schema": {"type": "string"}}
_PAGE = {
    "name": "sida",
    "in": "query",
    "required": False,
    "schema": {"type": "integer", "minimum": 1},
    "description": "Sidnummer (25 per sida)",
}


def _ok(schema: Any) -> dict[str, Any]:
    return {"description": "OK", "content": {"application/json": {"schema": schema}}}


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
    return jsonify(_page(paginate(queries.forums_query()), ForumSchema))


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
            "200": _ok(ForumDetailSchema),
            "404": problem_response("Forumet finns inte i kommunen, eller ingen åtkomst"),
        },
    },
)
def api_forum(forum_id: int):
    if g.get("tenant") is None:
        return problem(404)
    forum = queries.forum_with_people_or_404(forum_id)
    meetings = queries.upcoming_meetings(forum.id, limit=10)
    return jsonify(ForumDetailSchema().dump_forum(forum, meetings))


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
    return jsonify(_page(paginate(queries.organisations_query()), OrganisationSchema))
