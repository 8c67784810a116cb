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
    assert _tasks(HEADER + "Trong thời gian qua, tình hình trên địa bàn cơ bản ổn định.\n" + paragraph + "\n") == []
