"""Retiring a municipality, a lost schema, a failing shared schema: what the CLI does and says."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import csrf_token
from tests.tenancy.conftest import ROOT
from tests.tenancy.helpers import SCHEMA, SLUG, drop_schema, schema_exists, seed

BROKEN_SHARED = '''"""Test revision: fails, as a bad deploy would."""

revision = "29991231_0001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    raise RuntimeError("broken shared revision")


def downgrade() -> None:
    pass
'''


def _login(site, seeded):
    client = site.app.test_client()
    response = client.post(
        "/logga-in",
        data={
            "csrf_token": csrf_token(client),
            "email": seeded["email"],
            "password": seeded["password"],
        },
    )
    assert response.status_code == 302
    return client


def test_a_retired_municipality_is_not_served_synced_or_migrated(scratch):
    site = scratch()
    assert site.cli("db", "upgrade").exit_code == 0
    seeded = seed(site)
    client = _login(site, seeded)
    assert client.get(f"/k/{SLUG}/").status_code == 200

    result = site.cli("tenants", "retire", SLUG, "--yes")
    assert result.exit_code == 0, result.output

    assert client.get(f"/k/{SLUG}/").status_code == 404
    synced = site.cli("tenants", "sync")
    assert synced.exit_code == 0, synced.output
    assert f"retired, left alone: {SLUG}" in synced.output
    assert "4 tenant schemas" in synced.output
    listed = site.cli("tenants", "list").output
    assert next(x for x in listed.splitlines() if x.startswith(SLUG)).endswith("retired")
    assert client.get(f"/k/{SLUG}/").status_code == 404


def test_retire_with_erase_removes_the_data_and_upgrade_does_not_recreate_it(scratch):
    site = scratch()
    assert site.cli("db", "upgrade").exit_code == 0
    seeded = seed(site)

    result = site.cli("tenants", "retire", SLUG, "--erase", "--yes")
    assert result.exit_code == 0, result.output
    assert "remain in backups until they expire" in result.output
    site.app.extensions["samverka.backend"].dispose()

    assert not schema_exists(site)
    assert not site.app.extensions["samverka.storage"].exists(seeded["key"])
    upgraded = site.cli("db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    assert "4 tenant schemas" in upgraded.output
    assert not schema_exists(site)


def test_upgrade_refuses_to_recreate_a_lost_schema_empty_and_says_to_restore(scratch):
    site = scratch()
    assert site.cli("db", "upgrade").exit_code == 0
    drop_schema(site)

    result = site.cli("db", "upgrade")

    assert result.exit_code == 1
    assert f"{SCHEMA}" in result.output and "missing" in result.output
    assert "0 migrated, 4 already at head, 0 failed, 1 missing" in result.output
    assert f"samverka tenants restore {SLUG}" in result.output
    assert not schema_exists(site)

    forced = site.cli("db", "upgrade", "--recreate-empty", SLUG)
    assert forced.exit_code == 0, forced.output
    assert "1 migrated, 4 already at head, 0 failed, 0 missing" in forced.output
    assert schema_exists(site)


def test_upgrade_reports_a_failing_shared_schema_and_exits_non_zero(scratch, tmp_path: Path):
    from samverka.db.migrate import SHARED_ENV, MigrationTarget

    migrations = tmp_path / "migrations"
    shutil.copytree(ROOT / "migrations", migrations)
    site = scratch(migrations_dir=migrations)
    head = MigrationTarget.from_settings(site.app.config["SETTINGS"]).head(SHARED_ENV)
    (migrations / "shared" / "versions" / "29991231_0001_broken.py").write_text(
        BROKEN_SHARED.format(head=head)
    )

    for command in (("db", "upgrade"), ("tenants", "sync")):
        result = site.cli(*command)
        assert result.exit_code == 1, result.output
        assert "broken shared revision" in result.output
        assert "the shared schema could not be migrated" in result.output
        assert "0 failed" not in result.output
