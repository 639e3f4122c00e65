"""Run a CLI command inside an app context (the test's app, if one is already pushed)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import current_app


def with_app(command: Callable[..., Any]) -> Callable[..., Any]:
    """Create the app from the environment unless a context is active, then run the command."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_app:
            return command(*args, **kwargs)
        from samverka.app import create_app

        app = create_app()
        try:
            with app.app_context():
                return command(*args, **kwargs)
        finally:
            app.extensions["samverka.backend"].dispose()

    return wrapper
