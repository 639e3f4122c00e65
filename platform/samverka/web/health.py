"""Probes for the deployment: ``/healthz`` (the process answers) and ``/readyz`` (it can serve)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from samverka.checks import run_checks

bp = Blueprint("health", __name__)


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/healthz")
def healthz() -> Response:
    """Alive: answers without the database, Redis or storage."""
    return _no_store(jsonify(status="ok"))


@bp.route("/readyz")
def readyz() -> Response:
    """Ready: 503 only without a usable database (or with the wrong data key).

    Redis and file storage are reported as degraded in the body; the site serves without them.
    """
    checks = run_checks(current_app._get_current_object())
    failed = any(c.status == "failed" for c in checks)
    degraded = any(c.status == "degraded" for c in checks)
    body = {
        "status": "unavailable" if failed else "degraded" if degraded else "ok",
        "checks": {c.name: {"status": c.status, "detail": c.detail} for c in checks},
    }
    response = jsonify(body)
    response.status_code = 503 if failed else 200
    return _no_store(response)
