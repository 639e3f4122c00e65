"""``samverka bench tenancy``: provisioning, migration and routing figures on a throwaway database.

Everything runs in a database created for the run (``samverka_bench_<random>``) beside the one
DATABASE_URL names, and dropped at the end, also on Ctrl+C or failure. Figures are printed with
their targets; nothing here asserts a timing.
"""

from __future__ import annotations

import gc
import math
import os
import platform
import re
import secrets
import signal
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa
from flask import Blueprint, Flask, current_app, g
from flask.testing import FlaskClient
from sqlalchemy.engine import make_url

from samverka.config import Settings

#: Row labels; the smoke test looks for these four.
PROVISION = "provision"
UPGRADE_AT_HEAD = "db upgrade at head"
ADDITIVE_REVISION = "additive revision"
ROUTING_OVERHEAD = "routing overhead"

REGION_SLUG = "bench-region"
REGION_CODE = "99"
FIRST_CODE = 5000
BYPASS_PATH = "/bench/bypass"
AUDIT_EVENTS = 40  # more than one page (25), so the list renders rows and pagination
_CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
_EXTENSION = "samverka.bench"


class BenchError(RuntimeError):
    """The benchmark cannot run or a step failed; the message is for the operator."""


@dataclass(frozen=True)
class Row:
    """One printed figure, with its target (None: shown for information)."""

    metric: str
    value: float
    unit: str
    target: float | None = None

    @property
    def verdict(self) -> str:
        """ "ok" under target, "over" at or above it, "-" without a target."""
        if self.target is None:
            return "-"
        return "ok" if self.value < self.target else "over"

    def cell(self, number: float | None, prefix: str = "") -> str:
        """A value or target with its unit, sized for the table ("-" for none)."""
        if number is None:
            return "-"
        digits = 1 if self.unit == "%" else 3 if abs(number) < 10 else 2
        return f"{prefix}{number:.{digits}f} {self.unit}"


# --- database and settings -----------------------------------------------------------------


def postgres_url(raw: str | None) -> str:
    """Normalise a PostgreSQL URL to the psycopg driver; refuse anything else."""
    if not raw:
        raise BenchError("set DATABASE_URL or pass --database-url (a PostgreSQL URL)")
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    if raw.startswith("postgresql+"):
        return raw
    scheme = raw.split(":", 1)[0]
    raise BenchError(
        f"the tenancy benchmark needs PostgreSQL, not {scheme!r}: "
        "pass --database-url postgresql://…"
    )


def _admin_engine(base_url: str) -> sa.Engine:
    """An autocommit, pool-less engine on the database the URL names (for CREATE/DROP DATABASE)."""
    return sa.create_engine(
        base_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool, hide_parameters=True
    )


def server_version(base_url: str) -> str:
    """The PostgreSQL server version, for the header."""
    engine = _admin_engine(base_url)
    try:
        with engine.connect() as conn:
            return str(conn.exec_driver_sql("SHOW server_version").scalar())
    finally:
        engine.dispose()


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM like Ctrl+C while the throwaway database exists, so it is dropped."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def throwaway_database(base_url: str) -> Iterator[str]:
    """Create ``samverka_bench_<random>`` beside the URL's database; always drop it afterwards."""
    url = make_url(base_url)
    name = f"samverka_bench_{secrets.token_hex(4)}"
    engine = _admin_engine(base_url)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        with _sigterm_as_interrupt():
            try:
                yield url.set(database=name).render_as_string(hide_password=False)
            finally:
                with engine.connect() as conn:
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        engine.dispose()


def bench_settings(database_url: str, tenants_dir: Path, data_dir: Path) -> Settings:
    """Settings from the environment, pointed at the throwaway database and temp folders only."""
    return Settings.from_env().replace(
        database_url=database_url,
        tenants_dir=tenants_dir,
        data_dir=data_dir,
        redis_url=None,
        s3_bucket=None,
        secure_cookies=False,
    )


# --- manifests and revision files -----------------------------------------------------------


def slug_of(index: int) -> str:
    """The synthetic municipality slug for 1-based ``index``."""
    return f"bench-kommun-{index:04d}"


