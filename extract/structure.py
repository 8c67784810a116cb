"""Document structure: header, body paragraphs, outline tree, signature, Nơi nhận.

Structure comes from lines and outline labels first (underthesea's sentence
splitter was measured to merge lines and detach item numbers), then
:func:`split_sentences` works inside a paragraph.

Everything here keeps ``(start, end)`` offsets into the normalised text.  This
module decides *where things are*; it does not decide who acts.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex as re

from .patterns import seg

# ---------------------------------------------------------------- lines ----


@dataclass
class Line:
    start: int
    end: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def split_lines(text: str) -> list[Line]:
    """Lines; a table row written with ``|`` separators becomes one line per cell."""
    out: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        if "|" in raw and raw.count("|") >= 1 and len(raw) < 400:
            cpos = start
            for cell in raw.split("|"):
                cs, ce = cpos, cpos + len(cell)
                cpos = ce + 1
                lead = len(cell) - len(cell.lstrip())
                stripped = cell.strip()
                if stripped:
                    out.append(Line(cs + lead, cs + lead + len(stripped), stripped))
            out.append(Line(end, end, ""))
            continue
        out.append(Line(start, end, raw))
    return out


# --------------------------------------------------------------- header ----

_QUOC_HIEU = re.compile(r"^(?:CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|Độc lập\s*[-–]\s*Tự do\s*[-–]\s*Hạnh phúc|[-_=]{3,})", re.I)
_SO = re.compile(r"^Số\s*[:.]?\s*(?P<num>\d[\w./&Đđ-]*(?:\s*[/-]\s*[\w.&Đđ-]+)*)", re.I)
_PLACE_DATE = re.compile(
    r"^(?P<place>[\p{Lu}][\p{L}.' -]{1,40}?)\s*,\s*ngày\s+(?P<d>\d{1,2})\s*(?:tháng\s*|[/.-]\s*)(?P<m>\d{1,2})\s*(?:năm\s*|[/.-]\s*)(?P<y>\d{4})",
)
_VV = re.compile(r"^(?:V/v|V/V|Về việc)\s*[:.]?\s*(?P<subj>.*)$")
_KINH_GUI = re.compile(r"^Kính\s+gửi\s*:?\s*(?P<rest>.*)$", re.I)
_NOI_NHAN = re.compile(r"^Nơi\s+nhận\s*:?\s*(?P<rest>.*)$", re.I)
_AUTHORITY = re.compile(r"^(?P<auth>(?:TM|KT|Q|TL|TUQ|TQ)\s*\.\s*[^\n]{2,80})$")
_POSITION = re.compile(
    r"^(?:PHÓ\s+)?(?:CHỦ TỊCH|BỘ TRƯỞNG|THỨ TRƯỞNG|GIÁM ĐỐC|TỔNG GIÁM ĐỐC|CHÁNH VĂN PHÒNG|PHÓ CHÁNH VĂN PHÒNG|"
    r"THỦ TƯỚNG|TỔNG CỤC TRƯỞNG|CỤC TRƯỞNG|CHỦ NHIỆM|TRƯỞNG BAN|BÍ THƯ|VIỆN TRƯỞNG|HIỆU TRƯỞNG|TRƯỞNG PHÒNG|CHÁNH THANH TRA)"
    r"(?:\s*,\s*[\p{Lu} ]{2,40})?$"
)
_ISSUER_WORDS = re.compile(
    r"^(?:ỦY BAN NHÂN DÂN|UBND|BỘ |VĂN PHÒNG|SỞ |TỔNG CỤC|CỤC |BẢO HIỂM XÃ HỘI|THỦ TƯỚNG|CHÍNH PHỦ|TỈNH ỦY|THÀNH ỦY|"
    r"HỘI ĐỒNG NHÂN DÂN|BAN |THANH TRA|KHO BẠC|CÔNG AN|BỘ CHỈ HUY)"
)
DOC_TITLES = {
    "CHỈ THỊ": "chi_thi", "CÔNG ĐIỆN": "cong_dien", "QUYẾT ĐỊNH": "quyet_dinh", "KẾ HOẠCH": "ke_hoach",
    "THÔNG BÁO": "thong_bao", "THÔNG BÁO KẾT LUẬN": "thong_bao", "CHƯƠNG TRÌNH": "chuong_trinh",
    "HƯỚNG DẪN": "huong_dan", "NGHỊ QUYẾT": "nghi_quyet", "CÔNG VĂN": "cong_van", "QUY CHẾ": "quy_che",
    "QUY ĐỊNH": "quy_dinh", "PHƯƠNG ÁN": "phuong_an", "CHƯƠNG TRÌNH HÀNH ĐỘNG": "chuong_trinh",
    "CÔNG ĐIỆN KHẨN": "cong_dien", "BÁO CÁO": "bao_cao", "TỜ TRÌNH": "to_trinh",
}
_TITLE = re.compile(r"^(?P<t>" + "|".join(sorted(map(re.escape, DOC_TITLES), key=len, reverse=True)) + r")\s*$")


@dataclass
class Header:
    issuer_lines: list[Line] = field(default_factory=list)
    number: str | None = None
    number_span: tuple[int, int] | None = None
    place: str | None = None
    date: tuple[int, int, int] | None = None  # (y, m, d)
    date_span: tuple[int, int] | None = None
    subject: str | None = None
    subject_span: tuple[int, int] | None = None
    title: str | None = None  # doc type slug from a title line (CHỈ THỊ, ...)
    recipients: list[Line] = field(default_factory=list)
    quoc_hieu: bool = False
    end_line: int = 0  # index of the first line after the header


@dataclass
class Signature:
    authority: str | None = None
    position: str | None = None
    name: str | None = None
    start_line: int = 0
    span: tuple[int, int] = (0, 0)


@dataclass
class Paragraph:
    start: int
    end: int
    text: str
    label: str | None = None  # outline label as written: "1", "a", "-", "II", "Điều 2"
    style: str | None = None  # roman, num, num_multi, alpha, dash, plus, dieu
    body_start: int = 0  # where the text after the label starts
    furniture: str | None = None  # why it is furniture (rule), if it is


@dataclass
class Structure:
    text: str
    lines: list[Line]
    header: Header
    paragraphs: list[Paragraph]
    signature: Signature | None
    cc: list[Line]
    is_letter: bool


def _clean_label_line(t: str) -> str:
    return t.strip().strip("|").strip()


def parse_header(lines: list[Line], limit: int = 60) -> Header:
    h = Header()
    i = 0
    n = min(len(lines), limit)
    last_header_line = -1
    while i < n:
        ln = lines[i]
        t = _clean_label_line(ln.text)
        if not t:
            i += 1
            continue
        if _QUOC_HIEU.match(t):
            h.quoc_hieu = True
            last_header_line = i
        elif (m := _SO.match(t)) and h.number is None:
            num = m.group("num").rstrip(".,;")
            h.number = num
            s = ln.start + (ln.text.index(m.group("num")) if m.group("num") in ln.text else 0)
            h.number_span = (s, s + len(num))
            last_header_line = i
        elif (m := _PLACE_DATE.match(t)) and h.date is None:
            h.place = m.group("place").strip()
            h.date = (int(m.group("y")), int(m.group("m")), int(m.group("d")))
            off = ln.text.find(t)
            h.date_span = (ln.start + max(off, 0), ln.start + max(off, 0) + m.end())
            last_header_line = i
        elif (m := _VV.match(t)) and h.subject is None and i < 40:
            parts = [m.group("subj")]
            j = i + 1
            while j < n and lines[j].text.strip() and not _KINH_GUI.match(lines[j].text.strip()):
                parts.append(lines[j].text.strip())
                j += 1
            h.subject = " ".join(p for p in parts if p).strip() or None
            h.subject_span = (ln.start, lines[j - 1].end)
            last_header_line = j - 1
            i = j
            continue
        elif (m := _TITLE.match(t)) and h.title is None and i < 40:
            h.title = DOC_TITLES[m.group("t").upper()]
            # the subject line(s) that follow a title: "Về việc ..." or a short line
            j = i + 1
            while j < n and not lines[j].text.strip():
                j += 1
            if j < n and h.subject is None:
                st = lines[j].text.strip()
                if len(st) < 250 and not re.match(r"^(?:Số|Kính gửi|\d+\.|Căn cứ)", st):
                    vv = _VV.match(st)
                    h.subject = (vv.group("subj") if vv else st).strip()
                    h.subject_span = (lines[j].start, lines[j].end)
                    last_header_line = j
                    i = j + 1
                    continue
            last_header_line = i
        elif (m := _KINH_GUI.match(t)):
            rest = m.group("rest").strip()
            if rest:
                off = ln.text.find(rest)
                h.recipients.append(Line(ln.start + off, ln.start + off + len(rest), rest))
            j = i + 1
            while j < len(lines):
                tt = lines[j].text.strip()
                if not tt:
                    j += 1
                    continue
                if re.match(r"^[-–+•]\s*", tt) and len(tt) < 250:
                    body = re.sub(r"^[-–+•]\s*", "", tt)
                    off = lines[j].text.find(body)
                    h.recipients.append(Line(lines[j].start + off, lines[j].start + off + len(body), body))
                    j += 1
                    continue
                break
            last_header_line = j - 1
            i = j
            continue
        elif (
            i < 12
            and t.upper() == t
            and any(c.isalpha() for c in t)
            and len(t) < 90
            and _ISSUER_WORDS.match(t)
            and not _TITLE.match(t)
        ):
            h.issuer_lines.append(Line(ln.start + ln.text.find(t), ln.start + ln.text.find(t) + len(t), t))
            last_header_line = i
        i += 1
    h.end_line = last_header_line + 1
    return h


def parse_tail(lines: list[Line], start: int) -> tuple[Signature | None, list[Line], int]:
    """Signature block and Nơi nhận list; returns (signature, cc lines, first tail line index)."""
    sig: Signature | None = None
    cc: list[Line] = []
    tail_start = len(lines)
    i = len(lines) - 1
    lo = max(start, len(lines) - 80)
    # Nơi nhận
    for k in range(lo, len(lines)):
        m = _NOI_NHAN.match(_clean_label_line(lines[k].text))
        if m:
            tail_start = min(tail_start, k)
            rest = m.group("rest").strip()
            if rest:
                cc.append(Line(lines[k].start, lines[k].end, rest))
            j = k + 1
            while j < len(lines):
                tt = _clean_label_line(lines[j].text)
                if not tt:
                    j += 1
                    continue
                if re.match(r"^[-–+•]", tt):
                    cc.append(Line(lines[j].start, lines[j].end, re.sub(r"^[-–+•]\s*", "", tt)))
                    j += 1
                    continue
                break
            break
    # signature: authority lines (TM./KT./...) or a position line near the end
    for k in range(lo, len(lines)):
        t = _clean_label_line(lines[k].text)
        if _AUTHORITY.match(t) or (_POSITION.match(t) and k > len(lines) - 15):
            auth_lines, pos = [], None
            j = k
            while j < len(lines):
                tt = _clean_label_line(lines[j].text)
                if not tt:
                    j += 1
                    continue
                if _AUTHORITY.match(tt):
                    auth_lines.append(tt)
                elif _POSITION.match(tt) and pos is None:
                    pos = tt
                elif tt.upper() == tt and len(tt) < 60 and not pos and auth_lines:
                    pos = tt
                else:
                    break
                j += 1
            name = None
            while j < len(lines) and not _clean_label_line(lines[j].text):
                j += 1
            if j < len(lines):
                cand = _clean_label_line(lines[j].text)
                if re.match(r"^(?:[\p{Lu}][\p{Ll}]*\s+){1,5}[\p{Lu}][\p{Ll}]*$", cand) and len(cand) < 50:
                    name = cand
                    j += 1
            authority = None
            if auth_lines:
                # "TM. ỦY BAN NHÂN DÂN" + "KT. CHỦ TỊCH": the lowest delegation names the authority
                authority = _title_case_authority(auth_lines[-1])
            if pos is None and auth_lines:
                pos = re.sub(r"^(?:TM|KT|Q|TL|TUQ|TQ)\s*\.\s*", "", auth_lines[-1])
            sig = Signature(
                authority=authority,
                position=_title_case(pos) if pos else None,
                name=name,
                start_line=k,
                span=(lines[k].start, lines[j - 1].end if j - 1 >= k else lines[k].end),
            )
            tail_start = min(tail_start, k)
            break
    return sig, cc, tail_start


def _title_case(s: str) -> str:
    """``PHÓ CHỦ TỊCH`` → ``Phó Chủ tịch`` (the way positions are written in running text)."""
    words = s.lower().split()
    if not words:
        return s
    out = [words[0].capitalize()]
    for i, w in enumerate(words[1:], 1):
        prev = words[i - 1]
        # "Chủ tịch", "Bộ trưởng", "Giám đốc": only the first syllable of a title is capitalised
        out.append(w.capitalize() if prev in {"phó", ","} or prev.endswith(",") else w)
    res = " ".join(out)
    return re.sub(r"\b(chủ tịch|bộ trưởng|thứ trưởng|giám đốc|chủ nhiệm|thủ tướng)\b", lambda m: m.group(1).capitalize(), res)


def _title_case_authority(s: str) -> str:
    m = re.match(r"^(?P<a>(?:TM|KT|Q|TL|TUQ|TQ))\s*\.\s*(?P<rest>.*)$", s)
    if not m:
        return s
    return f"{m.group('a')}. {_title_case(m.group('rest'))}"


# --------------------------------------------------------------- outline ----

_LABELS = [
    ("dieu", re.compile(r"^(?P<l>Điều\s+\d{1,3})\s*[.:]\s*")),
    ("roman", re.compile(r"^(?P<l>[IVX]{1,5})\s*[.)/]\s+")),
    ("num_multi", re.compile(r"^(?P<l>\d{1,2}(?:\.\d{1,2}){1,3})\.?\)?\s+")),
    ("num", re.compile(r"^(?P<l>\d{1,2})\s*[.)/]\s*(?=\p{L}|\*|\"|“|\()")),
    ("alpha", re.compile(r"^(?P<l>[a-zđ])\s*[).]\s+")),
    ("dash", re.compile(r"^(?P<l>[-–—])\s*(?=\S)")),
    ("plus", re.compile(r"^(?P<l>\+)\s*(?=\S)")),
    ("bullet", re.compile(r"^(?P<l>[•·*▪●◦])\s*(?=\S)")),
]


def outline_label(text: str) -> tuple[str, str, int] | None:
    """``(style, label, length of the label prefix)`` or ``None``."""
    for style, rx in _LABELS:
        m = rx.match(text)
        if m:
            label = m.group("l")
            if style == "num" and re.match(r"^\d{1,2}[./]\d", text):
                continue  # a date or number, not a label: "19.4.2023", "846/UBND"
            return style, label, m.end()
    return None


_TERMINAL = re.compile(r"[.:;!?…)\]”\"]\s*$|\./\.\s*$")


def build_paragraphs(text: str, lines: list[Line], start: int, end: int) -> list[Paragraph]:
    """Body lines → paragraphs.  A line that does not end a sentence and a next
    line that starts in lower case are one paragraph (PDF/web line breaks)."""
    paras: list[Paragraph] = []
    cur: list[Line] = []

    def flush():
        if cur:
            s, e = cur[0].start, cur[-1].end
            lead = len(cur[0].text) - len(cur[0].text.lstrip())
            paras.append(Paragraph(s + lead, e, text[s + lead:e]))
            cur.clear()

    pending_blank = False
    for ln in lines[start:end]:
        t = ln.text.strip()
        if not t:
            pending_blank = True
            continue
        if cur:
            prev = cur[-1].text.rstrip()
            joins = (
                not _TERMINAL.search(prev)
                and (t[:1].islower() or prev.endswith(","))
                and outline_label(t) is None
            )
            if not joins:
                flush()
        cur.append(ln)
        pending_blank = False
    flush()
    del pending_blank
    for p in paras:
        lab = outline_label(p.text)
        if lab:
            p.style, p.label, ln_ = lab
            rest = p.text[ln_:]
            lead = len(rest) - len(rest.lstrip())
            p.body_start = p.start + ln_ + lead
        else:
            p.body_start = p.start
    return paras


def mark_furniture(paras: list[Paragraph], is_letter: bool) -> None:
    """Page furniture never becomes an obligation (it stays in the text)."""
    stopped = False
    for idx, p in enumerate(paras):
        t = p.text.strip()
        if stopped:
            p.furniture = "segment_cues:furniture_stop"
            continue
        if (hit := seg("furniture_stop", t)) and len(t) < 120:
            p.furniture = hit[0].rule
            if not is_letter:
                stopped = True
            continue
        if (hit := seg("furniture_line", t)) and len(t) < 200:
            p.furniture = hit[0].rule
            continue
        if seg("caption", t):
            p.furniture = "segment_cues:caption"
            continue
        if p.label is None and not _TERMINAL.search(t) and len(t.split()) <= 30 and idx + 1 < len(paras):
            # headlines, sub-headings, bylines: short lines that end no sentence
            p.furniture = "structure:heading"
            continue
        if p.label is None and len(t.split()) <= 4 and not t.endswith((".", ";")):
            p.furniture = "structure:short_line"


def parse_structure(text: str) -> Structure:
    lines = split_lines(text)
    header = parse_header(lines)
    signature, cc, tail_start = parse_tail(lines, header.end_line)
    is_letter = bool(header.number or header.recipients or header.quoc_hieu or (signature and signature.authority))
    body_start = header.end_line
    paras = build_paragraphs(text, lines, body_start, tail_start)
    mark_furniture(paras, is_letter)
    return Structure(text, lines, header, paras, signature, cc, is_letter)


# ------------------------------------------------------------- sentences ----

_ABBREV = (
    r"(?:TP|Tp|tp|TT|Th\.S|ThS|TS|PGS|GS|BS|KS|Q|P|TX|H|v\.v|Mr|Ms|St|Ths|Nxb|NXB|Đ/c|đ/c|vd|VD|tr|Tr|No|CN)"
)
_SENT_END = re.compile(
    r"(?<!\b" + _ABBREV + r")(?<!\d)([.!?…]+[\"”’)]*|\./\.)(?=\s+[\"“(]?[\p{Lu}\d]|\s*$)"
)


def split_sentences(text: str, base: int = 0) -> list[tuple[int, int, str]]:
    """Sentences inside one paragraph: ``(start, end, text)`` with offsets + ``base``.

    A full stop ends a sentence only when the next word starts with a capital
    or a digit; dates (``19.4.2023``), numbers (``280/CĐ-TTg``), ``TP.HCM``,
    ``v.v.`` and abbreviations do not end one.  ``;`` never does (SPEC §3).
    """
    out: list[tuple[int, int, str]] = []
    pos = 0
    for m in _SENT_END.finditer(text):
        end = m.end()
        seg_text = text[pos:end]
        stripped = seg_text.strip()
        if stripped:
            lead = len(seg_text) - len(seg_text.lstrip())
            out.append((base + pos + lead, base + pos + lead + len(stripped), stripped))
        pos = end
    rest = text[pos:]
    if rest.strip():
        lead = len(rest) - len(rest.lstrip())
        st = rest.strip()
        out.append((base + pos + lead, base + pos + lead + len(st), st))
    # a "sentence" of a few characters (a stray "./.") joins the one before
    merged: list[tuple[int, int, str]] = []
    for s in out:
        if merged and len(s[2]) <= 3:
            ps = merged[-1][0]
            merged[-1] = (ps, s[1], text[ps - base : s[1] - base])
        else:
            merged.append(s)
    return merged
