"""Whole short letters, written the way provincial offices write them, with the tasks a user
expects from each (assignees, coordinators, report_to, deadline).  They are not corpus texts:
they check shapes of letter that the annotated corpus has few or none of."""
from __future__ import annotations

import pytest

from extract import extract_text

HEADER = (
    "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH\n"
    "Số: 1234/UBND-TH\n"
    "Quảng Ninh, ngày 10 tháng 3 năm 2026\n"
    "Kính gửi: Các sở, ban, ngành tỉnh.\n"
)

# (paragraph, assignees, coordinators, report_to, due)
ITEMS = [
    ("Giao Sở Y tế chủ trì, phối hợp với Sở Tài chính tham mưu Ủy ban nhân dân tỉnh ban hành kế hoạch, "
     "hoàn thành trước ngày 30/4/2026.",
     ["Sở Y tế"], ["Sở Tài chính"], ["Ủy ban nhân dân tỉnh"], "2026-04-30"),
    ("Công an tỉnh phối hợp với Bộ Chỉ huy Quân sự tỉnh bảo đảm an ninh trật tự; kết quả báo cáo về "
     "Văn phòng Ủy ban nhân dân tỉnh để tổng hợp.",
     ["Công an tỉnh"], ["Bộ Chỉ huy Quân sự tỉnh"], ["Văn phòng Ủy ban nhân dân tỉnh"], None),
    ("Sở Tài chính thẩm định, trình Ủy ban nhân dân tỉnh phê duyệt trong tháng 6 năm 2026.",
     ["Sở Tài chính"], [], ["Ủy ban nhân dân tỉnh"], "2026-06-30"),
    ("Sở Công Thương chủ trì, cùng Sở Tài chính, Cục Thuế tỉnh kiểm tra thị trường.",
     ["Sở Công Thương"], ["Sở Tài chính", "Cục Thuế tỉnh"], [], None),
    ("Giao Trung tâm Kiểm soát bệnh tật tỉnh làm đầu mối, phối hợp với các bệnh viện triển khai tiêm chủng.",
     ["Trung tâm Kiểm soát bệnh tật tỉnh"], ["các bệnh viện"], [], None),
    ("Văn phòng Ủy ban nhân dân tỉnh theo dõi, đôn đốc việc thực hiện, tổng hợp báo cáo Chủ tịch Ủy ban nhân dân tỉnh.",
     ["Văn phòng Ủy ban nhân dân tỉnh"], [], ["Ủy ban nhân dân tỉnh"], None),
]


def _tasks(text: str) -> list[tuple]:
    rec = extract_text(text)
    return [([a["name"] for a in o["assignees"]], [a["name"] for a in o["coordinators"]],
             [a["name"] for a in o["report_to"]], (o["deadline"] or {}).get("due"))
            for o in rec["obligations"]]


def test_numbered_items_under_a_lead_in():
    body = "Để triển khai hiệu quả, Ủy ban nhân dân tỉnh chỉ đạo như sau:\n" + "\n".join(
        f"{i}. {p}" for i, (p, *_rest) in enumerate(ITEMS, 1))
    assert _tasks(HEADER + body + "\n") == [tuple(x[1:]) for x in ITEMS]


def test_the_same_items_without_numbers():
    # a web copy or a .docx with automatic numbering loses the "1.", "2.": after a lead-in that
    # points at what follows, each paragraph that opens with agencies and an action is an item
    body = "Để triển khai hiệu quả, Chủ tịch Ủy ban nhân dân tỉnh yêu cầu:\n" + "\n".join(p for p, *_ in ITEMS)
    assert _tasks(HEADER + body + "\n") == [tuple(x[1:]) for x in ITEMS]


@pytest.mark.parametrize("paragraph", [
    # without a lead-in that points at them, agency + verb sentences may be narration
    "Sở Y tế phối hợp với Sở Tài chính tổ chức hội nghị tập huấn cho cán bộ y tế cơ sở.",
    "Công an tỉnh triển khai đợt cao điểm tấn công trấn áp tội phạm.",
])
def test_agency_and_verb_alone_is_no_task(paragraph):
    # in a news page (no letter header) they may be narration; a letter's body gives duties so
    # (test_a_plan_with_attribute_lines_aims_and_a_closing_paragraph)
    assert _tasks("Trong thời gian qua, tình hình trên địa bàn cơ bản ổn định.\n" + paragraph + "\n") == []


