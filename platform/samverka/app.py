"""The application factory: ordered init_app calls, no database queries at build time."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask, appcontext_pushed, g, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

from samverka.config import Settings
from samverka.db import crypto
from samverka.db.engines import make_backend
from samverka.extensions import babel, csrf, db

LANGUAGES = ("sv", "en")
log = logging.getLogger(__name__)


def _locale() -> str:
    if not has_request_context():  # CLI commands and jobs write Swedish
        return "sv"
    chosen = request.cookies.get("lang")
    if chosen in LANGUAGES:
        return chosen
    if g.get("samverka_rendering_error"):
        # An error page asks no database: the user's language counts only if already in memory.
        state = sa.inspect(g.get("_login_user"), raiseerr=False)
        locale = state.dict.get("locale") if state is not None else None
        return locale if locale in LANGUAGES else "sv"
    if (
        current_user
        and getattr(current_user, "is_authenticated", False)
        and current_user.locale in LANGUAGES
    ):
        return current_user.locale
    return "sv"


def _configure(app: Flask, settings: Settings, overrides: dict[str, Any] | None) -> None:
    app.config.update(
        SETTINGS=settings,
        SECRET_KEY=settings.secret_key,
        SQLALCHEMY_DATABASE_URI="sqlite://",  # unused: engines come from the backend
        SQLALCHEMY_TRACK_MODIFICATIONS=False,
        MAX_CONTENT_LENGTH=settings.upload_max_mb * 1024 * 1024 + 64 * 1024,
        SESSION_COOKIE_NAME="samverka_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        REMEMBER_COOKIE_SECURE=settings.secure_cookies,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=10),
        WTF_CSRF_CHECK_DEFAULT=False,  # checked in _csrf below, so bearer-token API calls pass
        WTF_CSRF_TIME_LIMIT=None,
        BABEL_DEFAULT_LOCALE="sv",
        BABEL_DEFAULT_TIMEZONE="Europe/Stockholm",
        JOBS_SYNCHRONOUS=False,
        JSON_SORT_KEYS=False,
    )
    if overrides:
        app.config.update(overrides)


def _security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    )
    if request.path.startswith(("/k/", "/r/", "/api/")):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _csrf() -> None:
    if request.method in {"GET", "HEAD", "OPTIONS", "TRACE"}:
        return
    if request.path.startswith("/api/") and request.headers.get("Authorization", "").startswith(
        "Bearer "
    ):
        return
    csrf.protect()


def _scope_tenant_keys(app: Flask) -> None:
    """Each app context starts with no tenant's keys in use and restores the outer one's at exit."""

    def pushed(sender: Flask, **_: Any) -> None:
        g._tenant_keys_token = crypto.use_schema(None)

    def popped(_exc: BaseException | None) -> None:
        token = g.pop("_tenant_keys_token", None)
        if token is not None:
            crypto.reset_schema(token)

    appcontext_pushed.connect(pushed, app, weak=False)
    app.teardown_appcontext(popped)


def create_app(settings: Settings | None = None, config: dict[str, Any] | None = None) -> Flask:
    """Build the app; ``config`` overrides Flask settings (tests use it)."""
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    _configure(app, settings, config)
    crypto.set_data_key(settings.data_key)
    _scope_tenant_keys(app)

    from samverka.db.models import load_all_models

    load_all_models()
    db.init_app(app)
    app.extensions["samverka.backend"] = make_backend(
        settings.database_url,
        settings.data_dir,
        pooler=settings.db_pooler,
        **app.config.get("ENGINE_OPTIONS", {}),
    )
    from samverka.db import keycheck
    from samverka.web import converters, input, logs

    logs.init_app(app)
    keycheck.init_app(app)  # before anything that could read personal data
    app.after_request(_security_headers)  # runs last, so failure answers get the headers too
    converters.init_app(app)
    input.init_app(app)
    csrf.init_app(app)
    app.before_request(_csrf)
    babel.init_app(app, locale_selector=_locale)
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.add_extension("jinja2.ext.do")
    from samverka.modules.tenancy.labels import indicator_label

    app.jinja_env.globals["indicator_label"] = indicator_label
    from samverka.modules.jobs.labels import status_label

    app.jinja_env.globals["status_label"] = status_label
    from samverka.modules.jobs.registry import task_label

    app.jinja_env.globals["task_label"] = task_label

    from samverka.modules.auth import loaders
    from samverka.modules.jobs import dispatch
    from samverka.modules.storage.factory import build_storage
    from samverka.web import conflicts, context, errors, nav, transaction

    loaders.init_app(app)
    context.init_app(app)
    transaction.init_app(app)
    errors.init_app(app)
    conflicts.init_app(app)
    nav.init_app(app)
    dispatch.init_app(app)
    app.extensions["samverka.storage"] = build_storage(
        {
            "STORAGE_DIR": settings.data_dir / "files",
            "S3_BUCKET": settings.s3_bucket,
            "S3_ENDPOINT_URL": settings.s3_endpoint_url,
            "S3_REGION": settings.s3_region,
            "S3_ACCESS_KEY_ID": settings.s3_access_key_id,
            "S3_SECRET_ACCESS_KEY": settings.s3_secret_access_key,
            "S3_CONNECT_TIMEOUT": settings.s3_connect_timeout,
            "S3_READ_TIMEOUT": settings.s3_read_timeout,
            "S3_MAX_ATTEMPTS": settings.s3_max_attempts,
        }
    )
    _register_blueprints(app)
    return app


#: Modules whose ``bp`` blueprint is registered, in order.
BLUEPRINTS = (
    "samverka.web.views",
    "samverka.web.health",
    "samverka.modules.auth.views",
    "samverka.modules.auth.views_members",
    "samverka.web.legal",
    "samverka.modules.jobs.views",
    "samverka.modules.admin.views",
    "samverka.modules.audit.views",
    "samverka.modules.forums.views_forums",
    "samverka.modules.forums.views_meetings",
    "samverka.modules.forums.views_calendar",
    "samverka.modules.forums.views_exports",
    "samverka.modules.region.views",
    "samverka.api.blueprint",
)
#: Modules defining job functions, imported so workers know every task by name.
TASK_MODULES = (
    "samverka.modules.auth.mail",
    "samverka.modules.jobs.tasks",
    "samverka.modules.forums.tasks",
    "samverka.modules.keys.tasks",
    "samverka.modules.region.tasks",
    "samverka.modules.storage.tasks",
)


def _register_blueprints(app: Flask) -> None:
    from importlib import import_module

    for name in BLUEPRINTS:
        app.register_blueprint(import_module(name).bp)
    for name in TASK_MODULES:
        import_module(name)
