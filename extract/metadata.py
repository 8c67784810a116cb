"""Document metadata: format (letter or news), type, number, date, issuer, place,
recipients, signer and Nơi nhận, and the context (province, district, date) that
agency recognition needs.

For a letter these come from its header and signature; for a news article they
describe the directive it reports ("UBND thành phố Hà Nội ban hành Công văn số
3031/UBND-TKBT ...").  Reads the :class:`~extract.structure.Structure`; asks the
gazetteer (``extract.agencies``) to read agency names.
"""
from __future__ import annotations

import datetime as dt
from itertools import islice

from . import _re as re
from . import agencies
from ._literals import find_all
from .models import Agency, Document, Signer
from .structure import Structure

_REPORTED = re.compile(
    r"(?P<name>Công văn|Chỉ thị|Công điện|Quyết định|Kế hoạch|Thông báo(?: kết luận)?|Nghị quyết|Hướng dẫn|Chương trình|Văn bản)"
    r"(?P<khan>\s+(?:khẩn|hỏa tốc))?\s*(?:(?:số|số:)\s*)*:?\s*(?P<num>\d+(?:\s*[/-]\s*[\w.&Đđ]+)*)"
    r"(?P<tail>[\s,]*(?:ngày\s+)?(?P<date>\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}))?",
    re.IGNORECASE,
)
# every match of _REPORTED starts with one of these names (any case)
_REPORTED_NAMES = ("công văn", "chỉ thị", "công điện", "quyết định", "kế hoạch", "thông báo", "nghị quyết",
                   "hướng dẫn", "chương trình", "văn bản")
_REPORT_CTX = re.compile(
    r"(?:ban hành|banh|ký|gửi|theo|vừa|đã|(?:xem|chi tiết)(?: chi tiết)? tại)\s*(?:ký\s+)?(?:ban hành\s+)?$|^\s*\(?\s*$",
    re.IGNORECASE
)
# "Thủ tướng Chính phủ điện: ...", "Chủ tịch UBND tỉnh điện: ..." open a công điện
_TELEGRAM_FROM = r"(?:Thủ tướng Chính phủ|Chủ tịch [^\n:]{0,40}) điện"
_FIRST_NAMED = re.compile(
    r"\b(?P<name>Công văn|Chỉ thị|Công điện|Kế hoạch|Quyết định|Thông báo kết luận|Thông báo|Nghị quyết|Hướng dẫn)\b"
    r"|" + _TELEGRAM_FROM + ":"
)
_TELEGRAM = re.compile(_TELEGRAM_FROM + r"\s*:")
_THIS_DOC = re.compile(r"\b(?P<name>công văn|chỉ thị|công điện|quyết định|kế hoạch|thông báo) này\b", re.IGNORECASE)
# a news lead's dateline: "Ngày 10/7, ...", "HNP - Ngày 10/7/2024, ...", "Chiều nay 27.9, ...", "Ngày 3-11, ..."
_SENTENCE_START = re.compile(r"(?:^|[.!?\n])\s*$")
# "... do Thứ trưởng Bộ Y tế ký ngày 22/5": who signed it, then a day and month
_SIGNED_ON = re.compile(r"[^.;\n]{0,80}?\bký\s+(?:ban\s+hành\s+)?ngày\s+(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})(?!\s*[/.-]\s*\d)")
_DATELINE = re.compile(r"(?:^|\n)\s*(?:HNP\s*-\s*|[\p{Lu}]{2,10}\s*-\s*|\(\s*[\p{Lu}][\p{L}.]{1,15}(?:\s[\p{L}.]{1,15})?\s*\)\s*[-–]\s*)?"
                       r"(?:Ngày\s+|(?:Sáng|Chiều|Tối|Trưa)(?:\s+(?:nay|hôm\s+nay))?\s+(?:ngày\s+)?)"
                       r"(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})(?:\s*(?P=sep)\s*(?P<y>\d{4}))?\s*,")
_YEAR_ANY = re.compile(r"\b(?:\d{1,2}[/.]\d{1,2}[/.](?P<y>(?:19|20)\d{2}))\b")
# "<who> [đã|vừa] [ký] ban hành / ký / yêu cầu ...": who is 3..160 characters without . ; : or a
# line break.  Searched as such, the lazy ``who`` is tried at every position for every length; see
# _issuer_matches for the same matches found from where the tail can start.
_ISSUER_TAIL = r"(?:đã\s+|vừa\s+)?(?:ký\s+)?(?:ban hành|banh|ký|yêu cầu|chỉ đạo|có ý kiến)\b"
_ISSUER_BEFORE = re.compile(r"(?P<who>[^.;:\n]{3,160}?)\s+" + _ISSUER_TAIL)
_ISSUER_TAIL_RX = re.compile(_ISSUER_TAIL)
_ISSUER_TAIL_STARTS = ("đã", "vừa", "ký", "ban hành", "banh", "yêu cầu", "chỉ đạo", "có ý kiến")  # its first words
_WHO_MIN, _WHO_MAX, _WHO_STOPS = 3, 160, ".;:\n"
_SPACE = re.compile(r"\s")



