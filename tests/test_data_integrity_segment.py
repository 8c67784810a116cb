"""segment_cues.tsv: every pattern matches its own examples; near misses stay out."""
import pytest

from extract.obligations import is_directive, is_pointer
from extract.patterns import load_table

PATTERNS = [p for p in load_table("segment_cues.tsv")]


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.rule)
def test_pattern_matches_its_examples(pattern):
    assert pattern.examples, f"{pattern.rule} has no example"
    for ex in pattern.examples:
        assert pattern.regex.search(ex), f"{pattern.rule} does not match its example {ex!r}"
    for miss in pattern.near_misses:  # the fourth column: phrases it must leave alone
        assert not pattern.regex.search(miss), f"{pattern.rule} matches its near miss {miss!r}"


# real phrases that must NOT be read as directives / pointers (near misses)
NOT_DIRECTIVE = [
    "Trong thời gian qua, Ủy ban nhân dân tỉnh đã chỉ đạo thực hiện nhiều biện pháp tăng cường kỷ luật.",
    "Nguyên nhân của những tồn tại, hạn chế nêu trên chủ yếu là do nhận thức về trách nhiệm.",
    "Công văn nêu rõ, thực hiện Quy chế làm việc của Chính phủ.",
    "Ủy ban nhân dân tỉnh yêu cầu Thủ trưởng các sở, ban, ngành nghiêm túc triển khai, thực hiện nội dung Công văn này.",
    "Quyết định này có hiệu lực kể từ ngày ký.",
    "Theo đề nghị của Cục trưởng Cục Quản lý Khám, chữa bệnh.",
    "Ban chỉ đạo Quốc gia trực tuyến với các địa phương về công tác phòng, chống dịch.",
    "Văn phòng Chính phủ thông báo để Bộ Văn hoá-Thông tin, Bộ Ngoại Giao và các cơ quan liên quan biết, thực hiện./.",
    "HNP - Ngày 10/7, UBND thành phố Hà Nội ban hành Công văn số 3031/UBND-TKBT về nâng cao kỷ luật.",
    # a closing formula with its reason first
    "Đây là nhiệm vụ cấp bách, đề nghị các cơ quan, đơn vị khẩn trương triển khai thực hiện./.",
    # a forecast and an assessment are background
    "Theo bản tin của Đài Khí tượng Thủy văn tỉnh, mưa lớn tiếp tục kéo dài đến hết ngày 20/9.",
    "Thời gian tới là cao điểm mùa mưa, nguy cơ dịch bệnh tiếp tục gia tăng và lan rộng là rất lớn.",
    "Mỗi người tham gia BHYT được cấp một thẻ. Sử dụng mã số BHXH và đăng ký giao dịch tại địa chỉ.",
    # a shortcoming or a past action: "chưa" / "đã" before a weak modal word is narration
    "Một số đơn vị chưa nghiêm túc thực hiện chế độ báo cáo định kỳ.",
    "Các huyện đã tăng cường lực lượng kiểm tra trên địa bàn.",
    # "giao" inside "Ngoại giao" / "bàn giao" / "được giao" assigns nothing
    "Văn bản cũng được gửi tới Bộ Ngoại giao và Bộ Công an.",
    "Nhà trường đã hoàn thành việc bàn giao hồ sơ cho huyện.",
    # the closing formula: the document as a whole is to be carried out (SPEC §3)
    "Đề nghị các đơn vị chủ động phối hợp với cơ quan bảo hiểm xã hội và các cơ quan liên quan triển khai thực hiện.",
    "Yêu cầu các cơ quan, đơn vị tổ chức thực hiện.",
    # "không được" + an entitlement or a passive state is a rule's effect or a finding, no ban
    "Người bệnh tự đi khám không đúng tuyến sẽ không được hưởng quyền lợi theo quy định.",
    "Phần quản trị doanh nghiệp gần như không được thực thi.",
    # figures, weather and meetings told as background; the issuing body's approval (round-8 probe letters)
    "Từ đầu tháng 12/2025 đến nay, bệnh Dịch tả lợn châu Phi đã tái phát tại 23 hộ chăn nuôi, buộc phải tiêu hủy "
    "1.184 con lợn.",
    "Theo số liệu của Trung tâm Kiểm soát bệnh tật tỉnh, toàn tỉnh ghi nhận 2.317 ca sốt xuất huyết, cần lưu ý.",
    "Tiếp theo Công điện số 93/CĐ-TTg ngày 12 tháng 9 năm 2024, tại các tỉnh miền núi phía Bắc tiếp tục có mưa to.",
    "Chiều 14/1, tại Hà Nội, Bộ trưởng Bộ Nông nghiệp và Môi trường chủ trì Hội nghị tổng kết công tác phòng, chống "
    "thiên tai năm 2025.",
    "Ban Thường vụ Tỉnh ủy cơ bản đồng ý với báo cáo của Ban cán sự đảng UBND tỉnh.",
    "Đánh giá chung: các đơn vị đã chủ động tham mưu đóng cống, trữ ngọt; tuy nhiên cần rút kinh nghiệm.",
    "Thành phần: Lãnh đạo Đảng ủy, HĐND, UBND, Ủy ban MTTQ Việt Nam xã dự và tặng quà tại các điểm trường.",
    "Thời gian gần đây, trên các tuyến quốc lộ tiếp tục phát sinh tình trạng xây dựng trái phép.",
    "Thông tin chi tiết liên hệ: Cục Quản lý chất lượng, Bộ Giáo dục và Đào tạo, số điện thoại 024.3869 xxxx.",
]
DIRECTIVE = [
    # near the background rows above: a duty to carry on, a meeting someone is told to chair
    "Tiếp tục tăng cường kiểm tra, giám sát việc vận chuyển gia cầm.",
    "Giao Sở Nội vụ chủ trì hội nghị sơ kết trước ngày 30/6/2026.",
    "Đối chiếu, điều chỉnh thông tin trong thời hạn 03 ngày làm việc kể từ ngày nhận được danh sách.",
    "Khắc phục ngay tình trạng đùn đẩy, né tránh, thiếu trách nhiệm trong giải quyết công việc.",
    "Giao Sở Tài nguyên và Môi trường chủ trì, phối hợp các đơn vị, địa phương liên quan nghiên cứu, đề xuất UBND tỉnh.",
    "Không trình những công việc thuộc thẩm quyền của cơ quan mình lên UBND tỉnh.",
    "Đặc biệt phải giải quyết ngay những vấn đề tồn đọng, quá thời hạn chưa được xử lý.",
    "Yêu cầu gửi báo cáo về Sở Kế hoạch và Đầu tư trước ngày 23/5/2019.",
    "Đề nghị BHXH các tỉnh chủ động phối hợp với các cơ sở KCB BHYT kiểm tra việc kê thêm giường bệnh.",
    "Các đơn vị phải xử lý nghiêm tổ chức, cá nhân chưa nghiêm túc chấp hành.",
    "Sở Y tế cần tiếp tục theo dõi tình hình dịch bệnh.",
    "Cán bộ, công chức không được sử dụng xe công vào việc riêng.",
    # "kể từ ngày ban hành văn bản này" is a time limit, not news of a letter being issued
    "Sở Tài chính phải báo cáo kết quả về UBND tỉnh trong thời hạn 30 ngày kể từ ngày ban hành văn bản này.",
    # not the closing formula: the request names what to do
    "Đề nghị các sở báo cáo kết quả triển khai thực hiện.",
    "Đề nghị các đơn vị rà soát, báo cáo kết quả thực hiện.",
    # "ban hành kế hoạch" is what Sở Y tế is told to prepare, not news of a plan issued
    "Giao Sở Y tế chủ trì, phối hợp với Sở Tài chính tham mưu Ủy ban nhân dân tỉnh ban hành kế hoạch.",
    "Sở Nội vụ có trách nhiệm xây dựng, ban hành kế hoạch kiểm tra công vụ năm 2026.",
]


