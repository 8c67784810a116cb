"""DOCX → text: paragraphs (with their list numbering written out) and tables, in body order.

Word keeps the numbers of a numbered list (``1.``, ``a)``, ``II.``) out of the
paragraph text, in ``numbering.xml``; they are rebuilt here from each
paragraph's ``numPr`` (or its style's) so the outline survives.  Bullets become
``-``.  A table row becomes one line, its cells joined by `` | `` (an empty cell kept empty,
so columns line up; a merged cell written once).
"""
from __future__ import annotations

import io

from ..models import ExtractError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _roman(n: int) -> str:
    out = ""
    for v, s in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                 (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out += s
            n -= v
    return out


def _letters(n: int) -> str:
    # Word: a..z, then aa..zz, ...
    n = max(1, n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _fmt(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter",):
        return _letters(n)
    if fmt in ("upperLetter",):
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "none":
        return ""
    return str(n)  # decimal and the rest


class _Numbering:
    """Renders list labels the way Word shows them."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId → ilvl → (fmt, text, start)
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except Exception:  # no numbering part
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in root.iter(_W + "abstractNum"):
            lv = {}
            for lvl in an.iter(_W + "lvl"):
                ilvl = int(lvl.get(_W + "ilvl", "0"))
                fmt = _val(lvl.find(_W + "numFmt")) or "decimal"
                text = _val(lvl.find(_W + "lvlText"))
                start = int(_val(lvl.find(_W + "start")) or "1")
                lv[ilvl] = (fmt, text if text is not None else f"%{ilvl + 1}.", start)
            abstract[an.get(_W + "abstractNumId")] = lv
        for num in root.iter(_W + "num"):
            aid = _val(num.find(_W + "abstractNumId"))
            lv = dict(abstract.get(aid, {}))
            for ov in num.iter(_W + "lvlOverride"):
                ilvl = int(ov.get(_W + "ilvl", "0"))
                so = _val(ov.find(_W + "startOverride"))
                if so is not None and ilvl in lv:
                    fmt, text, _ = lv[ilvl]
                    lv[ilvl] = (fmt, text, int(so))
            self.levels[num.get(_W + "numId")] = lv

    def label(self, num_id: str, ilvl: int) -> str:
        lv = self.levels.get(num_id)
        if not lv or ilvl not in lv:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        fmt, text, start = lv[ilvl]
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        for deeper in range(ilvl + 1, len(counters)):
            counters[deeper] = 0
        if fmt == "bullet":
            return "-"
        out = text
        for k in range(ilvl, -1, -1):
            if f"%{k + 1}" in out:
                kfmt, _, kstart = lv.get(k, ("decimal", "", 1))
                out = out.replace(f"%{k + 1}", _fmt(counters[k] or kstart, kfmt))
        return out.strip()


def _val(el) -> str | None:
    return None if el is None else el.get(_W + "val")


def _num_pr(p_el, styles) -> tuple[str, int] | None:
    """(numId, ilvl) of a paragraph, from its own properties or its style's."""
    ppr = p_el.find(_W + "pPr")
    num_id = ilvl = None
    style_id = None
    if ppr is not None:
        npr = ppr.find(_W + "numPr")
        if npr is not None:
            num_id = _val(npr.find(_W + "numId"))
            ilvl = _val(npr.find(_W + "ilvl"))
        style_id = _val(ppr.find(_W + "pStyle"))
    seen = set()
    while num_id is None and style_id and style_id not in seen:
        seen.add(style_id)
        st = styles.get(style_id)
        if st is None:
            break
        sppr = st.find(_W + "pPr")
        if sppr is not None and sppr.find(_W + "numPr") is not None:
            npr = sppr.find(_W + "numPr")
            num_id = _val(npr.find(_W + "numId"))
            ilvl = ilvl or _val(npr.find(_W + "ilvl"))
        based = st.find(_W + "basedOn")
        style_id = _val(based)
    if num_id is None or num_id == "0":
        return None
    return num_id, int(ilvl or 0)


def docx_to_text(data: bytes) -> tuple[str, list[str]]:
    try:
        import docx  # python-docx
    except ImportError:  # pragma: no cover - depends on the install
        raise ExtractError("unsupported_format", "reading .docx needs python-docx: pip install 'nhiemvu[formats]'") from None
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises several kinds for broken zips
        raise ExtractError("unreadable", f"not a readable .docx file: {e}") from None
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    numbering = _Numbering(document)
    try:
        styles = {s.get(_W + "styleId"): s for s in document.styles.element.iter(_W + "style")}
    except Exception:  # pragma: no cover
        styles = {}
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(child, document).text
            npr = _num_pr(child, styles)
            if npr and text.strip():
                label = numbering.label(*npr)
                if label:
                    text = f"{label} {text.lstrip()}"
            lines.append(text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                # one cell per column, empty ones kept so that a task table's columns line up
                # with its header; a cell merged across columns is written once
                cells, seen = [], []
                for cell in row.cells:
                    if any(cell._tc is tc for tc in seen):
                        continue
                    seen.append(cell._tc)
                    cells.append(" ".join(cell.text.split()))
                if any(cells):
                    lines.append(" | ".join(cells).strip())
    return "\n".join(lines), []
