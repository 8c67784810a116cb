"""Date phrases shared by the header parser, references and deadlines (SPEC §5).

Public API::

    parse_date(s, default_year=None) -> datetime.date | None
    find_dates(text) -> [((start, end), date | None, (day, month, year))]

The patterns live in ``extract/data/dates.txt`` (format described at its top); this module
also holds the small loader for that format, which ``extract.deadlines`` reuses for
``extract/data/deadlines.txt``.

Speed: each pattern is read once (:mod:`extract._literals`) for the literals every match
contains and the literals every match starts with.  A text that lacks the first is skipped
(RulePlan), and a pattern is tried only where the second occur (lead_finditer) -- the same
matches as a ``finditer`` over the whole text, for a fraction of the cost.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from . import _re as regex
from . import datafile
from ._literals import (DIGIT, Leads, _ASCII_DIGIT_RE, _DIGIT_RE, _order, _selectivity, lead_finditer,
                        leads_and_reach, required_literals)

DATA_DIR = Path(__file__).resolve().parent / "data"
DATES_FILE = DATA_DIR / "dates.txt"

FLAGS = regex.V0

_MACRO_DEF = regex.compile(r"^@([A-Z][A-Z0-9_]*)\s*=\s*(.+?)\s*$")
_MACRO_USE = regex.compile(r"\{([A-Z][A-Z0-9_]*)(?:#(\w+))?\}")
_RULE_HEAD = regex.compile(r"^\[([A-Za-z0-9_.-]+)\]\s*$")
_KEY_LINE = regex.compile(r"^([a-z_]+)\s*:\s?(.*?)\s*$")

LIST_KEYS = ("regex", "example", "near", "note", "entry")


class RuleFileError(ValueError):
    """A data file that cannot be read (bad line, unknown macro, duplicate id or macro)."""


@dataclass
class Rule:
    """One pattern of a data file with its examples and near misses."""

    id: str
    source: str
    fields: dict[str, str] = field(default_factory=dict)
    regex_src: str = ""
    examples: list[str] = field(default_factory=list)
    near: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)
    pattern: "regex.Pattern[str] | None" = None
    guards: dict[str, "regex.Pattern[str]"] = field(default_factory=dict)
    order: int = 0
    # literals every match contains (see required_literals): a conjunction of any-of sets
    required: tuple[frozenset[str], ...] = ()
    # where matches start, and how far a match attempt may read (see leads_and_reach)
    leads: "Leads" = field(default_factory=lambda: Leads())

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.fields.get(key, default)

    @property
    def guard_list(self) -> tuple:
        """(needs, reject_before, require_before, extend_before), None for an absent key."""
        g = self.guards
        return g.get("needs"), g.get("reject_before"), g.get("require_before"), g.get("extend_before")


@dataclass
class RuleSet:
    macros: dict[str, str]
    rules: list[Rule]
    macro_sources: dict[str, str]


def _expand(src: str, macros: dict[str, str], depth: int = 0) -> str:
    if depth > 12:
        raise RuleFileError(f"macro expansion too deep in {src[:60]!r}")

    def repl(m: regex.Match[str]) -> str:
        name, suffix = m.group(1), m.group(2)
        if name not in macros:
            raise RuleFileError(f"unknown macro {{{name}}}")
        body = _expand(macros[name], macros, depth + 1)
        if suffix:
            body = body.replace("@>", f"{suffix}>")
        return body

    return _MACRO_USE.sub(repl, src)


def _parse_file(path: Path, macros: dict[str, str], macro_sources: dict[str, str],
                order_start: int) -> list[Rule]:
    rules: list[Rule] = []
    seen_ids: set[str] = set()
    current: Rule | None = None
    for lineno, raw in datafile.lines(path.read_text(encoding="utf-8")):
        line = raw.strip()
        where = f"{path.name}:{lineno}"
        m = _MACRO_DEF.match(line)
        if m:
            name, body = m.group(1), m.group(2)
            if name in macros:
                raise RuleFileError(f"{where}: macro @{name} already defined in "
                                    f"{macro_sources[name]}")
            macros[name] = body
            macro_sources[name] = where
            current = None
            continue
        m = _RULE_HEAD.match(line)
        if m:
            rid = m.group(1)
            if rid in seen_ids:
                raise RuleFileError(f"{where}: duplicate rule id [{rid}]")
            seen_ids.add(rid)
            current = Rule(id=rid, source=where, order=order_start + len(rules))
            rules.append(current)
            continue
        m = _KEY_LINE.match(line)
        if not m or current is None:
            raise RuleFileError(f"{where}: cannot read line {raw!r}")
        key, value = m.group(1), m.group(2)
        if key == "regex":
            current.regex_src += value
        elif key == "example":
            current.examples.append(value)
        elif key == "near":
            current.near.append(value)
        elif key == "note":
            current.notes.append(value)
        elif key == "entry":
            current.entries.append(value)
        else:
            if key in current.fields:
                raise RuleFileError(f"{where}: key {key!r} given twice in [{current.id}]")
            current.fields[key] = value
    return rules


def load_rules(*paths: Path) -> RuleSet:
    """Read data files in order (macros are shared across them) and compile every rule."""
    macros: dict[str, str] = {}
    macro_sources: dict[str, str] = {}
    rules: list[Rule] = []
    all_ids: set[str] = set()
    for path in paths:
        for rule in _parse_file(path, macros, macro_sources, len(rules)):
            if rule.id in all_ids:
                raise RuleFileError(f"{rule.source}: rule id [{rule.id}] used in another file")
            all_ids.add(rule.id)
            rules.append(rule)
    for rule in rules:
        if not rule.regex_src:
            raise RuleFileError(f"{rule.source}: rule [{rule.id}] has no regex")
        src = _expand(rule.regex_src, macros).replace("@>", ">")
        try:
            rule.pattern = regex.compile(src, FLAGS)
        except regex.error as exc:  # pragma: no cover - reported with the rule id
            raise RuleFileError(f"{rule.source}: rule [{rule.id}] does not compile: {exc}")
        for key in ("reject_before", "require_before", "extend_before", "needs"):
            if key in rule.fields:
                try:
                    rule.guards[key] = regex.compile(_expand(rule.fields[key], macros)
                                                     .replace("@>", ">"), FLAGS)
                except regex.error as exc:  # pragma: no cover
                    raise RuleFileError(f"{rule.source}: [{rule.id}] {key} does not compile: {exc}")
        rule.required = required_literals(src)
        rule.leads = leads_and_reach(src)
    return RuleSet(macros=macros, rules=rules, macro_sources=macro_sources)


def may_match(rule: Rule, text: str, seen: dict[str, bool]) -> bool:
    """False when ``text`` lacks something every match of the rule contains.  ``seen`` caches
    the token tests for one text."""
    for tokens in rule.required:
        for t in tokens:
            hit = seen.get(t)
            if hit is None:
                hit = seen[t] = (_DIGIT_RE.search(text) is not None) if t == DIGIT else t in text
            if hit:
                break
        else:
            return False
    return True


def _any_in(tokens: tuple[str, ...], text: str, seen: dict[str, bool]) -> bool:
    """Is one of ``tokens`` in ``text``?  Each token is looked for once per text (``seen``)."""
    for t in tokens:
        hit = seen.get(t)
        if hit is None:
            hit = seen[t] = t in text
        if hit:
            return True
    return False


class RulePlan:
    """Which rules of a list can match a text, from their ``required`` literals, testing each
    literal at most once per text and each literal set shared by several rules once for all
    of them (a rule needing "hằng"/"hàng" ... is one test for the nine recurring rules)."""

    def __init__(self, rules: list[Rule]):
        todo = [(r, list(r.required)) for r in rules]
        self.always = [r for r, sets in todo if not sets]
        todo = [(r, sets) for r, sets in todo if sets]
        self.groups: list[tuple[tuple[str, ...], list[tuple[Rule, tuple[tuple[str, ...], ...]]]]] = []
        while todo:
            count: dict[frozenset[str], int] = {}
            for _r, sets in todo:
                for a in sets:
                    count[a] = count.get(a, 0) + 1
            # the set that decides for the most rules per literal tested (a one-letter literal
            # is in nearly every text: a poor gate)
            gate = max(count, key=lambda a: (_selectivity(a)[0] > 1 or DIGIT in a,
                                             count[a] / len(a), _selectivity(a), sorted(a)))
            if count[gate] < 2:
                for r, sets in todo:
                    self.groups.append((_order(sets[0]), [(r, tuple(_order(a) for a in sets[1:]))]))
                break
            members = [(r, tuple(_order(a) for a in sets if a != gate)) for r, sets in todo if gate in sets]
            self.groups.append((_order(gate), members))
            todo = [(r, sets) for r, sets in todo if gate not in sets]

    def runnable(self, text: str, seen: dict[str, bool] | None = None) -> list[Rule]:
        """The rules that can match ``text``; ``seen`` (if given) is filled with the literals
        tested: in the text or not."""
        if seen is None:
            seen = {}
        seen[DIGIT] = _ASCII_DIGIT_RE.search(text) is not None or _DIGIT_RE.search(text) is not None
        out = list(self.always)
        for gate, members in self.groups:
            if not _any_in(gate, text, seen):
                continue
            for rule, sets in members:
                if all(_any_in(tokens, text, seen) for tokens in sets):
                    out.append(rule)
        return out


GUARD_WINDOW = 60


def lower_text(text: str) -> str:
    """Lower-case ``text`` keeping its length (and so every offset)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def guarded_finditer(rule: Rule, text: str):
    """``(start, end, match)`` for the rule's matches in ``text`` (already lower-cased, see
    :func:`lower_text`).  Keys of the rule that act here:

    - ``needs``: the rule runs only when this regex occurs somewhere in the text (a cheap
      pre-filter that keeps long texts fast);
    - ``reject_before`` / ``require_before``: looked for at the end of the 60 characters
      before the match, on the same line;
    - ``extend_before``: when found there, the span starts where it starts (so a pattern can
      begin at the digits, which is fast, and still report "ngày 22/4/2024").

    A text without the literals the rule requires (``rule.required``) gives nothing at once."""
    if rule.required and not may_match(rule, text, {}):
        return iter(())
    return iter(guarded_matches(rule, text))


