"""extract/classify.py, extract/data/type_cues.tsv and scripts/train.py (issue 4)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

from extract import classify as clf

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "corpora" / "gold" / "seeds.jsonl"
sys.path.insert(0, str(REPO / "scripts"))


@pytest.fixture(autouse=True)
def _restore_default_model():
    yield
    clf.load_model()  # whatever a test activated, the committed model is active again


def _seed_records():
    return [json.loads(line) for line in SEEDS.read_text(encoding="utf-8").splitlines() if line.strip()]


# --------------------------------------------------------------------------- committed model


def test_committed_model_is_small_plain_json():
    p = clf.DEFAULT_MODEL_PATH
    assert p.exists(), "run scripts/train.py"
    assert p.stat().st_size < 2 * 1024 * 1024
    data = json.loads(p.read_text(encoding="utf-8"))
    assert data["format"] == clf.FORMAT
    assert set(data["classes"]) <= set(clf.TYPES)
    assert len(data["features"]) == len(data["idf"]) == len(data["coef"])


def test_committed_model_predicts_seed_types():
    """The seeds are in its training data: a sensible in-sample floor, not a CV figure."""
    model = clf.load_model()
    assert model is not None
    total = right = 0
    for rec in _seed_records():
        obls = rec["obligations"]
        res = clf.classify([o["text"] for o in obls], [clf.label_depth(o["label"]) for o in obls],
                           clf.relative_positions(len(obls)))
        assert len(res) == len(obls)
        for o, (typ, score) in zip(obls, res):
            assert typ in clf.TYPES and 0.0 < score <= 1.0
            total += 1
            right += typ == o["type"]
    assert total == 60
    assert right / total >= 0.75


@pytest.mark.parametrize("char_scope", ["opening", "text"])
def test_predict_agrees_with_predict_proba(char_scope):
    """predict() (plain Python, the pipeline's path) gives the numbers of predict_proba() (weigh's
    arithmetic, numpy): same type, same score to rounding, on texts with repeated syllables and
    n-grams (tf > 1), no known feature, nothing at all; with either char_scope."""
    data = json.loads(clf.DEFAULT_MODEL_PATH.read_text(encoding="utf-8"))
    data["config"]["char_scope"] = char_scope
    model = clf.model_from_json(data)
    texts, depths = [], []
    for rec in _seed_records():
        texts += [o["text"] for o in rec["obligations"]]
        depths += [clf.label_depth(o["label"]) for o in rec["obligations"]]
    # repeated syllables and n-grams (tf > 1), a text with no known feature, an empty one
    texts += ["rà soát rà soát báo cáo báo cáo " * 40, "số " * 5000, "xyzzy", ""]
    depths += [1, 0, 2, 0]
    positions = [i / (len(texts) - 1) for i in range(len(texts))]
    got = model.predict(texts, depths, positions)
    proba = model.predict_proba(texts, depths, positions)
    for (typ, score), row in zip(got, proba):
        assert typ == model.classes[int(row.argmax())]
        assert score == pytest.approx(float(row.max()), rel=1e-12, abs=0)


def test_classify_shapes_and_defaults():
    assert clf.classify([]) == []
    res = clf.classify(["Khẩn trương rà soát các kiến nghị, đề xuất đã được gửi đến", "x"])
    assert len(res) == 2 and all(isinstance(t, str) and isinstance(s, float) for t, s in res)
    with pytest.raises(ValueError):
        clf.classify(["a", "b"], depths=[1])


def test_prediction_needs_no_sklearn_and_answers_fast():
    code = (
        "import sys, time; t=time.time();"
        "from extract.classify import classify;"
        "r=classify(['Sở Nội vụ khẩn trương tham mưu Ủy ban nhân dân tỉnh những giải pháp cụ thể']);"
        "dt=time.time()-t; assert 'sklearn' not in sys.modules, 'sklearn imported';"
        "assert 'underthesea' not in sys.modules; print(r[0][0], dt)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    typ, dt = out.stdout.split()
    assert typ == "advise"
    assert float(dt) < 2.0  # import + model load + first answer; typically ~0.3 s


def test_pathological_input_is_fast():
    t = time.time()
    res = clf.classify(["số " * 50000, "1/2.3-4" * 30000, "không " * 40000])
    assert len(res) == 3
    assert time.time() - t < 10


# --------------------------------------------------------------------------- fallback rule


RULE_CASES = [
    # (real phrase from shared/seeds or corpora/raw, type by SPEC §8's first cue verb)
    ("Khẩn trương rà soát các kiến nghị, đề xuất đã được gửi đến và giải quyết theo thẩm quyền", "review"),
    ("Xử lý nghiêm minh những hành vi gây phiền hà, nhũng nhiễu, tham nhũng, tiêu cực.", "discipline"),
    ("Không trình những công việc thuộc thẩm quyền của cơ quan mình lên UBND tỉnh", "prohibit"),
    ("Sở Nội vụ khẩn trương tham mưu Ủy ban nhân dân tỉnh những giải pháp cụ thể", "advise"),
    ("Văn phòng UBND tỉnh thường xuyên theo dõi, đôn đốc, hướng dẫn các cơ quan, đơn vị", "oversee"),
    ("Tiếp tục quán triệt, thực hiện đầy đủ, nghiêm túc chỉ đạo của Trung ương", "disseminate"),
    ("Kịp thời sửa đổi, bổ sung quy chế làm việc, quy trình giải quyết công việc nội bộ.", "regulate"),
    ("Yêu cầu gửi báo cáo về Sở Kế hoạch và Đầu tư trước ngày 23/5/2019.", "report"),
    ("Chủ động, tích cực giải quyết công việc thuộc chức năng, nhiệm vụ, quyền hạn", "implement"),
    # SPEC §8: an item that opens with another action and later says Nghiêm cấm is not prohibit
    ("Nêu cao tinh thần trách nhiệm, thái độ làm việc, tuân thủ nghiêm các quy định trong thực thi "
     "công vụ. Nghiêm cấm các hành vi gây khó khăn, phiền hà", "implement"),
    # light verbs: the next verb decides (SPEC §3)
    ("Tiếp tục nghiên cứu, tham mưu UBND tỉnh đẩy mạnh thực hiện phân cấp quản lý", "advise"),
    # a weak cue (chủ động) yields to a later strong one
    ("Chủ động theo dõi, nắm bắt và đón đầu để tham mưu, đề xuất Tỉnh ủy", "oversee"),
    # stop phrases: `chương trình`, `cấp huyện` hold no cue
    ("nghiêm túc thực hiện công văn này và chương trình làm việc của UBND tỉnh", "implement"),
    ("Chủ tịch UBND cấp huyện", "implement"),
]


@pytest.mark.parametrize("text,expected", RULE_CASES)
def test_rule_type(text, expected):
    assert clf.rule_type(text) == expected


# The rule reads the head clause (SPEC §8: the first main verb decides): a cue after the ";" that closes
# it, or a prohibit cue opening a later clause, does not decide; the head verb the cue list does not know
# stands for implement. Phrases from the probe letters (invented) and corpora/raw.
@pytest.mark.parametrize("text,expected", [
    ("Chủ động dự trữ lương thực, thực phẩm, nước uống, thuốc men tại các khu vực có nguy cơ bị chia cắt, "
     "không để người dân bị đói, rét.", "implement"),
    ("Tổ chức trực phòng cháy, chữa cháy rừng 24/24 giờ trong suốt thời kỳ cao điểm; thường xuyên kiểm tra các "
     "vùng trọng điểm có nguy cơ cháy cao.", "implement"),
    ("Chịu trách nhiệm quản lý, bảo vệ tài sản dôi dư trên địa bàn; kiên quyết không để xảy ra tình trạng lấn "
     "chiếm, sử dụng sai mục đích.", "implement"),
    # a cue in the head clause still decides, whatever follows
    ("Rà soát các dự án chậm tiến độ; không để phát sinh nợ đọng xây dựng cơ bản.", "review"),
    # the prohibit cue belongs to the head when a subject stands before it in its clause
    ("UBND các xã, thị trấn không để tồn đọng rác thải tại các điểm tập kết quá 48 giờ; không để xảy ra "
     "tình trạng đổ trộm.", "prohibit"),
    ("Các sở, ban, ngành tuyệt đối không để xảy ra tình trạng chậm trễ.", "prohibit"),
    # a ";" before a capital separates the items of an agency list, not clauses
    ("Giao các sở, ngành tỉnh; Uỷ ban nhân dân các huyện, thành phố; Các Ban QLDA chuyên ngành tỉnh báo cáo "
     "tình hình triển khai thực hiện.", "report"),
    # head verbs of drafting for approval, planning, checking and news
    ("Giao Sở Văn hóa, Thể thao và Du lịch tiếp thu ý kiến tại cuộc họp, hoàn thiện Đề án tổ chức Lễ hội, trình "
     "Ủy ban nhân dân tỉnh phê duyệt.", "advise"),
    ("Công an xã chủ trì, phối hợp với Ban Chỉ huy Quân sự xã xây dựng phương án bảo đảm an ninh trật tự.",
     "regulate"),
    ("Xây dựng, ban hành Quy chế bảo đảm an toàn thông tin mạng trong hoạt động của các cơ quan nhà nước.",
     "regulate"),
    ("Phối hợp với Kho bạc Nhà nước khu vực đối chiếu số liệu giải ngân của từng dự án.", "review"),
    ("Đài Phát thanh và Truyền hình tỉnh tăng thời lượng đưa tin về diễn biến bão, hướng dẫn kỹ năng phòng tránh.",
     "disseminate"),
])
def test_rule_reads_the_head_clause(text, expected):
    assert clf.rule_type(text) == expected
    from extract.classify import classify
    assert classify([text])[0][0] == expected


def test_missing_model_falls_back_to_cue_rule(tmp_path):
    with pytest.warns(RuntimeWarning, match="first-cue-verb rule"):
        assert clf.load_model(str(tmp_path / "missing.json")) is None
    texts = [t for t, _ in RULE_CASES]
    res = clf.classify(texts)
    assert [t for t, _ in res] == [e for _, e in RULE_CASES]
    assert all(s == 0.0 for _, s in res)


@pytest.mark.parametrize("content", ["{not json", json.dumps({"format": "other"}), "[1, 2]"])
def test_unreadable_model_falls_back(tmp_path, content):
    p = tmp_path / "bad.json"
    p.write_text(content, encoding="utf-8")
    with pytest.warns(RuntimeWarning, match="unreadable"):
        assert clf.load_model(str(p)) is None
    assert clf.classify(["Xử lý nghiêm minh những hành vi gây phiền hà"]) == [("discipline", 0.0)]


# --------------------------------------------------------------------------- cue data


def _cue_rows():
    rows = []
    for line in clf.CUES_PATH.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


@pytest.mark.parametrize("row", _cue_rows(), ids=lambda r: f"{r[0]}:{r[1]}")
def test_cue_matches_its_example(row):
    typ, cue, strength, example = row
    assert typ in clf.TYPES or typ == "stop"
    assert strength in ("strong", "weak", "-")
    cue_syl = clf.syllables(cue)
    ex = clf.syllables(example)
    assert any(ex[i : i + len(cue_syl)] == cue_syl for i in range(len(ex))), (cue, example)


def test_cues_unique():
    keys = [(r[1].strip().lower()) for r in _cue_rows()]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("label,depth", [(None, 0), ("", 0), ("7", 1), ("3.b", 2), ("3.d.-1", 3), ("II.2", 2), ("Điều 2", 1)])
def test_label_depth(label, depth):
    assert clf.label_depth(label) == depth


def test_relative_positions():
    assert clf.relative_positions(0) == []
    assert clf.relative_positions(1) == [0.0]
    assert clf.relative_positions(3) == [0.0, 0.5, 1.0]


# --------------------------------------------------------------------------- training


def _train_small(out_dir: Path, name: str) -> bytes:
    import train

    docs = "002_60d64e889c923f29.txt,003_93552a0bbbd24045.txt,004_cbb06b3a45a81e29.txt"
    out = out_dir / f"{name}.json"
    rc = train.main(["--docs", docs, "--no-search", "--cv", "2", "--out", str(out),
                     "--card", str(out_dir / f"{name}.md"), "--quiet"])
    assert rc == 0
    return out.read_bytes()


def test_training_is_reproducible(tmp_path):
    a = _train_small(tmp_path, "a")
    b = _train_small(tmp_path, "b")
    assert a == b
    data = json.loads(a)
    model = clf.model_from_json(data)
    assert model.meta["n_train"] == 38
    res = model.predict(["Khẩn trương rà soát các kiến nghị"], [0], [0.0])
    assert res[0][0] in clf.TYPES
    card = (tmp_path / "a.md").read_text(encoding="utf-8")
    assert "majority class" in card and "first cue verb rule of SPEC §8" in card and "curated cue rule" in card
    metrics = json.loads((tmp_path / "a.metrics.json").read_text(encoding="utf-8"))
    assert set(metrics["cv"]) >= {"model", "majority", "spec_rule", "curated_rule"}


def test_train_examples_from_gold():
    import train

    ex = train.examples_from_records(_seed_records())
    assert len(ex) == 60
    assert {e["doc"] for e in ex} == {r["source"] for r in _seed_records()}
    assert all(0.0 <= e["position"] <= 1.0 for e in ex)
    folds = train.folds_by_document([e["doc"] for e in ex], 3, seed=0)
    assert sorted(d for f in folds for d in f) == sorted({e["doc"] for e in ex})
    assert folds == train.folds_by_document([e["doc"] for e in ex], 3, seed=0)


def test_class_report():
    import train

    r = train.class_report(["a", "a", "b"], ["a", "b", "b"])
    assert r["accuracy"] == pytest.approx(2 / 3)
    assert r["per_class"]["a"]["precision"] == 1.0 and r["per_class"]["a"]["recall"] == 0.5
    assert r["macro_f1"] == pytest.approx((2 / 3 + 2 / 3) / 2)


def test_cue_examples_are_verbatim_real_text():
    """Every example is a slice of corpora/raw (whitespace collapsed), marked as taken from SPEC §8, or
    a slice of the probe set it names ("... (probe round7a)": invented letters, corpora/probes)."""
    import regex
    import unicodedata

    def text_of(pattern):
        return " ".join(
            regex.sub(r"\s+", " ", unicodedata.normalize("NFC", p.read_text(encoding="utf-8", errors="replace")))
            for p in sorted(REPO.glob(pattern))
        )

    raw = text_of("corpora/raw/*.txt")
    for typ, cue, strength, example in _cue_rows():
        probe = regex.search(r" \(probe (\w+)\)$", example)
        if probe:
            assert example[: probe.start()] in text_of(f"corpora/probes/{probe.group(1)}/raw/*.txt"), (cue, example)
        else:
            assert example in raw or "SPEC §8" in example, (cue, example)


# --------------------------------------------------------------------------- issue 4: model vs baselines

METRICS = REPO / "models" / "obligation_type.metrics.json"
SPEC_MD = Path("/work/shared/SPEC.md")


def test_model_beats_required_baselines():
    """Issue 4: macro-F1 above both baselines (majority class; SPEC §8 first-cue-verb rule), by CV.

    Checked for the committed setting and, when present, for the nested-CV estimate of the whole
    selection procedure (the unbiased one). The curated cue rule is a comparison, not a baseline."""
    m = json.loads(METRICS.read_text(encoding="utf-8"))
    cv = m["cv"]
    assert set(m["required_baselines"]) == {"majority", "spec_rule"}
    model_figures = [cv["model"]["macro_f1"]] + ([cv["model_nested"]["macro_f1"]] if "model_nested" in cv else [])
    for f in model_figures:
        for b in m["required_baselines"]:
            assert f > cv[b]["macro_f1"], (f, b, cv[b])
    # the card shows the same figures
    card = (REPO / "models" / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert f"{cv['model']['macro_f1']:.3f}" in card and f"{cv['spec_rule']['macro_f1']:.3f}" in card
    assert m["data_sha256"] in card


def test_spec_cues_are_the_spec_table():
    """extract/data/spec_type_cues.tsv holds exactly the cue words of the SPEC §8 table."""
    rows = clf.load_spec_cues()
    got = {(t, c) for t, c, _ in rows}
    assert len(got) == len(rows) and {t for t, _ in got} == set(clf.TYPES)
    if not SPEC_MD.exists():
        pytest.skip("shared SPEC.md not available")
    text = SPEC_MD.read_text(encoding="utf-8")
    sec = text[text.index("## 8. Obligation types"):text.index("## 9.")]
    want = set()
    for line in sec.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].strip("`") in clf.TYPES:
            for cue in cells[2].split(","):
                want.add((cells[0].strip("`"), " ".join(clf.syllables(cue))))
    assert got == want


@pytest.mark.parametrize("text,expected", [
    ("Khẩn trương rà soát các kiến nghị, đề xuất đã được gửi đến", "review"),
    ("Chủ động theo dõi, nắm bắt và đón đầu để tham mưu, đề xuất Tỉnh ủy", "implement"),  # first cue decides
    ("Xử lý nghiêm minh những hành vi gây phiền hà", "discipline"),
    ("Yêu cầu hoàn thiện gửi Văn phòng Uỷ ban nhân dân trước ngày 24/5/2019.", "implement"),  # no cue
])
def test_spec_rule(text, expected):
    m = clf.CueMatcher(clf.load_spec_cues())
    assert (m.first_type(clf.syllables(text)) or clf.DEFAULT_TYPE) == expected


def test_head_syllables_skip_modals():
    syl = clf.syllables("Đồng thời, tiếp tục khẩn trương rà soát các kiến nghị")
    assert clf.head_syllables(syl) == ["rà", "soát"]
    assert clf.head_syllables(clf.syllables("Phải")) == []


# The rules over the model (extract/classify.py): a negation at the head is a prohibition, whatever
# the verbs after it (SPEC §8: the head verb phrase); the "nếu có khó khăn, vướng mắc, báo cáo"
# closing is a report; watching a phenomenon is carrying out, not overseeing (corpus_a 006)
@pytest.mark.parametrize("text,expected", [
    ("Không yêu cầu chủ đầu tư bổ sung các giấy tờ ngoài danh mục hồ sơ quy định.", "prohibit"),
    ("Không sử dụng các phần mềm, biểu mẫu thống kê riêng yêu cầu cơ sở giáo dục báo cáo lại.", "prohibit"),
    ("Tuyệt đối không để người dân, phương tiện qua lại khi chưa bảo đảm an toàn.", "prohibit"),
    ("Không tổ chức thu các khoản ngoài quy định trong dịp đầu năm học.", "prohibit"),
    ("Trong quá trình thực hiện, nếu có vướng mắc, đề nghị phản ánh về Bộ Tài chính (qua Vụ Đầu tư) để được "
     "hướng dẫn.", "report"),
    ("Quá trình thực hiện, có khó khăn, vướng mắc báo cáo về UBND xã để chỉ đạo giải quyết.", "report"),
    ("Nếu có khó khăn, vướng mắc, báo cáo Bộ Y tế để kịp thời xem xét, giải quyết.", "report"),
    ("Theo dõi chặt chẽ diễn biến của bão, mưa lũ; triển khai ngay phương án ứng phó.", "implement"),
    ("Sở Nông nghiệp và Môi trường chủ trì, phối hợp với Đài Khí tượng thủy văn tỉnh theo dõi chặt chẽ diễn biến "
     "mưa lũ, kịp thời cung cấp thông tin cảnh báo.", "implement"),
    ("Văn phòng UBND tỉnh theo dõi, đôn đốc các sở, ngành thực hiện Công văn này.", "oversee"),
    # a class named before the negation: still the head verb phrase (probe round10a 04)
    ("Các phòng, đơn vị thuộc Sở không yêu cầu các xã, phường báo cáo thêm những nội dung đã có trong Mẫu số 01.",
     "prohibit"),
])
def test_type_rules_over_the_model(text, expected):
    from extract.classify import classify
    assert classify([text])[0][0] == expected


@pytest.mark.parametrize("text", [
    "Không chỉ tuyên truyền mà còn phải kiểm tra, xử lý nghiêm các vi phạm.",
    "Kiểm tra, không để xảy ra vi phạm trong công tác đấu thầu.",
    "Các đơn vị kiểm tra; không để xảy ra vi phạm.",
])
def test_negation_elsewhere_is_left_to_the_model(text):
    from extract.classify import _NEGATED
    assert _NEGATED.match(text) is None