TELEGRAM = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG BÌNH
Số: 21/CĐ-UBND
Quảng Bình, ngày 27 tháng 10 năm 2020
CÔNG ĐIỆN
Về việc chủ động ứng phó với bão số 9
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH điện:
- Giám đốc các Sở, Thủ trưởng các ban, ngành cấp tỉnh;
- Giám đốc Công an tỉnh;
- Chủ tịch UBND các huyện, thị xã, thành phố.
Theo tin của Trung tâm Dự báo khí tượng thủy văn quốc gia, bão số 9 đang di chuyển nhanh.
Để chủ động ứng phó với bão số 9, Chủ tịch UBND tỉnh yêu cầu:
1. Chủ tịch UBND các huyện, thị xã, thành phố tổ chức sơ tán người dân, hoàn thành trước 17 giờ ngày 28/10/2020.
2. Công an tỉnh bố trí lực lượng bảo đảm an ninh trật tự tại nơi sơ tán.
"""


def test_a_telegram_addresses_its_recipients_and_they_are_no_tasks():
    rec = extract_text(TELEGRAM)
    assert rec["doc_type"] == "cong_dien"
    full = [(a["head"] + " " if a["head"] else "") + a["name"] for a in rec["recipients"]]
    assert full == ["Giám đốc các Sở", "Thủ trưởng các ban, ngành cấp tỉnh", "Giám đốc Công an tỉnh",
                    "Chủ tịch Ủy ban nhân dân các huyện, thị xã, thành phố"]
    assert [(o["label"], [a["name"] for a in o["assignees"]]) for o in rec["obligations"]] == [
        ("1", ["Ủy ban nhân dân các huyện, thị xã, thành phố"]), ("2", ["Công an tỉnh"])]


NEWS = """(Baoquangngai.vn) - Ngày 3-11, UBND tỉnh Quảng Ngãi ban hành Công văn số 512/UBND-KGVX về phòng, chống dịch sốt xuất huyết.
Theo đó, UBND tỉnh yêu cầu các sở, ngành và địa phương tăng cường kiểm tra, giám sát ổ dịch.
Thứ hai, Trung tâm Kiểm soát bệnh tật tỉnh bố trí đủ hóa chất, tổ chức phun diệt muỗi tại các ổ dịch.
"Chúng tôi đã lấy hơn 120 mẫu xét nghiệm", ông Nguyễn Văn A, Giám đốc Sở Y tế cho biết.
"""


def test_a_news_page_hands_out_duties_after_it_addresses_agencies():
    rec = extract_text(NEWS)
    assert rec["issued_date"] is None or rec["issued_date"].endswith("-11-03")
    assert [[a["name"] for a in o["assignees"]] for o in rec["obligations"]] == [
        ["các sở, ngành và địa phương"], ["Trung tâm Kiểm soát bệnh tật tỉnh"]]


@pytest.mark.parametrize("lead", [
    "(Baoquangngai.vn) - UBND tỉnh vừa yêu cầu các sở, ngành và địa phương tăng cường kiểm tra chất lượng nước sạch.",
    "TTO - Chủ tịch UBND tỉnh yêu cầu các sở, ngành và địa phương tăng cường kiểm tra chất lượng nước sạch.",
])
def test_a_news_summary_lead_is_no_task(lead):
    body = ("Theo đó, UBND tỉnh yêu cầu Sở Y tế chủ trì kiểm tra chất lượng nước sạch tại các nhà máy nước.\n"
            "Trung tâm Kiểm soát bệnh tật tỉnh tổ chức lấy mẫu xét nghiệm định kỳ hằng tháng.\n")
    rec = extract_text(lead + "\n" + body)
    assert [[a["name"] for a in o["assignees"]] for o in rec["obligations"]] == [
        ["Sở Y tế"], ["Trung tâm Kiểm soát bệnh tật tỉnh"]]


PLAN = """ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG
Số: 312/KH-UBND
Lâm Đồng, ngày 20 tháng 8 năm 2025
KẾ HOẠCH
Phát triển khoa học, công nghệ và chuyển đổi số năm 2025
I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao nhận thức của cán bộ, công chức về chuyển đổi số.
2. Phân công rõ cơ quan chủ trì, thời hạn hoàn thành từng nhiệm vụ.
II. NHIỆM VỤ
1. Xây dựng cơ sở dữ liệu dùng chung của tỉnh.
- Cơ quan chủ trì: Sở Khoa học và Công nghệ.
- Cơ quan phối hợp: Sở Tài chính, Sở Tư pháp.
- Thời gian hoàn thành: Quý IV/2025.
2. Số hóa hồ sơ thủ tục hành chính.
- Cơ quan chủ trì: Văn phòng Ủy ban nhân dân tỉnh.
- Cơ quan phối hợp: các sở, ban, ngành.
- Thời gian hoàn thành: Tháng 11/2025.
III. TỔ CHỨC THỰC HIỆN
Các sở, ban, ngành căn cứ nhiệm vụ được giao tổ chức triển khai thực hiện.
Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị báo cáo về Sở Khoa học và Công nghệ để tổng hợp.
"""


def test_a_plan_with_attribute_lines_aims_and_a_closing_paragraph():
    rec = extract_text(PLAN)
    got = [(o["label"], [a["name"] for a in o["assignees"]], [a["name"] for a in o["coordinators"]],
            [a["name"] for a in o["report_to"]], (o["deadline"] or {}).get("due")) for o in rec["obligations"]]
    assert got == [
        # the aims under "I. MỤC ĐÍCH, YÊU CẦU" are no tasks
        ("II.1", ["Sở Khoa học và Công nghệ"], ["Sở Tài chính", "Sở Tư pháp"], [], "2025-12-31"),
        ("II.2", ["Văn phòng Ủy ban nhân dân tỉnh"], ["các sở, ban, ngành"], [], "2025-11-30"),
        (None, ["các sở, ban, ngành"], [], [], None),
        # the closing paragraph is a task of its own, not part of the last item
        (None, ["các cơ quan, đơn vị"], [], ["Sở Khoa học và Công nghệ"], None),
    ]


DECISION = """ỦY BAN NHÂN DÂN TỈNH GIA LAI
Số: 812/QĐ-UBND
Gia Lai, ngày 15 tháng 9 năm 2025
QUYẾT ĐỊNH
Về việc thành lập Ban Chỉ đạo chuyển đổi số tỉnh
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH
QUYẾT ĐỊNH:
Điều 1. Thành lập Ban Chỉ đạo chuyển đổi số tỉnh, gồm các thành viên sau:
1. Trưởng ban: Chủ tịch Ủy ban nhân dân tỉnh.
2. Phó Trưởng ban: Giám đốc Sở Khoa học và Công nghệ.
Điều 2. Nhiệm vụ, quyền hạn của Ban Chỉ đạo
1. Chỉ đạo xây dựng kế hoạch chuyển đổi số hằng năm của tỉnh.
2. Được quyền yêu cầu các cơ quan, đơn vị cung cấp thông tin phục vụ hoạt động của Ban Chỉ đạo.
3. Định kỳ 6 tháng báo cáo Ủy ban nhân dân tỉnh kết quả thực hiện.
Điều 3. Quyết định này có hiệu lực kể từ ngày ký.
"""


def test_a_decision_founding_a_body_gives_its_duties_only():
    # the founding clause and its members are the issuer's act, a right is no duty, and the
    # duties under "Nhiệm vụ, quyền hạn của Ban Chỉ đạo" are the Ban Chỉ đạo's
    rec = extract_text(DECISION)
    assert [(o["label"], [a["name"] for a in o["assignees"]]) for o in rec["obligations"]] == [
        ("Điều 2.1", ["Ban Chỉ đạo"]), ("Điều 2.3", ["Ban Chỉ đạo"])]


def test_documents_listed_below_a_portal_copy_are_not_cited():
    # a portal's "Các văn bản khác" list below the signature: no references, no tasks
    text = (HEADER + "Thực hiện Công văn số 2350/BNNMT-QLĐĐ ngày 05/3/2026 của Bộ Nông nghiệp và Môi trường, "
            "Ủy ban nhân dân tỉnh yêu cầu các sở, ban, ngành rà soát dữ liệu đất đai.\n"
            "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn A\n"
            "Lượt xem: 1.245 | In bài | Chia sẻ\nCác văn bản khác\n"
            "- Chỉ thị số 08/CT-UBND ngày 02/5/2025 về tăng cường quản lý trật tự xây dựng\n"
            "- Kế hoạch số 1204/KH-UBND ngày 03/4/2025 về công tác gia đình\n")
    rec = extract_text(text)
    assert [r["number"] for r in rec["references"]] == ["2350/BNNMT-QLĐĐ"]
    assert len(rec["obligations"]) == 1


def test_related_articles_end_a_news_page():
    text = ("Đà Nẵng kiểm định chung cư cũ\n"
            "Chủ tịch UBND thành phố yêu cầu Sở Xây dựng tổ chức kiểm tra, đánh giá chất lượng các chung cư cũ "
            "trước ngày 30/9/2020.\n"
            "Các tin, bài đã đưa\n"
            "- Di dời khẩn cấp 12 hộ dân khỏi chung cư nguy hiểm trên đường Hùng Vương (20/08/2020)\n"
            "- Chủ động phòng, chống thiên tai năm 2020 (05/05/2020)\n")
    rec = extract_text(text)
    assert [o["text"][:30] for o in rec["obligations"]] == ["Chủ tịch UBND thành phố yêu cầ"]


def test_section_title_toward_an_agency_passes_it_down():
    # "II. ĐỐI VỚI KHO BẠC NHÀ NƯỚC" (no colon, in capitals) says who does the items under it
    text = (HEADER + "Bộ Tài chính hướng dẫn một số nội dung như sau:\n"
            "I. ĐỐI VỚI KHO BẠC NHÀ NƯỚC\n"
            "1. Kiểm soát, thanh toán vốn ngay khi nhận đủ hồ sơ hợp lệ của chủ đầu tư.\n"
            "2. Định kỳ hằng tuần, tổng hợp số liệu giải ngân, gửi Bộ Tài chính.\n"
            "II. Đối với Sở Tài chính các tỉnh, thành phố\n"
            "1. Phối hợp với Kho bạc Nhà nước đối chiếu số liệu giải ngân của từng dự án.\n")
    assert [t[0] for t in _tasks(text)] == [["Kho bạc Nhà nước"]] * 2 + [["Sở Tài chính các tỉnh, thành phố"]]


@pytest.mark.parametrize("closing", [
    "Yêu cầu Giám đốc Bảo hiểm xã hội tỉnh tổ chức thực hiện nghiêm túc.",
    "Sở Y tế đề nghị Thủ trưởng các đơn vị, Chủ tịch UBND các xã, phường quan tâm, phối hợp triển khai thực hiện.",
    "Bộ Tài chính đề nghị các Bộ, cơ quan trung ương và Ủy ban nhân dân các tỉnh, thành phố quan tâm chỉ đạo thực hiện.",
])
def test_closing_formula_is_no_task_but_its_addressee_frames_the_next_sentence(closing):
    text = (HEADER + "1. Sở Y tế rà soát danh sách cơ sở khám bệnh, chữa bệnh trên địa bàn.\n"
            + closing + " Trong quá trình thực hiện, nếu có vướng mắc, báo cáo về Sở Y tế để được hướng dẫn.\n")
    tasks = _tasks(text)
    assert len(tasks) == 2
    assert tasks[1][2] == ["Sở Y tế"]


def test_a_closing_that_names_a_lead_is_a_task():
    text = HEADER + "Đề nghị Sở Y tế chủ trì, phối hợp với Sở Tài chính triển khai thực hiện.\n"
    assert _tasks(text) == [(["Sở Y tế"], ["Sở Tài chính"], [], None)]


def test_sub_items_a1_under_a_are_tasks_of_their_own():
    text = (HEADER + "Bảo hiểm xã hội tỉnh thực hiện như sau:\n"
            "a) Đối với người hưởng đăng ký nhận qua tài khoản cá nhân:\n"
            "a.1) Phòng Chế độ kiểm tra thông tin tài khoản chậm nhất ngày 20 hằng tháng.\n"
            "a.2) Phòng Kế hoạch - Tài chính chuyển tiền vào tài khoản của người hưởng trước ngày 02 hằng tháng.\n"
            "b) Đối với số tiền bị ngân hàng chuyển trả lại:\n"
            "b.1) Bảo hiểm xã hội huyện liên hệ với người hưởng để xác minh.\n")
    rec = extract_text(text)
    assert [o["label"] for o in rec["obligations"]] == ["a.a.1", "a.a.2", "b.b.1"]


def test_an_opening_that_only_cites_documents_is_no_task():
    text = (HEADER + "Thực hiện Công văn số 2350/BNNMT-QLĐĐ ngày 15/8/2025 của Bộ Nông nghiệp và Môi trường về việc "
            "cập nhật hồ sơ địa chính; Kế hoạch số 56/KH-UBND ngày 28/7/2025 của UBND tỉnh về cơ sở dữ liệu đất đai.\n"
            "Ủy ban nhân dân tỉnh yêu cầu Sở Nông nghiệp và Môi trường hoàn thành việc chỉnh lý hồ sơ trước ngày 31/10/2026.\n")
    assert _tasks(text) == [(["Sở Nông nghiệp và Môi trường"], [], [], "2026-10-31")]


def test_an_opening_with_its_own_subject_is_a_task():
    text = HEADER + "Thực hiện Kế hoạch số 56/KH-UBND ngày 28/7/2025, Sở Tài chính bố trí kinh phí trước ngày 30/9/2026.\n"
    assert _tasks(text) == [(["Sở Tài chính"], [], [], "2026-09-30")]


def test_a_negated_item_is_a_task_and_the_summing_up_ends_the_last_item():
    text = (HEADER + "Ủy ban nhân dân tỉnh yêu cầu các trường thực hiện các nội dung sau:\n"
            "1. Tu sửa, vệ sinh trường lớp; hoàn thành trước ngày 30/8/2026.\n"
            "2. Không tổ chức thu các khoản ngoài quy định trong dịp đầu năm học.\n"
            "Trên đây là Kế hoạch tổ chức Lễ khai giảng, UBND tỉnh yêu cầu các đơn vị triển khai thực hiện. "
            "Quá trình thực hiện, có khó khăn, vướng mắc báo cáo về Sở Giáo dục và Đào tạo để giải quyết./.\n")
    rec = extract_text(text)
    got = [(o["text"][:25], o["type"], [a["name"] for a in o["report_to"]]) for o in rec["obligations"]]
    assert got == [("Tu sửa, vệ sinh trường lớ", "implement", []),
                   ("Không tổ chức thu các kho", "prohibit", []),
                   ("Quá trình thực hiện, có k", "report", ["Sở Giáo dục và Đào tạo"])]


@pytest.mark.parametrize("line", [
    "Trong quá trình thực hiện, nếu cần trao đổi thêm thông tin, đề nghị liên hệ Cục Môi trường "
    "(bà Nguyễn Thị Thu Hà, điện thoại: 024.3795 6868) để được hướng dẫn.",
    "Không thống nhất đề xuất của UBND xã Tiến Thành về việc tập kết đá hộc tại bãi sông.",
    "Tuyên truyền, vận động nông dân thực hiện đúng hợp đồng đã ký, không bán lúa non.",
])
def test_contact_lines_and_refusals_are_no_tasks_but_a_deed_done_in_the_object_is(line):
    text = HEADER + "1. Sở Y tế rà soát danh sách cơ sở khám bệnh, chữa bệnh.\n2. " + line + "\n"
    n = len(extract_text(text)["obligations"])
    assert n == (2 if "hợp đồng đã ký" in line else 1)


def test_headings_that_name_the_body_over_prose_paragraphs():
    # "1. Phòng Y tế huyện" then its duties in paragraphs: one task per heading, the heading's body acts,
    # and a sentence broken after "chỉ đạo" goes on on the next line
    text = (HEADER + "III. TỔ CHỨC THỰC HIỆN\n"
            "1. Phòng Y tế huyện\n"
            "Chủ trì, phối hợp với các phòng, ban, ngành liên quan tham mưu UBND huyện tổ chức Lễ phát động.\n"
            "Tổng hợp kết quả, báo cáo UBND huyện trước ngày 25/5/2026.\n"
            "2. Trung tâm Y tế huyện\n"
            "Chỉ đạo các trạm y tế xã tăng cường giám sát, phát hiện sớm các vụ ngộ độc thực phẩm.\n"
            "3. Đài Truyền thanh huyện\n"
            "Xây dựng chuyên mục, tăng thời lượng tuyên truyền về an toàn thực phẩm trên sóng của Đài; chỉ đạo\n"
            "Đài Truyền thanh các xã tiếp sóng các thông điệp về an toàn thực phẩm.\n")
    rec = extract_text(text)
    got = [(o["label"], [a["name"] for a in o["assignees"]]) for o in rec["obligations"]]
    assert got == [("III.1", ["Phòng Y tế huyện"]), ("III.2", ["Trung tâm Y tế huyện"]),
                   ("III.3", ["Đài Truyền thanh huyện"])]
    assert rec["obligations"][0]["deadline"]["due"] == "2026-05-25"


_STORM_NEWS = (
    "Bình Định ứng phó áp thấp nhiệt đới\n"
    "(BĐ) - Chiều 25/10, Chủ tịch UBND tỉnh đã ký Công điện số 09/CĐ-UBND yêu cầu các sở, ngành, địa phương "
    "triển khai khẩn cấp các biện pháp ứng phó với áp thấp nhiệt đới.\n"
    "{link}\n"
    "Chủ tịch UBND tỉnh yêu cầu Bộ Chỉ huy Bộ đội Biên phòng tỉnh chủ trì, phối hợp với UBND các huyện ven biển "
    "kiểm soát chặt chẽ việc ra khơi của tàu thuyền; kể từ 12 giờ ngày 26/10/2023, không cho tàu cá ra khơi cho "
    "đến khi áp thấp nhiệt đới suy yếu. Đài Phát thanh và Truyền hình Bình Định, Báo Bình Định tăng thời lượng, "
    "đưa tin kịp thời về diễn biến áp thấp nhiệt đới và hướng dẫn người dân kỹ năng phòng tránh.\n"
)


def test_one_related_link_inside_a_news_page_does_not_end_it():
    """"Xem thêm: <title>" between two paragraphs of the article is one link; the article goes on (and
    the news reports a duty in the frame "X, Y + verb" without a modal word)."""
    rec = extract_text(_STORM_NEWS.format(link="Xem thêm: Quy Nhơn: Di dời 126 hộ dân ở khu vực nguy cơ sạt lở"))
    assert [[a["name"] for a in o["assignees"]] for o in rec["obligations"]] == [
        ["Bộ Chỉ huy Bộ đội Biên phòng tỉnh"], ["Đài Phát thanh và Truyền hình Bình Định", "Báo Bình Định"]]


@pytest.mark.xfail(strict=True, reason="a box of related titles inside the article ('Xem thêm:' alone, titles "
                   "below) ends the page: after such a box, the article's prose is not yet told from teasers of "
                   "other articles, which would become tasks")
def test_a_box_of_related_links_inside_a_news_page_does_not_end_it():
    rec = extract_text(_STORM_NEWS.format(link="Xem thêm:\nBình Định cấm biển từ trưa 26/10\n"
                                                "Hồ Định Bình điều tiết nước đón lũ"))
    assert len(rec["obligations"]) == 2


def test_a_party_ket_luan_has_no_doc_type_outside_spec():
    """SPEC §6 has no slug for a party Kết luận (248-KL/TU): doc_type is null, with a warning, and a
    cited Kết luận keeps its number but no doc_type; the number is read all the same."""
    rec = extract_text(
        "TỈNH ỦY BẮC GIANG\nBAN THƯỜNG VỤ\n*\nSố 248-KL/TU\nBắc Giang, ngày 5 tháng 4 năm 2022\n\nKẾT LUẬN\n"
        "của Ban Thường vụ Tỉnh ủy về chương trình OCOP\n\nThực hiện Kết luận số 12-KL/TW ngày 3/1/2022 của "
        "Bộ Chính trị, Ban Thường vụ Tỉnh ủy kết luận:\n1. Ban cán sự đảng UBND tỉnh chỉ đạo rà soát các sản "
        "phẩm OCOP, báo cáo trước ngày 30/6/2022.\n")
    assert rec["number"] == "248-KL/TU" and rec["doc_type"] is None
    assert any("SPEC §6" in w for w in rec["warnings"])
    assert [(r["number"], r["doc_type"]) for r in rec["references"]] == [("12-KL/TW", None)]


@pytest.mark.parametrize("lead", [
    "Thực hiện Công văn số 3810/BNN-TY ngày 05/6/2020 của Bộ Nông nghiệp và Phát triển nông thôn, UBND tỉnh đề nghị "
    "các đơn vị, địa phương:",
    "Yêu cầu Ủy ban nhân dân các xã, phường:",
    "Thuế tỉnh Đồng Nai đề nghị các doanh nghiệp, tổ chức, hộ kinh doanh thực hiện:",
])
def test_a_lead_in_that_names_only_who_is_no_task_and_frames_the_items(lead):
    """"X đề nghị Y:" before a list only says who does the items (SPEC §3): no task of its own."""
    rec = extract_text(HEADER + lead + "\n1. Khẩn trương rà soát các hồ sơ tồn đọng, hoàn thành trước ngày 30/4/2026.\n"
                       "2. Tuyệt đối không để phát sinh hồ sơ quá hạn.\n")
    assert [o["text"][:12] for o in rec["obligations"]] == ["Khẩn trương ", "Tuyệt đối kh"]
    names = [a["name"] for a in rec["obligations"][0]["assignees"]]
    assert names and names == [a["name"] for a in rec["obligations"][1]["assignees"]]
    assert names[0].startswith(("các đơn vị", "Ủy ban nhân dân các xã", "các doanh nghiệp"))


def test_a_pointer_to_tasks_and_solutions_is_no_task():
    rec = extract_text(HEADER + "2. Thời gian tới, Ủy ban nhân dân tỉnh yêu cầu các sở, ban, ngành tập trung thực hiện "
                       "tốt một số nhiệm vụ, giải pháp sau:\n2.1. Rà soát các dự án chậm tiến độ.\n"
                       "2.2. Báo cáo kết quả trước ngày 30/4/2026.\n")
    assert [o["label"] for o in rec["obligations"]] == ["2.1", "2.2"]


def test_difficulties_closing_after_the_items_is_a_report_task():
    """"Trong quá trình thực hiện, nếu có vướng mắc, các đơn vị kịp thời báo cáo X ..." after the last item."""
    rec = extract_text(HEADER + "1. Rà soát hồ sơ tồn đọng.\nTrong quá trình thực hiện, nếu có vướng mắc, các đơn vị kịp "
                       "thời báo cáo Thuế tỉnh (qua Phòng Quản lý nợ) để được hướng dẫn.\n")
    last = rec["obligations"][-1]
    assert (last["type"], [a["name"] for a in last["assignees"]], [a["name"] for a in last["report_to"]]) == (
        "report", ["các đơn vị"], ["Thuế tỉnh"])


def test_a_sentence_going_on_with_dong_thoi_keeps_the_subject_before_it():
    rec = extract_text(HEADER + "Phòng Kinh tế khẩn trương thống kê diện tích lúa bị ngập úng, gửi Văn phòng trước ngày "
                       "20/3/2026. Đồng thời cử cán bộ xuống đồng hướng dẫn bà con tiêu thoát nước.\n")
    assert [[a["name"] for a in o["assignees"]] for o in rec["obligations"]] == [["Phòng Kinh tế"], ["Phòng Kinh tế"]]


def test_a_class_of_units_and_a_commune_closing():
    rec = extract_text(HEADER + "Các Trạm Chăn nuôi và Thú y khu vực hướng dẫn, giám sát Ủy ban nhân dân các xã thực hiện "
                       "các biện pháp an toàn sinh học.\nĐề nghị các bộ phận, các thôn khẩn trương thực hiện.\n")
    assert [[a["name"] for a in o["assignees"]] for o in rec["obligations"]] == [
        ["các Trạm Chăn nuôi và Thú y khu vực"]]


def test_a_news_brief_that_opens_a_sentence_with_the_letter_gives_its_number_and_date():
    """"Công văn số 2918/BYT-KCB do Thứ trưởng Y tế ký ngày 22/5, ..." in a news brief dated 23/5/2024: the
    reported letter's number and date (SPEC §2: a news page describes the directive it reports), not a
    reference; its year from the page."""
    rec = extract_text(
        "Sức khỏe › Tin tức\nThứ năm, 23/5/2024, 14:12 (GMT+7)\n\nBộ Y tế yêu cầu bệnh viện không để người bệnh "
        "tự mua thuốc\n\nBệnh viện phải bảo đảm đủ thuốc, vật tư trong danh mục bảo hiểm y tế chi trả, theo chỉ đạo "
        "mới của Bộ Y tế.\n\nCông văn số 2918/BYT-KCB do Thứ trưởng Y tế ký ngày 22/5, gửi Sở Y tế các tỉnh, thành "
        "phố, nêu thời gian qua một số cơ sở để người bệnh phải tự mua thuốc.\n\nSở Y tế các tỉnh, thành phố có "
        "trách nhiệm rà soát nhu cầu thuốc, báo cáo Bộ Y tế trước ngày 15/6.\n")
    assert (rec["format"], rec["number"], rec["issued_date"]) == ("news", "2918/BYT-KCB", "2024-05-22")
    assert rec["references"] == []
    assert rec["obligations"][-1]["deadline"]["due"] == "2024-06-15"


def test_a_news_dateline_after_a_source_mark_in_brackets():
    """"(BĐ) - Chiều 25/10, ..." with the year from the page's byline: the directive's date."""
    rec = extract_text(_STORM_NEWS.replace("(BĐ) - Chiều 25/10,", "Thứ Tư, 25/10/2023, 18:42 (GMT+7)\n(BĐ) - Chiều 25/10,")
                       .format(link="Xem thêm: Quy Nhơn: Di dời 126 hộ dân ở khu vực nguy cơ sạt lở"))
    assert rec["issued_date"] == "2023-10-25"


@pytest.mark.parametrize("head,issuer", [
    ("ĐẢNG BỘ TỈNH PHÚ YÊN\nHUYỆN ỦY PHÚ HÒA\n*\nSố 215-CV/HU", "Ban Thường vụ Huyện ủy Phú Hòa"),
    ("ĐẢNG BỘ TỈNH BẮC GIANG\nTỈNH ỦY\n*\nSố 248-CV/TU", "Ban Thường vụ Tỉnh ủy Bắc Giang"),
])
def test_a_standing_committee_signs_for_the_committee_of_the_header(head, issuer):
    rec = extract_text(head + "\nĐẢNG CỘNG SẢN VIỆT NAM\nPhú Yên, ngày 12 tháng 4 năm 2022\n\nKính gửi: Các chi bộ, "
                       "đảng bộ cơ sở.\n\nBan Thường vụ đề nghị các chi bộ, đảng bộ cơ sở rà soát danh sách đảng viên, "
                       "báo cáo trước ngày 30/4/2022.\n\nT/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\nNguyễn Văn A\n")
    assert rec["issuer"]["name"] == issuer


@pytest.mark.parametrize("head,issuer,kind", [
    # the office of a committee, its header a bare "VĂN PHÒNG" under the committee
    ("ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\nVĂN PHÒNG", "Văn phòng Ủy ban nhân dân tỉnh Nghệ An", "van_phong"),
    ("UBND TỈNH HƯNG YÊN\nVĂN PHÒNG", "Văn phòng Ủy ban nhân dân tỉnh Hưng Yên", "van_phong"),
    # a Sở or a Phòng under its committee: the committee's place completes its name
    ("UBND TỈNH LẠNG SƠN\nSỞ Y TẾ", "Sở Y tế tỉnh Lạng Sơn", "so"),
    ("UBND TỈNH CAO BẰNG\nSỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "Sở Nông nghiệp và Môi trường tỉnh Cao Bằng", "so"),
    # a body under a ministry keeps its own name; a committee is itself
    ("BỘ TÀI CHÍNH\nTỔNG CỤC HẢI QUAN", "Tổng cục Hải quan", "tong_cuc"),
    ("ỦY BAN NHÂN DÂN\nTỈNH HÀ NAM", "Ủy ban nhân dân tỉnh Hà Nam", "ubnd"),
    # the standing organ of a Front committee, under the committee's lines
    ("ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM\nTỈNH BÌNH ĐỊNH\nBAN THƯỜNG TRỰC",
     "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Bình Định", "mat_tran"),
])
def test_the_issuer_is_named_whole_from_the_header_lines(head, issuer, kind):
    rec = extract_text(head + "\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: 538/TB-VP\n"
                       "Hà Nội, ngày 12 tháng 11 năm 2025\n\nKính gửi: Các sở, ban, ngành.\n\nĐề nghị các sở, "
                       "ban, ngành rà soát hồ sơ, báo cáo trước ngày 30/11/2025.\n\nKT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n"
                       "Nguyễn Văn A\n")
    assert (rec["issuer"]["name"], rec["issuer"]["kind"]) == (issuer, kind)


def test_the_issuer_named_whole_still_speaks_in_its_short_name():
    """"Sở Y tế đề nghị ..." in a letter of the Sở Y tế tỉnh Lạng Sơn is the issuer speaking, and in a
    Văn phòng's notice "UBND huyện Sơn Hà chỉ đạo UBND các xã ..." is the district's duty."""
    rec = extract_text("UBND TỈNH LẠNG SƠN\nSỞ Y TẾ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
                       "Số: 1843/SYT-NVD\nLạng Sơn, ngày 12 tháng 7 năm 2024\n\nKính gửi: Các bệnh viện.\n\n"
                       "Sở Y tế đề nghị các bệnh viện rà soát danh mục thuốc, báo cáo trước ngày 20/7/2024.\n\n"
                       "GIÁM ĐỐC\nNguyễn Văn A\n")
    assert [[a["name"] for a in o["assignees"]] for o in rec["obligations"]] == [["các bệnh viện"]]
    rec = extract_text("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nVĂN PHÒNG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                       "Số: 4871/VP-CNXD\nQuảng Ngãi, ngày 12 tháng 11 năm 2019\n\nKính gửi: Các sở, ngành.\n\n"
                       "Chủ tịch UBND tỉnh có ý kiến như sau:\n\n1. Sở Tài chính chủ trì, phối hợp với Sở Giao thông vận "
                       "tải tham mưu UBND tỉnh bố trí kinh phí.\n\n2. UBND huyện Sơn Hà chỉ đạo UBND các xã Sơn Hạ, "
                       "Sơn Thành thông báo cho người dân không đi qua khu vực sạt lở.\n\nVăn phòng UBND tỉnh thông báo "
                       "để các cơ quan, đơn vị liên quan biết, thực hiện./.\n\nKT. CHÁNH VĂN PHÒNG\nNguyễn Văn B\n")
    assert [[a["name"] for a in o["assignees"]] for o in rec["obligations"]] == [
        ["Sở Tài chính"], ["Ủy ban nhân dân huyện Sơn Hà"]]


def test_a_short_title_over_dashed_items_is_no_task():
    """"1. Giám sát và xử lý ổ dịch" and "6. Báo cáo" over "-" items are titles (as "2. Tiêm chủng" is):
    the dashes are the tasks, each the addressee's."""
    rec = extract_text("BỘ Y TẾ\nSố: 3962/BYT-DP\nHà Nội, ngày 12 tháng 7 năm 2024\n\nKính gửi: Sở Y tế các tỉnh, thành "
                       "phố.\n\nBộ Y tế đề nghị Sở Y tế các tỉnh, thành phố thực hiện các nội dung sau:\n\n"
                       "1. Giám sát và xử lý ổ dịch\n- Tăng cường giám sát chủ động tại cộng đồng để phát hiện sớm ca "
                       "bệnh.\n- Điều tra dịch tễ, khoanh vùng, xử lý triệt để ổ dịch.\n\n2. Báo cáo\n- Tổng hợp tình "
                       "hình, gửi báo cáo về Bộ Y tế trước ngày 10/9/2024.\n\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nNguyễn Văn A\n")
    assert [o["text"][:20] for o in rec["obligations"]] == [
        "Tăng cường giám sát ", "Điều tra dịch tễ, kh", "Tổng hợp tình hình, "]
    assert all([a["name"] for a in o["assignees"]] == ["Sở Y tế các tỉnh, thành phố"] for o in rec["obligations"])