def guarded_matches(rule: Rule, text: str, seen: dict[str, bool] | None = None) -> list:
    """guarded_finditer as a list, without the required-literal test (done by the caller);
    ``seen``: what RulePlan.runnable learnt of the text's literals (shared with lead_finditer)."""
    assert rule.pattern is not None
    needs, reject, require, extend = rule.guard_list
    if needs is not None and needs.search(text) is None:
        return []
    leads = rule.leads
    if len(leads.literals) < 2 and leads.indent < 0:
        found = rule.pattern.finditer(text)  # one literal lead the engine finds fast itself
    else:
        found = lead_finditer(rule.pattern, leads, text, seen=seen)
    if reject is None and require is None and extend is None:
        return [(m.start(), m.end(), m) for m in found if m.end() > m.start()]
    out = []
    for m in found:
        s, e = m.span()
        if e <= s:
            continue
        w0 = max(0, s - GUARD_WINDOW)
        nl = text.rfind("\n", w0, s)
        if nl >= 0:
            w0 = nl + 1
        window = text[w0:s]
        if reject is not None and reject.search(window):
            continue
        if require is not None and not require.search(window):
            continue
        if extend is not None:
            x = extend.search(window)
            if x is not None:
                s = w0 + x.start()
        out.append((s, e, m))
    return out


