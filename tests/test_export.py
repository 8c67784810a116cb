"""nhiemvu export: CSV (UTF-8 with BOM), XLSX, iCalendar (extract/export.py)."""
from __future__ import annotations

import csv
import json

import pytest

import extract
from extract import cli
from extract.export import COLUMNS, HEADERS_VI, export, rows

from conftest import SEEDS_DIR

HANOI_SEED = "001_61c48b8bbe7a94e8.txt"  # Hà Nội, 3031/UBND-TKBT: "... trước ngày 25 hằng tháng"


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    """The pipeline, run once over the seeds; the records twice in one file (a re-run appended)."""
    records = [extract.extract_file(p) for p in sorted(SEEDS_DIR.glob("*.txt"))]
    assert len(records) == 5 and all("error" not in r for r in records)
    d = tmp_path_factory.mktemp("seeds")
    path = d / "seeds.jsonl"
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    error = json.dumps({"schema": "nhiemvu/1", "source": "x.pdf", "error": {"code": "empty", "message": "empty"}})
    path.write_text(body + error + "\n" + body, encoding="utf-8")
    obligations = [(r, o) for r in records for o in r["obligations"]]
    return str(path), records, obligations


def _hanoi_monthly(records):
    hn = [r for r in records if r["source"].endswith(HANOI_SEED)][0]
    monthly = [o for o in hn["obligations"] if (o["deadline"] or {}).get("recurrence") == "FREQ=MONTHLY;BYMONTHDAY=25"]
    assert monthly, "the Hà Nội seed's monthly report (trước ngày 25 hằng tháng) was not extracted"
    return hn, monthly[0]


# --------------------------------------------------------------------------- CSV


def test_csv_read_back(seeds, tmp_path):
    src, records, obligations = seeds
    out = tmp_path / "tasks.csv"
    assert export([src], "csv", str(out)) == len(obligations)  # duplicates and error records skipped
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    with open(out, encoding="utf-8-sig", newline="") as fh:
        got = list(csv.DictReader(fh))
    assert list(got[0].keys()) == list(COLUMNS)
    assert len(got) == len(obligations)
    assert [r["id"] for r in got] == [o["id"] for _, o in obligations]
    hn, monthly = _hanoi_monthly(records)
    row = next(r for r in got if r["id"] == monthly["id"])
    assert row["number"] == hn["number"] and row["issued_date"] == hn["issued_date"]
    assert row["recurrence"] == "FREQ=MONTHLY;BYMONTHDAY=25" and row["deadline"] == ""
    assert row["task"] == monthly["text"] and "Sở Nội vụ" in row["assignees"]
    assert row["type"] == monthly["type"]


def test_csv_vietnamese_headers(seeds, tmp_path):
    src, _, obligations = seeds
    out = tmp_path / "tasks_vi.csv"
    export([src], "csv", str(out), vietnamese=True)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        got = list(csv.reader(fh))
    assert got[0] == [HEADERS_VI[c] for c in COLUMNS]
    assert "Số ký hiệu" in got[0] and "Cơ quan chủ trì" in got[0]
    assert len(got) == len(obligations) + 1


def test_rows_shape():
    rec = {"id": "d", "number": "1/UBND", "issued_date": "2024-01-02",
           "issuer": {"name": "Ủy ban nhân dân tỉnh An Giang"},
           "obligations": [{"id": "d:1", "index": 1, "label": "2.a", "text": "Làm việc A.",
                            "assignees": [{"name": "Ủy ban nhân dân các huyện", "head": "Chủ tịch", "collective": True},
                                          {"name": "Sở Y tế"}],
                            "coordinators": [{"name": "Sở Tài chính"}], "report_to": [],
                            "deadline": {"text": "trước ngày 15/6", "kind": "date", "due": "2024-06-15",
                                         "recurrence": None}, "type": "report"}]}
    (r,) = rows([rec])
    assert r["assignees"] == "Chủ tịch Ủy ban nhân dân các huyện; Sở Y tế"
    assert (r["label"], r["deadline"], r["deadline_text"], r["issuer"]) == (
        "2.a", "2024-06-15", "trước ngày 15/6", "Ủy ban nhân dân tỉnh An Giang")


