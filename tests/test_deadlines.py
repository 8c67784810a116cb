"""extract.deadlines: SPEC §5 on real phrases (seeds and corpus raw texts), the seed gold,
the data file's integrity, and speed on pathological input."""
from __future__ import annotations

import datetime as dt
import json
import pathlib
import time

import pytest
import regex

from extract import dates, deadlines
from extract.deadlines import KINDS, choose_deadline, find_deadlines
from extract.models import Deadline

D = dt.date
ROOT = pathlib.Path(__file__).resolve().parents[1]


def _chosen(text, issued):
    found, _ = find_deadlines(text, issued)
    c = choose_deadline(found)
    return None if c is None else (c.kind, c.due, c.recurrence)


# ---------------------------------------------------------------- real phrases
# (phrase as written in /work/shared/seeds or corpus/raw, the letter's date, expected
#  (kind, due, recurrence) of the chosen deadline, or None).  Source file in the comment.
CASES = [
    # dates
    ("nghiên cứu, đề xuất UBND tỉnh xem xét theo quy định; hoàn thành trước ngày 10/12/2023./.",
     D(2023, 11, 23), ("date", "2023-12-10", None)),                           # raw 001
    ("trình Thủ tướng Chính phủ trước ngày 15 tháng 6 năm 2018 (xin gửi kèm Văn bản số "
     "05-CV/BCĐ ngày 11 tháng 5 năm 2018", D(2018, 5, 25), ("date", "2018-06-15", None)),  # raw 019
    ("Yêu cầu gửi báo cáo về Sở Kế hoạch và Đầu tư trước ngày 23/5/2019.",
     D(2019, 5, 21), ("date", "2019-05-23", None)),                            # raw 020
    ("Yêu cầu hoàn thiện gửi Văn phòng Uỷ ban nhân dân trước ngày 24/5/2019.",
     D(2019, 5, 21), ("date", "2019-05-24", None)),                            # raw 020
    ("đề xuất UBND tỉnh xem xét theo quy định của pháp luật; hoàn thành trước ngày 20/5/2024./.",
     D(2024, 4, 25), ("date", "2024-05-20", None)),                            # raw 027
    ("toàn bộ hồ sơ, tài liệu có liên quan đến nội dung bàn giao cho UBND các huyện trước ngày "
     "25-10-2021.", None, ("date", "2021-10-25", None)),                       # raw 030
    ("Việc thiết lập và thông báo thực hiện trước ngày 15/02/2017.",
     D(2017, 2, 13), ("date", "2017-02-15", None)),                            # raw 207
    ("tham mưu đề xuất UBND tỉnh xem xét theo đúng quy định, trước ngày 10/5/2024./.",
     D(2024, 4, 23), ("date", "2024-05-10", None)),                            # raw 216
    ("rà soát, đề xuất UBND tỉnh xem xét theo quy định của pháp luật. Hoàn thành trước ngày "
     "10/3/2023.", D(2023, 2, 28), ("date", "2023-03-10", None)),              # raw 217
    ("theo Quyết định số 866/QĐ-TTg ngày 18/7/2023 của Thủ tướng Chính phủ và quy định của pháp "
     "luật; hoàn thành trước ngày 15/9/2023./.", D(2023, 8, 30), ("date", "2023-09-15", None)),  # 218
    ("thực hiện ý kiến chỉ đạo của Chủ tịch UBND tỉnh tại Văn bản số 4561/UBND-TD6 ngày 21/6/2019;"
     " báo cáo giải quyết với UBND tỉnh xong trong trước ngày 20/7/2019.",
     D(2019, 6, 21), ("date", "2019-07-20", None)),                            # raw 221
    ("xem xét, xử lý và báo cáo Thủ tướng Chính phủ trước ngày 20 tháng 5 năm 2003.",
     D(2003, 5, 9), ("date", "2003-05-20", None)),                             # raw 222
    ("Thời gian thực hiện song song 2 quy trình đến hết ngày 26/3/2017.",
     D(2017, 2, 13), ("date", "2017-03-26", None)),                            # raw 207
    # periods
    ("Riêng năm 2020 hoàn thành trong quý II/2020.",
     D(2020, 5, 4), ("quarter", "2020-06-30", None)),                          # raw 201
    ("- Thời gian thực hiện: Hoàn thành trong quý III/2020.",
     D(2020, 5, 4), ("quarter", "2020-09-30", None)),                          # raw 201
    ("- Thời gian thực hiện: Thực hiện thường xuyên, riêng việc tuyên truyền, quán triệt Chỉ thị"
     " số 37-CT/TW và các Văn bản có liên quan hoàn thành trong quý II/2020.",
     D(2020, 5, 4), ("quarter", "2020-06-30", None)),                          # raw 201
    # recurring
    ("định kỳ báo cáo UBND thành phố kết quả thực hiện trước ngày 25 hằng tháng.",
     D(2020, 7, 10), ("recurring", None, "FREQ=MONTHLY;BYMONTHDAY=25")),      # seed 001
    ("tổng hợp kết quả kiểm tra báo cáo Uỷ ban nhân dân tỉnh trước ngày 20 hàng tháng để xem xét",
     D(2013, 10, 25), ("recurring", None, "FREQ=MONTHLY;BYMONTHDAY=20")),     # raw 212
    ("xét danh hiệu thi đua, hình thức khen thưởng hằng năm đối với cán bộ, công chức",
     D(2017, 1, 9), ("recurring", None, "FREQ=YEARLY")),                      # seed 002
    ("- Thời gian thực hiện: Thực hiện thường xuyên hằng năm.",
     D(2020, 5, 4), ("recurring", None, "FREQ=YEARLY")),                      # raw 201
    ("- Thời gian thực hiện: Thực hiện định kỳ hằng năm; Riêng năm 2020 hoàn thành trong quý "
     "II/2020.", D(2020, 5, 4), ("quarter", "2020-06-30", None)),              # raw 201
    ("chủ động xây dựng Kế hoạch triển khai thực hiện; định kỳ hàng năm (trước ngày 15/11 và đột "
     "xuất (khi có yêu cầu) báo cáo kết quả thực hiện", D(2020, 5, 4),
     ("recurring", None, "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=15")),             # raw 201
    ("gửi Bộ Lao động - Thương binh và Xã hội, Ủy ban nhân dân tỉnh trước ngày 30 tháng 11 hằng"
     " năm.", D(2020, 5, 4), ("recurring", None, "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=30")),  # 201
    ("Việc thanh toán, quyết toán tiền ngày giường bệnh hàng quý thực hiện theo quy định",
     D(2021, 2, 2), ("recurring", None, "FREQ=MONTHLY;INTERVAL=3")),          # raw 202
    ("Kịp thời tham mưu, đề xuất Chủ tịch UBND thành phố chấn chỉnh; định kỳ báo cáo UBND thành "
     "phố kết quả thực hiện trước ngày 25 hằng tháng.", D(2020, 7, 10),
     ("recurring", None, "FREQ=MONTHLY;BYMONTHDAY=25")),                       # seed 001
    # relative
    ("Thời hạn thực hiện và báo cáo kết quả về UBND tỉnh không quá 2 tháng kể từ ngày ban hành "
     "văn bản này.", None, ("relative", None, None)),                           # raw 219
    ("Thời hạn thực hiện và báo cáo kết quả về UBND tỉnh không quá 2 tháng kể từ ngày ban hành "
     "văn bản này.", D(2023, 2, 10), ("relative", "2023-04-10", None)),        # raw 219, dated
    ("nộp trước ngày hàng hóa đến cửa khẩu hoặc trong thời hạn 30 ngày kể từ ngày hàng hóa đến "
     "cửa khẩu", D(2014, 11, 1), ("relative", None, None)),                    # raw 208
    ("Thời hạn hoàn thành việc kiểm tra hồ sơ hải quan: không quá 02 giờ làm việc kể từ thời "
     "điểm cơ quan hải quan tiếp nhận", D(2014, 11, 1), ("relative", None, None)),  # raw 208
    # immediate / ongoing
    ("Khắc phục ngay tình trạng đùn đẩy, né tránh, thiếu trách nhiệm trong giải quyết công việc.",
     None, ("immediate", None, None)),                                         # seed 000
    ("Sở Nội vụ khẩn trương tham mưu Ủy ban nhân dân tỉnh những giải pháp cụ thể",
     D(2024, 4, 22), ("immediate", None, None)),                               # seed 004
    ("biểu dương, khen thưởng kịp thời trường hợp quyết liệt trong thi hành công vụ",
     None, ("immediate", None, None)),                                         # seed 000
    ("Ủy ban nhân dân tỉnh Quảng Nam ký Công điện khẩn số 03/CĐ-UBND yêu cầu tập trung ứng phó "
     "khẩn cấp với bão số 4.", D(2022, 9, 27), ("immediate", None, None)),     # raw 005
    ("Trong quá trình thực hiện, nếu có vướng mắc, kịp thời báo cáo Bảo hiểm xã hội Việt Nam xem "
     "xét, giải quyết./.", D(2015, 12, 14), ("immediate", None, None)),        # raw 211
    ("Văn phòng UBND tỉnh thường xuyên theo dõi, đôn đốc, hướng dẫn các cơ quan, đơn vị",
     None, ("ongoing", None, None)),                                           # seed 000
    ("chủ động, thường xuyên đánh giá tình hình thực hiện nhiệm vụ, kịp thời báo cáo UBND thành "
     "phố", D(2020, 7, 10), ("ongoing", None, None)),                           # seed 001
    ("Thường xuyên theo dõi và kịp thời giải quyết các vướng mắc, mâu thuẫn phát sinh trong quan "
     "hệ lao động", D(2020, 5, 4), ("ongoing", None, None)),                   # raw 201
    ("- Thời gian thực hiện: Thực hiện thường xuyên trong năm.",
     D(2020, 5, 4), ("ongoing", None, None)),                                  # raw 201
    ("việc tiếp nhận thông tin dừng đưa hàng qua KVGS phải được thực hiện 24/7 và xử lý ngay sau"
     " khi nhận được thông tin", D(2017, 2, 13), ("ongoing", None, None)),     # raw 207
    # no deadline
    ("cải thiện nâng cao thứ hạng chỉ số cải cách hành chính của tỉnh năm 2024 và những năm tiếp "
     "theo.", D(2024, 4, 22), None),                                            # seed 004 item 7
    ("phải bảo đảm theo đúng yêu cầu của Chủ tịch Ủy ban nhân dân tỉnh tại Công văn số "
     "436/UBND-TH ngày 21/4/2023 về triển khai, thực hiện Công điện số 280/CĐ-TTg ngày 19/4/2023",
     D(2024, 4, 22), None),                                                     # seed 004
    ("Chấp hành nghiêm Quy chế làm việc của Ủy ban nhân dân tỉnh nhiệm kỳ 2021 - 2026 (*ban hành "
     "kèm theo Quyết định số 61/2022/QĐ-UBND ngày 30/12/2022*)", D(2024, 4, 22), None),  # seed 004
    ("Nếu có khó khăn, vướng mắc, báo cáo Bộ Y tế để kịp thời xem xét, giải quyết./.",
     D(2021, 1, 27), None),                                                     # raw 045
    ("trường hợp thời hạn sử dụng của thẻ BHYT mới không liên tục với ngày hết hạn của thẻ BHYT "
     "cũ", D(2021, 1, 27), None),                                               # raw 045
    ("chi phí KCB phát sinh từ ngày 15 tháng 12 năm 2020 đến hết ngày 31 tháng 12 năm 2020: được"
     " Quỹ BHYT thanh toán", D(2021, 1, 27), None),                            # raw 045
    ("Các cơ quan, đơn vị có liên quan bảo đảm triển khai đồng bộ các quy định tại Quyết định này"
     " kể từ ngày 01 tháng 01 năm 2025.", D(2024, 10, 29), None),              # raw 205
    ("Quyết định này có hiệu lực kể từ ngày ký, ban hành.", D(2024, 10, 29), None),  # raw 205
    ("Hà Nội, ngày 25 tháng 5 năm 2018", D(2018, 5, 25), None),                # raw 019 dateline
    ("cải thiện môi trường kinh doanh, nâng cao năng lực cạnh tranh quốc gia năm 2019 và định "
     "hướng đến năm 2021;", D(2019, 2, 25), None),                             # raw 046
    ("tình hình thực hiện kế hoạch đầu tư công giai đoạn 2016 - 2018, ước thực hiện năm 2019 và "
     "dự kiến kế hoạch năm 2020", D(2019, 10, 10), None),                      # raw 008
    ("Tuy nhiên, đến ngày 31/12/2013, toàn quốc mới cấp được 80,85% chứng chỉ hành nghề",
     D(2014, 1, 27), None),                                                     # raw 203
    ("BHYT liên tục trở lên tính đến ngày 01/01/2015 thì in từ ngày 01/01/2015",
     D(2020, 12, 3), ("ongoing", None, None)),                                  # raw 210 (cue only)
    ("Ngày 10/7, UBND thành phố Hà Nội ban hành Công văn số 3031/UBND-TKBT về nâng cao kỷ luật",
     D(2020, 7, 10), None),                                                     # seed 001 lead
    ("người khai hải quan muốn rút hàng ra khỏi container ngay tại cảng mà không đưa container",
     D(2017, 2, 13), None),                                                     # raw 207
    ("cấp Giấy chứng nhận không cùng chi trả trong năm.", D(2021, 1, 27), None),  # raw 045
    ("Kiên quyết xử lý nghiêm cán bộ, công chức, viên chức chậm trễ trong thực hiện nhiệm vụ được "
     "giao, đặc biệt là nhiệm vụ mang tính cấp bách", D(2017, 1, 9), None),     # seed 002
    # "ban hành trước ngày" after a comma is what to do by then; after "văn bản" it dates a text
    ("Sở Xây dựng xây dựng kế hoạch phân luồng giao thông dịp Tết, ban hành trước ngày 10/02/2026.",
     D(2026, 1, 20), ("date", "2026-02-10", None)),
    ("Các văn bản quy phạm pháp luật ban hành trước ngày 01/7/2016 vẫn được áp dụng.", D(2017, 1, 9), None),
]


