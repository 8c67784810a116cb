"""Property-based tests (hypothesis): any text gives a record, and every span tells the truth (issue 5).

* Any Unicode text gives either a valid nhiemvu/1 record or an error record,
  never an exception.
* Every span lies inside the normalised text, and its slice equals the field
  it claims (obligation text up to whitespace, agency and deadline text exactly,
  reference mentions non-empty).

Two kinds of input: arbitrary Unicode, and letters assembled from pieces of the
seed texts (with noise) so that obligations, agencies and deadlines are found.
"""
from __future__ import annotations

import json

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from conftest import SEEDS_DIR  # noqa: E402
from extract.models import ERROR_CODES  # noqa: E402
from extract.pipeline import extract_text  # noqa: E402

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

_LINES = sorted({line.strip() for p in sorted(SEEDS_DIR.glob("*.txt"))
                 for line in p.read_text(encoding="utf-8").splitlines() if 3 <= len(line.strip()) <= 400})
_PIECES = sorted({piece.strip() for line in _LINES for piece in line.replace(";", ",").split(",") if piece.strip()})
_HEADS = ["Số: 12/UBND-VP", "ỦY BAN NHÂN DÂN TỈNH AN GIANG", "An Giang, ngày 22 tháng 4 năm 2024",
          "V/v tăng cường kỷ luật", "Kính gửi:", "- Các sở, ban, ngành tỉnh;", "Nơi nhận:", "KT. CHỦ TỊCH",
          "Điều 1.", "1.", "2.", "a)", "b)", "-", "+", "II.", "số số 01/CT-UBND", "trước ngày 15/6",
          "hằng quý", "Sở Nội vụ chủ trì, phối hợp với Sở Tài chính", "báo cáo Ủy ban nhân dân tỉnh"]
_SEPS = ["\n", " ", "\n\n", "; ", ", ", ". ", "\n- ", "\n1. ", "\n2. ", "\na) ", "\t", "\r\n", "\u00a0"]

vietnamese_letters = st.lists(
    st.one_of(st.sampled_from(_LINES), st.sampled_from(_PIECES), st.sampled_from(_HEADS),
              st.text(max_size=12)),
    min_size=1, max_size=25,
).flatmap(lambda parts: st.lists(st.sampled_from(_SEPS), min_size=len(parts), max_size=len(parts))
          .map(lambda seps: "".join(p + s for p, s in zip(parts, seps))))


def _check_record(rec: dict, source: str) -> None:
    json.dumps(rec, ensure_ascii=False)  # serialisable
    assert rec["schema"] == "nhiemvu/1" and rec["source"] == source
    if "error" in rec:
        assert list(rec) == ["schema", "source", "error"]
        assert rec["error"]["code"] in ERROR_CODES and rec["error"]["message"]
        return
    text = rec["text"]
    n = len(text)

    def inside(span):
        s, e = span
        assert 0 <= s <= e <= n, (span, n)
        return text[s:e]

    def agency(a):
        got = inside(a["span"])
        if not a.get("inherited"):
            assert got == a["text"], (got, a["text"])

    assert len(rec["id"]) == 16
    for a in ([rec["issuer"]] if rec["issuer"] else []) + rec["recipients"]:
        inside(a["span"])
    if rec["signer"] and "span" in rec["signer"]:
        inside(rec["signer"]["span"])
    for r in rec["references"]:
        assert r["mentions"]
        for m in r["mentions"]:
            assert inside(m).strip()
    ref_ids = {r["id"] for r in rec["references"]}
    for i, o in enumerate(rec["obligations"], 1):
        assert o["index"] == i and o["id"] == f"{rec['id']}:{i}"
        assert " ".join(inside(o["span"]).split()) == o["text"]
        for a in o["assignees"] + o["coordinators"] + o["report_to"]:
            agency(a)
        if o["deadline"]:
            assert inside(o["deadline"]["span"]) == o["deadline"]["text"]
        assert set(o["references"]) <= ref_ids
        assert 0.0 <= o["type_score"] <= 1.0


@SETTINGS
@given(st.text(max_size=400))
def test_any_unicode_gives_a_record_or_an_error_record(text):
    rec = extract_text(text, "prop", with_text=True)
    _check_record(rec, "prop")


@SETTINGS
@given(vietnamese_letters)
def test_spans_lie_inside_the_text_and_match_their_fields(text):
    rec = extract_text(text, "letter", with_text=True)
    _check_record(rec, "letter")


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.binary(max_size=300))
def test_any_bytes_give_a_record_or_an_error_record(data):
    import io

    from extract.batch import Options, process_stdin

    [rec, *more] = process_stdin(Options(with_text=True), io.BytesIO(data))
    assert not more
    _check_record(rec, "-")