_NARRATION = re.compile(
    r"(?i)\b(?:công văn|chỉ thị|công điện|thông báo|quyết định|kế hoạch|văn bản)(?: khẩn)? (?:nêu rõ|cho biết|nhấn mạnh)\b"
    r"|\b(?:công văn|chỉ thị|công điện|kế hoạch)(?: này)? (?:của [^.\n]{3,60} )?gửi\b|\btheo (?:công văn|chỉ thị|kế hoạch|công điện) này\b"
)


def _reported_matches(text: str):
    """The matches of ``_REPORTED.finditer(text)``, read only where one of its names stands.

    The names are found in the lower-cased text; lower-casing stands in for IGNORECASE as in
    :mod:`extract.patterns` (``_FOLD_SAFE``), when it keeps every offset (no "İ") and no "ſ" is there.
    """
    low = text.lower()
    if len(low) != len(text) or "\u017f" in text:
        yield from _REPORTED.finditer(text)
        return
    end = 0
    for c in sorted({i for name in _REPORTED_NAMES for i in find_all(low, name)}):
        if c < end:
            continue
        m = _REPORTED.match(text, c)
        if m:
            yield m
            end = m.end()


def _issuer_matches(text: str):
    """The matches of ``_ISSUER_BEFORE.finditer(text)``.

    A match is ``who`` (text[p:q]), then a run of spaces from q to e, then the tail at e.  The tail
    starts with a word of _ISSUER_TAIL_STARTS, so it is tried only where one stands; the spaces
    before it are all taken by ``\\s+`` (the tail starts with a letter), so every q in that run
    qualifies; and the first start p that reaches such a q is ``max(q - 160, just after the last
    . ; : or line break before q)``, which grows with q.  Each match is then read at its start
    with ``_ISSUER_BEFORE.match``, exactly as the search would read it there.
    """
    starts = sorted({i for lit in _ISSUER_TAIL_STARTS for i in find_all(text, lit)})
    qs: list[tuple[int, int]] = []  # (q, the first p that reaches it) in increasing q
    for e in starts:
        if e == 0 or not _SPACE.match(text, e - 1) or not _ISSUER_TAIL_RX.match(text, e):
            continue
        rs = e - 1
        while rs > 0 and _SPACE.match(text, rs - 1):
            rs -= 1
        # just after the last stop before q (read once, then carried along the run of spaces)
        after_stop = max(text.rfind(c, max(0, rs - _WHO_MAX), rs) for c in _WHO_STOPS) + 1
        for q in range(rs, e):
            if q > rs and text[q - 1] in _WHO_STOPS:
                after_stop = q
            first = max(0, q - _WHO_MAX, after_stop)
            if q >= _WHO_MIN and first <= q - _WHO_MIN:
                qs.append((q, first))
    pos = 0
    for q, first in qs:
        if q - _WHO_MIN < pos:
            continue
        m = _ISSUER_BEFORE.match(text, max(first, pos))
        yield m
        pos = m.end()


def _narrates(st: Structure) -> bool:
    """A text without a letter header is news when it narrates ("UBND tỉnh ban hành Công văn ...",
    "Công văn nêu rõ", a dated byline); a portal page that quotes the letter's own words is the letter."""
    from .patterns import seg

    for p in st.paragraphs:
        t = p.text[:400]
        if seg("report_verb", t) or _NARRATION.search(t):
            return True
        # a page's dated byline: "09/06/2023 10:53", "Thứ năm, 23/5/2024, 14:12 (GMT+7)", "(10:53 09/06/2023)"
        if p.furniture and re.search(r"\d{1,2}[/.]\d{1,2}[/.]\d{4},?\s+\d{1,2}:\d{2}|\(\d{1,2}:\d{2} \d{1,2}/\d{1,2}/\d{4}\)", t):
            return True
    return False


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None



