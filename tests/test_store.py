"""nhiemvu index / search (extract/store.py, extract/cli_store.py, extract/data/collectives.tsv)."""
from __future__ import annotations

import copy
import json
import sqlite3

import pytest

import extract
from extract import cli
from extract.store import AgencyQuery, Store, collectives, fold, index, search

from conftest import CORPUS_RAW, SEEDS_DIR


# --------------------------------------------------------------------------- hand-built records


def ag(name, kind="so", level="province", jurisdiction=None, head=None, collective=False, **kw):
    return dict(text=name, name=name, kind=kind, level=level, jurisdiction=jurisdiction, head=head,
                collective=collective, span=[0, 0], **kw)


def ob(doc_id, i, text, assignees, type_, deadline=None, coordinators=(), report_to=(), label=None):
    return {"id": f"{doc_id}:{i}", "index": i, "label": label, "text": text, "span": [0, 0],
            "assignees": list(assignees), "coordinators": list(coordinators), "report_to": list(report_to),
            "deadline": deadline, "type": type_, "type_score": 0.9, "references": []}


def dl(kind, due=None, recurrence=None, text="..."):
    return {"text": text, "kind": kind, "due": due, "recurrence": recurrence, "span": [0, 0]}


AG = "aaaaaaaaaaaaaaaa"
HN = "bbbbbbbbbbbbbbbb"
UBND_AG = ag("Ủy ban nhân dân tỉnh An Giang", "ubnd", jurisdiction="tỉnh An Giang")
UBND_HN = ag("Ủy ban nhân dân thành phố Hà Nội", "ubnd", jurisdiction="thành phố Hà Nội")


def doc(id_, number, issuer, date, obligations, source):
    return {"schema": "nhiemvu/1", "id": id_, "source": source, "format": "letter", "doc_type": "cong_van",
            "number": number, "issuer": issuer, "place": None, "issued_date": date, "subject": None,
            "recipients": [], "signer": None, "cc": [], "references": [], "obligations": obligations,
            "warnings": []}


RECORDS = [
    doc(AG, "493/UBND-KGVX", UBND_AG, "2024-04-22", [
        ob(AG, 1, "Chủ động, tích cực giải quyết công việc thuộc chức năng, nhiệm vụ.",
           [ag("các sở, ban, ngành, đoàn thể tỉnh", head="Thủ trưởng", collective=True, jurisdiction="tỉnh An Giang",
               inherited=True)], "implement", dl("ongoing", text="thường xuyên")),
        ob(AG, 2, "Sở Nội vụ khẩn trương tham mưu Ủy ban nhân dân tỉnh những giải pháp cụ thể.",
           [ag("Sở Nội vụ", jurisdiction="tỉnh An Giang")], "advise", dl("date", "2024-06-15"),
           report_to=[ag("Ủy ban nhân dân tỉnh", "ubnd", jurisdiction="tỉnh An Giang")], label="7"),
        ob(AG, 3, "Văn phòng UBND tỉnh theo dõi, đôn đốc và báo cáo trước ngày 25 hằng tháng.",
           [ag("Văn phòng Ủy ban nhân dân tỉnh", "van_phong", jurisdiction="tỉnh An Giang")], "oversee",
           dl("recurring", recurrence="FREQ=MONTHLY;BYMONTHDAY=25")),
        ob(AG, 4, "Rà soát các kiến nghị, đề xuất đã gửi đến, hoàn thành trong năm 2024.",
           [ag("Ủy ban nhân dân các huyện, thị xã, thành phố", "ubnd", "district", "tỉnh An Giang", "Chủ tịch", True)],
           "review", dl("year", "2024-12-31"), coordinators=[ag("Sở Nội vụ", jurisdiction="tỉnh An Giang")]),
    ], "an_giang.txt"),
    doc(HN, "3031/UBND-TKBT", UBND_HN, "2020-07-10", [
        ob(HN, 1, "Sở Nội vụ tổng hợp báo cáo kết quả trước ngày 01/8/2020.",
           [ag("Sở Nội vụ", jurisdiction="thành phố Hà Nội")], "report", dl("date", "2020-08-01"),
           report_to=[ag("Ủy ban nhân dân thành phố", "ubnd", jurisdiction="thành phố Hà Nội")]),
        ob(HN, 2, "UBND huyện Gia Lâm khẩn trương khắc phục.",
           [ag("Ủy ban nhân dân huyện Gia Lâm", "ubnd", "district", "huyện Gia Lâm")], "implement",
           dl("immediate", text="khẩn trương")),
    ], "ha_noi.txt"),
    {"schema": "nhiemvu/1", "source": "broken.pdf", "error": {"code": "unreadable", "message": "no text layer"}},
]