def test_a_short_title_over_a_paragraph_is_no_task():
    """"3. Chế độ báo cáo" with its paragraph below: the paragraph is the task, the title none."""
    rec = extract_text("TỈNH ĐOÀN BẾN TRE\nSố: 312-CV/TĐTN-PT\nBến Tre, ngày 20 tháng 5 năm 2019\n\nKính gửi: Ban Thường "
                       "vụ các huyện, thành đoàn.\n\n1. Tổ chức Lễ ra quân Chiến dịch cấp huyện chậm nhất trong ngày "
                       "02/6/2019.\n\n2. Chế độ báo cáo\nBan Thường vụ các huyện, thành đoàn báo cáo nhanh kết quả Lễ "
                       "ra quân về Ban Thường vụ Tỉnh đoàn trước ngày 05/6/2019.\n\nT/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\n"
                       "Nguyễn Văn A\n")
    assert [o["text"][:22] for o in rec["obligations"]] == ["Tổ chức Lễ ra quân Chi", "Ban Thường vụ các huyệ"]
    assert rec["obligations"][1]["deadline"]["due"] == "2019-06-05"


def test_a_closing_condition_before_its_subject_still_gives_the_duty():
    """"Trong quá trình thực hiện, nếu có vướng mắc, Thuế các tỉnh, thành phố báo cáo về Cục Thuế ...":
    the agency after the condition is told to report (and related-article links after the letter are
    no tasks)."""
    rec = extract_text("BỘ TÀI CHÍNH\nCỤC THUẾ\nSố: 4386/CT-CS\nHà Nội, ngày 12 tháng 11 năm 2025\n\nKính gửi: Thuế các "
                       "tỉnh, thành phố trực thuộc Trung ương.\n\n1. Rà soát hộ kinh doanh có doanh thu trên 1 tỷ đồng, "
                       "hoàn thành trước ngày 15/12/2025.\n\nTrong quá trình thực hiện, nếu có vướng mắc vượt thẩm quyền, "
                       "Thuế các tỉnh, thành phố báo cáo về Cục Thuế để được hướng dẫn giải quyết./.\n\nKT. CỤC TRƯỞNG\n"
                       "PHÓ CỤC TRƯỞNG\nVũ Văn A\n\nBài viết cùng chủ đề:\n- Hộ kinh doanh kê khai thuế thế nào từ ngày "
                       "01/01/2026?\n- Những lưu ý khi sử dụng hóa đơn điện tử\n")
    obs = rec["obligations"]
    assert [o["text"][:12] for o in obs] == ["Rà soát hộ k", "Trong quá tr"]
    assert [a["name"] for a in obs[1]["assignees"]] == ["Thuế các tỉnh, thành phố"]
    assert [a["name"] for a in obs[1]["report_to"]] == ["Cục Thuế"]


