"""Perf tests seed forums the same way the forum tests do."""

from tests.forums.conftest import in_tenant, make_forum

__all__ = ["in_tenant", "make_forum"]