def fill_metadata(doc: Document, st: Structure, ctx: "agencies.AgencyContext") -> None:
    """Fill the document-level fields of ``doc`` from its structure (SPEC §2)."""
    from .doctypes import doc_type_from_name, doc_type_from_number, normalize_number

    h = st.header
    doc.format = "letter" if st.is_letter or not _narrates(st) else "news"
    if h.number:
        doc.number = normalize_number(h.number)
    if h.date:
        doc.issued_date = _iso(*h.date)
    doc.place = h.place
    doc.subject = h.subject
    if h.title:
        doc.doc_type = h.title
    text = st.text
    reported = None
    if not doc.number:
        for m in _reported_matches(text[:6000]):
            before = text[max(0, m.start() - 40):m.start()]
            # (a news page may open a sentence with it: "Công văn số 2918/BYT-KCB do Thứ trưởng ký ngày 22/5, ...")
            if _REPORT_CTX.search(before) or (doc.format == "news" and _SENTENCE_START.search(before)):
                reported = m
                break
        if reported:
            from .dates import parse_date

            doc.number = normalize_number(reported.group("num"))
            # the date may come with this mention or with a later one of the same number
            for m in [reported] + list(_reported_matches(text)):
                if m.group("date") and normalize_number(m.group("num")) == doc.number:
                    d = parse_date(m.group("date"))
                    if d:
                        doc.issued_date = d.isoformat()
                        break
            if not doc.issued_date and doc.format == "news":
                # "... do Thứ trưởng ký ngày 22/5": a day and month after the number, the year from the page
                dm = _SIGNED_ON.match(text, reported.end(), min(len(text), reported.end() + 120))
                ym = _YEAR_ANY.search(text[:600])
                if dm and ym:
                    doc.issued_date = _iso(int(ym.group("y")), int(dm.group("m")), int(dm.group("d")))
            doc.doc_type = doc.doc_type or doc_type_from_name(reported.group("name"))
    if doc.number and not doc.doc_type:
        doc.doc_type = doc_type_from_number(doc.number)
    if not doc.doc_type:
        m = _THIS_DOC.search(text)
        if m:
            doc.doc_type = doc_type_from_name(m.group("name"))
    if not doc.doc_type and _TELEGRAM.search(text[:800]):
        doc.doc_type = "cong_dien"  # "Thủ tướng Chính phủ điện: ..." opens a telegram, letter or news
    if not doc.doc_type and doc.format == "news":
        # "Công điện của Thủ tướng Chính phủ gửi ...", "Thủ tướng Chính phủ điện:", "Theo Kế hoạch này"
        m = _FIRST_NAMED.search(text[st.body_start:st.body_start + 800])
        if m:
            doc.doc_type = "cong_dien" if m.group(0).endswith("điện:") else doc_type_from_name(m.group("name"))
    if not doc.issued_date and doc.format == "news":
        m = _DATELINE.search(text[:3000])
        if m:
            y = m.group("y")
            if not y:
                ym = _YEAR_ANY.search(text[:600])
                y = ym.group("y") if ym else None
            if y:
                doc.issued_date = _iso(int(y), int(m.group("m")), int(m.group("d")))
    # issuer
    issuer: Agency | None = None
    if h.issuer_text:
        # "BỘ TÀI CHÍNH TỔNG CỤC HẢI QUAN": the last (lowest) unit issues
        found = agencies.find_agencies(h.issuer_text, h.issuer_span[0], ctx)
        issuer = found[-1] if found else None
        if issuer is not None:
            _name_under_parent(issuer, found[:-1], h.issuer_text[issuer.span[1] - h.issuer_span[0]:])
            issuer.text = h.issuer_text
            issuer.span = h.issuer_span
    if issuer is None and st.signature and st.signature.chain and doc.format == "letter":
        first = st.signature.chain[0]
        if first.startswith("TM."):
            auth = first[3:].strip()
            if h.place and re.match(r"(?i)(?:ủy ban nhân dân|hội đồng nhân dân)$", auth):
                auth = f"{auth} {place_unit(h.place)}"
            issuer = agencies.parse_agency(auth, ctx)
            if issuer is not None and issuer.name in _STANDING_ORGANS:
                _add_parent_organ(issuer, doc.text[:h.end or 400], ctx)
    if issuer is None:
        # news: the subject of "... ban hành / ký / yêu cầu" in the lead (not the headline)
        lead = [p for p in st.paragraphs if not p.furniture][:3]
        tries = []
        if reported:
            tries += [(p, reported.start() - p.start, True) for p in st.paragraphs
                      if p.start <= reported.start() < p.end]
        tries += [(p, len(p.text), False) for p in lead]
        for p, stop, last in tries:
            matches = _issuer_matches(p.text[:stop])
            cands = list(matches) if last else list(islice(matches, 1))  # the first is all that is read
            for m in (cands[-1:] if last else cands[:1]):
                found = agencies.find_agencies(m.group("who"), p.start + m.start("who"), ctx)
                if found:
                    issuer = found[-1]
            if issuer is not None:
                break
    if issuer is not None and issuer.kind in {"ubnd", "hdnd"}:
        # "UBND tỉnh có ý kiến ..." on a Quảng Trị page, "ỦY BAN NHÂN DÂN" over "Sơn La, ngày ...":
        # the issuer is that province's
        if ctx.province and re.fullmatch(r"(?:Ủy ban nhân dân|Hội đồng nhân dân) tỉnh", issuer.name):
            issuer.name = f"{issuer.name} {ctx.province}"
        elif h.place and h.place == ctx.province and re.fullmatch(r"Ủy ban nhân dân|Hội đồng nhân dân", issuer.name):
            issuer.name = f"{issuer.name} {place_unit(h.place)}"
        # a chỉ thị / công điện of an Ủy ban nhân dân is the Chủ tịch's (not signed "TM. Ủy ban")
        chain = st.signature.chain if st.signature else []
        if (doc.doc_type in {"chi_thi", "cong_dien"} and issuer.kind == "ubnd" and not issuer.head
                and not (chain and chain[0].startswith("TM."))):
            issuer.head = "Chủ tịch"
    if issuer is not None and issuer.level == "central" and ctx.province and ctx.province == h.place:
        # "Hà Nội, ngày ..." under a ministry is where it sits, not the province its letter means:
        # only a province the text names ("UBND tỉnh Bến Tre") is
        ctx.province = _named_province(doc.text)
    doc.issuer = issuer
    doc.recipients = []
    for ln in h.recipients:
        doc.recipients.extend(agencies.find_agencies(ln.text, ln.start, ctx))
    if st.signature:
        sg = st.signature
        doc.signer = Signer(sg.name, sg.position, sg.authority, sg.span)
    doc.cc = [ln.text for ln in st.cc]



