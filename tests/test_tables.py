"""Task tables (extract/tables.py): a header row names the columns, each row is one task whose
assignees, coordinators and deadline come from its cells.  The same plan is read from a .docx
table, an HTML table and a text file with tab-separated cells."""
from __future__ import annotations

import io

import pytest

from extract import extract_text
from extract.batch import Options, process_one
from extract.tables import column_roles, split_cells

HEAD = ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH", "Số: 45/KH-UBND", "Quảng Ninh, ngày 10 tháng 3 năm 2026",
        "KẾ HOẠCH", "Triển khai chuyển đổi số năm 2026", "I. MỤC ĐÍCH, YÊU CẦU",
        "Nâng cao hiệu quả chuyển đổi số trong các cơ quan nhà nước.", "II. NHIỆM VỤ CỤ THỂ")
ROWS = [
    ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"],
    ["I", "Nhóm nhiệm vụ về thể chế", "", "", ""],
    ["1", "Xây dựng kế hoạch chuyển đổi số của ngành", "Sở Khoa học và Công nghệ", "Các sở, ban, ngành", "Quý II/2026"],
    ["2", "Rà soát, cắt giảm thủ tục hành chính", "Văn phòng Ủy ban nhân dân tỉnh", "Sở Tư pháp", "Trước ngày 30/6/2026"],
    ["3", "Tuyên truyền về chuyển đổi số", "Sở Văn hóa, Thể thao và Du lịch", "", "Thường xuyên"],
]
TAIL = ("III. TỔ CHỨC THỰC HIỆN",
        "Các sở, ban, ngành báo cáo kết quả về Sở Khoa học và Công nghệ trước ngày 15/12/2026.")

EXPECTED = [
    ("I.1", "Xây dựng kế hoạch chuyển đổi số của ngành", ["Sở Khoa học và Công nghệ"],
     ["các sở, ban, ngành"], ("Quý II/2026", "2026-06-30")),
    ("I.2", "Rà soát, cắt giảm thủ tục hành chính", ["Văn phòng Ủy ban nhân dân tỉnh"], ["Sở Tư pháp"],
     ("Trước ngày 30/6/2026", "2026-06-30")),
    ("I.3", "Tuyên truyền về chuyển đổi số", ["Sở Văn hóa, Thể thao và Du lịch"], [], ("Thường xuyên", None)),
    (None, TAIL[1], ["các sở, ban, ngành"], [], ("trước ngày 15/12/2026", "2026-12-15")),
]


def _tasks(rec):
    return [(o["label"], o["text"], [a["name"] for a in o["assignees"]], [a["name"] for a in o["coordinators"]],
             o["deadline"] and (o["deadline"]["text"], o["deadline"]["due"])) for o in rec["obligations"]]


def _docx() -> bytes:
    docx = pytest.importorskip("docx")
    d = docx.Document()
    for t in HEAD:
        d.add_paragraph(t)
    table = d.add_table(rows=len(ROWS), cols=len(ROWS[0]))
    for i, row in enumerate(ROWS):
        for j, cell in enumerate(row):
            table.cell(i, j).text = cell
    for t in TAIL:
        d.add_paragraph(t)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _html() -> bytes:
    cells = "".join("<tr>" + "".join(f"<td><p>{c}</p></td>" for c in row) + "</tr>" for row in ROWS)
    body = "".join(f"<p>{t}</p>" for t in HEAD) + f"<table>{cells}</table>" + "".join(f"<p>{t}</p>" for t in TAIL)
    return f"<html><body><nav>Trang chủ</nav>{body}</body></html>".encode()


def _tsv() -> bytes:
    return "\n".join([*HEAD, *("\t".join(r) for r in ROWS), *TAIL, ""]).encode()


@pytest.mark.parametrize("name,make", [("plan.docx", _docx), ("plan.html", _html), ("plan.txt", _tsv)])
def test_a_task_table_gives_one_task_a_row(name, make, tmp_path):
    path = tmp_path / name
    path.write_bytes(make())
    [rec] = process_one(str(path), Options(with_text=True))
    assert _tasks(rec) == EXPECTED
    for o in rec["obligations"]:  # every text and deadline is where its span says
        assert rec["text"][o["span"][0]:o["span"][1]] == o["text"]
        if o["deadline"]:
            s, e = o["deadline"]["span"]
            assert rec["text"][s:e] == o["deadline"]["text"]


@pytest.mark.parametrize("header,roles", [
    ("TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành", ["no", "task", "who", "with", "when"]),
    ("STT | Nội dung công việc | Đơn vị thực hiện | Tiến độ | Sản phẩm", ["no", "task", "who", "when", None]),
    ("Nhiệm vụ, giải pháp | Cơ quan chủ trì, phối hợp | Thời hạn", ["task", "who", "when"]),
    ("Số TT | Tên nhiệm vụ | Chủ trì | Phối hợp | Thời gian thực hiện | Ghi chú", ["no", "task", "who", "with", "when", None]),
])
def test_header_cells_name_the_columns(header, roles):
    assert column_roles(split_cells(header, 0)) == roles


@pytest.mark.parametrize("line", [
    "ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |",   # a letterhead is no task table
    "Số: 881/QĐ-UBND | Đà Nẵng, ngày 25 tháng 02 năm 2019 |",
    "Nhiệm vụ | Kết quả | Ghi chú",                               # no column of who leads
])
def test_other_tables_are_not_task_tables(line):
    assert column_roles(split_cells(line, 0)) is None


def test_an_aim_under_a_purpose_heading_is_no_task():
    rec = extract_text("\n".join(HEAD[:7]) + "\n")
    assert rec["obligations"] == []


def test_numbered_group_rows_and_a_table_of_reports_due():
    text = ("ỦY BAN NHÂN DÂN HUYỆN MỘ ĐỨC\nSố: 18/KH-UBND\nMộ Đức, ngày 10 tháng 3 năm 2023\n"
            "Ủy ban nhân dân huyện giao nhiệm vụ như sau:\n"
            "TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian\n"
            "1 | Cải cách thể chế | | |\n"
            "1.1 | Rà soát văn bản quy phạm pháp luật | Phòng Tư pháp | Văn phòng HĐND và UBND huyện | Quý II/2023\n"
            "2 | Cải cách thủ tục hành chính | | |\n"
            "2.1 | Công khai thủ tục hành chính | Văn phòng HĐND và UBND huyện | | Thường xuyên\n"
            "Các đơn vị gửi báo cáo theo bảng sau:\n"
            "TT | Nội dung báo cáo | Mẫu | Thời hạn\n"
            "1 | Báo cáo kết quả cải cách hành chính quý | Mẫu số 01 | Trước ngày 15/6/2023\n")
    rec = extract_text(text)
    assert [(o["label"], o["text"], [a["name"] for a in o["assignees"]], (o["deadline"] or {}).get("due"))
            for o in rec["obligations"]][:3] == [
        ("1.1", "Rà soát văn bản quy phạm pháp luật", ["Phòng Tư pháp"], "2023-06-30"),
        ("2.1", "Công khai thủ tục hành chính", ["Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện"], None),
        ("1", "Báo cáo kết quả cải cách hành chính quý", ["các đơn vị"], "2023-06-15"),
    ]
