"""scripts/evaluate.py: the pure scoring functions on small hand-made records (issue 4)."""
from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import evaluate as ev  # noqa: E402

T1 = "Sở Nội vụ khẩn trương tham mưu Ủy ban nhân dân tỉnh những giải pháp cụ thể nhằm nâng cao chất lượng"
T2 = "Văn phòng Ủy ban nhân dân tỉnh thường xuyên theo dõi, đôn đốc, kiểm tra và báo cáo Chủ tịch Ủy ban nhân dân tỉnh"
T3 = "Khẩn trương rà soát các kiến nghị, đề xuất đã được gửi đến và giải quyết theo thẩm quyền"


def _gold():
    return {
        "source": "x.txt", "format": "letter", "doc_type": "cong_van", "number": "493/UBND-KGVX",
        "issuer": "Ủy ban nhân dân tỉnh An Giang", "issued_date": "2024-04-22",
        "references": ["280/CĐ-TTg", "61/2022/QĐ-UBND"],
        "obligations": [
            {"label": "7", "text": T1, "assignees": ["Sở Nội vụ"], "coordinators": [],
             "report_to": ["Ủy ban nhân dân tỉnh"],
             "deadline": {"kind": "immediate", "due": None, "recurrence": None}, "type": "advise"},
            {"label": "8", "text": T2, "assignees": ["Văn phòng Ủy ban nhân dân tỉnh"], "coordinators": [],
             "report_to": ["Chủ tịch Ủy ban nhân dân tỉnh"],
             "deadline": {"kind": "recurring", "due": None, "recurrence": "FREQ=MONTHLY;BYMONTHDAY=25"},
             "type": "oversee"},
            {"label": "9", "text": T3, "assignees": ["Chủ tịch Ủy ban nhân dân các huyện, thị xã, thành phố"],
             "coordinators": ["các đơn vị liên quan"], "report_to": [],
             "deadline": {"kind": "date", "due": "2024-06-15", "recurrence": None}, "type": "review"},
        ],
    }


def _agency(full: str, head: str | None = None):
    name = full[len(head) + 1:] if head else full
    return {"text": full, "name": name, "kind": "other", "level": None, "jurisdiction": None,
            "head": head, "collective": False, "span": [0, 0]}


def _pred_from_gold(g):
    """The pipeline's JSON shape for a perfect prediction of gold record ``g``."""
    heads = ("Chủ tịch",)
    def ag(n):
        h = next((h for h in heads if n.startswith(h + " ")), None)
        return _agency(n, h)
    obls = []
    for i, o in enumerate(g["obligations"], 1):
        d = o["deadline"]
        obls.append({"id": f"x:{i}", "index": i, "label": o["label"], "text": o["text"], "span": [0, 1],
                     "assignees": [ag(a) for a in o["assignees"]],
                     "coordinators": [ag(a) for a in o["coordinators"]],
                     "report_to": [ag(a) for a in o["report_to"]],
                     "deadline": None if d is None else {**d, "text": "", "span": [0, 0]},
                     "type": o["type"], "type_score": 0.9, "references": []})
    return {"schema": "nhiemvu/1", "id": "x", "source": g["source"], "format": g["format"],
            "doc_type": g["doc_type"], "number": g["number"], "issuer": _agency(g["issuer"]),
            "issued_date": g["issued_date"],
            "references": [{"id": f"r{i}", "number": n} for i, n in enumerate(g["references"], 1)]
            + [{"id": "r9", "number": None, "title": "Luật X"}],
            "obligations": obls}


FIELDS = ("obligations", "assignees", "coordinators", "report_to", "deadlines", "deadline_kind", "references")


def test_perfect_prediction_scores_one_everywhere():
    g = _gold()
    s = ev.score([g], [_pred_from_gold(g)])
    for f in FIELDS:
        assert s[f]["precision"] == s[f]["recall"] == s[f]["f1"] == 1.0, f
    assert s["types"]["accuracy"] == 1.0 and s["types"]["macro_f1"] == 1.0
    assert all(v == 1.0 for v in s["metadata"].values())
    assert s["tasks_fully_right"] == {"right": 3, "gold": 3, "share": 1.0}
    assert s["per_doc"][0]["matched"] == 3


