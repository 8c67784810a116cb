"""Document types (SPEC §6) as data, and số ký hiệu normalisation.

The table lives in ``extract/data/doc_types.tsv``: slug, the abbreviations written in a số ký hiệu,
and the names that open a citation.  This module only reads it.

Public API::

    doc_type_from_abbrev("CĐ")            -> "cong_dien"
    doc_type_from_name("Công điện khẩn")  -> "cong_dien"
    doc_type_from_number("1031-TB/TU")    -> "thong_bao"
    doc_type_from_number("493/UBND-KGVX") -> "cong_van"   (no type part: a công văn)
    normalize_number("846 /UBND-TH.")     -> "846/UBND-TH"
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import _re as regex
from . import datafile

DATA_DIR = Path(__file__).resolve().parent / "data"
DOC_TYPES_FILE = DATA_DIR / "doc_types.tsv"

# A Luật (or Nghị quyết / Pháp lệnh of Quốc hội) number: 25/2008/QH12, 10/2022/UBTVQH15.
LAW_CODE_RE = regex.compile(r"^(?:QH|UBTVQH)\d{1,2}$")
_YEAR_RE = regex.compile(r"^\d{4}$")


@dataclass(frozen=True)
class DocType:
    slug: str
    abbrevs: tuple[str, ...]
    names: tuple[str, ...]
    source: str  # "spec" or "ext"


def _clean_cell(s: str) -> str:
    return unicodedata.normalize("NFC", s.strip())


@lru_cache(maxsize=1)
def load_doc_types() -> tuple[DocType, ...]:
    """Rows of doc_types.tsv, in file order."""
    rows: list[DocType] = []
    for _, cells in datafile.rows(DOC_TYPES_FILE):
        if len(cells) < 3:
            line = "\t".join(cells)
            raise ValueError(f"doc_types.tsv: bad row {line!r}")
        slug = _clean_cell(cells[0])
        abbrevs = tuple(a for a in (_clean_cell(x) for x in cells[1].split(",")) if a and a != "-")
        names = tuple(n for n in (_clean_cell(x) for x in cells[2].split("|")) if n)
        source = _clean_cell(cells[3]) if len(cells) > 3 else "spec"
        rows.append(DocType(slug, abbrevs, names, source))
    return tuple(rows)


@lru_cache(maxsize=1)
def _spec_slugs() -> frozenset[str]:
    return frozenset(dt.slug for dt in load_doc_types() if dt.source == "spec")


def in_spec(slug: str) -> bool:
    """Whether ``slug`` is one of SPEC §6's (``source`` spec in doc_types.tsv), not an extension."""
    return slug in _spec_slugs()


# --- tone placement -----------------------------------------------------------------------------
# Old-style tone placement ("hoà", "thoả", "Uỷ") -> new style ("hòa", "thỏa", "Ủy"), only where the
# diphthong ends the syllable (SPEC §7); "hoàn", "thuận" are untouched.
def _tone_new_style(s: str) -> str:
    def fix(m: regex.Match) -> str:
        first, second = m.group(1), m.group(2)
        # move the tone mark from the second vowel to the first
        d2 = unicodedata.normalize("NFD", second)
        base2, marks = d2[0], d2[1:]
        tone = "".join(c for c in marks if c in "\u0300\u0301\u0309\u0303\u0323")
        other = "".join(c for c in marks if c not in tone)
        new_first = unicodedata.normalize("NFC", first + tone)
        new_second = unicodedata.normalize("NFC", base2 + other)
        return new_first + new_second

    # oa/oe/uy with the tone on the second vowel and nothing after it in the word
    return regex.sub(
        r"(?i)(?<![qQ])([ou])([àáảãạèéẻẽẹỳýỷỹỵ])(?!\p{L})",
        lambda m: fix(m) if (m.group(1).lower() == "o" and m.group(2).lower() in "àáảãạèéẻẽẹ")
        or (m.group(1).lower() == "u" and m.group(2).lower() in "ỳýỷỹỵ") else m.group(0),
        s,
    )


