"""`samverka tenants backup|restore|export`: one municipality out and back in, on both legs.

The PostgreSQL leg stores files in S3 (a moto server), the embedded leg in a local folder.
"""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from tests.storage.conftest import S3_CLIENT_ARGS, s3_endpoint  # noqa: F401 - fixture
from tests.tenancy.helpers import (
    CONTACT,
    FILE,
    SCHEMA,
    SLUG,
    destroy,
    schema_exists,
    seed,
    shared_rows,
    tenant_rows,
)


@pytest.fixture
def site(scratch, request):
    """A migrated installation; on PostgreSQL its files go to a fresh S3 bucket."""
    from tests.fixtures.database import postgres_url

    changes = {}
    if postgres_url():
        endpoint = request.getfixturevalue("s3_endpoint")
        changes = {
            "s3_bucket": f"samverka-backup-{os.urandom(4).hex()}",
            "s3_endpoint_url": endpoint,
            "s3_region": S3_CLIENT_ARGS["region"],
            "s3_access_key_id": S3_CLIENT_ARGS["access_key_id"],
            "s3_secret_access_key": S3_CLIENT_ARGS["secret_access_key"],
        }
    built = scratch(**changes)
    if postgres_url():
        built.app.extensions["samverka.storage"].ensure_bucket()
    assert built.cli("db", "upgrade").exit_code == 0
    return built


def backup(site, tmp_path: Path) -> Path:
    archive = tmp_path / "bengtsfors.samverka-backup"
    result = site.cli("tenants", "backup", SLUG, "-o", str(archive))
    assert result.exit_code == 0, result.output
    return archive


def test_restore_brings_back_rows_files_and_shared_rows_after_the_tenant_is_lost(site, tmp_path):
    seeded = seed(site)
    rows, shared = tenant_rows(site), shared_rows(site)
    archive = backup(site, tmp_path)
    assert CONTACT.encode() not in archive.read_bytes()  # sealed, not plain

    destroy(site)
    assert not schema_exists(site)
    result = site.cli("tenants", "restore", SLUG, str(archive), "--yes")
    assert result.exit_code == 0, result.output
    site.app.extensions["samverka.backend"].dispose()

    assert tenant_rows(site) == rows
    assert CONTACT in str(rows["organisations"])  # the encrypted column decrypts again
    assert shared_rows(site) == shared and shared["memberships"] and shared["jobs"]
    assert site.app.extensions["samverka.storage"].read(seeded["key"]) == FILE
    upgrade = site.cli("db", "upgrade")
    assert upgrade.exit_code == 0, upgrade.output
    assert "0 migrated, 5 already at head, 0 failed, 0 missing" in upgrade.output


def test_a_restored_tenant_accepts_new_rows(site, tmp_path):
    """Restored ids must not collide with the next ones (PostgreSQL sequences are moved on)."""
    seed(site)
    archive = backup(site, tmp_path)
    destroy(site)
    assert site.cli("tenants", "restore", SLUG, str(archive), "--yes").exit_code == 0
    site.app.extensions["samverka.backend"].dispose()
    seed(site)
    assert len(tenant_rows(site)["organisations"]) == 2


def _tamper(site, archive: Path) -> None:
    data = bytearray(archive.read_bytes())
    data[-40] ^= 0x01
    archive.write_bytes(bytes(data))


def _reseal_under_another_key(site, archive: Path) -> None:
    from samverka.modules.tenancy.archive import BackupKey, open_sealed, read_header, seal

    settings_key = BackupKey(site.app.config["SETTINGS"].data_key, "SAMVERKA_DATA_KEY")
    header, _, _ = read_header(archive.read_bytes())
    _, payload = open_sealed(archive.read_bytes(), settings_key)
    foreign = BackupKey(os.urandom(32), "SAMVERKA_BACKUP_KEY")
    archive.write_bytes(seal(payload, foreign, {"tenant": header["tenant"]}))


def _replace_with_other_file(site, archive: Path) -> None:
    archive.write_bytes(b"PK\x03\x04 not a backup at all")


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (_tamper, "damaged"),
        (_reseal_under_another_key, "made with another key"),
        (_replace_with_other_file, "not a Samverka tenant backup"),
    ],
)
def test_a_damaged_or_foreign_archive_is_refused_and_changes_nothing(
    site, tmp_path, spoil, message
):
    seeded = seed(site)
    archive = backup(site, tmp_path)
    seed(site)  # data added after the backup must survive the refused restore
    rows, shared = tenant_rows(site), shared_rows(site)
    spoil(site, archive)

    result = site.cli("tenants", "restore", SLUG, str(archive), "--yes")
    assert result.exit_code == 1
    assert message in result.output and "nothing was changed" in result.output
    assert tenant_rows(site) == rows and shared_rows(site) == shared
    assert site.app.extensions["samverka.storage"].read(seeded["key"]) == FILE


def test_a_backup_of_one_municipality_cannot_be_restored_into_another(site, tmp_path):
    seed(site)
    archive = backup(site, tmp_path)
    result = site.cli("tenants", "restore", "amal", str(archive), "--yes")
    assert result.exit_code == 1
    assert "belongs to bengtsfors, not amal" in result.output
    for command in ("backup", "export", "retire"):
        unknown = site.cli("tenants", command, "no-such-kommun")
        assert unknown.exit_code == 1
        assert "no municipality with the slug 'no-such-kommun'" in unknown.output


def test_export_holds_every_table_and_file_readable_without_samverka(site, tmp_path):
    from samverka.db.base import Base

    seeded = seed(site)
    target = tmp_path / "export.zip"
    result = site.cli("tenants", "export", SLUG, "-o", str(target))
    assert result.exit_code == 0, result.output

    with zipfile.ZipFile(target) as export:
        names = set(export.namelist())
        tenant_tables = {t.name for t in Base.metadata.sorted_tables if t.schema is None}
        assert {f"tables/{name}.csv" for name in tenant_tables} <= names
        assert {"README.txt", "tables.json", "shared/memberships.csv", "shared/users.csv"} <= names
        assert export.read(f"files/{seeded['key']}") == FILE
        organisations = list(
            csv.DictReader(io.StringIO(export.read("tables/organisations.csv").decode()))
        )
        assert organisations[0]["contact_name"] == CONTACT
        users = export.read("shared/users.csv").decode()
        assert seeded["email"] in users and "password_hash" not in users
        described = json.loads(export.read("tables.json"))
        assert described["tables/organisations.csv"]["rows"] == 1
        assert "organisations.csv" in export.read("README.txt").decode()
    assert SCHEMA in {p.split("/")[1] for p in names if p.startswith("files/")}


def test_an_account_deleted_since_the_backup_comes_back_only_when_asked(site, tmp_path):
    import sqlalchemy as sa

    from samverka.extensions import db
    from samverka.modules.auth.models import User

    seed(site)
    archive = backup(site, tmp_path)
    with site.app.app_context():
        db.session.execute(sa.delete(User))  # the member asked to be forgotten
        db.session.commit()

    kept_out = site.cli("tenants", "restore", SLUG, str(archive), "--yes")
    assert kept_out.exit_code == 0, kept_out.output
    assert "not restored: 1 row(s) of shared.memberships" in kept_out.output
    assert shared_rows(site)["memberships"] == []

    brought_back = site.cli(
        "tenants", "restore", SLUG, str(archive), "--yes", "--recreate-accounts"
    )
    assert brought_back.exit_code == 0, brought_back.output
    assert len(shared_rows(site)["memberships"]) == 1
