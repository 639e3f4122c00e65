"""Exports: minutes for print and as PDF, actions and attendance as CSV and Excel, for the right people."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

MEMBERS = "Åsa Öberg", "Örjan Ärlig", "Per Polis"


@pytest.fixture
def seeded(app, create_user, make_forum, in_tenant):
    """A forum in Åmål with a member account, two held meetings, attendance, actions and minutes."""
    from samverka.modules.forums.models import (
        Action,
        ActionStatus,
        Attendance,
        AttendanceStatus,
        Decision,
        Meeting,
    )

    member = create_user(municipalities={"amal": "member"})
    forum = make_forum(
        "amal",
        name="SSPF Åmål",
        members=[
            (MEMBERS[0], "school", member),
            (MEMBERS[1], "ifo", None),
            (MEMBERS[2], "police", None),
        ],
        past=2,
        future=1,
    )
    held = forum["meeting_ids"][:2]
    m_school, m_ifo, m_police = forum["member_ids"]
    with in_tenant("amal") as session:
        meeting = session.get(Meeting, held[1])
        meeting.minutes_html = (
            "<h2>Läget</h2><p>Skolan <strong>ökar</strong> närvaron i år – bra!</p>"
        )
        meeting.decisions.append(Decision(text="Vi träffas även i höst."))
        for meeting_id in held:
            session.add_all(
                [
                    Attendance(
                        meeting_id=meeting_id, member_id=m_school, status=AttendanceStatus.present
                    ),
                    Attendance(
                        meeting_id=meeting_id, member_id=m_ifo, status=AttendanceStatus.absent
                    ),
                ]
            )
        session.add(
            Attendance(
                meeting_id=held[1],
                member_id=m_police,
                status=AttendanceStatus.stand_in,
                stand_in_name="Kim Ersättare",
            )
        )
        session.add_all(
            [
                Action(
                    forum_id=forum["forum_id"],
                    meeting_id=held[1],
                    title='=HYPERLINK("http://evil.example","klicka")',
                    owner_member_id=m_school,
                    due_date=date.today() + timedelta(days=7),
                ),
                Action(
                    forum_id=forum["forum_id"], title="+46 ring föräldrar", owner_member_id=m_ifo
                ),
                Action(forum_id=forum["forum_id"], title="@alla läs", status=ActionStatus.done),
                Action(
                    forum_id=forum["forum_id"], title="-1 på listan", status=ActionStatus.cancelled
                ),
            ]
        )
        session.commit()
    return {**forum, "member": member, "held": held}


def _url(seeded, path):
    return f"/k/amal/export/forum/{seeded['forum_id']}/{path}"


def _minutes(seeded, what):
    return f"/k/amal/forum/{seeded['forum_id']}/moten/{seeded['held'][1]}/{what}"


def test_actions_csv_has_bom_semicolons_and_guards_formulas(seeded, login):
    client = login(seeded["member"])
    response = client.get(_url(seeded, "atgarder.csv"))
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # one charset, not two
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.data
    assert body.startswith(b"\xef\xbb\xbf")
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[:3] == ["Forum", "Åtgärd", "Ansvarig"]
    text = "\n".join(lines)
    # Every formula-like cell starts with an apostrophe; nothing starts with a bare = + - @.
    assert '"\'=HYPERLINK(""http://evil.example"",""klicka"")"' in text
    for guarded in ("'+46 ring föräldrar", "'@alla läs", "'-1 på listan"):
        assert guarded in text
    cells = [c.strip('"') for line in lines[1:] for c in line.split(";")]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    assert MEMBERS[0] in text  # the owner's name, for the forum's own member


def test_actions_status_filter_and_bad_status(seeded, login):
    client = login(seeded["member"])
    lines = (
        client.get(_url(seeded, "atgarder.csv?status=open")).data.decode("utf-8-sig").splitlines()
    )
    assert len(lines) == 3  # header + two open actions
    assert all("Öppen" in line for line in lines[1:])
    response = client.get(_url(seeded, "atgarder.csv?status=kanske"))
    assert response.status_code == 400
    assert "Okänd status" in response.get_data(as_text=True)
    assert client.get(_url(seeded, "atgarder.pdf")).status_code == 404


def test_actions_xlsx_opens_with_openpyxl_and_holds_no_formula(seeded, login):
    from openpyxl import load_workbook

    client = login(seeded["member"])
    response = client.get(_url(seeded, "atgarder.xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Forum", "Åtgärd")
    titles = [r[1] for r in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example","klicka")' in titles
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_attendance_export_has_a_column_per_meeting_and_a_share(seeded, login):
    from openpyxl import load_workbook

    client = login(seeded["member"])
    lines = client.get(_url(seeded, "narvaro.csv?moten=2")).data.decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    assert header[:2] == ["Namn", "Organisation"]
    assert len(header) == 2 + 2 + 3  # two meetings, then attended, registered, share
    rows = {line.split(";")[0]: line.split(";") for line in lines[1:]}
    assert rows[MEMBERS[0]][-3:] == ["2", "2", "100"]
    assert rows[MEMBERS[1]][-3:] == ["0", "2", "0"]
    assert "Ersättare: Kim Ersättare" in rows[MEMBERS[2]]
    only_last = client.get(_url(seeded, "narvaro.csv?moten=1")).data.decode("utf-8-sig")
    assert len(only_last.splitlines()[0].split(";")) == 2 + 1 + 3
    book = load_workbook(io.BytesIO(client.get(_url(seeded, "narvaro.xlsx")).data))
    assert book.active.max_row == 4
    for bad in ("0", "abc", "999"):
        response = client.get(_url(seeded, f"narvaro.csv?moten={bad}"))
        assert response.status_code == 400
        assert "Antal möten" in response.get_data(as_text=True)


def test_minutes_pdf_is_a_pdf_with_swedish_letters(seeded, login):
    client = login(seeded["member"])
    response = client.get(_minutes(seeded, "minnesanteckningar.pdf"))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert b"DejaVu" in response.data  # the embedded Unicode font, so å ä ö render


def test_minutes_pdf_survives_awkward_minutes(seeded, login, in_tenant):
    from samverka.modules.forums.models import Meeting

    with in_tenant("amal") as session:
        session.get(Meeting, seeded["held"][0]).minutes_html = (
            "<table><tr><td>å</td></tr></table><img src='http://x/y.png'><ul><li>ö<ul><li>ä</li>"
            "</ul></li></ul><p>" + "Lång text. " * 400 + "</p>"
        )
        session.commit()
    client = login(seeded["member"])
    url = f"/k/amal/forum/{seeded['forum_id']}/moten/{seeded['held'][0]}/minnesanteckningar.pdf"
    response = client.get(url)
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")


def test_print_view_shows_the_whole_meeting(seeded, login):
    client = login(seeded["member"])
    response = client.get(_minutes(seeded, "utskrift"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for text in ("Dagordning", "Närvaro", "Beslut", "Åtgärder", "Minnesanteckningar",
                 "Vi träffas även i höst.", "<strong>ökar</strong>", MEMBERS[0],
                 "Ersättare: Kim Ersättare", "css/print.css"):  # fmt: skip
        assert text in html


def test_every_export_is_audited_without_names(seeded, login, in_tenant):
    from samverka.modules.audit.models import AuditEvent

    client = login(seeded["member"])
    for path in (
        _url(seeded, "atgarder.csv"),
        _url(seeded, "narvaro.xlsx"),
        _minutes(seeded, "minnesanteckningar.pdf"),
        _minutes(seeded, "utskrift"),
        "/k/amal/export/atgarder.csv",
    ):
        assert client.get(path).status_code == 200
    with in_tenant("amal") as session:
        events = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert len(events) == 5
    assert all(e.user_id == seeded["member"].id for e in events)
    for event in events:
        assert not any(name in event.summary for name in (*MEMBERS, "Kim", "SSPF Åmål"))


def test_member_without_minutes_right_gets_403(seeded, login, create_user, make_forum):
    other = make_forum("amal", name="Elevhälsan", forum_type="student_health")
    outsider = create_user(municipalities={"amal": "member"})
    make_forum("amal", name="Familjecentralen", members=[("Eva Egen", "school", outsider)])
    client = login(outsider)
    for path in (
        _url(seeded, "atgarder.csv"),
        _url(seeded, "narvaro.csv"),
        _minutes(seeded, "minnesanteckningar.pdf"),
        _minutes(seeded, "utskrift"),
        f"/k/amal/export/forum/{other['forum_id']}/atgarder.xlsx",
    ):
        assert client.get(path).status_code == 403, path
    # The whole-municipality export holds only the forums the person belongs to.
    text = client.get("/k/amal/export/atgarder.csv").data.decode("utf-8-sig")
    assert "HYPERLINK" not in text
    index = client.get("/k/amal/export").get_data(as_text=True)
    assert "Familjecentralen" in index
    assert "SSPF Åmål" not in index


def test_member_of_no_forum_sees_empty_state_and_gets_403_for_all_actions(
    app, seeded, login, create_user
):
    client = login(create_user(municipalities={"amal": "member"}))
    assert "Inget att exportera ännu" in client.get("/k/amal/export").get_data(as_text=True)
    assert client.get("/k/amal/export/atgarder.csv").status_code == 403


def test_coordinator_exports_every_forum(seeded, login, create_user, make_forum):
    make_forum("amal", name="Styrgruppen", forum_type="steering")
    client = login(create_user(municipalities={"amal": "coordinator"}))
    index = client.get("/k/amal/export").get_data(as_text=True)
    assert "SSPF Åmål" in index and "Styrgruppen" in index
    assert f"/moten/{seeded['held'][1]}/minnesanteckningar.pdf" in index
    assert client.get(_url(seeded, "atgarder.xlsx")).status_code == 200


def test_foreign_tenant_and_unknown_ids_are_404(seeded, login, create_user, make_forum):
    foreign = login(create_user(municipalities={"bengtsfors": "coordinator"}))
    for path in (
        _url(seeded, "atgarder.csv"),
        _minutes(seeded, "minnesanteckningar.pdf"),
        "/k/amal/export",
        "/k/amal/export/atgarder.csv",
    ):
        assert foreign.get(path).status_code == 404, path
    client = login(seeded["member"])
    assert client.get("/k/amal/export/forum/999999/atgarder.csv").status_code == 404
    other = make_forum("amal", name="Annat", members=[("Eva", "school", seeded["member"])], past=1)
    wrong = f"/k/amal/forum/{seeded['forum_id']}/moten/{other['meeting_ids'][0]}/utskrift"
    assert client.get(wrong).status_code == 404


@pytest.mark.parametrize("count", ["²", "١", "1" * 40, "+3", " 2"])
def test_odd_meeting_counts_are_a_clear_400(seeded, login, count):
    client = login(seeded["member"])
    response = client.get(_url(seeded, "narvaro.csv"), query_string={"moten": count})
    assert response.status_code == 400
    assert "Antal möten ska vara ett heltal" in response.get_data(as_text=True)


def test_minutes_pdf_sets_titles_and_lists_ragged_right(seeded, login, monkeypatch):
    """Justified short lines (titles, bullets) get wide gaps between words; none may be justified."""
    from fpdf import FPDF

    aligns: list[str] = []
    original = FPDF.multi_cell

    def spy(self, w, h=None, text="", *args, **kwargs):
        aligns.append(str(kwargs.get("align", "J")))
        return original(self, w, h, text, *args, **kwargs)

    monkeypatch.setattr(FPDF, "multi_cell", spy)
    response = login(seeded["member"]).get(_minutes(seeded, "minnesanteckningar.pdf"))
    assert response.status_code == 200
    assert aligns and all(a in ("L", "Align.L") for a in aligns)


def test_approved_minutes_are_called_godkanda_in_print_and_pdf(seeded, login, in_tenant):
    from samverka.modules.forums.export_minutes import build_document
    from samverka.modules.forums.models import Meeting, MinutesStatus

    with in_tenant("amal") as session:
        meeting = session.get(Meeting, seeded["held"][1])
        meeting.minutes_status = MinutesStatus.approved
        session.commit()
        assert build_document(meeting).minutes_status == "Godkända"
    html = login(seeded["member"]).get(_minutes(seeded, "utskrift")).get_data(as_text=True)
    assert "Godkända" in html and "Justerade" not in html
