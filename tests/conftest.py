"""Fixtures: one app per session on the Dalsland manifests, real services when configured.

With DATABASE_URL set the suite runs on a fresh PostgreSQL database (and REDIS_URL on Redis);
otherwise on SQLite files in a temporary folder with in-process jobs. On CI the PostgreSQL leg
fails loudly instead of skipping when its database cannot be reached.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_TMP_DATA = None


def pytest_configure(config: pytest.Config) -> None:
    global _TMP_DATA
    import tempfile

    _TMP_DATA = Path(tempfile.mkdtemp(prefix="samverka-test-"))
    # Settings read the environment; keep tests away from the developer's instance folder.
    os.environ["SAMVERKA_DATA_DIR"] = str(_TMP_DATA)
    os.environ.setdefault("SAMVERKA_SECRET_KEY", "test-secret-key")
    os.environ["SAMVERKA_DATA_KEY"] = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
    os.environ["SAMVERKA_TENANTS_DIR"] = str(ROOT / "tenants")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from tests.fixtures.database import postgres_url

    on_pg = postgres_url() is not None
    on_redis = bool(os.environ.get("REDIS_URL"))
    for item in items:
        if "pg" in item.keywords and not on_pg:
            item.add_marker(pytest.mark.skip(reason="PostgreSQL leg only (DATABASE_URL not set)"))
        if "redis" in item.keywords and not on_redis:
            item.add_marker(pytest.mark.skip(reason="Redis leg only (REDIS_URL not set)"))


@pytest.fixture(scope="session")
def database_url() -> Iterator[str | None]:
    from tests.fixtures.database import create_database, drop_database, postgres_url

    base = postgres_url()
    if base is None:
        yield None
        return
    try:
        url = create_database(base)
    except Exception as exc:
        pytest.exit(f"DATABASE_URL is set but PostgreSQL is unreachable: {exc}", returncode=3)
    # CLI commands run outside the test app build their own from the environment.
    os.environ["DATABASE_URL"] = url
    yield url
    os.environ["DATABASE_URL"] = base
    drop_database(url)


@pytest.fixture(scope="session")
def settings(database_url: str | None):
    from samverka.config import Settings

    return Settings.from_env().replace(
        database_url=database_url, migration_workers=2, login_max_failures=3
    )


@pytest.fixture(scope="session")
def app(settings):
    from samverka.app import create_app
    from samverka.modules.tenancy.cli import upgrade_all

    app = create_app(settings, {"TESTING": True, "JOBS_SYNCHRONOUS": True})
    with app.app_context():
        report = upgrade_all(echo=False)
        assert report.ok, report
    yield app
    app.extensions["samverka.backend"].dispose()


@pytest.fixture(autouse=True)
def _clean_database(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test starts from the migrated, manifest-synced state with no accounts or data."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    from samverka.modules.tenancy.models import Tenant
    from tests.fixtures.database import clean

    with app.app_context():
        from samverka.extensions import db

        schemas = [t.schema_name for t in db.session.query(Tenant).all() if t.schema_name]
        db.session.remove()
        clean(app.extensions["samverka.backend"], schemas)
    # Keys are cached per process by schema name; a test that built an app on another database
    # (the demo, start-up checks) must not leave that database's keys for the next test.
    from samverka.db.crypto import invalidate

    invalidate()
    if app.config["SETTINGS"].redis_url:
        from redis import Redis

        Redis.from_url(app.config["SETTINGS"].redis_url).flushdb()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def tenant(app) -> Callable[[str], object]:
    """Look up a tenant by slug (detached, safe to use across sessions)."""

    def get(slug: str):
        from samverka.extensions import db
        from samverka.modules.tenancy.queries import tenant_by_slug

        with app.app_context():
            found = tenant_by_slug(slug)
            assert found is not None, slug
            db.session.expunge(found)
            return found

    return get


@pytest.fixture
def create_user(app) -> Callable[..., object]:
    """Create an account with roles: ``create_user(municipalities={"amal": "coordinator"})``."""
    counter = iter(range(1, 10_000))

    def create(
        email: str | None = None,
        *,
        password: str = "ett-bra-losenord",  # noqa: S107 - test accounts
        name: str = "Test Person",
        municipalities: dict[str, str] | None = None,
        regions: dict[str, str] | None = None,
        platform_admin: bool = False,
    ):
        from samverka.extensions import db
        from samverka.modules.auth import operations as ops
        from samverka.modules.auth.models import MunicipalRole, RegionRole
        from samverka.modules.tenancy.queries import tenant_by_slug

        email = email or f"person{next(counter)}@example.se"
        with app.app_context():
            user = ops.create_user(email, name, password, platform_admin=platform_admin)
            for slug, role in (municipalities or {}).items():
                ops.grant_membership(user, tenant_by_slug(slug), MunicipalRole(role))
            for slug, role in (regions or {}).items():
                ops.grant_region_role(user, tenant_by_slug(slug), RegionRole(role))
            db.session.commit()
            user.plain_password = password
            user.plain_email = email
            user_id = user.id
            db.session.expunge_all()
        user.id = user_id
        return user

    return create


CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def csrf_token(client, path: str = "/logga-in") -> str:
    """The CSRF token of a page's form, as a browser would send it back."""
    html = client.get(path).get_data(as_text=True)
    match = CSRF.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


@pytest.fixture
def login(app) -> Callable[..., object]:
    """``login(user)`` returns a test client logged in as that user, through the real form."""

    def do_login(user, client=None):
        client = client or app.test_client()
        response = client.post(
            "/logga-in",
            data={
                "csrf_token": csrf_token(client),
                "email": user.plain_email,
                "password": user.plain_password,
            },
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return client

    return do_login
