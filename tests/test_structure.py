"""Header, signature, outline and sentence splitting on real phrases."""
import pytest

from extract.normalize import normalize
from extract.structure import outline_label, parse_structure, split_sentences
from conftest import raw_text


def _struct(name):
    text, _ = normalize(raw_text(name))
    return parse_structure(text)


# (file, number, place, date, subject starts with, recipients, issuer words)
HEADERS = [
    ("004_cbb06b3a45a81e29.txt", "493/UBND-KGVX", "An Giang", (2024, 4, 22), "tăng cường kỷ luật", 2, None),
    ("045_byt_627_byt_bh_dieu22_bhyt_2021.txt", "627/BYT-BH", "Hà Nội", (2021, 1, 27), "hướng dẫn thực hiện", 3, "BỘ Y TẾ"),
    ("202_bhxh_296_bhxh_csyt_dieu22_bhyt_2021.txt", "296/BHXH-CSYT", "Hà Nội", (2021, 2, 2), "hướng dẫn một số", 3, "BẢO HIỂM XÃ HỘI VIỆT NAM"),
    ("207_tchq_778_tchq_gsql_dieu41_luathq_2017.txt", "778/TCHQ-GSQL", "Hà Nội", (2017, 2, 13), "xử lý vướng mắc", 1, "BỘ TÀI CHÍNH TỔNG CỤC HẢI QUAN"),
    ("213_haugiang_454_ubnd_ncth_binhchon_halong_2011.txt", "454/UBND-NCTH", "Vị Thanh", (2011, 4, 6), "tiếp tục phối hợp", 4, "ỦY BAN NHÂN DÂN TỈNH HẬU GIANG"),
    ("214_haugiang_chauthanh_476_ubnd_sotxuathuyet_2017.txt", "476/UBND", "Châu Thành", (2017, 6, 14), "hưởng ứng ngày ASEAN", 3, "ỦY BAN NHÂN DÂN HUYỆN CHÂU THÀNH"),
    ("215_ttg_1631_ttg_kgvx_benhvien_timmach_angiang_2010.txt", "1631/TTg-KGVX", "Hà Nội", (2010, 9, 16), None, 1, "THỦ TƯỚNG CHÍNH PHỦ"),
    ("222_vpcp_2257_vpcp_vx_qd28_bvhtt_2003.txt", "2257/VPCP-VX", "Hà Nội", (2003, 5, 9), "kiến nghị sửa lại", 2, "VĂN PHÒNG CHÍNH PHỦ"),
    ("008_thanhhoa_ct15_ct_ubnd_dautucong_2019.txt", "15/CT-UBND", "Thanh Hóa", (2019, 10, 10), None, 0, "ỦY BAN NHÂN DÂN TỈNH THANH HÓA"),
    ("054_vpcp_6869_vpcp_kgvx_bentre_covid_2021.txt", "6869/VPCP-KGVX", "Hà Nội", (2021, 9, 25), None, 1, "VĂN PHÒNG CHÍNH PHỦ"),
    ("210_bhxh_qd1666_qd_bhxh_mauthe_bhyt_2020.txt", "1666/QĐ-BHXH", "Hà Nội", (2020, 12, 3), "BAN HÀNH MẪU THẺ", 0, "BẢO HIỂM XÃ HỘI VIỆT NAM"),
    # news and portal pages have no letter header
    ("000_df7476eb9f6607b2.txt", None, None, None, None, 0, None),
    ("001_quangtri_6202_ubnd_kt_2023.txt", None, None, None, None, 0, None),
    ("020_laichau_846_ubnd_th_giaingan_2019.txt", None, None, None, None, 0, None),
]


@pytest.mark.parametrize("name,number,place,date,subject,n_recipients,issuer", HEADERS)
def test_header(name, number, place, date, subject, n_recipients, issuer):
    h = _struct(name).header
    assert h.number == number
    assert h.place == place
    assert h.date == date
    if subject:
        assert h.subject and h.subject.startswith(subject)
    assert len(h.recipients) == n_recipients
    assert h.issuer_text == issuer