def write_manifests(directory: Path, count: int) -> list[str]:
    """Write one region and ``count`` municipality manifests; return the municipality slugs."""
    (directory / f"{REGION_SLUG}.toml").write_text(
        f'kind = "region"\nslug = "{REGION_SLUG}"\nname = "Benchregion"\ncode = "{REGION_CODE}"\n',
        encoding="utf-8",
    )
    slugs = []
    for index in range(1, count + 1):
        slug = slug_of(index)
        (directory / f"{slug}.toml").write_text(
            f'kind = "municipality"\nslug = "{slug}"\nname = "Benchkommun {index:04d}"\n'
            f'code = "{FIRST_CODE + index}"\nregion = "{REGION_SLUG}"\n',
            encoding="utf-8",
        )
        slugs.append(slug)
    return slugs


REVISION_TEMPLATE = '''"""bench: one additive column (throwaway database only)"""

import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = "{down_revision}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit_events", sa.Column("bench_note", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("audit_events", "bench_note")
'''


def write_revision(directory: Path, down_revision: str) -> str:
    """Write a tenant revision adding ``audit_events.bench_note`` atop the head; return its id."""
    revision = f"bench_{secrets.token_hex(4)}"
    text = REVISION_TEMPLATE.format(revision=revision, down_revision=down_revision)
    (directory / f"{revision}_bench_note.py").write_text(text, encoding="utf-8")
    return revision


# --- the app and the bypass view ------------------------------------------------------------


def bypass_log() -> str:
    """The audit log with the schema bound directly: no tenant resolution, no membership check."""
    from samverka.db.session import bind_schema
    from samverka.extensions import db
    from samverka.modules.audit.views import log_page
    from samverka.modules.auth.models import MunicipalRole

    state = current_app.extensions[_EXTENSION]
    bind_schema(db.session, state["schema"])
    g.tenant, g.tenant_role = state["tenant"], MunicipalRole.coordinator
    return log_page()


def bench_blueprint() -> Blueprint:
    """A bench-only blueprint with the bypass view (registered before the first request)."""
    bp = Blueprint("bench", __name__)
    bp.add_url_rule(BYPASS_PATH, "bypass", bypass_log)
    return bp


def build_app(settings: Settings) -> Flask:
    """The real app on the throwaway settings, plus the bench blueprint."""
    from samverka.app import create_app

    app = create_app(settings, {"TESTING": True, "JOBS_SYNCHRONOUS": True})
    app.register_blueprint(bench_blueprint())
    app.extensions[_EXTENSION] = {}
    return app


# --- steps 1–3: provisioning and migrations -----------------------------------------------


def _check(report: Any, step: str) -> None:
    """Raise BenchError naming the first failed schema of a migration report."""
    if report.ok:
        return
    failed = [o for o in [report.shared, *report.tenants] if not o.ok]
    raise BenchError(
        f"{step}: {len(failed)} schema(s) failed, first {failed[0].schema}: {failed[0].error}"
    )


def _timed(action: Callable[[], Any]) -> tuple[Any, float]:
    """Run ``action``; return its result and the wall-clock seconds it took."""
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def provision(app: Flask, count: int) -> list[Row]:
    """Step 1: shared schema, registry sync and ``count`` new tenant schemas to head."""
    from samverka.modules.tenancy.cli import upgrade_all

    with app.app_context():
        report, seconds = _timed(lambda: upgrade_all(echo=False))
    _check(report, PROVISION)
    migrated = sum(1 for o in report.tenants if o.status == "migrated")
    if migrated != count:
        raise BenchError(f"{PROVISION}: expected {count} new schemas, {migrated} were migrated")
    return [
        Row(f"{PROVISION}: total", seconds, "s"),
        Row(f"{PROVISION}: per tenant", seconds / count, "s"),
    ]


def upgrade_at_head(app: Flask, count: int) -> list[Row]:
    """Step 2: ``db upgrade`` with everything at head, and the one-query version check alone."""
    from samverka.db.migrate import MigrationTarget, tenant_versions
    from samverka.modules.tenancy.cli import upgrade_all
    from samverka.modules.tenancy.queries import municipality_schemas

    with app.app_context():
        report, seconds = _timed(lambda: upgrade_all(echo=False))
        _check(report, UPGRADE_AT_HEAD)
        target = MigrationTarget.from_settings(app.config["SETTINGS"])
        schemas = municipality_schemas()
        versions, check_seconds = _timed(lambda: tenant_versions(target, schemas))
    behind = [o.schema for o in report.tenants if o.status != "at head"]
    if behind or len(versions) != count:
        raise BenchError(f"{UPGRADE_AT_HEAD}: schemas not at head: {', '.join(behind[:5])}")
    return [
        Row(f"{UPGRADE_AT_HEAD}: total", seconds, "s", 2.0),
        Row(f"{UPGRADE_AT_HEAD}: version check", check_seconds, "s"),
    ]


