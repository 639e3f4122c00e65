"""The API describes itself: a valid OpenAPI 3 document and readable docs, served locally."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate


@pytest.fixture
def spec(app) -> dict:
    response = app.test_client().get("/api/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def test_openapi_document_is_valid_openapi_3(spec):
    assert spec["openapi"].startswith("3.")
    validate(spec)


def test_openapi_document_describes_the_foundation_routes(spec):
    assert {"/api/me", "/api/k/{tenant}/", "/api/jobs/{job_id}"} <= spec["paths"].keys()
    me = spec["paths"]["/api/me"]["get"]
    assert me["responses"]["200"]["content"]["application/json"]["schema"]
    assert spec["info"]["title"] == "Samverka API"


def test_every_operation_documents_its_problem_answers_and_security(spec):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            assert {"401", "404"} <= operation["responses"].keys(), where
            problem = operation["responses"]["401"]["content"]["application/problem+json"]
            assert problem["schema"] == {"$ref": "#/components/schemas/Problem"}, where
            assert {"session": []} in operation["security"], where
            assert {"token": []} in operation["security"], where


def test_documented_paths_exist_in_the_app(app, spec):
    rules = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule) for rule in app.url_map.iter_rules()}
    assert set(spec["paths"]) <= rules


def test_problem_schema_has_the_documented_fields(spec):
    fields = spec["components"]["schemas"]["Problem"]["properties"]
    assert {"type", "title", "status", "detail", "errors"} <= fields.keys()
    assert spec["components"]["securitySchemes"]["token"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "Personlig åtkomstnyckel (svk_…)",
    }


def test_api_docs_page_lists_every_path_in_swedish(app, spec):
    response = app.test_client().get("/api/docs")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<html lang="sv">' in html
    assert html.count("<h1>") == 1
    for path, operations in spec["paths"].items():
        for method in operations:
            assert f"{method.upper()} {path}" in html, path
    assert 'href="/api/openapi.json"' in html
    assert "application/problem+json" in html


def test_api_docs_page_loads_nothing_from_elsewhere(app):
    html = app.test_client().get("/api/docs").get_data(as_text=True)
    # Only the layout's own script from /static/ (the CSP forbids inline ones anyway).
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/layout.js">']
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)


def test_docs_and_document_are_public_but_data_is_not(app):
    client = app.test_client()
    assert client.get("/api/openapi.json").status_code == 200
    assert client.get("/api/docs").status_code == 200
    assert client.get("/api/me").status_code == 401


def test_tenant_schema_declares_the_callers_role(spec):
    schema = spec["paths"]["/api/k/{tenant}/"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    name = schema["$ref"].rsplit("/", 1)[-1]
    role = spec["components"]["schemas"][name]["properties"]["role"]
    assert role["type"] == "string" and set(role["enum"]) == {"coordinator", "member"}


def test_document_covers_meetings_and_everything_in_them(spec):
    meeting = "/api/k/{tenant}/forums/{forum_id}/meetings/{meeting_id}"
    expected = {
        ("/api/k/{tenant}/forums/{forum_id}/meetings", "post"),
        (meeting, "patch"),
        (meeting + "/agenda/{item_id}", "delete"),
        (meeting + "/attendance", "put"),
        (meeting + "/minutes", "put"),
        (meeting + "/minutes/approve", "post"),
        (meeting + "/decisions/{decision_id}", "delete"),
        (meeting + "/actions/{action_id}", "patch"),
        (meeting + "/attachments", "post"),
        (meeting + "/attachments/{attachment_id}", "get"),
    }
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    assert expected <= documented
    upload = spec["paths"][meeting + "/attachments"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in upload
