r"""What every match of a pattern contains and where it can start, read off its syntax tree.

A data pattern is searched much faster when the search is told where to look: a text that
lacks a literal every match contains cannot match, and a pattern whose matches all start
with one of a few literals need only be tried where those stand (``str.find`` is far faster
than the regex engine trying every position).  ``extract.dates`` (dates and deadlines) and
``extract.references`` use these; the results are exact (the same matches as a plain
``finditer``), and a pattern the analysis does not follow is simply searched as it is.

The tree comes from the standard ``re`` parser (``re._parser``, ``sre_parse`` before 3.11),
which reads the data patterns the way ``regex`` V0 does; syntax of ``regex`` alone (``\p{..}``
aside, read as one character) makes a pattern unanalysed, never wrongly analysed.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from . import _re as regex
from . import _recache

# what is read off a pattern is kept across runs with the compiled patterns (extract/_recache.py),
# keyed by this module's own source: a change here is never served an old result
_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]

# Read off a pattern's syntax tree (the parser of the standard ``re`` module, which reads the
# data patterns the way ``regex`` V0 does; a pattern using syntax of ``regex`` only gets no
# analysis), so both results below are exact:
#   required: what every match contains -- a literal ("khẩn", "tháng") or a digit -- as a
#             conjunction of any-of sets; a text without it is skipped (the rule cannot match);
#   leads:    the literals every match starts with ("trước", "chậm", "hoàn" ...) and the reach
#             (how far past its start a match attempt may look); the rule is then tried only
#             where a lead occurs (str.find) instead of at every position of the text.

DIGIT = "\ud800digit"  # token: "some digit" (``\d``, ``[0-9]``, ``[1-4]`` ...); no literal
_DIGIT_RE = regex.compile(r"\d")
_ASCII_DIGIT_RE = regex.compile(r"[0-9]")  # faster, and most digits are ASCII
_DIGITS = regex.compile(r"\d+")
_GROUP_NAME = regex.compile(r"(?<!\\)((?:\\\\)*)\(\?P<\w+>")  # an unescaped "(?P<name>"
# syntax that ``re`` does not read as ``regex`` V0 does: (?x extensions other than groups,
# lookarounds and scoped i/m/s flags; fuzzy or other {..} that is no repeat; POSIX classes.
# \p{..} is read as "\S": one character, no literal (all the analyses need).
_FOREIGN = regex.compile(r"\((?!\?(?:[:=!>]|<[=!]|P<|[ims]+[:)]|-[ims]+:|[ims]+-[ims]+:))\?"
                         r"|\{(?![\d,]+\})|\[\[:")
_PROP = regex.compile(r"(?<!\\)((?:\\\\)*)\\[pP]\{\^?\w+\}")
_MAX_LEADS = 32
_MAX_LEAD_LEN = 8
_UNBOUNDED = 1 << 20
_SHORT_TEXT = 2048

try:  # Python 3.11+
    import re._constants as _sc
    import re._parser as _sp
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as _sc  # type: ignore[no-redef]
    import sre_parse as _sp  # type: ignore[no-redef]

_REPEATS = tuple(op for op in (getattr(_sc, n, None) for n in
                               ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")) if op is not None)
_ASSERTS = (_sc.ASSERT, _sc.ASSERT_NOT)
_ATOMIC = getattr(_sc, "ATOMIC_GROUP", None)
_ONE_CHAR = (_sc.LITERAL, _sc.NOT_LITERAL, _sc.IN, _sc.ANY)


class _Unknown(Exception):
    """A construct the analysis does not follow."""


@lru_cache(maxsize=1024)  # several analyses read the same pattern; none changes the tree
def sre_parse(src: str):
    r"""The syntax tree of a ``regex`` V0 pattern by the standard ``re`` parser (named groups
    made plain, so a name may repeat; \p{..} read as "\S", a class).  Raises on syntax it does not
    read the same way and on the global flags IGNORECASE and VERBOSE."""
    src = _PROP.sub(r"\1\\S", src)  # not ".": "[\p{L}]" would read as the literal "[.]"
    if _FOREIGN.search(regex.sub(r"\\.", "", src)):
        raise _Unknown(src)
    tree = _sp.parse(_GROUP_NAME.sub(r"\1(?:", src))
    if tree.state.flags & (_sc.SRE_FLAG_IGNORECASE | _sc.SRE_FLAG_VERBOSE):
        raise _Unknown(src)
    return tree



def _ignores_case(av) -> bool:
    """A (?i:...) group: its literals match other cases too."""
    return bool(av[1] & _sc.SRE_FLAG_IGNORECASE)


def _digit_class(items) -> bool:
    if not items or items[0][0] is _sc.NEGATE:
        return False
    for op, av in items:
        if op is _sc.CATEGORY and av is _sc.CATEGORY_DIGIT:
            continue
        if op is _sc.LITERAL and 0x30 <= av <= 0x39:
            continue
        if op is _sc.RANGE and 0x30 <= av[0] <= av[1] <= 0x39:
            continue
        return False
    return True


def _is_digits(token: str) -> bool:
    return token == DIGIT or _DIGITS.fullmatch(token) is not None


def _selectivity(tokens: frozenset[str]) -> tuple[int, int]:
    return (min(1 if t == DIGIT else len(t) for t in tokens), -len(tokens))


def _best(conj: list[frozenset[str]]) -> frozenset[str]:
    return max(conj, key=lambda a: (_selectivity(a), sorted(a)))


def _required(items) -> list[frozenset[str]]:
    """Any-of token sets that every match of the parsed sequence ``items`` contains."""
    out: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            out.append(frozenset(["".join(run)]))
            run.clear()

    for op, av in items:
        if op is _sc.LITERAL:
            run.append(chr(av))
            continue
        flush()
        if op is _sc.SUBPATTERN:
            if not _ignores_case(av):
                out += _required(av[3])
        elif op in _REPEATS:
            if av[0] >= 1:
                out += _required(av[2])
        elif op is _ATOMIC:
            out += _required(av)
        elif op is _sc.BRANCH:
            alts = [_required(a) for a in av[1]]
            if all(alts):
                out.append(frozenset().union(*(_best(a) for a in alts)))
                if len(alts) == 2 and len(alts[0]) * len(alts[1]) <= 64:
                    out += [a | b for a in alts[0] for b in alts[1]]
            if all(any(all(_is_digits(t) for t in tokens) for tokens in a) for a in alts):
                out.append(frozenset([DIGIT]))  # each way through holds a digit
        elif op is _sc.IN:
            if _digit_class(av):
                out.append(frozenset([DIGIT]))
        elif op in _ASSERTS or op in _ONE_CHAR or op is _sc.AT:
            pass  # looks without consuming, or consumes a character that is no literal
        else:
            raise _Unknown(op)
    flush()
    return out


def required_literals(src: str) -> tuple[frozenset[str], ...]:
    """What every match of the (expanded) pattern ``src`` contains, as a conjunction of any-of
    sets of tokens (a literal string, or DIGIT for a digit), most selective first; ``()`` when
    nothing is known."""
    return _recache.derived("required@" + _CODE, src, _required_literals)


def _required_literals(src: str) -> tuple[frozenset[str], ...]:
    try:
        conj = _required(sre_parse(src))
    except Exception:  # noqa: BLE001 - syntax the analysis does not follow: no pre-filter
        return ()
    sets = set(conj)
    sets = {a for a in sets if not any(b < a for b in sets)}  # a set holding another is implied
    return tuple(sorted(sets, key=lambda a: (_selectivity(a), sorted(a)), reverse=True))


def _leads(items: list) -> set[str]:
    """Literals one of which every match of the sequence ``items`` starts with."""
    for i, (op, av) in enumerate(items):
        if op in _ASSERTS or op is _sc.AT:
            continue  # zero width
        rest = items[i + 1:]
        if op is _sc.LITERAL:
            j = i
            while j < len(items) and items[j][0] is _sc.LITERAL and j - i < _MAX_LEAD_LEN:
                j += 1
            head = "".join(chr(x[1]) for x in items[i:j])
            try:
                tails = _leads(items[j:]) if j - i < _MAX_LEAD_LEN else set()
            except _Unknown:
                tails = set()
            if tails and len(tails) <= _MAX_LEADS:
                return {(head + t)[:_MAX_LEAD_LEN] for t in tails}
            return {head}
        if op is _sc.SUBPATTERN:
            if _ignores_case(av):
                raise _Unknown("case-insensitive lead")
            return _leads(list(av[3]) + rest)
        if op is _ATOMIC:
            return _leads(list(av) + rest)
        if op is _sc.BRANCH:
            out: set[str] = set()
            for alt in av[1]:
                out |= _leads(list(alt) + rest)
                if len(out) > _MAX_LEADS:
                    raise _Unknown("too many leads")
            return out
        if op in _REPEATS:
            lo, _hi, body = av
            out = _leads(list(body) + rest)
            if lo == 0:
                out |= _leads(rest)
            if len(out) > _MAX_LEADS:
                raise _Unknown("too many leads")
            return out
        raise _Unknown(op)  # a class, a category: no literal lead
    raise _Unknown("may match the empty string")


def _max_width(items) -> int:
    hi = _sp.SubPattern(_sp.State(), list(items)).getwidth()[1] if not hasattr(items, "getwidth") \
        else items.getwidth()[1]
    if hi >= _UNBOUNDED:
        raise _Unknown("unbounded")
    return hi


def _reach(items) -> int:
    """How many characters past its start an attempt to match ``items`` may read (lookaheads
    and boundary tests included)."""
    width = reach = 0
    for op, av in items:
        if op in _ONE_CHAR:
            width += 1
        elif op is _sc.AT:
            reach = max(reach, width + 1)
        elif op in _ASSERTS:
            reach = max(reach, width + _reach(av[1]))
        elif op is _sc.SUBPATTERN or op is _ATOMIC:
            body = av[3] if op is _sc.SUBPATTERN else av
            reach = max(reach, width + _reach(body))
            width += _max_width(body)
        elif op is _sc.BRANCH:
            reach = max(reach, width + max(_reach(a) for a in av[1]))
            width += max(_max_width(a) for a in av[1])
        elif op in _REPEATS:
            _lo, hi, body = av
            if hi >= _UNBOUNDED:
                raise _Unknown("unbounded")
            if hi:
                w = _max_width(body)
                reach = max(reach, width + (hi - 1) * w + _reach(body))
                width += hi * w
        else:
            raise _Unknown(op)
        reach = max(reach, width)
    return reach


def pattern_reach(src: str) -> int:
    """How many characters past a start position a ``regex`` V0 match attempt of ``src`` may
    read (lookaheads and boundary tests included), or 0 when unknown (unbounded repetition,
    syntax not followed).  Then ``pattern.match(text, pos, pos + reach)`` is
    ``pattern.match(text, pos)``."""
    return _recache.derived("reach@" + _CODE, src, _pattern_reach)


def _pattern_reach(src: str) -> int:
    try:
        return _reach(sre_parse(src)) + 2
    except Exception:  # noqa: BLE001
        return 0


@dataclass(frozen=True)
class Leads:
    """Where the matches of a pattern can start: at one of ``literals`` or, with ``indent`` >= 0,
    at the start of a line that has one of them after at most ``indent`` characters (a pattern
    "(?m)^[ \t]{0,8}(?:Số|SỐ)...").  ``reach``: how far past its start a try may read (0:
    unbounded).  No literals: anywhere."""

    literals: tuple[str, ...] = ()
    reach: int = 0
    indent: int = -1


def leads_and_reach(src: str) -> Leads:
    """The Leads of the (expanded) pattern ``src`` (no literals when unknown)."""
    return Leads(*_recache.derived("leads@" + _CODE, src, _leads_and_reach))


def _leads_and_reach(src: str) -> tuple[tuple[str, ...], int, int]:
    reach = pattern_reach(src)
    indent = -1
    try:
        tree = sre_parse(src)
        items = list(tree)
        if (items and items[0] == (_sc.AT, _sc.AT_BEGINNING)
                and tree.state.flags & _sc.SRE_FLAG_MULTILINE):
            # (?m)^ then blanks: the start of the line of a literal
            items = items[1:]
            indent = 0
            if items and items[0][0] in _REPEATS and _no_newline(items[0][1][2]):
                indent = _max_width(items[0][1][2]) * items[0][1][1]
                items = items[1:]
        leads = _leads(items)
    except Exception:  # noqa: BLE001 - syntax the analysis does not follow
        return (), reach, -1
    # a lead that another lead starts with covers it
    leads = {x for x in leads if not any(y != x and x.startswith(y) for y in leads)}
    return tuple(sorted(leads)), reach, indent


def anchored_scan(src: str) -> int | None:
    """For a pattern anchored at the start of the text (``^`` without MULTILINE): how many
    characters its first item may take when that is a repetition (``^[^;]{0,120}?`` -> 120),
    else 0; None when the pattern is not so anchored or not followed."""
    return _recache.derived("anchored@" + _CODE, src, _anchored_scan)


def _anchored_scan(src: str) -> int | None:
    try:
        tree = sre_parse(src)
    except Exception:  # noqa: BLE001 - syntax the analysis does not follow
        return None
    if len(tree) < 2 or tree[0] != (_sc.AT, _sc.AT_BEGINNING) or tree.state.flags & _sc.SRE_FLAG_MULTILINE:
        return None
    op, av = tree[1]
    return av[1] if op in (_sc.MAX_REPEAT, _sc.MIN_REPEAT) else 0


def _no_newline(items) -> bool:
    """One class of characters that holds no line break."""
    if len(items) != 1 or items[0][0] is not _sc.IN:
        return False
    return all(op is _sc.LITERAL and av != 10 for op, av in items[0][1])


def _order(tokens: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(tokens, key=lambda t: (-len(t), t)))


def lead_finditer(pattern: "regex.Pattern[str]", leads: Leads, text: str, overlapped: bool = False,
                  seen: dict[str, bool] | None = None) -> "Iterable[regex.Match[str]]":
    """``pattern.finditer(text, overlapped=overlapped)``, tried only where ``leads`` say a match
    can start (str.find is much faster than the regex engine trying every position).  Each
    try reads at most ``leads.reach`` characters; with no reach each try is unbounded, which
    is linear only on short texts: a long one is scanned whole.  ``seen``: per literal, known
    not to be in the text (False), to be (True) or where it is (a list, filled in here)."""
    n, reach = len(text), leads.reach
    if not leads.literals or (not reach and n > _SHORT_TEXT):
        return pattern.finditer(text, overlapped=overlapped)
    starts: set[int] = set()
    for lead in leads.literals:
        if seen is not None:
            at = seen.get(lead)
            if at is False:
                continue  # known not to be in the text
            if type(at) is not list:  # noqa: E721 - True or unknown: look
                at = seen[lead] = find_all(text, lead)
        else:
            at = find_all(text, lead)
        if leads.indent < 0:
            starts.update(at)
        else:
            for i in at:  # the start of its line, when at most indent characters before it
                line = text.rfind("\n", max(0, i - leads.indent - 1), i) + 1
                if line or i <= leads.indent:
                    starts.add(line)
    out = []
    end = 0
    match = pattern.match
    for s in sorted(starts):
        if s < end:
            continue  # finditer goes on after the previous match
        m = match(text, s, min(n, s + reach)) if reach else match(text, s)
        if m is not None:
            out.append(m)
            if not overlapped:
                end = m.end()
    return out


def trie_alternation(words: Iterable[str], key=lambda ch: ch, edge=regex.escape, check=None) -> str:
    """Literal words as one alternation factored by their shared beginnings
    (``b(?:an|ộ)|c(?:ác|ấp)``), character by character: ``key`` maps a character to its branch
    (e.g. lower case), ``edge`` writes a branch's character as a pattern, ``check`` may refuse
    (raise on) the sorted branches of a node.

    Same matches as the longest-first alternation ``ban|bộ|các|cấp``: two words can both match at
    a position only when one starts the other, and the tree, like that order, tries the longer one
    first (an optional rest is greedy); but the regex engine gives a position up after one look at
    its next letter instead of one try per word.  For case-insensitive use the branches must not
    differ by case alone (fold them with ``key``, or the words beforehand)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(key(ch), {})
        node[""] = {}  # a word ends here

    def emit(node: dict) -> str:
        keys = sorted(k for k in node if k)
        if check is not None:
            check(keys)
        ways = [edge(ch) + emit(node[ch]) for ch in keys]
        if not ways:
            return ""
        body = ways[0] if len(ways) == 1 else "(?:" + "|".join(ways) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return emit(trie)


def find_all(text: str, lit: str, pos: int = 0) -> list[int]:
    """Every position of ``lit`` in ``text`` from ``pos`` on (overlapping), by ``str.find``."""
    out = []
    i = text.find(lit, pos)
    while i >= 0:
        out.append(i)
        i = text.find(lit, i + 1)
    return out


