"""Meeting content, outbox, audit trail and files are stored encrypted under each municipality's key."""

from __future__ import annotations

from io import BytesIO

import pytest
import sqlalchemy as sa

from tests.forums.meetings_helpers import build_world, post
from tests.keys.conftest import AMAL, BENGTSFORS, keys_cli, raw_update, raw_values

SECRET = "Kalle Svensson 12 år"
#: Every free-text column the issue lists, and the person columns that were already encrypted.
ENCRYPTED = {
    "meetings": ("minutes_html", "cancel_reason"),
    "minutes_versions": ("html",),
    "agenda_items": ("title",),
    "decisions": ("text",),
    "actions": ("title",),
    "attachments": ("filename",),
    "outbox_messages": ("to_address", "subject", "body", "error"),
    "audit_events": ("summary",),
    "forum_members": ("name", "email", "phone"),
    "organisations": ("contact_name", "contact_email", "contact_phone"),
    "attendance": ("stand_in_name",),
}
PDF = b"%PDF-1.4\n" + SECRET.encode() + b"\n"


@pytest.fixture
def world(create_user, make_forum):
    return build_world(create_user, make_forum)


def _write_everything(app, world, login, in_tenant) -> None:
    """Write each kind of text through the app's pages (the outbox through its model)."""
    from samverka.modules.forums.models import OutboxMessage

    client = login(world.convener)
    held = world.url(0)
    steps = [
        (held + "/anteckningar", {"text": f"<p>{SECRET} mår dåligt</p>", "base_version": "0"}),
        (held + "/beslut", {"decision-text": f"Orosanmälan för {SECRET}"}),
        (held + "/atgarder", {"action-title": f"Ring {SECRET}s vårdnadshavare"}),
        (world.url(1, "/dagordning"), {"agenda-title": f"Uppföljning {SECRET}"}),
        (world.url(2, "/stall-in"), {"reason": f"{SECRET} är sjuk"}),
    ]
    for path, data in steps:
        assert post(client, path, data).status_code == 302, path
    upload = {"attachment-file": (BytesIO(PDF), f"{SECRET}.pdf")}
    assert (
        post(client, held + "/bilagor", upload, content_type="multipart/form-data").status_code
        == 302
    )
    with in_tenant("amal") as session:
        session.add(
            OutboxMessage(
                kind="meeting_reminder",
                to_address="kalle.foralder@example.se",
                subject=f"Om {SECRET}",
                body=f"Hej! {SECRET} …",
                error=f"SMTP refused {SECRET}",
            )
        )
        session.commit()


def test_every_free_text_column_and_file_is_ciphertext_in_the_database(
    app, world, login, in_tenant
):
    from samverka.db.crypto import CIPHERTEXT
    from samverka.modules.keys.reencrypt import encrypted_tables

    _write_everything(app, world, login, in_tenant)

    covered = {t.name: set(t.columns) for t in encrypted_tables()}
    for table, columns in ENCRYPTED.items():
        assert set(columns) <= covered.get(table, set()), table
        for column in columns:
            stored = [v for v in raw_values(app, AMAL, table, column) if v]
            for value in stored:
                assert CIPHERTEXT.match(value), (table, column, value[:40])
                assert "Kalle" not in value
    for table, column in [
        ("meetings", "minutes_html"),
        ("decisions", "text"),
        ("actions", "title"),
        ("attachments", "filename"),
        ("outbox_messages", "body"),
        ("audit_events", "summary"),
        ("forum_members", "name"),
    ]:
        assert any(raw_values(app, AMAL, table, column)), (table, column)

    # Keys carry no file name any more ({tenant}/{module}/{uuid}): look at every stored file.
    files = [f for f in (app.config["SETTINGS"].data_dir / "files").rglob("*") if f.is_file()]
    assert files and all(SECRET.encode() not in f.read_bytes() for f in files)
    for f in files:
        assert not f.read_bytes().startswith(b"%PDF")

    # The people who may read it still see plain text, and the file downloads as uploaded.
    client = login(world.convener)
    page = client.get(world.url(0)).get_data(as_text=True)
    assert f"Orosanmälan för {SECRET}" in page and f"{SECRET}.pdf" in page
    with in_tenant("amal") as session:
        from samverka.modules.forums.models import Attachment

        attachment_id = session.scalars(sa.select(Attachment.id)).one()
    download = client.get(world.url(0, f"/bilagor/{attachment_id}"))
    assert download.status_code == 200 and download.data == PDF