_OFFICE_LINE = re.compile(r"(?i)\s*văn\s+phòng\s*")
_PLACED = re.compile(r"(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn|đặc khu)\s+\p{Lu}")


def _name_under_parent(issuer: Agency, above: list[Agency], rest: str) -> None:
    """The issuer's full name from the header's lines (SPEC §2: "Ủy ban nhân dân tỉnh An Giang"):
    a bare "VĂN PHÒNG" under "UBND TỈNH NGHỆ AN" is "Văn phòng Ủy ban nhân dân tỉnh Nghệ An"; a Sở
    under "UBND TỈNH LẠNG SƠN" is "Sở Y tế tỉnh Lạng Sơn", a Phòng under "UBND HUYỆN MAI SƠN" is
    that district's.  A body under a ministry ("BỘ TÀI CHÍNH / TỔNG CỤC HẢI QUAN") keeps its name."""
    if _OFFICE_LINE.fullmatch(rest) and issuer.kind in ("ubnd", "hdnd", "dang", "mat_tran"):
        issuer.name = f"Văn phòng {issuer.name}"
        issuer.kind = "van_phong"
        issuer.head = None
        return
    if rest.strip() or not above or issuer.collective:
        return
    parent = above[-1]
    if issuer.name.casefold() in _STANDING_KEYS and parent.kind in ("dang", "mat_tran", "ubnd", "hdnd"):
        # "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM TỈNH BÌNH ĐỊNH / BAN THƯỜNG TRỰC": the standing organ of the
        # committee above it
        issuer.name = f"{issuer.name[:1]}{issuer.name[1:].lower().replace('thường', 'Thường', 1)} {parent.name}"
        issuer.kind, issuer.level, issuer.jurisdiction = parent.kind, parent.level, parent.jurisdiction
        return
    place = parent.jurisdiction
    if (parent.kind == "ubnd" and place and parent.name.endswith(place) and issuer.kind != "ubnd"
            and not _PLACED.search(issuer.name)):
        issuer.name = f"{issuer.name} {place}"


# "T/M BAN THƯỜNG VỤ" signs for the committee named at the head of the page ("HUYỆN ỦY PHÚ HÒA",
# "HỘI LHPN TỈNH QUẢNG NGÃI"; "ĐẢNG BỘ TỈNH BẮC GIANG / TỈNH ỦY")
_STANDING_ORGANS = frozenset({"Ban Thường vụ", "Ban Chấp hành", "Thường trực"})
# (under a committee's lines in the header, "BAN THƯỜNG TRỰC" of a Front committee too)
_STANDING_KEYS = frozenset({n.casefold() for n in _STANDING_ORGANS} | {"ban thường trực"})
_MOTTO_OR_NUMBER = re.compile(r"(?i)(?:cộng\s+hòa|cộng\s+hoà|đảng\s+cộng\s+sản|độc\s+lập|số\b)")
_PROVINCE_OF = re.compile(r"(?i)\btỉnh\s+(\p{Lu}[\p{L}\p{M}]*(?:\s+\p{Lu}[\p{L}\p{M}]*){0,3})")


