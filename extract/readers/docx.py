"""DOCX → text: paragraphs (with their list numbering kept as text) and tables, in body order."""
from __future__ import annotations

import io

from ..models import ExtractError


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

    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = []
                for cell in row.cells:
                    t = " ".join(cell.text.split())
                    if t and (not cells or cells[-1] != t):
                        cells.append(t)
                lines.append(" | ".join(cells))
    return "\n".join(lines), []
