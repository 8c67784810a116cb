"""Agency mentions: expansion, gazetteer look-up, collectives, heads, jurisdiction (SPEC §9).

Everything this module knows lives as data in ``extract/data/``:

* ``agency_abbreviations.tsv`` – UBND, HĐND, MTTQ, TU, TTg, Sở TN&MT ... (expanded by :func:`expand`);
* ``agencies.tsv`` – named bodies with kind, level and validity dates (ministries and Sở before
  and after 2025-03-01 included);
* ``provinces.tsv`` – provinces before and after 2025-07-01 (63 -> 34);
* ``agency_words.tsv`` – heads, class nouns of collectives, place words, qualifiers, generic
  receivers, fallback type words.

Recognition works on a *shadow* of the text: tone placement normalised (length preserving) and
abbreviations expanded, with a map back to the original offsets, so every pattern is written
once in full form and spans still point into the caller's text.
"""
from __future__ import annotations

import datetime
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from . import _re as re
from . import datafile
from ._literals import trie_alternation

from extract.models import Agency, Provenance

__all__ = ["AgencyContext", "expand", "find_agencies", "parse_agency", "province_names"]


@dataclass
class AgencyContext:
    """What the document says or implies about where it comes from."""

    province: str | None = None  # "An Giang"
    district: str | None = None  # "Châu Thành"
    issuer_level: str | None = None  # "province", "district", "central", "commune"
    issued_date: datetime.date | None = None


# --------------------------------------------------------------------------- data


def _rows(name: str) -> list[datafile.Row]:
    """A table's rows, cells stripped and trailing ``# note`` cells dropped."""
    return datafile.rows(name, notes=True, strip=True)


def _date(s: str) -> datetime.date | None:
    return datetime.date.fromisoformat(s) if s else None


def _flex(phrase: str) -> str:
    """A literal phrase as a regex tolerant of spacing and dash variants."""
    out = []
    for tok in re.split(r"(\s*[-–—]\s*|\s*,\s*|\s+)", phrase.strip()):
        if not tok:
            continue
        if re.fullmatch(r"\s*[-–—]\s*", tok):
            out.append(r"\s*[-–—]\s*")
        elif re.fullmatch(r"\s*,\s*", tok):
            out.append(r"\s*,\s*")
        elif tok.isspace():
            out.append(r"\s+")
        else:
            out.append(re.escape(tok))
    return "".join(out)


def _alt(phrases, cased: frozenset = frozenset()) -> str:
    """The phrases as one alternation, longest first; a phrase in ``cased`` counts only when written
    with its capital, even inside a case-insensitive pattern."""
    uniq = sorted(set(phrases), key=lambda s: (-len(s), s))
    return "(?:" + "|".join("(?-i:" + re.escape(p[0]) + ")" + _flex(p[1:]) if p in cased else _flex(p)
                            for p in uniq) + ")"


@dataclass(frozen=True)
class Entry:
    name: str
    kind: str
    level: str | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    successor: str | None
    aliases: tuple[str, ...]
    parent: bool
    row: int


@dataclass(frozen=True)
class Province:
    name: str
    type: str  # "tỉnh" | "thành phố"
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    successor: str | None
    aliases: tuple[str, ...]
    row: int

    def valid_on(self, on: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or on <= self.valid_to)


@lru_cache(maxsize=8192)
def _key(s: str) -> str:
    s = fix_tones(unicodedata.normalize("NFC", s)).casefold()
    s = re.sub(r"\s*[-–—]\s*", " - ", s)
    s = re.sub(r"\s*,\s*", ", ", s)
    return re.sub(r"\s+", " ", s).strip()


@lru_cache(maxsize=None)
def abbreviations() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    out = []
    for _, p in _rows("agency_abbreviations.tsv"):
        not_after = tuple(w for w in (p[2].split("|") if len(p) > 2 else []) if w)
        out.append((p[0], p[1], not_after))
    return tuple(out)


@lru_cache(maxsize=None)
def gazetteer() -> tuple[Entry, ...]:
    out = []
    for lineno, p in _rows("agencies.tsv"):
        p = p + [""] * (8 - len(p))
        out.append(
            Entry(
                name=p[0],
                kind=p[1] or "other",
                level=p[2] or None,
                valid_from=_date(p[3]),
                valid_to=_date(p[4]),
                successor=p[5] or None,
                aliases=tuple(a.strip() for a in p[6].split("|") if a.strip()),
                parent=p[7] == "yes",
                row=lineno,
            )
        )
    return tuple(out)


@lru_cache(maxsize=None)
def provinces() -> tuple[Province, ...]:
    out = []
    for lineno, p in _rows("provinces.tsv"):
        p = p + [""] * (6 - len(p))
        out.append(
            Province(p[0], p[1], _date(p[2]), _date(p[3]), p[4] or None,
                     tuple(a.strip() for a in p[5].split("|") if a.strip()), lineno)
        )
    return tuple(out)


@lru_cache(maxsize=None)
def words() -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    for _, p in _rows("agency_words.tsv"):
        out.setdefault(p[0], []).append(p[1:])
    return out


def province_names(on: datetime.date | None = None) -> list[str]:
    """Provinces and centrally-run cities valid on ``on`` (63 before 2025-07-01, 34 after).

    ``on=None`` gives every name ever valid: old letters and new ones are both valid input."""
    return [p.name for p in provinces() if on is None or p.valid_on(on)]


# --------------------------------------------------------------------------- text shadow

_TONE_OLD = re.compile(
    r"(?<![qQ])(?:([oO])([àáảãạèéẻẽẹÀÁẢÃẠÈÉẺẼẸ])|([uU])([ỳýỷỹỵỲÝỶỸỴ]))(?!\p{L}|\p{M})"
)


def _tone_repl(m: "re.Match[str]") -> str:
    v1 = m.group(1) or m.group(3)
    v2 = m.group(2) or m.group(4)
    d = unicodedata.normalize("NFD", v2)
    return unicodedata.normalize("NFC", v1 + d[1:]) + d[0]


def fix_tones(text: str) -> str:
    """Old-style tone placement -> new style (``Uỷ`` -> ``Ủy``, ``hoà`` -> ``hòa``); length preserving on NFC."""
    return _TONE_OLD.sub(_tone_repl, text)


@lru_cache(maxsize=None)
def _abbr_re() -> "re.Pattern[str]":
    # a prefix tree: where one key is the start of another the longer is tried first, as in a
    # longest-first alternation, so the matches are the same
    alt = trie_alternation({a for a, _, _ in abbreviations()})
    # a key that ends in "." may touch the name it abbreviates ("TP.Hồ Chí Minh", "TX.Quảng Trị")
    return re.compile(r"(?<![\p{L}\p{N}/&\-.])(?:" + alt + r")(?:(?<=\.)|(?![\p{L}\p{N}/&\-]))")


@lru_cache(maxsize=None)
def _abbr_map() -> dict[str, tuple[str, tuple[str, ...]]]:
    return {a: (e, n) for a, e, n in abbreviations()}


class _Offsets:
    """Shadow offset -> source offset, per piece of the shadow (copied text or an expansion):
    ``starts[i]`` / ``ends[i]`` are where the source character behind shadow character ``i``
    starts / ends (an expansion maps every character to the whole abbreviation)."""

    __slots__ = ("pieces", "at", "end")

    def __init__(self, pieces: list[tuple[int, int, int | None]], end: bool):
        self.pieces = pieces  # (shadow start, source start, source end of an expansion or None)
        self.at = [p[0] for p in pieces]
        self.end = end

    def __getitem__(self, i: int) -> int:
        if i < 0:
            raise IndexError(i)
        sh, src, exp_end = self.pieces[bisect_right(self.at, i) - 1]
        if exp_end is not None:
            return exp_end if self.end else src
        return src + (i - sh) + (1 if self.end else 0)


# " (BHXH)" between a name's words (the space before it is dropped with it)
_PAREN_ABBR = re.compile(r"(?<=[\p{L}\p{M}])\s\(\p{Lu}[\p{Lu}\p{N}&.]{1,9}\)(?=\s+\p{L})")