@pytest.mark.parametrize("text,issued,expected", CASES,
                         ids=[f"{i:02d}" for i in range(len(CASES))])
def test_real_phrases(text, issued, expected):
    assert _chosen(text, issued) == expected


# SPEC §5 resolution rules (phrases from the SPEC and the brief)
@pytest.mark.parametrize("text,issued,expected", [
    ("trước ngày 15/12", D(2024, 4, 22), ("date", "2024-12-15", None)),
    ("trước ngày 10/1", D(2024, 12, 20), ("date", "2025-01-10", None)),
    ("trước ngày 22/4", D(2024, 4, 22), ("date", "2024-04-22", None)),      # on the day itself
    ("trong quý III/2024", D(2024, 4, 22), ("quarter", "2024-09-30", None)),
    ("trong 6 tháng đầu năm 2024", D(2024, 1, 5), ("half_year", "2024-06-30", None)),
    ("trong tháng 6/2024", D(2024, 4, 22), ("month", "2024-06-30", None)),
    ("hoàn thành trong năm 2024", D(2024, 4, 22), ("year", "2024-12-31", None)),
    ("trong 10 ngày kể từ ngày ký", D(2024, 4, 22), ("relative", "2024-05-02", None)),
    ("trước ngày 05/6 và 05/12 hằng năm", D(2024, 4, 22),
     ("recurring", None, "FREQ=YEARLY;BYMONTH=6,12;BYMONTHDAY=5")),
    ("định kỳ hằng quý", None, ("recurring", None, "FREQ=MONTHLY;INTERVAL=3")),
    ("định kỳ 6 tháng", None, ("recurring", None, "FREQ=MONTHLY;INTERVAL=6")),
    ("hằng tuần", None, ("recurring", None, "FREQ=WEEKLY")),
    ("trước ngày 29/2", D(2025, 3, 1), ("date", "2028-02-29", None)),
])
def test_spec_resolution(text, issued, expected):
    assert _chosen(text, issued) == expected


