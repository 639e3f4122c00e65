"""No route answers 5xx: real ids, ids out of range and NUL bytes, as every kind of caller.

Every rule of the URL map is driven; the number covered must equal the URL map minus the printed
exemptions, so a route added later is walked too (with a fallback value for an argument the seed
does not know, printed as such).
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import Any

import pytest
import sqlalchemy as sa

from tests.api.helpers import make_token
from tests.conftest import CSRF, csrf_token
from tests.forums.conftest import in_tenant, make_forum  # noqa: F401  (fixtures)
from tests.web.walker import NUL, QUERY_ARGS, TOO_BIG, Walk, build, forms_on, json_fields, rule_args

REGION = "vastra-gotalandsregionen"
#: Endpoints the walk leaves alone, and why (printed with the result).
EXEMPT: dict[str, str] = {}
#: Done last, in this order: they end the session or undo what the others need.
LAST = ("auth.logout",)
#: Pages a browser reaches with a query (the forum form needs its type), read after the rules.
EXTRA_PAGES = ("/k/amal/forum/nytt?typ=sspf_working",)
FALLBACK = {"id": "1", "token": "x" * 24, "slug": "amal", "default": "x", "path": "x.css"}


@pytest.fixture
def seed(app, create_user, make_forum, login, in_tenant) -> Callable[[], dict[str, Any]]:  # noqa: F811
    """``seed()``: a fresh Åmål forum with a row behind every id a route takes, and its callers.

    Each walk gets its own, because a walk's button-only posts remove rows and end sessions.
    """

    def make() -> dict[str, Any]:
        admin = create_user(
            municipalities={"amal": "coordinator"}, regions={REGION: "analyst"}, platform_admin=True
        )
        member = create_user(municipalities={"amal": "member"})
        made = make_forum(
            "amal",
            members=[("Anna Rektor", "school", admin), ("Sara Sekreterare", "ifo", member)],
            past=1,
            future=2,
        )
        _seed_meeting(login(admin), made)
        make_token(app, admin)
        return {
            "values": _seeded_ids(app, in_tenant, made, admin, member),
            "person_token": _person_token(in_tenant, admin),
            "admin": admin,
            "member": member,
        }

    return make


def _seed_meeting(client, made: dict[str, Any]) -> None:
    """A decision, an action, an attachment and saved minutes, through the pages themselves."""
    meeting = f"/k/amal/forum/{made['forum_id']}/moten/{made['meeting_ids'][1]}"
    token = csrf_token(client, "/k/amal/")
    for path, data in (
        ("/beslut", {"decision-text": "Vi gör så"}),
        (
            "/atgarder",
            {"action-title": "Ring skolan", "action-owner": "", "action-organisation": ""},
        ),
        ("/bilagor", {"attachment-file": (BytesIO(b"hej"), "plan.txt")}),
        ("/anteckningar", {"text": "<p>Hej</p>", "base_version": "0"}),
    ):
        response = client.post(meeting + path, data={"csrf_token": token, **data})
        assert response.status_code == 302, (path, response.status_code)
    client.get("/k/amal/kalender")  # makes the personal feed


def _seeded_ids(app, tenant_session, made, admin, member) -> dict[str, str]:
    from samverka.extensions import db
    from samverka.modules.auth.models import ApiToken
    from samverka.modules.forums.models import Action, AgendaItem, Attachment, Decision, Forum
    from samverka.modules.jobs.models import JobRecord, JobStatus

    with app.app_context():
        job = JobRecord(task="forums.send_reminders", user_id=admin.id, status=JobStatus.failed)
        db.session.add(job)
        db.session.commit()
        job_id = job.id
        token_id = db.session.scalar(sa.select(ApiToken.id).where(ApiToken.user_id == admin.id))
    meeting_id = made["meeting_ids"][1]
    with tenant_session("amal") as session:

        def first(model: Any, **where: int) -> int:
            query = sa.select(model.id).filter_by(**where).order_by(model.id)
            return session.scalar(query)

        values = {
            "tenant": "amal",
            "kommun": "amal",
            "region": REGION,
            "fmt": "csv",
            "filename": "missing.css",
            "forum_id": made["forum_id"],
            "meeting_id": meeting_id,
            "member_id": made["member_ids"][1],
            "organisation_id": made["organisation_ids"]["ifo"],
            "item_id": first(AgendaItem, meeting_id=meeting_id),
            "decision_id": first(Decision, meeting_id=meeting_id),
            "action_id": first(Action, forum_id=made["forum_id"]),
            "attachment_id": first(Attachment, meeting_id=meeting_id),
            "version": 1,
            "token_id": token_id,
            "user_id": member.id,
            "job_id": job_id,
            "token": session.get(Forum, made["forum_id"]).ical_token,
        }
    assert all(values.values()), values
    return {k: str(v) for k, v in values.items()}


def _person_token(tenant_session, user) -> str:
    from samverka.modules.forums.models import PersonalFeed

    with tenant_session("amal") as session:
        return session.scalar(sa.select(PersonalFeed.token).filter_by(user_id=user.id))


def _values_for(rule: Any, seeded: dict[str, Any], fallbacks: set[str]) -> dict[str, str]:
    values = dict(seeded["values"])
    if rule.endpoint == "calendar.person_feed":
        values["token"] = seeded["person_token"]
    for converter, name in rule_args(rule.rule):
        if name not in values:
            values[name] = FALLBACK.get(converter, "x")
            fallbacks.add(f"{rule.endpoint}: <{converter}:{name}> = {values[name]!r}")
    return values


def walk(app, client, seeded: dict[str, Any], *, bearer: str | None = None) -> Walk:
    """Drive every non-exempt rule with this client; return what happened.

    Reads go first (they teach the walker the forms), then writes whose forms have text fields
    (refused, so nothing changes), then button-only writes (they may remove what others need),
    then what ends the session.
    """
    result, forms, fallbacks = Walk(), {}, set()
    spec = client.get("/api/openapi.json").get_json()
    calls = [
        (rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in EXEMPT
        for method in rule.methods - {"HEAD", "OPTIONS"}
    ]

    def order(call: tuple[Any, str]) -> tuple[int, str]:
        rule, method = call
        if rule.endpoint in LAST:
            return (3 + LAST.index(rule.endpoint), rule.rule)
        if method == "GET":
            return (0, rule.rule)
        form = forms.get(build(rule.rule, _values_for(rule, seeded, fallbacks)))
        return (1 if form and (form.text_fields or form.file_fields) else 2, rule.rule)

    gets = sorted((c for c in calls if c[1] == "GET"), key=order)
    for call in gets:
        _drive(client, *call, seeded, forms, spec, result, fallbacks, bearer)
    for page in EXTRA_PAGES:
        response = client.get(page)
        result.check(response, "GET", page)
        for form in forms_on(page, response.get_data(as_text=True)):
            forms.setdefault(form.action, form)
    for call in sorted((c for c in calls if c[1] != "GET"), key=order):
        _drive(client, *call, seeded, forms, spec, result, fallbacks, bearer)
    result.fallbacks = sorted(fallbacks)  # type: ignore[attr-defined]
    return result


def _drive(client, rule, method, seeded, forms, spec, result, fallbacks, bearer) -> None:
    """The real ids, then each id out of range (404), then a slug with NUL (404)."""
    values = _values_for(rule, seeded, fallbacks)
    real = build(rule.rule, values)
    send = _sender(client, method, real, forms, spec, rule, result, bearer)
    send(real)
    for converter, name in rule_args(rule.rule):
        bad = TOO_BIG if converter in {"id", "int"} else ("am%00al",) if converter == "slug" else ()
        for value in bad:
            url = build(rule.rule, values, **{name: value})
            response = send(url, bodies=False)
            if response.status_code != 404:
                result.not_404.append(f"{response.status_code} {method} {url}")
    result.covered.add(rule.endpoint)


def _sender(client, method, real, forms, spec, rule, result, bearer):
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}

    def send(url: str, bodies: bool = True):
        if method == "GET":
            response = client.get(url, headers=headers)
            result.check(response, method, url)
            if response.status_code == 200 and "html" in (response.mimetype or ""):
                for form in forms_on(url, response.get_data(as_text=True)):
                    forms.setdefault(form.action, form)
            if bodies:
                for arg in QUERY_ARGS:
                    for bad in (NUL, TOO_BIG[1]):
                        result.check(
                            client.get(url, query_string={arg: bad}, headers=headers),
                            method,
                            url,
                            f"?{arg}",
                        )
            return response
        if url.startswith("/api/"):
            return _send_json(client, method, url, spec, rule, result, headers, bodies)
        return _send_form(client, method, url, forms.get(real), result, bodies)

    return send


def _csrf(client) -> str:
    """The session's CSRF token from whichever page shows a form to this caller."""
    for page in ("/logga-in", "/konto"):
        match = CSRF.search(client.get(page).get_data(as_text=True))
        if match:
            return match.group(1)
    raise AssertionError("no page with a CSRF token")