def _shadow(text: str) -> tuple[str, _Offsets, _Offsets]:
    """Tone-fixed, abbreviation-expanded copy of ``text`` and, per character, its source span."""
    t = fix_tones(text)
    out: list[str] = []
    pieces: list[tuple[int, int, int | None]] = []
    pos = 0
    n = 0  # length of the shadow so far
    amap = _abbr_map()
    subs: list[tuple[int, int, str]] = []
    for m in _abbr_re().finditer(t):
        exp, not_after = amap[m.group(0)]
        if not_after:
            before = t[max(0, m.start() - 20): m.start()].rstrip()
            if any(before.endswith(w) for w in not_after):
                continue
        subs.append((m.start(), m.end(), exp))
    if "(" in t:
        # "Bảo hiểm xã hội (BHXH) Việt Nam", "Ủy ban nhân dân (UBND) tỉnh": the abbreviation defined
        # inside a name is left out of the shadow, so the name reads on to its place
        subs.extend((m.start(), m.end(), "") for m in _PAREN_ABBR.finditer(t))
        subs.sort()
    for start, end, exp in subs:
        if start < pos:
            continue  # inside a dropped "(ABBR)"
        out.append(t[pos: start])
        pieces.append((n, pos, None))
        n += start - pos
        if exp and t[end - 1] == "." and t[end: end + 1].isalpha():
            exp += " "  # "TP.Hồ Chí Minh": "thành phố Hồ Chí Minh"
        out.append(exp)
        pieces.append((n, start, end))
        n += len(exp)
        pos = end
    out.append(t[pos:])
    pieces.append((n, pos, None))
    shadow = "".join(out)
    if "rưởng phòng" in shadow:
        # "Trưởng phòng GDĐT các huyện": the head of the Phòng named next (the same length, so the
        # offsets hold): "Trưởng" + "Phòng Giáo dục và Đào tạo các huyện"
        shadow = _HEAD_OF_DIVISION.sub("Phòng", shadow)
    return shadow, _Offsets(pieces, False), _Offsets(pieces, True)


_HEAD_OF_DIVISION = re.compile(r"(?<=(?<![\p{L}\p{M}])[Tt]rưởng\s)phòng(?=\s+\p{Lu})")


def expand(text: str) -> str:
    """Abbreviations expanded, tone placement normalised, spaces collapsed.

    ``"Văn phòng UBND tỉnh"`` -> ``"Văn phòng Ủy ban nhân dân tỉnh"``; ``"Sở TN&MT"`` ->
    ``"Sở Tài nguyên và Môi trường"``; ``"CB, CC, VC"`` -> ``"cán bộ, công chức, viên chức"``."""
    s, _, _ = _shadow(unicodedata.normalize("NFC", text or ""))
    return re.sub(r"\s+", " ", s).strip()


# --------------------------------------------------------------------------- compiled grammar

_B = r"(?![\p{L}\p{M}])"  # end of word


@dataclass(frozen=True)
class _Openings:
    """The words a mention may start with (case-folded), see :func:`_grammar`."""

    single: frozenset  # any case, alone
    pairs: dict  # any case, followed by one of these words
    cap: frozenset  # capitalised
    words: frozenset  # all first words: what the quick scan looks for


_NEXT_WORD = re.compile(r"\s+([\p{L}\p{M}]++)(?!/)")


def _opens(S: str, m: "re.Match[str]", o: _Openings) -> bool:
    """Can a mention start at the word ``m`` found by :func:`_first_word_rx`?"""
    w = m.group(0).casefold()
    if w in o.single:
        return True
    if w in o.cap and S[m.start()].isupper():
        return True
    seconds = o.pairs.get(w)
    if seconds:
        n = _NEXT_WORD.match(S, m.end(), m.end() + 40)
        if n and n.group(1).casefold() in seconds:
            return True
    return w.startswith("cấp")  # "cấp" glued to the next word


@dataclass(frozen=True)
class _Grammar:
    heads: "re.Pattern[str]"
    named: "re.Pattern[str]"
    named_lookup: dict
    prov: "re.Pattern[str]"
    prov_lookup: dict
    place_word: "re.Pattern[str]"
    place_level: dict
    coll_start: "re.Pattern[str]"
    class_list: "re.Pattern[str]"
    class_kind: dict
    quals: "re.Pattern[str]"
    bare_end: "re.Pattern[str]"
    generic: list
    group: "re.Pattern[str]"
    fallback: "re.Pattern[str]"
    fallback_kind: dict
    enum: dict
    one_class: "re.Pattern[str]"
    prefix: "re.Pattern[str]"
    first_words: "_Openings"
    # per pattern, the first words (letter runs, case-folded) it can start with: a pattern is tried
    # at a position only when the word there is one of them (None: any word)
    fw: dict
    # ``named``, ``class_list`` and ``heads`` split by that first word (see :func:`_by_lead`): only
    # the alternatives that can match at a position are tried (same matches, a fraction of the work)
    named_at: dict
    class_list_at: dict
    heads_at: dict
    # a company or cooperative named in lower case first ("Công ty cổ phần Cấp nước Sóc Trăng")
    fallback_low: "re.Pattern[str] | None" = None


_SURNAMES = frozenset(
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Ngô Dương Lý Trịnh Đinh Lâm Mai Triệu Lương Hà Tạ Cao Đoàn".split()
)


@lru_cache(maxsize=1)
def _cased_heads() -> frozenset[str]:
    """Head titles marked ``cased`` in agency_words.tsv: a head only when written with its capital
    ("Lãnh đạo Thuế tỉnh"; not the verb in "các cấp ủy lãnh đạo chính quyền")."""
    return frozenset(r[0] for r in words()["head"] if len(r) > 1 and r[1].strip() == "cased")


def heads_pattern(phrases=None) -> str:
    """The alternation of head titles (all of agency_words.tsv's, or ``phrases``), cased ones kept cased:
    the one source of the head vocabulary for the agency grammar and for roles."""
    return _alt(phrases if phrases is not None else (r[0] for r in words()["head"]), _cased_heads())


