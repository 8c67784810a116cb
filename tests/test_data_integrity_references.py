"""Data integrity of the reference patterns and the document-type table.

- each pattern in extract/data/reference_patterns.tsv finds its own examples (with the expected
  number) and none of its near misses; the whole-pipeline rejects give no reference;
- every SPEC §6 slug and abbreviation is in extract/data/doc_types.tsv and maps back to its slug;
- no type name, abbreviation or lexicon entry collides;
- no pattern has an unbounded repetition (linear time).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from extract.doctypes import (
    doc_type_from_abbrev,
    doc_type_from_name,
    load_doc_types,
    normalize_number,
    _key as name_key,
)
from extract.references import find_references, load_rules

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT.parent / "shared" / "SPEC.md"
if not SPEC.exists():
    SPEC = Path("/work/shared/SPEC.md")

RULES = load_rules()
PATTERN_IDS = sorted(RULES.patterns)


def test_every_pattern_has_examples_and_near_misses():
    for pid, spec in RULES.patterns.items():
        assert spec.examples, f"{pid} has no example"
        assert spec.near_misses, f"{pid} has no near miss"


def _example_params():
    out = []
    for pid in PATTERN_IDS:
        for i, (text, expected) in enumerate(RULES.patterns[pid].examples):
            out.append(pytest.param(pid, text, expected, id=f"{pid}-{i}"))
    return out


def _near_miss_params():
    out = []
    for pid in PATTERN_IDS:
        for i, text in enumerate(RULES.patterns[pid].near_misses):
            out.append(pytest.param(pid, text, id=f"{pid}-{i}"))
    return out


@pytest.mark.parametrize("pid,text,expected", _example_params())
def test_pattern_matches_its_examples(pid, text, expected):
    rx = RULES.patterns[pid].regex
    matches = list(rx.finditer(text))
    assert matches, f"{pid} does not match {text!r}"
    if expected != "-":
        nums = [normalize_number(m.group("num")) for m in matches if "num" in rx.groupindex]
        assert expected in nums


@pytest.mark.parametrize("pid,text", _near_miss_params())
def test_pattern_misses_its_near_misses(pid, text):
    m = RULES.patterns[pid].regex.search(text)
    assert m is None, f"{pid} matches near miss {text!r}: {m.group(0)!r}"


@pytest.mark.parametrize("text", RULES.rejects)
def test_rejects_give_no_reference(text):
    assert find_references(text) == []


def test_examples_of_named_rules_become_references():
    # the examples of the citation rules give a reference with the expected number end to end
    for pid in ("ref.named", "ref.law_titled"):
        for text, expected in RULES.patterns[pid].examples:
            numbers = [r.number for r in find_references(text)]
            assert expected in numbers, (pid, text, numbers)


# --- doc types vs SPEC §6 -------------------------------------------------------------------------


def _spec_section6() -> str:
    text = SPEC.read_text(encoding="utf-8")
    start = text.index("## 6.")
    end = text.index("## 7.", start)
    return text[start:end]


def _spec_pairs() -> list[tuple[str, str]]:
    """(slug, abbreviation) pairs written in SPEC §6: `nghi_quyet` NQ, `nghi_dinh` (NĐ)."""
    sec = _spec_section6()
    return re.findall(r"`([a-z_]+)`\s+\(?([A-ZĐ][^\s,;)`]*)\)?", sec)


def test_spec_section6_is_readable():
    pairs = _spec_pairs()
    assert len(pairs) >= 30
    assert ("cong_dien", "CĐ") in pairs


def test_every_spec_slug_is_in_the_table():
    slugs = {dt.slug for dt in load_doc_types()}
    spec_slugs = set(re.findall(r"`([a-z_]+)`", _spec_section6()))
    assert spec_slugs <= slugs, spec_slugs - slugs
    extra = {dt.slug for dt in load_doc_types() if dt.source != "spec"}
    assert extra == slugs - spec_slugs  # every slug not in SPEC §6 is marked `ext`


# SPEC §6 itself gives "TC" to both Thông cáo and Thư công; the table resolves it to thong_cao.
SPEC_ABBREV_COLLISIONS = {("thu_cong", "TC"): "thong_cao"}


@pytest.mark.parametrize("slug,abbrev", _spec_pairs())
def test_spec_abbreviation_maps_to_its_slug(slug, abbrev):
    if abbrev in ("Luật", "Pháp"):  # names, not abbreviations: `luat` (Luật), `phap_lenh` (Pháp lệnh)
        assert doc_type_from_name(abbrev if abbrev == "Luật" else "Pháp lệnh") == slug
        return
    expected = SPEC_ABBREV_COLLISIONS.get((slug, abbrev), slug)
    assert doc_type_from_abbrev(abbrev) == expected


def test_only_the_documented_abbreviation_collision_in_spec():
    by_abbrev: dict[str, set[str]] = {}
    for slug, abbrev in _spec_pairs():
        by_abbrev.setdefault(abbrev, set()).add(slug)
    collisions = {a for a, s in by_abbrev.items() if len(s) > 1}
    assert collisions == {a for (_s, a) in SPEC_ABBREV_COLLISIONS}


def test_no_abbreviation_collides_in_the_table():
    seen: dict[str, str] = {}
    for dt in load_doc_types():
        for a in dt.abbrevs:
            assert a not in seen, f"{a} is both {seen[a]} and {dt.slug}"
            seen[a] = dt.slug
    # case-insensitive fallback only where unambiguous: no two abbreviations fold together
    folded = [a.casefold() for a in seen]
    assert len(folded) == len(set(folded))


def test_no_name_collides_in_the_table():
    seen: dict[str, str] = {}
    for dt in load_doc_types():
        for n in dt.names:
            k = name_key(n)
            assert k not in seen, f"{n} is both {seen[k]} and {dt.slug}"
            seen[k] = dt.slug
            assert doc_type_from_name(n) == dt.slug


def test_slugs_are_unique_and_well_formed():
    slugs = [dt.slug for dt in load_doc_types()]
    assert len(slugs) == len(set(slugs))
    assert all(re.fullmatch(r"[a-z_]+", s) for s in slugs)


def test_lexicon_has_no_duplicate_or_conflicting_entries():
    seen: dict[tuple[str, str], str] = {}
    for kind, key, value in RULES.lexicon_rows:
        k = (kind, key.casefold() if kind != "abbrev" else key)
        assert k not in seen, f"duplicate {kind} {key!r}"
        seen[k] = value
    # an issuer abbreviation is not also a document-type abbreviation
    type_abbrevs = {a for dt in load_doc_types() for a in dt.abbrevs}
    assert not (set(RULES.abbrevs) & type_abbrevs)
    # every title head is a known type name of its slug
    for head, (slug, _upper, _cua) in RULES.title_heads.items():
        assert doc_type_from_name(head) == slug


# --- linear time: no unbounded repetition --------------------------------------------------------

_CLASS = re.compile(r"\[(?:\\.|[^\]\\])*\]")
_ESC = re.compile(r"\\.")


def _unbounded(src: str) -> list[str]:
    s = _ESC.sub("e", src)
    s = _CLASS.sub("c", s)
    bad = re.findall(r"[^(?][*+]|\{\d+,\}", s)
    return bad


@pytest.mark.parametrize("pid", PATTERN_IDS)
def test_patterns_have_only_bounded_repetitions(pid):
    assert _unbounded(RULES.patterns[pid].source) == []
