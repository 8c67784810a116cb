"""Readers: bytes → Unicode text + warnings.

``read_path`` dispatches on the file suffix; every failure is an
:class:`~extract.models.ExtractError` with a SPEC §2 code, never a crash.
Readers know nothing of Vietnamese document structure.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..models import ExtractError
from .text import decode_bytes

DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # 20 MiB: far above any real letter

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
DOCX_SUFFIXES = {".docx"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | DOCX_SUFFIXES | PDF_SUFFIXES


def read_bytes(data: bytes, suffix: str = ".txt", source: str = "-") -> tuple[str, list[str]]:
    """Decode ``data`` of the given kind (by suffix) into text."""
    suffix = suffix.lower()
    if not data or not data.strip():
        raise ExtractError("empty", "the input is empty")
    if suffix in HTML_SUFFIXES:
        from .html import html_to_text

        text, warnings = decode_bytes(data)
        return html_to_text(text), warnings
    if suffix in DOCX_SUFFIXES:
        from .docx import docx_to_text

        return docx_to_text(data)
    if suffix in PDF_SUFFIXES:
        from .pdf import pdf_to_text

        return pdf_to_text(data)
    if suffix not in TEXT_SUFFIXES:
        raise ExtractError("unsupported_format", f"unsupported file type {suffix!r}")
    text, warnings = decode_bytes(data)
    # an HTML page saved as .txt still reads as a page
    head = text.lstrip()[:200].lower()
    if head.startswith("<!doctype html") or head.startswith("<html"):
        from .html import html_to_text

        text = html_to_text(text)
        warnings.append("format: HTML markup found in a text file; tags removed")
    return text, warnings


def read_path(path: str | os.PathLike, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, list[str]]:
    """Read one file; raise ExtractError(code, message) when it cannot be used."""
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise ExtractError("not_found", f"no such file: {path}") from None
    except OSError as e:
        raise ExtractError("unreadable", f"cannot stat {path}: {e.strerror or e}") from None
    if p.is_dir():
        raise ExtractError("unsupported_format", f"{path} is a directory")
    if st.st_size > max_bytes:
        raise ExtractError(
            "too_large", f"{st.st_size} bytes is over the limit of {max_bytes} bytes (--max-size)"
        )
    if st.st_size == 0:
        raise ExtractError("empty", "the file is empty")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise ExtractError("unreadable", f"cannot read {path}: {e.strerror or e}") from None
    return read_bytes(data, p.suffix, str(path))
