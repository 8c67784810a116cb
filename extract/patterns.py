"""Load pattern tables kept as data in ``extract/data/*.tsv``.

A table row is ``category <TAB> regex <TAB> examples`` (examples separated by
`` || ``); lines starting with ``#`` are notes.  Patterns are compiled once,
case-insensitively, with the ``regex`` module (Unicode properties such as
``\\p{L}``).  Each compiled pattern remembers its table, category and row so an
extraction can say which rule produced it (provenance).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import regex as re


@dataclass(frozen=True)
class Pattern:
    table: str
    category: str
    row: int
    source: str
    regex: "re.Pattern[str]"
    examples: tuple[str, ...]

    @property
    def rule(self) -> str:
        return f"{self.table}:{self.category}#{self.row}"


def data_text(name: str) -> str:
    return resources.files("extract").joinpath("data", name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def load_table(name: str) -> tuple[Pattern, ...]:
    table = name.rsplit(".", 1)[0]
    out: list[Pattern] = []
    for lineno, line in enumerate(data_text(name).splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            raise ValueError(f"{name}:{lineno}: expected category<TAB>regex[<TAB>examples]")
        category, source = parts[0].strip(), parts[1]
        examples = tuple(e.strip() for e in parts[2].split(" || ")) if len(parts) > 2 and parts[2].strip() else ()
        out.append(
            Pattern(table, category, lineno, source, re.compile(source, re.IGNORECASE | re.V0), examples)
        )
    return tuple(out)


@lru_cache(maxsize=None)
def category(name: str, cat: str) -> tuple[Pattern, ...]:
    return tuple(p for p in load_table(name) if p.category == cat)


def first_match(name: str, cat: str, text: str):
    """The first pattern of ``cat`` that matches ``text``: ``(Pattern, Match)`` or ``None``."""
    for p in category(name, cat):
        m = p.regex.search(text)
        if m:
            return p, m
    return None


SEGMENT = "segment_cues.tsv"


def seg(cat: str, text: str):
    return first_match(SEGMENT, cat, text)
