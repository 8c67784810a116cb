"""One document end to end: text → :class:`~extract.models.Document`.

normalise → structure → obligations → references → deadlines →
agencies + roles → classify.  Failures of one document become an error record
(SPEC §2); nothing here does I/O of many files (that is :mod:`extract.batch`).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import traceback
from typing import Any

from . import _re as re

from . import normalize as _norm
from .models import Agency, Document, ExtractError, Obligation, Provenance, Signer, error_record
from .obligations import Segmenter
from .structure import Structure, parse_structure


def doc_id(normalised_text: str) -> str:
    return hashlib.sha256(normalised_text.encode("utf-8")).hexdigest()[:16]


# ------------------------------------------------------------ metadata ----

_REPORTED = re.compile(
    r"(?P<name>Công văn|Chỉ thị|Công điện|Quyết định|Kế hoạch|Thông báo(?: kết luận)?|Nghị quyết|Hướng dẫn|Chương trình|Văn bản)"
    r"(?P<khan>\s+(?:khẩn|hỏa tốc))?\s*(?:(?:số|số:)\s*)*:?\s*(?P<num>\d+(?:\s*[/-]\s*[\w.&Đđ]+)*)"
    r"(?P<tail>[\s,]*(?:ngày\s+)?(?P<date>\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}))?",
    re.IGNORECASE,
)
_REPORT_CTX = re.compile(
    r"(?:ban hành|banh|ký|gửi|theo|vừa|đã|(?:xem|chi tiết)(?: chi tiết)? tại)\s*(?:ký\s+)?(?:ban hành\s+)?$|^\s*\(?\s*$",
    re.IGNORECASE
)
_FIRST_NAMED = re.compile(
    r"\b(?P<name>Công văn|Chỉ thị|Công điện|Kế hoạch|Quyết định|Thông báo kết luận|Thông báo|Nghị quyết|Hướng dẫn)\b"
    r"|(?:Thủ tướng Chính phủ|Chủ tịch [^\n:]{0,40}) điện:"
)
_THIS_DOC = re.compile(r"\b(?P<name>công văn|chỉ thị|công điện|quyết định|kế hoạch|thông báo) này\b", re.IGNORECASE)
_DATELINE = re.compile(r"(?:^|\n)\s*(?:HNP\s*-\s*|[\p{Lu}]{2,10}\s*-\s*)?Ngày\s+(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?:\s*/\s*(?P<y>\d{4}))?\s*,")
_YEAR_ANY = re.compile(r"\b(?:\d{1,2}[/.]\d{1,2}[/.](?P<y>(?:19|20)\d{2}))\b")
_ISSUER_BEFORE = re.compile(
    r"(?P<who>[^.;:\n]{3,160}?)\s+(?:đã\s+|vừa\s+)?(?:ký\s+)?(?:ban hành|banh|ký|yêu cầu|chỉ đạo|có ý kiến)\b"
)


_DIRECTS = re.compile(r"^\W*(?:(?:tiếp tục|tăng cường|thường xuyên|kịp thời|khẩn trương|tập trung)\s+)*chỉ đạo\s", re.I)
_LEAD_AFTER = re.compile(r"\s*(?:chủ trì|làm đầu mối|là cơ quan đầu mối)\b")


_NARRATION = re.compile(
    r"(?i)\b(?:công văn|chỉ thị|công điện|thông báo|quyết định|kế hoạch|văn bản)(?: khẩn)? (?:nêu rõ|cho biết|nhấn mạnh)\b"
    r"|\b(?:công văn|chỉ thị|công điện|kế hoạch)(?: này)? (?:của [^.\n]{3,60} )?gửi\b|\btheo (?:công văn|chỉ thị|kế hoạch|công điện) này\b"
)


def _narrates(st: Structure) -> bool:
    """A text without a letter header is news when it narrates ("UBND tỉnh ban hành Công văn ...",
    "Công văn nêu rõ", a dated byline); a portal page that quotes the letter's own words is the letter."""
    from .patterns import seg

    for p in st.paragraphs:
        t = p.text[:400]
        if seg("report_verb", t) or _NARRATION.search(t):
            return True
        if p.furniture and re.search(r"\d{1,2}[/.]\d{1,2}[/.]\d{4}\s+\d{1,2}:\d{2}|\(\d{1,2}:\d{2} \d{1,2}/\d{1,2}/\d{4}\)", t):
            return True
    return False


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


