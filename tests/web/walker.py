"""Drive every rule of the URL map: real ids, ids out of range, NUL in every text field.

The walker knows nothing about individual views. It fills a rule's arguments from seeded rows,
learns each POST route's fields from the forms on the pages it has read (like a browser would),
and learns the API's JSON bodies from the OpenAPI document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

#: Ids out of range: one past the 32-bit column (PostgreSQL), one past 64 bits (SQLite).
TOO_BIG = ("2147483648", "99999999999999999999")
NUL = "x\x00y"
#: Query arguments the views read (page, filters, switcher, redirect target).
QUERY_ARGS = ("sida", "status", "typ", "moten", "till", "next", "q")
TEXT_INPUTS = {"text", "email", "search", "tel", "url", "password", "hidden", "date", "time", ""}
_ARG = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


@dataclass
class FormSeen:
    """A form as a browser holds it: where it posts and the values it would send."""

    action: str
    fields: dict[str, str] = field(default_factory=dict)
    text_fields: set[str] = field(default_factory=set)
    file_fields: set[str] = field(default_factory=set)


class _Forms(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__()
        self.page, self.forms, self._form = page, [], None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            action = urlsplit(urljoin(self.page, a.get("action") or self.page)).path
            self._form = FormSeen(action)
            self.forms.append(self._form)
        form = self._form
        if form is None or not a.get("name"):
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind == "file":
                form.file_fields.add(name)
            elif kind in {"checkbox", "radio"}:
                if "checked" in a:
                    form.fields[name] = a.get("value", "on")
            elif kind not in {"submit", "button"}:
                form.fields.setdefault(name, a.get("value", ""))
                if kind in TEXT_INPUTS and name != "csrf_token":
                    form.text_fields.add(name)
        elif tag == "textarea":
            form.fields[name], self._textarea = "", name
            form.text_fields.add(name)
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select:
            if self._select not in form.fields or "selected" in a:
                form.fields[self._select] = a.get("value", "")
        elif tag == "button" and a.get("value"):
            form.fields.setdefault(name, a["value"])

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_on(page: str, html: str) -> list[FormSeen]:
    parser = _Forms(page)
    parser.feed(html)
    return parser.forms


def rule_args(rule: str) -> list[tuple[str, str]]:
    """(converter, name) of each placeholder, in order."""
    return [(conv or "default", name) for conv, name in _ARG.findall(rule)]


def build(rule: str, values: dict[str, str], **override: str) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(2)
        return override.get(name, values[name])

    return _ARG.sub(fill, rule)


def openapi_path(rule: str) -> str:
    return _ARG.sub(lambda m: "{" + m.group(2) + "}", rule)


def json_fields(spec: dict[str, Any], rule: str, method: str) -> list[str]:
    """The properties of an API operation's JSON body, from the OpenAPI document."""
    operation = spec["paths"].get(openapi_path(rule), {}).get(method.lower(), {})
    schema = (
        operation.get("requestBody", {})
        .get("content", {})
        .get("application/json", {})
        .get("schema", {})
    )
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return sorted(schema.get("properties", {}))


@dataclass
class Walk:
    """What one walk did: server errors, ids out of range that did not answer 404, coverage."""

    errors: list[str] = field(default_factory=list)
    not_404: list[str] = field(default_factory=list)
    covered: set[str] = field(default_factory=set)
    no_form: set[str] = field(default_factory=set)
    requests: int = 0

    def check(self, response: Any, method: str, url: str, note: str = "") -> None:
        self.requests += 1
        if response.status_code >= 500:
            self.errors.append(f"{response.status_code} {method} {url!r} {note}".strip())
