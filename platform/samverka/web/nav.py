"""Navigation per role: modules register their entries; the layout shows what the user may use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, g, request, url_for
from flask_babel.speaklater import LazyString
from flask_login import current_user


@dataclass(frozen=True)
class NavEntry:
    scope: str  # "tenant", "region" or "platform"
    endpoint: str
    label: LazyString | str  # lazy_gettext, so it renders in the request's language
    allowed: Callable[[], bool]
    order: int = 100


_ENTRIES: list[NavEntry] = []


def register(
    scope: str,
    endpoint: str,
    label: LazyString | str,
    allowed: Callable[[], bool] | None = None,
    order: int = 100,
) -> None:
    """Add a navigation entry; ``allowed`` decides per request whether the user sees it."""
    if any(e.endpoint == endpoint for e in _ENTRIES):
        return
    _ENTRIES.append(NavEntry(scope, endpoint, label, allowed or (lambda: True), order))


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    #: ``aria-current``: "page" on the entry's own page, "true" anywhere in its section, or None.
    current: str | None


#: Start pages: their URL is the prefix of every page in the scope, so they are current only
#: on themselves.
_ROOTS = {"web.tenant_home", "web.region_home"}


def _current(entries: list[tuple[NavEntry, str]]) -> dict[str, str]:
    """Which entry the request is in: its own page, else the longest URL prefix (its section)."""
    for entry, _url in entries:
        if request.endpoint == entry.endpoint:
            return {entry.endpoint: "page"}
    sections = [
        (len(url), entry.endpoint)
        for entry, url in entries
        if entry.endpoint not in _ROOTS and request.path.startswith(url.rstrip("/") + "/")
    ]
    return {max(sections)[1]: "true"} if sections else {}


def _links() -> list[NavLink]:
    if not current_user.is_authenticated:
        return []
    scopes = {"user"}
    if g.get("tenant") is not None:
        scopes.add("tenant")
    if g.get("region") is not None:
        scopes.add("region")
    if current_user.is_platform_admin:
        scopes.add("platform")
    entries = [
        (entry, url_for(entry.endpoint))
        for entry in sorted(_ENTRIES, key=lambda e: e.order)
        if entry.scope in scopes and entry.allowed()
    ]
    current = _current(entries)
    return [NavLink(str(entry.label), url, current.get(entry.endpoint)) for entry, url in entries]


def init_app(app: Flask) -> None:
    @app.context_processor
    def _navigation() -> dict:
        return {
            "nav_links": _links,
            "current_tenant": g.get("tenant"),
            "current_region": g.get("region"),
        }