SIGNATURES = [
    ("004_cbb06b3a45a81e29.txt", "KT. Chủ tịch", "Phó Chủ tịch", "Lê Văn Phước"),
    ("045_byt_627_byt_bh_dieu22_bhyt_2021.txt", "KT. Bộ trưởng", "Thứ trưởng", "Nguyễn Trường Sơn"),
    ("202_bhxh_296_bhxh_csyt_dieu22_bhyt_2021.txt", "KT. Tổng giám đốc", "Phó Tổng giám đốc", "Phạm Lương Sơn"),
    ("213_haugiang_454_ubnd_ncth_binhchon_halong_2011.txt", "KT. Chủ tịch", "Phó Chủ tịch", "Trần Thành Lập"),
    ("222_vpcp_2257_vpcp_vx_qd28_bvhtt_2003.txt", "KT. Bộ trưởng, Chủ nhiệm VPCP", "Phó Chủ nhiệm", "Trần Quốc Toản"),
]


@pytest.mark.parametrize("name,authority,position,signer", SIGNATURES)
def test_signature(name, authority, position, signer):
    sig = _struct(name).signature
    assert (sig.authority, sig.position, sig.name) == (authority, position, signer)


def test_noi_nhan_lines_as_written():
    st = _struct("004_cbb06b3a45a81e29.txt")
    assert [c.text for c in st.cc][:2] == ["Như trên;", "TT: TU, HĐND, UBND tỉnh (để b/c);"]
    assert st.cc[-1].text == "Lưu: VT."


LABELS = [
    ("1. Tiếp tục quán triệt", ("num", "1")),
    ("a) Chủ động quyết định", ("alpha", "a")),
    ("đ) Đối với hồ sơ trình", ("alpha", "đ")),
    ("a.1) Sau khi nhận được tờ khai", ("alpha_num", "a.1")),
    ("b.2. Trường hợp phát hiện chi sai", ("alpha_num", "b.2")),
    ("- Văn bản trình của cơ quan", ("dash", "-")),
    ("+ Kiểm tra", ("plus", "+")),
    ("II. NHIỆM VỤ", ("roman", "II")),
    ("Điều 2. Tổ chức thực hiện", ("dieu", "Điều 2")),
    ("1.2. Sở Lao động", ("num_multi", "1.2")),
    ("3.4 Tuyên truyền", ("num_multi", "3.4")),
    ("19.4.2023 là ngày", None),
    ("846/UBND-TH ngày 21/5", None),
    ("33/TTr-SLĐTBXH ngày 16 tháng 4", None),  # a document number at the start of a wrapped line
    ("Ngày 21/5, UBND tỉnh", None),
]


@pytest.mark.parametrize("text,expected", LABELS)
def test_outline_label(text, expected):
    got = outline_label(text)
    assert (got[:2] if got else None) == expected


SENTENCES = [
    # dates, document numbers, TP.HCM, v.v. and abbreviations do not end a sentence
    ("Đó là tổ chức quán triệt Công điện số 280/CĐ-TTg ngày 19.4.2023 của Thủ tướng Chính phủ. Khắc phục ngay.", 2),
    ("Các tỉnh, TP.HCM và TP. Hà Nội triển khai. Báo cáo kết quả.", 2),
    ("Bảo đảm an toàn cho người, tàu thuyền v.v. trên biển. Sẵn sàng lực lượng.", 2),
    ("Trước ngày 23/5/2019. Yêu cầu gửi báo cáo về Sở Kế hoạch và Đầu tư trước ngày 23/5/2019.", 2),
    ("Không trình những công việc; không giải quyết các công việc; không lạm dụng.", 1),
    ("hoàn thành trước ngày 10/12/2023./.", 1),
]


@pytest.mark.parametrize("text,n", SENTENCES)
def test_split_sentences(text, n):
    got = split_sentences(text)
    assert len(got) == n
    for s, e, t in got:
        assert text[s:e] == t


def test_furniture_is_marked_not_removed():
    st = _struct("002_60d64e889c923f29.txt")
    furniture = [p for p in st.paragraphs if p.furniture]
    texts = " ".join(p.text for p in furniture)
    assert "Bản để in" in texts and "Copyright" in texts
    assert "Copyright" in st.text  # the text keeps it (SPEC §7)


def test_body_continues_after_signature_for_attached_plans():
    st = _struct("201_kontum_qd435_qd_ubnd_ctrhd_ct37_quanhelaodong_2020.txt")
    assert st.paragraphs[-1].end > len(st.text) * 0.9


