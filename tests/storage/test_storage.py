"""Behaviour of the file store and the upload policy, on local disk and a real S3 API."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from samverka.modules.storage import (
    ALLOWED_TYPES,
    FileMissing,
    FileRejected,
    LocalStorage,
    S3Storage,
    Storage,
    StorageError,
    build_storage,
    display_filename,
    make_key,
    read_for_tenant,
    save_upload,
    validate_upload,
)

Keys = Callable[[Storage], list[str]]
MB = 1024 * 1024
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
ZIP = b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 22
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
EXE = b"MZ\x90\x00\x03\x00\x00\x00"
TEXT = "namn;ort\nÅsa;Umeå\n".encode()
SAMPLES = {"pdf": PDF, "png": PNG, "jpg": JPEG, "jpeg": JPEG, "txt": TEXT, "csv": TEXT}
SAMPLES |= dict.fromkeys(["docx", "xlsx", "pptx", "odt", "ods"], ZIP)
BAD_KEYS = ["../x", "t/../../x", "/etc/passwd", "t//f", "t/./f", "t\\..\\f", "t/", "t/\x00", ""]
KEY_RE = re.compile(r"kommun_a/arenden/[0-9a-f]{32}")


def test_put_read_exists_delete_round_trip(storage: Storage) -> None:
    key = "kommun_a/arenden/abc/anteckning.txt"
    assert not storage.exists(key)
    storage.put(key, b"first", "text/plain")
    storage.put(key, b"hemlig text", "text/plain")
    assert storage.exists(key)
    assert storage.read(key) == b"hemlig text"
    storage.delete(key)
    assert not storage.exists(key)


def test_missing_key_raises_file_missing_but_delete_is_a_no_op(storage: Storage) -> None:
    with pytest.raises(FileMissing):
        storage.read("kommun_a/arenden/nope/missing.pdf")
    storage.delete("kommun_a/arenden/nope/missing.pdf")
    storage.put("t/m/u/f.txt", b"x", "text/plain")
    assert not storage.exists("t/m/u")
    with pytest.raises(FileMissing):
        storage.read("t/m/u")  # a folder prefix is not a file


@pytest.mark.parametrize("key", BAD_KEYS)
def test_keys_that_could_escape_are_refused(storage: Storage, key: str, stored_keys: Keys) -> None:
    with pytest.raises(StorageError):
        storage.put(key, b"x", "text/plain")
    with pytest.raises(StorageError):
        storage.read(key)
    assert stored_keys(storage) == []


def test_local_storage_never_touches_files_outside_its_root(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(b"other system")
    storage = LocalStorage(tmp_path / "files")
    with pytest.raises(StorageError):
        storage.put("../escape.txt", b"x", "text/plain")
    assert not (tmp_path / "escape.txt").exists()
    storage.root.mkdir()
    (storage.root / "link").symlink_to(outside, target_is_directory=True)
    with pytest.raises(StorageError):
        storage.read("link/secret.txt")


def test_local_write_leaves_no_temp_files_and_delete_tidies_folder(
    local_storage: LocalStorage, stored_keys: Keys
) -> None:
    local_storage.put("t/m/u/f.pdf", PDF, "application/pdf")
    assert stored_keys(local_storage) == ["t/m/u/f.pdf"]
    local_storage.delete("t/m/u/f.pdf")
    assert not (local_storage.root / "t/m/u").exists()


def test_s3_keeps_content_type_and_ensure_bucket_is_idempotent(s3_storage: S3Storage) -> None:
    s3_storage.ensure_bucket()
    s3_storage.put("t/m/u/f.pdf", PDF, "application/pdf")
    head = s3_storage.client.head_object(Bucket=s3_storage.bucket, Key="t/m/u/f.pdf")
    assert head["ContentType"] == "application/pdf"


@pytest.mark.parametrize("ext", sorted(ALLOWED_TYPES))
def test_each_allowed_type_is_accepted_with_matching_content(ext: str) -> None:
    assert validate_upload(f"Bilaga.{ext.upper()}", SAMPLES[ext], MB) == ALLOWED_TYPES[ext]


def test_upload_key_is_tenant_module_uuid_and_the_name_stays_in_the_row(storage: Storage) -> None:
    stored = save_upload(storage, "kommun_a", "arenden", "C:\\Dokument\\Årsrapport.pdf", PDF, MB)
    assert KEY_RE.fullmatch(stored.key), stored.key
    assert stored.filename == "Årsrapport.pdf"
    assert (stored.size, stored.content_type) == (len(PDF), "application/pdf")
    assert read_for_tenant(storage, "kommun_a", stored.key) == PDF
    assert make_key("kommun_a", "arenden") != make_key("kommun_a", "arenden")


def test_objects_stored_under_the_old_key_format_still_read_and_delete(storage: Storage) -> None:
    old_key = "kommun_a/arenden/0123456789abcdef0123456789abcdef/Arsrapport.pdf"
    storage.put(old_key, PDF, "application/pdf")
    assert read_for_tenant(storage, "kommun_a", old_key) == PDF
    storage.delete(old_key)
    assert not storage.exists(old_key)


NAMES = ["Kommun m", "../t m", " m", "t a/b", "t a-b", "t\n m"]


@pytest.mark.parametrize(("tenant", "module"), [pair.split(" ") for pair in NAMES])
def test_make_key_refuses_bad_tenant_or_module(tenant: str, module: str) -> None:
    with pytest.raises(ValueError):
        make_key(tenant, module)


def test_display_name_keeps_swedish_letters_and_drops_tricks() -> None:
    assert display_filename("/home/anna/Åke  Öberg.pdf") == "Åke Öberg.pdf"
    assert display_filename("rapport\u202efdp.exe") == "rapportfdp.exe"


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("tom.pdf", b"", "Filen är tom."),
        ("stor.pdf", PDF + b"x" * MB, "Filen är för stor: högst 1 MB."),
        ("virus.exe", EXE, "Filtypen .exe är inte tillåten. Tillåtna typer: .pdf, .docx,"),
        ("utansuffix", PDF, "Filen saknar filändelse."),
        ("faktura.pdf", EXE, "Filens innehåll stämmer inte med filtypen .pdf."),
        ("brev.docx", PDF, "Filens innehåll stämmer inte med filtypen .docx."),
        ("bild.png", JPEG, "Filens innehåll stämmer inte med filtypen .png."),
        ("foto.jpg", PNG, "Filens innehåll stämmer inte med filtypen .jpg."),
        ("text.txt", b"a\x00b", "Filens innehåll stämmer inte med filtypen .txt."),
        ("lista.csv", "Åsa".encode("latin-1"), "Filens innehåll stämmer inte med filtypen .csv."),
    ],
)
def test_bad_upload_is_rejected_in_swedish_and_nothing_stored(
    storage: Storage, filename: str, data: bytes, message: str, stored_keys: Keys
) -> None:
    with pytest.raises(FileRejected) as caught:
        save_upload(storage, "kommun_a", "arenden", filename, data, MB)
    assert caught.value.message.startswith(message)
    assert str(caught.value) == caught.value.message
    assert stored_keys(storage) == []


def test_key_of_one_tenant_cannot_be_read_as_another(storage: Storage) -> None:
    key = save_upload(storage, "kommun_a", "arenden", "utredning.pdf", PDF, MB).key
    for tenant, forged in [("kommun_b", key), ("kommun", key), ("kommun_b", f"kommun_b/../{key}")]:
        with pytest.raises(FileMissing):
            read_for_tenant(storage, tenant, forged)
    assert read_for_tenant(storage, "kommun_a", key) == PDF


def test_build_storage_picks_s3_when_bucket_is_set(s3_endpoint: str, tmp_path: Path) -> None:
    config = {"S3_BUCKET": "samverka-factory", "S3_ENDPOINT_URL": s3_endpoint}
    config |= {"S3_REGION": "eu-north-1", "STORAGE_DIR": str(tmp_path)}
    config |= {"S3_ACCESS_KEY_ID": "testing", "S3_SECRET_ACCESS_KEY": "testing"}
    storage = build_storage(config)
    assert isinstance(storage, S3Storage) and storage.bucket == "samverka-factory"
    storage.ensure_bucket()
    storage.put("t/m/u/f.txt", b"via factory", "text/plain")
    assert storage.read("t/m/u/f.txt") == b"via factory"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("bucket", [None, ""])
def test_build_storage_falls_back_to_local_dir(tmp_path: Path, bucket: str | None) -> None:
    storage = build_storage({"S3_BUCKET": bucket, "STORAGE_DIR": str(tmp_path / "files")})
    assert isinstance(storage, LocalStorage)
    assert storage.root == (tmp_path / "files").resolve()
    with pytest.raises(StorageError):
        build_storage({"S3_BUCKET": bucket})