class Pipeline:
    """Holds the loaded stage resources; :meth:`run` processes one text."""

    def __init__(self) -> None:
        from . import agencies, deadlines, references, roles  # noqa: F401  (loads data once)

        self.agencies = agencies
        self.roles = roles
        self.references = references
        self.deadlines = deadlines

    # -- document metadata --
    def _metadata(self, doc: Document, st: Structure, ctx) -> None:
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
            for m in _REPORTED.finditer(text[:6000]):
                before = text[max(0, m.start() - 40):m.start()]
                if _REPORT_CTX.search(before):
                    reported = m
                    break
            if reported:
                from .dates import parse_date

                doc.number = normalize_number(reported.group("num"))
                # the date may come with this mention or with a later one of the same number
                for m in [reported] + list(_REPORTED.finditer(text)):
                    if m.group("date") and normalize_number(m.group("num")) == doc.number:
                        d = parse_date(m.group("date"))
                        if d:
                            doc.issued_date = d.isoformat()
                            break
                doc.doc_type = doc.doc_type or doc_type_from_name(reported.group("name"))
        if doc.number and not doc.doc_type:
            doc.doc_type = doc_type_from_number(doc.number)
        if not doc.doc_type:
            m = _THIS_DOC.search(text)
            if m:
                doc.doc_type = doc_type_from_name(m.group("name"))
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
            found = self.agencies.find_agencies(h.issuer_text, h.issuer_span[0], ctx)
            issuer = found[-1] if found else None
            if issuer is not None:
                issuer.text = h.issuer_text
                issuer.span = h.issuer_span
        if issuer is None and st.signature and st.signature.chain and doc.format == "letter":
            first = st.signature.chain[0]
            if first.startswith("TM."):
                auth = first[3:].strip()
                if h.place and re.match(r"(?i)(?:ủy ban nhân dân|hội đồng nhân dân)$", auth):
                    auth = f"{auth} {self._place_unit(h.place)}"
                issuer = self.agencies.parse_agency(auth, ctx)
        if issuer is None:
            # news: the subject of "... ban hành / ký / yêu cầu" in the lead (not the headline)
            lead = [p for p in st.paragraphs if not p.furniture][:3]
            tries = []
            if reported:
                tries += [(p, reported.start() - p.start, True) for p in st.paragraphs
                          if p.start <= reported.start() < p.end]
            tries += [(p, len(p.text), False) for p in lead]
            for p, stop, last in tries:
                cands = list(_ISSUER_BEFORE.finditer(p.text[:stop]))
                for m in (cands[-1:] if last else cands[:1]):
                    found = self.agencies.find_agencies(m.group("who"), p.start + m.start("who"), ctx)
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
                issuer.name = f"{issuer.name} {self._place_unit(h.place)}"
            # a chỉ thị / công điện of an Ủy ban nhân dân is the Chủ tịch's (not signed "TM. Ủy ban")
            chain = st.signature.chain if st.signature else []
            if (doc.doc_type in {"chi_thi", "cong_dien"} and issuer.kind == "ubnd" and not issuer.head
                    and not (chain and chain[0].startswith("TM."))):
                issuer.head = "Chủ tịch"
        doc.issuer = issuer
        doc.issuer = issuer
        doc.recipients = []
        for ln in h.recipients:
            doc.recipients.extend(self.agencies.find_agencies(ln.text, ln.start, ctx))
        if st.signature:
            sg = st.signature
            doc.signer = Signer(sg.name, sg.position, sg.authority, sg.span)
        doc.cc = [ln.text for ln in st.cc]

    @staticmethod
    def _place_unit(place: str) -> str:
        central_cities = {"Hà Nội", "Hồ Chí Minh", "Thành phố Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"}
        return f"thành phố {place}" if place in central_cities else f"tỉnh {place}"

    def _context(self, st: Structure, text: str):
        ctx = self.agencies.AgencyContext()
        provinces = set(self.agencies.province_names())
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
        if not ctx.province:
            # "UBND tỉnh Gia Lai" in the first lines names the province
            m = re.search(r"(?:tỉnh|thành phố)\s+((?:[\p{Lu}][\p{Ll}]+\s?){1,3})", text[:2000])
            if m:
                name = m.group(1).strip()
                if name in provinces:
                    ctx.province = name
        return ctx

    # -- one document --
    def run(self, text: str, source: str = "-") -> Document:
        norm, warnings = _norm.normalize(text)
        if not norm.strip():
            raise ExtractError("empty", "no text after normalisation")
        doc = Document(id=doc_id(norm), source=source, text=norm, warnings=list(warnings))
        st = parse_structure(norm)
        ctx = self._context(st, norm)
        self._metadata(doc, st, ctx)
        if doc.issued_date:
            ctx.issued_date = dt.date.fromisoformat(doc.issued_date)
        issued = ctx.issued_date

        memo: dict[tuple[str, int], object] = {}

        def roles_of(t: str, base: int):
            # the segmenter and the role filler ask about the same spans; read each once
            key = (t, base)
            if key not in memo:
                memo[key] = self.roles.roles_in(t, base, ctx, doc.issuer)
            return memo[key]

        def frame(t: str, base: int):
            m = self.roles._LABEL.match(t)
            off = m.end() if m else 0
            return list(roles_of(t[off:], base + off).assignees)

        def own(t: str, base: int):
            r = roles_of(t, base)
            return list(r.assignees) if r.addressed else []

        addressees = [a for a in doc.recipients if not re.match(r"(?i)như trên", a.text)]
        cands = Segmenter(st, frame, own, addressees).run()

        refs = self.references.find_references(norm, doc.number, issued.year if issued else None)
        doc.references = refs

        from .classify import classify

        types = classify([c.text for c in cands], [c.depth for c in cands],
                         [i / max(1, len(cands) - 1) for i in range(len(cands))]) if cands else []

        deadline_warned = set()
        for i, c in enumerate(cands, 1):
            ctext = self.st_slice(norm, c)
            r = roles_of(ctext, c.span[0])
            assignees = r.assignees if r.addressed and r.assignees else c.inherited
            if c.inherited and _DIRECTS.match(ctext):
                # "Chỉ đạo Sở Y tế ..." under "đề nghị Chủ tịch UBND ... :" — the one addressed directs;
                # the directed agency is an assignee only when named as the lead (SPEC §3)
                assignees = c.inherited + [a for a in r.assignees
                                           if _LEAD_AFTER.match(norm, a.span[1])]
            coordinators, report_to = r.coordinators, r.report_to
            dls, dwarn = self.deadlines.find_deadlines(self.st_slice(norm, c), issued, c.span[0])
            for kind, s_, e_ in c.attrs:
                # a task row's "Cơ quan thực hiện:" / "Thời gian thực hiện:" lines
                if kind == "who" and not (r.addressed and r.assignees):
                    ra = self.roles.roles_in(norm[s_:e_], s_, ctx, doc.issuer)
                    found = ra.assignees or self.agencies.find_agencies(norm[s_:e_], s_, ctx)
                    if found:
                        assignees = ra.assignees or found
                        coordinators = coordinators or ra.coordinators
                elif kind == "when":
                    more, w2 = self.deadlines.find_deadlines(norm[s_:e_], issued, s_)
                    dls += more
                    dwarn += w2
            for w in dwarn:
                if w not in deadline_warned:
                    deadline_warned.add(w)
                    doc.warnings.append(w)
            typ, score = types[i - 1] if types else ("implement", 0.0)
            doc.obligations.append(
                Obligation(
                    index=i,
                    label=c.label,
                    text=c.text,
                    span=c.span,
                    assignees=assignees,
                    coordinators=coordinators,
                    report_to=report_to,
                    deadline=self.deadlines.choose_deadline(dls),
                    type=typ,
                    type_score=score,
                    references=self.references.references_in_span(refs, c.span[0], c.span[1]),
                    provenance=c.provenance,
                    depth=c.depth,
                )
            )
        if not doc.obligations:
            doc.warnings.append("no obligations found")
        if doc.issued_date is None:
            doc.warnings.append("no issue date found; dates without a year cannot be resolved")
        return doc

    @staticmethod
    def st_slice(text: str, c) -> str:
        return text[c.span[0]:c.span[1]]


