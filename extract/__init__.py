"""nhiemvu: tasks from Vietnamese directive texts.

The public API is small::

    from extract import extract_text, extract_file
    record = extract_text(open("cv.txt", encoding="utf-8").read(), source="cv.txt")

``extract_text`` and ``extract_file`` return the SPEC §2 record as a dict (an
error record for input that cannot be processed; they never raise).
``extract_document`` returns the typed :class:`~extract.models.Document`.
"""
from __future__ import annotations

from typing import Any

from .models import SCHEMA, Agency, Deadline, Document, Obligation, Reference

__all__ = [
    "SCHEMA", "Agency", "Deadline", "Document", "Obligation", "Reference",
    "extract_text", "extract_file", "extract_document", "search",
]
__version__ = "0.1.0"


def extract_text(text: str, source: str = "-", with_text: bool = False, explain: bool = False) -> dict[str, Any]:
    from .pipeline import extract_text as _run

    return _run(text, source, with_text=with_text, explain=explain)


def extract_file(path: str, with_text: bool = False, explain: bool = False) -> dict[str, Any]:
    from .pipeline import process_path

    return process_path(str(path), with_text=with_text, explain=explain)[0]


def extract_document(text: str, source: str = "-") -> Document:
    from .pipeline import extract_document as _run

    return _run(text, source)


def search(db: str, words: Any = None, **filters: Any) -> list[dict[str, Any]]:
    """Search an index built by ``nhiemvu index`` (filters: agency, jurisdiction, type, due_before,
    due_after, overdue, as_of, number, role, limit); each hit is ``{"obligation", "document",
    "via_collective", "agency", "role"}``."""
    from .store import search as _search

    return _search(db, words, **filters)
