"""Attachments when the store misbehaves: no hang, no file left behind, a clear Swedish page."""

from __future__ import annotations

import uuid
from datetime import timedelta
from io import BytesIO

import flask
import pytest
import sqlalchemy as sa

from samverka.modules.storage import (
    LocalStorage,
    S3Storage,
    Storage,
    StorageUnavailable,
    build_storage,
)
from tests.conftest import csrf_token
from tests.fixtures.jobs import run_queued_jobs
from tests.forums.meetings_helpers import MeetingWorld, build_world, post
from tests.storage.conftest import (  # noqa: F401 - fixtures used by name
    FAST_FAIL,
    S3_CLIENT_ARGS,
    hung_endpoint,
    in_thread,
    refused_endpoint,
    s3_config,
    s3_endpoint,
)

PDF = b"%PDF-1.4\n% minimal test file\n"
UNAVAILABLE = "Filarkivet svarar inte just nu, så filen kunde inte sparas."


@pytest.fixture
def world(create_user, make_forum) -> MeetingWorld:
    return build_world(create_user, make_forum)


@pytest.fixture(params=["local", "s3"])
def store(request, app, tmp_path, monkeypatch) -> Storage:
    """The app's store for this test: a fresh local folder or a fresh bucket on moto."""
    if request.param == "local":
        storage: Storage = LocalStorage(tmp_path / "files")
    else:
        endpoint = request.getfixturevalue("s3_endpoint")
        storage = S3Storage(
            f"samverka-{uuid.uuid4().hex[:12]}", endpoint_url=endpoint, **S3_CLIENT_ARGS
        )
        storage.ensure_bucket()
    monkeypatch.setitem(app.extensions, "samverka.storage", storage)
    return storage


class DownStorage:
    """A local disk that has gone away: every call fails as an unreachable S3 would."""

    def __getattr__(self, name: str):
        def fail(*args: object) -> None:
            raise StorageUnavailable("storage is down")

        return fail


def _down_like(store: Storage, request: pytest.FixtureRequest) -> Storage:
    if isinstance(store, S3Storage):
        endpoint = request.getfixturevalue("refused_endpoint")
        return build_storage(s3_config(endpoint, store.bucket, **FAST_FAIL))
    return DownStorage()  # type: ignore[return-value]


def _keys(storage: Storage) -> list[str]:
    if isinstance(storage, LocalStorage):
        root = storage.root
        return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    response = storage.client.list_objects_v2(Bucket=storage.bucket)
    return sorted(item["Key"] for item in response.get("Contents", []))


def _attachments(in_tenant) -> list[tuple[int, str]]:
    from samverka.modules.forums.models import Attachment

    with in_tenant("amal") as session:
        rows = session.execute(sa.select(Attachment.id, Attachment.storage_key)).all()
        return [(row.id, row.storage_key) for row in rows]


def _pending(app) -> list[tuple[str, str]]:
    from samverka.extensions import db
    from samverka.modules.storage.models import PendingObject

    with app.app_context():
        rows = db.session.execute(sa.select(PendingObject.key, PendingObject.kind)).all()
        return [(row.key, str(row.kind)) for row in rows]


def _add_pending(app, key: str, kind: str) -> None:
    from samverka.extensions import db
    from samverka.modules.storage.models import PendingKind, PendingObject

    with app.app_context():
        db.session.add(PendingObject(key=key, kind=PendingKind(kind)))
        db.session.commit()


def _age_pending(app, hours: int) -> None:
    from samverka.db.base import utcnow
    from samverka.extensions import db
    from samverka.modules.storage.models import PendingObject

    with app.app_context():
        db.session.execute(
            sa.update(PendingObject).values(created_at=utcnow() - timedelta(hours=hours))
        )
        db.session.commit()


def _run_sweep_job(app) -> None:
    from samverka.extensions import db
    from samverka.modules.jobs.enqueue import enqueue_platform
    from samverka.modules.storage.tasks import sweep

    with app.app_context():
        enqueue_platform(sweep)
        db.session.commit()
    run_queued_jobs(app)