def _key(s: str) -> str:
    """Lookup key for a name: NFC, new-style tones, single spaces, case-folded."""
    s = unicodedata.normalize("NFC", s)
    s = s.replace("\u00d0", "Đ").replace("\u00f0", "đ")
    s = _tone_new_style(s)
    s = " ".join(s.split())
    return s.casefold()


@lru_cache(maxsize=1)
def _abbrev_maps() -> tuple[dict[str, str], dict[str, str]]:
    exact: dict[str, str] = {}
    folded: dict[str, set[str]] = {}
    for dt in load_doc_types():
        for a in dt.abbrevs:
            exact.setdefault(a, dt.slug)
            folded.setdefault(a.casefold(), set()).add(dt.slug)
    unique_folded = {k: next(iter(v)) for k, v in folded.items() if len(v) == 1}
    return exact, unique_folded


@lru_cache(maxsize=1)
def _name_map() -> dict[str, str]:
    m: dict[str, str] = {}
    for dt in load_doc_types():
        for n in dt.names:
            m.setdefault(_key(n), dt.slug)
    return m


def all_abbrevs() -> list[str]:
    """Every type abbreviation, longest first (for building regex alternations)."""
    seen = {a for dt in load_doc_types() for a in dt.abbrevs}
    return sorted(seen, key=lambda a: (-len(a), a))


def all_names() -> list[str]:
    """Every type name, longest first."""
    seen = {n for dt in load_doc_types() for n in dt.names}
    return sorted(seen, key=lambda n: (-len(n), n))


@lru_cache(maxsize=8192)  # pure; the same names and numbers recur
def doc_type_from_abbrev(abbrev: str) -> str | None:
    """The slug for a type abbreviation of a số ký hiệu ("CT" -> "chi_thi"), or None."""
    if not abbrev:
        return None
    a = unicodedata.normalize("NFC", abbrev.strip()).replace("\u00d0", "Đ").replace("\u00f0", "đ")
    exact, folded = _abbrev_maps()
    if a in exact:
        return exact[a]
    return folded.get(a.casefold())


@lru_cache(maxsize=8192)  # pure; the same names and numbers recur
def doc_type_from_name(name: str) -> str | None:
    """The slug for a type name ("Chỉ thị", "công điện khẩn", "Thông báo kết luận"), or None.

    An exact alias wins; otherwise the longest alias that opens the name at a word boundary
    ("Quy chế làm việc" -> quy_che, "Kế hoạch hành động" -> ke_hoach).
    """
    if not name:
        return None
    k = _key(name)
    m = _name_map()
    if k in m:
        return m[k]
    best: tuple[int, str] | None = None
    for alias, slug in m.items():
        if k.startswith(alias) and (len(k) == len(alias) or not k[len(alias)].isalnum()):
            if best is None or len(alias) > best[0]:
                best = (len(alias), slug)
    return best[1] if best else None


_NUM_SPACE_RE = regex.compile(r"[ \t\n]*([/\-–—])[ \t\n]*")
_TRAIL_RE = regex.compile(r"[\s.,;:!?)\]}\"'“”’/*]+$")
_LEAD_RE = regex.compile(r"^[\s(\[{\"'“‘*]+")
# a number already in normal form -- digits, Latin letters, Đ/đ, "&", "/" and "-", not ending
# in "/" -- which every step of normalize_number leaves as it is (the common case)
_PLAIN_NUMBER_RE = regex.compile(r"[0-9A-Za-zĐđ&/\-]*[0-9A-Za-zĐđ&\-]")


