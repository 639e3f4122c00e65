"""What a running Samverka depends on, checked one by one: database, keys, Redis, storage.

``/readyz`` and ``samverka check`` share these checks. Each says in Swedish what is wrong and
what to do; none prints a secret.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import click
import sqlalchemy as sa
from flask import Flask

#: Whether the site can serve without the dependency (it then works, with less).
OPTIONAL = frozenset({"redis", "storage"})


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    @property
    def status(self) -> str:
        if self.ok:
            return "ok"
        return "degraded" if self.name in OPTIONAL else "failed"


def check_database(app: Flask) -> Check:
    """Can a connection be made and a statement run?"""
    try:
        with app.extensions["samverka.backend"].engine_for(None).connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as exc:
        reason = type(getattr(exc, "orig", None) or exc).__name__
        return Check(
            "database",
            False,
            f"Databasen går inte att nå ({reason}). Kontrollera DATABASE_URL och att "
            "PostgreSQL är igång.",
        )
    dialect = app.extensions["samverka.backend"].dialect
    return Check("database", True, "PostgreSQL svarar" if dialect == "postgresql" else "SQLite")


def check_keys(app: Flask) -> Check:
    """Does the configured data key open the check value stored with the data?"""
    from samverka.db.keycheck import KeyMismatch, verify_app_key

    try:
        result = verify_app_key(app, write_if_missing=False)
    except KeyMismatch as exc:
        return Check("keys", False, str(exc))
    except sa.exc.SQLAlchemyError:
        return Check("keys", False, "Nyckeln kan inte kontrolleras utan databasen.")
    if result is None:
        return Check(
            "keys", False, "Databasen är inte migrerad än. Kör `samverka db upgrade` först."
        )
    if result == "missing":
        return Check("keys", True, "Inget kontrollvärde sparat än; det skrivs vid första start.")
    return Check("keys", True, "SAMVERKA_DATA_KEY passar till databasen")


def check_redis(app: Flask) -> Check:
    """Is the job queue's Redis answering? Without it jobs wait; pages still work."""
    url = app.config["SETTINGS"].redis_url
    if not url:
        return Check("redis", True, "Inte inställd: jobb körs i webbprocessen")
    from redis import Redis
    from redis.exceptions import RedisError

    client = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except RedisError as exc:
        return Check(
            "redis",
            False,
            f"Redis går inte att nå ({type(exc).__name__}): bakgrundsjobb väntar tills den "
            "svarar. Kontrollera REDIS_URL och att Redis är igång.",
        )
    finally:
        client.close()
    return Check("redis", True, "Redis svarar")


def check_storage(app: Flask) -> Check:
    """Can files be stored? Without it uploads and downloads fail; the rest works."""
    storage = app.extensions["samverka.storage"]
    try:
        problem = storage.check()
    except Exception as exc:  # a check that breaks is itself the finding
        problem = f"Fillagringen kunde inte kontrolleras ({type(exc).__name__})."
    if problem:
        return Check("storage", False, problem)
    return Check("storage", True, "Fillagringen fungerar")


def run_checks(app: Flask) -> list[Check]:
    """Every check; the key check is skipped (failed) when the database is down."""
    database = check_database(app)
    keys = check_keys(app) if database.ok else Check("keys", False, "Kräver databasen.")
    return [database, keys, check_redis(app), check_storage(app)]


@click.command("check")
def check_command() -> None:
    """Check settings, database, keys, Redis and file storage; exit 1 if anything is wrong."""
    from samverka.app import create_app
    from samverka.config import ConfigError, Settings

    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        click.secho(f"FEL  inställningar: {exc}", fg="red", err=True)
        sys.exit(1)
    click.echo("ok   inställningar")
    try:
        app = create_app(settings)
    except Exception as exc:  # what stops the app from starting is the finding
        click.secho(f"FEL  start: {type(exc).__name__}: {exc}", fg="red", err=True)
        sys.exit(1)
    try:
        checks = run_checks(app)
    finally:
        app.extensions["samverka.backend"].dispose()
    for check in checks:
        label = {"ok": "ok  ", "degraded": "FEL ", "failed": "FEL "}[check.status]
        click.secho(
            f"{label} {check.name}: {check.detail}",
            fg=None if check.ok else "red",
            err=not check.ok,
        )
    sys.exit(0 if all(c.ok for c in checks) else 1)
