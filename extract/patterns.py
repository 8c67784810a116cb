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

import regex as re
from regex import _regex

from . import datafile
from ._literals import DIGIT, anchored_scan, find_all, leads_and_reach, required_literals


@dataclass(frozen=True)
class Pattern:
    table: str
    category: str
    row: int
    source: str
    regex: "re.Pattern[str]"
    examples: tuple[str, ...]
    near_misses: tuple[str, ...] = ()  # phrases it must not match (a fourth column)

    @property
    def rule(self) -> str:
        return f"{self.table}:{self.category}#{self.row}"


@lru_cache(maxsize=None)
def load_table(name: str) -> tuple[Pattern, ...]:
    table = name.rsplit(".", 1)[0]
    out: list[Pattern] = []
    for lineno, parts in datafile.rows(name):
        if len(parts) < 2:
            raise ValueError(f"{name}:{lineno}: expected category<TAB>regex[<TAB>examples]")
        category, source = parts[0].strip(), parts[1]
        examples = tuple(e.strip() for e in parts[2].split(" || ")) if len(parts) > 2 and parts[2].strip() else ()
        misses = tuple(e.strip() for e in parts[3].split(" || ")) if len(parts) > 3 and parts[3].strip() else ()
        out.append(
            Pattern(table, category, lineno, source, re.compile(source, re.IGNORECASE | re.V0), examples, misses)
        )
    return tuple(out)


@lru_cache(maxsize=None)
def category(name: str, cat: str) -> tuple[Pattern, ...]:
    return tuple(p for p in load_table(name) if p.category == cat)


# Most texts match no pattern of a category, and the regex engine tries each pattern at every
# position.  ``extract._literals`` reads off a pattern's syntax what every match contains
# ("ký", "ban hành" ...) and the literals every match starts with: a text without the former is
# skipped, and with the latter the pattern is tried only where one of them stands (str.find).
# The analysis reads the source without the IGNORECASE the table is compiled with, so the
# literals are looked for, lower-cased, in ``text.lower()``.  That is exact when every case
# variant ``regex`` accepts for a literal character lower-cases to the one character that it
# does (Vietnamese and ASCII letters); a variant that does not ("İ" for "i", "ſ" for "s", "Σ"
# whose lower() depends on its neighbours) is ``unsafe``: a text holding one is searched with
# every pattern as it is.  Digit tokens are not used.  A pattern anchored at the start of the
# text ("^(?:a|b)", no MULTILINE) fails fast anyway and is searched as it is.

_SIGMA = "\u03a3"
_SHORT_SCAN = 8  # "^\d{1,2}..." still fails fast; "^[^;]{0,120}?..." scans


def _unsafe_variants(ch: str) -> set[str] | None:
    """The case variants of literal character ``ch`` (for ``regex`` IGNORECASE, V0) that
    ``str.lower`` does not map to ``ch.lower()``; None when ``ch`` itself is such."""
    low = ch.lower()
    if len(low) != 1 or ch == _SIGMA:
        return None
    return {v for v in map(chr, _regex.get_all_cases(re.IGNORECASE | re.V0, ord(ch)))
            if v.lower() != low or v == _SIGMA}


def _fewest(literals: set[str]) -> tuple[str, ...]:
    """An any-of set of literals without those that hold another of the set ("(ảnh" holds
    "ảnh"): a text with one of them has one of the rest, so the test says the same with fewer."""
    return tuple(sorted(t for t in literals if not any(u != t and u in t for u in literals)))


def _fails_fast(src: str) -> bool:
    """Anchored at the start of the text (no MULTILINE), and not opening with a long scan such
    as "^[^;]{0,120}?": the regex engine makes one short attempt, cheaper than the screen."""
    scan = anchored_scan(src)
    return scan is not None and scan <= _SHORT_SCAN


@lru_cache(maxsize=None)
def _screened(name: str, cat: str):
    """The patterns of ``cat``, each with a conjunction of any-of sets of lower-cased literals
    that every match contains (``()``: nothing known) and the lower-cased literals every match
    starts with (``()``: not known); and the characters that make a text unsafe for both
    (None: no pattern has either)."""
    out, unsafe = [], set()

    def usable(literals) -> bool:
        bad = [_unsafe_variants(c) for c in set("".join(literals))]
        if None in bad:
            return False
        unsafe.update(*bad)
        return True

    for p in category(name, cat):
        needs: list[tuple[str, ...]] = []
        leads: tuple[str, ...] = ()
        if not _fails_fast(p.source):
            needs = [_fewest({t.lower() for t in alts}) for alts in required_literals(p.source)
                     if DIGIT not in alts and usable(alts)]
            found = leads_and_reach(p.source)
            if found.indent < 0 and found.literals and usable(found.literals):
                leads = tuple(sorted({t.lower() for t in found.literals}))
        out.append((p, tuple(needs), leads))
    if not any(needs or leads for _p, needs, leads in out):
        return tuple(out), None  # nothing to look for: no lower()
    return tuple(out), tuple(sorted(unsafe))


def _lead_search(rx, leads: tuple[str, ...], text: str, low: str):
    """``rx.search(text)`` tried only where a lead stands in ``low`` (``text.lower()``, of the
    same length); ``regex`` sees the text before a start as ``search`` does (lookbehind, \\b)."""
    starts = {i for lead in leads for i in find_all(low, lead)}
    for s in sorted(starts):
        m = rx.match(text, s)
        if m:
            return m
    return None


@lru_cache(maxsize=4)
def _lowered(text: str) -> str | None:
    """``text.lower()`` when it has the length of ``text`` (offsets agree), else None.  One
    sentence is looked up in several categories in turn (is_directive, prose): it is lower-cased
    once for all of them."""
    low = text.lower()
    return low if len(low) == len(text) else None


def _has_needs(low: str, needs: tuple[tuple[str, ...], ...]) -> bool:
    """``low`` holds one literal of each any-of set of ``needs``."""
    for alts in needs:
        for t in alts:
            if t in low:
                break
        else:
            return False
    return True


def first_match(name: str, cat: str, text: str):
    """The first pattern of ``cat`` that matches ``text``: ``(Pattern, Match)`` or ``None``.

    A line break inside the text is read as a space (same offsets): a paragraph wrapped by a PDF
    or by hand ("chịu trách nhiệm thi hành Quyết\nđịnh này") says what it says on one line."""
    if "\n" in text:
        text = text.replace("\n", " ")
    screened, unsafe = _screened(name, cat)
    low = None
    if unsafe is not None:
        for u in unsafe:
            if u in text:
                break
        else:
            low = _lowered(text)
    for p, needs, leads in screened:
        if low is not None and (needs or leads):
            if needs and not _has_needs(low, needs):
                continue  # lacks a literal every match contains
            m = _lead_search(p.regex, leads, text, low) if leads else p.regex.search(text)
        else:
            m = p.regex.search(text)
        if m:
            return p, m
    return None


SEGMENT = "segment_cues.tsv"


def seg(cat: str, text: str):
    return first_match(SEGMENT, cat, text)