def _add_parent_organ(issuer: Agency, head: str, ctx: "agencies.AgencyContext") -> None:
    """The standing organ that signed gets the committee or association named in the header's capital
    lines: "Ban Thường vụ" → "Ban Thường vụ Huyện ủy Phú Hòa"."""
    parent = None
    province = None
    for line in head.splitlines()[:6]:
        t = line.strip()
        if _MOTTO_OR_NUMBER.match(t):
            break  # the issuer's lines stand above the motto and the number
        if not t or not t.isupper():
            continue
        found = [a for a in agencies.find_agencies(t, 0, ctx) if a.kind in ("dang", "mat_tran")]
        if found:
            parent = found[-1]
            rest = t[parent.span[1]:].strip()
            if rest and rest.replace(" ", "").isalpha():
                # "HUYỆN ỦY PHÚ HÒA": the committee's place, in capitals, after it
                parent.name = f"{parent.name} {agencies.fix_tones(agencies._title_place(rest))}"
        pm = _PROVINCE_OF.search(agencies._title_place(t))
        province = province or (pm.group(1) if pm else None)
    if parent is None or parent.name.startswith("Đảng bộ"):
        return
    name = parent.name
    if name in ("Tỉnh ủy", "Thành ủy") and province:
        name = f"{name} {province}"
    issuer.name = f"{issuer.name} {name}"


def place_unit(place: str) -> str:
    """``An Giang`` → ``tỉnh An Giang``; centrally-run cities are ``thành phố``."""
    central_cities = {"Hà Nội", "Hồ Chí Minh", "Thành phố Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"}
    return f"thành phố {place}" if place in central_cities else f"tỉnh {place}"


def document_context(st: Structure, text: str) -> "agencies.AgencyContext":
    """Where the document comes from: its province, district and date, for agency jurisdiction."""
    ctx = agencies.AgencyContext()
    provinces = set(agencies.province_names())
    # the địa danh is the province only when it names one ("Vị Thanh", "Châu Thành" do not)
    if st.header.place and st.header.place in provinces:
        ctx.province = st.header.place
    if st.header.issuer_text:
        md = re.search(r"(?:HUYỆN|QUẬN|THỊ XÃ)\s+((?:\S+\s?){1,3})$", st.header.issuer_text)
        if md:
            ctx.district = md.group(1).strip().title()
    if not ctx.province and st.header.issuer_text:
        m = re.search(r"(?:TỈNH|THÀNH PHỐ)\s+((?:\S+\s?){1,3})$", st.header.issuer_text)
        if m and m.group(1).strip().title() in {p.title() for p in provinces}:
            ctx.province = next(p for p in provinces if p.title() == m.group(1).strip().title())
    if st.header.date:
        try:
            ctx.issued_date = dt.date(*st.header.date)
        except ValueError:
            pass
    if not ctx.province:
        # a portal page names its province on a line of its own near the top ("Quảng Trị")
        for line in text[:600].split("\n")[:8]:
            if line.strip() and line.strip() in provinces:
                ctx.province = line.strip()
                break
            # or in its masthead in capitals ("CỔNG THÔNG TIN ĐIỆN TỬ TỈNH QUẢNG BÌNH")
            mm = _MASTHEAD_PROVINCE.search(line.strip())
            named = agencies.fix_tones(mm.group(1).title()) if mm else None
            if named in provinces:
                ctx.province = named
                break
    if not ctx.province:
        ctx.province = _named_province(text)
    return ctx


_MASTHEAD_PROVINCE = re.compile(r"^(?:CỔNG|TRANG|BÁO|ĐÀI)\b[\p{Lu}\s]{0,60}?\b(?:TỈNH|THÀNH PHỐ)\s+([\p{Lu}][\p{Lu}\s]{1,30}?)\s*$")


def _named_province(text: str) -> str | None:
    """The province of "UBND tỉnh Gia Lai" in the first lines, if one is named so."""
    m = re.search(r"(?:tỉnh|thành phố)\s+((?:[\p{Lu}][\p{Ll}]+\s?){1,3})", text[:2000])
    if m:
        name = m.group(1).strip()
        if name in set(agencies.province_names()):
            return name
    return None
