"""Storage fixtures: a real S3 API (moto server on loopback) and both backends side by side."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from moto.server import ThreadedMotoServer

from samverka.modules.storage import LocalStorage, S3Storage, Storage

#: Dummy credentials passed to the client, never through the environment.
S3_CLIENT_ARGS = {
    "region": "eu-north-1",
    "access_key_id": "testing",
    "secret_access_key": "testing",
}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """One moto S3 server for the session; each test gets its own bucket."""
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_storage(s3_endpoint: str) -> S3Storage:
    storage = S3Storage(
        f"samverka-test-{uuid.uuid4().hex[:12]}", endpoint_url=s3_endpoint, **S3_CLIENT_ARGS
    )
    storage.ensure_bucket()
    return storage


@pytest.fixture
def local_storage(tmp_path: Path) -> LocalStorage:
    return LocalStorage(tmp_path / "files")


@pytest.fixture(params=["local", "s3"])
def storage(request: pytest.FixtureRequest) -> Storage:
    """Every test using this runs once per backend, so both honour the same contract."""
    return request.getfixturevalue(f"{request.param}_storage")


@pytest.fixture
def stored_keys() -> Callable[[Storage], list[str]]:
    """Lists every key in a store, to prove a rejected upload left nothing behind."""

    def keys(storage: Storage) -> list[str]:
        if isinstance(storage, LocalStorage):
            root = storage.root
            return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
        assert isinstance(storage, S3Storage)
        response = storage.client.list_objects_v2(Bucket=storage.bucket)
        return sorted(item["Key"] for item in response.get("Contents", []))

    return keys


@pytest.fixture(autouse=True)
def _tenant_keys():
    """Stored bytes are encrypted under the bound tenant's key: bind a test key for kommun_a."""
    from samverka.db import crypto

    keys = crypto.TenantKeys(0, "kommun_a", {crypto.DATA: {1: bytes(range(32))}})
    crypto.remember("kommun_a", keys)
    token = crypto.use_schema("kommun_a")
    yield
    crypto.reset_schema(token)
    crypto.invalidate("kommun_a")