@lru_cache(maxsize=None)
def _grammar() -> _Grammar:
    w = words()
    head_alt = heads_pattern()
    one_head = r"(?:các\s+)?" + head_alt + _B
    more_heads = r"(?:\s*,\s*" + one_head + r"|\s+và\s+" + one_head + r"){0,3})\s+"
    heads = re.compile(r"(?i:" + one_head + more_heads)
    # by first word; after "các" any head may follow, so that word keeps the whole pattern
    heads_at = {lead: re.compile(r"(?i:(?:các\s+)?" + heads_pattern(ps) + _B + more_heads)
                for lead, ps in _by_lead(r[0] for r in w["head"]).items()}
    heads_at["các"] = heads
    named_lookup = {}
    names = []
    for e in gazetteer():
        for n in (e.name,) + e.aliases:
            named_lookup[_key(n)] = e
            names.append(n)
    named = re.compile(r"(?i:" + _alt(names) + r")" + _B)
    named_at = {lead: re.compile(r"(?i:" + _alt(ps) + r")" + _B) for lead, ps in _by_lead(names).items()}
    prov_lookup = {}
    pnames = []
    for p in provinces():
        for n in (p.name,) + p.aliases:
            prov_lookup[_key(n)] = p
            pnames.append(n)
    prov = re.compile(r"(?i:" + _alt(pnames) + r")" + _B)
    place_level = {_key(r[0]): (r[1] if len(r) > 1 and r[1] else None) for r in w["place"]}
    place = _alt(r[0] for r in w["place"])
    # ("tỉnh ủy", "thành ủy": a party committee, no place; "UBND tỉnh ủy quyền": a place)
    place_word = re.compile(r"(?i:" + place + r")" + _B
                            + r"(?!\s+(?i:ủy)(?![\p{L}\p{M}])(?!\s+(?i:quyền|thác|nhiệm)))")
    class_kind = {_key(r[0]): (r[1] if len(r) > 1 else "other", r[2] if len(r) > 2 and r[2] else None) for r in w["class"]}
    one_class = (
        r"(?i:" + _alt(r[0] for r in w["class"]) + r")" + _B
        + r"(?!\s+(?:phận|hợp|hữu|hành|ngữ)" + _B + ")"
    )
    # (a space alone never joins "tổ chức": "Trưởng các thôn, bản tổ chức ..." is the verb)
    # (nor one written as a name's start: "các địa phương, Sở Tài chính ..." is two mentions)
    more_classes = (r"(?:(?:\s*,\s*|\s+và\s+|\s+(?!tổ\s+chức(?![\p{L}\p{M}])))(?!\p{Lu}\p{Ll}[\p{L}\p{M}]*\s+\p{Lu}\p{Ll})"
                    + one_class + r"){0,9}")
    class_list = re.compile(one_class + more_classes)
    class_list_at = {
        lead: re.compile(r"(?i:" + _alt(ps) + r")" + _B + r"(?!\s+(?:phận|hợp|hữu|hành|ngữ)" + _B + ")" + more_classes)
        for lead, ps in _by_lead(r[0] for r in w["class"]).items()
    }
    quals = re.compile(r"(?:" + "|".join("(?:" + r[0] + ")" for r in w["qualifier"]) + r")" + _B)
    bare_end = re.compile(r"(?:" + "|".join("(?:" + r[0] + ")" for r in w["bare"]) + r")" + _B)
    generic = [(r[0], r[1], re.compile(r"(?i:" + r[2] + r")" + _B)) for r in w["generic"]]
    group = re.compile(_alt(r[0] for r in w["group"]) + _B)
    fb_kind = {r[0]: (r[1], r[2] if len(r) > 2 and r[2] else None) for r in w["fallback"]}
    # a heading in capitals names its body in capitals too ("II. TRÁCH NHIỆM CỦA CỤC AN TOÀN THÔNG TIN")
    fb_kind.update({k.upper(): v for k, v in list(fb_kind.items())})
    # ("Phòng, chống thiên tai": the one comma inside a name)
    cap_word = r"(?:Phòng\s*,\s*chống|\p{Lu}[\p{L}\p{M}]*|\d+)"
    # after a capitalised word the name may go on in lower case ("Trung tâm Kiểm soát bệnh tật",
    # "Quỹ Đầu tư phát triển"), up to the verb that follows it or a place word ("... tỉnh")
    stop = _name_stops()
    low_word = (r"(?:phòng\s*,\s*chống|(?!(?:" + stop + r")(?![\p{L}\p{M}]))(?!(?:" + place
                + r")(?![\p{L}\p{M}])(?!\s+hội))"
                r"\p{Ll}[\p{L}\p{M}]*)")  # "xã hội" is no place ("Trung tâm Công tác xã hội")
    name_word = cap_word + r"(?:\s+" + low_word + r"){0,6}"
    # after a hyphen, one term of one or two syllables ("Tài chính - Kế toán", "Y - Dược", "Văn hóa - Xã
    # hội"): "Vụ Tài chính - Kế toán xây dựng tài liệu ..." goes on with the verb
    hyphen_word = cap_word + r"(?:\s+" + low_word + r")?"
    fallback = re.compile(
        "(" + _alt(fb_kind) + r")\s+" + name_word
        + r"(?:(?:\s+và\s+|\s+)" + name_word + r"|\s*[-–]\s*" + hyphen_word + r"){0,7}" + _B
    )
    # ("Công ty cổ phần Cấp nước Sóc Trăng", "Hợp tác xã dịch vụ nông nghiệp Ngọc Thiện": the legal form or
    # trade in lower case, then the capitalised name; ``fallback_lower`` rows)
    low_types = [r[0] for r in w.get("fallback_lower", [])]
    fallback_low = re.compile(
        "(" + _alt(low_types) + r")(?:\s+" + low_word + r"){1,5}\s+" + name_word
        + r"(?:(?:\s+và\s+|\s+)" + name_word + r"|\s*[-–]\s*" + hyphen_word + r"){0,7}" + _B
    ) if low_types else None
    coll_start = re.compile(r"(?i:(?:tất\s+cả\s+|toàn\s+bộ\s+)?(?:các|mọi|những))\s+")
    # "các Sở: Tài chính, Xây dựng, ..." : suffixes of the Sở / Bộ names
    enum = {}
    for typ in ("Sở", "Bộ"):
        sufs = [n[len(typ) + 1:] for e in gazetteer() for n in (e.name,) + e.aliases if n.startswith(typ + " ")]
        one = r"(?i:" + _alt(sufs) + r")" + _B
        enum[typ] = re.compile(
            r"(?i:(?:các\s+)?" + typ + r")(?:\s*:\s*|\s+)(" + one + r")((?:(?:\s*,\s*|\s+và\s+)" + one + r"){1,14})"
        )
    prefix = re.compile(r"(?i:" + _alt(r[0] for r in w.get("prefix", [])) + r")\s+") if w.get("prefix") else re.compile(r"(?!x)x")
    def first(p: str) -> str:
        return re.split(r"[\s,]+", p.strip())[0].casefold()

    # Where a mention may start.  Heads, collectives, enumerations ("sở: ...") and generic
    # receivers open one in any case; of those written as two plain words only the pair opens one
    # ("giám đốc": not every "giám sát" is worth a try).  Names, groups and fallback type words
    # open one only when capitalised ("Bệnh viện Đa khoa" is a body, "dịch bệnh" is not).
    generic_open = [r[0] if re.match(_flex(" ".join(r[0].split()[:2])) + r"(?![\p{L}\p{M}])", r[2].replace(r"\s+", " "))
                    else r[0].split()[0] for r in w["generic"]]
    single: set[str] = {first(p) for p in [r[0] for r in w.get("prefix", [])]
                        + ["các", "mọi", "những", "tất", "toàn", "cấp", "sở", "bộ"]}
    pairs: dict[str, set[str]] = {}
    for p in [r[0] for r in w["head"]] + [r[0] for r in w["class"]] + generic_open:
        toks = p.split()
        if len(toks) >= 2 and all(re.fullmatch(r"[\p{L}\p{M}]+", t) for t in toks[:2]):
            pairs.setdefault(toks[0].casefold(), set()).add(toks[1].casefold())
        else:
            single.add(first(p))
    pairs = {k: frozenset(v) for k, v in pairs.items() if k not in single}
    cap = frozenset(first(p) for p in names + [r[0] for r in w["group"]] + list(fb_kind)) - single
    openings = _Openings(frozenset(single), pairs, cap, frozenset(single) | frozenset(pairs) | cap)
    fw = {
        "heads": _leads([r[0] for r in w["head"]] + ["các"]),
        "prefix": _leads(r[0] for r in w.get("prefix", [])),
        "named": _leads(names),
        "group": _leads(r[0] for r in w["group"]),
        "coll_start": _leads(["tất", "toàn", "các", "mọi", "những"]),
        "class": _leads(r[0] for r in w["class"]),
        "fallback": _leads(fb_kind),
        "generic": [_regex_lead(r[2]) for r in w["generic"]],
        "enum": _leads(["các", *enum]),
    }
    return _Grammar(heads, named, named_lookup, prov, prov_lookup, place_word, place_level, coll_start,
                    class_list, class_kind, quals, bare_end, generic, group, fallback, fb_kind, enum,
                    re.compile(one_class), prefix, openings, fw, named_at, class_list_at, heads_at, fallback_low)


_LEAD = re.compile(r"[\p{L}\p{M}]*")


def _lead(s: str, pos: int = 0) -> str:
    """The letter run at ``pos``, case-folded: the key of the first-word filters."""
    return _LEAD.match(s, pos, pos + 40).group(0).casefold()


def _leads(phrases) -> frozenset:
    return frozenset(_lead(p.strip()) for p in phrases)


def _by_lead(phrases) -> dict[str, list[str]]:
    """Phrases grouped by their first word (:func:`_lead`).  A phrase can match only where the
    word in the text is its first word (a letter run followed by a non-letter), so the group of
    that word gives the same match as the whole alternation, in the same order."""
    out: dict[str, list[str]] = {}
    for p in phrases:
        out.setdefault(_lead(p.strip()), []).append(p)
    return out


def _regex_lead(source: str) -> frozenset | None:
    """The first word a data regex must start with, when it starts with plain letters followed by a
    required space or nothing (``cơ\\s+quan\\s+có`` -> {"cơ"}); None (try everywhere) otherwise."""
    m = re.match(r"([\p{L}\p{M}]+)(?:\\s\+|$)", source)
    return frozenset({m.group(1).casefold()}) if m else None


# --------------------------------------------------------------------------- parsing one mention


@dataclass
class _Hit:
    start: int  # in shadow
    end: int
    head: str | None
    name: str
    kind: str
    level: str | None
    place_word: str | None = None  # "tỉnh", "huyện" ...
    place: str | None = None  # "An Giang"
    place_tail: str | None = None  # "các huyện, thị xã, thành phố" as written (collective places)
    collective: bool = False
    rule: str = "agencies:named"
    confidence: float = 0.9
    parts: tuple = ()  # (start, end, name) members of an enumeration


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def _norm_head(h: str) -> str:
    pieces = re.split(r"(\s*,\s*|\s+và\s+)", h.strip())
    out = []
    for p in pieces:
        if re.fullmatch(r"\s*,\s*", p):
            out.append(", ")
        elif re.fullmatch(r"\s+và\s+", p):
            out.append(" và ")
        else:
            p = re.sub(r"\s+", " ", p)
            if p.isupper():
                p = p.lower()
            if p.lower().startswith("các "):
                out.append("các " + _cap(p[4:]))
            else:
                out.append(_cap(p))
    return "".join(out)


