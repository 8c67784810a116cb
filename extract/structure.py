"""Document structure: header, body paragraphs, outline tree, signature, Nơi nhận.

Structure comes from lines and outline labels first (underthesea's sentence
splitter was measured to merge lines and detach item numbers), then
:func:`split_sentences` works inside a paragraph.

Everything here keeps ``(start, end)`` offsets into the normalised text.  This
module decides *where things are*; it does not decide who acts.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from . import _re as re
from ._literals import find_all
from .patterns import seg

# ---------------------------------------------------------------- lines ----


@dataclass
class Line:
    start: int
    end: int
    text: str


# --------------------------------------------------------------- header ----

_ISSUER_WORDS = re.compile(
    r"^(?:ỦY BAN NHÂN DÂN|UBND|ỦY BAN MẶT TRẬN|BỘ |VĂN PHÒNG|SỞ |TỔNG CỤC|CỤC |BẢO HIỂM XÃ HỘI|THỦ TƯỚNG|CHÍNH PHỦ|TỈNH ỦY|THÀNH ỦY|"
    r"HỘI ĐỒNG NHÂN DÂN|BAN |THANH TRA|KHO BẠC|CÔNG AN|BỘ CHỈ HUY)"
)
DOC_TITLES = {
    "CHỈ THỊ": "chi_thi", "CÔNG ĐIỆN": "cong_dien", "QUYẾT ĐỊNH": "quyet_dinh", "KẾ HOẠCH": "ke_hoach",
    "THÔNG BÁO": "thong_bao", "THÔNG BÁO KẾT LUẬN": "thong_bao", "CHƯƠNG TRÌNH": "chuong_trinh",
    "HƯỚNG DẪN": "huong_dan", "NGHỊ QUYẾT": "nghi_quyet", "CÔNG VĂN": "cong_van", "QUY CHẾ": "quy_che",
    "QUY ĐỊNH": "quy_dinh", "PHƯƠNG ÁN": "phuong_an", "CHƯƠNG TRÌNH HÀNH ĐỘNG": "chuong_trinh",
    "CÔNG ĐIỆN KHẨN": "cong_dien", "BÁO CÁO": "bao_cao", "TỜ TRÌNH": "to_trinh",
}


@dataclass
class Header:
    issuer_text: str | None = None
    issuer_span: tuple[int, int] | None = None
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
    end: int = 0  # character offset where the body starts


@dataclass
class Signature:
    authority: str | None = None
    position: str | None = None
    name: str | None = None
    span: tuple[int, int] = (0, 0)
    chain: list[str] = field(default_factory=list)  # every delegation, e.g. ["TM. Ủy ban nhân dân", "KT. Chủ tịch"]


@dataclass
class Paragraph:
    start: int
    end: int
    text: str
    label: str | None = None  # outline label as written: "1", "a", "-", "II", "Điều 2"
    style: str | None = None  # roman, num, num_multi, alpha, dash, plus, dieu
    body_start: int = 0  # where the text after the label starts
    furniture: str | None = None  # why it is furniture (rule), if it is
    blanks: tuple = ()  # (start, end) of running header/footer lines inside it, read as spaces


@dataclass
class Structure:
    text: str
    header: Header
    paragraphs: list[Paragraph]
    signature: Signature | None
    cc: list[Line]
    is_letter: bool
    body_start: int = 0
    body_end: int = 0


_HZ = 3500  # the header zone: a letter's header never runs longer
_QH_NAME = r"C[ỘO]NG\s+H[ÒO]A\s+X[ÃA]\s+H[ỘO]I\s+CH[ỦU]\s+NGH[ĨI]A\s+VI[ỆE]T\s+NAM"
_QH_MOTTO = r"Độc\s+lập\s*[-–]\s*Tự\s+do\s*[-–]\s*Hạnh\s+phúc"
_QH_ANY = re.compile(_QH_NAME + "|" + _QH_MOTTO, re.I)
# searched apart, each goes faster; a match of one never overlaps one of the other
_QH_PARTS = (re.compile(_QH_NAME, re.I), re.compile(_QH_MOTTO, re.I))
_SO_ANY = re.compile(r"(?:^|\n|\|)[ \t]*Số\s*[:.]?\s*(?P<num>\d[\w./&Đđ-]*(?:\s?[/-]\s?[\w.&Đđ-]+)*)")
_PLACE_DATE_ANY = re.compile(
    r"(?<![\p{L}/-])(?P<place>[\p{Lu}][\p{Ll}]+\.?(?:[ \t][\p{Lu}][\p{Ll}]*\.?){0,3})\s*,\s*ngày\s+(?P<d>\d{1,2})\s*(?:tháng\s*|[/.-]\s*)(?P<m>\d{1,2})\s*(?:năm\s*|[/.-]\s*)(?P<y>\d{4})"
)
_VV_ANY = re.compile(r"(?:^|\n|\||\s)(?:V/v|V/V|v/v)\s*[:.]?\s*")
_VV_WORDS = ("V/v", "V/V", "v/v")
# who a letter is sent to: "Kính gửi:", or a telegram's "CHỦ TỊCH UBND TỈNH điện:" / "THỦ TƯỚNG
# CHÍNH PHỦ điện:" (the addressees follow, inline or as dash lines, as after "Kính gửi:")
_KG_ANY = re.compile(r"Kính\s+gửi\s*:?[ \t|]*"
                     r"|(?:thủ\s+tướng\s+chính\s+phủ|(?:chủ\s+tịch|bộ\s+trưởng)[^\n:]{0,60}?)\s+điện\s*:[ \t|]*", re.I)
# (party letters write "T/M BAN THƯỜNG VỤ", "K/T", "T/L")
_AUTH_MARK = re.compile(r"(?:^|\n|\||\s)(?P<a>TM|KT|Q|TL|TUQ|T/M|K/T|T/L)\s*\.?\s+(?=[\p{Lu}]{2})")
_AUTH_WORDS = ("TM", "KT", "Q", "TL", "TUQ", "T/M", "K/T", "T/L")
_POS_WORDS = (
    r"(?:PHÓ\s+)?(?:CHỦ\s+TỊCH|BỘ\s+TRƯỞNG|THỨ\s+TRƯỞNG|TỔNG\s+GIÁM\s+ĐỐC|GIÁM\s+ĐỐC|CHÁNH\s+VĂN\s+PHÒNG|THỦ\s+TƯỚNG|"
    r"TỔNG\s+CỤC\s+TRƯỞNG|CỤC\s+TRƯỞNG|CHỦ\s+NHIỆM|TRƯỞNG\s+BAN|BÍ\s+THƯ|VIỆN\s+TRƯỞNG|HIỆU\s+TRƯỞNG|"
    r"TRƯỞNG\s+PHÒNG|CHÁNH\s+THANH\s+TRA|CHÁNH\s+ÁN|VIỆN\s+TRƯỞNG)"
)
_POS_RX = re.compile(_POS_WORDS)
_POS_HOLD = ("CHỦ", "TRƯỞNG", "GIÁM", "CHÁNH", "THỦ", "BÍ")  # every position above holds one of these
# a bare position line, then the signer's name
_POSITION_LINE = re.compile(
    r"(?m)^[ \t|]*(?P<pos>" + _POS_WORDS + r")[ \t|]*\n(?:[ \t|]*\n)*[ \t|]*(?P<name>[\p{Lu}][\p{Ll}]+(?:\s+[\p{Lu}][\p{Ll}]+){1,4})[ \t|]*$"
)
_NOI_NHAN_LINE = re.compile(r"(?:^|\n|\|)[ \t]*Nơi\s+nhận\s*:?")
_NAME_END = re.compile(r"(?P<name>[\p{Lu}][\p{Ll}]+(?:\s+[\p{Lu}][\p{Ll}]+){1,4})\s*[;|]?\s*$")


_TITLE_RX = None


def _title_rx():
    """A line that starts with a document title (built on first use, like every table regex)."""
    global _TITLE_RX
    if _TITLE_RX is None:
        title_rx = r"(?P<t>" + "|".join(sorted(map(re.escape, DOC_TITLES), key=len, reverse=True)) + r")\b(?!\s*:)"
        _TITLE_RX = re.compile(r"(?:(?m)^[ \t|]*|(?<=\d{4}[ \t]))" + title_rx)
    return _TITLE_RX


def _title_search(zone: str, pos: int):
    """``_title_rx().search(zone, pos)``, from where the first title word stands: a match starts
    at its title or at the start of the line, with only spaces, tabs and bars between."""
    first = min((i for i in (zone.find(t, pos) for t in DOC_TITLES) if i >= 0), default=-1)
    if first < 0:
        return None
    while first > pos and zone[first - 1] in " \t|":
        first -= 1
    return _title_rx().search(zone, first)


_PLACE_CHAR = re.compile(r"[\p{Lu}\p{Ll}. \t\s]")
_SPACE = re.compile(r"\s")


def _place_date(zone: str):
    """``_PLACE_DATE_ANY.search(zone)``, from where it can start: a match holds ", ngày" (",",
    spaces, "ngày"), and before its comma only letters, dots and spaces, so no match starts
    before the run of those that ends at the first such comma."""
    i = zone.find("ngày")
    while i >= 0:
        j = i
        while j > 0 and _SPACE.match(zone, j - 1):
            j -= 1
        if j > 0 and zone[j - 1] == ",":
            k = j - 1
            while k > 0 and _PLACE_CHAR.match(zone, k - 1):
                k -= 1
            return _PLACE_DATE_ANY.search(zone, k)
        i = zone.find("ngày", i + 1)
    return None


def _search_from(rx, text: str, literals: tuple[str, ...], pos: int = 0):
    """``rx.search(text, pos)`` for a pattern whose matches hold one of ``literals`` (case as
    written) at their start or one character after it: searched from the first of them."""
    first = min((i for i in (text.find(lit, pos) for lit in literals) if i >= 0), default=-1)
    if first < 0:
        return None
    return rx.search(text, max(pos, first - 1))


def _mark_search(text: str, pos: int):
    """``_AUTH_MARK.search(text, pos)``: a match is one separator character (or the start of
    the text) and a mark word, so it is tried only just before each mark word, in order."""
    starts = sorted({i for w in _AUTH_WORDS for i in find_all(text, w, pos)})
    for x in starts:
        for s in (x - 1, x) if x == 0 else (x - 1,):
            if s >= pos:
                m = _AUTH_MARK.match(text, s)
                if m:
                    return m
    return None


def _line_end(text: str, pos: int) -> int:
    e = text.find("\n", pos)
    return len(text) if e < 0 else e


def parse_header(text: str) -> Header:
    """Find the header parts anywhere in the header zone (web copies run them together)."""
    h = Header()
    zone = text[:_HZ]
    ends: list[int] = []
    qh = None  # the last match of _QH_ANY in the zone
    for rx in _QH_PARTS:
        for m in rx.finditer(zone):
            if qh is None or m.start() > qh.start():
                qh = m
    if qh:
        h.quoc_hieu = True
        ends.append(qh.end())
    m = _SO_ANY.search(zone)
    if m:
        num = m.group("num").rstrip(".,;")
        h.number, h.number_span = num, (m.start("num"), m.start("num") + len(num))
        ends.append(h.number_span[1])
    pd = _place_date(zone)
    if pd and (h.number is not None or h.quoc_hieu) and (h.number is None or pd.start() < (h.number_span[1] + 600)):
        h.place = " ".join(pd.group("place").split())
        h.date = (int(pd.group("y")), int(pd.group("m")), int(pd.group("d")))
        h.date_span = (pd.start("place"), pd.end())
        ends.append(pd.end())
    vv = _search_from(_VV_ANY, zone, _VV_WORDS)
    if vv and (h.number is not None or vv.start() < 1500):
        s = vv.end()
        stops = [m.start() for m in (re.compile(r"\n[ \t]*\n").search(zone, s), _KG_ANY.search(zone, s),
                                     _QH_ANY.search(zone, s)) if m]
        if pd and pd.start() > s:
            stops.append(pd.start("place"))
        bar = zone.find("|", s)
        if bar > 0:
            stops.append(bar)
        e = min(stops + [min(len(zone), s + 400)])
        subj = " ".join(zone[s:e].split()).strip(" ,;")
        if subj:
            h.subject, h.subject_span = subj, (s, e)
            ends.append(e)
    kg = _KG_ANY.search(zone)
    if kg and (h.number is not None or h.quoc_hieu or kg.start() < 1200):
        pos = kg.end()
        rest_end = _line_end(text, pos)
        opener = seg("body_opener", text[pos:rest_end])
        if opener:
            rest_end = pos + opener[1].start()  # the body runs on after the addressee
        rest = text[pos:rest_end]
        block_end = kg.end()
        for cell in re.finditer(r"[^|;]+", rest):
            c = cell.group(0).strip(" -–+•.\t")
            if c and len(c) < 250:
                off = pos + cell.start() + cell.group(0).find(c)
                h.recipients.append(Line(off, off + len(c), c))
                block_end = off + len(c)
        j = rest_end + 1 if not opener else len(text)
        while j < len(text):
            le = _line_end(text, j)
            raw = text[j:le]
            t = raw.strip(" |\t")
            if not t:
                j = le + 1
                continue
            mm = re.match(r"^[-–+•]\s*(?P<b>.+?)\s*[;.,]?\s*$", t)
            if mm and len(t) < 250:
                b = mm.group("b").strip(" |")
                off = j + raw.find(b)
                h.recipients.append(Line(off, off + len(b), b))
                block_end = le
                j = le + 1
                continue
            break
        ends.append(block_end)
    # a title line: CHỈ THỊ / QUYẾT ĐỊNH / ... and its subject
    mt = None
    if h.number is not None or h.quoc_hieu:
        # the first title line from 400 characters before the number on (title lines never overlap)
        mt = _title_search(zone, max(0, h.number_span[0] - 400) if h.number_span else 0)
        if mt and ends and mt.start() > max(ends) + 600:
            mt = None  # a title far below the header is an annex's ("BÁO CÁO KẾT QUẢ ..." after the body)
    if mt:
        h.title = DOC_TITLES[mt.group("t").upper()]
        ends.append(_line_end(text, mt.end()))
        if h.subject is None:
            le = _line_end(text, mt.end())
            after = text[mt.end():le].strip()
            if not after:
                nxt = le + 1
                while nxt < len(text) and text[nxt] == "\n":
                    nxt += 1
                le2 = _line_end(text, nxt)
                cand = text[nxt:le2].strip()
                if cand and len(cand) < 300 and not re.match(r"^(?:Số|Kính gửi|\d+\.|Căn cứ|Thực hiện)", cand) \
                        and outline_label(cand) is None:  # "Điều 1. ..." opens the body, it is no subject
                    h.subject = re.sub(r"^(?:Về việc|VỀ VIỆC|Về|VỀ)\s*[:.]?\s*", "", cand)
                    h.subject_span = (nxt, le2)
                    ends.append(le2)
            else:
                h.subject = re.sub(r"^(?:Về việc|VỀ VIỆC|Về|VỀ)\s*[:.]?\s*", "", after)
                h.subject_span = (mt.end(), le)
    # issuer: the upper-case agency words of the header, before "Số:" / the quốc hiệu
    stop = min([x for x in (h.number_span[0] if h.number_span else None,
                            h.date_span[0] if h.date_span else None) if x is not None] or [0])
    if stop:
        head = _QH_ANY.sub(" ", zone[:stop])
        runs: list[list[tuple[int, int, str]]] = [[]]
        for m in re.finditer(r"\S+", head):
            tok = m.group(0).strip("|,;:")
            if tok and (tok in {"&", "-"} or (len(tok) >= 2 or tok in {"Y"}) and tok.isupper() and re.fullmatch(r"[\p{Lu}&-]+", tok)):
                runs[-1].append((m.start(), m.end(), tok))
            elif runs[-1]:
                runs.append([])
        chunks = [r for r in runs if r and (_ISSUER_WORDS.match(" ".join(t for _, _, t in r) + " ")
                                           or r[0][2] in {"TỈNH", "HUYỆN", "THÀNH", "XÃ", "QUẬN", "THỊ"})]
        if chunks:
            h.issuer_text = " ".join(" ".join(t for _, _, t in r) for r in chunks)
            h.issuer_span = (chunks[0][0][0], chunks[-1][-1][1])
    h.end = max(ends) if ends else 0
    if h.end:
        h.end = _line_end(text, h.end) if not h.recipients else h.end
    return h


def parse_tail(text: str, body_start: int) -> tuple[Signature | None, list[Line]]:
    """Signature block and Nơi nhận list (they are marked in the body, not cut from it)."""
    lo = max(body_start, int(len(text) * 0.4), len(text) - 4000)
    cc: list[Line] = []
    nn = None
    tail = text[lo:]
    first = tail.find("Nơi")  # every match holds it, after spaces or tabs after a separator
    if first >= 0:
        while first > 0 and tail[first - 1] in " \t":
            first -= 1
        for m in _NOI_NHAN_LINE.finditer(tail, max(0, first - 1)):
            nn = m
    if nn:
        j = lo + nn.end()
        first = text[j:_line_end(text, j)].strip(" |")
        if first and not _AUTH_MARK.match(" " + first):
            cc.append(Line(j, _line_end(text, j), first))
        j = _line_end(text, j) + 1
        while j < len(text):
            le = _line_end(text, j)
            t = text[j:le].strip(" |\t")
            if not t:
                j = le + 1
                continue
            mm = re.match(r"^[-–+•]\s*(?P<b>.+)$", t)
            if not mm:
                break
            b = mm.group("b").strip()
            # "- Lưu: VT, BH. KT. BỘ TRƯỞNG ..." : the signature may follow on the same line
            am = _AUTH_MARK.search(" " + b)
            if am and am.start() > 0:
                b = b[: am.start() - 1].strip()
            off = j + text[j:le].find(b[:10]) if b else j
            cc.append(Line(off, off + len(b), b))
            j = le + 1
    sig = None
    first_mark = _mark_search(text, lo)
    if first_mark:
        s0 = first_mark.start("a")
        seg_end = min(len(text), s0 + 400)
        nn_after = re.search(r"Nơi\s+nhận", text[s0:seg_end])
        if nn_after:
            seg_end = s0 + nn_after.start()
        block = text[s0:seg_end]
        # ("(Đã ký)" / "(Đã ký và đóng dấu)" between the position and the name: a copy's note)
        toks = re.sub(r"(?i)\(\s*(?:đã\s+ký|ký)[^()]{0,20}\)|\[\s*đã\s+ký\s*\]", " ", block).replace("|", " ").split()
        k = 0
        while k < len(toks) and (toks[k].upper() == toks[k] and re.search(r"\p{Lu}", toks[k]) and (len(toks[k]) >= 2 or toks[k] in {"&"})):
            k += 1
        upper_part = re.sub(r"\b([TK])/([MTL])\b", r"\1\2", " ".join(toks[:k]))  # "T/M" is "TM"
        name = None
        nm = re.match(r"^(?P<name>[\p{Lu}][\p{Ll}]+(?:\s+[\p{Lu}][\p{Ll}]*){1,4})(?!\s*[\p{Ll}])", " ".join(toks[k:k + 6]))
        if nm:
            name = nm.group("name")
        # split the upper-case part into delegations and the position
        pieces = re.split(r"\s*\b(?=(?:TM|KT|Q|TL|TUQ)\s*\.?\s)", upper_part)
        auths = [p.strip() for p in pieces if re.match(r"^(?:TM|KT|Q|TL|TUQ)\b", p.strip())]
        position = None
        authority = None
        if auths:
            last = auths[-1]
            body = re.sub(r"^(?:TM|KT|Q|TL|TUQ)\s*\.?\s*", "", last)
            pos_hits = list(_POS_RX.finditer(body))
            if len(pos_hits) >= 2 and body[pos_hits[-2].end():pos_hits[-1].start()].strip() == ",":
                pos_hits = pos_hits[:-1] if len(pos_hits) > 2 else []
            # one position after the body signed for: "KT. CHỦ TỊCH PHÓ CHỦ TỊCH"; with "TM." only in a
            # Party letter ("T/M BAN THƯỜNG VỤ / PHÓ BÍ THƯ" names who signs for the committee)
            if len(pos_hits) >= 2 or (pos_hits and pos_hits[-1].start() > 0 and (
                    re.match(r"^(?:KT|Q|TL|TUQ)", last)
                    or (last.startswith("TM") and "BÍ THƯ" in body[pos_hits[-1].start():]))):
                cut = pos_hits[-1].start()
                position = body[cut:].strip(" ,")
                body = body[:cut].strip(" ,")
            mk = re.match(r"^(TM|KT|Q|TL|TUQ)", last).group(1)
            authority = f"{mk}. {_title_case(body)}" if body else None
            if position is None and mk == "TM":
                position = None
            elif position is None:
                position = body
        chain = []
        for a_ in auths:
            mk_ = re.match(r"^(TM|KT|Q|TL|TUQ)\s*\.?\s*", a_)
            rest_ = a_[mk_.end():]
            if a_ is auths[-1] and position and rest_.endswith(position):
                rest_ = rest_[: len(rest_) - len(position)].strip(" ,")
            chain.append(f"{mk_.group(1)}. {_title_case(rest_)}" if rest_ else mk_.group(1) + ".")
        sig = Signature(authority, _title_case(position) if position else None, name, (s0, seg_end), chain)
    else:
        # no delegation: a bare position line then a name near the end
        m = None
        tail = text[lo:]
        if any(w in tail for w in _POS_HOLD):
            for m in _POSITION_LINE.finditer(tail):
                pass
        if m:
            sig = Signature(None, _title_case(m.group("pos")), m.group("name"), (lo + m.start("pos"), lo + m.end("name")))
    return sig, cc


def _title_case(s: str) -> str:
    """``PHÓ CHỦ TỊCH`` → ``Phó Chủ tịch`` (the way positions are written in running text)."""
    words = " ".join(s.split()).lower()
    if not words:
        return s
    words = re.sub(
        r"\b(chủ tịch|bộ trưởng|thứ trưởng|giám đốc|chủ nhiệm|thủ tướng|cục trưởng|trưởng ban|bí thư|chánh văn phòng|"
        r"tổng giám đốc|viện trưởng|hiệu trưởng|trưởng phòng|chánh thanh tra)\b",
        lambda m: m.group(1)[0].upper() + m.group(1)[1:],
        words,
    )
    words = re.sub(r"\b(ủy ban nhân dân|hội đồng nhân dân)\b", lambda m: m.group(1)[0].upper() + m.group(1)[1:], words)
    words = re.sub(r"\bvpcp\b", "VPCP", words)
    words = re.sub(r"\bban thường vụ\b", "Ban Thường vụ", words)
    return words[0].upper() + words[1:]


# --------------------------------------------------------------- outline ----

_LABELS = [
    ("dieu", re.compile(r"^(?P<l>Điều\s+\d{1,3})\s*[.:]\s*")),
    ("roman", re.compile(r"^(?P<l>[IVX]{1,5})\s*[.)/]\s+")),
    ("num_multi", re.compile(r"^(?P<l>\d{1,2}(?:\.\d{1,2}){1,3})\.?\)?\s+")),
    ("num", re.compile(r"^(?P<l>\d{1,2})\s*[.)/]\s*(?=\p{L}|\*|\"|“|\()")),
    ("alpha_num", re.compile(r"^(?P<l>[a-zđ]\.\d{1,2})\s*[).]\s+")),  # "a.1)", "b.2." under "a)", "b)"
    ("alpha", re.compile(r"^(?P<l>[a-zđ])\s*[).]\s+")),
    ("dash", re.compile(r"^(?P<l>[-–—])\s*(?=\S)")),
    ("plus", re.compile(r"^(?P<l>\+)\s*(?=\S)")),
    ("bullet", re.compile(r"^(?P<l>[•·*▪●◦])\s*(?=\S)")),
]


# every label above starts with one of these or a digit (\d: any decimal digit)
_LABEL_FIRST = frozenset("ĐIVXabcdefghijklmnopqrstuvwxyzđ-–—+•·*▪●◦")


def _no_label_at(c: str) -> bool:
    """No label (of ``_LABELS`` or ``_LABEL_ONLY``) starts with the character ``c`` (a letter is
    never a digit)."""
    return c not in _LABEL_FIRST and (c.isascii() or c.isalpha()) and not c.isdigit()


def outline_label(text: str) -> tuple[str, str, int] | None:
    """``(style, label, length of the label prefix)`` or ``None``."""
    if _no_label_at(text[:1]):
        return None
    for style, rx in _LABELS:
        m = rx.match(text)
        if m:
            label = m.group("l")
            if style == "num" and re.match(r"^\d{1,2}(?:[./]\d|/)", text):
                continue  # a date or number, not a label: "19.4.2023", "846/UBND", "33/TTr-SLĐTBXH"
            return style, label, m.end()
    return None


_SENTENCE_END = re.compile(r"(?:[.:;!?…][\"”’)]*|\./\.)\s*$")
_TERMINAL = re.compile(r"[.:;!?…)\]”\"]\s*$|\./\.\s*$")


def _plain(c: str) -> bool:
    """ASCII or a letter: at the end of a stripped text such a character is never ``\\s``
    (``\\s`` is a subset of what ``str.strip`` removes)."""
    return c.isascii() or c.isalpha()


def _ends_sentence(t: str) -> bool:
    """``_SENTENCE_END.search(t)`` for a stripped ``t``."""
    u = t.rstrip("\"”’)")
    c = u[-1:]
    if c in (".", ":", ";", "!", "?", "…"):
        return True
    if c and _plain(c) and _plain(t[-1]):
        return False
    return _SENTENCE_END.search(t) is not None


def _terminal(t: str) -> bool:
    """``_TERMINAL.search(t)`` for a right-stripped ``t``."""
    c = t[-1:]
    if c and c in ".:;!?…)]”\"":
        return True
    if not c or _plain(c):
        return False
    return _TERMINAL.search(t) is not None


_TRAILING_LABEL = re.compile(r"\s(?P<l>\d{1,2}(?:\.\d{1,2}){1,3})\.?$")
_LABEL_ONLY = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2}){0,3}|[a-zđ]|[IVX]{1,5}|Điều\s+\d{1,3})\s*[.)]?$")
_EMBEDDED_SECTION = re.compile(r"\.\s(?P<l>[IVX]{1,4})\.\s+(?=[\p{Lu}]{2})")


def _label_only(t: str) -> bool:
    if _no_label_at(t[:1]):
        return False
    if len(t) > 12 and not t[11:-1].isspace():
        return False  # a label is at most 11 characters, then \s* (all str.isspace) and [.)]?
    return _LABEL_ONLY.match(t) is not None


@lru_cache(maxsize=1)
def _dash_names() -> tuple[tuple[str, str], ...]:
    """(left, right) halves of the gazetteer's names written with a dash ("Lao động" / "Thương
    binh và Xã hội"): a line wrapped at that dash starts "- Thương binh ..." and is no bullet."""
    from .agencies import gazetteer

    out = set()
    for e in gazetteer():
        for name in (e.name, *e.aliases):
            if " - " in name:
                left, right = name.split(" - ", 1)
                out.add((" ".join(left.split()[-2:]), " ".join(right.split()[:2])))
    return tuple(sorted(out))


