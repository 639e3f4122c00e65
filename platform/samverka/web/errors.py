"""Swedish error pages for people and one problem+json format for the API.

Error pages never touch the database: the session is rolled back first, the page is rendered
without the context processors (which load the user and the navigation) and on a minimal layout.
So a failed flush or an unreachable database still gets a true answer in Swedish.
"""

from __future__ import annotations

import sqlite3

import psycopg
import sqlalchemy as sa
from flask import Flask, Response, current_app, g, jsonify, make_response
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

from samverka.web.context import wants_json
from samverka.web.transaction import COMMITTED, drop_request_flashes, safe_rollback

#: ``g`` key: set while an error page renders, so nothing on the way asks the database.
RENDERING_ERROR = "samverka_rendering_error"
_UNREACHABLE = (
    sa.exc.OperationalError,
    sa.exc.InterfaceError,
    sa.exc.DisconnectionError,
    sa.exc.TimeoutError,  # no pooled connection came free in time
    psycopg.OperationalError,
    sqlite3.OperationalError,
)


def _titles() -> dict[int, tuple[str, str]]:
    return {
        400: (
            _("Felaktig begäran"),
            _("Begäran kunde inte tolkas. Kontrollera uppgifterna och försök igen."),
        ),
        401: (_("Inloggning krävs"), _("Logga in för att fortsätta.")),
        403: (_("Åtkomst nekad"), _("Du har inte behörighet att göra detta.")),
        404: (
            _("Sidan finns inte"),
            _("Sidan du söker finns inte, eller så har du inte tillgång till den."),
        ),
        405: (_("Metoden stöds inte"), _("Sidan kan inte användas på det sättet.")),
        409: (
            _("Konflikt"),
            _("Någon annan har ändrat samma sak. Ladda om sidan och försök igen."),
        ),
        413: (_("För stor fil eller begäran"), _("Det du skickade är för stort.")),
        422: (_("Ogiltiga uppgifter"), _("Några uppgifter behöver rättas.")),
        429: (
            _("För många försök"),
            _("Du har gjort för många försök. Vänta en stund och försök igen."),
        ),
        500: (
            _("Något gick fel"),
            _("Ett oväntat fel inträffade. Ingenting sparades. Försök igen om en stund."),
        ),
        503: (
            _("Tjänsten är inte tillgänglig just nu"),
            _("Databasen svarar inte just nu. Ingenting sparades. Försök igen om en stund."),
        ),
    }


def database_unreachable(exc: BaseException | None) -> bool:
    """Whether an error (or what caused it) means the database cannot be reached right now."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, _UNREACHABLE) or getattr(exc, "connection_invalidated", False):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def problem(status: int, detail: str | None = None, errors: dict | None = None) -> Response:
    """An RFC 9457 problem document; the API's only error format."""
    title, default_detail = _titles().get(status, (str(status), ""))
    body: dict = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail or default_detail,
    }
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def error_page(status: int, detail: str | None = None, title: str | None = None) -> Response:
    """The error page, rendered with no database access and no context processors."""
    g.setdefault(RENDERING_ERROR, True)
    titles = _titles()
    default_title, default_detail = titles.get(status, titles[500])
    template = current_app.jinja_env.get_template("errors/error.html")
    html = template.render(
        status=status, title=title or default_title, detail=detail or default_detail
    )
    response = make_response(html, status)
    if status == 503:
        response.headers["Retry-After"] = "30"
    return response


def _answer(status: int, detail: str | None = None) -> Response:
    g.setdefault(RENDERING_ERROR, True)
    if wants_json():
        response = problem(status, detail)
        if status == 503:
            response.headers["Retry-After"] = "30"
        return response
    return error_page(status, detail)


def failure_response(exc: BaseException | None) -> Response:
    """What a person sees when the request failed: rolled back, its own messages taken back.

    Says truthfully what was saved: nothing, unless the failure came after the commit.
    """
    g.setdefault(RENDERING_ERROR, True)
    safe_rollback()
    drop_request_flashes()
    status = 503 if database_unreachable(exc) else 500
    detail = None
    if g.get(COMMITTED):
        detail = _(
            "Ändringarna sparades, men sidan kunde inte visas. Ladda om sidan för att se resultatet."
        )
    return _answer(status, detail)


def _handle_http(exc: HTTPException) -> Response:
    if exc.response is not None:  # abort(redirect(...)) and similar carry their own response
        return exc.response
    if isinstance(exc, InternalServerError):
        return failure_response(exc.original_exception)
    safe_rollback()
    status = exc.code or 500
    # Only a description given on purpose (abort(409, "…")) is shown; werkzeug's defaults are English.
    detail = exc.description if exc.description != type(exc).description else None
    response = _answer(status, detail)
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        # RFC 9110: a 405 names the methods the resource does support.
        response.headers["Allow"] = ", ".join(sorted(exc.valid_methods))
    return response


def _handle_csrf(exc: CSRFError) -> Response:
    safe_rollback()
    detail = _(
        "Formuläret saknar en giltig säkerhetstoken eller har gått ut. Ladda om sidan och försök igen."
    )
    return _answer(400, detail)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _handle_csrf)
    app.register_error_handler(HTTPException, _handle_http)
