"""A scratch installation per test: its own database (or SQLite folder) and tenants folder.

Migration tests add revisions and manifests, so they must never touch the suite's shared app.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result

ROOT = Path(__file__).resolve().parents[2]


class Scratch:
    """An app on a fresh database, with helpers to run the CLI inside it."""

    def __init__(self, app, tenants_dir: Path) -> None:
        self.app = app
        self.tenants_dir = tenants_dir

    def cli(self, *args: str) -> Result:
        from click.testing import CliRunner

        from samverka.cli import cli

        with self.app.app_context():
            return CliRunner().invoke(cli, list(args))

    def versions(self) -> dict[str, str | None]:
        from samverka.db.migrate import MigrationTarget, tenant_versions

        target = MigrationTarget.from_settings(self.app.config["SETTINGS"])
        with self.app.app_context():
            from samverka.modules.tenancy.queries import municipality_schemas

            return tenant_versions(target, municipality_schemas())

    def tables(self, schema: str) -> set[str]:
        import sqlalchemy as sa

        engine = self.app.extensions["samverka.backend"].engine_for(schema)
        with engine.connect() as conn:
            return set(sa.inspect(conn).get_table_names(schema=schema))

    def tenant_head(self) -> str | None:
        from samverka.db.migrate import TENANT_ENV, MigrationTarget

        return MigrationTarget.from_settings(self.app.config["SETTINGS"]).head(TENANT_ENV)


@pytest.fixture
def scratch(tmp_path: Path, settings) -> Iterator[Callable[[], Scratch]]:
    """``scratch(**settings)`` builds a not-yet-migrated installation with the Dalsland manifests."""
    from samverka.app import create_app
    from tests.fixtures.database import create_database, drop_database, postgres_url

    made: list[tuple[object, str | None]] = []

    def build(**changes: object) -> Scratch:
        base = postgres_url()
        url = create_database(base, prefix="samverka_scratch") if base else None
        tenants_dir = tmp_path / f"tenants{len(made)}"
        shutil.copytree(ROOT / "tenants", tenants_dir)
        app = create_app(
            settings.replace(
                database_url=url,
                data_dir=tmp_path / f"data{len(made)}",
                tenants_dir=tenants_dir,
                **changes,
            ),
            {"TESTING": True, "JOBS_SYNCHRONOUS": True},
        )
        made.append((app, url))
        return Scratch(app, tenants_dir)

    yield build
    for app, url in made:
        app.extensions["samverka.backend"].dispose()
        if url:
            drop_database(url)
