"""Reading rendered pages the way assistive technology and browsers do."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Outline:
    """What matters about a page's structure: language, headings, landmarks, links, assets."""

    lang: str | None = None
    h1: int = 0
    mains: list[dict[str, str | None]] = field(default_factory=list)
    first_link: dict[str, str | None] | None = None
    assets: list[str] = field(default_factory=list)  # script src, link href, img src


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.outline = Outline()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.outline.lang = attributes.get("lang")
        elif tag == "h1":
            self.outline.h1 += 1
        elif tag == "main" or attributes.get("role") == "main":
            self.outline.mains.append(attributes)
        elif tag == "a" and self.outline.first_link is None:
            self.outline.first_link = attributes
        if tag in {"script", "img", "iframe", "source"} and attributes.get("src"):
            self.outline.assets.append(attributes["src"] or "")
        if tag == "link" and attributes.get("href"):
            self.outline.assets.append(attributes["href"] or "")


def outline(html: str) -> Outline:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.outline