@pytest.mark.parametrize("sentence", NOT_DIRECTIVE)
def test_near_misses_are_not_directives(sentence):
    assert not is_directive(sentence)[0]


@pytest.mark.parametrize("sentence", DIRECTIVE)
def test_directives(sentence):
    assert is_directive(sentence)[0]


@pytest.mark.parametrize("text,expected", [
    ("Ủy ban nhân dân tỉnh yêu cầu Thủ trưởng các sở, ban, ngành thực hiện tốt một số nội dung sau:", True),
    ("Chủ tịch UBND tỉnh yêu cầu:", True),
    ("tổ chức thực hiện nghiêm túc 10 nội dung công việc.", True),
    ("Tăng cường tính chủ động, sáng tạo trong việc triển khai các nhiệm vụ theo chức năng, cụ thể:", False),
    ("Sở Nội vụ khẩn trương tham mưu Ủy ban nhân dân tỉnh những giải pháp cụ thể.", False),
])
def test_pointer_lead_ins(text, expected):
    assert is_pointer(text) is expected


def test_a_result_to_report_is_a_directive():
    # "Kết quả ..." opens background ("Kết quả cho thấy ...") but also orders ("Kết quả kiểm tra báo cáo ...")
    assert is_directive("Kết quả kiểm tra báo cáo UBND tỉnh trước ngày 25/02/2024.")[0]
    assert not is_directive("Kết quả cho thấy nhiều đơn vị còn chậm trễ.")[0]


