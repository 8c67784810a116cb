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
from .models import Document, ExtractError, Obligation, error_record
from .obligations import Segmenter
from .metadata import document_context, fill_metadata
from .structure import blank_spans, parse_structure


def doc_id(normalised_text: str) -> str:
    return hashlib.sha256(normalised_text.encode("utf-8")).hexdigest()[:16]


# "Chỉ đạo Sở Y tế ..." under a lead-in that addresses the one who directs (SPEC §3)
_DIRECTS = re.compile(r"^\W*(?:(?:tiếp tục|tăng cường|thường xuyên|kịp thời|khẩn trương|tập trung)\s+)*chỉ đạo\s", re.I)
_LEAD_AFTER = re.compile(r"\s*(?:chủ trì|làm đầu mối|là cơ quan đầu mối)\b")


class Pipeline:
    """Holds the loaded stage resources; :meth:`run` processes one text."""

    def __init__(self) -> None:
        from . import agencies, deadlines, references, roles  # noqa: F401  (loads data once)

        self.agencies = agencies
        self.roles = roles
        self.references = references
        self.deadlines = deadlines

    def run(self, text: str, source: str = "-") -> Document:
        norm, warnings = _norm.normalize(text)
        if not norm.strip():
            raise ExtractError("empty", "no text after normalisation")
        doc = Document(id=doc_id(norm), source=source, text=norm, warnings=list(warnings))
        st = parse_structure(norm)
        # the stages read the structure's text, in which a line break inside a paragraph is a space
        # (a wrapped line); the record keeps the normalised text, line breaks and all (SPEC §7)
        norm = st.text
        ctx = document_context(st, norm)
        fill_metadata(doc, st, ctx)
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
        def opening(t: str, base: int):
            found = self.agencies.find_agencies(t[:300], base, ctx)
            return found[:1] if found and found[0].span[0] - base <= 4 else []

        cands = Segmenter(st, frame, own, addressees, opening).run()

        refs = self.references.find_references(_without_page_furniture(norm, st), doc.number,
                                               issued.year if issued else None)
        doc.references = refs

        from .classify import classify

        types = classify([c.text for c in cands], [c.depth for c in cands],
                         [i / max(1, len(cands) - 1) for i in range(len(cands))]) if cands else []

        deadline_warned = set()
        for i, c in enumerate(cands, 1):
            ctext = norm[c.span[0]:c.span[1]]
            r = roles_of(ctext, c.span[0])
            assignees = r.assignees if r.addressed and r.assignees else c.inherited
            if c.inherited and (_DIRECTS.match(ctext) or r.directed_only):
                # "Chỉ đạo Sở Y tế ..." (also after a first clause: "Chịu trách nhiệm ...; chỉ đạo UBND
                # các xã ...") under "đề nghị Chủ tịch UBND ... :" — the one addressed directs;
                # the directed agency is an assignee only when named as the lead (SPEC §3)
                assignees = c.inherited + [a for a in r.assignees
                                           if _LEAD_AFTER.match(norm, a.span[1], a.span[1] + 40)]
            coordinators, report_to = r.coordinators, r.report_to
            dls, dwarn = self.deadlines.find_deadlines(ctext, issued, c.span[0])
            for kind, s_, e_ in c.attrs:
                # a task row's "Cơ quan thực hiện:" / "Thời gian thực hiện:" lines
                if kind == "with" and not r.coordinators:
                    # "- Cơ quan phối hợp: ..." (an attribute line, or a task table's column)
                    coordinators = self.agencies.find_agencies(norm[s_:e_], s_, ctx)
                    continue
                if kind == "who" and not (r.addressed and r.assignees):
                    ra = self.roles.roles_in(norm[s_:e_], s_, ctx, doc.issuer)
                    found = ra.assignees or self.agencies.find_agencies(norm[s_:e_], s_, ctx)
                    if found:
                        assignees = ra.assignees or found
                        coordinators = coordinators or ra.coordinators
                elif kind == "when":
                    more, w2 = _when_cell(self.deadlines, norm, s_, e_, issued)
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
        _spec_doc_types(doc)
        if norm is not doc.text:
            _as_written(doc, norm)
        if not doc.obligations:
            doc.warnings.append("no obligations found")
        if doc.issued_date is None:
            doc.warnings.append("no issue date found; dates without a year cannot be resolved")
        return doc



def _spec_doc_types(doc: Document) -> None:
    """``doc_type`` holds SPEC §6 slugs only: a type the project recognises beyond them (the party
    "Kết luận", 45-KL/TU; ``ext`` in doc_types.tsv) is read, so its number and citations are
    found, but written as null, with a warning for the document's own type."""
    from .doctypes import in_spec

    if doc.doc_type and not in_spec(doc.doc_type):
        doc.warnings.append(f"doc_type {doc.doc_type!r} is not a SPEC §6 type: written as null")
        doc.doc_type = None
    for r in doc.references:
        if r.doc_type and not in_spec(r.doc_type):
            r.doc_type = None


_NOT_CITING = ("segment_cues:", "structure:signature_or_cc", "structure:cc")


def _without_page_furniture(text: str, st) -> str:
    """``text`` with the web page's furniture (related-article and related-document lists, menus:
    the ``segment_cues`` furniture rules), the signature and the Nơi nhận lines blanked, same
    length: a document listed beside or below the letter is not one it cites."""
    return blank_spans(text, [(p.start, p.end) for p in st.paragraphs
                              if p.furniture and p.furniture.startswith(_NOT_CITING)])


_WHEN_LABEL = "Thời gian thực hiện: "


def _when_cell(deadlines, norm: str, s: int, e: int, issued):
    """The deadlines of a "Thời gian thực hiện: Quý II/2026" line or a task table's time cell,
    read as the label says (a bare "Quý II/2026" is a period, not yet a deadline; after the label
    it is).  Each deadline's span and text are kept inside the cell."""
    while s < e and norm[s].isspace():
        s += 1
    found, warns = deadlines.find_deadlines(_WHEN_LABEL + norm[s:e], issued, s - len(_WHEN_LABEL))
    for d in found:
        if d.span[0] < s:
            d.span = (s, d.span[1])
            d.text = norm[s:d.span[1]]
    return found, warns


def _as_written(doc: Document, read: str) -> None:
    """Each ``text`` that is the slice of ``read`` at its span becomes the slice of ``doc.text``
    there: the same words, with the line breaks of the document (the stages read them as spaces)."""
    written = doc.text

    def fix(x, span) -> None:
        if x is not None and span and read[span[0]:span[1]] == x.text:
            x.text = written[span[0]:span[1]]

    for a in (doc.issuer, *doc.recipients):
        fix(a, a and a.span)
    for o in doc.obligations:
        for a in (*o.assignees, *o.coordinators, *o.report_to):
            fix(a, a.span)
        fix(o.deadline, o.deadline and o.deadline.span)
    for r in doc.references:
        fix(r, r.mentions and r.mentions[0])  # a reference's text is its first mention


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