def split_example(example: str) -> tuple[str, str, str]:
    """``"trước «15/12» => 15 12 -"`` → (context, expected match, expectation after ``=>``)."""
    text, _, expect = example.partition("=>")
    text, expect = text.strip(), expect.strip()
    if "«" in text and "»" in text:
        before, _, rest = text.partition("«")
        inner, _, after = rest.partition("»")
        return before + inner + after, inner, expect
    return text, text, expect


def select_longest(cands: Iterable[tuple[int, int, int, object]]) -> list[tuple[int, int, int, object]]:
    """Keep non-overlapping candidates ``(start, end, order, payload)``: longer first, then
    lower rule order, then earlier start.  The result is sorted by start.  Linear in the
    total length of the candidates (an occupancy map, not pairwise checks)."""
    cands = list(cands)
    if len(cands) < 2:
        return cands
    size = max(c[1] for c in cands)
    taken = bytearray(size)
    chosen: list[tuple[int, int, int, object]] = []
    for cand in sorted(cands, key=lambda c: (-(c[1] - c[0]), c[2], c[0])):
        s, e = cand[0], cand[1]
        if taken.find(1, s, e) >= 0:
            continue
        taken[s:e] = b"\x01" * (e - s)
        chosen.append(cand)
    chosen.sort(key=lambda c: (c[0], c[1]))
    return chosen