@pytest.mark.parametrize("lead,issued", [
    ("HNP - Ngày 10/7, UBND thành phố Hà Nội ban hành Công văn số 3031/UBND-TKBT về nâng cao kỷ luật.", "2024-07-10"),
    ("Chiều nay 27.9, Chủ tịch UBND tỉnh ký Công điện khẩn số 03/CĐ-UBND yêu cầu ứng phó với bão.", "2024-09-27"),
    ("Sáng ngày 5/3, UBND tỉnh ban hành Công văn số 12/UBND-KT về phòng cháy.", "2024-03-05"),
])
def test_news_dateline_gives_the_issue_date(lead, issued):
    from extract.pipeline import extract_text

    text = lead + "\nTheo đó, các sở, ngành phải hoàn thành trước ngày 30/12/2024.\n"
    assert extract_text(text)["issued_date"] == issued


def test_a_telegram_opening_names_the_doc_type():
    from extract.pipeline import extract_text

    text = ("Thủ tướng Chính phủ điện: Bộ trưởng các bộ; Chủ tịch UBND các tỉnh, thành phố trực thuộc Trung ương.\n"
            "Để chủ động ứng phó với bão, Thủ tướng Chính phủ yêu cầu các bộ, địa phương theo dõi chặt chẽ diễn biến.\n")
    assert extract_text(text)["doc_type"] == "cong_dien"


_LETTER_LINES = [
    "ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH",
    "Số: 1528/QĐ-UBND",
    "Bình Định, ngày 06 tháng 5 năm 2021",
    "QUYẾT ĐỊNH",
    "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch thực hiện Chương trình phát triển công tác xã hội.",
    "Điều 2. Giao Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với các cơ quan, đơn vị, địa "
    "phương liên quan tổ chức triển khai thực hiện Kế hoạch này, báo cáo Ủy ban nhân dân tỉnh trước ngày "
    "15/12/2021.",
    "Điều 3. Yêu cầu Chủ tịch Ủy ban nhân dân các huyện, thị xã, thành phố chỉ đạo các phòng, ban chuyên "
    "môn phối hợp với Sở Lao động - Thương binh và Xã hội rà soát đối tượng trên địa bàn.",
]


def _wrap(lines, width):
    import textwrap

    return "\n".join(w for ln in lines for w in (textwrap.wrap(ln, width, break_on_hyphens=False) or [ln]))


