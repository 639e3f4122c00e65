"""Attachments: stored per tenant through the storage interface, shown only to minute readers."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import csrf_token
from tests.fixtures.jobs import run_queued_jobs
from tests.forums.meetings_helpers import MeetingWorld, build_world, post


@pytest.fixture
def world(create_user, make_forum) -> MeetingWorld:
    return build_world(create_user, make_forum)


PDF = b"%PDF-1.4\n% minimal test file\n"


def _files(app) -> list[Path]:
    root = app.config["SETTINGS"].data_dir / "files" / "kommun_1492" / "forums"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _rows(in_tenant) -> list[tuple[int, str, int]]:
    from samverka.modules.forums.models import Attachment

    with in_tenant("amal") as session:
        return [
            (a.id, a.filename, a.size)
            for a in session.scalars(sa.select(Attachment).order_by(Attachment.id))
        ]


def _upload(client, world, name: str, data: bytes, index: int = 0):
    if len(data) > 400_000:
        return _upload_raw(client, world.url(index, "/bilagor"), name, data)
    return post(
        client,
        world.url(index, "/bilagor"),
        {"attachment-file": (BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _upload_raw(client, path: str, name: str, data: bytes):
    """A hand-built multipart body: the test client leaks a temp file when it spools big ones."""
    boundary = "samverka-test-boundary"
    token = csrf_token(client, "/k/amal/")
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="csrf_token"\r\n\r\n'
            f"{token}\r\n"
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="attachment-file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_upload_then_download_by_a_member_but_not_by_an_outsider(world, login, in_tenant, app):
    from samverka.modules.audit.models import AuditEvent

    before = _files(app)
    client = login(world.member)
    response = _upload(client, world, "Lägesbild vår.pdf", PDF)
    assert response.status_code == 302
    [(attachment_id, filename, size)] = _rows(in_tenant)
    assert (filename, size) == ("Lägesbild vår.pdf", len(PDF))
    assert len(_files(app)) == len(before) + 1
    assert "Lägesbild vår.pdf" in client.get(world.url(0)).get_data(as_text=True)

    download = client.get(world.url(0, f"/bilagor/{attachment_id}"))
    assert download.status_code == 200
    assert download.data == PDF
    assert download.mimetype == "application/pdf"
    assert "attachment" in download.headers["Content-Disposition"]

    outsider = login(world.outsider)
    assert outsider.get(world.url(0, f"/bilagor/{attachment_id}")).status_code == 403
    assert "Lägesbild vår.pdf" not in outsider.get(world.url(0)).get_data(as_text=True)
    with in_tenant("amal") as session:
        event = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "upload")).one()
        assert "Lägesbild" not in event.summary


def test_too_large_attachment_is_refused_with_nothing_saved(world, login, in_tenant, app):
    limit = app.config["SETTINGS"].upload_max_mb * 1024 * 1024
    before = _files(app)
    response = _upload(login(world.member), world, "stor.pdf", PDF + b"0" * (limit - len(PDF) + 1))
    assert response.status_code == 422
    assert "Filen är för stor" in response.get_data(as_text=True)
    assert _rows(in_tenant) == []
    assert _files(app) == before


def test_wrong_type_is_refused_with_a_clear_message(world, login, in_tenant, app):
    before = _files(app)
    client = login(world.member)
    exe = _upload(client, world, "program.exe", b"MZ\x90\x00")
    fake = _upload(client, world, "inte-en.pdf", b"MZ\x90\x00")
    assert exe.status_code == fake.status_code == 422
    assert "Filtypen .exe är inte tillåten" in exe.get_data(as_text=True)
    assert "stämmer inte med filtypen .pdf" in fake.get_data(as_text=True)
    missing = post(client, world.url(0, "/bilagor"), {}, content_type="multipart/form-data")
    assert "Välj en fil att ladda upp." in missing.get_data(as_text=True)
    assert _rows(in_tenant) == []
    assert _files(app) == before


def test_delete_removes_the_row_and_the_file(world, login, in_tenant, app):
    before = _files(app)
    client = login(world.member)
    _upload(client, world, "a.txt", "Hej på dig".encode())
    [(attachment_id, _name, _size)] = _rows(in_tenant)
    assert (
        post(login(world.outsider), world.url(0, f"/bilagor/{attachment_id}/ta-bort")).status_code
        == 403
    )
    assert post(client, world.url(1, f"/bilagor/{attachment_id}/ta-bort")).status_code == 404
    assert post(client, world.url(0, f"/bilagor/{attachment_id}/ta-bort")).status_code == 302
    run_queued_jobs(app)  # the bytes go in a job after the commit
    assert _rows(in_tenant) == []
    assert _files(app) == before
    assert client.get(world.url(0, f"/bilagor/{attachment_id}")).status_code == 404


def test_attachment_of_another_meeting_is_404(world, login, in_tenant):
    client = login(world.member)
    _upload(client, world, "a.pdf", PDF, index=0)
    [(attachment_id, _name, _size)] = _rows(in_tenant)
    assert client.get(world.url(1, f"/bilagor/{attachment_id}")).status_code == 404


def test_a_text_attachment_downloads_with_one_charset(world, login, in_tenant):
    client = login(world.member)
    _upload(client, world, "a.txt", "Hej på dig".encode())
    [(attachment_id, _name, _size)] = _rows(in_tenant)
    response = client.get(world.url(0, f"/bilagor/{attachment_id}"))
    assert response.status_code == 200
    assert response.headers["Content-Type"].count("charset") == 1
    assert response.get_data() == "Hej på dig".encode()
