"""Export obligations from nhiemvu/1 JSONL records to task trackers: CSV, XLSX, iCalendar.

Reads records only (document records or ``--flat`` lines); never runs the pipeline.

* CSV: UTF-8 with BOM (Excel then opens Vietnamese correctly), one row per obligation.
* XLSX (``openpyxl``): the same rows, header frozen, dates as dates.
* ICS (``icalendar``): one VTODO per obligation, UID from the obligation id, so re-importing
  updates the tasks instead of duplicating them.
"""
from __future__ import annotations

import csv
import datetime
import re
from typing import Any, Iterable, Iterator

from .store import _doc_of, fold, iter_records

__all__ = ["COLUMNS", "HEADERS_VI", "rows", "write_csv", "write_xlsx", "write_ics", "export"]

COLUMNS = (
    "id", "number", "issued_date", "issuer", "label", "task", "assignees", "coordinators", "report_to",
    "deadline", "deadline_text", "recurrence", "type", "source",
)
HEADERS_VI = {
    "id": "Mã nhiệm vụ",
    "number": "Số ký hiệu",
    "issued_date": "Ngày ban hành",
    "issuer": "Cơ quan ban hành",
    "label": "Mục",
    "task": "Nội dung nhiệm vụ",
    "assignees": "Cơ quan chủ trì",
    "coordinators": "Cơ quan phối hợp",
    "report_to": "Báo cáo, trình",
    "deadline": "Thời hạn",
    "deadline_text": "Thời hạn (nguyên văn)",
    "recurrence": "Định kỳ (RRULE)",
    "type": "Loại nhiệm vụ",
    "source": "Tệp nguồn",
}
TYPE_VI = {
    "implement": "Thực hiện", "disseminate": "Quán triệt, tuyên truyền", "report": "Báo cáo",
    "advise": "Tham mưu, đề xuất", "review": "Rà soát, đánh giá", "oversee": "Theo dõi, kiểm tra",
    "regulate": "Ban hành quy định", "discipline": "Xử lý, khen thưởng", "prohibit": "Nghiêm cấm",
}
SEP = "; "


def agency_label(a: Any) -> str:
    """An agency as the gold writes it: the addressed head in front (``Chủ tịch Ủy ban nhân dân ...``)."""
    if isinstance(a, str):
        return a
    name = a.get("name") or a.get("text") or ""
    head = a.get("head")
    if head and not fold(name).startswith(fold(head)):
        return f"{head} {name}"
    return name


def _issuer(doc: dict[str, Any]) -> str:
    i = doc.get("issuer")
    return agency_label(i) if i else ""


