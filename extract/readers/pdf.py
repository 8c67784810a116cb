"""PDF (text layer) → text via pypdf; a scanned PDF with no text layer is a clear error."""
from __future__ import annotations

import io

from ..models import ExtractError


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
    text = "\n".join(pages)
    if not text.strip():
        raise ExtractError(
            "unreadable",
            f"PDF has {len(pages)} page(s) but no text layer (a scan?); run OCR first",
        )
    return text, []
