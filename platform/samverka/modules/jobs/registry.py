"""Job functions by name, so records and RQ carry names and ids, never objects."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l

#: Shown for a job whose task has no label of its own: never the internal task name.
GENERIC_LABEL = _l("Bakgrundsjobb")


@dataclass(frozen=True)
class TaskSpec:
    name: str
    fn: Callable[..., Any]
    #: Tenant tasks run bound to one municipality's schema and are refused without one.
    tenant_scoped: bool
    #: What people read for this job (Swedish source text); the name is for code and logs.
    label: Any = None
    #: Where the job was started, from its ids: a same-site path such as ``/r/<slug>/…``.
    return_to: Callable[..., str | None] | None = None


_TASKS: dict[str, TaskSpec] = {}


def task(
    name: str,
    *,
    tenant_scoped: bool = True,
    label: Any = None,
    return_to: Callable[..., str | None] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a job function ``fn(ctx, *ids)`` under a stable name, with its Swedish label."""

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        existing = _TASKS.get(name)
        if existing is not None and existing.fn.__qualname__ != fn.__qualname__:
            raise ValueError(f"task name {name!r} is already taken")
        _TASKS[name] = TaskSpec(name, fn, tenant_scoped, label, return_to)
        fn.task_name = name  # type: ignore[attr-defined]
        return fn

    return decorate


def get_task(name: str) -> TaskSpec:
    try:
        return _TASKS[name]
    except KeyError:
        raise LookupError(f"unknown task {name!r}") from None


def task_name(fn_or_name: Callable[..., Any] | str) -> str:
    return fn_or_name if isinstance(fn_or_name, str) else fn_or_name.task_name  # type: ignore[attr-defined]


def task_label(name: str) -> str:
    """The job's name as people read it on the job pages."""
    spec = _TASKS.get(name)
    return str(spec.label if spec is not None and spec.label else GENERIC_LABEL)


def is_same_site_path(path: object) -> bool:
    """A relative path on this site (``/…``), never another host, scheme or odd characters."""
    if not isinstance(path, str) or not path.startswith("/") or path.startswith("//"):
        return False
    if "\\" in path or any(ord(c) < 32 or ord(c) == 127 for c in path):
        return False
    parts = urlsplit(path)
    return not parts.scheme and not parts.netloc


def return_path(name: str, args: list[Any]) -> str | None:
    """Where a job of this task was started, derived from its ids; None if unknown."""
    spec = _TASKS.get(name)
    if spec is None or spec.return_to is None:
        return None
    path = spec.return_to(*args)
    return path if is_same_site_path(path) else None