def test_real_seed_gold_against_itself():
    gold = [json.loads(l) for l in (REPO / "corpora/gold/seeds.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
    s = ev.score(gold, [_pred_from_gold(g) for g in gold])
    assert s["obligations"]["f1"] == 1.0
    assert s["tasks_fully_right"]["share"] == 1.0


def test_missing_obligation_lowers_recall_only():
    g = _gold()
    p = _pred_from_gold(g)
    del p["obligations"][2]
    s = ev.score([g], [p])
    assert s["obligations"]["precision"] == 1.0
    assert s["obligations"]["recall"] == pytest.approx(2 / 3)
    assert s["assignees"]["recall"] == pytest.approx(2 / 3) and s["assignees"]["precision"] == 1.0
    assert s["coordinators"]["recall"] == 0.0  # the only coordinator was on the missing one
    assert s["deadlines"]["recall"] == pytest.approx(2 / 3) and s["deadlines"]["precision"] == 1.0
    assert s["tasks_fully_right"]["share"] == pytest.approx(2 / 3)


def test_spurious_obligation_lowers_precision_only():
    g = _gold()
    p = _pred_from_gold(g)
    extra = copy.deepcopy(p["obligations"][0])
    extra["text"] = "Trong thời gian qua, công tác cải cách hành chính của tỉnh đã đạt nhiều kết quả"
    p["obligations"].append(extra)
    s = ev.score([g], [p])
    assert s["obligations"]["recall"] == 1.0
    assert s["obligations"]["precision"] == pytest.approx(3 / 4)
    assert s["assignees"]["precision"] == pytest.approx(3 / 4)
    assert s["deadlines"]["precision"] == pytest.approx(3 / 4)


def test_matching_is_one_to_one():
    g = _gold()
    p = _pred_from_gold(g)
    p["obligations"].insert(1, copy.deepcopy(p["obligations"][0]))  # the same text twice
    s = ev.score([g], [p])
    assert s["obligations"]["tp"] == 3 and s["obligations"]["fp"] == 1


@pytest.mark.parametrize("a,b,expected", [
    ("Sở Nội vụ tham mưu", "sở nội vụ,  tham mưu.", 1.0),
    ("a b c d", "a b", 0.5),
    ("a b c d", "a b e", 0.4),
    ("a a b", "a b", 2 / 3),  # multiset overlap
    ("", "", 0.0),
])
def test_iou(a, b, expected):
    assert ev.iou(a, b) == pytest.approx(expected)


def test_iou_threshold_decides_the_match():
    text = "Khẩn trương rà soát các kiến nghị đề xuất đã được gửi"  # 12 syllables
    words = text.split()
    g = {"source": "y", "obligations": [{"text": text, "assignees": [], "type": "review"}]}
    half = " ".join(words[:6])  # IoU = 6/12 = 0.5 -> match
    under = " ".join(words[:5])  # 5/12 -> no match
    assert ev.iou(text, half) == pytest.approx(0.5)
    assert ev.score([g], [{"source": "y", "obligations": [{"text": half}]}])["obligations"]["tp"] == 1
    assert ev.iou(text, under) < 0.5
    assert ev.score([g], [{"source": "y", "obligations": [{"text": under}]}])["obligations"]["tp"] == 0
    assert ev.score([g], [{"source": "y", "obligations": [{"text": under}]}], threshold=0.4)["obligations"]["tp"] == 1
    assert ev.score([g], [{"source": "y", "obligations": [{"text": " ".join(words[:4])}]}], threshold=0.4)["obligations"]["tp"] == 0


def test_greedy_matching_prefers_best_iou():
    gold = [{"text": "a b c d"}, {"text": "a b c e"}]
    pred = [{"text": "a b c e"}, {"text": "a b c d"}]
    assert ev.match(gold, pred) == [(0, 1, 1.0), (1, 0, 1.0)]


@pytest.mark.parametrize("a,b", [
    ("Ủy ban nhân dân tỉnh", "UBND tỉnh"),
    ("Ủy ban nhân dân tỉnh", "Uỷ ban nhân dân tỉnh"),
    ("Hội đồng nhân dân tỉnh", "HĐND tỉnh"),
    ("Sở Tài nguyên và Môi trường", "sở tài nguyên và môi trường."),
    ("các sở, ban, ngành", "các sở ban ngành"),
    ("Sở Văn hóa, Thể thao", "Sở Văn hoá, Thể thao"),
])
def test_agency_normalisation(a, b):
    assert ev.norm_name(a) == ev.norm_name(b)


def test_agency_normalisation_keeps_qu():
    assert ev.norm_name("Bộ Quốc phòng, quý") == "bộ quốc phòng quý"


def test_agency_full_name_from_pipeline_json():
    assert ev.agency_name(_agency("Chủ tịch Ủy ban nhân dân các huyện", "Chủ tịch")) == "Chủ tịch Ủy ban nhân dân các huyện"
    a = _agency("Chủ tịch Ủy ban nhân dân tỉnh")
    a["head"] = "Chủ tịch"  # name already starts with the head: not doubled
    assert ev.agency_name(a) == "Chủ tịch Ủy ban nhân dân tỉnh"
    assert ev.agency_name("Sở Y tế") == "Sở Y tế"


def test_wrong_deadline_and_type():
    g = _gold()
    p = _pred_from_gold(g)
    p["obligations"][2]["deadline"]["due"] = "2024-06-30"
    p["obligations"][0]["type"] = "implement"
    p["obligations"][1]["deadline"]["kind"] = "ongoing"  # same (due, recurrence), other kind
    s = ev.score([g], [p])
    assert s["deadlines"]["tp"] == 2 and s["deadlines"]["fp"] == 1 and s["deadlines"]["fn"] == 1
    assert s["deadline_kind"]["tp"] == 2
    assert s["types"]["accuracy"] == pytest.approx(2 / 3)
    assert s["tasks_fully_right"]["right"] == 1


@pytest.mark.parametrize("a,b", [("280 / CĐ-TTg", "280/CĐ-TTg"), ("số 61/2022/QĐ-UBND", "61/2022/QĐ-UBND"),
                                 ("1031-TB/TU", "1031 - TB/TU")])
def test_number_normalisation(a, b):
    assert ev.norm_number(a) == ev.norm_number(b)


def test_references_and_metadata():
    g = _gold()
    p = _pred_from_gold(g)
    p["references"] = [{"number": "280 /CĐ-TTg"}, {"number": "999/UBND-TH"}, {"number": None}]
    p["issued_date"] = None
    p["number"] = "493 / UBND-KGVX"
    s = ev.score([g], [p])
    assert (s["references"]["tp"], s["references"]["fp"], s["references"]["fn"]) == (1, 1, 1)
    assert s["metadata"]["issued_date"] == 0.0 and s["metadata"]["number"] == 1.0


def test_error_record_scores_as_empty():
    g = _gold()
    s = ev.score([g], [{"schema": "nhiemvu/1", "source": "x.txt", "error": {"code": "internal", "message": "x"}}])
    assert s["obligations"]["recall"] == 0.0 and s["obligations"]["tp"] == 0


def test_baseline_record_on_real_lines():
    text = ("ỦY BAN NHÂN DÂN TỈNH AN GIANG\n"
            "7. Sở Nội vụ khẩn trương tham mưu Ủy ban nhân dân tỉnh những giải pháp cụ thể\n"
            "Tham mưu\n"
            "Trong thời gian qua, một số cơ quan, đơn vị, địa phương còn chậm trễ\n")
    r = ev.baseline_record(text, "x.txt", "implement")
    assert [o["text"][:9] for o in r["obligations"]] == ["7. Sở Nội"]
    assert r["obligations"][0]["type"] == "implement" and r["obligations"][0]["assignees"] == []


def test_report_formats():
    g = _gold()
    s = ev.score([g], [_pred_from_gold(g)])
    txt = ev.format_report(s, s)
    assert "obligations" in txt and "tasks fully right" in txt
    assert "x.txt" in ev.format_per_doc(s)
    json.dumps(s)


def test_raw_files_in_other_formats_are_read_by_the_readers(tmp_path):
    # the probe sets keep .docx and .html letters; scoring reads them as the pipeline does
    (tmp_path / "a.html").write_text("<html><head><title>x</title></head><body><ol><li>Sở Y tế báo cáo.</li></ol>"
                                     "</body></html>", encoding="utf-8")
    assert ev.read_raw("a.html", tmp_path).strip() == "1. Sở Y tế báo cáo."
