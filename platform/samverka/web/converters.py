"""URL converters: a path part that cannot name a row answers 404, never a database error.

``<id:…>`` takes any length of digits, so ``/forum/2147483648`` reached PostgreSQL and failed
with "integer out of range"; slugs and tokens took NUL bytes the same way.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import BaseConverter, ValidationError

#: Ids live in 32-bit integer columns.
MAX_ID = 2**31 - 1


class IdConverter(BaseConverter):
    """A row id: ASCII digits, 1 … 2**31-1."""

    regex = r"[0-9]{1,10}"
    part_isolating = True

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValidationError()
        return number

    def to_url(self, value: object) -> str:
        return str(int(value))  # type: ignore[call-overload]


class SlugConverter(BaseConverter):
    """A municipality's or region's slug: lower-case a-z, 0-9 and dashes, as in the manifests."""

    regex = r"[a-z0-9][a-z0-9-]{0,63}"
    part_isolating = True


class TokenConverter(BaseConverter):
    """A secret or generated key (feed tokens, job ids): URL-safe base64 letters only."""

    regex = r"[A-Za-z0-9_-]{1,128}"
    part_isolating = True


def init_app(app: Flask) -> None:
    app.url_map.converters.update(id=IdConverter, slug=SlugConverter, token=TokenConverter)
