"""Storage fixtures: a real S3 API (moto server on loopback) and both backends side by side."""

from __future__ import annotations

import socket
import threading
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
def hung_endpoint() -> Iterator[str]:
    """A TCP server that accepts connections and never answers, like a wedged S3 or proxy."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _addr = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(conn)  # read nothing, write nothing, keep it open

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()


@pytest.fixture
def refused_endpoint() -> str:
    """An address where nothing listens: S3 is down."""
    return f"http://127.0.0.1:{_free_port()}"


#: Timeouts for tests that talk to a broken S3: short, so a hang shows as a failure.
FAST_FAIL = {"S3_CONNECT_TIMEOUT": 1, "S3_READ_TIMEOUT": 1, "S3_MAX_ATTEMPTS": 1}


def s3_config(endpoint: str, bucket: str, **extra: object) -> dict[str, object]:
    """The settings build_storage reads, for an S3 at ``endpoint``."""
    return {
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": S3_CLIENT_ARGS["region"],
        "S3_ACCESS_KEY_ID": S3_CLIENT_ARGS["access_key_id"],
        "S3_SECRET_ACCESS_KEY": S3_CLIENT_ARGS["secret_access_key"],
        **extra,
    }


def in_thread(fn: Callable[[], object], bound: float = 60) -> object:
    """Run ``fn`` in a thread and give up after ``bound`` seconds, so a hang fails the test."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = fn()
        except BaseException as exc:  # handed to the test below
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(bound)
    assert not thread.is_alive(), f"still waiting after {bound} s: the store hangs the request"
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]


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