@pytest.mark.parametrize("width", [60, 75, 90])
def test_a_hard_wrapped_letter_reads_as_the_same_letter(width):
    # a PDF's text layer or a letter typed with line breaks: lines end mid-sentence, a label
    # stands alone ("Điều 2."), a name breaks at its dash ("Lao động" / "- Thương binh ...")
    from extract.pipeline import extract_text

    def tasks(text):
        return [(o["label"], o["text"], [a["name"] for a in o["assignees"]],
                 [a["name"] for a in o["coordinators"]], [a["name"] for a in o["report_to"]],
                 (o["deadline"] or {}).get("due")) for o in extract_text(text)["obligations"]]

    plain = tasks("\n".join(_LETTER_LINES))
    assert [t[0] for t in plain] == ["Điều 2", "Điều 3"]
    text = _wrap(_LETTER_LINES, width).replace("Lao động - Thương", "Lao động\n- Thương", 1)
    assert "\n- Thương binh" in text
    assert tasks(text) == plain
    # and with the page numbers of a PDF between the lines, inside a paragraph or between two
    lines = text.split("\n")
    for k, page in ((len(lines) - 2, "- 3 -"), (len(lines) // 2, "2"), (6, "Trang 1")):
        lines.insert(k, page)
    assert tasks("\n".join(lines)) == plain


def test_a_wrapped_paragraph_is_read_as_one_line_and_written_as_it_was():
    from extract.pipeline import extract_text

    from extract.normalize import normalize

    text, _ = normalize(_wrap(_LETTER_LINES, 70))
    rec = extract_text(text, with_text=True)
    assert rec["text"] == text and text.count("\n") > 10  # line breaks kept (SPEC §7)
    spans = [(a["span"], a["text"]) for o in rec["obligations"] for a in o["assignees"] + o["coordinators"]]
    spans += [(r["mentions"][0], r["text"]) for r in rec["references"]]
    assert spans and all(text[s:e] == t for (s, e), t in spans)
    assert any("\n" in t for _, t in spans)  # a name broken over two lines, as written


def test_an_annex_title_below_the_body_is_not_the_letters_title():
    from extract.structure import parse_header

    body = "Thực hiện chỉ đạo của Chính phủ, Bộ Nội vụ đề nghị các bộ, ngành báo cáo kết quả. " * 12
    text = ("BỘ NỘI VỤ\nSố: 6789/BNV-TCBC\nHà Nội, ngày 10 tháng 11 năm 2024\nV/v báo cáo tinh giản biên chế\n"
            "Kính gửi: Các bộ, cơ quan ngang bộ.\n" + body + "\nPhụ lục\nBÁO CÁO KẾT QUẢ THỰC HIỆN TINH GIẢN BIÊN CHẾ\n")
    h = parse_header(text)
    assert h.title is None
    assert h.subject == "báo cáo tinh giản biên chế"


def test_a_running_header_next_to_page_numbers_is_dropped_in_wrapped_text():
    # a PDF copied as text: lines broken near 80 characters, a header line and "Trang N/M" at each page break
    from extract import extract_text

    words = ("Sở Tài chính chủ trì, phối hợp với các sở, ngành rà soát toàn bộ trụ sở làm việc dôi dư sau sắp "
             "xếp đơn vị hành chính, đề xuất phương án xử lý, báo cáo Ủy ban nhân dân tỉnh trước ngày 15/02/2026. ")
    import textwrap

    lines = textwrap.wrap(words * 14, 80)
    out = []
    for k, ln in enumerate(lines):
        out.append(ln)
        if k in (12, 26):
            out += ["Trang %d/3" % (2 if k == 12 else 3), "UBND TỈNH NGHỆ AN - VĂN PHÒNG"]
    text = "UBND TỈNH NGHỆ AN\nSố: 46/TB-VPUB\nNghệ An, ngày 20 tháng 1 năm 2026\nChủ tịch UBND tỉnh yêu cầu:\n1. " + "\n".join(out) + "\n"
    rec = extract_text(text, with_text=True)
    assert [o["label"] for o in rec["obligations"]] == ["1"]
    assert "VĂN PHÒNG" not in rec["obligations"][0]["text"] and "Trang" not in rec["obligations"][0]["text"]


def test_a_running_header_on_two_pages_one_numbered_is_dropped():
    # the header line stands above the first page too (no number there) and after the page number "2"
    from extract import extract_text
    import textwrap

    words = ("Sở Xây dựng chủ trì, phối hợp với các sở, ngành tham mưu Ủy ban nhân dân thành phố ban hành quy định "
             "phân cấp quản lý trật tự xây dựng trên địa bàn thành phố; ")
    lines = textwrap.wrap(words * 8 + "hoàn thành trước ngày 15/12/2025.", 75)
    head = "UBND TP. HẢI PHÒNG - CÔNG VĂN SỐ 4527/UBND-XD NGÀY 20/11/2025"
    lines[9:9] = ["2", head]
    text = (head + "\nỦY BAN NHÂN DÂN\nTHÀNH PHỐ HẢI PHÒNG\nSố: 4527/UBND-XD\nHải Phòng, ngày 20 tháng 11 năm 2025\n"
            "Kính gửi: Các sở, ngành.\n1. " + "\n".join(lines) + "\n")
    rec = extract_text(text, with_text=True)
    assert [o["label"] for o in rec["obligations"]] == ["1"]
    assert "CÔNG VĂN SỐ" not in rec["obligations"][0]["text"]


@pytest.mark.parametrize("block,authority,position,name", [
    ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n(Đã ký)\nNguyễn Văn An", "KT. Chủ tịch", "Phó Chủ tịch", "Nguyễn Văn An"),
    # a Party letter: "T/M BAN THƯỜNG VỤ"
    ("T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\nTrần Thị Bình", "TM. Ban Thường vụ", "Phó Bí thư", "Trần Thị Bình"),
])
def test_signature_blocks_of_copies_and_party_letters(block, authority, position, name):
    from extract import extract_text

    text = ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH\nSố: 12/UBND-TH\nQuảng Ninh, ngày 1 tháng 3 năm 2026\n"
            "Kính gửi: Sở Y tế.\n1. Sở Y tế báo cáo trước ngày 10/3/2026.\n" + block + "\nNơi nhận:\n- Như trên;\n")
    assert extract_text(text)["signer"] == {"name": name, "position": position, "authority": authority}
