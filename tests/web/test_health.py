"""Probes: /healthz answers without any dependency; /readyz is 503 only without the database."""

from __future__ import annotations

import pytest

from samverka.modules.storage import LocalStorage, S3Storage
from tests.fixtures.db_faults import dead_port, fault_app  # noqa: F401 - fixture
from tests.storage.conftest import s3_endpoint, s3_storage  # noqa: F401 - fixtures


def test_healthz_answers_while_the_database_is_down(fault_app):  # noqa: F811
    client = fault_app.test_client()
    fault_app.cut()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_is_ok_when_everything_answers(app):
    response = app.test_client().get("/readyz")
    body = response.get_json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert {name: c["status"] for name, c in body["checks"].items()} == {
        "database": "ok",
        "keys": "ok",
        "redis": "ok",
        "storage": "ok",
    }


def test_readyz_is_503_when_the_database_is_unreachable(fault_app):  # noqa: F811
    client = fault_app.test_client()
    assert client.get("/readyz").status_code == 200
    fault_app.cut()
    response = client.get("/readyz")
    body = response.get_json()
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["status"] == "failed"
    assert "Databasen går inte att nå" in body["checks"]["database"]["detail"]


def test_readyz_stays_200_but_degraded_when_redis_is_down(app, monkeypatch):
    settings = app.config["SETTINGS"].replace(redis_url=f"redis://127.0.0.1:{dead_port()}/0")
    monkeypatch.setitem(app.config, "SETTINGS", settings)
    response = app.test_client().get("/readyz")
    body = response.get_json()
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["checks"]["redis"]["status"] == "degraded"
    assert "REDIS_URL" in body["checks"]["redis"]["detail"]
    assert body["checks"]["database"]["status"] == "ok"


def test_readyz_stays_200_but_degraded_when_storage_cannot_be_written(app, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    monkeypatch.setitem(app.extensions, "samverka.storage", LocalStorage(blocker / "files"))
    response = app.test_client().get("/readyz")
    body = response.get_json()
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["checks"]["storage"]["status"] == "degraded"
    assert "går inte att skriva till" in body["checks"]["storage"]["detail"]


def test_s3_check_names_a_missing_bucket(s3_endpoint):  # noqa: F811
    storage = S3Storage(
        "samverka-finns-inte",
        endpoint_url=s3_endpoint,
        region="eu-north-1",
        access_key_id="testing",
        secret_access_key="testing",
    )
    problem = storage.check()
    assert problem is not None
    assert "samverka-finns-inte" in problem and "finns inte" in problem


def test_s3_check_is_none_for_a_working_bucket(s3_storage):  # noqa: F811
    assert s3_storage.check() is None


def test_local_check_is_none_for_a_writable_folder(tmp_path):
    assert LocalStorage(tmp_path / "files").check() is None


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_refuse_writes_and_name_no_municipality(app, path):
    client = app.test_client()
    assert client.post(path).status_code in {400, 405}
    body = client.get(path + "?tenant=amal").get_data(as_text=True)
    assert "amal" not in body and "kommun_" not in body
