"""extract.dates: parse_date / find_dates on real phrases of the seeds and corpus, the data
file's integrity, and speed on pathological input."""
from __future__ import annotations

import datetime as dt
import time

import pytest
import regex

from extract import dates
from extract.dates import find_dates, parse_date

D = dt.date

# ---------------------------------------------------------------- parse_date (real phrases)
PARSE_CASES = [
    # (phrase as written in a seed / corpus text, default_year, expected)
    ("22/4/2024", None, D(2024, 4, 22)),                       # SPEC §5 form
    ("22-4-2024", None, D(2024, 4, 22)),                       # SPEC §5 form
    ("19.4.2023", None, D(2023, 4, 19)),                       # seed 000 "ngày 19.4.2023"
    ("ngày 19.4.2023", None, D(2023, 4, 19)),
    ("ngày 22 tháng 4 năm 2024", None, D(2024, 4, 22)),        # seed 004 dateline
    ("22 tháng 4 năm 2024", None, D(2024, 4, 22)),
    ("NGÀY 18 THÁNG 12 NĂM 2019", None, D(2019, 12, 18)),      # corpus 201 title
    ("ngày 24 tháng 01 năm 2019", None, D(2019, 1, 24)),       # seed 003
    ("05/8/2019", None, D(2019, 8, 5)),                        # seed 003
    ("ngày 09/01/2017", None, D(2017, 1, 9)),                  # seed 002
    ("ngày 25-10-2021", None, D(2021, 10, 25)),                # corpus 030
    ("ngày 15-09-2008", None, D(2008, 9, 15)),                 # seed 002 footer
    ("ngày 21/ 5", 2024, D(2024, 5, 21)),                      # spaced separator + default year
    ("Ngày 10/7", 2020, D(2020, 7, 10)),                       # seed 001 lead
    ("ngày 21/ 5", None, None),                                # no year, no default
    ("31/4/2024", None, None),                                 # no such day
    ("29/2/2023", None, None),
    ("29/2", 2024, D(2024, 2, 29)),
    ("280/CĐ-TTg", None, None),                                # document numbers
    ("61/2022/QĐ-UBND", None, None),
    ("63/63", None, None),
    ("năm 2024", None, None),                                  # a year is not a date
    ("tháng 6/2024", None, None),
    ("22/4/2024 và 23/4/2024", None, None),                    # not ONE phrase
    ("", None, None),
]


@pytest.mark.parametrize("phrase,default_year,expected", PARSE_CASES)
def test_parse_date(phrase, default_year, expected):
    assert parse_date(phrase, default_year) == expected


# ---------------------------------------------------------------- find_dates (real snippets)
FIND_CASES = [
    ("Công điện số 280/CĐ-TTg ngày 19.4.2023 của Thủ tướng Chính phủ",
     [("ngày 19.4.2023", (19, 4, 2023))]),
    ("Quyết định số 61/2022/QĐ-UBND ngày 30/12/2022",
     [("ngày 30/12/2022", (30, 12, 2022))]),
    ("An Giang, ngày 22 tháng 4 năm 2024",
     [("ngày 22 tháng 4 năm 2024", (22, 4, 2024))]),
    ("Thông tư số 01/2019/TT-BNV ngày 24 tháng 01 năm 2019 của Bộ trưởng Bộ Nội vụ",
     [("ngày 24 tháng 01 năm 2019", (24, 1, 2019))]),
    ("Ngày 10/7, UBND thành phố Hà Nội ban hành Công văn số 3031/UBND-TKBT",
     [("Ngày 10/7", (10, 7, None))]),
    ("bàn giao cho UBND các huyện trước ngày 25-10-2021.",
     [("ngày 25-10-2021", (25, 10, 2021))]),
    ("định kỳ hàng năm (trước ngày 15/11 và đột xuất",
     [("ngày 15/11", (15, 11, None))]),
    ("Riêng năm 2020 hoàn thành trong quý II/2020.",
     [("năm 2020", (None, None, 2020))]),
    ("Công văn 666/BYT-BH năm 2021 có hiệu lực kể từ ngày 28/01/2021]",
     [("năm 2021", (None, None, 2021)), ("ngày 28/01/2021", (28, 1, 2021))]),
    ("trong tháng 6/2024", [("tháng 6/2024", (None, 6, 2024))]),
    ("Bản quyền thuộc Báo Gia Lai. Giấy phép số 114/CTP/TĐTT. ĐT: 0269.3824.384", []),
    ("đã có 63/63 tỉnh, thành phố; xếp vị trí 81/100 nền kinh tế", []),
    ("Quy chế làm việc của Ủy ban nhân dân tỉnh nhiệm kỳ 2021 - 2026", []),
    ("Số: 493/UBND-KGVX; Số: 24/CT-UBND; Kế hoạch số 119- KH/TU", []),
    ("Nghị định 30/2020/NĐ-CP; Luật số 46/2014/QH13", []),
]


