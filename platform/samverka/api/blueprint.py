"""API routes of the foundation: the document, its browsable docs, me, tenants, jobs."""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from samverka.api.schemas import JobSchema, MeSchema, TenantRoleSchema, TenantSchema
from samverka.api.spec import build_spec, document
from samverka.web.errors import problem

bp = Blueprint("api", __name__, url_prefix="/api")


#: Methods a read-scoped token may use.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@bp.before_request
def _require_login():
    if request.endpoint in {"api.openapi", "api.docs"}:
        return None
    if not current_user.is_authenticated:
        return problem(401)
    # Bearer calls skip CSRF, so a token writes only when it was made for writing.
    bearer = request.headers.get("Authorization", "").startswith("Bearer ")
    if bearer and request.method not in READ_METHODS and g.get("token_scope") != "write":
        return problem(403, _("Nyckeln får bara läsa. Skapa en nyckel som får ändra under Konto."))
    if g.get("tenant_slug") is not None and g.get("tenant") is None:
        return problem(404)
    return None


@bp.route("/openapi.json")
def openapi():
    if "samverka.openapi" not in current_app.extensions:
        current_app.extensions["samverka.openapi"] = build_spec(current_app)
    return jsonify(current_app.extensions["samverka.openapi"])


@bp.route("/docs")
def docs():
    """Browsable documentation, rendered on the server (no CDN, no script)."""
    if "samverka.openapi" not in current_app.extensions:
        current_app.extensions["samverka.openapi"] = build_spec(current_app)
    return render_template("api/docs.html", spec=current_app.extensions["samverka.openapi"])


@bp.route("/me")
@document(
    "/api/me",
    get={
        "summary": "Den inloggade användaren och dess roller",
        "tags": ["Konto"],
        "responses": {
            "200": {"description": "OK", "content": {"application/json": {"schema": MeSchema}}}
        },
    },
)
def me():
    return jsonify(MeSchema().dump(current_user))


@bp.route("/k/<slug:tenant>/")
@document(
    "/api/k/{tenant}/",
    get={
        "summary": "Kommunen som adressen pekar ut (kräver medlemskap)",
        "tags": ["Kommun"],
        "parameters": [
            {"name": "tenant", "in": "path", "required": True, "schema": {"type": "string"}}
        ],
        "responses": {
            "200": {
                "description": "OK",
                "content": {"application/json": {"schema": TenantRoleSchema}},
            }
        },
    },
)
def tenant_info():
    return jsonify(TenantSchema().dump(g.tenant) | {"role": g.tenant_role.value})


@bp.route("/jobs/<token:job_id>")
@document(
    "/api/jobs/{job_id}",
    get={
        "summary": "Status och förlopp för ett jobb du har startat",
        "tags": ["Jobb"],
        "parameters": [
            {"name": "job_id", "in": "path", "required": True, "schema": {"type": "string"}}
        ],
        "responses": {
            "200": {"description": "OK", "content": {"application/json": {"schema": JobSchema}}}
        },
    },
)
def job(job_id: str):
    from samverka.modules.jobs.views import job_of_current_user

    return jsonify(JobSchema().dump(job_of_current_user(job_id)))


# The resource modules add their routes to this blueprint.
from samverka.modules.forums import (  # noqa: E402, F401
    api_attachments,
    api_forums,
    api_meetings,
    api_minutes,
    api_records,
)