def _clean(s: str) -> str:
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"\s*,\s*", ", ", s)
    # repaired typing slips in names: "cơ quan cơ quan chuyên môn" -> "cơ quan chuyên môn"
    s = re.sub(r"(?<![\p{L}])(\p{L}+ \p{L}+) \1(?![\p{L}])", r"\1", s)
    if s.isupper() and len(s) > 3:
        s = s.lower()
    if s[:4] in ("Các ", "Mọi "):
        s = s[0].lower() + s[1:]
    return s


def _title_place(s: str) -> str:
    s = re.sub(r"\s+", " ", s).strip()
    if s.isupper():
        s = " ".join(_cap(w.lower()) for w in s.split(" "))
    return s


_WINDOW_CHARS = 400  # no agency name is longer; bounding the matches keeps the finder linear


def _end(S: str, pos: int) -> int:
    """An end for ``match(S, pos, end)``: regex looks ahead for a pattern's required literal
    (e.g. "của") through the whole rest of the text unless the match is bounded."""
    return min(len(S), pos + _WINDOW_CHARS)


# the small patterns of the mention parser, compiled once
_SPACES = re.compile(r"\s+")
_COMMA = re.compile(r"\s*,\s*")
_LIST_SEP = re.compile(r"\s*,\s*|\s+và\s+")
_PLACE_OPEN = re.compile(r"\s+(?i:(các|cấp)\s+)?")
_SPACE_UPPER = re.compile(r"\s+\p{Lu}")
_PLACE_NAME = re.compile(r"(?:\p{Lu}[\p{L}\p{M}]*|\d{1,2})(?:\s+\p{Lu}[\p{L}\p{M}]*){0,3}" + _B)
_OF_NEXT = re.compile(r"(?:\s+\p{Ll}[\p{L}\p{M}]*){0,2}\s+của\s+")


def _match_place(S: str, pos: int, g: _Grammar) -> tuple[int, str | None, str | None, bool] | None:
    """After a body: ``tỉnh An Giang`` / ``các huyện, thị xã, thành phố`` / ``cấp huyện``.

    Returns (end, place_word, place_name, collective)."""
    m = _PLACE_OPEN.match(S, pos)
    if not m:
        return None
    q = m.end()
    pw = g.place_word.match(S, q, _end(S, q))
    if not pw:
        return None
    word = _SPACES.sub(" ", pw.group(0)).lower()
    end = pw.end()
    if m.group(1):
        # collective list of place words
        while True:
            sep = _LIST_SEP.match(S, end)
            if not sep:
                break
            nxt = g.place_word.match(S, sep.end(), _end(S, sep.end()))
            if not nxt:
                break
            end = nxt.end()
        return end, word, None, True
    # list without "các": "tỉnh, thành phố trực thuộc Trung ương"
    sep = _COMMA.match(S, end, _end(S, end))
    if sep:
        nxt = g.place_word.match(S, sep.end(), _end(S, sep.end()))
        if nxt and not _SPACE_UPPER.match(S, nxt.end(), _end(S, nxt.end())):
            e2 = nxt.end()
            while True:
                sep = _COMMA.match(S, e2, _end(S, e2))
                n2 = g.place_word.match(S, sep.end(), _end(S, sep.end())) if sep else None
                if not n2:
                    break
                e2 = n2.end()
            return e2, word, None, True
    # a named place
    sp = _SPACES.match(S, end, _end(S, end))
    if sp:
        p = g.prov.match(S, sp.end(), _end(S, sp.end()))
        if p:
            prov = g.prov_lookup.get(_key(p.group(0)))
            return p.end(), word, prov.name if prov else _title_place(p.group(0)), False
        if word != "tỉnh" and word != "địa phương":
            gm = _PLACE_NAME.match(S, sp.end(), _end(S, sp.end()))
            if gm and not g.heads.match(S, gm.start(), _end(S, gm.start())) and not g.named.match(S, gm.start(), _end(S, gm.start())):
                toks = gm.group(0).split()
                if not (len(toks) >= 3 and toks[0] in _SURNAMES):
                    return gm.end(), word, _title_place(gm.group(0)), False
    return end, word, None, False


def _upper_at(S: str, i: int) -> bool:
    return i < len(S) and S[i].isupper()