def _upload(client, world, name: str = "Lägesbild.pdf", data: bytes = PDF):
    return post(
        client,
        world.url(0, "/bilagor"),
        {"attachment-file": (BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_stored_key_has_no_file_name_and_a_committed_upload_survives_the_sweep(
    world, login, in_tenant, app, store
) -> None:
    client = login(world.member)
    assert _upload(client, world).status_code == 302
    [(attachment_id, key)] = _attachments(in_tenant)
    assert key.startswith("kommun_1492/forums/") and "Lägesbild" not in key
    assert _keys(store) == [key]
    assert _pending(app) == []
    _add_pending(app, key, "upload")  # as if clearing the record after the commit had failed
    _age_pending(app, hours=48)
    _run_sweep_job(app)
    assert _keys(store) == [key]
    assert _pending(app) == []
    download = client.get(world.url(0, f"/bilagor/{attachment_id}"))
    assert download.status_code == 200 and download.data == PDF


def test_deleting_a_file_whose_upload_record_was_left_behind_still_deletes_it(
    world, login, in_tenant, app, store
) -> None:
    client = login(world.member)
    _upload(client, world)
    [(attachment_id, key)] = _attachments(in_tenant)
    _add_pending(app, key, "upload")  # clearing it after the commit had failed
    assert post(client, world.url(0, f"/bilagor/{attachment_id}/ta-bort")).status_code == 302
    run_queued_jobs(app)
    assert _attachments(in_tenant) == []
    assert _keys(store) == []
    assert _pending(app) == []


def test_upload_whose_commit_fails_is_swept_after_the_grace_period(
    world, login, in_tenant, app, store
) -> None:
    from samverka.db.session import TenantSession

    client = login(world.member)

    def lose_the_database(session) -> None:
        if flask.request.method == "POST":  # the upload, not the page read for its CSRF token
            raise RuntimeError("database connection lost at commit")

    sa.event.listen(TenantSession, "before_commit", lose_the_database)
    try:
        failed = _upload(client, world)  # the app answers with its own failure page
    finally:
        sa.event.remove(TenantSession, "before_commit", lose_the_database)
    assert failed.status_code >= 500
    assert _attachments(in_tenant) == []
    [key] = _keys(store)
    assert _pending(app) == [(key, "upload")]
    _run_sweep_job(app)  # within the grace period: the request might still be committing
    assert _keys(store) == [key]
    _age_pending(app, hours=2)
    _run_sweep_job(app)
    assert _keys(store) == []
    assert _pending(app) == []


def test_file_deleted_while_the_store_is_down_is_deleted_by_the_job_once_it_is_back(
    world, login, in_tenant, app, store, monkeypatch, request
) -> None:
    client = login(world.member)
    _upload(client, world)
    [(attachment_id, key)] = _attachments(in_tenant)
    monkeypatch.setitem(app.extensions, "samverka.storage", _down_like(store, request))
    removed = post(client, world.url(0, f"/bilagor/{attachment_id}/ta-bort"))
    assert removed.status_code == 302
    run_queued_jobs(app)  # the job fails while the store is down
    assert _attachments(in_tenant) == []
    assert _keys(store) == [key]
    assert _pending(app) == [(key, "delete")]

    monkeypatch.setitem(app.extensions, "samverka.storage", store)
    _run_sweep_job(app)
    assert _keys(store) == []
    assert _pending(app) == []


def test_missing_object_shows_filen_saknas(world, login, in_tenant, store) -> None:
    client = login(world.member)
    _upload(client, world)
    [(attachment_id, key)] = _attachments(in_tenant)
    store.delete(key)
    response = client.get(world.url(0, f"/bilagor/{attachment_id}"))
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Filen saknas" in page and "Sidan finns inte" not in page


def test_store_down_at_upload_or_download_gives_a_swedish_message_and_saves_nothing(
    world, login, in_tenant, app, store, monkeypatch, request
) -> None:
    client = login(world.member)
    _upload(client, world, name="finns.pdf")
    [(attachment_id, key)] = _attachments(in_tenant)
    monkeypatch.setitem(app.extensions, "samverka.storage", _down_like(store, request))
    refused = _upload(client, world, name="ny.pdf")
    assert refused.status_code == 503
    assert UNAVAILABLE in refused.get_data(as_text=True)
    assert [k for _i, k in _attachments(in_tenant)] == [key]
    download = client.get(world.url(0, f"/bilagor/{attachment_id}"))
    assert download.status_code == 503
    assert "Filarkivet svarar inte" in download.get_data(as_text=True)


def test_hung_s3_fails_the_upload_and_download_fast_instead_of_holding_the_request(
    world, login, in_tenant, app, monkeypatch, request
) -> None:
    bucket = f"samverka-{uuid.uuid4().hex[:12]}"
    working = build_storage(s3_config(request.getfixturevalue("s3_endpoint"), bucket))
    working.ensure_bucket()
    hung = build_storage(s3_config(request.getfixturevalue("hung_endpoint"), bucket, **FAST_FAIL))
    client = login(world.member)
    monkeypatch.setitem(app.extensions, "samverka.storage", working)
    _upload(client, world, name="finns.pdf")
    [(attachment_id, _key)] = _attachments(in_tenant)

    monkeypatch.setitem(app.extensions, "samverka.storage", hung)
    upload = in_thread(lambda: _upload(client, world, name="ny.pdf"))
    assert upload.status_code == 503
    assert UNAVAILABLE in upload.get_data(as_text=True)
    download = in_thread(lambda: client.get(world.url(0, f"/bilagor/{attachment_id}")))
    assert download.status_code == 503
    assert len(_attachments(in_tenant)) == 1


def test_sweep_command_exits_non_zero_while_the_store_is_down_and_cleans_up_once_back(
    world, login, in_tenant, app, store, monkeypatch, request
) -> None:
    from samverka.cli import cli

    client = login(world.member)
    _upload(client, world)
    [(attachment_id, key)] = _attachments(in_tenant)
    monkeypatch.setitem(app.extensions, "samverka.storage", _down_like(store, request))
    post(client, world.url(0, f"/bilagor/{attachment_id}/ta-bort"))
    run_queued_jobs(app)
    runner = app.test_cli_runner()
    with app.app_context():
        down = runner.invoke(cli, ["storage", "sweep"])
    assert down.exit_code == 1 and "run again later" in down.output
    assert _keys(store) == [key]
    monkeypatch.setitem(app.extensions, "samverka.storage", store)
    with app.app_context():
        back = runner.invoke(cli, ["storage", "sweep"])
    assert back.exit_code == 0 and "deleted=1 failed=0" in back.output
    assert _keys(store) == []


def test_upload_works_when_the_login_session_is_touched_in_the_same_request(
    world, login, in_tenant, app, store
) -> None:
    from samverka.db.base import utcnow
    from samverka.extensions import db
    from samverka.modules.auth.models import UserSession

    client = login(world.member)
    token = csrf_token(client, "/k/amal/")
    with app.app_context():
        db.session.execute(
            sa.update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=5))
        )
        db.session.commit()
    data = {"csrf_token": token, "attachment-file": (BytesIO(PDF), "a.pdf")}
    response = client.post(world.url(0, "/bilagor"), data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    assert len(_attachments(in_tenant)) == 1