def test_row_copied_into_another_municipality_does_not_decrypt(app, make_forum, in_tenant):
    from samverka.db.crypto import KeyUnavailable
    from samverka.modules.forums.models import Decision

    ids = {}
    for slug in ("amal", "bengtsfors"):
        meeting_id = make_forum(slug, past=1, future=0)["meeting_ids"][0]
        with in_tenant(slug) as session:
            decision = Decision(meeting_id=meeting_id, text=f"Beslut i {slug}")
            session.add(decision)
            session.commit()
            ids[slug] = decision.id
    amal_cipher = raw_values(app, AMAL, "decisions", "text")[0]
    assert amal_cipher != raw_values(app, BENGTSFORS, "decisions", "text")[0]

    raw_update(app, BENGTSFORS, "decisions", ids["bengtsfors"], text=amal_cipher)
    with in_tenant("bengtsfors") as session, pytest.raises(KeyUnavailable):
        session.get(Decision, ids["bengtsfors"]).text  # noqa: B018 - loading decrypts
    with in_tenant("amal") as session:
        assert session.get(Decision, ids["amal"]).text == "Beslut i amal"


def test_same_email_has_a_different_lookup_hash_in_each_municipality(app, make_forum, in_tenant):
    from samverka.modules.forums.queries import members_with_email

    for slug in ("amal", "bengtsfors"):
        make_forum(slug, members=[("Anna Rektor", "school", None)])
    amal = raw_values(app, AMAL, "forum_members", "email_lookup")
    bengtsfors = raw_values(app, BENGTSFORS, "forum_members", "email_lookup")
    assert amal[0] and bengtsfors[0] and amal[0] != bengtsfors[0]
    # make_forum gives the first member 0@example.se; the look-up ignores case and spaces.
    with in_tenant("amal") as session:
        assert [m.name for m in members_with_email(" 0@EXAMPLE.se")] == ["Anna Rektor"]
        assert members_with_email("1@example.se") == []
        session.rollback()


def test_no_tenant_bound_refuses_to_encrypt_or_decrypt(app):
    from samverka.db import crypto
    from samverka.db.session import tenant_session

    with app.app_context(), tenant_session(None):
        with pytest.raises(crypto.KeyUnavailable):
            crypto.encrypt_text("Kalle")
        with pytest.raises(crypto.KeyUnavailable):
            crypto.encrypt_bytes(b"Kalle")


def test_encrypt_existing_converts_plaintext_and_master_key_rows(app, make_forum, in_tenant):
    from sqlalchemy_utils.types.encrypted.encrypted_type import AesGcmEngine

    from samverka.db.crypto import CIPHERTEXT, data_key
    from samverka.modules.forums.models import Decision, ForumMember

    made = make_forum("amal", members=[("Anna Rektor", "school", None)], past=1, future=0)
    with in_tenant("amal") as session:
        decision = Decision(meeting_id=made["meeting_ids"][0], text="x")
        session.add(decision)
        session.commit()
        decision_id = decision.id
    # As an older version stored them: plaintext minutes, names under the master key, no hash.
    engine = AesGcmEngine()
    engine._update_key(data_key())
    raw_update(app, AMAL, "decisions", decision_id, text=f"Beslut om {SECRET}")
    raw_update(
        app,
        AMAL,
        "forum_members",
        made["member_ids"][0],
        name=engine.encrypt("Anna Rektor"),
        email_lookup=None,
    )

    result = keys_cli(app, ["encrypt-existing", "amal"])
    assert result.exit_code == 0, result.output
    assert CIPHERTEXT.match(raw_values(app, AMAL, "decisions", "text")[0])
    assert CIPHERTEXT.match(raw_values(app, AMAL, "forum_members", "name")[0])
    assert raw_values(app, AMAL, "forum_members", "email_lookup")[0]
    with in_tenant("amal") as session:
        assert session.get(Decision, decision_id).text == f"Beslut om {SECRET}"
        assert session.get(ForumMember, made["member_ids"][0]).name == "Anna Rektor"
    again = keys_cli(app, ["encrypt-existing", "amal"])
    assert "0 rader" in again.output