def _send_form(client, method, url, form, result, bodies):
    token = _csrf(client)
    base = dict(form.fields) if form else {}
    base["csrf_token"] = token
    if form is None and bodies:
        result.no_form.add(url)
    cases = [base] if not bodies or form is None else []
    if bodies and form is not None:
        cases += [base | {name: NUL} for name in sorted(form.text_fields)]
        cases += [base | {name: (BytesIO(b"x"), "a\x00b.txt")} for name in sorted(form.file_fields)]
        cases.append(base)  # the untouched form, last: it may change or remove the row
    response = None
    for data in cases:
        response = client.open(url, method=method, data=dict(data))
        result.check(response, method, url, str(sorted(k for k, v in data.items() if v == NUL)))
    return response


def _send_json(client, method, url, spec, rule, result, headers, bodies):
    etag = client.get(url, headers=headers).headers.get("ETag")
    send_headers = headers | ({"If-Match": etag} if etag else {})
    if "Authorization" not in headers:  # a browser's script sends the session's token
        send_headers["X-CSRFToken"] = _csrf(client)
    names = json_fields(spec, rule.rule, method) if bodies else []
    response = client.open(url, method=method, json={}, headers=send_headers)
    result.check(response, method, url)
    for name in names:
        response = client.open(url, method=method, json={name: NUL}, headers=send_headers)
        result.check(response, method, url, name)
    return response