# A time in what must not be done is no due date; "không quá / không muộn hơn ngày ..." is itself a deadline
@pytest.mark.parametrize("text,expected", [
    ("Khẩn trương nghiệm thu, hoàn thiện hồ sơ thanh toán; không dồn hồ sơ thanh toán vào cuối năm.",
     ("immediate", None, None)),
    ("Hướng dẫn nông dân xuống giống, khuyến cáo không xuống giống lúa trước ngày 15/4/2024.", None),
    ("Không giải quyết nghỉ phép từ nay đến hết tháng 4/2024, trừ trường hợp đặc biệt.", None),
    ("Báo cáo kết quả không quá ngày 30/6/2024.", ("date", "2024-06-30", None)),
    ("Không để chậm trễ, hoàn thành trước ngày 30/6/2024.", ("date", "2024-06-30", None)),
    ("Hoàn thành chậm nhất không muộn hơn ngày 30/6/2024.", ("date", "2024-06-30", None)),
])
def test_a_time_in_a_negated_clause_is_no_deadline(text, expected):
    assert _chosen(text, D(2024, 3, 1)) == expected


def test_no_issued_date_warns():
    found, warnings = find_deadlines("Báo cáo UBND tỉnh trước ngày 15/12.", None)
    assert [(d.kind, d.due) for d in found] == [("date", None)]
    assert warnings == ["deadline 'trước ngày 15/12' needs the letter's date to resolve; "
                        "none found"]


