"""Log in as a person in a real browser and list the pages their navigation leads to."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

#: Links that change state or leave the HTML pages.
_SKIP = ("/static/", "/logga-ut", "/ical", "/api/")


def log_in(page, base: str, email: str, password: str) -> None:
    page.goto(urljoin(base, "/logga-in"))
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/logga-in" not in page.url, f"login failed for {email}"


def _links(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")


def _keep(base: str, href: str | None) -> str | None:
    if not href or href.startswith(("#", "mailto:")):
        return None
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.netloc != urlsplit(base).netloc or parts.path.startswith(_SKIP):
        return None
    if "." in parts.path.rsplit("/", 1)[-1]:  # a file (CSV, calendar), not a page
        return None
    return parts._replace(fragment="").geturl()


def main_pages(page, base: str, limit: int = 14) -> list[str]:
    """The start page, every page in the menus the person sees, and each one's first item.

    Menus are read from every page visited (a region's menu differs from a municipality's); the
    first link in a page's table or card list stands for its detail pages (a forum, a meeting).
    """
    start = urljoin(base, "/")
    seen: list[str] = []
    queue: list[tuple[str, int]] = [(start, 0)]
    while queue and len(seen) < limit:
        url, depth = queue.pop(0)
        if url in seen:
            continue
        page.goto(url, wait_until="load")
        if page.url != url and page.url in seen:
            continue
        seen.append(page.url)
        found = [_keep(base, h) for h in _links(page, ".main-nav a, main .cards a")]
        if depth < 2:
            first = _links(page, "main table.data a, main .cards a")[:1]
            found += [(_keep(base, h)) for h in first]
        for link in found:
            if link and link not in seen and all(link != q for q, _ in queue):
                queue.append((link, depth + 1))
    return seen