def test_a_notice_of_a_meeting_gives_the_preparation_only():
    """A Văn phòng's notice that a meeting moved: the invitation it recalls and its closing "thông báo để
    ... biết, bố trí thời gian tham dự./." are no tasks; preparing the report is."""
    rec = extract_text("UBND TỈNH NGHỆ AN\nVĂN PHÒNG\nSố: 186/TB-VPUB\nNghệ An, ngày 11 tháng 4 năm 2022\n\nTHÔNG BÁO\n"
                       "Về việc thay đổi thời gian họp\n\nTheo Giấy mời số 245/GM-VPUB ngày 08/4/2022 của Văn phòng UBND "
                       "tỉnh, đồng chí Phó Chủ tịch UBND tỉnh chủ trì họp nghe Sở Y tế báo cáo phương án vào 14 giờ "
                       "ngày 12/4/2022. Do thay đổi lịch công tác, cuộc họp chuyển sang 08 giờ ngày 15/4/2022.\n\n"
                       "Sở Y tế chuẩn bị đầy đủ nội dung báo cáo, gửi tài liệu về Văn phòng UBND tỉnh trước 16 giờ "
                       "ngày 13/4/2022.\n\nVăn phòng UBND tỉnh thông báo để các cơ quan, đơn vị biết, bố trí thời gian "
                       "tham dự./.\n\nKT. CHÁNH VĂN PHÒNG\nPHÓ CHÁNH VĂN PHÒNG\nNguyễn Văn A\n")
    assert [o["text"][:20] for o in rec["obligations"]] == ["Sở Y tế chuẩn bị đầy"]
    assert rec["obligations"][0]["deadline"]["due"] == "2022-04-13"


