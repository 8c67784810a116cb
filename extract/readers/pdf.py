"""PDF (text layer) → text via pypdf; a scanned PDF with no text layer is a clear error.

A line that opens or closes most pages the same way (digits aside: "CÔNG BÁO/Số 12/Ngày
10-3-2026", "Trang 3/7") is a running header or footer, not the letter's text: it would cut
the paragraph that runs over the page break, so it is dropped, with a warning.
"""
from __future__ import annotations

import io
import re
from collections import Counter

from ..models import ExtractError

_DIGITS = re.compile(r"\d+")
_EDGE = 2  # lines looked at at the top and at the bottom of each page


def _key(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split())).casefold()


def drop_running_lines(pages: list[str]) -> tuple[list[str], int]:
    """Pages without the header and footer lines most of them repeat (three pages at least)."""
    if len(pages) < 3:
        return pages, 0
    lines = [p.split("\n") for p in pages]
    edges = []
    for ls in lines:
        filled = [i for i, ln in enumerate(ls) if ln.strip()]
        edges.append(set(filled[:_EDGE]) | set(filled[-_EDGE:]))
    counts = Counter(k for ls, ed in zip(lines, edges) for k in {_key(ls[i]) for i in ed})
    # (with words in it: "1." at the top of most pages, digits masked, is an item label)
    running = {k for k, n in counts.items()
               if n >= max(3, (len(pages) + 1) // 2) and sum(c.isalpha() for c in k) >= 4}
    if not running:
        return pages, 0
    dropped = 0
    out = []
    for ls, ed in zip(lines, edges):
        keep = []
        for i, ln in enumerate(ls):
            if i in ed and _key(ln) in running:
                dropped += 1
                continue
            keep.append(ln)
        out.append("\n".join(keep))
    return out, dropped


def pdf_to_text(data: bytes) -> tuple[str, list[str]]:
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - depends on the install
        raise ExtractError("unsupported_format", "reading .pdf needs pypdf: pip install 'nhiemvu[formats]'") from None
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as e:  # pypdf raises many kinds for damaged files
        raise ExtractError("unreadable", f"not a readable PDF: {e}") from None
    if not "".join(pages).strip():
        raise ExtractError(
            "unreadable",
            f"PDF has {len(pages)} page(s) but no text layer (a scan?); run OCR first",
        )
    pages, dropped = drop_running_lines(pages)
    warnings = [f"pdf: dropped {dropped} running header/footer line(s) repeated on most pages"] if dropped else []
    return "\n".join(pages), warnings