@lru_cache(maxsize=8192)  # pure; the same names and numbers recur
def normalize_number(raw: str) -> str:
    """Normalise a số ký hiệu (SPEC §4).

    NFC; Icelandic Ð/ð (a legacy-encoding look-alike) -> Đ/đ; en/em dashes -> "-"; spaces around
    "/" and "-" removed; a leading "số"/"Số:" and trailing punctuation ("./.", ")", ",") stripped.
    Case is kept ("TTg", "CTr").
    """
    if isinstance(raw, str) and _PLAIN_NUMBER_RE.fullmatch(raw):
        return raw
    s = unicodedata.normalize("NFC", raw or "")
    s = s.replace("\u00d0", "Đ").replace("\u00f0", "đ")
    s = _LEAD_RE.sub("", s)
    s = regex.sub(r"^(?i:số)(?:[ \t]*(?i:số))*[ \t]*:?[ \t]*", "", s)
    s = _TRAIL_RE.sub("", s)
    s = _NUM_SPACE_RE.sub(lambda m: "-" if m.group(1) in "-–—" else "/", s)
    s = " ".join(s.split())
    return s


def number_parts(number: str) -> tuple[str, list[str], str]:
    """Split a normalised number into (leading digits, code segments, form).

    form is "party" (1031-TB/TU), "admin" (493/UBND-KGVX, 61/2022/QĐ-UBND), "digits" (1409)
    or "" (not a number).
    """
    digits, segs, form = _number_parts(number)
    return digits, list(segs), form


@lru_cache(maxsize=8192)
def _number_parts(number: str) -> tuple[str, tuple[str, ...], str]:
    n = normalize_number(number)
    m = regex.match(r"^(\d{1,6})(.*)$", n)
    if not m:
        return "", (), ""
    digits, rest = m.group(1), m.group(2)
    if not rest:
        return digits, (), "digits"
    if rest.startswith("-"):
        # party form: -TYPE/ISSUER[-UNIT]
        segs = regex.split(r"[/\-]", rest[1:])
        return digits, tuple(s for s in segs if s), "party"
    if rest.startswith("/"):
        segs = regex.split(r"[/\-]", rest[1:])
        return digits, tuple(s for s in segs if s), "admin"
    return digits, (), ""


@lru_cache(maxsize=8192)  # pure; the same names and numbers recur
def number_type_part(number: str) -> str | None:
    """The explicit type abbreviation in a number ("QĐ" in 61/2022/QĐ-UBND), or None."""
    digits, segs, form = _number_parts(number)
    if form == "party":
        return segs[0] if segs and doc_type_from_abbrev(segs[0]) else None
    if form == "admin":
        rest = segs[1:] if segs and _YEAR_RE.match(segs[0]) else segs
        if rest and doc_type_from_abbrev(rest[0]):
            return rest[0]
    return None


@lru_cache(maxsize=8192)  # pure; the same names and numbers recur
def doc_type_from_number(number: str) -> str | None:
    """The slug implied by a số ký hiệu.

    "01/CT-UBND" -> chi_thi; "61/2022/QĐ-UBND" -> quyet_dinh; "1031-TB/TU" -> thong_bao;
    "25/2008/QH12" -> luat; "493/UBND-KGVX" -> cong_van (no type part: a công văn);
    "1409" (digits only) -> None.
    """
    if not number:
        return None
    digits, segs, form = _number_parts(number)
    if form == "party":
        return doc_type_from_abbrev(segs[0]) if segs else None
    if form != "admin" or not segs:
        return None
    year = bool(_YEAR_RE.match(segs[0]))
    rest = segs[1:] if year else segs
    if not rest:
        return None
    if year and LAW_CODE_RE.match(rest[0]) and len(rest) == 1:
        return "luat"
    slug = doc_type_from_abbrev(rest[0])
    if slug:
        return slug
    return "cong_van"


@lru_cache(maxsize=8192)  # pure; the same names and numbers recur
def leading_digits(number: str) -> str:
    """The document's ordinal ("26" for 26/CT-TTg), used to resolve short cites."""
    d, _, _ = _number_parts(number)
    return d.lstrip("0") or d
