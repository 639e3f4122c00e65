"""Pieces every resource module of the API shares: parameters, pages, bodies, answers."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, jsonify, request
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError

from samverka.web.errors import problem
from samverka.web.pagination import Page

#: Larger page numbers are refused: no list has that many pages, and the offset must stay small.
MAX_PAGE = 100_000

TENANT = {"name": "tenant", "in": "path", "required": True, "schema": {"type": "string"}}
PAGE = {
    "name": "sida",
    "in": "query",
    "required": False,
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
    "description": "Sidnummer (25 per sida); 0, negativa tal och annat än siffror ger 400",
}


def path_id(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
    }


def ok(schema: Any, headers: dict[str, Any] | None = None, status: str = "OK") -> dict[str, Any]:
    response = {"description": status, "content": {"application/json": {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return response


def page_number() -> int:
    """The ``sida`` argument, or a 400 problem naming what is wrong with it."""
    raw = request.args.get("sida")
    if raw is None:
        return 1
    if not raw.isascii() or not raw.isdigit():
        abort(problem(400, _("Sidnumret ska vara ett heltal från 1 och uppåt.")))
    number = int(raw)
    if not 1 <= number <= MAX_PAGE:
        abort(
            problem(400, _("Sidnumret ska vara mellan 1 och %(max)d.", max=MAX_PAGE)),
        )
    return number


def dump_page(page: Page, schema: type[Schema]) -> dict[str, Any]:
    return {
        "items": schema(many=True).dump(page.items),
        "page": page.number,
        "pages": page.pages,
        "total": page.total,
        "size": page.size,
    }


def load_body(args: Schema, *, partial: bool = False) -> dict[str, Any]:
    """The request's JSON object loaded by an ``Args`` schema; 400 or 422 stop the request."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(problem(400, _("Skicka ett JSON-objekt.")))
    try:
        return args.load(body, partial=partial)
    except ValidationError as exc:
        abort(problem(422, errors=exc.normalized_messages()))


def created(body: dict[str, Any], record: Any = None) -> Response:
    response = jsonify(body)
    response.status_code = 201
    if record is not None and getattr(record, "version", None) is not None:
        response.set_etag(str(record.version))
    return response


def no_content() -> Response:
    return Response(status=204)


def refuse(status: int, detail: str) -> None:
    abort(problem(status, detail))
