"""Document references (SPEC §4): every other document a text cites, with short-cite resolution.

Patterns and word lists are data: ``data/reference_patterns.tsv`` (regex fragments, rules with
examples and near misses), ``data/reference_lexicon.tsv`` (issuer / title stop words, issuer
abbreviations) and ``data/doc_types.tsv`` (type names and abbreviations, via doctypes.py).

How it works, in one pass over the normalised text:

1. Candidates: ``ref.named`` ("Công điện số 280/CĐ-TTg"), ``ref.law_titled`` ("Luật Bảo hiểm y
   tế số 25/2008/QH12"), ``ref.short`` ("Chỉ thị 26", "Công điện số 1409"), ``ref.typed`` (a
   number with a type part but no name, "112/QĐ-TTg") and ``ref.title`` ("Luật Ban hành văn bản
   quy phạm pháp luật", "Quy chế làm việc của Ủy ban nhân dân tỉnh").  Overlaps keep the earliest
   start, then the more specific rule.
2. Each candidate reads its tail: ``ngày <date>``, ``của <issuer>``, ``năm <year>``.
3. Candidates become references in reading order.  The same normalised number is one reference;
   a short cite joins the latest earlier reference of the same type whose number starts with
   its digits (eyecite's short-cite resolver, simplified); the document's own number (argument
   ``own_number`` or, failing that, the header line "Số: ...") is never a reference.

A digits-only first citation ("Công điện số 1409 ngày 15 tháng 9 năm 2021 của Bộ Y tế") is kept
with number "1409" (the digits as written) when a date or an issuer follows it; without either
it is dropped (too weak: "phương án số 2").  A later full number with the same digits and type
upgrades it.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from . import _re as regex
from . import datafile

from ._literals import Leads, _sc, lead_finditer, leads_and_reach, pattern_reach, sre_parse as _sre_parse, trie_alternation
from .doctypes import (
    all_abbrevs,
    all_names,
    doc_type_from_name,
    doc_type_from_number,
    leading_digits,
    normalize_number,
    number_type_part,
)
from .models import Provenance, Reference

DATA_DIR = Path(__file__).resolve().parent / "data"
PATTERNS_FILE = DATA_DIR / "reference_patterns.tsv"
LEXICON_FILE = DATA_DIR / "reference_lexicon.tsv"

# Rule priority when two candidates start at the same place (lower wins), and confidence.
_PRIORITY = {"ref.law_titled": 0, "ref.named": 1, "ref.short": 2, "ref.typed": 3, "ref.title": 4}
_CONFIDENCE = {
    "ref.law_titled": 0.9,
    "ref.named": 0.95,
    "ref.short": 0.7,
    "ref.typed": 0.8,
    "ref.title": 0.6,
}

# one (immutable) Provenance per rule, shared by its references
_PROVENANCE = {rule: Provenance(rule=rule, confidence=conf) for rule, conf in _CONFIDENCE.items()}

_MAX_ISSUER_WORDS = 12
_MAX_TITLE_WORDS = 10
_EXCLUDE_WINDOW = 40


# ------------------------------------------------------------------------------------------------
# data loading


@dataclass
class PatternSpec:
    id: str
    source: str
    regex: regex.Pattern
    examples: list[tuple[str, str]] = field(default_factory=list)
    near_misses: list[str] = field(default_factory=list)
    # where matches start (_literals.leads_and_reach): the pattern is tried only there
    leads: Leads = field(default_factory=Leads)

    def finditer(self, text: str, overlapped: bool = False):
        """``regex.finditer(text, overlapped=overlapped)``, the same matches faster."""
        return lead_finditer(self.regex, self.leads, text, overlapped)


@dataclass
class Rules:
    patterns: dict[str, PatternSpec]
    fragments: dict[str, str]
    rejects: list[str]
    issuer_marks: tuple[str, ...]
    issuer_stop: frozenset[str]
    title_stop: frozenset[str]
    title_heads: dict[str, tuple[str, bool, bool]]  # head -> (slug, needs_upper, allows_cua)
    abbrevs: dict[str, str]
    lexicon_rows: list[tuple[str, str, str]]


def _unescape(s: str) -> str:
    return s.replace("\\n", "\n").replace("\\t", "\t")


def _alternation(words: list[str], ignore_case: bool) -> str:
    parts = []
    for w in words:
        # a space inside a name matches one or two blanks
        parts.append("[ \\t]{1,2}".join(regex.escape(x) for x in w.split()))
    alt = "|".join(parts)
    return f"(?i:{alt})" if ignore_case else f"(?:{alt})"


def _trie_alternation(words: list[str]) -> str:
    """The case-insensitive alternation of ``words`` (as _alternation), written as a tree of
    their shared beginnings ("Công(?:[ \\t]{1,2}(?:điện|văn)...)", see
    :func:`extract._literals.trie_alternation`), which the regex engine tries much faster than one
    branch per word.  Branches are lower-cased letters, so two that part ways differ in their next
    letter and at most one can go on; a node where a letter's case variants could take two
    branches falls back to the plain alternation."""

    def one_way(keys: list[str]) -> None:  # two ways that one letter could take: keep the list
        for i, a in enumerate(keys):
            if any(regex.fullmatch(f"(?i:{regex.escape(a)})", b) for b in keys[i + 1:]):
                raise ValueError(a)

    try:
        body = trie_alternation(
            (" ".join(w.split()) for w in words),
            key=lambda ch: ch.lower() if len(ch.lower()) == 1 else ch,
            edge=lambda ch: "[ \\t]{1,2}" if ch == " " else regex.escape(ch),
            check=one_way,
        )
    except ValueError:
        return _alternation(words, ignore_case=True)
    return f"(?i:{body})"


_FRAG_REF = regex.compile(r"(?<!\\[pP])\{([A-Z_]+)\}")


def _expand(value: str, frags: dict[str, str]) -> str:
    def sub(m: regex.Match) -> str:
        name = m.group(1)
        if name not in frags:
            raise KeyError(f"reference_patterns.tsv: unknown fragment {{{name}}}")
        return frags[name]

    # fragments are expanded when defined, so one pass suffices
    return _FRAG_REF.sub(sub, value)


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    frags: dict[str, str] = {
        "DOC_NAME": _trie_alternation(all_names()),
        # the same names one branch each, longest first: faster read backwards (lookbehind)
        "DOC_NAME_LIST": _alternation(all_names(), ignore_case=True),
        # "Ð" (U+00D0) is a legacy look-alike of "Đ" that normalize_number repairs
        "TYPE_ABBR": _alternation(all_abbrevs(), ignore_case=False).replace("Đ", "[ĐÐ]"),
    }
    patterns: dict[str, PatternSpec] = {}
    rejects: list[str] = []
    for _, row in datafile.rows(PATTERNS_FILE, nfc=True):
        kind = row[0].strip()
        rid = row[1].strip() if len(row) > 1 else ""
        value = row[2] if len(row) > 2 else ""
        if kind == "frag":
            frags[rid] = _expand(value, frags)
        elif kind == "pattern":
            src = _expand(value, frags)
            patterns[rid] = PatternSpec(rid, src, regex.compile(src, regex.V0), leads=leads_and_reach(src))
        elif kind == "example":
            expected = row[3].strip() if len(row) > 3 else "-"
            patterns[rid].examples.append((_unescape(value), expected))
        elif kind == "near_miss":
            patterns[rid].near_misses.append(_unescape(value))
        elif kind == "reject":
            rejects.append(_unescape(value))
        else:
            raise ValueError(f"reference_patterns.tsv: unknown row kind {kind!r}")

    marks: list[str] = []
    istop: set[str] = set()
    tstop: set[str] = set()
    heads: dict[str, tuple[str, bool, bool]] = {}
    abbrevs: dict[str, str] = {}
    lex_rows: list[tuple[str, str, str]] = []
    for _, row in datafile.rows(LEXICON_FILE, nfc=True):
        kind, key = row[0].strip(), row[1].strip()
        value = row[2].strip() if len(row) > 2 else ""
        lex_rows.append((kind, key, value))
        if kind == "issuer_mark":
            marks.append(key)
        elif kind == "issuer_stop":
            istop.add(key.casefold())
        elif kind == "title_stop":
            tstop.add(key.casefold())
        elif kind == "title_head":
            bits = value.split()
            heads[key] = (bits[0], "upper" in bits[1:], "cua" in bits[1:])
        elif kind == "abbrev":
            abbrevs[key] = value
        else:
            raise ValueError(f"reference_lexicon.tsv: unknown row kind {kind!r}")
    return Rules(
        patterns=patterns,
        fragments=frags,
        rejects=rejects,
        issuer_marks=tuple(marks),
        issuer_stop=frozenset(istop),
        title_stop=frozenset(tstop),
        title_heads=heads,
        abbrevs=abbrevs,
        lexicon_rows=lex_rows,
    )


@lru_cache(maxsize=1)
def _helpers() -> dict[str, regex.Pattern]:
    rules = load_rules()
    marks = "|".join(regex.escape(m) for m in rules.issuer_marks)
    names_cs = _alternation(all_names(), ignore_case=False)
    return {
        # tail pieces, anchored with .match(text, pos)
        "sep": regex.compile(r"[ \t]{0,2},?[ \t]{0,2}\n?[ \t]{0,2}"),
        "date_num": regex.compile(
            r"(?i:ngày)[ \t\n]{1,3}(\d{1,2})[ \t]{0,2}([/.\-])[ \t]{0,2}(\d{1,2})"
            r"(?:[ \t]{0,2}[/.\-][ \t]{0,2}(\d{4}))?(?![\d])"
        ),
        "date_words": regex.compile(
            r"(?i:ngày)[ \t\n]{1,3}(\d{1,2})[ \t\n]{1,3}(?i:tháng)[ \t\n]{1,3}(\d{1,2})"
            r"(?:[ \t\n,]{1,3}(?i:năm)[ \t\n]{1,3}(\d{4}))?(?![\d])"
        ),
        "year": regex.compile(r"(?i:năm)[ \t]{1,2}((?:19|20)\d\d)(?!\d)"),
        "issuer_mark": regex.compile(rf"(?i:{marks})(?=[ \t\n])"),
        # what each of date_words, date_num, year and issuer_mark opens with: where this does not
        # match, none of them does
        "tail_cue": regex.compile(rf"(?i:ngày|năm|{marks})"),
        # a word of an issuer or title, with the blank (and an optional " - " or ", ") before it
        "tok": regex.compile(
            r"(?P<sep>[ \t]{1,3}(?P<dash>[-–][ \t]{1,3})?|(?P<comma>,)[ \t]{1,2}|[ \t]{0,3}\n[ \t]{0,3})"
            r"(?P<w>[\p{L}\p{N}&]+(?:[.\-–][\p{L}\p{N}]+){0,3})"
        ),
        "name_cs": regex.compile(names_cs),
    }


# ------------------------------------------------------------------------------------------------
# small parsers


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _is_cap(word: str) -> bool:
    return bool(word) and word[0].isupper()


def _expand_abbrevs(phrase: str) -> str:
    abbrevs = load_rules().abbrevs
    return " ".join(abbrevs.get(w, w) for w in phrase.split())


def _is_upper_word(word: str) -> bool:
    return len(word) > 1 and word.isupper()


def _scan_words(
    text: str,
    pos: int,
    stop: frozenset[str],
    max_words: int,
    allow_comma: bool,
    title: bool = False,
) -> tuple[int, int] | None:
    """Collect words from ``pos`` (which must stand right before a blank) up to a stop.

    Returns (start of first word, end of last word) or None when no word was taken.
    Stops: a lower-case (or all-capital) word or two-word phrase in ``stop``, a digit-only word, a comma (unless ``allow_comma`` and a
    lower-case non-stop word follows within the first three words), "và" unless a capitalised
    word that does not open a citation follows, and ``max_words``.
    """
    h = _helpers()
    # up to max_words + 2 words in one match: the repeated group takes each word as a match of
    # "tok" alone at that place would (nothing follows the repetition, so no backtracking)
    m = _words_pattern(max_words + 2).match(text, pos)
    ws = m.captures("w")
    if not ws:
        return None
    seps = m.captures("sep")
    starts, ends = m.starts("w"), m.ends("w")
    n = len(ws)
    k = 0  # words taken: ws[:k]
    # (every test below only ends the phrase, so their order does not matter)
    for i in range(n):
        if k >= max_words:
            break
        w = ws[i]
        nxt = ws[i + 1] if i + 1 < n else ""
        cap = w[0].isupper()  # _is_cap(w)
        if cap and not (len(w) > 1 and w.isupper()):
            # a capitalised word is a name ("Ban Chỉ đạo", "Luật Ban hành ..."), never a stop
            if w in stop or (nxt and f"{w} {nxt}" in stop):
                break
        # lower case, or an all-capital heading ("CỦA BAN THƯỜNG VỤ TỈNH ỦY VỀ ...")
        elif w.casefold() in stop or (nxt and f"{w} {nxt}".casefold() in stop):
            break
        sep = seps[i]
        comma = "," in sep  # the (?P<comma>) way of "sep"; a dash only in the first way
        if i == 0 and comma:
            break
        if w.isdigit():
            break
        if text[ends[i] : ends[i] + 1] == "/":
            break  # "V/v", "b/c": an abbreviation with a slash ends the phrase
        if i > 0:
            if comma:
                if not (allow_comma and k <= 3 and not cap):
                    break
            if not cap and ("-" in sep or "–" in sep):
                break
            if "\n" in sep:
                # a hard-wrapped line goes on; a new line that opens with a capital (title) or
                # an all-capital heading word (issuer) starts something else
                if (title and cap) or (_is_upper_word(w) and not _is_upper_word(ws[k - 1])):
                    break
            if w.casefold() == "và":
                if not (nxt and _is_cap(nxt) and not h["name_cs"].match(text, starts[i + 1])):
                    break
        k += 1
    # do not end on a connector
    while k and ws[k - 1].casefold() in {"và", "của"}:
        k -= 1
    if not k:
        return None
    return starts[0], ends[k - 1]


@lru_cache(maxsize=None)
def _words_pattern(count: int) -> regex.Pattern:
    """``count`` times "tok" at most, capturing only ``sep`` and ``w`` (fewer captures to keep)."""
    tok = _helpers()["tok"].pattern.replace("(?P<dash>", "(?:").replace("(?P<comma>", "(?:")
    return regex.compile(f"(?:{tok}){{0,{count}}}")


def _scan_issuer(text: str, pos: int) -> tuple[str, int] | None:
    """Issuer after "của" at ``pos``: (expanded issuer, end) or None."""
    h = _helpers()
    m = h["issuer_mark"].match(text, pos)
    if not m:
        return None
    rules = load_rules()
    span = _scan_words(text, m.end(), rules.issuer_stop, _MAX_ISSUER_WORDS, False)
    if not span:
        return None
    raw = text[span[0] : span[1]]
    first = raw.split()[0]
    if not (_is_cap(first) or first in rules.abbrevs):
        return None
    return _expand_abbrevs(" ".join(raw.split())), span[1]


@dataclass(slots=True)
class _Tail:
    end: int
    date: str | None = None
    issuer: str | None = None


def _parse_tail(text: str, pos: int, issued_year: int | None) -> _Tail:
    """Read "ngày <date>", "của <issuer>" and "năm <year>" after a citation, in any order."""
    h = _helpers()
    tail = _Tail(end=pos)
    seen_year = False
    for _ in range(3):
        s = h["sep"].match(text, tail.end)
        p = s.end() if s else tail.end
        if h["tail_cue"].match(text, p) is None:
            break
        if tail.date is None:
            m = h["date_words"].match(text, p) or h["date_num"].match(text, p)
            if m:
                if m.re is h["date_words"]:
                    d, mo, y = int(m.group(1)), int(m.group(2)), m.group(3)
                else:
                    d, mo, y = int(m.group(1)), int(m.group(3)), m.group(4)
                year = int(y) if y else issued_year
                tail.date = _iso(year, mo, d) if year else None
                tail.end = m.end()
                continue
        if tail.issuer is None:
            r = _scan_issuer(text, p)
            if r:
                tail.issuer, tail.end = r
                continue
        if not seen_year:
            m = h["year"].match(text, p)
            if m:
                seen_year = True
                tail.end = m.end()
                continue
        break
    return tail


def _scan_title(text: str, m: regex.Match) -> tuple[str, str, int] | None:
    """A title cited alone: (slug, title, end) or None."""
    rules = load_rules()
    head = m.group("name")
    spec = rules.title_heads.get(head)
    if not spec:
        return None
    slug, needs_upper, allows_cua = spec
    if needs_upper and not text[m.end() : m.end() + 1].isupper():
        # the first title word (right after the one blank ref.title matched) is not capitalised
        return None
    pos = m.end("name")
    span = _scan_words(text, pos, rules.title_stop, _MAX_TITLE_WORDS, True, title=True)
    if not span:
        return None
    first = text[span[0] : span[1]].split()[0]
    if needs_upper and not _is_cap(first):
        return None
    end = span[1]
    if allows_cua:
        iss = _scan_issuer(text, _skip_blank(text, end))
        if iss:
            end = iss[1]
    title = " ".join(text[m.start("name") : end].split())
    return slug, title, end


def _skip_blank(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos


# ------------------------------------------------------------------------------------------------
# candidates


@dataclass(slots=True)
class _Cand:
    start: int
    num_end: int
    rule: str
    kind: str  # full, short, title
    name: str | None = None
    number: str | None = None  # raw as matched
    title: str | None = None
    slug: str | None = None  # for title
    end: int = 0
    tail: _Tail | None = None
    pending: regex.Match | None = None  # a test still to pass (see _candidates)


@dataclass
class _Anchored:
    """How to run ref.named and ref.short near their anchors (see ref.anchor in the data)."""

    hits: regex.Pattern  # ref.anchor: the digits a number of theirs can start at
    back: int  # how far before such a digit a match can start
    one_start: bool  # the name ref.anchor reports is the only start to try (see _anchored)
    cue: regex.Pattern  # a type name and its blank: where a match of theirs can start
    reach: dict[str, int]  # per rule, how far a match attempt may read


@lru_cache(maxsize=1)
def _anchored() -> _Anchored | None:
    """The ref.anchor set-up, or None (scan the whole text) when the data does not allow it."""
    rules = load_rules()
    f = rules.fragments
    if not _anchor_fits(rules):
        return None
    back = _max_width(f["DOC_NAME"]) + _max_width(f["WS"]) + _max_width(f["SO"])
    reach = {rid: pattern_reach(rules.patterns[rid].source) for rid in _ANCHORED}
    if not back or not all(reach.values()):
        return None
    # When no type name ends with a character that the blanks and "số" between name and number
    # (the gap) can hold, the name before an anchor digit ends in one place (a name ending
    # further on would end inside the gap).  Of the names ending there, ref.anchor reports the
    # one first in DOC_NAME_LIST (longest first), which is the one that starts first; and
    # since all of them are followed by the same gap and number, ref.named / ref.short match at
    # that first start or at none of them.  So that start is the only one to try.  (Names and
    # gaps hold no digit, so no match starts before the previous anchor digit either.)
    gap = _chars(f["WS"]), _chars(f["SO"])
    names = all_names()
    one_start = (
        None not in gap
        and not any(regex.fullmatch(f"(?i:{regex.escape(n[-1])})", g) for n in names for g in gap[0] | gap[1])
        and not any(regex.match(r"\d", ch) for ch in "".join(names) + "".join(gap[0] | gap[1]))
    )
    return _Anchored(
        hits=rules.patterns["ref.anchor"].regex,
        back=back,
        one_start=one_start,
        cue=regex.compile(f["BEGIN"] + f["DOC_NAME"] + f["WS"], regex.V0),
        reach=reach,
    )


_ANCHORED = ("ref.named", "ref.short")


def _anchor_fits(rules: Rules) -> bool:
    """ref.anchor finds every number start of ref.named and ref.short: both open with the cue
    {BEGIN}(?P<name>{DOC_NAME}){WS}, then {SO} or nothing (a lookahead at most), then a number
    that starts with a digit; ref.anchor is that cue read backwards from the digit."""
    f, P = rules.fragments, rules.patterns
    so = f"(?:{f['SO']})"
    back_cue = f["BEGIN"] + "(?P<name>" + f["DOC_NAME_LIST"] + ")" + f["WS"]
    if P["ref.anchor"].source != f"(?<={back_cue}{so}?)\\d":
        return False
    cue = f["BEGIN"] + "(?P<name>" + f["DOC_NAME"] + ")" + f["WS"]
    number = f"(?:{f['PARTY']}|{f['ADMIN']}|{f['OLD']})"
    if f["NUMBER"] != number or not all(f[k].startswith("\\d") for k in ("PARTY", "ADMIN", "OLD")):
        return False
    if not P["ref.named"].source.startswith(f"{cue}{so}?(?P<num>{number}"):
        return False
    short = P["ref.short"].source
    head = f"{cue}(?:{f['SO']}|"
    if not short.startswith(head) or ")(?P<num>\\d" not in short:
        return False
    between = short[len(head):short.index(")(?P<num>\\d")]
    try:  # a lookahead: zero width
        return between.startswith("(?!") and _sre_parse(between).getwidth() == (0, 0)
    except Exception:  # noqa: BLE001
        return False


def _chars(src: str) -> set[str] | None:
    """Every character a pattern piece can match, or None when that is not a short list (a
    range or category)."""
    out: set[str] = set()

    def walk(items) -> bool:
        for op, av in items:
            if op is _sc.LITERAL:
                out.add(chr(av))
            elif op is _sc.IN:
                for op2, av2 in av:
                    if op2 is not _sc.LITERAL:
                        return False
                    out.add(chr(av2))
            elif op is _sc.SUBPATTERN:
                if not walk(av[3]):
                    return False
            elif op in (_sc.MAX_REPEAT, _sc.MIN_REPEAT):
                if not walk(av[2]):
                    return False
            elif op is _sc.BRANCH:
                if not all(walk(a) for a in av[1]):
                    return False
            elif op not in (_sc.ASSERT, _sc.ASSERT_NOT, _sc.AT):
                return False
        return True

    try:
        return out if walk(_sre_parse(src)) else None
    except Exception:  # noqa: BLE001
        return None


def _max_width(src: str) -> int:
    """The longest text a pattern piece can match (0 when unknown)."""
    try:
        hi = _sre_parse(src).getwidth()[1]
    except Exception:  # noqa: BLE001 - syntax of ``regex`` only
        return 0
    return hi if hi < 1 << 20 else 0


def _anchored_finditer(text: str) -> dict[str, list[regex.Match]]:
    """``finditer`` of ref.named and ref.short, tried only where a type name before an anchor
    digit starts (every match of theirs starts there), which is the same list of matches: at
    the name ref.anchor reports (see _anchored), or else wherever the cue matches in the
    stretch before the digit that such a match can start in."""
    a = _anchored()
    P = load_rules().patterns
    if a is None:
        return {rid: list(P[rid].regex.finditer(text)) for rid in _ANCHORED}
    n = len(text)
    rules = [(P[rid].regex.match, a.reach[rid], []) for rid in _ANCHORED]
    ends = [0] * len(rules)
    done = 0
    for h in a.hits.finditer(text):
        d = h.start()
        lo = max(done, d - a.back)  # every match whose number starts at d starts in [lo, d)
        done = d
        s0 = h.start("name")
        if a.one_start and s0 >= lo and s0 >= max(ends):
            starts: Iterable[int] = (s0,)
        elif lo < d:
            starts = [w.start() for w in a.cue.finditer(text, lo, d, overlapped=True)]
        else:
            continue
        for s in starts:
            for i, (match, reach, found) in enumerate(rules):
                if s < ends[i]:
                    continue  # finditer goes on after the previous match
                m = match(text, s, min(n, s + reach))
                if m is not None:
                    found.append(m)
                    ends[i] = m.end()
    return {rid: found for rid, (_m, _r, found) in zip(_ANCHORED, rules)}


def _excluded_before(text: str, pos: int) -> bool:
    pat = load_rules().patterns["ctx.exclude"].regex
    return bool(pat.search(text[max(0, pos - _EXCLUDE_WINDOW) : pos]))


def _candidates(text: str, header_spans: list[tuple[int, int]]) -> list[_Cand]:
    rules = load_rules()
    P = rules.patterns
    cands: list[_Cand] = []

    def in_header(s: int, e: int) -> bool:
        for hs, he in header_spans:
            if hs <= s < he or hs < e <= he:
                return True
        return False

    anchored = _anchored_finditer(text)
    for m in anchored["ref.named"]:
        if header_spans and in_header(m.start("num"), m.end("num")):
            continue
        cands.append(
            _Cand(m.start("name"), m.end("num"), "ref.named", "full", name=m.group("name"), number=m.group("num"))
        )
    for m in P["ref.law_titled"].finditer(text, overlapped=True):
        title_words = m.group("title")
        if rules.patterns["ref.named"].regex.search(title_words) or _helpers()["name_cs"].search(title_words):
            continue
        title = " ".join((m.group("name") + title_words).split())
        cands.append(
            _Cand(
                m.start("name"), m.end("num"), "ref.law_titled", "full",
                name=m.group("name"), number=m.group("num"), title=title,
            )
        )
    for m in anchored["ref.short"]:
        cands.append(
            _Cand(m.start("name"), m.end("num"), "ref.short", "short", name=m.group("name"), number=m.group("num"))
        )
    for m in P["ref.typed"].regex.finditer(text):
        s = m.start("num")
        if header_spans and in_header(s, m.end("num")):
            continue
        # _excluded_before is checked below, only if the candidate is not overlapped anyway
        cands.append(_Cand(s, m.end("num"), "ref.typed", "full", number=m.group("num"), pending=m))
    for m in P["ref.title"].finditer(text):
        # _scan_title runs below, only if the candidate is not overlapped anyway; its end
        # plays no part in the order (no two candidates of one rule start at one place)
        cands.append(
            _Cand(m.start("name"), m.end("name"), "ref.title", "title", name=m.group("name"), pending=m)
        )

    cands.sort(key=lambda c: (c.start, _PRIORITY[c.rule], -c.num_end))
    kept: list[_Cand] = []
    last_end = -1
    for c in cands:
        if c.start < last_end:
            continue
        if c.pending is not None:
            # a candidate whose last test was put off: failing it, it never was one
            if c.rule == "ref.typed":
                if _excluded_before(text, c.start):
                    continue
            else:
                t = _scan_title(text, c.pending)
                if not t:
                    continue
                c.slug, c.title, c.num_end = t
            c.pending = None
        kept.append(c)
        last_end = c.num_end
    return kept


# ------------------------------------------------------------------------------------------------
# public API


def _key(number: str) -> str:
    return normalize_number(number).casefold()


def _full_doc_type(name: str | None, number: str) -> str | None:
    """The type of a full citation: the name wins, except the generic "văn bản", which yields
    to an explicit type part of the number (văn bản số 3681/BC-TCT -> bao_cao) and otherwise
    stays van_ban (SPEC §6)."""
    from_name = doc_type_from_name(name) if name else None
    if from_name == "van_ban":
        part = number_type_part(number)
        return doc_type_from_number(number) if part else "van_ban"
    return from_name or doc_type_from_number(number)


def find_references(text: str, own_number: str | None = None, issued_year: int | None = None) -> list[Reference]:
    """Every other document ``text`` cites, one Reference per document (SPEC §4).

    ids are "r1", "r2", ... in order of first mention; each Reference lists all its mentions.
    ``own_number`` (normalised here) is never a reference; ``issued_year`` completes cited dates
    written without a year ("ngày 21/4").
    """
    if not text:
        return []
    rules = load_rules()
    header_spans: list[tuple[int, int]] = []
    own_keys: set[str] = set()
    own_digits_types: set[tuple[str, str | None]] = set()
    if own_number:
        own_keys.add(_key(own_number))
    for m in rules.patterns["header.own"].finditer(text):
        header_spans.append((m.start("num"), m.end("num")))
        if not own_number and not own_keys:
            own_keys.add(_key(m.group("num")))
    for k in own_keys:
        own_digits_types.add((leading_digits(k), doc_type_from_number(k)))

    refs: list[Reference] = []
    by_key: dict[str, Reference] = {}
    last_mention: dict[str, int] = {}  # ref id -> start of its latest mention

    def new_ref(**kw) -> Reference:
        r = Reference(id=f"r{len(refs) + 1}", **kw)
        refs.append(r)
        return r

    for c in _candidates(text, header_spans):
        c.tail = _parse_tail(text, c.num_end, issued_year)
        c.end = c.tail.end
        span = (c.start, c.end)
        prov = _PROVENANCE[c.rule]

        if c.kind == "title":
            key = "title:" + c.title.casefold()
            r = by_key.get(key)
            if r is None:
                r = new_ref(
                    text=text[c.start : c.end], doc_type=c.slug, number=None, title=c.title,
                    date=c.tail.date, issuer=c.tail.issuer, mentions=[span], provenance=prov,
                )
                by_key[key] = r
            else:
                r.mentions.append(span)
            last_mention[r.id] = c.start
            continue

        if c.kind == "full":
            number = normalize_number(c.number)
            key = number.casefold()
            if key in own_keys:
                continue
            dtype = _full_doc_type(c.name, number)
            r = by_key.get(key)
            if r is None:
                # a digits-only reference with the same digits and type is this one, now in full
                d = leading_digits(number)
                for cand in reversed(refs):
                    if cand.number and cand.number.isdigit() and leading_digits(cand.number) == d and (
                        cand.doc_type == dtype or "van_ban" in (cand.doc_type, dtype)
                    ):
                        by_key.pop(cand.number.casefold(), None)
                        cand.number = number
                        by_key[key] = cand
                        r = cand
                        break
            if r is None:
                r = new_ref(
                    text=text[c.start : c.end], doc_type=dtype, number=number, title=c.title,
                    date=c.tail.date, issuer=c.tail.issuer, mentions=[span], provenance=prov,
                )
                by_key[key] = r
            else:
                r.mentions.append(span)
                if r.doc_type in (None, "van_ban") and dtype not in (None, "van_ban"):
                    r.doc_type = dtype
                r.date = r.date or c.tail.date
                r.issuer = r.issuer or c.tail.issuer
                r.title = r.title or c.title
            last_mention[r.id] = c.start
            continue

        # short cite: digits only, after a type name
        digits = c.number.lstrip("0") or c.number
        dtype = doc_type_from_name(c.name) if c.name else None
        if (digits, dtype) in own_digits_types:
            continue
        target = None
        best_pos = -1
        for r in refs:
            if not r.number or leading_digits(r.number) != digits:
                continue
            if not (r.doc_type == dtype or dtype == "van_ban" or r.doc_type == "van_ban"):
                continue
            if last_mention.get(r.id, -1) > best_pos:
                target, best_pos = r, last_mention.get(r.id, -1)
        if target is not None:
            target.mentions.append(span)
            target.date = target.date or c.tail.date
            target.issuer = target.issuer or c.tail.issuer
            last_mention[target.id] = c.start
            continue
        if c.tail.date or c.tail.issuer:
            number = normalize_number(c.number)
            r = new_ref(
                text=text[c.start : c.end], doc_type=dtype, number=number, title=None,
                date=c.tail.date, issuer=c.tail.issuer, mentions=[span], provenance=prov,
            )
            by_key[number.casefold()] = r
            last_mention[r.id] = c.start
    return refs


def references_in_span(refs: list[Reference], start: int, end: int) -> list[str]:
    """ids of the references with a mention that begins inside [start, end), in the order of
    their first mention there (used to fill ``obligation.references``)."""
    hits: list[tuple[int, int, str]] = []
    for order, r in enumerate(refs):
        starts = [s for s, _e in r.mentions if start <= s < end]
        if starts:
            hits.append((min(starts), order, r.id))
    hits.sort()
    return [rid for _s, _o, rid in hits]
