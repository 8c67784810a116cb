"""Integrity of the agency / role data files (extract/data/agenc*.tsv, provinces.tsv, role_cues.tsv)."""
import datetime

import pytest
import regex as re

from extract import agencies as ag
from extract import datafile
from extract.patterns import load_table

KINDS = {"ubnd", "hdnd", "so", "bo", "van_phong", "ban", "cuc", "tong_cuc", "thanh_tra", "cong_an", "quan_su",
         "kho_bac", "dang", "mat_tran", "chinh_phu", "don_vi", "other"}
LEVELS = {None, "central", "province", "district", "commune", "local"}


def test_no_alias_maps_to_two_names():
    seen = {}
    for e in ag.gazetteer():
        for n in (e.name,) + e.aliases:
            k = ag._key(n)
            assert seen.setdefault(k, e.name) == e.name, f"{n!r} -> {seen[k]!r} and {e.name!r}"
    pseen = {}
    for p in ag.provinces():
        for n in (p.name,) + p.aliases:
            k = ag._key(n)
            assert pseen.setdefault(k, p.name) == p.name, f"{n!r} -> {pseen[k]!r} and {p.name!r}"
    abbr = [a for a, _, _ in ag.abbreviations()]
    assert len(abbr) == len(set(abbr)), "duplicate abbreviation"


@pytest.mark.parametrize("abbr,expansion", [(a, e) for a, e, _ in ag.abbreviations()], ids=[a for a, _, _ in ag.abbreviations()])
def test_every_abbreviation_expands(abbr, expansion):
    assert ag.expand(f"({abbr})") == f"({ag.expand(expansion)})"
    # never inside a document number
    if " " not in abbr and "," not in abbr:
        assert ag.expand(f"12/{abbr}-X") == f"12/{abbr}-X"


def test_gazetteer_fields_well_formed():
    names = {e.name for e in ag.gazetteer()}
    for e in ag.gazetteer():
        assert e.kind in KINDS, e
        assert e.level in LEVELS, e
        if e.valid_from and e.valid_to:
            assert e.valid_from <= e.valid_to, e
        if e.successor:
            assert e.successor in names, f"successor of {e.name} unknown: {e.successor}"
            assert e.valid_to is not None, e


def test_province_dates_and_counts():
    names = {p.name for p in ag.provinces()}
    for p in ag.provinces():
        assert p.type in ("tỉnh", "thành phố")
        if p.valid_from and p.valid_to:
            assert p.valid_from <= p.valid_to
        if p.successor:
            assert p.successor in names and p.valid_to is not None
    assert len(ag.province_names(datetime.date(2025, 6, 30))) == 63
    assert len(ag.province_names(datetime.date(2025, 7, 1))) == 34
    assert len(ag.province_names(datetime.date(2020, 1, 1))) == 63


def test_ministries_before_and_after_2025_03_01():
    def ministries(on):
        return sorted(e.name for e in ag.gazetteer() if e.kind == "bo" and e.name.startswith("Bộ ")
                      and (e.valid_from is None or e.valid_from <= on) and (e.valid_to is None or on <= e.valid_to))
    before, after = ministries(datetime.date(2025, 2, 28)), ministries(datetime.date(2025, 3, 1))
    assert len(before) == 18 and len(after) == 14
    assert "Bộ Kế hoạch và Đầu tư" in before and "Bộ Kế hoạch và Đầu tư" not in after
    assert "Bộ Nông nghiệp và Môi trường" in after and "Bộ Dân tộc và Tôn giáo" in after


def test_every_gazetteer_name_is_recognised():
    placed = {r[0] for r in ag.words().get("placed", [])}
    for e in ag.gazetteer():
        for n in (e.name,) + e.aliases:
            if n in placed:
                # a body only with its place: recognised with one, nothing without
                assert ag.find_agencies(n + ".") == [], n
                n = f"{n} các tỉnh, thành phố"
            got = ag.find_agencies(n)
            assert got and got[0].span == (0, len(n)), n


def test_every_placed_only_name_is_in_the_gazetteer():
    names = {e.name for e in ag.gazetteer()}
    assert all(r[0] in names for r in ag.words().get("placed", []))


def test_every_province_is_recognised_after_tinh():
    for p in ag.provinces():
        for n in (p.name,) + p.aliases:
            a = ag.find_agencies(f"Ủy ban nhân dân {p.type} {n}")
            assert a and a[0].jurisdiction == f"{p.type} {p.name}", n


def test_word_lists():
    w = ag.words()
    for cat in ("head", "class", "place", "generic", "group", "qualifier", "bare", "fallback"):
        assert w.get(cat), cat
    heads = [r[0] for r in w["head"]]
    assert len(set(heads)) >= len(heads) - 1  # "Tổng Giám đốc" twice is tolerated
    for r in w["qualifier"] + w["bare"]:
        re.compile(r[0])
    for r in w["generic"]:
        assert re.fullmatch("(?i:" + r[2] + ")", r[0]), r


def _cue_rows():
    return [p for p in load_table("role_cues.tsv")]


@pytest.mark.parametrize("pat", _cue_rows(), ids=lambda p: p.rule)
def test_role_cue_examples_and_near_misses(pat):
    src = pat.source
    rx = re.compile(f"(?:{src})\\s*$" if pat.category.endswith("_end") else src, re.IGNORECASE)
    assert pat.examples, f"{pat.rule} has no examples"
    for ex in pat.examples:
        assert rx.search(ex + (" " if pat.category.endswith("_start") else "")) or rx.search(ex), f"{pat.rule}: {ex!r}"
    line = datafile.read("role_cues.tsv").splitlines()[pat.row - 1].split("\t")
    misses = [m.strip() for m in line[3].split(" || ")] if len(line) > 3 and line[3].strip() else []
    for miss in misses:
        assert not rx.search(miss), f"{pat.rule} matches near miss {miss!r}"