def _report(label: str, app, result: Walk) -> None:
    total = len(list(app.url_map.iter_rules()))
    print(f"\n[{label}] {len(result.covered)} of {total} rules, {result.requests} requests")
    for endpoint, reason in sorted(EXEMPT.items()):
        print(f"  exempt {endpoint}: {reason}")
    for url in sorted(result.no_form):
        print(f"  no form seen for {url} (posted with its CSRF token only)")
    for line in getattr(result, "fallbacks", []):
        print(f"  no seeded row, fallback {line}")
    assert result.errors == [], "\n".join(result.errors)


def test_every_route_answers_without_server_error_as_every_caller(app, seed, login):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    callers = {
        "anonym": lambda world: (app.test_client(), None),
        "forummedlem": lambda world: (login(world["member"]), None),
        "samordnare, sammankallande och plattformsadmin": lambda world: (
            login(world["admin"]),
            None,
        ),
        "API-nyckel": lambda world: (
            app.test_client(),
            make_token(app, world["admin"], scope="write"),
        ),
    }
    for label, caller in callers.items():
        world = seed()
        client, bearer = caller(world)
        result = walk(app, client, world, bearer=bearer)
        _report(label, app, result)
        assert result.covered == endpoints - EXEMPT.keys()
        assert result.not_404 == [], "\n".join(result.not_404)
