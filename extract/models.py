"""Typed models of SPEC.md and their JSON form.

Every extraction keeps its character span ``(start, end)`` into the *normalised*
text (SPEC §7) and a :class:`Provenance` that says which rule or model produced it
and how sure it is.  The JSON form (``to_json``) follows the key order of the SPEC;
provenance is internal and is only written when asked for (``--explain``).

This module imports no other stage.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA = "nhiemvu/1"

Span = tuple[int, int]

ERROR_CODES = (
    "not_found",
    "unreadable",
    "unsupported_format",
    "encoding",
    "empty",
    "too_large",
    "timeout",
    "internal",
)


@dataclass(frozen=True)
class Provenance:
    """Which rule (pattern id, data file entry) or model produced an extraction."""

    rule: str
    confidence: float = 1.0

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "confidence": round(self.confidence, 3)}


@dataclass
class Agency:
    text: str
    name: str
    kind: str = "other"
    level: str | None = None
    jurisdiction: str | None = None
    head: str | None = None
    collective: bool = False
    span: Span = (0, 0)
    inherited: bool = False
    provenance: Provenance | None = None

    @property
    def full_name(self) -> str:
        """The name with the addressed head in front (SPEC §10 gold form)."""
        if self.head and not self.name.lower().startswith(self.head.lower()):
            return f"{self.head} {self.name}"
        return self.name

    def to_json(self, explain: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {
            "text": self.text,
            "name": self.name,
            "kind": self.kind,
            "level": self.level,
            "jurisdiction": self.jurisdiction,
            "head": self.head,
            "collective": self.collective,
            "span": list(self.span),
        }
        if self.inherited:
            d["inherited"] = True
        if explain and self.provenance:
            d["provenance"] = self.provenance.to_json()
        return d


@dataclass
class Reference:
    id: str
    text: str
    doc_type: str | None = None
    number: str | None = None
    title: str | None = None
    date: str | None = None
    issuer: str | None = None
    mentions: list[Span] = field(default_factory=list)
    provenance: Provenance | None = None

    def to_json(self, explain: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "text": self.text,
            "doc_type": self.doc_type,
            "number": self.number,
            "title": self.title,
            "date": self.date,
            "issuer": self.issuer,
            "mentions": [list(m) for m in self.mentions],
        }
        if explain and self.provenance:
            d["provenance"] = self.provenance.to_json()
        return d


@dataclass
class Deadline:
    text: str
    kind: str  # date, month, quarter, half_year, year, relative, recurring, immediate, ongoing
    due: str | None = None
    recurrence: str | None = None
    span: Span = (0, 0)
    provenance: Provenance | None = None

    def to_json(self, explain: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {
            "text": self.text,
            "kind": self.kind,
            "due": self.due,
            "recurrence": self.recurrence,
            "span": list(self.span),
        }
        if explain and self.provenance:
            d["provenance"] = self.provenance.to_json()
        return d


@dataclass
class Obligation:
    index: int
    label: str | None
    text: str
    span: Span
    assignees: list[Agency] = field(default_factory=list)
    coordinators: list[Agency] = field(default_factory=list)
    report_to: list[Agency] = field(default_factory=list)
    deadline: Deadline | None = None
    type: str = "implement"
    type_score: float = 0.0
    references: list[str] = field(default_factory=list)
    provenance: Provenance | None = None
    # internal: outline depth (0 for prose) used by the classifier features
    depth: int = 0

    def to_json(self, doc_id: str, explain: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": f"{doc_id}:{self.index}",
            "index": self.index,
            "label": self.label,
            "text": self.text,
            "span": list(self.span),
            "assignees": [a.to_json(explain) for a in self.assignees],
            "coordinators": [a.to_json(explain) for a in self.coordinators],
            "report_to": [a.to_json(explain) for a in self.report_to],
            "deadline": self.deadline.to_json(explain) if self.deadline else None,
            "type": self.type,
            "type_score": round(self.type_score, 4),
            "references": list(self.references),
        }
        if explain and self.provenance:
            d["provenance"] = self.provenance.to_json()
        return d


@dataclass
class Signer:
    name: str | None
    position: str | None
    authority: str | None
    span: Span = (0, 0)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "position": self.position, "authority": self.authority}


@dataclass
class Document:
    id: str
    source: str
    text: str
    format: str = "letter"
    doc_type: str | None = None
    number: str | None = None
    issuer: Agency | None = None
    place: str | None = None
    issued_date: str | None = None
    subject: str | None = None
    recipients: list[Agency] = field(default_factory=list)
    signer: Signer | None = None
    cc: list[str] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_json(self, with_text: bool = False, explain: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {
            "schema": SCHEMA,
            "id": self.id,
            "source": self.source,
            "format": self.format,
            "doc_type": self.doc_type,
            "number": self.number,
            "issuer": self.issuer.to_json(explain) if self.issuer else None,
            "place": self.place,
            "issued_date": self.issued_date,
            "subject": self.subject,
            "recipients": [a.to_json(explain) for a in self.recipients],
            "signer": self.signer.to_json() if self.signer else None,
            "cc": list(self.cc),
            "references": [r.to_json(explain) for r in self.references],
            "obligations": [o.to_json(self.id, explain) for o in self.obligations],
            "warnings": list(self.warnings),
        }
        if with_text:
            d["text"] = self.text
        return d

    def flat_json(self, explain: bool = False) -> list[dict[str, Any]]:
        """``--flat``: one object per obligation with the document's identity."""
        issuer = self.issuer.to_json(explain) if self.issuer else None
        out = []
        for o in self.obligations:
            rec: dict[str, Any] = {
                "schema": SCHEMA,
                "doc_id": self.id,
                "number": self.number,
                "issuer": issuer,
                "issued_date": self.issued_date,
                "source": self.source,
            }
            rec.update(o.to_json(self.id, explain))
            out.append(rec)
        return out


def error_record(source: str, code: str, message: str) -> dict[str, Any]:
    """The one line a document that cannot be processed still gets (SPEC §2)."""
    if code not in ERROR_CODES:
        code = "internal"
    return {"schema": SCHEMA, "source": source, "error": {"code": code, "message": message}}


class ExtractError(Exception):
    """A failure that becomes an error record with a SPEC §2 code."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code if code in ERROR_CODES else "internal"
        self.message = message
