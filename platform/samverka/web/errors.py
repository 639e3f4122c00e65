"""Swedish error pages for people and one problem+json format for the API."""

from __future__ import annotations

from flask import Flask, Response, jsonify, make_response, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from samverka.web.context import wants_json


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
    }


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


def _page(status: int, detail: str | None = None) -> tuple[str, int]:
    titles = _titles()
    title, default_detail = titles.get(status, titles[500])
    return render_template(
        "errors/error.html", status=status, title=title, detail=detail or default_detail
    ), status


def _handle_http(exc: HTTPException) -> Response:
    if exc.response is not None:  # abort(redirect(...)) and similar carry their own response
        return exc.response
    status = exc.code or 500
    # Only a description given on purpose (abort(409, "…")) is shown; werkzeug's defaults are English.
    detail = exc.description if exc.description != type(exc).description else None
    response = problem(status, detail) if wants_json() else make_response(_page(status, detail))
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        # RFC 9110: a 405 names the methods the resource does support.
        response.headers["Allow"] = ", ".join(sorted(exc.valid_methods))
    return response


def _handle_csrf(exc: CSRFError) -> Response | tuple[str, int]:
    detail = _(
        "Formuläret saknar en giltig säkerhetstoken eller har gått ut. Ladda om sidan och försök igen."
    )
    if wants_json():
        return problem(400, detail)
    return _page(400, detail)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _handle_csrf)
    app.register_error_handler(HTTPException, _handle_http)