def test_a_dated_meeting_narration_is_background():
    # the opening of every thông báo kết luận
    assert not is_directive("Ngày 15/3/2024, Phó Chủ tịch UBND tỉnh Trần Phước Hiền chủ trì cuộc họp nghe báo cáo tiến độ thực hiện dự án.")[0]
    assert is_directive("Ngày 20/5/2024, các sở phải gửi báo cáo về Sở Tài chính.")[0]


# -- the screened look-up (extract/patterns.first_match) finds what a plain search finds --

from extract.patterns import SEGMENT, category, first_match  # noqa: E402

_CATEGORIES = sorted({p.category for p in PATTERNS})


def _plain(cat, text):
    text = text.replace("\n", " ")  # first_match reads a line break as a space (wrapped paragraphs)
    for p in category(SEGMENT, cat):
        m = p.regex.search(text)
        if m:
            return p, m
    return None


def _variants(text):
    # other cases, white space and a final line break at the end, endings of pointers,
    # and characters whose case variants lower() does not keep ("ſ", "İ")
    return [text, text.upper(), text.title(), text + "  \n", text + "\n", text.rstrip(".") + ":",
            text + " sau:", text + " dưới đây :\t", text.replace("s", "ſ", 1), text.replace("i", "İ", 1)]


@pytest.mark.parametrize("cat", _CATEGORIES)
def test_screened_lookup_is_a_plain_search(cat):
    texts = [ex for p in PATTERNS for ex in p.examples] + NOT_DIRECTIVE + DIRECTIVE
    for text in (v for t in texts for v in _variants(t)):
        got, want = first_match(SEGMENT, cat, text), _plain(cat, text)
        assert (got is None) == (want is None), (cat, text)
        if got:
            assert got[0] is want[0] and got[1].span() == want[1].span(), (cat, text)


@pytest.mark.parametrize("text,duty", [
    # the lead-in says the duty, then points at the details: an obligation itself (SPEC §3)
    ("Để chủ động ứng phó với mưa lũ, Chủ tịch UBND tỉnh yêu cầu Giám đốc các sở và Chủ tịch UBND các huyện "
     "tổ chức theo dõi chặt chẽ diễn biến thời tiết, kịp thời triển khai công tác ứng phó, trong đó tập trung "
     "một số nhiệm vụ sau:", True),
    ("Đề nghị các đơn vị chủ động triển khai các biện pháp phòng, chống dịch, nhất là các nội dung sau:", True),
    ("Đề nghị Sở Y tế nghiên cứu, phối hợp với các cơ sở khám, chữa bệnh triển khai thực hiện, đồng thời thực hiện "
     "một số nội dung sau:", True),
    ("Chủ tịch UBND tỉnh yêu cầu Giám đốc các sở, Chủ tịch UBND các huyện khẩn trương lập kế hoạch đầu tư công "
     "năm 2025, với các nội dung sau:", True),
    # a lead-in that only says who and points: no obligation
    ("Ủy ban nhân dân tỉnh yêu cầu Thủ trưởng các sở, ban, ngành thực hiện tốt một số nội dung sau:", False),
    ("Chủ tịch UBND tỉnh có ý kiến chỉ đạo như sau:", False),
    # background before "trong đó" is no duty
    ("Năm 2024, toàn tỉnh có nhiều vụ việc, trong đó tập trung vào các nội dung sau:", False),
])
def test_states_duty_before_pointer(text, duty):
    from extract.obligations import states_duty_before_pointer

    assert is_pointer(text)
    assert states_duty_before_pointer(text) is duty