def _parse_body(S: str, q: int, g: _Grammar, has_head: bool, lead: str | None = None) -> _Hit | None:
    """The body of a mention at ``q`` (``lead``: the word there, when the caller has it)."""
    best: _Hit | None = None
    fw = g.fw
    if lead is None:
        lead = _lead(S, q)
    end_q = _end(S, q)
    # 1. enumerations "các Sở: Tài chính, Xây dựng và ..."
    for typ, rx in (g.enum.items() if lead in fw["enum"] else ()):
        if lead != "các" and lead != typ.casefold():
            continue
        m = rx.match(S, q, min(len(S), q + 600))
        if m:
            # members: split the matched tail on the separators, keeping offsets
            tail_start = m.start(1)
            seg = S[tail_start: m.end()]
            members = []
            pos = 0
            for sep in _LIST_SEP.finditer(seg):
                cand = seg[pos: sep.start()]
                if g.named.fullmatch(typ + " " + cand):
                    members.append((tail_start + pos, tail_start + sep.start(), cand))
                    pos = sep.end()
            members.append((tail_start + pos, m.end(), seg[pos:]))
            ok = all(g.named.fullmatch(typ + " " + c) for _, _, c in members)
            if ok and len(members) >= 2:
                e = g.named_lookup.get(_key(typ + " " + members[0][2]))
                parts = tuple((s, t, g.named_lookup[_key(typ + " " + c)].name) for s, t, c in members)
                return _Hit(q, m.end(), None, typ, e.kind if e else "other", e.level if e else None,
                            rule="agencies:enumeration", confidence=0.85, parts=parts)
    # 2. named bodies from the gazetteer
    # (a name is written capitalised: a lower-case word is not tried)
    m = g.named_at[lead].match(S, q, end_q) if lead in fw["named"] and _upper_at(S, q) else None
    if m and _MEMBER.match(S, m.end(), end_q):
        m = None  # "Huyện ủy viên", "Tỉnh ủy viên": a member of the committee, not the committee
    if m:
        e = g.named_lookup.get(_key(m.group(0)))
        if e is not None:
            hit = _Hit(q, m.end(), None, e.name, e.kind, e.level, rule=f"agencies.tsv#{e.row}", confidence=0.95)
            if not e.parent:
                _apply_place(hit, S, g)
            if e.parent:
                pm = _SPACES.match(S, hit.end, _end(S, hit.end))
                # "Ban Thường vụ các Tỉnh ủy, Thành ủy": the parent organ may be a class of them
                many = _MANY.match(S, pm.end(), _end(S, pm.end())) if pm else None
                if pm:
                    sub = _parse_body(S, many.end() if many else pm.end(), g, False)
                    # ("Đảng ủy Sở Y tế", "Đảng ủy Công an tỉnh": a Party committee of any organ)
                    bare = None
                    if sub is None and e.kind == "thanh_tra" and not many:
                        # "Thanh tra Sở", "Thanh tra Bộ": the inspectorate of the letter's own Sở or Bộ
                        bare = _BARE_PARENT.match(S, pm.end(), _end(S, pm.end()))
                    if bare:
                        hit.name = f"{hit.name} {bare.group(1)}"
                        hit.end = bare.end(1)
                    elif sub and (sub.kind in ("dang", "ubnd", "hdnd", "chinh_phu", "mat_tran") or e.name == "Đảng ủy"
                                  # "Thanh tra Sở Giao thông vận tải", "Thanh tra Bộ Y tế"
                                  or (e.kind == "thanh_tra" and sub.kind in ("so", "bo", "tong_cuc", "cuc"))) \
                            and not sub.parts:
                        hit.name = f"{hit.name} {many.group(0) if many else ''}{sub.name}"
                        hit.end, hit.level = sub.end, sub.level
                        hit.place_word, hit.place = sub.place_word, sub.place
                        hit.collective = sub.collective or many is not None
                        hit.place_tail = sub.place_tail
                    else:
                        _apply_place(hit, S, g)
                else:
                    _apply_place(hit, S, g)
            if hit.place_word is None and not hit.parts and _key(e.name) in _placed_only():
                hit = None  # "Thuế thu nhập cá nhân": "Thuế" is a body only with its place
            best = hit
    # 3. groups: "Tổ kiểm tra của Chủ tịch UBND tỉnh"
    gm = g.group.match(S, q, end_q) if lead in fw["group"] else None
    if gm:
        end = gm.end()
        name = _SPACES.sub(" ", gm.group(0))
        extra = _OF_NEXT.match(S, end, _end(S, end))
        if extra:
            inner = _parse_at(S, extra.end(), g, allow_group=False)
            if inner:
                name = re.sub(r"\s+", " ", S[q: extra.end()]).strip() + " " + inner.full_name_shadow()
                end = inner.end
        hit = _Hit(q, end, None, name, "other", None, rule="agencies:group", confidence=0.8)
        if best is None or hit.end > best.end:
            best = hit
    if best is not None:
        return best
    # 4. collectives "các sở, ban, ngành, đoàn thể tỉnh"; after a head also without "các"
    cs = g.coll_start.match(S, q, end_q) if lead in fw["coll_start"] else None
    if cs:
        # "các Sở Giáo dục và Đào tạo": every province's body of that name (a class word such as
        # "Chi cục Hải quan" reads as a collective below, with its qualifiers)
        q2 = cs.end()
        lead2 = _lead(S, q2)
        cm = g.class_list_at[lead2].match(S, q2, _end(S, q2)) if lead2 in fw["class"] else None
        nm = g.named_at[lead2].match(S, q2, _end(S, q2)) if lead2 in fw["named"] else None
        if nm and not _upper_at(S, q2) and len(nm.group(0).split()) < 4:
            nm = None  # in lower case only a long name ("các sở giáo dục và đào tạo"), never "các bộ phận"
        if nm and cm and cm.end() >= nm.end():
            nm = None  # the class reaches as far ("các Chi cục Hải quan trên toàn quốc")
        e = g.named_lookup.get(_key(nm.group(0))) if nm else None
        if e is not None and not e.parent and e.level in ("province", "district", "local"):
            hit = _Hit(q, nm.end(), None, f"{_clean(S[q:q2]).lower()} {e.name}", e.kind, e.level, collective=True,
                       rule=f"agencies.tsv#{e.row}", confidence=0.9)
            _apply_place(hit, S, g)
            hit.collective = True
            return hit
    cstart = cs.end() if cs else (q if has_head else None)
    if cstart is not None:
        lead2 = _lead(S, cstart)
        cl = g.class_list_at[lead2].match(S, cstart, _end(S, cstart)) if lead2 in fw["class"] else None
        if cl:
            end = cl.end()
            for _ in range(4):
                qm = g.quals.match(S, end, _end(S, end))
                if not qm:
                    break
                end = qm.end()
            k = _first_class(S[cstart: cl.end()], g)
            lv = k[1]
            if lv is None:
                tail = S[cl.end(): end]
                if re.search(r"(?i)(?<![\p{L}])(?:tỉnh|thành\s+phố)(?![\p{L}])", tail):
                    lv = "province"
                elif re.search(r"(?i)(?<![\p{L}])huyện(?![\p{L}])", tail):
                    lv = "district"
            return _Hit(q, end, None, _clean(S[q:end]), k[0], lv, collective=True,
                        rule="agencies:collective", confidence=0.85)
    # 5. generic receivers
    for (canon, kind, rx), leads in zip(g.generic, fw["generic"]):
        if leads is not None and lead not in leads:
            continue
        gm2 = rx.match(S, q, end_q)
        if gm2:
            return _Hit(q, gm2.end(), None, canon, kind, None, rule="agencies:generic", confidence=0.8)
    # 6. bare collectives that end with "liên quan" / "chức năng"
    if not has_head and lead in fw["class"]:
        cl = g.class_list_at[lead].match(S, q, end_q)
        if cl:
            end = cl.end()
            ok = False
            for _ in range(4):
                qm = g.quals.match(S, end, _end(S, end))
                if not qm:
                    break
                if g.bare_end.match(S, end, _end(S, end)):
                    ok = True
                end = qm.end()
            if ok:
                k = _first_class(S[q: cl.end()], g)
                return _Hit(q, end, None, _clean(S[q:end]), k[0], k[1], collective=True,
                            rule="agencies:collective-bare", confidence=0.7)
    # 7. fallback type word + capitalised name; "các Trạm Chăn nuôi và Thú y khu vực": a class of such units
    if lead in ("các", "những") and not has_head and (mm := _MANY.match(S, q, min(len(S), q + 12))) is not None \
            and _lead(S, mm.end()) in fw["fallback"] and _upper_at(S, mm.end()):
        inner = _parse_body(S, mm.end(), g, has_head)
        if inner is not None and inner.rule == "agencies:fallback":
            inner.start, inner.collective = q, True
            inner.name = f"{S[q:mm.end()].strip().lower()} {inner.name}"
            return inner
    fm = g.fallback.match(S, q, min(len(S), q + 300)) if lead in fw["fallback"] else None
    low = None
    if fm is None and g.fallback_low is not None and lead in fw["fallback"]:
        fm = low = g.fallback_low.match(S, q, min(len(S), q + 300))
    if fm and _upper_at(S, q) and not _inside_name(S, q):
        kind, level = g.fallback_kind.get(re.sub(r"\s+", " ", fm.group(1)), ("other", None))
        end = fm.end()
        # lower-case words after a proper name (two capitalised words: "Báo Quảng Ninh mở ...")
        # are what follows the name -- unless a place follows them ("Công ty TNHH MTV Khai thác công
        # trình thủy lợi tỉnh Sóc Trăng": the name's trade, then where)
        toks = list(re.finditer(r"[^\s]+", S[fm.end(1): end]))
        upper = [t.group(0)[:1].isupper() or t.group(0)[:1].isdigit() for t in toks]  # (a dash is neither)
        last = max((i for i in range(1, len(toks)) if upper[i] and upper[i - 1]), default=None)
        if last is not None and last < len(toks) - 1 and low is None and not _PLACE_NAMED.match(S, end):
            end = fm.end(1) + toks[last].end()
        elif low is not None and not upper[-1]:
            # "Hợp tác xã dịch vụ nông nghiệp Ngọc Thiện bơm tiêu ...": the name ends with its capitals
            end = fm.end(1) + toks[max(i for i in range(len(toks)) if upper[i])].end()
        # "Chi cục Chăn nuôi, Thú y và Thủy sản", "Trung tâm Văn hóa, Thể thao và Truyền thanh": the
        # name's fields listed with a comma and "và"; the part after the comma opens no other body
        cm = _FIELDS_AND.match(S, end, min(len(S), end + 80))
        if cm and _lead(S, cm.start(1)) not in g.first_words.words:
            end = cm.end()
        hit = _Hit(q, end, None, re.sub(r"\s+", " ", S[q:end]), kind, level,
                   rule="agencies:fallback", confidence=0.6)
        if S[q:end].isupper():
            hit.name = _title_place(S[q:end])
        _apply_place(hit, S, g)
        return hit
    return None


# a named place right after a name: "... tỉnh Sóc Trăng", "... thành phố Cần Thơ"
_PLACE_NAMED = re.compile(r"\s+(?:tỉnh|thành\s+phố|huyện|quận|thị\s+xã|xã|phường)\s+\p{Lu}")
# "... cùng cấp" (the body at the reader's own level) / "... các cấp" (at every level: a class)
_LEVEL_TAIL = re.compile(r"(?i)\s+(?P<which>cùng|các)\s+cấp(?![\p{L}\p{M}])")
_FIELD = r"\p{Lu}[\p{L}\p{M}]*(?:\s+\p{Ll}[\p{L}\p{M}]*)?"
_FIELDS_AND = re.compile(r",\s+(" + _FIELD + r")\s+và\s+" + _FIELD + r"(?![\p{L}\p{M}])")


@lru_cache(maxsize=1)
def _capitalised_before() -> "re.Pattern[str]":
    """A capitalised word before a position, other than a sentence opener (``opener`` rows)."""
    openers = _alt(r[0] for r in words().get("opener", [])) or "(?!x)x"
    return re.compile(r"(?<![\p{L}\p{M}])(?!(?i:" + openers + r")\s+$)\p{Lu}[\p{L}\p{M}]*\s+$")