def additive_revision(app: Flask, count: int, versions_dir: Path) -> list[Row]:
    """Step 3: one ``add_column`` revision on top of the head, applied to every tenant."""
    from samverka.db.migrate import TENANT_ENV, MigrationTarget
    from samverka.modules.tenancy.cli import upgrade_all

    with app.app_context():
        head = MigrationTarget.from_settings(app.config["SETTINGS"]).head(TENANT_ENV)
        if head is None:
            raise BenchError(f"{ADDITIVE_REVISION}: the tenant environment has no head revision")
        revision = write_revision(versions_dir, head)
        report, seconds = _timed(
            lambda: upgrade_all(extra_versions=(str(versions_dir),), echo=False)
        )
    _check(report, ADDITIVE_REVISION)
    moved = [o for o in report.tenants if o.status == "migrated" and o.after == revision]
    if len(moved) != count:
        raise BenchError(f"{ADDITIVE_REVISION}: {len(moved)} of {count} schemas reached {revision}")
    mean_transaction = statistics.fmean(o.seconds for o in moved)
    return [
        Row(f"{ADDITIVE_REVISION}: per tenant", seconds / count, "s", 0.3),
        Row(f"{ADDITIVE_REVISION}: total", seconds, "s"),
        Row(f"{ADDITIVE_REVISION}: mean schema transaction", mean_transaction, "s"),
    ]


# --- step 4: routing overhead ---------------------------------------------------------------


def prepare_tenant(app: Flask, slug: str) -> tuple[str, str]:
    """Create a coordinator of ``slug``, seed its audit log, remember the tenant for the bypass."""
    from samverka.db.session import tenant_session
    from samverka.extensions import db
    from samverka.modules.audit.models import AuditEvent
    from samverka.modules.auth import operations as ops
    from samverka.modules.auth.models import MunicipalRole
    from samverka.modules.tenancy.queries import tenant_by_slug

    email, password = f"bench-{secrets.token_hex(4)}@example.se", secrets.token_urlsafe(18)
    with app.app_context():
        tenant = tenant_by_slug(slug)
        if tenant is None or not tenant.schema_name:
            raise BenchError(f"{ROUTING_OVERHEAD}: tenant {slug} was not provisioned")
        user = ops.create_user(email, "Bench Samordnare", password)
        ops.grant_membership(user, tenant, MunicipalRole.coordinator)
        db.session.commit()
        with tenant_session(tenant.schema_name) as session:
            session.add_all(
                AuditEvent(
                    user_id=user.id,
                    action="update",
                    object_type="bench",
                    object_id=i,
                    summary=f"Benchhändelse {i}",
                    changes={"title": True},
                )
                for i in range(AUDIT_EVENTS)
            )
            session.commit()
        tenant = tenant_by_slug(slug)  # loaded after the commit, so its attributes stay loaded
        db.session.close()  # detaches without expiring: the bypass reads name and slug only
    app.extensions[_EXTENSION].update(schema=tenant.schema_name, tenant=tenant)
    return email, password


def login(client: FlaskClient, email: str, password: str) -> None:
    """Log in through the real form (CSRF token read from the page)."""
    response = client.get("/logga-in")
    match = _CSRF.search(response.get_data(as_text=True))
    response.close()
    if match is None:
        raise BenchError(f"{ROUTING_OVERHEAD}: no CSRF token on /logga-in")
    response = client.post(
        "/logga-in", data={"csrf_token": match.group(1), "email": email, "password": password}
    )
    response.close()
    if response.status_code != 302:
        raise BenchError(f"{ROUTING_OVERHEAD}: log-in answered {response.status_code}")


def fetch(client: FlaskClient, path: str) -> tuple[float, str]:
    """GET ``path``; return milliseconds and the body, refusing anything but 200."""
    start = time.perf_counter_ns()
    response = client.get(path)
    elapsed = (time.perf_counter_ns() - start) / 1e6
    body = response.get_data(as_text=True)
    response.close()
    if response.status_code != 200:
        raise BenchError(f"{ROUTING_OVERHEAD}: GET {path} answered {response.status_code}")
    return elapsed, body


def check_same_page(tenant_body: str, bypass_body: str) -> None:
    """Both views must render the same list (same rows), or the comparison means nothing."""
    rows = tenant_body.count("<tr>"), bypass_body.count("<tr>")
    if rows[0] != rows[1] or rows[0] < 2:
        raise BenchError(
            f"{ROUTING_OVERHEAD}: tenant page and bypass differ ({rows[0]} vs {rows[1]} table rows)"
        )


