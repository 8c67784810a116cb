"""Every input format offices keep, made in the test from a seed text (issue 5).

Each file is built here from seed 004 (Công văn 493/UBND-KGVX): UTF-8 with a BOM,
UTF-16 (LE/BE, with and without BOM), Windows-1258, the legacy font encodings
TCVN3 and VNI, .docx (numbered list + table), .pdf (a real text layer), .html
with page furniture, and standard input.  Whatever the format, the record must
agree with the one made from the UTF-8 text: number, date, obligation labels
and texts.
"""
from __future__ import annotations

import io
import json
import re
import unicodedata

import pytest

from conftest import SEEDS_DIR
from extract.batch import Options, process_one, process_stdin
from extract.readers import read_bytes
from extract.readers.legacy import decode_legacy, encode_legacy, repair_legacy_text
from extract.readers.text import decode_bytes

SEED = SEEDS_DIR / "004_cbb06b3a45a81e29.txt"
TEXT = unicodedata.normalize("NFC", SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def baseline():
    return process_one(str(SEED), Options(with_text=True))[0]


def _summary(rec, fold=False):
    f = (lambda s: s.casefold()) if fold else (lambda s: s)
    return {
        "number": rec["number"],
        "issued_date": rec["issued_date"],
        "labels": [o["label"] for o in rec["obligations"]],
        "texts": [f(o["text"]) for o in rec["obligations"]],
    }


# ------------------------------------------------------------ builders ----

def make_docx(text: str) -> bytes:
    """Numbered items become Word list paragraphs (the number lives in numbering.xml), plus a table."""
    docx = pytest.importorskip("docx")
    d = docx.Document()
    for line in text.split("\n"):
        m = re.match(r"(\d+)\.\s+(.*)", line)
        if m:
            d.add_paragraph(m.group(2), style="List Number")
        else:
            d.add_paragraph(line)
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Cơ quan", "Nhiệm vụ"
    table.cell(1, 0).text, table.cell(1, 1).text = "Sở Nội vụ", "Tham mưu Ủy ban nhân dân tỉnh"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def make_pdf(text: str, lines_per_page: int = 60) -> bytes:
    """A minimal PDF whose text layer is ``text``.

    Helvetica re-encoded with /Differences naming each Vietnamese letter's glyph
    ``uniXXXX``: extraction maps the names back to Unicode, as for any real PDF
    with a simple font.  Several fonts when there are more letters than codes.
    """
    chars = sorted({c for c in text if ord(c) > 126 or ord(c) < 32} - {"\n"})
    codes = list(range(128, 256)) + list(range(1, 32))
    fonts = [chars[i:i + len(codes)] for i in range(0, max(1, len(chars)), len(codes))]
    enc = {c: (fi, code) for fi, group in enumerate(fonts) for c, code in zip(group, codes)}

    def esc(b: bytes) -> bytes:
        return b.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    lines = text.split("\n")
    contents = []
    for start in range(0, len(lines), lines_per_page):
        ops = [b"BT", b"12 TL", b"40 800 Td"]
        for line in lines[start:start + lines_per_page]:
            runs: list[tuple[int, bytearray]] = []
            for c in line:
                fi, code = enc.get(c, (0, ord(c) if 32 <= ord(c) < 127 else 63))
                if not runs or runs[-1][0] != fi:
                    runs.append((fi, bytearray()))
                runs[-1][1].append(code)
            for fi, b in runs:
                ops.append(b"/F%d 9 Tf (" % fi + esc(bytes(b)) + b") Tj")
            ops.append(b"T*")
        ops.append(b"ET")
        contents.append(b"\n".join(ops))
    return _pdf_file(fonts, codes, contents)


def _pdf_file(fonts, codes, contents) -> bytes:
    objs: list[bytes] = []

    def add(o: bytes) -> int:
        objs.append(o)
        return len(objs)

    font_ids = []
    for group in fonts:
        diffs = b" ".join(b"%d /uni%04X" % (code, ord(c)) for c, code in zip(group, codes))
        eid = add(b"<< /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [" + diffs + b"] >>")
        font_ids.append(add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding %d 0 R >>" % eid))
    res = b"<< /Font << " + b" ".join(b"/F%d %d 0 R" % (i, f) for i, f in enumerate(font_ids)) + b" >> >>"
    pages_id = len(objs) + 2 * len(contents) + 1
    page_ids = []
    for content in contents:
        cid = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        page_ids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources " % pages_id
                            + res + b" /Contents %d 0 R >>" % cid))
    kids = b" ".join(b"%d 0 R" % p for p in page_ids)
    assert add(b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(page_ids)) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, catalog, xref)
    return bytes(out)