@pytest.mark.parametrize("text,expected", FIND_CASES)
def test_find_dates(text, expected):
    got = [(text[s:e], parts) for (s, e), _, parts in find_dates(text)]
    assert got == expected
    for (s, e), date, parts in find_dates(text):
        assert (date is not None) == all(p is not None for p in parts)


def test_find_dates_seed_dateline_and_citations():
    with open(_seed("004_cbb06b3a45a81e29.txt"), encoding="utf-8") as f:
        text = f.read()
    full = [d for _, d, _ in find_dates(text) if d]
    assert full[0] == D(2024, 4, 22)                      # the dateline comes first
    assert D(2023, 4, 21) in full and D(2022, 12, 30) in full and D(2023, 4, 19) in full


def _seed(name):
    import pathlib
    here = pathlib.Path(__file__).resolve().parents[1]
    for p in (here.parent / "shared" / "seeds" / name, pathlib.Path("/work/shared/seeds") / name,
              here / "corpora" / "seeds" / name):
        if p.exists():
            return p
    pytest.skip(f"seed {name} not available")


# ---------------------------------------------------------------- data integrity
def _rules():
    return dates.load_rules(dates.DATES_FILE).rules


@pytest.mark.parametrize("rule", _rules(), ids=lambda r: r.id)
def test_dates_data_examples_and_near_misses(rule):
    assert rule.examples, f"[{rule.id}] has no example"
    for ex in rule.examples:
        ctx, want, expect = dates.split_example(ex)
        hits = [(ctx[s:e], dates.match_parts(m))
                for s, e, m in dates.guarded_finditer(rule, dates.lower_text(ctx))]
        parts = tuple(None if x == "-" else int(x) for x in expect.split())
        assert len(parts) == 3, ex
        assert (want, parts) in hits, f"[{rule.id}] example {ex!r} gave {hits}"
    for near in rule.near:
        hits = [near[s:e] for s, e, _ in dates.guarded_finditer(rule, dates.lower_text(near))]
        assert not hits, f"[{rule.id}] near miss {near!r} matched {hits}"


def test_data_patterns_are_lower_case():
    rs = dates.load_rules(dates.DATES_FILE)
    for rule in rs.rules:
        assert rule.pattern is not None
        src = regex.sub(r"\\[A-Za-z]|\(\?P<\w+>|\(\?[a-zA-Z]+\)", "", rule.pattern.pattern)
        assert not regex.search(r"\p{Lu}", src), f"[{rule.id}] has a capital letter"


def test_loader_rejects_collisions(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("@X = a\n[r1]\nregex: {X}\n", encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_text("@X = b\n[r2]\nregex: {X}\n", encoding="utf-8")
    with pytest.raises(dates.RuleFileError, match="already defined"):
        dates.load_rules(a, b)
    c = tmp_path / "c.txt"
    c.write_text("[r1]\nregex: x\n[r1]\nregex: y\n", encoding="utf-8")
    with pytest.raises(dates.RuleFileError, match="duplicate"):
        dates.load_rules(c)
    d = tmp_path / "d.txt"
    d.write_text("[r1]\nregex: {NOPE}\n", encoding="utf-8")
    with pytest.raises(dates.RuleFileError, match="unknown macro"):
        dates.load_rules(d)


# ---------------------------------------------------------------- speed
PATHOLOGICAL = {
    "slashes": "1/1/" * 250_000,
    "dots": "." * 1_000_000,
    "digits": "1234567890" * 100_000,
    "mixed": "12.3-4/56 7/8/" * 70_000,
    "so_so": "số " * 330_000,
    "ngay": "ngày " * 200_000,
    "thang": "tháng 1 " * 125_000,
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_find_dates_pathological_fast(name):
    text = PATHOLOGICAL[name]
    t0 = time.perf_counter()
    find_dates(text)
    assert time.perf_counter() - t0 < 2.5, f"{name}: find_dates too slow on 1 MB"


def test_find_dates_time_grows_linearly():
    unit = "ngày 1/1/1/1 19.4.2023 số 280/CĐ-TTg 0913.123.456 " * 10

    def timed(n):
        text = unit * n
        t0 = time.perf_counter()
        find_dates(text)
        return time.perf_counter() - t0

    timed(50)  # warm-up
    small, big = min(timed(200) for _ in range(2)), min(timed(800) for _ in range(2))
    assert big < 4 * small * 2.0 + 0.05, (small, big)