def _wrapped_at_dash(prev: str, line: str) -> bool:
    """``... Sở Lao động`` then ``- Thương binh và Xã hội ...``: one name broken at its dash."""
    if not line.startswith(("- ", "– ")):
        return False
    rest = line[2:].lstrip()
    return any(prev.endswith(left) and rest.startswith(right) for left, right in _dash_names())


def _wrap_width(lengths: list[int]) -> int | None:
    """The width a text was wrapped at (a PDF's text layer, a letter typed with hard line breaks),
    or None when its lines are paragraphs (web copies: lines of any length, many very long).
    Wrapped: most body lines are near the longest usual line, and that is no longer than a page."""
    ls = sorted(n for n in lengths if n >= 40)  # body lines; headers and headings are short
    if len(ls) < 3:
        return None
    p90 = ls[(len(ls) - 1) * 9 // 10]
    if p90 > 130 or sum(n >= 0.7 * p90 for n in ls) < 0.6 * len(ls):
        return None
    return p90


# the last word of a line broken in the middle of a sentence (an object or a name comes next)
_DANGLING = re.compile(r"(?<![\p{L}\-/_])(?:của|và|với|cho|về|tại|các|những|để|theo|trên|trong|từ|đến|hoặc|nhằm|gồm"
                       r"|(?<!(?:sự|theo|ứng)\s)(?:chỉ\s+đạo|yêu\s+cầu|đề\s+nghị)|phối\s+hợp|là)$")


def build_paragraphs(text: str, start: int, end: int) -> list[Paragraph]:
    """Body text → paragraphs.  A line that does not end a sentence and a next
    line that starts in lower case are one paragraph (PDF/web line breaks)."""
    paras: list[Paragraph] = []
    cur: list[tuple[int, int, str]] = []

    def flush():
        if cur:
            s, e = cur[0][0], cur[-1][1]
            paras.append(Paragraph(s, e, text[s:e]))
            cur.clear()

    # physical lines (start, end) with two repairs of web copies:
    #  * a label left at the end of the previous line ("... tiến bộ 1.1" / "Tổ chức ...")
    #    moves to the line it numbers;
    #  * a label alone on its line ("1.4.") joins the next line.
    spans: list[list[int]] = []
    pos = start
    for raw in text[start:end].split("\n"):
        t = raw.strip(" \t|")
        if t:
            off = pos + len(raw) - len(raw.lstrip(" \t|"))  # where t is in raw
            spans.append([off, off + len(t)])
        pos += len(raw) + 1
    for k in range(len(spans) - 1):
        s0, e0 = spans[k]
        last = text[e0 - 1]
        if last != "." and (last.isascii() or last.isalpha()) and not last.isdigit():
            continue  # _TRAILING_LABEL ends at the end of the line with \d or "."
        m = _TRAILING_LABEL.search(text, max(s0, e0 - 13), e0)  # \s + 2 + 3 * 3 + "."
        nxt = text[spans[k + 1][0]:spans[k + 1][1]]
        if m and m.start("l") > s0 and nxt[:1].isupper() and outline_label(nxt) is None:
            spans[k][1] = m.start("l") - (1 if text[m.start("l") - 1] == " " else 0)
            spans[k + 1][0] = m.start("l")
    width = _wrap_width([e - s for s, e in spans])
    dropped: list[tuple[int, int]] = []
    if width is not None:
        # a PDF's page numbers ("2", "- 3 -", "Trang 4") on lines of their own belong to no
        # paragraph: one that runs over a page break goes on after them
        pages = {k for k, sp in enumerate(spans) if _PAGE_NUMBER.match(text, sp[0], sp[1])}
        # a running header or footer: a line that stands next to two page numbers or more, the same
        # each time ("UBND TỈNH NGHỆ AN - VĂN PHÒNG" above "Trang 2/3")
        near: dict[str, list[int]] = {}
        for k in pages:
            for j in (k - 2, k - 1, k + 1, k + 2):
                if 0 <= j < len(spans) and j not in pages:
                    near.setdefault(text[spans[j][0]:spans[j][1]], []).append(j)
        # (or next to one page number and written the same elsewhere, in the header too: a first page
        # carries no number)
        running = {j for t, js in near.items()
                   if (len(set(js)) >= 2 or (len(t) < 120 and text.count(t) >= 2)) and any(c.isalpha() for c in t)
                   for j in js}
        dropped = [tuple(spans[j]) for j in sorted(running)]
        spans = [sp for k, sp in enumerate(spans) if k not in running and k not in pages]
    merged: list[list[int]] = []
    for sp in spans:
        if merged and (_label_only(text[merged[-1][0]:merged[-1][1]])
                       or _wrapped_at_dash(text[merged[-1][0]:merged[-1][1]], text[sp[0]:sp[1]])):
            merged[-1][1] = sp[1]
        else:
            merged.append(sp)
    for s0, e0 in merged:
        if e0 <= s0:
            continue
        t = text[s0:e0]
        # a site header with a section label inside: "Quyết định 435/QĐ-UBND năm 2020. CHƯƠNG TRÌNH ... II. NỘI DUNG"
        em = _EMBEDDED_SECTION.search(t) if ("I." in t or "V." in t or "X." in t) else None
        if em and outline_label(t) is None:
            flush()
            paras.append(Paragraph(s0, s0 + em.start("l"), text[s0:s0 + em.start("l")]))
            s0 = s0 + em.start("l")
            t = text[s0:e0]
        if cur:
            prev = cur[-1][2].rstrip()
            joins = (
                # a full line of a wrapped text that stops mid-sentence goes on ("... yêu cầu" / "Giám đốc ...");
                # so does a clause after ";" that goes on in lower case ("... chưa nghiêm;" / "việc chỉ đạo ...")
                (not _terminal(prev) or (prev.endswith(";") and t[:1].islower()))
                and (t[:1].islower() or prev.endswith(",")
                     or (width is not None and len(prev) >= 0.75 * width and not mostly_upper(prev))
                     # "...; chỉ đạo" / "Đài Truyền thanh các xã ...": a word that cannot end a sentence
                     or (len(prev) >= 60 and _DANGLING.search(prev[-16:]) is not None))
                and outline_label(t) is None
                # a table row (cells joined by " | ") is a line of its own
                and " | " not in t and " | " not in prev
            )
            if not joins:
                flush()
        cur.append((s0, e0, t))
    flush()
    if width is not None and dropped:
        for p in paras:
            p.blanks = tuple(d for d in dropped if p.start <= d[0] and d[1] <= p.end)
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


_UPPER = re.compile(r"\p{Lu}")
_LOWER = re.compile(r"\p{Ll}")


def mostly_upper(t: str) -> bool:
    """A heading written in capitals ("I. MỤC ĐÍCH, YÊU CẦU"); counted in C, not per character in Python."""
    if len(t) > 600:
        return False
    # upper + lower <= n (spaces are neither), so up <= 4 * low once 5 * low >= n;
    # a few common lower-case letters counted by str.count already show that for prose
    n = len(t) - t.count(" ")
    if 5 * (t.count("n") + t.count("h") + t.count("t") + t.count("c") + t.count("i") + t.count("g")) >= n:
        return False
    up, low = len(_UPPER.findall(t)), len(_LOWER.findall(t))
    return up > 3 and up > 4 * low


def _prose_next(paras: list[Paragraph], idx: int) -> bool:
    """Whether the paragraph after ``paras[idx]`` is running prose (long, ending a sentence): the
    article goes on after a link set inside it, where a list of related titles would not."""
    if idx + 1 >= len(paras):
        return False
    t = paras[idx + 1].text.strip()
    return len(t) >= 200 and _ends_sentence(t)


def mark_furniture(paras: list[Paragraph], is_letter: bool, tail_from: int | None = None) -> None:
    """Page furniture never becomes an obligation (it stays in the text).  On a news page a
    ``furniture_stop`` line (related articles, comments) ends the page; in a letter it does so only
    after the signature (``tail_from``): a portal's "Các văn bản khác" list below the letter."""
    stopped = False
    for idx, p in enumerate(paras):
        t = p.text.strip()
        if p.furniture:
            continue
        if stopped:
            p.furniture = "segment_cues:furniture_stop"
            continue
        if len(t) < 200 and not is_letter and (hit := seg("furniture_link", t)) and _prose_next(paras, idx):
            p.furniture = hit[0].rule  # one link inside the article: the article goes on
            continue
        if len(t) < 120 and (hit := seg("furniture_stop", t)):
            p.furniture = hit[0].rule
            if not is_letter or (tail_from is not None and p.start >= tail_from):
                stopped = True
            continue
        if len(t) < 200 and (hit := seg("furniture_line", t)):
            p.furniture = hit[0].rule
            continue
        if seg("caption", t):
            p.furniture = "segment_cues:caption"
            continue
        if p.label is None and mostly_upper(t):
            p.furniture = "structure:upper_case_heading"
            continue
        if p.label is None and not _ends_sentence(t) and len(t.split()) <= 30 and idx + 1 < len(paras):
            # headlines, sub-headings, bylines: short lines that end no sentence
            p.furniture = "structure:heading"
            continue
        if p.label is None and len(t.split()) <= 4 and not t.endswith((".", ";")):
            p.furniture = "structure:short_line"


_NOI_NHAN = re.compile(r"^Nơi\s+nhận\b")


def parse_structure(text: str) -> Structure:
    header = parse_header(text)
    signature, cc = parse_tail(text, header.end)
    is_letter = bool(header.number or header.recipients or header.quoc_hieu or (signature and signature.authority))
    body_start = header.end
    # The body runs to the end: an attached plan may follow the signature.  The
    # signature block and Nơi nhận lines are marked, not cut.
    paras = build_paragraphs(text, body_start, len(text))
    tail_spans = [ln for ln in cc]
    if signature:
        tail_spans.append(Line(signature.span[0], signature.span[1], ""))
    in_cc = False
    for p in paras:
        noi_nhan = p.text.startswith("Nơi") and _NOI_NHAN.match(p.text) is not None
        if any(p.start < t.end and t.start < p.end for t in tail_spans) or noi_nhan:
            p.furniture = "structure:signature_or_cc"
            in_cc = noi_nhan or in_cc
            continue
        # a Nơi nhận list in the middle (a decision, then the plan it issues): its dash lines
        if in_cc and p.style in {"dash", "plus", "bullet"} and len(p.text) < 200:
            p.furniture = "structure:cc"
            continue
        in_cc = False
    mark_furniture(paras, is_letter, signature.span[1] if signature else None)
    text = _unwrap(text, paras)
    return Structure(text, header, paras, signature, cc, is_letter, body_start, len(text))


# a page number on a line of its own: "2", "- 2 -", "Trang 2"
def _page_number(space: str) -> str:
    # "2", "- 3 -", "Trang 4", "Trang 2/5"
    return rf"(?:[-–]{space}*)?(?:[Tt]rang{space}+\d{{1,3}}(?:{space}*/{space}*\d{{1,3}})?|\d{{1,3}})(?:{space}*[-–])?"


_PAGE_NUMBER = re.compile(_page_number(r"\s") + "$")  # a stripped line
_PAGE_NUMBER_LINE = re.compile(r"(?m)^[ \t]*" + _page_number(r"[ \t]") + r"[ \t]*$")  # one in a paragraph


def blank_spans(text: str, spans, base: int = 0) -> str:
    """``text`` (which starts at offset ``base``) with each ``(start, end)`` of ``spans`` (in order,
    not overlapping) written as spaces: the same length, so every offset stays."""
    if not spans:
        return text
    parts, pos = [], 0
    for a, b in spans:
        parts += [text[pos:a - base], " " * (b - a)]
        pos = b - base
    parts.append(text[pos:])
    return "".join(parts)


def _unwrap(text: str, paras: list[Paragraph]) -> str:
    """``text`` with the line breaks inside each body paragraph made spaces (same length, so every
    offset stays): a paragraph wrapped by a PDF or by hand ("... ban hành kèm theo Quyết định\nsố
    4210/QĐ-BYT") reads as one line in every later stage.  Breaks between paragraphs stay."""
    if not any("\n" in p.text for p in paras):
        return text
    parts, pos = [], 0
    for p in paras:
        if "\n" in p.text:
            # a page number inside the paragraph is blanked out as well, and so is a running
            # header or footer line (see build_paragraphs)
            t = blank_spans(p.text, p.blanks, p.start)
            p.text = _PAGE_NUMBER_LINE.sub(lambda m: " " * len(m.group(0)), t).replace("\n", " ")
            parts += [text[pos:p.start], p.text]
            pos = p.end
    parts.append(text[pos:])
    return "".join(parts)


# ------------------------------------------------------------- sentences ----

_ABBREV = (
    r"(?:TP|Tp|tp|TT|Th\.S|ThS|TS|PGS|GS|BS|KS|Q|P|TX|H|v\.v|Mr|Ms|St|Ths|Nxb|NXB|Đ/c|đ/c|vd|VD|tr|Tr|No|CN)"
)
_SENT_END = re.compile(
    r"(?<!\b" + _ABBREV + r")(?<!(?:^|\s)\d{1,2})([.!?…]+[\"”’)]*|\./\.)(?=\s+[\"“(]?[\p{Lu}\d]|\s*$)"
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
