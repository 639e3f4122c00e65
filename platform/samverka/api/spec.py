"""The OpenAPI document: modules add their paths and schemas with ``document``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask

import samverka

_PATHS: list[tuple[str, dict[str, Any]]] = []


def document(
    path: str, **operations: dict[str, Any]
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Describe a view's operations (``get=…``, ``post=…``) at an OpenAPI path."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        _PATHS.append((path, operations))
        return view

    return decorate


def problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": "Problem"}},
    }


def build_spec(app: Flask) -> dict[str, Any]:
    from samverka.api.schemas import ProblemSchema

    spec = APISpec(
        title="Samverka API",
        version=samverka.__version__,
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={
            "description": "Samverkans JSON-API. Kommunens data nås under /api/k/{tenant}/; "
            "regionen ser endast anonymiserade aggregat."
        },
    )
    spec.components.security_scheme(
        "session", {"type": "apiKey", "in": "cookie", "name": "samverka_session"}
    )
    spec.components.security_scheme(
        "token",
        {"type": "http", "scheme": "bearer", "description": "Personlig åtkomstnyckel (svk_…)"},
    )
    spec.components.schema("Problem", schema=ProblemSchema)
    for path, operations in sorted(_PATHS, key=lambda item: item[0]):
        ops = {}
        for method, operation in operations.items():
            operation = dict(operation)
            operation.setdefault("security", [{"session": []}, {"token": []}])
            responses = operation.setdefault("responses", {})
            responses.setdefault("401", problem_response("Inte inloggad"))
            responses.setdefault("404", problem_response("Finns inte eller ingen åtkomst"))
            ops[method] = operation
        spec.path(path=path, operations=ops)
    return spec.to_dict()