def test_bodies_of_the_city_that_inform_in_a_conclusion():
    """In a kết luận's prose, "Sở ..., các cơ quan báo chí của Thành phố thông tin kịp thời ..." names who
    acts (the "của Thành phố" that says whose they are is passed over) and is disseminate."""
    rec = extract_text("UBND THÀNH PHỐ HÀ NỘI\nVĂN PHÒNG\nSố: 412/TB-VP\nHà Nội, ngày 18 tháng 10 năm 2024\n\nTHÔNG BÁO\n"
                       "Kết luận của Chủ tịch UBND Thành phố tại cuộc họp về ùn tắc giao thông\n\nSở Giao thông vận tải "
                       "chủ trì rà soát phương án phân luồng, báo cáo UBND Thành phố trước ngày 30/10/2024.\n\n"
                       "Sở Thông tin và Truyền thông, các cơ quan báo chí của Thành phố thông tin kịp thời về phương án "
                       "phân luồng để người dân chủ động lựa chọn lộ trình phù hợp.\n\nKT. CHÁNH VĂN PHÒNG\nNguyễn Văn A\n")
    obs = rec["obligations"]
    assert [o["text"][:18] for o in obs] == ["Sở Giao thông vận ", "Sở Thông tin và Tr"]
    assert [a["name"] for a in obs[1]["assignees"]] == ["Sở Thông tin và Truyền thông", "các cơ quan báo chí"]
    assert obs[1]["type"] == "disseminate"