# --------------------------------------------------------------------------- dates

@lru_cache(maxsize=1)
def _date_rules() -> RuleSet:
    return load_rules(DATES_FILE)


@lru_cache(maxsize=1)
def _date_plan() -> RulePlan:
    return RulePlan(_date_rules().rules)


def make_date(day: int | None, month: int | None, year: int | None) -> _dt.date | None:
    if day is None or month is None or year is None:
        return None
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None


def _int(m: regex.Match[str], name: str) -> int | None:
    try:
        v = m.group(name)
    except (IndexError, regex.error):
        return None
    return int(v) if v else None


def match_parts(m: regex.Match[str], suffix: str = "") -> tuple[int | None, int | None, int | None]:
    """(day, month, year) read from the groups ``d``, ``m``, ``y`` (+suffix) of a match."""
    return (_int(m, "d" + suffix), _int(m, "m" + suffix), _int(m, "y" + suffix))


DatePart = tuple[int | None, int | None, int | None]


def find_dates(text: str) -> list[tuple[tuple[int, int], _dt.date | None, DatePart]]:
    """Every full or partial day-month-year mention: ``((start, end), date|None, (d, m, y))``.

    ``date`` is set only when day, month and year are all given and form a valid date.
    Document numbers (``280/CĐ-TTg``, ``61/2022/QĐ-UBND``), phone numbers and ratios
    (``63/63``) are not dates.
    """
    cands = []
    low = lower_text(text)
    seen: dict[str, bool] = {}
    for rule in _date_plan().runnable(low, seen):
        for s, e, m in guarded_matches(rule, low, seen):
            cands.append((s, e, rule.order, m))
    out = []
    for s, e, _, m in select_longest(cands):
        parts = match_parts(m)  # type: ignore[arg-type]
        if parts[0] is not None and parts[1] is not None and parts[2] is not None \
                and make_date(*parts) is None:
            continue  # 31/4/2024: not a date at all
        out.append(((s, e), make_date(*parts), parts))
    return out


_FULL_DATE_RULES = ("full_numeric", "full_verbal", "day_month_numeric", "day_month_verbal")
_NGAY = regex.compile(r"ngày\s?")


def parse_date(s: str, default_year: int | None = None) -> _dt.date | None:
    """Read one date phrase (the whole string): ``"22/4/2024"``, ``"19.4.2023"``,
    ``"ngày 22 tháng 4 năm 2024"``, ``"ngày 21/ 5"`` (year from ``default_year``).
    Returns None when the string is not exactly one valid date."""
    if not isinstance(s, str):
        return None
    t = lower_text(" ".join(s.split()).strip().rstrip(".,;"))
    if not t or len(t) > 64:
        return None
    m0 = _NGAY.match(t)
    bare = t[m0.end():] if m0 else t
    rules = {r.id: r for r in _date_rules().rules}
    for rid in _FULL_DATE_RULES:
        pat = rules[rid].pattern
        assert pat is not None
        m = pat.fullmatch(t) or pat.fullmatch(bare)
        if m is None:
            continue
        d, mo, y = match_parts(m)
        if y is None:
            y = default_year
        return make_date(d, mo, y)
    return None