def _inside_name(S: str, q: int) -> bool:
    """Is a fallback type word at ``q`` inside a longer capitalised name ("Ban Tổ chức Hội nghị")?"""
    m = _capitalised_before().search(S, max(0, q - 30), q)
    # (in a heading written in capitals every word is: "TRÁCH NHIỆM CỦA CỤC AN TOÀN THÔNG TIN")
    return m is not None and not (m.group(0).isupper() and S[q:q + 3].isupper())


def _first_class(s: str, g: _Grammar) -> tuple[str, str | None]:
    m = g.class_list.match(s)
    if not m:
        return "other", None
    first = g.one_class.match(s)
    if first:
        return g.class_kind.get(_key(first.group(0)), ("other", None))
    return "other", None


def _hit_full(h: _Hit) -> str:
    name = h.name
    if h.place_word and not h.collective:
        name = f"{name} {h.place_word}" + (f" {h.place}" if h.place else "")
    return f"{h.head} {name}" if h.head else name


def _parse_at(S: str, p: int, g: _Grammar, allow_group: bool = True):
    """One agency mention starting at shadow offset ``p``, or None."""
    start = p
    lead = _lead(S, p)
    pre = g.prefix.match(S, p, _end(S, p)) if lead in g.fw["prefix"] else None
    if pre:
        p = pre.end()
        lead = _lead(S, p)
    cands = []
    hm = g.heads_at[lead].match(S, p, _end(S, p)) if lead in g.fw["heads"] else None
    if hm:
        body = _parse_body(S, hm.end(), g, True)
        if body is not None:
            # ("Bộ trưởng các Bộ: Quốc phòng, Công an": the head heads each body of the list)
            body.head = _norm_head(hm.group(0))
            body.start = p
            cands.append(body)
    body = _parse_body(S, p, g, False, lead)
    if body is not None:
        cands.append(body)
    if not cands:
        return None
    best = max(cands, key=lambda h: (h.end, h.head is None))
    best.start = p if best.start < p else best.start
    _ = start
    return _Wrapped(best, S)


class _Wrapped:
    def __init__(self, hit: _Hit, S: str):
        self.hit = hit
        self.S = S
        self.end = hit.end

    def full_name_shadow(self) -> str:
        h = self.hit
        name = _body_name(h, S=self.S)
        return f"{h.head} {name}" if h.head else name


def _body_name(h: _Hit, S: str) -> str:
    if h.place_word is None or not (h.rule.startswith("agencies.tsv") or h.rule == "agencies:fallback"):
        return h.name
    if h.collective and h.place_tail:
        return f"{h.name} {h.place_tail}"
    if h.place_word == "":
        return f"{h.name} {h.place}"
    return f"{h.name} {h.place_word}" + (f" {h.place}" if h.place else "")


_MEMBER = re.compile(r"[ \t]+viên" + _B)
# the list after "các huyện" that names them: "Ninh Sơn, Bác Ái", ": Cà Mau, Bạc Liêu và Sóc Trăng"
_NAMES_OPEN = re.compile(r"\s*:\s*|[ \t]+")
_NAMES_SEP = re.compile(r"\s*,\s*(?:và\s+)?|\s+và\s+")
_REGION = re.compile(r"(?i:Đồng\s+bằng|Tây\s+Nguyên|Tây\s+Bắc|Tây\s+Nam|Đông\s+Bắc|Đông\s+Nam|Bắc\s+Trung|Nam\s+Trung"
                     r"|Bắc\s+Bộ|Nam\s+Bộ|Trung\s+Bộ|Miền|Duyên\s+hải|Trung\s+du)" + _B)


_NAMED_PLACE_WORDS = frozenset({"tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn"})


def _named_places(S: str, pos: int, word: str | None, g: _Grammar) -> list[tuple[int, int, str, str]]:
    """The places named right after a collective's single place word (``các huyện`` + ``Ninh Sơn,
    Bác Ái``): ``[(start, end, name, place word)]``, or ``[]``; the list may go on with a place of
    another kind ("các xã Tống Trân, Phù Cừ và phường Sơn Nam").  Provinces must be known ones; a
    district's or a commune's name is any capitalised name that is not a region, a head or a body."""
    if word not in _NAMED_PLACE_WORDS:
        return []
    m = _NAMES_OPEN.match(S, pos)
    if not m:
        return []
    out: list[tuple[int, int, str, str]] = []
    q = m.end()
    opened: int | None = None  # where "phường" of "... và phường Sơn Nam" stands: the part starts there
    while True:
        lim = _end(S, q)
        if word in ("tỉnh", "thành phố"):
            p = g.prov.match(S, q, lim)
            if not p:
                break
            prov = g.prov_lookup.get(_key(p.group(0)))
            out.append((q if opened is None else opened, p.end(), prov.name if prov else _title_place(p.group(0)), word))
        else:
            gm = _PLACE_NAME.match(S, q, lim)
            if (not gm or _REGION.match(S, q, lim) or g.heads.match(S, q, lim) or g.named.match(S, q, lim)
                    or gm.group(0)[0].isdigit()):
                break
            out.append((q if opened is None else opened, gm.end(), _title_place(gm.group(0)), word))
        sep = _NAMES_SEP.match(S, out[-1][1])
        if not sep:
            break
        q = sep.end()
        # "... Nguyên Hòa và phường Sơn Nam": the list goes on with a place of another kind
        pw = g.place_word.match(S, q, _end(S, q))
        sp = _SPACES.match(S, pw.end(), _end(S, pw.end())) if pw else None
        if sp:
            w2 = _SPACES.sub(" ", pw.group(0)).lower()
            if w2 in _NAMED_PLACE_WORDS:
                word, q, opened = w2, sp.end(), q
                continue
        opened = None
    return out


def _apply_place(hit: _Hit, S: str, g: _Grammar) -> None:
    pl = _match_place(S, hit.end, g)
    if not pl and (lv := _LEVEL_TAIL.match(S, hit.end, min(len(S), hit.end + 20))):
        # "Ủy ban nhân dân cùng cấp", "Chi cục Thuế cùng cấp": the body at the reader's own level, as
        # written; "Ủy ban MTTQ Việt Nam các cấp", "Hội Nông dân các cấp": the body at every level, a class
        every = lv.group("which").lower() == "các"
        hit.name, hit.end = f"{hit.name} {'các' if every else 'cùng'} cấp", lv.end()
        hit.collective = hit.collective or every
        return
    if not pl:
        if hit.level in ("province", "local") and hit.kind != "chinh_phu":
            sp = _SPACES.match(S, hit.end, _end(S, hit.end))
            pm = g.prov.match(S, sp.end(), min(len(S), sp.end() + 60)) if sp else None
            if pm:
                prov = g.prov_lookup.get(_key(pm.group(0)))
                hit.end = pm.end()
                hit.place = prov.name if prov else _title_place(pm.group(0))
                hit.place_word = ""
        elif hit.kind == "dang" and hit.name.endswith(("Huyện ủy", "Quận ủy", "Thị ủy", "Thành ủy", "Đảng ủy")):
            # "Huyện ủy Hương Khê", "Đảng ủy xã Hòa Ninh" is read by place words; a district's committee
            # is named by its district's name alone
            pm = _COMMITTEE_PLACE.match(S, hit.end, _end(S, hit.end))
            if pm:
                hit.end = pm.end()
                hit.place = pm.group(1)
                hit.place_word = ""
        return
    start_tail = hit.end
    hit.end, hit.place_word, hit.place, hit.collective = pl
    if hit.collective and not hit.parts and not _LIST_SEP.search(S, start_tail, hit.end):
        named = _named_places(S, hit.end, hit.place_word, g)
        if named:
            # "UBND các huyện Ninh Sơn, Bác Ái", "Ủy ban nhân dân các tỉnh: Cà Mau, Bạc Liêu": the
            # places are named, so each is a body of its own (as "các Bộ: Tài chính, Xây dựng")
            hit.collective = False
            hit.end = named[-1][1]
            hit.parts = tuple((s, e, hit.name, w, nm) for s, e, nm, w in named)
            return
    if hit.collective:
        end = hit.end
        for _ in range(2):
            qm = g.quals.match(S, end, _end(S, end))
            if not qm:
                break
            end = qm.end()
        hit.end = end
        tail = _clean(S[start_tail:end])
        hit.place_tail = tail.lower() if tail.isupper() else tail


# --------------------------------------------------------------------------- public API


_WORD_START = re.compile(r"(?<![\p{L}\p{M}\p{N}])[\p{L}]")
# a place's proper name after a party committee: "Hương Khê", "Thanh Chương" (capitalised words)
_COMMITTEE_PLACE = re.compile(r"\s+(\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+){0,3})(?![\p{L}\p{M}])")
_CITY = {"Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"}