def ids(hits):
    return sorted(h["obligation"]["id"] for h in hits)


def _write(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return str(path)


@pytest.fixture()
def small_db(tmp_path):
    src = _write(tmp_path / "small.jsonl", RECORDS)
    db = str(tmp_path / "small.sqlite")
    stats = index([src], db)
    assert stats == {"documents": 2, "obligations": 6, "errors": 1, "skipped": 0}
    return db


# --------------------------------------------------------------------------- one query per filter


def test_agency_direct_and_collective(small_db):
    hits = search(small_db, agency="Sở Nội vụ")
    assert ids(hits) == [f"{AG}:1", f"{AG}:2", f"{HN}:1"]
    via = {h["obligation"]["id"]: h["via_collective"] for h in hits}
    assert via == {f"{AG}:1": True, f"{AG}:2": False, f"{HN}:1": False}
    assert hits[-1]["via_collective"] is True  # direct hits first
    coll = [h for h in hits if h["via_collective"]][0]
    assert coll["agency"] == "Thủ trưởng các sở, ban, ngành, đoàn thể tỉnh"
    assert coll["document"] == {"id": AG, "number": "493/UBND-KGVX", "doc_type": "cong_van",
                                "issuer": "Ủy ban nhân dân tỉnh An Giang", "issued_date": "2024-04-22",
                                "source": "an_giang.txt"}


def test_agency_without_accents_equals_accented(small_db):
    assert search(small_db, agency="so noi vu") == search(small_db, agency="Sở Nội vụ")
    assert search(small_db, agency="SỞ NỘI VỤ") == search(small_db, agency="Sở Nội vụ")


def test_agency_abbreviation_equals_expansion(small_db):
    a = search(small_db, agency="Văn phòng UBND tỉnh")
    assert [(h["obligation"]["id"], h["via_collective"]) for h in a] == [(f"{AG}:3", False), (f"{AG}:1", True)]
    assert a == search(small_db, agency="Văn phòng Ủy ban nhân dân tỉnh") == search(small_db, agency="van phong ubnd tinh")


def test_agency_prefix_is_not_substring(small_db):
    # "UBND tỉnh" is not "Văn phòng UBND tỉnh", and the issuer is not reached through "các sở, ban, ngành"
    assert search(small_db, agency="UBND tỉnh") == []


def test_agency_collective_of_districts(small_db):
    hits = search(small_db, agency="Ủy ban nhân dân huyện Châu Thành")
    assert ids(hits) == [f"{AG}:4"] and hits[0]["via_collective"] is True
    assert ids(search(small_db, agency="Chủ tịch UBND huyện Châu Thành")) == [f"{AG}:4"]
    hits = search(small_db, agency="UBND huyện Gia Lâm")  # direct; An Giang's districts also include it by name
    assert {h["obligation"]["id"]: h["via_collective"] for h in hits} == {f"{HN}:2": False, f"{AG}:4": True}


def test_agency_with_province(small_db):
    hits = search(small_db, agency="Sở Nội vụ tỉnh An Giang")
    assert ids(hits) == [f"{AG}:1", f"{AG}:2"]
    assert ids(search(small_db, agency="so noi vu ha noi")) == [f"{HN}:1"]


def test_role(small_db):
    assert ids(search(small_db, agency="Sở Nội vụ", role="coordinator")) == [f"{AG}:4"]
    assert ids(search(small_db, agency="Sở Nội vụ", role="any")) == [f"{AG}:1", f"{AG}:2", f"{AG}:4", f"{HN}:1"]
    assert ids(search(small_db, agency="UBND thành phố", role="report_to")) == [f"{HN}:1"]


def test_jurisdiction(small_db):
    assert ids(search(small_db, jurisdiction="Hà Nội")) == [f"{HN}:1", f"{HN}:2"]
    assert ids(search(small_db, jurisdiction="tinh an giang")) == [f"{AG}:{i}" for i in range(1, 5)]
    assert ids(search(small_db, agency="Sở Nội vụ", jurisdiction="An Giang")) == [f"{AG}:1", f"{AG}:2"]


def test_type(small_db):
    assert ids(search(small_db, type="report")) == [f"{HN}:1"]
    assert ids(search(small_db, type="advise,review")) == [f"{AG}:2", f"{AG}:4"]
    with pytest.raises(ValueError):
        search(small_db, type="nonsense")


def test_due_before_and_after(small_db):
    assert ids(search(small_db, due_before="2024-06-15")) == [f"{AG}:2", f"{HN}:1"]  # inclusive
    assert ids(search(small_db, due_after="2024-01-01")) == [f"{AG}:2", f"{AG}:4"]
    assert ids(search(small_db, due_after="2024-01-01", due_before="30/6/2024")) == [f"{AG}:2"]


def test_overdue(small_db):
    # recurring (AG:3), ongoing (AG:1) and immediate (HN:2) deadlines are never overdue
    assert ids(search(small_db, overdue=True, as_of="2024-07-01")) == [f"{AG}:2", f"{HN}:1"]
    assert ids(search(small_db, overdue=True, as_of="2024-06-15")) == [f"{HN}:1"]  # due today is not late
    assert ids(search(small_db, overdue=True, as_of="2030-01-01")) == [f"{AG}:2", f"{AG}:4", f"{HN}:1"]


def test_number(small_db):
    assert ids(search(small_db, number="493/UBND-KGVX")) == [f"{AG}:{i}" for i in range(1, 5)]
    assert search(small_db, number="493/ubnd-kgvx") == search(small_db, number="493 / UBND-KGVX")
    assert ids(search(small_db, number="3031")) == [f"{HN}:1", f"{HN}:2"]
    assert search(small_db, number="49") == []


def test_words(small_db):
    assert ids(search(small_db, "tham mưu")) == [f"{AG}:2"]
    assert search(small_db, "tham muu") == search(small_db, ["tham", "mưu"])
    assert ids(search(small_db, ["báo cáo"])) == [f"{AG}:3", f"{HN}:1"]
    assert ids(search(small_db, "bao", agency="so noi vu")) == [f"{HN}:1"]
    assert ids(search(small_db, "khac*")) == [f"{HN}:2"]


def test_order_and_limit(small_db):
    hits = search(small_db)
    dues = [(h["obligation"]["deadline"] or {}).get("due") for h in hits]
    dated = [d for d in dues if d]
    assert dated == sorted(dated) and dues[: len(dated)] == dated  # dated first, ascending
    assert len(search(small_db, limit=2)) == 2


def test_public_api(small_db):
    assert extract.search(small_db, agency="so noi vu") == search(small_db, agency="Sở Nội vụ")
    with pytest.raises(FileNotFoundError):
        extract.search(small_db + ".missing")


# --------------------------------------------------------------------------- re-indexing


def test_reindex_replaces(tmp_path, small_db):
    src = _write(tmp_path / "again.jsonl", RECORDS)
    index([src, src], small_db)
    with Store(small_db) as st:
        assert st.counts()["documents"] == 2 and st.counts()["obligations"] == 6
    changed = copy.deepcopy(RECORDS[0])
    changed["obligations"] = changed["obligations"][:2]
    index([_write(tmp_path / "changed.jsonl", [changed])], small_db)
    con = sqlite3.connect(small_db)
    assert con.execute("SELECT count(*) FROM obligations").fetchone()[0] == 4
    assert con.execute("SELECT count(*) FROM ob_fts").fetchone()[0] == 4
    assert con.execute("SELECT count(*) FROM roles WHERE ob_rowid NOT IN (SELECT rowid FROM obligations)").fetchone()[0] == 0
    assert ids(search(small_db, number="493")) == [f"{AG}:1", f"{AG}:2"]


def test_flat_records(tmp_path):
    flat = []
    for d in RECORDS[:2]:
        for o in d["obligations"]:
            line = {"schema": "nhiemvu/1", "doc_id": d["id"], "number": d["number"], "issuer": d["issuer"],
                    "issued_date": d["issued_date"], "source": d["source"]}
            line.update(o)
            flat.append(line)
    src = _write(tmp_path / "flat.jsonl", flat)
    db = str(tmp_path / "flat.sqlite")
    index([src], db)
    index([src], db)
    assert ids(search(db)) == ids(search(db, number=None)) and len(search(db)) == 6
    assert ids(search(db, agency="so noi vu")) == [f"{AG}:1", f"{AG}:2", f"{HN}:1"]


# --------------------------------------------------------------------------- collectives table


def test_collective_examples_in_data_file():
    table = collectives()
    assert len(table.examples) >= 20
    wrong = [(c, a, want) for c, a, want in table.examples if table.includes(c, a) != want]
    assert wrong == []


def test_collective_words_are_known():
    table = collectives()
    for w in table.words.values():
        assert w.kind in ("org", "place"), w
        assert w.includes, w


def test_fold():
    assert fold("Sở Nội vụ") == "so noi vu"
    assert fold("ĐỒNG Tháp") == "dong thap"
    assert fold("Sở Lao động-Thương binh và Xã hội") == "so lao dong - thuong binh va xa hoi"


def test_query_reading():
    q = AgencyQuery("Giám đốc Sở Nội vụ tỉnh An Giang")
    assert (q.q_nohead, q.place) == ("so noi vu tinh an giang", "an giang")
    assert AgencyQuery("các sở, ban, ngành").is_collective
    assert not AgencyQuery("Sở Văn hóa, Thể thao và Du lịch").is_collective


# --------------------------------------------------------------------------- CLI


def test_cli_index_and_search(tmp_path, capsys):
    src = _write(tmp_path / "small.jsonl", RECORDS)
    db = str(tmp_path / "cli.sqlite")
    assert cli.main(["index", src, "--db", db, "-q"]) == 0
    assert cli.main(["search", "--db", db, "--agency", "so noi vu", "--json"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [(x["obligation"]["id"], x["via_collective"]) for x in lines] == [
        (f"{HN}:1", False), (f"{AG}:2", False), (f"{AG}:1", True)]
    assert set(lines[0]) == {"obligation", "document", "via_collective", "agency", "role"}
    assert cli.main(["search", "--db", db, "--agency", "Sở Nội vụ"]) == 0
    out = capsys.readouterr().out
    assert "AGENCY" in out and "DEADLINE" in out and "493/UBND-KGVX" in out
    assert "* Thủ trưởng các sở" in out and "3 task(s)" in out
    assert cli.main(["search", "--db", db, "--overdue", "--as-of", "2000-01-01"]) == 1  # no hit
    assert cli.main(["search", "--db", db, "--type", "nonsense"]) == 2
    assert cli.main(["search", "--db", str(tmp_path / "none.sqlite")]) == 2
    assert cli.main(["index", str(tmp_path / "missing.jsonl"), "--db", db]) == 2


def test_table_truncates_to_width(small_db):
    from extract.cli_store import format_table

    table = format_table(search(small_db), width=100)
    assert all(len(line) <= 100 for line in table.splitlines())
    assert "…" in table


# --------------------------------------------------------------------------- the seeds and the corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The pipeline, run once: records for the seeds and corpora/raw, and an index of them."""
    raw = sorted(CORPUS_RAW.glob("*.txt"))
    paths = [p for p in sorted(SEEDS_DIR.glob("*.txt")) if p.name not in {r.name for r in raw}] + raw
    assert paths
    records = [extract.extract_file(p) for p in paths]
    d = tmp_path_factory.mktemp("corpus")
    src = _write(d / "out.jsonl", records)
    db = str(d / "tasks.sqlite")
    index([src], db)
    unique = {r["id"]: r for r in records if "error" not in r}
    return src, db, unique


def _all(unique):
    return [(r, o) for r in unique.values() for o in r["obligations"]]


def test_corpus_index_counts_and_reindex(corpus):
    src, db, unique = corpus
    with Store(db) as st:
        before = st.counts()
    assert before["documents"] == len(unique)  # the seeds are in corpora/raw too: no duplicates
    assert before["obligations"] == len(_all(unique))
    index([src], db)
    with Store(db) as st:
        assert st.counts() == before


def test_corpus_agency(corpus):
    _, db, _ = corpus
    hits = search(db, agency="Sở Nội vụ")
    direct = [h for h in hits if not h["via_collective"]]
    assert any(h["document"]["number"] == "493/UBND-KGVX" and h["obligation"]["text"].startswith("Sở Nội vụ khẩn trương")
               for h in direct)
    assert any(h["via_collective"] for h in hits)
    # (with the head when one is addressed: "Giám đốc Sở Nội vụ")
    assert all(h["agency"] and "so noi vu" in fold(h["agency"]) for h in direct)
    assert search(db, agency="so noi vu") == hits
    assert search(db, agency="UBND tỉnh") == search(db, agency="Ủy ban nhân dân tỉnh")


def test_corpus_filters_against_records(corpus):
    _, db, unique = corpus
    pairs = _all(unique)
    assert len(search(db, type="advise")) == sum(o["type"] == "advise" for _, o in pairs)
    due = [(o["deadline"] or {}).get("due") for _, o in pairs]
    assert len(search(db, overdue=True, as_of="2021-01-01")) == sum(1 for d in due if d and d < "2021-01-01")
    assert len(search(db, due_after="2020-01-01", due_before="2020-12-31")) == sum(
        1 for d in due if d and "2020-01-01" <= d <= "2020-12-31")
    n493 = sum(len(r["obligations"]) for r in unique.values() if r.get("number") == "493/UBND-KGVX")
    assert n493 and len(search(db, number="493/UBND-KGVX")) == n493
    hn = search(db, "hằng tháng", jurisdiction="Hà Nội")
    assert hn and search(db, "hang thang", jurisdiction="ha noi") == hn