_PIPELINE: Pipeline | None = None


def get_pipeline() -> Pipeline:
    global _PIPELINE
    if _PIPELINE is None:
        _PIPELINE = Pipeline()
    return _PIPELINE


def extract_document(text: str, source: str = "-") -> Document:
    return get_pipeline().run(text, source)


def extract_text(text: str, source: str = "-", with_text: bool = False, explain: bool = False) -> dict[str, Any]:
    """The SPEC §2 record for one text, or an error record; never raises."""
    try:
        return extract_document(text, source).to_json(with_text=with_text, explain=explain)
    except ExtractError as e:
        return error_record(source, e.code, e.message)
    except RecursionError:
        return error_record(source, "internal", "recursion limit reached")
    except Exception as e:  # one bad document never kills a batch
        return error_record(source, "internal", f"{type(e).__name__}: {e} @ {_where(e)}")


def _where(e: BaseException) -> str:
    tb = traceback.extract_tb(e.__traceback__)
    if not tb:
        return "?"
    f = tb[-1]
    return f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}"


def process_path(path: str, max_bytes: int | None = None, with_text: bool = False, explain: bool = False,
                 flat: bool = False) -> list[dict[str, Any]]:
    """Read and extract one file: a list with one record (or one per obligation with ``flat``)."""
    from .readers import DEFAULT_MAX_BYTES, read_path

    try:
        text, warnings = read_path(path, max_bytes or DEFAULT_MAX_BYTES)
        doc = extract_document(text, path)
        doc.warnings[:0] = warnings
    except ExtractError as e:
        return [error_record(path, e.code, e.message)]
    except Exception as e:
        return [error_record(path, "internal", f"{type(e).__name__}: {e} @ {_where(e)}")]
    if flat:
        return doc.flat_json(explain)
    return [doc.to_json(with_text=with_text, explain=explain)]