# --------------------------------------------------------------------------- XLSX


def test_xlsx(seeds, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    src, _, obligations = seeds
    out = tmp_path / "tasks.xlsx"
    assert export([src], "xlsx", str(out), vietnamese=True) == len(obligations)
    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws[1]] == [HEADERS_VI[c] for c in COLUMNS]
    assert ws.max_row == len(obligations) + 1
    assert ws.freeze_panes == "A2"


# --------------------------------------------------------------------------- iCalendar


def test_ics_one_vtodo_per_obligation(seeds, tmp_path):
    icalendar = pytest.importorskip("icalendar")
    src, records, obligations = seeds
    out = tmp_path / "tasks.ics"
    assert export([src], "ics", str(out)) == len(obligations)
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    todos = cal.walk("VTODO")
    assert len(todos) == len(obligations)
    assert [str(t["UID"]) for t in todos] == [f"{o['id']}@nhiemvu" for _, o in obligations]
    for t, (r, o) in zip(todos, obligations):
        assert str(t["SUMMARY"])
        assert o["text"] in str(t["DESCRIPTION"])
        if r.get("number"):
            assert r["number"] in str(t["DESCRIPTION"])
        assert o["type"] in [str(c) for c in t["CATEGORIES"].cats]
        due = (o["deadline"] or {}).get("due")
        if due:
            assert t.decoded("DUE").isoformat() == due
        attendees = t.get("ATTENDEE", [])
        attendees = attendees if isinstance(attendees, list) else [attendees]
        roles = [a.params["ROLE"] for a in attendees]
        assert roles.count("CHAIR") == len({_label(a) for a in o["assignees"]})
        assert roles.count("REQ-PARTICIPANT") == len({_label(a) for a in o["coordinators"]})


def _label(a):
    from extract.export import agency_label

    return agency_label(a)


def test_ics_rrule_for_hanoi_monthly_report(seeds, tmp_path):
    icalendar = pytest.importorskip("icalendar")
    src, records, _ = seeds
    hn, monthly = _hanoi_monthly(records)
    out = tmp_path / "tasks.ics"
    export([src], "ics", str(out))
    todos = {str(t["UID"]): t for t in icalendar.Calendar.from_ical(out.read_bytes()).walk("VTODO")}
    t = todos[f"{monthly['id']}@nhiemvu"]
    rrule = t["RRULE"]
    assert rrule["FREQ"] == ["MONTHLY"] and rrule["BYMONTHDAY"] == [25]
    due = t.decoded("DUE")
    assert due.day == 25 and due.isoformat() >= hn["issued_date"]  # first instance after the letter
    assert t.decoded("DTSTART") == due
    chairs = t.get("ATTENDEE")
    chairs = chairs if isinstance(chairs, list) else [chairs]
    assert any(a.params["CN"] == "Sở Nội vụ" and a.params["ROLE"] == "CHAIR" for a in chairs)


def test_ics_uid_stable_across_exports(seeds, tmp_path):
    icalendar = pytest.importorskip("icalendar")
    src, _, _ = seeds
    a, b = tmp_path / "a.ics", tmp_path / "b.ics"
    export([src], "ics", str(a))
    export([src], "ics", str(b))
    uids = [[str(t["UID"]) for t in icalendar.Calendar.from_ical(p.read_bytes()).walk("VTODO")] for p in (a, b)]
    assert uids[0] == uids[1] and len(set(uids[0])) == len(uids[0])


# --------------------------------------------------------------------------- CLI


def test_cli_export(seeds, tmp_path, capsys):
    src, _, obligations = seeds
    out = tmp_path / "cli.csv"
    assert cli.main(["export", src, "--to", "csv", "-o", str(out)]) == 0
    assert f"{len(obligations)} obligation(s)" in capsys.readouterr().err
    assert cli.main(["export", str(tmp_path / "missing.jsonl"), "--to", "csv", "-o", str(out)]) == 2
    with pytest.raises(SystemExit):
        cli.main(["export", src, "--to", "pdf", "-o", str(out)])