def test_past_date_dropped_with_warning():
    found, warnings = find_deadlines("hoàn thành trước ngày 10/12/2023", D(2024, 4, 22))
    assert found == [] and len(warnings) == 1 and "before the letter's date" in warnings[0]


def test_span_text_and_provenance_with_base():
    text = "Sở Nội vụ khẩn trương tham mưu; báo cáo trước ngày 25 hằng tháng."
    found, _ = find_deadlines(text, D(2024, 4, 22), base=100)
    assert [d.text for d in found] == ["khẩn trương", "trước ngày 25 hằng tháng"]
    for d in found:
        s, e = d.span
        assert text[s - 100:e - 100] == d.text
        assert d.provenance is not None and d.provenance.rule.startswith("deadlines:")
        assert 0 < d.provenance.confidence <= 1
    assert choose_deadline(found).kind == "recurring"


def test_choose_deadline_order():
    imm = Deadline("ngay", "immediate")
    ong = Deadline("thường xuyên", "ongoing")
    rec = Deadline("hằng năm", "recurring", recurrence="FREQ=YEARLY")
    dat = Deadline("trước ngày 1/5/2024", "date", due="2024-05-01")
    rel = Deadline("trong 05 ngày làm việc", "relative")
    assert choose_deadline([]) is None
    assert choose_deadline([imm, rec, dat]) is dat
    assert choose_deadline([imm, ong, rec]) is rec
    assert choose_deadline([ong, imm]) is ong
    assert choose_deadline([rel, imm]) is imm
    assert choose_deadline([rel]) is rel


