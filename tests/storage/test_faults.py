"""The store misbehaving: a hung or absent S3 fails fast, and check() says what is wrong."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from samverka.modules.storage import (
    LocalStorage,
    S3Storage,
    StorageUnavailable,
    build_storage,
)
from tests.storage.conftest import FAST_FAIL, S3_CLIENT_ARGS, in_thread, s3_config


def test_hung_s3_fails_within_the_configured_timeout(hung_endpoint: str) -> None:
    storage = build_storage(s3_config(hung_endpoint, "samverka-hung", **FAST_FAIL))
    with pytest.raises(StorageUnavailable):
        in_thread(lambda: storage.put("t/m/u", b"x", "text/plain"))
    with pytest.raises(StorageUnavailable):
        in_thread(lambda: storage.read("t/m/u"))
    assert "svarar inte" in in_thread(storage.check)  # check() speaks Swedish (issue 6)


def test_timeouts_and_retries_default_to_bounded_values(s3_endpoint: str) -> None:
    storage = build_storage(s3_config(s3_endpoint, "samverka-defaults"))
    config = storage.client.meta.config
    assert (config.connect_timeout, config.read_timeout) == (5, 15)
    assert config.retries["total_max_attempts"] == 2
    tuned = build_storage(s3_config(s3_endpoint, "samverka-tuned", S3_READ_TIMEOUT=3))
    assert tuned.client.meta.config.read_timeout == 3


def test_s3_down_is_reported_as_unavailable(refused_endpoint: str) -> None:
    storage = build_storage(s3_config(refused_endpoint, "samverka-down", **FAST_FAIL))
    with pytest.raises(StorageUnavailable):
        storage.delete("t/m/u")


def test_check_reports_a_missing_bucket_and_what_to_do(s3_endpoint: str) -> None:
    missing = S3Storage("samverka-no-such-bucket", endpoint_url=s3_endpoint, **S3_CLIENT_ARGS)
    problem = missing.check()
    assert problem and "samverka-no-such-bucket" in problem and "S3_BUCKET" in problem
    missing.ensure_bucket()
    assert missing.check() is None


def test_check_reports_a_storage_folder_that_cannot_be_made(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    problem = LocalStorage(tmp_path / "a-file" / "files").check()
    assert problem and "STORAGE_DIR" in problem
    assert LocalStorage(tmp_path / "files").check() is None


def test_check_and_create_bucket_commands(app, s3_endpoint: str, monkeypatch) -> None:
    from samverka.cli import cli

    bucket = f"samverka-cli-{uuid.uuid4().hex[:8]}"
    monkeypatch.setitem(
        app.extensions, "samverka.storage", build_storage(s3_config(s3_endpoint, bucket))
    )
    runner = app.test_cli_runner()
    with app.app_context():
        missing = runner.invoke(cli, ["storage", "check"])
        created = runner.invoke(cli, ["storage", "create-bucket"])
        ready = runner.invoke(cli, ["storage", "check"])
    assert missing.exit_code == 1 and bucket in missing.output
    assert created.exit_code == 0
    assert ready.exit_code == 0 and "storage ok" in ready.output
