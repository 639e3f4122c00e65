"""`samverka db upgrade` and `samverka tenants sync|list` on a scratch installation."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

DALSLAND = {"kommun_1438", "kommun_1439", "kommun_1460", "kommun_1461", "kommun_1492"}

PROBE = '''"""Test revision: a new table, then a unique index that duplicate rows break."""

import sqlalchemy as sa
from alembic import op

revision = "29991231_0000"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("migration_probe", sa.Column("id", sa.Integer, primary_key=True))
    op.create_index("ux_probe_audit_action", "audit_events", ["action"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_probe_audit_action", "audit_events")
    op.drop_table("migration_probe")
'''


def test_upgrade_migrates_every_manifest_then_a_second_run_is_a_noop(scratch):
    site = scratch()
    first = site.cli("db", "upgrade")
    assert first.exit_code == 0, first.output
    assert "5 migrated, 0 already at head, 0 failed" in first.output
    head = site.tenant_head()
    assert site.versions() == dict.fromkeys(DALSLAND, head)
    assert {"audit_events", "forums", "meetings"} <= site.tables("kommun_1460")

    second = site.cli("db", "upgrade")
    assert second.exit_code == 0, second.output
    assert "0 migrated, 5 already at head, 0 failed" in second.output
    assert "shared" in second.output and "at head" in second.output
    assert site.versions() == dict.fromkeys(DALSLAND, head)


def test_a_failing_tenant_is_reported_unchanged_while_the_others_reach_head(scratch, tmp_path):
    from samverka.modules.audit.models import AuditEvent

    site = scratch()
    assert site.cli("db", "upgrade").exit_code == 0
    before = site.tenant_head()
    # Two identical actions in Bengtsfors break the probe's unique index there, and only there
    # (summaries are encrypted, so equal texts no longer look equal in the database).
    backend = site.app.extensions["samverka.backend"]
    with backend.engine_for("kommun_1460").begin() as conn:
        for _ in range(2):
            conn.execute(
                sa.insert(AuditEvent).values(
                    action="create",
                    object_type="forum",
                    object_id=1,
                    summary="samma",
                    changes={},
                    at=sa.func.now(),
                )
            )
    versions_dir = tmp_path / "extra_versions"
    versions_dir.mkdir()
    (versions_dir / "29991231_0000_probe.py").write_text(PROBE.format(head=before))

    result = site.cli("db", "upgrade", "--extra-versions", str(versions_dir))

    assert result.exit_code != 0
    assert "kommun_1460" in result.output and "failed" in result.output
    assert "4 migrated, 0 already at head, 1 failed" in result.output
    versions = site.versions()
    assert versions.pop("kommun_1460") == before
    assert set(versions.values()) == {"29991231_0000"}
    assert "migration_probe" not in site.tables("kommun_1460")  # its transaction rolled back
    assert "migration_probe" in site.tables("kommun_1492")


def test_a_municipality_added_as_a_manifest_reaches_head_and_is_listed(scratch):
    site = scratch()
    assert site.cli("db", "upgrade").exit_code == 0
    source = (site.tenants_dir / "dals-ed.toml").read_text(encoding="utf-8")
    manifest = (
        source.split("[[indicators]]")[0]
        .replace('slug = "dals-ed"', 'slug = "vanersborg"')
        .replace('name = "Dals-Eds kommun"', 'name = "Vänersborgs kommun"')
        .replace('code = "1438"', 'code = "1487"')
    )
    (site.tenants_dir / "vanersborg.toml").write_text(manifest, encoding="utf-8")

    synced = site.cli("tenants", "sync")
    assert synced.exit_code == 0, synced.output
    assert "created: vanersborg" in synced.output
    assert site.versions()["kommun_1487"] == site.tenant_head()
    assert "forums" in site.tables("kommun_1487")

    listed = site.cli("tenants", "list")
    line = next(x for x in listed.output.splitlines() if x.startswith("vanersborg"))
    assert "kommun_1487" in line and "(head)" in line


def test_a_bad_manifest_is_refused_naming_file_and_field_and_changes_nothing(scratch):
    site = scratch()
    assert site.cli("db", "upgrade").exit_code == 0
    bad: Path = site.tenants_dir / "trollhattan.toml"
    bad.write_text(
        'kind = "municipality"\nslug = "trollhattan"\nname = "Trollhättans stad"\n'
        'code = "14x8"\nregion = "vastra-gotalandsregionen"\n',
        encoding="utf-8",
    )

    result = site.cli("tenants", "sync")

    assert result.exit_code != 0
    assert "trollhattan.toml" in result.output and "'code'" in result.output
    listed = site.cli("tenants", "list").output
    assert "trollhattan" not in listed
    assert set(site.versions()) == DALSLAND