def _prov_obj(name: str | None) -> Province | None:
    if not name:
        return None
    return _grammar().prov_lookup.get(_key(name))


def _jurisdiction_prefix(name: str) -> str:
    p = _prov_obj(name)
    if p is not None:
        return p.type
    return "thành phố" if name in _CITY else "tỉnh"


def _resolve(h: _Hit, ctx: AgencyContext | None) -> tuple[str | None, str | None]:
    """(level, jurisdiction) of a hit."""
    ctx = ctx or AgencyContext()
    ctx_prov = f"{_jurisdiction_prefix(ctx.province)} {ctx.province}" if ctx.province else None
    g = _grammar()
    level = h.level
    juris = None
    pw = h.place_word
    if pw == "" and h.place:
        pw = _jurisdiction_prefix(h.place)
        if level in (None, "local"):
            level = "province"
        return level, f"{pw} {h.place}"
    if pw is not None:
        lv = g.place_level.get(_key(pw))
        if pw == "thành phố":
            p = _prov_obj(h.place) if h.place else None
            if h.collective:
                lv = "district" if not re.search(r"(?i)tỉnh", h.name) else "province"
            elif h.place:
                lv = "province" if (p is not None and p.type == "thành phố") else "district"
            elif ctx.province:
                lv = "province" if _jurisdiction_prefix(ctx.province) == "thành phố" else "district"
            else:
                lv = "province"
        if h.collective and pw in ("tỉnh",):
            lv = "province"
        if level in (None, "local") or (level == "province" and lv in ("district", "commune")):
            level = lv
        if h.place:
            juris = f"{pw} {h.place}"
            if pw == "tỉnh" or (pw == "thành phố" and level == "province"):
                pass
        elif not h.collective:
            if level == "province" and ctx_prov:
                juris = ctx_prov
            elif level == "district" and ctx.district:
                juris = f"{pw} {ctx.district}"
            elif level in ("district", "commune") and ctx_prov:
                juris = ctx_prov
        else:
            if ctx_prov and level != "central" and not re.search(r"(?i)(?:các|cấp)\s+tỉnh", h.name + " " + (h.place_tail or "")):
                juris = ctx_prov
    else:
        if level == "local":
            level = ctx.issuer_level if ctx.issuer_level else None
        if level in ("province", "district", "commune") and ctx_prov:
            juris = ctx_prov
            if level == "district" and ctx.district:
                juris = f"huyện {ctx.district}"
        if h.collective and level is None and ctx_prov:
            juris = ctx_prov
    if level == "central":
        juris = None
    return level, juris


def _to_agency(h: _Hit, S: str, text: str, starts: _Offsets, ends: _Offsets, base: int,
               ctx: AgencyContext | None) -> list[Agency]:
    def span(s: int, e: int) -> tuple[int, int]:
        return starts[s], ends[e - 1]

    if h.parts:
        out = []
        for k, (s, e, nm, *place) in enumerate(h.parts):
            ss = h.start if k == 0 else s
            if place:  # a named place of a collective ("các huyện Ninh Sơn, Bác Ái")
                sub = _Hit(ss, e, h.head, nm, h.kind, h.level, place[0], place[1], rule=h.rule,
                           confidence=h.confidence)
            else:
                entry = _grammar().named_lookup.get(_key(nm))
                sub = _Hit(ss, e, h.head, nm, entry.kind if entry else h.kind, entry.level if entry else h.level,
                           rule=h.rule, confidence=h.confidence)
            out.extend(_to_agency(sub, S, text, starts, ends, base, ctx))
        return out
    a, b = span(h.start, h.end)
    name = _body_name(h, S)
    level, juris = _resolve(h, ctx)
    return [
        Agency(
            text=text[a:b],
            name=name,
            kind=h.kind,
            level=level,
            jurisdiction=juris,
            head=h.head,
            collective=h.collective,
            span=(a + base, b + base),
            provenance=Provenance(h.rule, h.confidence),
        )
    ]


def find_agencies(text: str, base: int = 0, ctx: AgencyContext | None = None) -> list[Agency]:
    """Every agency mention in ``text``, in order, non-overlapping; spans offset by ``base``."""
    if not text:
        return []
    g = _grammar()
    S, starts, ends = _shadow(text)
    out: list[Agency] = []
    last = 0
    # only words that can open an agency name are tried (one scan instead of a loop over every word)
    o = g.first_words
    for wm in _first_word_rx(o.words).finditer(S):
        p = wm.start()
        if p < last or not _opens(S, wm, o):
            continue
        w = _parse_at(S, p, g)
        if w is None:
            continue
        h = w.hit
        found = _to_agency(h, S, text, starts, ends, base, ctx)
        if len(found) == 1 and not h.collective and not h.parts:
            rel = (_relative_clause().match(S, h.end, min(len(S), h.end + 200))
                   or _AREA.match(S, h.end, min(len(S), h.end + 120))
                   or (_numbered().match(S, h.end, min(len(S), h.end + 80))
                       if found[0].name.casefold() in _numbered_names() else None))
            if rel and rel.re is _AREA:
                # "Kho bạc Nhà nước khu vực nơi giao dịch": the unit of the area, then which one
                rel = _relative_clause().match(S, rel.end(), min(len(S), rel.end() + 200)) or rel
            if rel:
                a = found[0]
                e = ends[rel.end() - 1]
                clause = (_numbered_clause(a.name, rel) if rel.re is _numbered()
                          else " ".join(text[starts[h.end]:e].split()))
                a.text = text[a.span[0] - base:e]
                a.name = f"{a.name} {clause}"
                a.span = (a.span[0], e + base)
                h.end = rel.end()
        out.extend(found)
        last = h.end
    out = _descriptive_names(out, text, base, ctx)
    return _distribute_heads(out, text, base)


def _name_stops(keep: frozenset = frozenset()) -> str:
    """The words that end a name written on in lower case (``relative_stop`` and
    ``descriptive_stop`` rows, but the ``descriptive_stop`` words in ``keep``): the verb that follows
    the name."""
    w = words()
    return _alt([r[0] for r in w.get("relative_stop", [])]
                + [r[0] for r in w.get("descriptive_stop", []) if r[0] not in keep])


@lru_cache(maxsize=1)
def _descriptive_rx() -> "re.Pattern[str] | None":
    w = words()
    heads = [r[0] for r in w.get("descriptive", [])]
    if not heads:
        return None
    stop = _name_stops()
    # "... các công trình dân dụng và công nghiệp tỉnh": "và" joins two lower-case nouns of the name
    # (not "và các đơn vị ...", "và chính quyền ...")
    and_noun = (r"và(?=\s+(?!(?:các|những|mọi|toàn|cơ\s+quan|đơn\s+vị|địa\s+phương|chính\s+quyền|người|nhân\s+dân)"
                r"(?![\p{L}\p{M}]))\p{Ll})")
    word = r"(?:" + and_noun + r"|(?!(?:" + stop + r")(?![\p{L}\p{M}]))[\p{L}\p{N}][\p{L}\p{M}\p{N}-]*)"
    # a "descriptive_lower" head is a description only when a lower-case word follows it ("các Ban Quản lý
    # rừng phòng hộ"); written on in capitals it is a name the gazetteer or the fallback reads
    lower = [r[0] for r in w.get("descriptive_lower", [])]
    head = _alt(heads) + (r"|(?:" + _alt(lower) + r")(?=\s+\p{Ll})" if lower else "")
    return re.compile(
        r"(?<![\p{L}\p{M}])(?P<head>" + head + r")(?P<tail>(?:(?:\s+|\s*,\s*)" + word + r"){1,16})"
        r"(?![\p{L}\p{M}])"
    )


_MANY = re.compile(r"(?i:các|những|mọi)\s+")


