"""Pagination for every long list: ?sida=N, fixed page size."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import request

from samverka.extensions import db

PAGE_SIZE = 25


@dataclass
class Page:
    items: list[Any]
    number: int
    total: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def paginate(query: sa.Select, size: int = PAGE_SIZE, number: int | None = None) -> Page:
    """One page of a select, from ``number`` or the ``sida`` argument (bad values mean page 1).

    The API checks the number itself first (``samverka.api.common.page_number``) and refuses bad
    values with 400; the web pages stay forgiving.
    """
    number = number or request.args.get("sida", 1, type=int) or 1
    number = max(1, number)
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(query.order_by(None).subquery())
    )
    page = Page([], number, total, size)
    page.number = min(number, page.pages)
    page.items = list(db.session.scalars(query.limit(size).offset((page.number - 1) * size)))
    return page