def test_a_title_in_capitals_is_no_obligation():
    from extract.pipeline import extract_text

    text = ("KẾ HOẠCH. TRIỂN KHAI THỰC HIỆN CHỈ THỊ SỐ 05-CT/TU VỀ TĂNG CƯỜNG CÔNG TÁC PHÒNG, CHỐNG THIÊN TAI "
            "(Ban hành kèm theo Quyết định số 12/QĐ-UBND ngày 04 tháng 5 năm 2020 của Ủy ban nhân dân tỉnh)\n"
            "Triển khai kịp thời các biện pháp phòng, chống thiên tai trên địa bàn.\n")
    rec = extract_text(text)
    assert [o["text"] for o in rec["obligations"]] == [
        "Triển khai kịp thời các biện pháp phòng, chống thiên tai trên địa bàn."]


@pytest.mark.parametrize("second_bullet", ["-", "*", "+"])
def test_task_row_attributes_whatever_their_bullets(second_bullet):
    from extract.pipeline import extract_text

    text = ("ỦY BAN NHÂN DÂN TỈNH KON TUM\nSố: 12/KH-UBND\nKon Tum, ngày 04 tháng 5 năm 2020\n"
            "KẾ HOẠCH\n1. Nhiệm vụ\n"
            "1.1. Rà soát, kiện toàn tổ chức bộ máy quản lý nhà nước về quan hệ lao động.\n"
            "- Cơ quan thực hiện: Sở Nội vụ chủ trì, phối hợp với Sở Tài chính.\n"
            f"{second_bullet} Thời gian thực hiện: Thực hiện thường xuyên hằng năm.\n")
    (o,) = extract_text(text)["obligations"]
    assert o["text"].startswith("Rà soát") and "Thời gian" not in o["text"]
    assert [a["name"] for a in o["assignees"]] == ["Sở Nội vụ"]
    assert [a["name"] for a in o["coordinators"]] == ["Sở Tài chính"]
    assert o["deadline"]["recurrence"] == "FREQ=YEARLY"


def test_an_effect_clause_is_left_out_of_an_item():
    # SPEC §3: sentences of an item that direct no one (an effect clause) are left out of its text
    from extract.pipeline import extract_text

    text = ("BỘ Y TẾ\nSố: 12/BYT-BH\nHà Nội, ngày 27 tháng 01 năm 2021\nKính gửi: Sở Y tế các tỉnh, thành phố\n"
            "1. Sở Y tế rà soát số giường bệnh thực kê tại các cơ sở khám bệnh, chữa bệnh.\n"
            "2. Hướng dẫn tại công văn này được áp dụng thực hiện từ ngày 01 tháng 01 năm 2021. "
            "Nếu có khó khăn, vướng mắc, Sở Y tế báo cáo Bộ Y tế để xem xét, giải quyết.\n")
    rec = extract_text(text)
    o = rec["obligations"][-1]
    assert o["label"] == "2"
    assert o["text"] == "Nếu có khó khăn, vướng mắc, Sở Y tế báo cáo Bộ Y tế để xem xét, giải quyết."
    assert rec_text_at(text, rec, o) == o["text"]


def test_a_closing_formula_in_an_item_is_left_out_but_still_addresses():
    from extract.pipeline import extract_text

    text = ("BỘ Y TẾ\nSố: 12/BYT-BH\nHà Nội, ngày 27 tháng 01 năm 2021\nKính gửi: Sở Y tế các tỉnh, thành phố\n"
            "1. Sở Y tế rà soát số giường bệnh thực kê tại các cơ sở khám bệnh, chữa bệnh.\n"
            "2. Đề nghị các đơn vị chủ động phối hợp với cơ quan bảo hiểm xã hội triển khai thực hiện. "
            "Nếu có khó khăn, vướng mắc, báo cáo Bộ Y tế để xem xét, giải quyết.\n")
    o = extract_text(text)["obligations"][-1]
    assert o["text"] == "Nếu có khó khăn, vướng mắc, báo cáo Bộ Y tế để xem xét, giải quyết."
    assert [(a["name"], a.get("inherited")) for a in o["assignees"]] == [("các đơn vị", True)]
    assert [a["name"] for a in o["report_to"]] == ["Bộ Y tế"]


def rec_text_at(text, rec, o):
    from extract.normalize import normalize

    norm, _ = normalize(text)
    return " ".join(norm[o["span"][0]:o["span"][1]].split())