def _descriptive_names(found: list[Agency], text: str, base: int, ctx) -> list[Agency]:
    """Bodies named by a lower-case description after their type ("Ban Quản lý dự án đầu tư xây
    dựng các công trình giao thông tỉnh"): found where the gazetteer stops at the type word or
    finds nothing.  A description never ends in a comma."""
    rx = _descriptive_rx()
    matches = list(rx.finditer(text)) if rx is not None else []
    if not matches:
        return found  # nothing to add (and find_agencies lists its finds in text order already)
    kinds = {r[0]: (r[1] if len(r) > 1 else "other")
             for r in words().get("descriptive", []) + words().get("descriptive_lower", [])}
    out = list(found)
    for m in matches:
        s, e = m.start(), m.end()
        # the description stops before a known agency that follows ("Ban Chỉ đạo Sở Y tế ...")
        later = [a.span[0] - base for a in out if m.end("head") < a.span[0] - base < e]
        if later:
            e = min(later)
        while e > m.end("head") and text[e - 1] in " ,":
            e -= 1
        if e <= m.end("head"):
            continue
        covered = [a for a in out if a.span[0] - base < e and s < a.span[1] - base]
        # "các Ban Quản lý dự án chuyên ngành tỉnh": the collective found as "các Ban" is the start
        many = next((a for a in covered if a.span[0] - base < s <= a.span[1] - base <= m.end("head")
                     and _MANY.fullmatch(text[a.span[0] - base: s])), None)
        if many is not None:
            s = many.span[0] - base
        # "thành viên Ban Chỉ đạo Chăm sóc sức khỏe nhân dân huyện": a head before the description stays its head
        headed = next((a for a in covered if a.head and a.span[0] - base < s < a.span[1] - base <= e), None)
        start = headed.span[0] - base if headed is not None else s
        if any(a.span[1] - base >= e or a.span[0] - base < start for a in covered):
            continue  # a known name as long or longer already covers it
        out = [a for a in out if a not in covered]
        head = next((k for k in kinds if k.lower() == m.group("head").lower()), m.group("head"))
        # "... chuyên ngành tỉnh": a place word at the end, in lower case, gives the level (the
        # two-word "thị xã" before "xã"; "thành phố" is left open)
        toks, pl, level = text[s:e].split(), _grammar().place_level, None
        for tail in (" ".join(toks[-2:]), toks[-1]):
            if tail.islower() and _key(tail) in pl:
                level = pl[_key(tail)]
                break
        out.append(Agency(
            text=text[start:e], name=expand(text[s:e]), kind=kinds.get(head, "ban"), level=level,
            jurisdiction=None, head=headed.head if headed is not None else None,
            collective=many is not None or (headed is not None and headed.collective), span=(start + base, e + base),
            provenance=Provenance("agencies:descriptive", 0.7),
        ))
    out.sort(key=lambda a: a.span[0])
    return out


_LIST_GOES_ON = re.compile(r"\s*(?:[,;]|và)?\s*(?:và\s+)?")


def _distribute_heads(found: list[Agency], text: str, base: int) -> list[Agency]:
    """``Giao Giám đốc: Sở Văn hóa, Thể thao và Du lịch, Sở Thông tin và Truyền thông, Đài Phát
    thanh - Truyền hình Hậu Giang`` — a head before a colon heads every agency of the list."""
    head_rx = _heads_before_colon()
    current: str | None = None
    prev_end = None
    for a in found:
        s, e = a.span[0] - base, a.span[1] - base
        if prev_end is not None and current and _LIST_GOES_ON.fullmatch(text[prev_end:s]):
            pass  # the list goes on
        else:
            m = head_rx.search(text, max(0, s - 60), s)
            current = _cap(m.group("head").strip()) if m else None
        if current and not a.head:
            a.head = current
        prev_end = e
    return found


@lru_cache(maxsize=1)
def _heads_before_colon() -> "re.Pattern[str]":
    return re.compile(r"(?i:(?<![\p{L}])(?P<head>" + heads_pattern() + r"))\s*:\s*$")


@lru_cache(maxsize=4)
def _first_word_rx(words: frozenset) -> "re.Pattern[str]":
    """Word starts whose first word (``[\\p{L}\\p{M}/]+``, case-folded) is one of ``words``
    (a quick scan; :func:`_opens` then looks closer).

    The scan is the hot loop of :func:`find_agencies`: the words are tried as a prefix tree.
    Only speed depends on that; what matches is the plain ``(?i:word|word|...)``.  (A lookahead
    on the possible first characters in front of the look-behind made the scan slower, by about
    a sixth, with ``regex`` 2026.5.)"""
    words = [w for w in words if w]
    return re.compile(
        r"(?<![\p{L}\p{M}\p{N}])"
        r"(?:(?i:" + trie_alternation(words) + r")(?![\p{L}\p{M}/])|cấp[\p{L}\p{M}/]*)"
    )


# "Thanh tra Sở phối hợp ...": a parent organ written by its type word alone (then no capital follows)
_BARE_PARENT = re.compile(r"(Sở|Bộ)(?![\p{L}\p{M}])(?!\s+\p{Lu})")


# "Chi cục Thuế khu vực Krông Pắc - Ea Kar", "Kho bạc Nhà nước khu vực XVII", "Hạt Kiểm lâm khu vực 2":
# which area's unit is meant stays part of the name
# ("Trung tâm Y tế khu vực phối hợp ...", "Kho bạc Nhà nước khu vực nơi giao dịch": the area unnamed,
# the verb or a "nơi ..." clause after it)
_AREA = re.compile(r"\s+khu\s+vực(?:\s+(?:[IVXLC]{1,6}(?![\p{L}\p{M}])|\d{1,3}(?!\d)|\p{Lu}[\p{L}\p{M}]*"
                   r"(?:(?:\s*[-–]\s*|\s+)\p{Lu}[\p{L}\p{M}]*){0,6})|(?=\s*[,.;:)]|\s*$|\s+\p{Ll}))")


@lru_cache(maxsize=1)
def _placed_only() -> frozenset[str]:
    """Names that are a body only when a place follows (agency_words.tsv, ``placed``)."""
    return frozenset(_key(r[0]) for r in words().get("placed", []))


@lru_cache(maxsize=1)
def _numbered_names() -> frozenset[str]:
    return frozenset(r[0].casefold() for r in words().get("numbered", []))


@lru_cache(maxsize=1)
def _numbered() -> "re.Pattern[str]":
    """`` 1``, `` số 3``, `` 1 đến Thuế cơ sở 12`` after a ``numbered`` body (agency_words.tsv)."""
    names = _alt([r[0] for r in words().get("numbered", [])]) or "(?!x)x"
    # not a count after the name ("gửi Thuế cơ sở 02 bản")
    num = (r"(?:số\s+)?\d{1,3}(?![\d\p{L}\p{M}]|[.,/]\d|\s*%|\s+(?:bản|người|ngày|tháng|năm|giờ|lần|tỷ|triệu"
           r"|đồng|hồ\s+sơ|trường\s+hợp|doanh\s+nghiệp)(?![\p{L}\p{M}]))")
    return re.compile(r"(?i)\s+(?P<n1>" + num + r")(?:\s*(?P<to>đến|-|–)\s*(?P<again>" + names + r"\s+)?(?P<n2>"
                      + num + r"))?")


def _numbered_clause(name: str, m: "re.Match[str]") -> str:
    """The number (or range) of a ``numbered`` body as the name goes on: ``1 đến Thuế cơ sở 12``, in the
    gazetteer's case whatever the letter's ("THUẾ CƠ SỞ 1 ĐẾN THUẾ CƠ SỞ 12")."""
    out = m.group("n1").lower()
    if m.group("n2"):
        out += f" {m.group('to').lower()} " + (f"{name} " if m.group("again") else "") + m.group("n2").lower()
    return out


_RELATIVE_KEEPS = frozenset({"có", "theo", "tại", "để", "cho", "của", "trên", "trong", "này", "cùng", "ban hành", "đang"})


@lru_cache(maxsize=1)
def _relative_clause() -> "re.Pattern[str]":
    """`` nơi đăng ký tờ khai`` after a unit: up to 10 words, stopping at punctuation or a verb."""
    w = words()
    opener = _alt(r[0] for r in w.get("relative", [])) or "(?!x)x"
    # the verbs that end a descriptive name end the clause too ("Chi cục Hải quan cửa khẩu quốc tế Bờ Y
    # tăng cường ..."), not its function words ("nơi có dự án", "nơi đặt trụ sở")
    stop = _name_stops(_RELATIVE_KEEPS) or "(?!x)x"
    word = r"(?!(?:" + stop + r")(?![\p{L}\p{M}]))[\p{L}\p{M}\d/-]+"
    return re.compile(r"\s+(?:" + opener + r")(?:\s+" + word + r"){1,10}(?![\p{L}\p{M}])")


def parse_agency(text: str, ctx: AgencyContext | None = None) -> Agency | None:
    """One whole phrase, e.g. an issuer line ``"ỦY BAN NHÂN DÂN TỈNH AN GIANG"``."""
    if not text or not text.strip():
        return None
    found = find_agencies(text, 0, ctx)
    return found[0] if found else None