def p95(samples: list[float]) -> float:
    """The 95th percentile by nearest rank."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@contextmanager
def _no_gc() -> Iterator[None]:
    """Keep the cyclic garbage collector out of the timed loop."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def measure(client: FlaskClient, paths: tuple[str, str], requests: int) -> tuple[list[float], ...]:
    """Time ``requests`` GETs of each path, alternating which goes first to cancel drift."""
    samples: tuple[list[float], list[float]] = ([], [])
    with _no_gc():
        for i in range(requests):
            order = (0, 1) if i % 2 == 0 else (1, 0)
            for which in order:
                samples[which].append(fetch(client, paths[which])[0])
    return samples


def routing_overhead(app: Flask, slug: str, requests: int) -> list[Row]:
    """Step 4: the tenant audit-log page against the same page with tenancy bypassed."""
    email, password = prepare_tenant(app, slug)
    client = app.test_client()
    login(client, email, password)
    paths = (f"/k/{slug}/logg", BYPASS_PATH)
    check_same_page(fetch(client, paths[0])[1], fetch(client, paths[1])[1])
    measure(client, paths, max(10, requests // 5))  # warm-up, discarded
    tenant_ms, bypass_ms = measure(client, paths, requests)
    tenant_median, bypass_median = statistics.median(tenant_ms), statistics.median(bypass_ms)
    overhead = (tenant_median - bypass_median) / bypass_median * 100
    return [
        Row(f"{ROUTING_OVERHEAD}: tenant page median", tenant_median, "ms"),
        Row(f"{ROUTING_OVERHEAD}: tenant page p95", p95(tenant_ms), "ms"),
        Row(f"{ROUTING_OVERHEAD}: bypass median", bypass_median, "ms"),
        Row(f"{ROUTING_OVERHEAD}: bypass p95", p95(bypass_ms), "ms"),
        Row(f"{ROUTING_OVERHEAD}: median", overhead, "%", 5.0),
    ]


# --- output and the whole run ---------------------------------------------------------------


def machine_info(base_url: str, settings: Settings, tenants: int, requests: int) -> list[str]:
    """Header lines: machine, Python, PostgreSQL, N and migration workers."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        f"machine: {platform.machine()} {platform.system()} {platform.release()}, "
        f"{os.cpu_count()} cores ({usable} usable); Python {platform.python_version()}; "
        f"PostgreSQL {server_version(base_url)}",
        f"N = {tenants} tenants, {requests} requests per page; "
        f"migration workers = {settings.migration_workers}",
    ]


def format_table(rows: list[Row]) -> str:
    """A compact table: metric, value, target, verdict."""
    width = max(len(r.metric) for r in rows)
    lines = [
        f"{'metric':<{width}}  {'value':>12}  {'target':>12}  verdict",
        f"{'-' * width}  {'-' * 12}  {'-' * 12}  -------",
    ]
    for row in rows:
        lines.append(
            f"{row.metric:<{width}}  {row.cell(row.value):>12}  "
            f"{row.cell(row.target, '< '):>12}  {row.verdict}"
        )
    return "\n".join(lines)


def run(
    database_url: str | None, tenants: int, requests: int, echo: Callable[[str], None] = click.echo
) -> list[Row]:
    """Run the four steps in a throwaway database and print the table; return its rows."""
    base_url = postgres_url(database_url)
    rows: list[Row] = []
    with (
        tempfile.TemporaryDirectory(prefix="samverka-bench-") as tmp,
        throwaway_database(base_url) as url,
    ):
        root = Path(tmp)
        for folder in ("tenants", "data", "versions"):
            (root / folder).mkdir()
        settings = bench_settings(url, root / "tenants", root / "data")
        for line in machine_info(base_url, settings, tenants, requests):
            echo(line)
        echo(f"throwaway database: {make_url(url).database} (dropped at the end)")
        slugs = write_manifests(root / "tenants", tenants)
        app = build_app(settings)
        try:
            echo(f"1/4 provisioning {tenants} tenants …")
            rows += provision(app, tenants)
            echo("2/4 db upgrade with everything at head …")
            rows += upgrade_at_head(app, tenants)
            echo("3/4 one additive revision on every tenant …")
            rows += additive_revision(app, tenants, root / "versions")
            echo(f"4/4 routing overhead, {requests} requests per page …")
            rows += routing_overhead(app, slugs[0], requests)
        finally:
            app.extensions["samverka.backend"].dispose()
    echo("")
    echo(format_table(rows))
    return rows
