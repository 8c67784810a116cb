"""Deadline phrases → ``Deadline`` (SPEC §5).

Public API::

    find_deadlines(text, issued_date=None, base=0) -> (list[Deadline], list[str])
    choose_deadline(deadlines) -> Deadline | None

Patterns, cue words and their examples are data: ``extract/data/deadlines.txt`` (policy notes
at its top), on top of the date macros of ``extract/data/dates.txt``.
"""
from __future__ import annotations

import calendar
import datetime as _dt
from functools import lru_cache

from . import _re as regex

from .dates import (DATA_DIR, DATES_FILE, Rule, RulePlan, guarded_matches, load_rules, lower_text,
                    make_date, match_parts, select_longest)
from .models import Deadline, Provenance

DEADLINES_FILE = DATA_DIR / "deadlines.txt"

KINDS = ("date", "month", "quarter", "half_year", "year", "relative", "recurring",
         "immediate", "ongoing")
_UNIT_KIND = {"tháng": "month", "quý": "quarter", "năm": "year"}
_UNIT_FREQ = {"ngày": ("DAILY", 1), "tuần": ("WEEKLY", 1), "tháng": ("MONTHLY", 1),
              "quý": ("MONTHLY", 3), "năm": ("YEARLY", 1)}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_OFFSET = {"này": 0, "nay": 0, "hiện tại": 0, "tới": 1, "sau": 1, "kế tiếp": 1}


@lru_cache(maxsize=1)
def _rules() -> tuple[list[Rule], dict[str, int]]:
    rs = load_rules(DATES_FILE, DEADLINES_FILE)
    deadline_rules = [r for r in rs.rules if r.source.startswith(DEADLINES_FILE.name)
                      and r.get("kind") != "table"]
    numbers: dict[str, int] = {}
    for r in rs.rules:
        if r.get("kind") == "table" and r.id == "number_words":
            for entry in r.entries:
                word, _, value = entry.partition("=")
                numbers[_norm(word)] = int(value.strip())
    return deadline_rules, numbers


@lru_cache(maxsize=1)
def _plan() -> RulePlan:
    return RulePlan(_rules()[0])


def deadline_rules() -> list[Rule]:
    """The deadline rules in file order (for tests and tools)."""
    return _rules()[0]


def number_words() -> dict[str, int]:
    return dict(_rules()[1])


def _norm(s: str) -> str:
    return " ".join(s.lower().split())


def _group(m: regex.Match[str], name: str) -> str | None:
    try:
        return m.group(name)
    except (IndexError, regex.error):
        return None


# --------------------------------------------------------------------------- calendar helpers

def _last_day(year: int, month: int) -> _dt.date:
    return _dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(d: _dt.date, n: int) -> _dt.date:
    y, mo = divmod(d.month - 1 + n, 12)
    y += d.year
    mo += 1
    return _dt.date(y, mo, min(d.day, calendar.monthrange(y, mo)[1]))


def _add_workdays(d: _dt.date, n: int) -> _dt.date:
    """Monday–Friday working days; public holidays are not known (documented weakness)."""
    cur = d
    while n > 0:
        cur += _dt.timedelta(days=1)
        if cur.weekday() < 5:
            n -= 1
    return cur


def _next_day_month(day: int, month: int, issued: _dt.date) -> _dt.date | None:
    """The next ``day/month`` on or after ``issued`` (29/2 waits for a leap year)."""
    for year in range(issued.year, issued.year + 9):
        d = make_date(day, month, year)
        if d is not None and d >= issued:
            return d
    return None


def _period(unit: str, num: int | None, year: int) -> tuple[_dt.date, _dt.date]:
    """(first day, last day) of a month / quarter / half / year ``num`` of ``year``."""
    if unit == "month":
        assert num is not None
        return _dt.date(year, num, 1), _last_day(year, num)
    if unit == "quarter":
        assert num is not None
        return _dt.date(year, 3 * num - 2, 1), _last_day(year, 3 * num)
    if unit == "half_year":
        assert num is not None
        return _dt.date(year, 6 * num - 5, 1), _last_day(year, 6 * num)
    return _dt.date(year, 1, 1), _dt.date(year, 12, 31)


def _period_of(unit: str, d: _dt.date) -> int | None:
    if unit == "month":
        return d.month
    if unit == "quarter":
        return (d.month - 1) // 3 + 1
    if unit == "half_year":
        return 1 if d.month <= 6 else 2
    return None


def _shift(unit: str, num: int | None, year: int, off: int) -> tuple[int | None, int]:
    if off == 0:
        return num, year
    if unit == "year" or num is None:
        return num, year + off
    size = {"month": 12, "quarter": 4, "half_year": 2}[unit]
    idx = (num - 1) + off
    return idx % size + 1, year + idx // size