def make_html(text: str) -> bytes:
    body = "\n".join(f"<p>{line}</p>" for line in text.split("\n") if line.strip())
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Công văn 493</title>
<style>p {{ margin: 0 }}</style><script>var menu = ["Trang chủ", "Thời sự"];</script></head>
<body><nav><ul><li>Trang chủ</li><li>Thời sự</li><li>Pháp luật</li></ul></nav>
<form><input name="q"><button>Tìm kiếm</button></form>
<article>{body}</article>
<aside><h3>Tin liên quan</h3><ul><li>Sở Tài chính phải báo cáo trước ngày 30/6/2024</li></ul></aside>
<iframe src="https://example.invalid/ads"/>
</body></html>"""
    return page.encode("utf-8")


BUILDERS = {
    "utf8.txt": lambda t: t.encode("utf-8"),
    "utf8_bom.txt": lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
    "utf16_le_bom.txt": lambda t: t.encode("utf-16"),
    "utf16_be_bom.txt": lambda t: b"\xfe\xff" + t.encode("utf-16-be"),
    "utf16_le_nobom.txt": lambda t: t.encode("utf-16-le"),
    "utf16_be_nobom.txt": lambda t: t.encode("utf-16-be"),
    "windows1258.txt": lambda t: encode_legacy(t, "Windows-1258"),
    "tcvn3.txt": lambda t: encode_legacy(t, "TCVN3"),
    "vni.txt": lambda t: encode_legacy(t, "VNI"),
    "letter.docx": make_docx,
    "letter.pdf": make_pdf,
    "letter.html": make_html,
}
WARNS = {"windows1258.txt": "Windows-1258", "tcvn3.txt": "TCVN3", "vni.txt": "VNI",
         "utf16_le_nobom.txt": "UTF-16", "utf16_be_nobom.txt": "UTF-16"}


@pytest.mark.parametrize("name", list(BUILDERS))
def test_every_format_gives_the_same_record(name, tmp_path, baseline):
    if name.endswith(".pdf"):
        pytest.importorskip("pypdf")
    path = tmp_path / name
    path.write_bytes(BUILDERS[name](TEXT))
    [rec] = process_one(str(path), Options(with_text=True))
    assert "error" not in rec, rec
    assert rec["source"] == str(path)
    # TCVN3 has no codes for capitals with tones (Ủ, Ả): case is restored only where
    # it can be told (all-caps lines, sentence starts), so compare ignoring case
    fold = name == "tcvn3.txt"
    assert _summary(rec, fold) == _summary(baseline, fold)
    assert len(rec["obligations"]) == 8
    if name in WARNS:
        assert any("encoding" in w and WARNS[name] in w for w in rec["warnings"]), rec["warnings"]
    text = rec["text"]
    for o in rec["obligations"]:
        s, e = o["span"]
        assert " ".join(text[s:e].split()) == o["text"]


def test_docx_keeps_list_numbers_and_tables(tmp_path):
    text, _ = read_bytes(make_docx(TEXT), ".docx")
    assert re.search(r"^1\. Tiếp tục quán triệt", text, re.M)
    assert re.search(r"^8\. ", text, re.M)
    assert "Sở Nội vụ | Tham mưu Ủy ban nhân dân tỉnh" in text


def test_docx_number_formats():
    from extract.readers.docx import _fmt

    assert [_fmt(n, "decimal") for n in (1, 12)] == ["1", "12"]
    assert [_fmt(n, "lowerLetter") for n in (1, 2, 27)] == ["a", "b", "aa"]
    assert [_fmt(n, "upperRoman") for n in (1, 4, 9, 14)] == ["I", "IV", "IX", "XIV"]


def test_pdf_header_and_numbered_items_survive():
    pytest.importorskip("pypdf")
    text, _ = read_bytes(make_pdf(TEXT, lines_per_page=20), ".pdf")  # several pages
    assert text.lstrip().startswith("Số: 493/UBND-KGVX")
    assert "An Giang, ngày 22 tháng 4 năm 2024" in text
    for n in range(1, 9):
        assert re.search(rf"^{n}\. \S", text, re.M)


def test_scanned_pdf_without_text_is_a_clear_error(tmp_path):
    pytest.importorskip("pypdf")
    scan = _pdf_file([[]], [], [b"q 595 0 0 842 0 0 cm Q"])  # a page with no text at all
    path = tmp_path / "scan.pdf"
    path.write_bytes(scan)
    [rec] = process_one(str(path))
    assert rec["error"]["code"] == "unreadable"
    assert "no text layer" in rec["error"]["message"] and "OCR" in rec["error"]["message"]


def test_broken_docx_and_pdf_are_error_records(tmp_path):
    for name in ("broken.docx", "broken.pdf"):
        if name.endswith("docx"):
            pytest.importorskip("docx")
        else:
            pytest.importorskip("pypdf")
        path = tmp_path / name
        path.write_bytes(b"PK\x03\x04 not really a zip" * 20)
        [rec] = process_one(str(path))
        assert rec["error"]["code"] == "unreadable", rec


def test_html_page_furniture_is_dropped():
    text, _ = read_bytes(make_html(TEXT), ".html")
    for furniture in ("var menu", "Pháp luật", "Tìm kiếm", "Tin liên quan", "Sở Tài chính phải báo cáo"):
        assert furniture not in text
    assert "Số: 493/UBND-KGVX" in text and "Kính gửi:" in text


# ----------------------------------------------------- legacy encodings ----

def test_tcvn3_known_lines():
    raw = "Céng hoµ x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc\nñY BAN NH¢N D¢N TØNH AN GIANG\n"
    text, enc = decode_legacy(raw.encode("cp1252"))
    assert enc == "TCVN3"
    assert text == ("Cộng hoà xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n"
                    "ỦY BAN NHÂN DÂN TỈNH AN GIANG\n")


def test_vni_known_lines():
    raw = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam\nÑoäc laäp - Töï do - Haïnh phuùc\nUÛY BAN NHAÂN DAÂN\n"
    text, enc = decode_legacy(raw.encode("cp1252"))
    assert enc == "VNI"
    assert text == "Cộng hòa xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\nỦY BAN NHÂN DÂN\n"


def test_windows1258_decomposed_tone_marks():
    raw = "Vi\xea\xf2t Nam".encode("latin-1")  # ê + combining dot below (0xF2 in cp1258)
    text, warnings = decode_bytes(raw + b" " + encode_legacy(TEXT[:400], "Windows-1258"))
    assert text.startswith("Việt Nam") and unicodedata.is_normalized("NFC", text)
    assert any("Windows-1258" in w for w in warnings)


@pytest.mark.parametrize("enc", ["TCVN3", "VNI"])
def test_legacy_text_saved_as_unicode_is_converted(enc):
    shown = encode_legacy(TEXT, enc).decode("cp1252")  # what a .VnTime/VNI-Times document shows as Unicode
    assert "493/UBND-KGVX" in shown and "Kính gửi" not in shown
    text, warnings = decode_bytes(shown.encode("utf-8"))
    assert "Kính gửi:" in text and "Sở Nội vụ" in text
    assert any(enc in w for w in warnings)


def test_real_unicode_is_never_taken_for_legacy():
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        text, warnings = decode_bytes(path.read_bytes())
        assert not any("legacy" in w for w in warnings), (path.name, warnings)
        assert repair_legacy_text(text) is None


def test_undecodable_bytes_stay_an_encoding_error():
    [rec] = process_stdin(Options(), io.BytesIO(b"garbage \xc3\x28 \xff\x81\x8d \xa0\xa1 " * 50))
    assert rec["error"]["code"] == "encoding"
    assert "TCVN3" in rec["error"]["message"]


def test_stdin_in_a_legacy_encoding():
    recs = process_stdin(Options(), io.BytesIO(encode_legacy(TEXT, "VNI")))
    assert recs[0]["source"] == "-" and recs[0]["number"] == "493/UBND-KGVX"
    assert any("VNI" in w for w in recs[0]["warnings"])
    json.dumps(recs[0], ensure_ascii=False)


@pytest.mark.parametrize("name", ["letter.docx", "letter.pdf"])
def test_stdin_tells_docx_and_pdf_by_their_first_bytes(name, baseline):
    pytest.importorskip("docx" if name.endswith("docx") else "pypdf")
    [rec] = process_stdin(Options(), io.BytesIO(BUILDERS[name](TEXT)))
    assert rec["source"] == "-"
    assert _summary(rec) == _summary(baseline)


def test_a_pdf_with_wrapped_lines_gives_the_same_tasks(tmp_path, baseline):
    # a real PDF's text layer breaks every line at the page width, mid-sentence and mid-name
    pytest.importorskip("pypdf")
    import textwrap

    wrapped = "\n".join(w for ln in TEXT.split("\n")
                        for w in (textwrap.wrap(ln, 80, break_on_hyphens=False) or [ln]))
    assert wrapped.count("\n") > TEXT.count("\n") + 20
    path = tmp_path / "wrapped.pdf"
    path.write_bytes(make_pdf(wrapped, lines_per_page=25))
    [rec] = process_one(str(path))

    def tasks(r):
        return [(o["label"], o["text"], sorted(a["name"] for a in o["assignees"]), (o["deadline"] or {}).get("due"))
                for o in r["obligations"]]

    assert tasks(rec) == tasks(baseline)


def test_running_headers_and_footers_of_a_pdf_are_dropped(tmp_path, baseline):
    # a gazette's running header and a page footer on every page: left in, they would cut the
    # paragraph that runs over each page break
    pytest.importorskip("pypdf")
    import textwrap

    lines = [w for ln in TEXT.split("\n") for w in (textwrap.wrap(ln, 80, break_on_hyphens=False) or [ln])]
    per_page = 20
    pages = [lines[i:i + per_page] for i in range(0, len(lines), per_page)]
    assert len(pages) >= 3
    paged = "\n".join("\n".join([f"CÔNG BÁO/Số {40 + k}/Ngày 22-4-2024", *page, f"Trang {k + 1}/{len(pages)}"])
                      for k, page in enumerate(pages))
    path = tmp_path / "gazette.pdf"
    path.write_bytes(make_pdf(paged, lines_per_page=per_page + 2))
    [rec] = process_one(str(path), Options(with_text=True))
    assert "CÔNG BÁO" not in rec["text"] and "Trang 2/" not in rec["text"]
    assert any("running header" in w for w in rec["warnings"])

    def tasks(r):
        return [(o["label"], o["text"], sorted(a["name"] for a in o["assignees"]), (o["deadline"] or {}).get("due"))
                for o in r["obligations"]]

    assert tasks(rec) == tasks(baseline)


def test_html_ordered_lists_keep_their_numbers():
    from extract.readers.html import html_to_text

    page = ("<html><head><title>Cổng thông tin xã</title></head><body><nav>Trang chủ</nav>"
            "<p>Chủ tịch UBND xã yêu cầu:</p><ol><li>Trạm Y tế xã:<ol type=\"a\"><li>Tổ chức phun hóa chất.</li>"
            "<li>Báo cáo UBND xã trước ngày 30/9/2025.</li></ol></li><li>Công an xã bảo đảm an ninh.</li></ol>"
            "</body></html>")
    text = html_to_text(page)
    assert "Cổng thông tin" not in text
    assert [ln for ln in text.splitlines() if ln] == [
        "Chủ tịch UBND xã yêu cầu:", "1. Trạm Y tế xã:", "a) Tổ chức phun hóa chất.",
        "b) Báo cáo UBND xã trước ngày 30/9/2025.", "2. Công an xã bảo đảm an ninh."]