# ---------------------------------------------------------------- seed gold (SPEC §5 + notes 6)
def _gold_file():
    for p in (ROOT / "corpora" / "gold" / "seeds.jsonl",
              ROOT.parent / "shared" / "corpus" / "gold" / "seeds.jsonl"):
        if p.exists():
            return p
    pytest.fail("seeds.jsonl gold not found")


def _gold_obligations():
    out = []
    with open(_gold_file(), encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            doc = json.loads(line)
            issued = D.fromisoformat(doc["issued_date"]) if doc.get("issued_date") else None
            for i, ob in enumerate(doc["obligations"]):
                out.append(pytest.param(ob["text"], issued, ob["deadline"],
                                        id=f"{doc['source'][:3]}-{i + 1}"))
    return out


def test_gold_has_sixty_obligations():
    assert len(_gold_obligations()) == 60


@pytest.mark.parametrize("text,issued,gold", _gold_obligations())
def test_seed_gold(text, issued, gold):
    want = None if gold is None else (gold["kind"], gold["due"], gold["recurrence"])
    assert _chosen(text, issued) == want


# ---------------------------------------------------------------- data integrity
ISSUED_DEFAULT = D(2024, 4, 22)


@pytest.mark.parametrize("rule", deadlines.deadline_rules(), ids=lambda r: r.id)
def test_data_rule(rule):
    assert rule.get("kind") in KINDS + ("{unit}",), rule.id
    assert 0 < float(rule.get("confidence") or 0) <= 1, rule.id
    if rule.get("kind") == "recurring":
        assert rule.get("freq") in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY", "unit")
    assert rule.examples, f"[{rule.id}] has no example"
    for ex in rule.examples:
        ctx, want, expect = dates.split_example(ex)
        low = dates.lower_text(ctx)
        hits = [ctx[s:e] for s, e, _ in dates.guarded_finditer(rule, low)]
        assert want in hits, f"[{rule.id}] does not match its example {ex!r}: {hits}"
        toks = expect.split()
        assert len(toks) in (3, 4), f"[{rule.id}] example {ex!r} needs '=> kind due recurrence'"
        issued = ISSUED_DEFAULT
        if len(toks) == 4:
            issued = None if toks[3] == "-" else D.fromisoformat(toks[3])
        found, _ = find_deadlines(ctx, issued)
        got = [(d.kind, d.due or "-", d.recurrence or "-") for d in found if d.text == want]
        assert got == [tuple(toks[:3])], f"[{rule.id}] example {ex!r} gave {got}"
        assert [d.provenance.rule for d in found if d.text == want] == [f"deadlines:{rule.id}"]
    for near in rule.near:
        hits = [near[s:e] for s, e, _ in dates.guarded_finditer(rule, dates.lower_text(near))]
        assert not hits, f"[{rule.id}] matches its near miss {near!r}: {hits}"


def test_data_patterns_lower_case_and_ids_unique():
    rs = dates.load_rules(dates.DATES_FILE, deadlines.DEADLINES_FILE)  # raises on collisions
    ids = [r.id for r in rs.rules]
    assert len(ids) == len(set(ids))
    for rule in rs.rules:
        src = regex.sub(r"\\[A-Za-z]|\(\?P<\w+>", "", rule.pattern.pattern)
        assert not regex.search(r"\p{Lu}", src), f"[{rule.id}] has a capital letter"


def test_number_words_table_matches_its_pattern():
    table = deadlines.number_words()
    rule = next(r for r in dates.load_rules(dates.DATES_FILE, deadlines.DEADLINES_FILE).rules
                if r.id == "number_words")
    assert len(table) == len(rule.entries), "a number word is listed twice"
    for word, value in table.items():
        assert rule.pattern.fullmatch(word), word
        assert 1 <= value <= 100


def test_cue_words_do_not_collide():
    """Every immediate/ongoing example is found as that kind only."""
    for rule in deadlines.deadline_rules():
        if rule.get("kind") not in ("immediate", "ongoing"):
            continue
        for ex in rule.examples:
            ctx, want, _ = dates.split_example(ex)
            found, _ = find_deadlines(ctx)
            assert [d.kind for d in found] == [rule.get("kind")], (rule.id, ex)


# ---------------------------------------------------------------- speed
PATHOLOGICAL = {
    "slashes": "1/1/" * 250_000,
    "dots": "." * 1_000_000,
    "digits": "1234567890" * 100_000,
    "dashes": "1-1-" * 250_000,
    "so_so": "số " * 330_000,
    "hang": "hằng " * 200_000,
    "trong": "trong " * 170_000,
    "trong_vong": "trong vòng " * 90_000,
    "paren": "trong (" * 140_000,
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_input_fast(name):
    text = PATHOLOGICAL[name]
    t0 = time.perf_counter()
    find_deadlines(text, D(2024, 4, 22))
    assert time.perf_counter() - t0 < 2.5, f"{name}: find_deadlines too slow on 1 MB"


def test_time_grows_linearly():
    unit = ("Khẩn trương báo cáo trước ngày 1/1/1/1 hằng tháng; trong thời hạn 05 ngày làm việc "
            "kể từ ngày ký; số số 280/CĐ-TTg ... 0913.123.456 quý III/2024 ")

    def timed(n):
        text = unit * n
        t0 = time.perf_counter()
        find_deadlines(text, D(2024, 4, 22))
        return time.perf_counter() - t0

    timed(50)  # warm-up
    small = min(timed(500) for _ in range(2))
    big = min(timed(2000) for _ in range(2))
    assert big < 4 * small * 2.0 + 0.05, (small, big)