# --------------------------------------------------------------------------- interpretation

class _Skip(Exception):
    """A match that is not a deadline after all (its warning, if any, is the message)."""


def _count(m: regex.Match[str], numbers: dict[str, int]) -> int | None:
    n = _group(m, "n")
    if n:
        return int(n)
    nw = _group(m, "nw")
    if nw:
        return numbers.get(_norm(nw))
    return None


def _recurrence(rule: Rule, m: regex.Match[str], text: str, numbers: dict[str, int],
                warnings: list[str]) -> str:
    freq = rule.get("freq") or ""
    interval = int(rule.get("interval") or 1)
    if freq == "unit":
        unit = _norm(_group(m, "unit") or "")
        freq, mult = _UNIT_FREQ[unit]
        n = _count(m, numbers)
        interval = (n or 1) * mult
    months, days = [], []
    for sfx in ("", "2", "3"):
        d, mo, _ = match_parts(m, sfx)
        if mo is not None:
            months.append(mo)
        if d is not None:
            days.append((mo, d))
    parts = [f"FREQ={freq}"]
    if interval != 1:
        parts.append(f"INTERVAL={interval}")
    if months:
        parts.append("BYMONTH=" + ",".join(str(x) for x in sorted(set(months))))
    if days:
        day_set = sorted({d for _, d in days})
        if months and len(day_set) > 1:
            # "05/6 và 10/12 hằng năm" has no single-RRULE form: keep the first day
            warnings.append(f"deadline '{text}' repeats on different days in different "
                            f"months; recurrence keeps day {days[0][1]}")
            day_set = [days[0][1]]
        parts.append("BYMONTHDAY=" + ",".join(str(x) for x in day_set))
    return ";".join(parts)


def _needs_date(text: str) -> str:
    return f"deadline '{text}' needs the letter's date to resolve; none found"


