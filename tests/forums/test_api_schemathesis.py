"""Schemathesis over the whole API, stateless and stateful, on the PostgreSQL leg.

Every documented operation is fuzzed from the OpenAPI document the app serves. Nothing may answer
5xx or outside its documented statuses, content types and schemas, and every operation must reach
a 2xx answer at least once. The test's own copy of the document pins the path ids to seeded
records (random ids would only ever meet 404) and the test sends the current ETag or minutes
version in most cases (random ones would only ever meet 412/409); everything else is generated.
"""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from io import BytesIO
from typing import Any

import pytest

from tests.api.helpers import bearer

pytestmark = pytest.mark.pg

#: Examples per operation; with the stateful run the whole test stays well under 3 minutes.
EXAMPLES = 12

#: Run the deleting operations last, so the others still find their records.
LAST = ("DELETE",)


def _seed(app, client, create_user, make_forum) -> dict[str, Any]:
    user = create_user(municipalities={"amal": "coordinator"})
    made = make_forum(
        "amal",
        members=[("Anna Rektor", "school", user), ("Per Polis", "police", None)],
        past=1,
        future=3,
    )
    headers = bearer(app, user)
    base = f"/api/k/amal/forums/{made['forum_id']}/meetings"
    planned = made["meeting_ids"][1:]
    ids: dict[str, list[int]] = defaultdict(list)
    for meeting_id in planned:
        url = f"{base}/{meeting_id}"
        for n in range(3):
            ids["decision_id"].append(
                client.post(
                    f"{url}/decisions", json={"text": f"Beslut {n}"}, headers=headers
                ).get_json()["id"]
            )
            response = client.post(
                f"{url}/attachments",
                data={"file": (BytesIO(b"Protokoll\n"), f"bilaga{n}.txt")},
                headers=headers,
            )
            ids["attachment_id"].append(response.get_json()["id"])
        ids["action_id"].append(
            client.post(
                f"{url}/actions", json={"title": "Ring skolan"}, headers=headers
            ).get_json()["id"]
        )
        client.put(
            f"{url}/minutes", json={"text": "<p>Utkast</p>", "base_version": 0}, headers=headers
        )
        detail = client.get(url, headers=headers).get_json()
        ids["item_id"].extend(item["id"] for item in detail["agenda"])
    ids["forum_id"] = [made["forum_id"]]
    ids["meeting_id"] = planned
    ids["organisation_id"] = list(made["organisation_ids"].values())
    ids["version"] = [1]
    ids["job_id"] = [_job_of(app, user)]
    return {"headers": headers, "ids": dict(ids), "base": base}


def _job_of(app, user) -> str:
    from samverka.extensions import db
    from samverka.modules.jobs.models import JobRecord

    with app.app_context():
        job = JobRecord(task="forums.send_reminders", user_id=user.id)
        db.session.add(job)
        db.session.commit()
        return job.id


def _pin(spec: dict[str, Any], ids: dict[str, list[int]]) -> dict[str, Any]:
    """The test's copy of the document, with path parameters pinned to seeded records."""
    spec = copy.deepcopy(spec)
    for operations in spec["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "path":
                    continue
                if parameter["name"] == "tenant":
                    parameter["schema"] = {"type": "string", "enum": ["amal"]}
                elif parameter["name"] in ids:
                    values = ids[parameter["name"]]
                    kind = "string" if isinstance(values[0], str) else "integer"
                    parameter["schema"] = {"type": kind, "enum": values}
    return spec


class Preparer:
    """Fills in the caller's token and, in most cases, the current ETag or minutes version."""

    def __init__(self, client, headers: dict[str, str]) -> None:
        self.client, self.headers, self.calls = client, headers, 0

    def _get(self, path: str) -> Any:
        return self.client.get(path, headers=self.headers)

    def __call__(self, case: Any) -> dict[str, str]:
        self.calls += 1
        headers = dict(self.headers)
        if self.calls % 5 == 0:  # now and then keep what was generated
            return headers
        p = case.path_parameters or {}
        meeting = f"/api/k/amal/forums/{p.get('forum_id')}/meetings/{p.get('meeting_id')}"
        op = case.operation.definition.raw.get("operationId", "")
        etag = None
        if op in {"moveMeeting", "getMeeting"}:
            etag = self._get(meeting).headers.get("ETag")
        elif op == "saveAttendance":
            etag = self._get(meeting + "/attendance").headers.get("ETag")
        elif op in {"editAgendaItem", "setActionStatus"}:
            detail = self._get(meeting).get_json() or {}
            rows = detail.get("agenda", []) + detail.get("actions_raised", [])
            key = "item_id" if op == "editAgendaItem" else "action_id"
            etag = next((f'"{r["version"]}"' for r in rows if r["id"] == p.get(key)), None)
        elif op == "patchOrganisation" or "organisation_id" in p:
            etag = self._get(f"/api/k/amal/organisations/{p.get('organisation_id')}").headers.get(
                "ETag"
            )
        if etag:
            headers["If-Match"] = etag
        if op in {"saveMinutes", "approveMinutes"} and isinstance(case.body, dict):
            minutes = self._get(meeting + "/minutes").get_json() or {}
            field = "base_version" if op == "saveMinutes" else "version"
            case.body[field] = minutes.get("version", 0)
        return headers


def _checks() -> list[Any]:
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    return [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
    ]


def test_whole_api_answers_by_its_document_and_every_operation_succeeds(
    app, create_user, make_forum
):
    import schemathesis
    from hypothesis import HealthCheck, Phase, given, settings

    client = app.test_client()
    seeded = _seed(app, client, create_user, make_forum)
    document = client.get("/api/openapi.json").get_json()
    schema = schemathesis.openapi.from_dict(_pin(document, seeded["ids"]))
    schema.app = app
    prepare = Preparer(client, seeded["headers"])
    checks = _checks()
    successes: Counter[str] = Counter()
    answers: dict[str, Counter[int]] = defaultdict(Counter)

    def label(case: Any) -> str:
        return f"{case.method.upper()} {case.path}"

    def run(case: Any) -> None:
        headers = prepare(case)
        response = case.call(headers=headers)
        answers[label(case)][response.status_code] += 1
        if 200 <= response.status_code < 300:
            successes[label(case)] += 1
        case.validate_response(response, checks=checks)

    fuzz = settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    operations.sort(key=lambda op: op.method.upper() in LAST)
    for operation in operations:

        def each(case: Any) -> None:
            run(case)

        given(case=operation.as_strategy())(fuzz(each))()

    machine = schema.as_state_machine()

    class Workflow(machine):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": prepare(case)}

        def after_call(self, response: Any, case: Any) -> None:
            super().after_call(response, case)
            answers[label(case)][response.status_code] += 1
            if 200 <= response.status_code < 300:
                successes[label(case)] += 1

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            case.validate_response(response, checks=checks)

    Workflow.run(
        settings=settings(
            max_examples=8,
            stateful_step_count=4,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
    )

    every = sorted(f"{op.method.upper()} {op.path}" for op in operations)
    width = max(map(len, every))
    print("\nschemathesis: answers per operation")
    for name in every:
        print(f"  {name:<{width}}  2xx={successes[name]:<3} {dict(sorted(answers[name].items()))}")
    assert [name for name in every if not successes[name]] == []