def test_a_portal_item_dates_its_directive_from_the_lede():
    """"(Cổng TTĐT) - Ngày 14/3/2022, Chủ tịch UBND tỉnh ... đã ký ban hành Chỉ thị số 05/CT-UBND": the
    directive's date; the province from the portal's masthead in capitals."""
    rec = extract_text("CỔNG THÔNG TIN ĐIỆN TỬ TỈNH QUẢNG BÌNH\nTrang chủ | Tin tức - Sự kiện\n\nTăng cường quản lý "
                       "khai thác cát, sỏi lòng sông\n\nCập nhật: 15/03/2022 09:20\n\n(Cổng TTĐT) - Ngày 14/3/2022, Chủ "
                       "tịch UBND tỉnh Trần Văn Tuấn đã ký ban hành Chỉ thị số 05/CT-UBND về tăng cường quản lý khai thác "
                       "cát, sỏi.\n\nTheo đó, Sở Xây dựng rà soát nhu cầu cát xây dựng, báo cáo UBND tỉnh trước ngày "
                       "30/4/2022.\n")
    assert (rec["format"], rec["number"], rec["issued_date"]) == ("news", "05/CT-UBND", "2022-03-14")
    assert rec["issuer"]["name"] == "Ủy ban nhân dân tỉnh Quảng Bình"
