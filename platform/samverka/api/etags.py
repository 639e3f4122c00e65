"""Record versions over HTTP: ETag on reads, If-Match required on writes.

The ETag is the record's ``version`` column, so an API client and the web forms guard against
the same lost update. A write without If-Match answers 428, one naming an older version 412;
either way nothing is changed.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from flask_babel import gettext as _


def etag_of(record: Any) -> str:
    return str(record.version)


def with_etag(response: Response, record: Any) -> Response:
    response.set_etag(etag_of(record))
    return response


def _problem(status: int, title: str, detail: str) -> Response:
    response = jsonify({"type": "about:blank", "title": title, "status": status, "detail": detail})
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def refuse_stale(record: Any) -> Response | None:
    """None when If-Match names the stored version; otherwise the 428 or 412 answer."""
    if_match = request.if_match
    if not if_match or if_match.star_tag:
        return _problem(
            428,
            _("Villkor krävs"),
            _("Ange If-Match med den ETag du fick när du läste posten."),
        )
    if not if_match.contains(etag_of(record)):
        return with_etag(
            _problem(
                412,
                _("Posten har ändrats"),
                _(
                    "Någon annan har ändrat posten sedan du läste den. Läs den igen och försök på nytt."
                ),
            ),
            record,
        )
    return None


#: OpenAPI pieces for documented operations.
ETAG_HEADER = {
    "ETag": {
        "description": "Postens version; skicka den i If-Match när du ändrar posten",
        "schema": {"type": "string"},
    }
}
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": True,
    "schema": {"type": "string"},
    "description": "ETag från din senaste läsning av posten",
}