def iter_obligations(records: Iterable[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(document, obligation) pairs; error records are skipped, and so is a document (or a flat
    obligation) met again: the same text in two places has the same id, and trackers need one task."""
    seen_docs: set[Any] = set()
    seen_flat: set[Any] = set()
    for rec in records:
        got = _doc_of(rec)
        if got is None:
            continue
        doc, obs, flat = got
        if not flat:
            if doc.get("id") is not None and doc.get("id") in seen_docs:
                continue
            seen_docs.add(doc.get("id"))
        for i, ob in enumerate(obs, 1):
            if not ob.get("id"):
                ob = dict(ob, id=f"{doc.get('id')}:{ob.get('index') or i}")
            if flat:
                if ob["id"] in seen_flat:
                    continue
                seen_flat.add(ob["id"])
            yield doc, ob


def row(doc: dict[str, Any], ob: dict[str, Any]) -> dict[str, Any]:
    dl = ob.get("deadline") or {}
    return {
        "id": ob.get("id"),
        "number": doc.get("number") or "",
        "issued_date": doc.get("issued_date") or "",
        "issuer": _issuer(doc),
        "label": ob.get("label") or "",
        "task": ob.get("text") or "",
        "assignees": SEP.join(agency_label(a) for a in ob.get("assignees") or []),
        "coordinators": SEP.join(agency_label(a) for a in ob.get("coordinators") or []),
        "report_to": SEP.join(dict.fromkeys(agency_label(a) for a in ob.get("report_to") or [])),
        "deadline": dl.get("due") or "",
        "deadline_text": dl.get("text") or "",
        "recurrence": dl.get("recurrence") or "",
        "type": ob.get("type") or "",
        "source": doc.get("source") or "",
    }


def rows(records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for doc, ob in iter_obligations(records):
        yield row(doc, ob)


def _headers(vietnamese: bool) -> list[str]:
    return [HEADERS_VI[c] for c in COLUMNS] if vietnamese else list(COLUMNS)


def write_csv(records: Iterable[dict[str, Any]], path: str, vietnamese: bool = False) -> int:
    n = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(_headers(vietnamese))
        for r in rows(records):
            if vietnamese:
                r = dict(r, type=TYPE_VI.get(r["type"], r["type"]))
            w.writerow([r[c] for c in COLUMNS])
            n += 1
    return n


_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def write_xlsx(records: Iterable[dict[str, Any]], path: str, vietnamese: bool = False) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Nhiệm vụ" if vietnamese else "Obligations")
    widths = {"id": 22, "number": 18, "issued_date": 12, "issuer": 30, "label": 7, "task": 80, "assignees": 36,
              "coordinators": 28, "report_to": 24, "deadline": 12, "deadline_text": 22, "recurrence": 24,
              "type": 14, "source": 30}
    for i, c in enumerate(COLUMNS):
        ws.column_dimensions[chr(ord("A") + i)].width = widths[c]
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for h in _headers(vietnamese):
        cell = WriteOnlyCell(ws, value=h)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    n = 0
    for r in rows(records):
        if vietnamese:
            r = dict(r, type=TYPE_VI.get(r["type"], r["type"]))
        out = []
        for c in COLUMNS:
            v = r[c]
            if c in ("issued_date", "deadline") and v:
                try:
                    v = datetime.date.fromisoformat(v)
                except ValueError:
                    pass
            if isinstance(v, str):
                v = _ILLEGAL_XLSX.sub(" ", v)
            cell = WriteOnlyCell(ws, value=v)
            if isinstance(v, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            if c == "task":
                cell.alignment = wrap
            out.append(cell)
        ws.append(out)
        n += 1
    ws.auto_filter.ref = f"A1:{chr(ord('A') + len(COLUMNS) - 1)}{n + 1}"
    wb.save(path)
    return n


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(s)).strip("-")[:60] or "agency"


def _address(a: Any) -> str:
    # Agencies have no mail address; a reserved .invalid domain keeps calendar clients from sending.
    return f"mailto:{_slug(agency_label(a))}@nhiemvu.invalid"


def _iso_date(s: str | None) -> datetime.date | None:
    """``YYYY-MM-DD`` as a date; None when absent or not a date."""
    if not s:
        return None
    try:
        return datetime.date.fromisoformat(s)
    except ValueError:
        return None


def _first_occurrence(rule: str, start: datetime.date) -> datetime.date | None:
    from dateutil.rrule import rrulestr

    try:
        r = rrulestr(rule, dtstart=datetime.datetime.combine(start, datetime.time()))
        nxt = r.after(datetime.datetime.combine(start, datetime.time()), inc=True)
    except (ValueError, TypeError):
        return None
    return nxt.date() if nxt else None


def todo(doc: dict[str, Any], ob: dict[str, Any], stamp: datetime.datetime | None = None):
    """One ``icalendar.Todo`` for an obligation."""
    from icalendar import Todo, vCalAddress, vRecur, vText

    dl = ob.get("deadline") or {}
    t = Todo()
    t.add("uid", f"{ob['id']}@nhiemvu")
    t.add("dtstamp", stamp or datetime.datetime.now(datetime.timezone.utc))
    text = ob.get("text") or ""
    summary = text if len(text) <= 120 else text[:119].rstrip() + "…"
    t.add("summary", summary)
    number = doc.get("number") or "(không số)"
    src = f"Nguồn: {number}"
    if doc.get("issued_date"):
        src += f" ngày {doc['issued_date']}"
    if _issuer(doc):
        src += f" của {_issuer(doc)}"
    if ob.get("label"):
        src += f", mục {ob['label']}"
    lines = [text, "", src]
    for key, title in (("assignees", "Chủ trì"), ("coordinators", "Phối hợp"), ("report_to", "Báo cáo")):
        names = list(dict.fromkeys(agency_label(a) for a in ob.get(key) or []))
        if names:
            lines.append(f"{title}: {SEP.join(names)}")
    if dl.get("text"):
        lines.append(f"Thời hạn: {dl['text']}")
    t.add("description", "\n".join(lines))
    issued = _iso_date(doc.get("issued_date"))
    due = _iso_date(dl.get("due"))
    rule = dl.get("recurrence")
    if rule and due is None and issued is not None:
        first = _first_occurrence(rule, issued)
        if first is not None:
            t.add("dtstart", first)  # RFC 5545: a recurring VTODO starts on its first instance
            t.add("due", first)
            t.add("rrule", vRecur.from_ical(rule))
    elif due is not None:
        if issued is not None and issued <= due:
            t.add("dtstart", issued)
        t.add("due", due)
        if rule:
            t.add("rrule", vRecur.from_ical(rule))
            if "dtstart" not in t:
                t.add("dtstart", due)
    if dl.get("kind") == "immediate":
        t.add("priority", 1)
    t.add("status", "NEEDS-ACTION")
    if ob.get("type"):
        t.add("categories", [ob["type"]])
    if doc.get("issuer"):
        org = vCalAddress(_address(doc["issuer"]))
        org.params["cn"] = vText(_issuer(doc))
        t.add("organizer", org)
    seen = set()
    for key, role in (("assignees", "CHAIR"), ("coordinators", "REQ-PARTICIPANT")):
        for a in ob.get(key) or []:
            label = agency_label(a)
            if (label, role) in seen:
                continue
            seen.add((label, role))
            att = vCalAddress(_address(a))
            att.params["cn"] = vText(label)
            att.params["role"] = vText(role)
            att.params["partstat"] = vText("NEEDS-ACTION")
            if isinstance(a, dict) and a.get("collective"):
                att.params["cutype"] = vText("GROUP")
            t.add("attendee", att, encode=0)
    return t


def write_ics(records: Iterable[dict[str, Any]], path: str) -> int:
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", "-//nhiemvu//nhiemvu/1 tasks//VI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "nhiemvu")
    stamp = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    head, end = cal.to_ical().rsplit(b"END:VCALENDAR", 1)  # stream the VTODOs: no calendar in memory
    n = 0
    with open(path, "wb") as fh:
        fh.write(head)
        for doc, ob in iter_obligations(records):
            fh.write(todo(doc, ob, stamp).to_ical())
            n += 1
        fh.write(b"END:VCALENDAR" + end)
    return n


def export(paths: Iterable[str], to: str, output: str, vietnamese: bool = False) -> int:
    """Export the obligations of the JSONL files ``paths``; returns the number of obligations."""
    recs = iter_records(paths)
    if to == "csv":
        return write_csv(recs, output, vietnamese)
    if to == "xlsx":
        return write_xlsx(recs, output, vietnamese)
    if to == "ics":
        return write_ics(recs, output)
    raise ValueError(f"unknown export format {to!r} (csv, xlsx, ics)")
