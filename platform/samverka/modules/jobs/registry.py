"""Job functions by name, so records and RQ carry names and ids, never objects."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TaskSpec:
    name: str
    fn: Callable[..., Any]
    #: Tenant tasks run bound to one municipality's schema and are refused without one.
    tenant_scoped: bool


_TASKS: dict[str, TaskSpec] = {}


def task(
    name: str, *, tenant_scoped: bool = True
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a job function ``fn(ctx, *ids)`` under a stable name."""

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        existing = _TASKS.get(name)
        if existing is not None and existing.fn.__qualname__ != fn.__qualname__:
            raise ValueError(f"task name {name!r} is already taken")
        _TASKS[name] = TaskSpec(name, fn, tenant_scoped)
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