def _interpret(rule: Rule, m: regex.Match[str], orig: str, issued: _dt.date | None,
               numbers: dict[str, int], warnings: list[str]
               ) -> tuple[str, _dt.date | None, str | None]:
    kind = rule.get("kind") or ""
    text = orig
    if kind == "{unit}":
        kind = _UNIT_KIND[_norm(_group(m, "unit") or "")]
    if kind in ("immediate", "ongoing"):
        return kind, None, None
    if kind == "recurring":
        return kind, None, _recurrence(rule, m, text, numbers, warnings)
    if kind == "date":
        d, mo, y = match_parts(m)
        assert d is not None and mo is not None
        if y is not None:
            due = make_date(d, mo, y)
            if due is None:
                raise _Skip(f"deadline '{text}' is not a valid date; ignored")
            if issued is not None and due < issued:
                raise _Skip(f"date '{text}' is before the letter's date {issued.isoformat()}; "
                            "not read as a deadline")
            return kind, due, None
        if make_date(d, mo, 2000) is None:  # 31/4: invalid in every year
            raise _Skip(f"deadline '{text}' is not a valid date; ignored")
        if issued is None:
            warnings.append(_needs_date(text))
            return kind, None, None
        return kind, _next_day_month(d, mo, issued), None
    if kind == "relative":
        n = _count(m, numbers)
        unit = _norm(_group(m, "unit") or "")
        if not _group(m, "anchor") or n is None:
            warnings.append(f"deadline '{text}' counts from an event the text does not date; "
                            "due left null")
            return kind, None, None
        if issued is None:
            warnings.append(_needs_date(text))
            return kind, None, None
        if unit == "ngày làm việc":
            due = _add_workdays(issued, n)
        elif unit == "ngày":
            due = issued + _dt.timedelta(days=n)
        elif unit in ("giờ", "giờ làm việc"):
            due = issued + _dt.timedelta(days=-(-n // 24))
        elif unit == "tuần":
            due = issued + _dt.timedelta(days=7 * n)
        elif unit == "tháng":
            due = _add_months(issued, n)
        else:  # năm
            due = _add_months(issued, 12 * n)
        return kind, due, None
    # periods: month, quarter, half_year, year
    if kind == "month":
        num = _int(_group(m, "m"))
    elif kind == "quarter":
        q = (_group(m, "q") or "").lower()
        num = _ROMAN.get(q) or (int(q) if q.isdigit() else None)
    elif kind == "half_year":
        h = _norm(_group(m, "h") or "")
        num = 1 if h == "đầu" else 2 if h == "cuối" else None
    else:
        num = None
    year = _int(_group(m, "y"))
    off_word = _group(m, "off")
    before = bool(_group(m, "before"))
    if year is None:
        if issued is None:
            warnings.append(_needs_date(text))
            return kind, None, None
        if num is None and kind != "year" or off_word is not None:
            # the current (or next) period of the letter's date
            cur = num if num is not None else _period_of(kind, issued)
            num, year = _shift(kind, cur, issued.year, _OFFSET.get(_norm(off_word or ""), 0))
        elif kind == "year":
            year = issued.year
        else:
            year = issued.year
            while _period(kind, num, year)[1] < issued:
                year += 1
    start, end = _period(kind, num, year)
    due = start - _dt.timedelta(days=1) if before else end
    if issued is not None and _group(m, "y") and end < issued:
        raise _Skip(f"period '{text}' ended before the letter's date {issued.isoformat()}; "
                    "not read as a deadline")
    return kind, due, None


def _int(s: str | None) -> int | None:
    return int(s) if s and s.isdigit() else None


# --------------------------------------------------------------------------- public API

def find_deadlines(text: str, issued_date: _dt.date | None = None, base: int = 0
                   ) -> tuple[list[Deadline], list[str]]:
    """All deadline phrases of ``text`` (one obligation's text) in reading order, with spans
    offset by ``base``, and warnings (unresolvable or dropped phrases)."""
    if not text:
        return [], []
    if isinstance(issued_date, str):
        try:
            issued_date = _dt.date.fromisoformat(issued_date)
        except ValueError:
            issued_date = None
    numbers = _rules()[1]
    low = lower_text(text)
    cands = []
    seen: dict[str, bool] = {}
    for rule in _plan().runnable(low, seen):
        for s, e, m in guarded_matches(rule, low, seen):
            cands.append((s, e, rule.order, (rule, m)))
    out: list[Deadline] = []
    warnings: list[str] = []
    for s, e, _, payload in select_longest(cands):
        rule, m = payload  # type: ignore[misc]
        if _NEGATED_CLAUSE.search(low, _clause_start(low, s), s):
            continue  # "không dồn hồ sơ thanh toán vào cuối năm": a time in what must not be done
        try:
            kind, due, rrule = _interpret(rule, m, text[s:e], issued_date, numbers, warnings)
        except _Skip as skip:
            if str(skip):
                warnings.append(str(skip))
            continue
        out.append(Deadline(
            text=text[s:e],
            kind=kind,
            due=due.isoformat() if due else None,
            recurrence=rrule,
            span=(s + base, e + base),
            provenance=_provenance(rule),
        ))
    return out, warnings


_PROVENANCE: dict[tuple[str, str | None], Provenance] = {}


def _provenance(rule: Rule) -> Provenance:
    """The rule's Provenance (immutable: one per rule, shared by its deadlines)."""
    key = (rule.id, rule.get("confidence"))
    prov = _PROVENANCE.get(key)
    if prov is None:
        prov = _PROVENANCE[key] = Provenance(rule=f"deadlines:{rule.id}",
                                             confidence=float(rule.get("confidence") or 0.8))
    return prov


# A negation earlier in the phrase's own clause ("..., không dồn hồ sơ thanh toán vào cuối năm", "khuyến cáo
# không xuống giống trước ngày 15/4", "Không giải quyết nghỉ phép từ nay đến hết tháng 4"): the time belongs
# to what must not be done, not to when the duty is due.  "không quá / không muộn hơn / không chậm hơn ngày
# ..." is itself a deadline cue ("no later than").
_NEGATED_CLAUSE = regex.compile(r"(?<![\w])(?:không|chưa|nghiêm\s+cấm|cấm)(?![\w])"
                             r"(?!\s+(?:được\s+)?(?:quá|muộn|chậm|trễ|vượt|để\s+(?:quá|chậm|trễ|kéo\s+dài)))")


_CLAUSE_REACH = 400  # a clause longer than this is read from this far back (no scan to the text's start)


def _clause_start(low: str, pos: int) -> int:
    """Where the clause holding ``pos`` starts (after the last ; , . : before it, at most
    ``_CLAUSE_REACH`` characters back: each look is bounded, so a long text stays linear)."""
    lo = max(0, pos - _CLAUSE_REACH)
    i = max(low.rfind(c, lo, pos) for c in ";,.:!?\n")
    return i + 1 if i >= 0 else lo


def choose_deadline(deadlines: list[Deadline]) -> Deadline | None:
    """SPEC §5: the first deadline that has a ``due``; failing that the first recurrence;
    failing that the first immediate/ongoing cue.  An obligation whose only deadlines are
    unresolved dates or relative counts (due null) reports the first of them."""
    if not deadlines:
        return None
    for d in deadlines:
        if d.due:
            return d
    for d in deadlines:
        if d.recurrence:
            return d
    for d in deadlines:
        if d.kind in ("immediate", "ongoing"):
            return d
    return deadlines[0]
