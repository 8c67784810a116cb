"""Agency recognition on real phrases from shared/seeds and shared/corpus/raw (SPEC §9)."""
import datetime
import time

import pytest

from extract.pipeline import extract_text

from extract.agencies import AgencyContext, expand, find_agencies, parse_agency, province_names

AG = AgencyContext(province="An Giang", issuer_level="province", issued_date=datetime.date(2024, 4, 22))
HN = AgencyContext(province="Hà Nội", issuer_level="province")

# (phrase, ctx, [(full_name, kind, level, collective, head)])
CASES = [
    ("Ủy ban nhân dân tỉnh yêu cầu Thủ trưởng các sở, ban, ngành, đoàn thể tỉnh và Chủ tịch Ủy ban nhân dân các huyện, thị xã, thành phố thực hiện tốt một số nội dung sau:", AG,
     [("Ủy ban nhân dân tỉnh", "ubnd", "province", False, None),
      ("Thủ trưởng các sở, ban, ngành, đoàn thể tỉnh", "so", "province", True, "Thủ trưởng"),
      ("Chủ tịch Ủy ban nhân dân các huyện, thị xã, thành phố", "ubnd", "district", True, "Chủ tịch")]),
    ("- Các sở, ban, ngành, đoàn thể tỉnh;", AG, [("các sở, ban, ngành, đoàn thể tỉnh", "so", "province", True, None)]),
    ("- Ủy ban nhân dân các huyện, thị xã, thành phố.", AG, [("Ủy ban nhân dân các huyện, thị xã, thành phố", "ubnd", "district", True, None)]),
    ("Sở Nội vụ khẩn trương tham mưu Ủy ban nhân dân tỉnh những giải pháp cụ thể", AG,
     [("Sở Nội vụ", "so", "province", False, None), ("Ủy ban nhân dân tỉnh", "ubnd", "province", False, None)]),
    ("Văn phòng Ủy ban nhân dân tỉnh thường xuyên theo dõi", AG, [("Văn phòng Ủy ban nhân dân tỉnh", "van_phong", "province", False, None)]),
    ("- TT: TU, HĐND, UBND tỉnh (để b/c);", AG,
     [("Tỉnh ủy", "dang", "province", False, None), ("Hội đồng nhân dân", "hdnd", "province", False, None),
      ("Ủy ban nhân dân tỉnh", "ubnd", "province", False, None)]),
    ("- Ban Tuyên giáo Tỉnh ủy;", AG, [("Ban Tuyên giáo Tỉnh ủy", "dang", "province", False, None)]),
    ("- UB MTTQ VN tỉnh;", AG, [("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "mat_tran", "province", False, None)]),
    ("- Lãnh đạo Văn phòng UBND tỉnh;", AG, [("Lãnh đạo Văn phòng Ủy ban nhân dân tỉnh", "van_phong", "province", False,
                                          "Lãnh đạo")]),
    ("Chủ tịch UBND tỉnh Hải Dương đã yêu cầu thủ trưởng các sở, ban, ngành, đơn vị sự nghiệp công lập thuộc UBND tỉnh và Chủ tịch UBND cấp huyện tổ chức", None,
     [("Chủ tịch Ủy ban nhân dân tỉnh Hải Dương", "ubnd", "province", False, "Chủ tịch"),
      ("Thủ trưởng các sở, ban, ngành, đơn vị sự nghiệp công lập thuộc Ủy ban nhân dân tỉnh", "so", "province", True, "Thủ trưởng"),
      ("Chủ tịch Ủy ban nhân dân cấp huyện", "ubnd", "district", True, "Chủ tịch")]),
    ("UBND tỉnh Hải Dương yêu cầu các sở, ban, ngành chủ trì, phối hợp với Văn phòng UBND tỉnh và các cơ quan có liên quan", None,
     [("Ủy ban nhân dân tỉnh Hải Dương", "ubnd", "province", False, None), ("các sở, ban, ngành", "so", "province", True, None),
      ("Văn phòng Ủy ban nhân dân tỉnh", "van_phong", "province", False, None), ("các cơ quan có liên quan", "other", None, True, None)]),
    ("Theo đó, Giám đốc, Thủ trưởng các sở, ban, ngành, cơ quan, đơn vị trực thuộc, chủ tịch UBND các quận, huyện, thị xã cần phân công", HN,
     [("Giám đốc, Thủ trưởng các sở, ban, ngành, cơ quan, đơn vị trực thuộc", "so", "province", True, "Giám đốc, Thủ trưởng"),
      ("Chủ tịch Ủy ban nhân dân các quận, huyện, thị xã", "ubnd", "district", True, "Chủ tịch")]),
    ("trình Chủ tịch UBND thành phố, các Phó Chủ tịch UBND thành phố ban hành", HN,
     [("Chủ tịch Ủy ban nhân dân thành phố", "ubnd", "province", False, "Chủ tịch"),
      ("các Phó Chủ tịch Ủy ban nhân dân thành phố", "ubnd", "province", False, "các Phó Chủ tịch")]),
    ("Chủ tịch UBND tỉnh Gia Lai yêu cầu Thủ trưởng các sở, ban, ngành, đơn vị thuộc tỉnh và Chủ tịch UBND các huyện, thị xã, thành phố tiếp tục", None,
     [("Chủ tịch Ủy ban nhân dân tỉnh Gia Lai", "ubnd", "province", False, "Chủ tịch"),
      ("Thủ trưởng các sở, ban, ngành, đơn vị thuộc tỉnh", "so", "province", True, "Thủ trưởng"),
      ("Chủ tịch Ủy ban nhân dân các huyện, thị xã, thành phố", "ubnd", "district", True, "Chủ tịch")]),
    ("Chỉ thị 01/CT-UBND yêu cầu người đứng đầu các cơ quan căn cứ vào chức năng", None,
     [("Người đứng đầu các cơ quan", "other", None, True, "Người đứng đầu")]),
    ("Đồng thời, người đứng đầu cơ quan, đơn vị, địa phương phải thực hiện nghiêm quy chế phát ngôn", None,
     [("Người đứng đầu cơ quan, đơn vị, địa phương", "other", None, True, "Người đứng đầu")]),
    ("thì Người đứng đầu cơ quan cơ quan chuyên môn phải trực tiếp chỉ đạo", None,
     [("Người đứng đầu cơ quan chuyên môn", "other", None, True, "Người đứng đầu")]),
    ("Tổ kiểm tra của Chủ tịch Ủy ban nhân dân tỉnh: Tăng cường theo dõi", None,
     [("Tổ kiểm tra của Chủ tịch Ủy ban nhân dân tỉnh", "other", None, False, None)]),
    ("để kịp thời xem xét điều chỉnh hoặc trình cấpcóthẩm quyền xem xét", None, [("cấp có thẩm quyền", "other", None, False, None)]),
    ("Theo đó, Chủ tịch Ủy ban nhân dân tỉnh yêu cầu Thủ trưởng các sở, ban ngành, đơn vị thuộc Ủy ban nhân dân tỉnh, Chủ tịch Ủy ban nhân dân các huyện, thành phố nghiêm túc", None,
     [("Chủ tịch Ủy ban nhân dân tỉnh", "ubnd", "province", False, "Chủ tịch"),
      ("Thủ trưởng các sở, ban ngành, đơn vị thuộc Ủy ban nhân dân tỉnh", "so", "province", True, "Thủ trưởng"),
      ("Chủ tịch Ủy ban nhân dân các huyện, thành phố", "ubnd", "district", True, "Chủ tịch")]),
    ("Giao Sở Tài nguyên và Môi trường chủ trì, phối hợp các đơn vị, địa phương liên quan nghiên cứu, đề xuất UBND tỉnh xem xét", None,
     [("Sở Tài nguyên và Môi trường", "so", "province", False, None), ("các đơn vị, địa phương liên quan", "don_vi", None, True, None),
      ("Ủy ban nhân dân tỉnh", "ubnd", "province", False, None)]),
    ("Giao UBND huyện Triệu Phong chủ trì, phối hợp với Sở Tài nguyên và Môi trường, Sở Giao thông vận tải và các đơn vị liên quan kiểm tra", None,
     [("Ủy ban nhân dân huyện Triệu Phong", "ubnd", "district", False, None), ("Sở Tài nguyên và Môi trường", "so", "province", False, None),
      ("Sở Giao thông vận tải", "so", "province", False, None), ("các đơn vị liên quan", "don_vi", None, True, None)]),
    ("Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với Liên đoàn Lao động tỉnh", None,
     [("Sở Lao động - Thương binh và Xã hội", "so", "province", False, None), ("Liên đoàn Lao động tỉnh", "mat_tran", "province", False, None)]),
    ("Sở Nội vụ chủ trì, phối hợp với Sở Lao động – Thương binh và Xã hội và Uỷ ban nhân dân các huyện, thành phố", None,
     [("Sở Nội vụ", "so", "province", False, None), ("Sở Lao động - Thương binh và Xã hội", "so", "province", False, None),
      ("Ủy ban nhân dân các huyện, thành phố", "ubnd", "district", True, None)]),
    ("Sở Văn hóa - Thể thao và Du lịch chủ trì, phối hợp với các sở, ngành, Liên đoàn Lao động tỉnh và địa phương", None,
     [("Sở Văn hóa, Thể thao và Du lịch", "so", "province", False, None), ("các sở, ngành", "so", "province", True, None),
      ("Liên đoàn Lao động tỉnh", "mat_tran", "province", False, None)]),
    ("Bộ Văn hoá-Thông tin chủ trì, phối hợp với Bộ Ngoại Giao xem xét, xử lý và báo cáo Thủ tướng Chính phủ trước ngày 20 tháng 5 năm 2003", None,
     [("Bộ Văn hóa - Thông tin", "bo", "central", False, None), ("Bộ Ngoại giao", "bo", "central", False, None),
      ("Thủ tướng Chính phủ", "chinh_phu", "central", False, None)]),
    ("Giao Sở Kế hoạch và Đầu tư chủ trì, phối hợp UBND huyện Vĩnh Linh và các Sở, ngành liên quan nghiên cứu", None,
     [("Sở Kế hoạch và Đầu tư", "so", "province", False, None), ("Ủy ban nhân dân huyện Vĩnh Linh", "ubnd", "district", False, None),
      ("các Sở, ngành liên quan", "so", "province", True, None)]),
    ("Giao Sở Nông nghiệp và Phát triển nông thôn chủ trì phối hợp với sở, ngành chức năng, Uỷ ban nhân dân các huyện, thị xã tiến hành", None,
     [("Sở Nông nghiệp và Phát triển nông thôn", "so", "province", False, None), ("sở, ngành chức năng", "so", "province", True, None),
      ("Ủy ban nhân dân các huyện, thị xã", "ubnd", "district", True, None)]),
    ("Văn phòng Chính phủ thông báo để Bộ Tài nguyên và Môi trường, các cơ quan liên quan biết, thực hiện./", None,
     [("Văn phòng Chính phủ", "van_phong", "central", False, None), ("Bộ Tài nguyên và Môi trường", "bo", "central", False, None),
      ("các cơ quan liên quan", "other", None, True, None)]),
    ("Văn phòng Chính phủ xin thông báo để đồng chí Bí thư Tỉnh ủy Bến Tre và các Bộ, cơ quan liên quan biết", None,
     [("Văn phòng Chính phủ", "van_phong", "central", False, None), ("Bí thư Tỉnh ủy Bến Tre", "dang", "province", False, "Bí thư"),
      ("các Bộ, cơ quan liên quan", "bo", "central", True, None)]),
    ("Kính gửi: Đ/c Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương", None,
     [("Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương", "ubnd", "province", True, "Chủ tịch")]),
    ("- Bảo hiểm xã hội các tỉnh, thành phố trực thuộc Trung ương;", None,
     [("Bảo hiểm xã hội các tỉnh, thành phố trực thuộc Trung ương", "other", "province", True, None)]),
    ("Bộ Y tế đề nghị Chủ tịch Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương chỉ đạo Giám đốc Sở Y tế, Giám đốc các Sở liên quan thực hiện", None,
     [("Bộ Y tế", "bo", "central", False, None),
      ("Chủ tịch Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương", "ubnd", "province", True, "Chủ tịch"),
      ("Giám đốc Sở Y tế", "so", "province", False, "Giám đốc"), ("Giám đốc các Sở liên quan", "so", "province", True, "Giám đốc")]),
    ("2. Chỉ đạo Sở Tư pháp kết hợp với Công an tỉnh và Sở Y tế thực hiện Công văn số 3571/BTP-TTLLTPQG", None,
     [("Sở Tư pháp", "so", "province", False, None), ("Công an tỉnh", "cong_an", "province", False, None), ("Sở Y tế", "so", "province", False, None)]),
    ("yêu cầu Bộ trưởng các bộ và Chủ tịch UBND các địa phương tổ chức theo dõi", None,
     [("Bộ trưởng các bộ", "bo", "central", True, "Bộ trưởng"), ("Chủ tịch Ủy ban nhân dân các địa phương", "ubnd", None, True, "Chủ tịch")]),
    ("đề nghị Ủy ban MTTQ Việt Nam và các tổ chức chính trị xã hội tỉnh", None,
     [("Ủy ban Mặt trận Tổ quốc Việt Nam", "mat_tran", None, False, None), ("các tổ chức chính trị xã hội tỉnh", "mat_tran", "province", True, None)]),
    ("Thủ tướng Chính phủ giao Bộ Kế hoạch và Đầu tư theo chức năng, nhiệm vụ được giao", None,
     [("Thủ tướng Chính phủ", "chinh_phu", "central", False, None), ("Bộ Kế hoạch và Đầu tư", "bo", "central", False, None)]),
    ("Uỷ ban nhân dân các huyện, thành phố chủ trì phối hợp với Ban quản lý Khu kinh tế tỉnh", None,
     [("Ủy ban nhân dân các huyện, thành phố", "ubnd", "district", True, None), ("Ban Quản lý Khu kinh tế tỉnh", "ban", "province", False, None)]),
    ("tham mưu Ban cán sự đảng Ủy ban nhân dân tỉnh", None, [("Ban cán sự đảng Ủy ban nhân dân tỉnh", "dang", "province", False, None)]),
    ("Đề nghị Thủ trưởng các đơn vị chủ trì, phối hợp với BHXH tỉnh, thành phố và các cơ quan, đơn vị có liên quan", None,
     [("Thủ trưởng các đơn vị", "don_vi", None, True, "Thủ trưởng"), ("Bảo hiểm xã hội tỉnh, thành phố", "other", "province", True, None),
      ("các cơ quan, đơn vị có liên quan", "other", None, True, None)]),
    ("Thủ trưởng các cơ quan, đơn vị được lấy ý kiến có trách nhiệm trả lời bằng văn bản", None,
     [("Thủ trưởng các cơ quan, đơn vị được lấy ý kiến", "other", None, True, "Thủ trưởng")]),
    ("Chịu trách nhiệm trong kiểm tra việc thực hiện chế độ trách nhiệm của Thủ trưởng các đơn vị trực thuộc, Chủ tịch Ủy ban nhân dân các xã, phường, thị trấn khi xử lý", None,
     [("Thủ trưởng các đơn vị trực thuộc", "don_vi", None, True, "Thủ trưởng"),
      ("Chủ tịch Ủy ban nhân dân các xã, phường, thị trấn", "ubnd", "commune", True, "Chủ tịch")]),
    ("Giao các Sở: Tài chính, Xây dựng, Kế hoạch và Đầu tư phối hợp thẩm định", None,
     [("Sở Tài chính", "so", "province", False, None), ("Sở Xây dựng", "so", "province", False, None),
      ("Sở Kế hoạch và Đầu tư", "so", "province", False, None)]),
    ("Sở Tài chính, Sở Kế hoạch và Đầu tư và Kho bạc Nhà nước tỉnh", None,
     [("Sở Tài chính", "so", "province", False, None), ("Sở Kế hoạch và Đầu tư", "so", "province", False, None),
      ("Kho bạc Nhà nước tỉnh", "kho_bac", "province", False, None)]),
    ("Sở Nông nghiệp và Môi trường phối hợp với Bộ Dân tộc và Tôn giáo", None,
     [("Sở Nông nghiệp và Môi trường", "so", "province", False, None), ("Bộ Dân tộc và Tôn giáo", "bo", "central", False, None)]),
    ("Không trình những công việc thuộc thẩm quyền của cơ quan mình lên UBND tỉnh, Chủ tịch UBND tỉnh hoặc cơ quan, đơn vị khác", None,
     [("Ủy ban nhân dân tỉnh", "ubnd", "province", False, None), ("Chủ tịch Ủy ban nhân dân tỉnh", "ubnd", "province", False, "Chủ tịch")]),
]


@pytest.mark.parametrize("phrase,ctx,expected", CASES, ids=[c[0][:40] for c in CASES])
def test_find_agencies(phrase, ctx, expected):
    got = find_agencies(phrase, ctx=ctx)
    assert [(a.full_name, a.kind, a.level, a.collective, a.head) for a in got] == expected
    for a in got:  # spans point at the text as written
        assert phrase[a.span[0]: a.span[1]] == a.text
        assert a.provenance is not None and a.provenance.rule


def test_base_offsets_spans():
    t = "yêu cầu Sở Nội vụ tham mưu"
    a = find_agencies(t, base=100)[0]
    assert a.span == (108, 117) and a.text == "Sở Nội vụ"


@pytest.mark.parametrize("phrase,ctx,name,jur", [
    ("UBND tỉnh", AG, "Ủy ban nhân dân tỉnh", "tỉnh An Giang"),
    ("UBND tỉnh Hải Dương", AG, "Ủy ban nhân dân tỉnh Hải Dương", "tỉnh Hải Dương"),
    ("Sở Nội vụ", AG, "Sở Nội vụ", "tỉnh An Giang"),
    ("UBND thành phố", HN, "Ủy ban nhân dân thành phố", "thành phố Hà Nội"),
    ("Bộ Nội vụ", AG, "Bộ Nội vụ", None),
    ("Sở Y tế Hà Nội", None, "Sở Y tế Hà Nội", "thành phố Hà Nội"),
])
def test_jurisdiction(phrase, ctx, name, jur):
    a = find_agencies(phrase, ctx=ctx)[0]
    assert a.name == name and a.jurisdiction == jur


_LETTER = """{issuer}
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 12/{code}
{place}, ngày 27 tháng 01 năm 2014
Kính gửi: Sở Y tế các tỉnh, thành phố
1. Sở Y tế chủ trì, phối hợp với Công an tỉnh kiểm tra các cơ sở khám bệnh, chữa bệnh.
"""


@pytest.mark.parametrize("issuer,code,place,jur", [
    # the place over a ministry's letter is its seat, not the province its agencies belong to
    ("BỘ Y TẾ", "BYT-KCB", "Hà Nội", None),
    # over a province's letter it is the province
    ("ỦY BAN NHÂN DÂN TỈNH AN GIANG", "UBND-KGVX", "An Giang", "tỉnh An Giang"),
    ("ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", "UBND-KGVX", "Hà Nội", "thành phố Hà Nội"),
])
def test_jurisdiction_from_the_letter(issuer, code, place, jur):
    rec = extract_text(_LETTER.format(issuer=issuer, code=code, place=place))
    (o,) = rec["obligations"]
    assert [(a["text"], a["jurisdiction"]) for a in o["assignees"] + o["coordinators"]] == [
        ("Sở Y tế", jur), ("Công an tỉnh", jur)]


@pytest.mark.parametrize("line,full,kind,level,jur", [
    ("ỦY BAN NHÂN DÂN TỈNH AN GIANG", "Ủy ban nhân dân tỉnh An Giang", "ubnd", "province", "tỉnh An Giang"),
    ("Chủ tịch UBND tỉnh Gia Lai", "Chủ tịch Ủy ban nhân dân tỉnh Gia Lai", "ubnd", "province", "tỉnh Gia Lai"),
    ("UBND thành phố Hà Nội", "Ủy ban nhân dân thành phố Hà Nội", "ubnd", "province", "thành phố Hà Nội"),
    ("BỘ Y TẾ", "Bộ Y tế", "bo", "central", None),
    ("VĂN PHÒNG CHÍNH PHỦ", "Văn phòng Chính phủ", "van_phong", "central", None),
    ("UBND huyện Châu Thành", "Ủy ban nhân dân huyện Châu Thành", "ubnd", "district", "huyện Châu Thành"),
])
def test_parse_agency(line, full, kind, level, jur):
    a = parse_agency(line)
    assert (a.full_name, a.kind, a.level, a.jurisdiction) == (full, kind, level, jur)


def test_parse_agency_none():
    assert parse_agency("") is None
    assert parse_agency("Kính gửi:") is None


@pytest.mark.parametrize("raw,expanded", [
    ("UBND tỉnh", "Ủy ban nhân dân tỉnh"),
    ("Văn phòng UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"),
    ("Sở TN&MT", "Sở Tài nguyên và Môi trường"),
    ("UB MTTQ VN tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
    ("HĐND", "Hội đồng nhân dân"),
    ("TT: TU, HĐND", "TT: Tỉnh ủy, Hội đồng nhân dân"),
    ("TTg", "Thủ tướng Chính phủ"),
    ("BKHĐT", "Bộ Kế hoạch và Đầu tư"),
    ("CB, CC, VC các cơ quan", "cán bộ, công chức, viên chức các cơ quan"),
    ("Uỷ ban  nhân dân", "Ủy ban nhân dân"),
    ("hoà   bình", "hòa bình"),
    ("Công văn số 3031/UBND-TKBT", "Công văn số 3031/UBND-TKBT"),
    ("Thông báo số 1031-TB/TU", "Thông báo số 1031-TB/TU"),
    ("Công ty CP Xây dựng", "Công ty CP Xây dựng"),
    # "TP." / "TX." written against the name they abbreviate
    ("Cục Hải quan TP.Hồ Chí Minh", "Cục Hải quan thành phố Hồ Chí Minh"),
    ("UBND TX.Quảng Trị", "Ủy ban nhân dân thị xã Quảng Trị"),
    ("UBND TP. Đà Nẵng", "Ủy ban nhân dân thành phố Đà Nẵng"),
])
def test_expand(raw, expanded):
    assert expand(raw) == expanded


def test_province_names_by_date():
    assert len(province_names(datetime.date(2025, 6, 30))) == 63
    assert len(province_names(datetime.date(2025, 7, 1))) == 34
    assert "Hải Dương" in province_names(datetime.date(2023, 6, 9))
    assert "Hải Dương" not in province_names(datetime.date(2025, 7, 1))
    assert {"Hải Dương", "Hải Phòng"} <= set(province_names())


def test_old_and_new_names_both_recognised():
    old = find_agencies("Sở Kế hoạch và Đầu tư tỉnh Hải Dương")[0]
    new = find_agencies("Sở Nông nghiệp và Môi trường tỉnh An Giang")[0]
    assert old.kind == new.kind == "so"
    assert old.jurisdiction == "tỉnh Hải Dương" and new.jurisdiction == "tỉnh An Giang"


@pytest.mark.parametrize("text", [
    "Ban hành kèm theo Quyết định này",
    "một bộ phận cán bộ, công chức chưa nghiêm",
    "trong các trường hợp cần thiết",
    "Báo cáo kết quả thực hiện",
    "Hội nghị trực tuyến tổng kết",
    "Ủy ban nhân dân tỉnh ủy quyền",
])
def test_near_misses_are_not_agencies(text):
    got = [a.full_name for a in find_agencies(text)]
    assert all(n in ("Ủy ban nhân dân tỉnh",) for n in got)


PATHOLOGICAL = {
    "digits-slashes": "1/2.3-4" * 30000,
    "so-so": "số " * 70000,
    "cac-so": "các sở, " * 12000,
    "heads": "Chủ tịch, " * 10000,
    "ubnd": "UBND " * 20000,
    "ubnd-tinh": "Ủy ban nhân dân tỉnh, " * 5000,
    "enum": "các Sở: Tài chính, " * 5000,
}


@pytest.mark.parametrize("payload", list(PATHOLOGICAL.values()), ids=list(PATHOLOGICAL))
def test_pathological_input_is_fast(payload):
    t0 = time.perf_counter()
    find_agencies(payload)
    expand(payload)
    assert time.perf_counter() - t0 < 10


def test_a_head_before_a_colon_heads_the_whole_list():
    # 213 Hậu Giang 454/UBND-NCTH: "Giao Giám đốc: Sở ..., Sở ..., Đài ..."
    from extract.agencies import find_agencies

    text = ("Giao Giám đốc: Sở Văn hóa, Thể thao và Du lịch, Sở Thông tin và Truyền thông, "
            "Đài Phát thanh - Truyền hình Hậu Giang phối hợp thực hiện.")
    assert [a.full_name for a in find_agencies(text)] == [
        "Giám đốc Sở Văn hóa, Thể thao và Du lịch",
        "Giám đốc Sở Thông tin và Truyền thông",
        "Giám đốc Đài Phát thanh - Truyền hình Hậu Giang",
    ]
    # a colon after an agency is no head
    assert [a.full_name for a in find_agencies("Sở Y tế: chủ trì, phối hợp với Sở Tài chính")] == ["Sở Y tế", "Sở Tài chính"]


@pytest.mark.parametrize("text,expected", [
    ("Giao Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh khẩn trương hoàn thiện hồ sơ",
     ["Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh"]),
    ("Ban Chỉ đạo phòng, chống thiên tai tỉnh chủ trì", ["Ban Chỉ đạo phòng, chống thiên tai tỉnh"]),
    # 214 Châu Thành: a description in capitals
    # (its members, as the corpus gold reads them: "thành viên" is a head)
    ("Đề nghị thành viên Ban Chỉ đạo Chăm sóc sức khỏe nhân dân huyện tham gia chỉ đạo",
     ["Thành viên Ban Chỉ đạo Chăm sóc sức khỏe nhân dân huyện"]),
    # a known agency after the type word ends the description
    ("Ban Chỉ đạo, Sở Y tế và UBND huyện", ["Ban Chỉ đạo", "Sở Y tế", "Ủy ban nhân dân huyện"]),
])
def test_bodies_named_by_a_description(text, expected):
    from extract.agencies import find_agencies

    assert [a.full_name for a in find_agencies(text)] == expected


def test_social_insurance_of_the_armed_forces_is_one_body():
    found = find_agencies("Bảo hiểm xã hội Bộ Quốc phòng, BHXH Công an nhân dân có trách nhiệm in phôi thẻ")
    assert [(a.name, a.level) for a in found] == [("Bảo hiểm xã hội Bộ Quốc phòng", "central"),
                                                  ("Bảo hiểm xã hội Công an nhân dân", "central")]


@pytest.mark.parametrize("phrase,text,name,collective,level", [
    # a body named by a lower-case description after its type word
    ("Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh khẩn trương hoàn thành",
     "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh",
     "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh", False, "province"),
    # the same after an abbreviation, and as a collective ("các Ban ...")
    ("Ban QLDA chuyên ngành tỉnh thực hiện", "Ban QLDA chuyên ngành tỉnh",
     "Ban Quản lý dự án chuyên ngành tỉnh", False, "province"),
    ("Giao các Ban QLDA chuyên ngành tỉnh thực hiện", "các Ban QLDA chuyên ngành tỉnh",
     "các Ban Quản lý dự án chuyên ngành tỉnh", True, "province"),
    ("Ban Chỉ đạo phòng, chống dịch thị xã chủ động", "Ban Chỉ đạo phòng, chống dịch thị xã",
     "Ban Chỉ đạo phòng, chống dịch thị xã", False, "district"),
])
def test_descriptive_names(phrase, text, name, collective, level):
    # (read as a description, or by the fallback when it reaches as far: the same body)
    found = [a for a in find_agencies(phrase) if a.provenance.rule in ("agencies:descriptive", "agencies:fallback")]
    assert [(a.text, a.name, a.collective, a.level) for a in found] == [(text, name, collective, level)]


@pytest.mark.parametrize("phrase,text", [
    ("Thủ trưởng các cơ sở khám bệnh, chữa bệnh trong toàn quốc trực tiếp chỉ đạo",
     "Thủ trưởng các cơ sở khám bệnh, chữa bệnh trong toàn quốc"),
    ("Các Chi cục Hải quan trên toàn quốc thực hiện", "Các Chi cục Hải quan trên toàn quốc"),
    ("các sở, ban, ngành trên địa bàn tỉnh chủ động", "các sở, ban, ngành trên địa bàn tỉnh"),
])
def test_a_collective_keeps_its_scope(phrase, text):
    assert [a.text for a in find_agencies(phrase)] == [text]


# Bodies that are not in the gazetteer, named the way Vietnamese names them: the type word, a
# capitalised word, then lower-case words ("Trung tâm Kiểm soát bệnh tật tỉnh").  Each is found
# whole in the three frames a directive puts a subject in, and the verb after it stays out.
UNLISTED_BODIES = [
    ("Trung tâm Công nghệ thông tin", "don_vi"),
    ("Trung tâm Kiểm soát bệnh tật tỉnh", "don_vi"),
    ("Trung tâm Công tác xã hội tỉnh", "don_vi"),
    ("Quỹ Đầu tư phát triển tỉnh", "other"),
    ("Học viện Chính trị quốc gia Hồ Chí Minh", "don_vi"),
    ("Bệnh viện Đa khoa tỉnh", "don_vi"),
    ("Trường Đại học Hạ Long", "don_vi"),
    ("Báo Quảng Ninh", "don_vi"),
    ("Tập đoàn Điện lực Việt Nam", "other"),
    ("Tổng công ty Điện lực miền Bắc", "other"),
    ("Công ty Điện lực Quảng Ninh", "other"),
    ("Chi cục Kiểm lâm", "cuc"),
    ("Chi cục Thống kê khu vực", "cuc"),
    ("Hạt Kiểm lâm", "other"),
    ("Vườn quốc gia Cát Bà", "don_vi"),
    ("Cảng vụ Hàng hải Quảng Ninh", "other"),
    ("Đại học Quốc gia Hà Nội", "don_vi"),
    ("Tòa án nhân dân tỉnh", "other"),
    ("Viện Kiểm sát nhân dân tỉnh", "other"),
    ("Ban Chỉ huy Phòng, chống thiên tai và Tìm kiếm cứu nạn tỉnh", "ban"),
    ("Cục Quản lý đê điều và Phòng, chống thiên tai", "cuc"),
    ("Vụ Kế hoạch - Tài chính", "other"),
    ("Công ty TNHH MTV Khai thác công trình thủy lợi Bắc Hưng Hải", "other"),
    ("Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp tỉnh", "ban"),
    ("Ban Quản lý rừng phòng hộ Đa Nhim", "ban"),
    ("Chi cục Chăn nuôi, Thú y và Thủy sản", "cuc"),
    ("Trung tâm Văn hóa, Thể thao và Truyền thanh huyện", "don_vi"),
]
FRAMES = [
    "Ủy ban nhân dân tỉnh giao {} chủ trì, phối hợp với các đơn vị liên quan triển khai thực hiện.",
    "Giao {} chủ trì, phối hợp với các đơn vị liên quan triển khai thực hiện.",
    "{} khẩn trương rà soát, báo cáo kết quả.",
    "Đề nghị {} bố trí lực lượng ứng trực 24/24.",
]


@pytest.mark.parametrize("frame", FRAMES, ids=["giao", "Giao", "subject", "de-nghi"])
@pytest.mark.parametrize("name,kind", UNLISTED_BODIES, ids=[n for n, _ in UNLISTED_BODIES])
def test_bodies_not_in_the_gazetteer_are_found_whole(name, kind, frame):
    found = [a for a in find_agencies(frame.format(name))
             if a.name not in ("Ủy ban nhân dân tỉnh", "các đơn vị liên quan")]
    assert [(a.name, a.kind) for a in found] == [(name, kind)]


@pytest.mark.parametrize("text,name", [
    ("Ban Tổ chức Hội nghị chuẩn bị tài liệu.", "Ban Tổ chức"),   # "Hội" inside a name opens no body
    ("Ban Chỉ đạo 35 tỉnh bố trí lực lượng.", "Ban Chỉ đạo 35 tỉnh"),
    ("Trung tâm Bảo trợ xã hội tổ chức tiếp nhận.", "Trung tâm Bảo trợ xã hội"),
    ("Ban Chỉ đạo quốc gia về phòng thủ dân sự theo dõi.", "Ban Chỉ đạo quốc gia về phòng thủ dân sự"),
    # a known name written on in capitals is not re-read as a description running into the verb
    ("Ban Quản lý Khu kinh tế tỉnh đẩy nhanh tiến độ các dự án.", "Ban Quản lý Khu kinh tế tỉnh"),
    ("Ban Quản lý Khu kinh tế tỉnh mở rộng hạ tầng.", "Ban Quản lý Khu kinh tế tỉnh"),
    ("các Ban Quản lý rừng phòng hộ tổ chức tuần tra.", "các Ban Quản lý rừng phòng hộ"),
    ("Ban Quản lý dự án tỉnh và các đơn vị liên quan thực hiện.", "Ban Quản lý dự án tỉnh"),
])
def test_where_a_lower_case_name_ends(text, name):
    assert [a.name for a in find_agencies(text)][:1] == [name]


@pytest.mark.parametrize("text,names", [
    # every province's party committee, named together, is one addressee
    ("Đồng chí Bí thư Tỉnh ủy, Thành ủy, Chủ tịch Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương dự",
     ["Bí thư Tỉnh ủy, Thành ủy", "Chủ tịch Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương"]),
    ("Ban Thường vụ các Tỉnh ủy, Thành ủy lãnh đạo", ["Ban Thường vụ các Tỉnh ủy, Thành ủy"]),
    ("Ban Thường vụ Tỉnh ủy chỉ đạo", ["Ban Thường vụ Tỉnh ủy"]),
    # "tỉnh ủy quyền" is a place and a verb
    ("UBND tỉnh ủy quyền cho Giám đốc Sở Giáo dục và Đào tạo", ["Ủy ban nhân dân tỉnh", "Giám đốc Sở Giáo dục và Đào tạo"]),
])
def test_party_committees_named_together(text, names):
    assert [a.full_name for a in find_agencies(text)] == names


@pytest.mark.parametrize("text,names", [
    ("Thông tấn xã Việt Nam, Đài Truyền hình Việt Nam, Đài Tiếng nói Việt Nam đưa tin kịp thời.",
     ["Thông tấn xã Việt Nam", "Đài Truyền hình Việt Nam", "Đài Tiếng nói Việt Nam"]),
    # after the 2025 reform of the tax offices
    ("Giao Thuế tỉnh Tây Ninh chủ trì.", ["Thuế tỉnh Tây Ninh"]),
    ("Viễn thông Tây Ninh bảo đảm thông tin liên lạc.", ["Viễn thông Tây Ninh"]),
    ("Thuế thu nhập cá nhân phải nộp đúng hạn.", []),
    ("Thủ tướng yêu cầu Chủ tịch UBND các tỉnh khẩn trương triển khai.",
     ["Thủ tướng Chính phủ", "Chủ tịch Ủy ban nhân dân các tỉnh"]),
    # a collective's place word before a comma stays with it; the list goes on
    ("Thủ trưởng các sở, ban, ngành tỉnh, Chủ tịch UBND các huyện, thị xã, thành phố, người đứng đầu các "
     "đơn vị sự nghiệp công lập:",
     ["Thủ trưởng các sở, ban, ngành tỉnh", "Chủ tịch Ủy ban nhân dân các huyện, thị xã, thành phố",
      "Người đứng đầu các đơn vị sự nghiệp công lập"]),
])
def test_more_bodies_by_name(text, names):
    assert [a.full_name for a in find_agencies(text)] == names


@pytest.mark.parametrize("text,names", [
    ("Bộ trưởng các Bộ: Quốc phòng, Công an chỉ đạo lực lượng sẵn sàng cứu hộ.",
     ["Bộ trưởng Bộ Quốc phòng", "Bộ trưởng Bộ Công an"]),
    ("Yêu cầu Giám đốc các Sở: Y tế, Tài chính, Nội vụ khẩn trương thực hiện.",
     ["Giám đốc Sở Y tế", "Giám đốc Sở Tài chính", "Giám đốc Sở Nội vụ"]),
])
def test_a_head_before_an_enumeration_heads_each_body(text, names):
    from extract.roles import roles_in

    assert [a.full_name for a in find_agencies(text)] == names
    assert [a.full_name for a in roles_in(text).assignees] == names


@pytest.mark.parametrize("text,names,levels", [
    # places named after "các huyện": one body per place (as "các Bộ: Tài chính, Xây dựng")
    ("UBND các huyện Ninh Sơn, Bác Ái cần rà soát số hộ thiếu nước.",
     ["Ủy ban nhân dân huyện Ninh Sơn", "Ủy ban nhân dân huyện Bác Ái"], ["district", "district"]),
    ("Ủy ban nhân dân các tỉnh: Cà Mau, Bạc Liêu và Sóc Trăng khẩn trương",
     ["Ủy ban nhân dân tỉnh Cà Mau", "Ủy ban nhân dân tỉnh Bạc Liêu", "Ủy ban nhân dân tỉnh Sóc Trăng"],
     ["province"] * 3),
    ("Chủ tịch UBND các tỉnh Quảng Ninh, Hải Phòng chỉ đạo",
     ["Chủ tịch Ủy ban nhân dân tỉnh Quảng Ninh", "Chủ tịch Ủy ban nhân dân tỉnh Hải Phòng"], ["province"] * 2),
    ("thông báo cho Ban Chỉ huy PCTT và TKCN các huyện Yên Bình, Lục Yên trước khi xả lũ",
     ["Ban Chỉ huy Phòng, chống thiên tai và Tìm kiếm cứu nạn huyện Yên Bình",
      "Ban Chỉ huy Phòng, chống thiên tai và Tìm kiếm cứu nạn huyện Lục Yên"], ["district"] * 2),
    # the list goes on with a place of another kind
    ("UBND các xã Tống Trân, Phù Cừ và phường Sơn Nam:",
     ["Ủy ban nhân dân xã Tống Trân", "Ủy ban nhân dân xã Phù Cừ", "Ủy ban nhân dân phường Sơn Nam"], ["commune"] * 3),
    # a region, a list of place words, a province not known: the class stays one collective
    ("UBND các tỉnh Tây Nguyên chủ động", ["Ủy ban nhân dân các tỉnh"], ["province"]),
    ("UBND các huyện, thị xã, thành phố Khẩn trương", ["Ủy ban nhân dân các huyện, thị xã, thành phố"], ["district"]),
])
def test_places_named_in_a_list_are_bodies_each(text, names, levels):
    from extract.roles import roles_in

    found = find_agencies(text)
    if len(names) > 1 and ":" in text[-2:]:
        # a heading that names them: all of them act ("... và phường Sơn Nam:" joins the list)
        assert [a.full_name for a in roles_in(text).assignees] == names
    assert [a.full_name for a in found] == names
    assert [a.level for a in found] == levels
    assert all(not a.collective for a in found) or len(found) == 1


@pytest.mark.parametrize("text,names", [
    ("Chủ trì, phối hợp với Trưởng thôn, Tổ trưởng tổ dân phố tổ chức", ["Trưởng thôn", "Tổ trưởng tổ dân phố"]),
    ("Trưởng các thôn, Tổ trưởng các tổ dân phố lập danh sách", ["Trưởng các thôn", "Tổ trưởng các tổ dân phố"]),
    # the short name of the Youth Union is a name, not an abbreviation: kept as written
    ("phối hợp với Đoàn Thanh niên xã thành lập", ["Đoàn Thanh niên xã"]),
    # households and persons addressed as a class (a commune's letter: "3. Các hộ gia đình, cá nhân:")
    ("3. Các hộ gia đình, cá nhân:", ["các hộ gia đình, cá nhân"]),
    ("Đề nghị các hộ dân không đốt rơm rạ", ["các hộ dân"]),
    # the tax offices after the 2025 reform, as a class; "Thuế" alone is a tax, not a body
    ("Thủ trưởng Thuế các tỉnh, thành phố trực thuộc Trung ương kiểm điểm",
     ["Thủ trưởng Thuế các tỉnh, thành phố trực thuộc Trung ương"]),
    ("Thuế tỉnh Đồng Nai hướng dẫn", ["Thuế tỉnh Đồng Nai"]),
    ("Thuế thu nhập cá nhân phải nộp đúng hạn.", []),
    # "Trưởng phòng X" heads the Phòng X; schools by level; "ở trung ương", "trực thuộc trung ương" in lower case
    ("Trưởng phòng GDĐT các huyện, thành phố và Hiệu trưởng các trường THPT trực thuộc thực hiện",
     ["Trưởng Phòng Giáo dục và Đào tạo các huyện, thành phố", "Hiệu trưởng các trường Trung học phổ thông trực thuộc"]),
    ("Phó Trưởng phòng Tài chính - Kế hoạch huyện", ["Phó Trưởng Phòng Tài chính - Kế hoạch huyện"]),
    ("Thủ trưởng cơ quan khác ở trung ương và Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương:",
     ["Thủ trưởng cơ quan khác ở trung ương",
      "Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương"]),
    # a body at every level is a class ("các cấp"), as one at the reader's level is "cùng cấp"
    ("Ban Thường trực Ủy ban MTTQ Việt Nam các cấp chủ trì vận động",
     ["Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam các cấp"]),
    ("Hội Nông dân các cấp tuyên truyền", ["Hội Nông dân các cấp"]),
    # the Youth Union's units by their place; "Đoàn" without one is no body (a team, a member, a delegation)
    ("2. Đoàn các xã, phường, thị trấn:", ["Đoàn các xã, phường, thị trấn"]),
    ("Đoàn viên thanh niên tham gia", []),
    ("Đoàn công tác liên ngành làm việc", ["Đoàn công tác"]),
    # the board of an economic zone and the industrial parks, one name
    ("yêu cầu Ban Quản lý Khu kinh tế và các khu công nghiệp tỉnh khẩn trương rà soát",
     ["Ban Quản lý Khu kinh tế và các Khu công nghiệp tỉnh"]),
    # a committee member is no committee
    ("Các đồng chí Huyện uỷ viên được phân công phụ trách địa bàn dự đại hội", []),
])
def test_heads_of_groups_and_members(text, names):
    assert [a.full_name for a in find_agencies(text)] == names


@pytest.mark.parametrize("text,names", [
    ("Kính gửi: Các Sở Giáo dục và Đào tạo.", ["các Sở Giáo dục và Đào tạo"]),
    ("Chi cục Thuế khu vực Krông Pắc - Ea Kar chủ trì", ["Chi cục Thuế khu vực Krông Pắc - Ea Kar"]),
    ("Kho bạc Nhà nước khu vực XVII phối hợp", ["Kho bạc Nhà nước khu vực XVII"]),
    ("Văn phòng HĐND và UBND huyện tổng hợp", ["Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện"]),
    ("Trưởng các thôn, bản tổ chức họp dân", ["Trưởng các thôn, bản"]),
    ("Trạm Y tế xã chuẩn bị thuốc", ["Trạm Y tế xã"]),
    ("các tổ dân phố thực hiện", ["các tổ dân phố"]),
    ("Huyện đoàn phối hợp", ["Huyện đoàn"]),
    ("Các Sở, ban, ngành, địa phương tổ chức trực ban", ["các Sở, ban, ngành, địa phương"]),
    ("2. Các sở giáo dục và đào tạo:", ["các Sở Giáo dục và Đào tạo"]),
    ("Báo và Phát thanh, Truyền hình Lào Cai tăng cường thời lượng đưa tin", ["Báo và Phát thanh, Truyền hình Lào Cai"]),
    ("UBND các huyện, thành phố, thị xã và các chủ đầu tư:",
     ["Ủy ban nhân dân các huyện, thành phố, thị xã", "các chủ đầu tư"]),
    # the sections of an office, not "các bộ" (ministries)
    ("các bộ phận chuyên môn", ["các bộ phận chuyên môn"]),
    # a comma before another body ends the name
    ("Trung tâm Y tế, Công an xã và Trạm Y tế phối hợp", ["Trung tâm Y tế", "Công an xã", "Trạm Y tế"]),
])
def test_local_and_plural_bodies(text, names):
    assert [a.full_name for a in find_agencies(text)] == names


@pytest.mark.parametrize("text,names", [
    ("Ban Thường vụ Huyện ủy Hương Khê tập trung lãnh đạo", ["Ban Thường vụ Huyện ủy Hương Khê"]),
    ("Đảng ủy Sở Y tế lãnh đạo Sở Y tế chuẩn bị đầy đủ thuốc", ["Đảng ủy Sở Y tế", "Sở Y tế"]),
    ("Các huyện ủy, thị ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy tổ chức quán triệt",
     ["các huyện ủy, thị ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy"]),
    ("UBND huyện Châu Thành chủ trì", ["Ủy ban nhân dân huyện Châu Thành"]),
])
def test_party_committees_of_places_and_organs(text, names):
    assert [a.full_name for a in find_agencies(text)] == names


# An abbreviation defined inside a name ("Bảo hiểm xã hội (BHXH) Việt Nam") does not cut it: the
# name reads on to its place, and the mention's text keeps the parenthesis as written.
@pytest.mark.parametrize("phrase,text,name", [
    ("Bảo hiểm xã hội (BHXH) Việt Nam chuyển Công văn số 627/BYT-BH",
     "Bảo hiểm xã hội (BHXH) Việt Nam", "Bảo hiểm xã hội Việt Nam"),
    ("Ủy ban nhân dân (UBND) tỉnh yêu cầu các sở", "Ủy ban nhân dân (UBND) tỉnh", "Ủy ban nhân dân tỉnh"),
    ("Sở Giáo dục và Đào tạo (GDĐT) tỉnh Nghệ An hướng dẫn", "Sở Giáo dục và Đào tạo (GDĐT) tỉnh Nghệ An",
     "Sở Giáo dục và Đào tạo tỉnh Nghệ An"),
    ("giao Sở Tài nguyên và Môi trường (TNMT) chủ trì", "Sở Tài nguyên và Môi trường", "Sở Tài nguyên và Môi trường"),
])
def test_abbreviation_inside_a_name(phrase, text, name):
    a = find_agencies(phrase)[0]
    assert (a.text, a.name) == (text, name)
    assert phrase[a.span[0]:a.span[1]] == text


# "cửa khẩu ..." and "nơi ..." say which unit of a kind is meant; the name ends at the verb
@pytest.mark.parametrize("phrase,name", [
    ("Chi cục Hải quan cửa khẩu xuất cũ nếu chấp nhận thì thực hiện như sau:", "Chi cục Hải quan cửa khẩu xuất cũ"),
    ("Khi tiếp nhận container, Chi cục Hải quan cửa khẩu xuất kiểm tra và xác nhận", "Chi cục Hải quan cửa khẩu xuất"),
    ("hướng dẫn Chi cục Hải quan cửa khẩu cảng Sài Gòn khu vực 1 (Chi cục HQCK) thực hiện",
     "Chi cục Hải quan cửa khẩu cảng Sài Gòn khu vực 1"),
    ("Chi cục Hải quan nơi ban hành Quyết định dừng đưa hàng qua KVGS thực hiện việc thông báo",
     "Chi cục Hải quan nơi ban hành Quyết định dừng đưa hàng qua KVGS"),
])
def test_unit_named_by_its_place(phrase, name):
    assert name in [a.name for a in find_agencies(phrase)]


# Collectives keep the qualifier that says which members are meant (SPEC §9: "as written"), and
# schools, health stations and enterprises are classes of bodies too.
@pytest.mark.parametrize("phrase,text", [
    ("yêu cầu Chủ tịch UBND các xã, phường ven biển thực hiện", "Chủ tịch UBND các xã, phường ven biển"),
    ("UBND các xã, phường có dự án khẩn trương bàn giao mặt bằng", "UBND các xã, phường có dự án"),
    ("yêu cầu Chủ tịch UBND các xã, phường có dịch tổ chức tiêu hủy", "Chủ tịch UBND các xã, phường có dịch"),
    ("phối hợp với các doanh nghiệp viễn thông trên địa bàn tỉnh", "các doanh nghiệp viễn thông trên địa bàn tỉnh"),
    ("các cơ sở giáo dục mầm non ngoài công lập trên địa bàn phường thực hiện",
     "các cơ sở giáo dục mầm non ngoài công lập trên địa bàn phường"),
    ("các bệnh viện tuyến tỉnh chủ động", "các bệnh viện tuyến tỉnh"),
    ("phối hợp với các trường học tuyên truyền", "các trường học"),
    ("UBND các xã có văn bản báo cáo", "UBND các xã"),  # "có văn bản" is the verb
    ("Ủy ban nhân dân các tỉnh, thành phố vùng Đồng bằng sông Cửu Long khẩn trương",
     "Ủy ban nhân dân các tỉnh, thành phố vùng Đồng bằng sông Cửu Long"),
])
def test_collective_qualifiers_and_classes(phrase, text):
    assert [a.text for a in find_agencies(phrase)] == [text]


@pytest.mark.parametrize("phrase", ["Trường hợp các trường hợp vi phạm", "xử lý các trường hợp vi phạm"])
def test_truong_hop_is_no_school(phrase):
    assert find_agencies(phrase) == []


# A name outside the gazetteer ends before the verb that follows it, and a hyphenated part is one short
# term ("Tài chính - Kế toán"); a long lower-case name runs to six words ("Cục Giám sát quản lý về hải quan").
@pytest.mark.parametrize("phrase,text", [
    ("Trung tâm Công nghệ thông tin nâng cấp phần mềm quản lý chi trả", "Trung tâm Công nghệ thông tin"),
    ("Phòng Kế hoạch - Tài chính chuyển tiền vào tài khoản của người hưởng", "Phòng Kế hoạch - Tài chính"),
    ("Vụ Tài chính - Kế toán xây dựng tài liệu hướng dẫn", "Vụ Tài chính - Kế toán"),
    ("qua Cục Giám sát quản lý về hải quan để xử lý", "Cục Giám sát quản lý về hải quan"),
    ("Phòng Lao động - Thương binh và Xã hội huyện chủ trì", "Phòng Lao động - Thương binh và Xã hội huyện"),
    ("phối hợp với Văn phòng Đăng ký đất đai tỉnh rút ngắn thời gian", "Văn phòng Đăng ký đất đai tỉnh"),
    # an area unit named or not ("khu vực" alone, then the verb or "nơi ...")
    ("Trung tâm Y tế khu vực phối hợp với Trạm Y tế xã", "Trung tâm Y tế khu vực"),
    ("Kho bạc Nhà nước khu vực nơi giao dịch đối chiếu số liệu", "Kho bạc Nhà nước khu vực nơi giao dịch"),
    ("Chi cục Hải quan nơi vận chuyển đi lập biên bản", "Chi cục Hải quan nơi vận chuyển đi"),
    ("phối hợp với Chi cục Hải quan cửa khẩu quốc tế Bờ Y tăng cường tuần tra", "Chi cục Hải quan cửa khẩu quốc tế Bờ Y"),
    ("Chi cục Hải quan nơi đang lưu giữ hàng hóa thực hiện", "Chi cục Hải quan nơi đang lưu giữ hàng hóa"),
])
def test_unlisted_name_ends_before_its_verb(phrase, text):
    assert text in [a.text for a in find_agencies(phrase)]


@pytest.mark.parametrize("phrase,name", [
    ("Đề nghị Ủy ban Mặt trận Tổ quốc tỉnh phối hợp", "Ủy ban Mặt trận Tổ quốc tỉnh"),  # as written (SPEC §9)
    ("Ủy ban MTTQ Việt Nam xã tuyên truyền", "Ủy ban Mặt trận Tổ quốc Việt Nam xã"),
])
def test_front_committee_named_as_written(phrase, name):
    assert [a.name for a in find_agencies(phrase)] == [name]


# A heading written in capitals names its bodies in capitals
@pytest.mark.parametrize("phrase,text", [
    ("II. TRÁCH NHIỆM CỦA CỤC AN TOÀN THÔNG TIN", "CỤC AN TOÀN THÔNG TIN"),
    ("I. TRÁCH NHIỆM CỦA CÁC BỘ, CƠ QUAN NGANG BỘ, CƠ QUAN THUỘC CHÍNH PHỦ VÀ ỦY BAN NHÂN DÂN CÁC TỈNH",
     "CÁC BỘ, CƠ QUAN NGANG BỘ, CƠ QUAN THUỘC CHÍNH PHỦ"),
])
def test_bodies_in_a_heading_in_capitals(phrase, text):
    assert text in [a.text for a in find_agencies(phrase)]


# Names found unread by the round-8 probe letters (post-2025 tax offices, inspectorates, standing offices,
# companies and cooperatives named in lower case first, taxpayers as a class), then heads and divisions,
# "cùng cấp" and "còn lại", and the names found by the round-9 probes
@pytest.mark.parametrize("phrase,full", [
    ("I. ĐỐI VỚI THUẾ CƠ SỞ 1 ĐẾN THUẾ CƠ SỞ 12", "Thuế cơ sở 1 đến Thuế cơ sở 12"),
    ("Giao Thuế cơ sở 3 rà soát nợ thuế", "Thuế cơ sở 3"),
    ("gửi Thuế cơ sở 02 bản để theo dõi", "Thuế cơ sở"),  # a count, not the unit's number
    ("Thanh tra Sở phối hợp với Phòng Quản lý giao thông", "Thanh tra Sở"),
    ("Thanh tra Sở Giao thông vận tải kiểm tra xe khách", "Thanh tra Sở Giao thông vận tải"),
    ("Thanh tra Bộ Y tế chủ trì", "Thanh tra Bộ Y tế"),
    ("gửi về Văn phòng Thường trực Ban Chỉ đạo phòng, chống thiên tai và tìm kiếm cứu nạn tỉnh trước 15 giờ",
     "Văn phòng Thường trực Ban Chỉ đạo phòng, chống thiên tai và tìm kiếm cứu nạn tỉnh"),
    ("phối hợp với HTX dịch vụ nông nghiệp Ngọc Thiện bơm tiêu úng", "Hợp tác xã dịch vụ nông nghiệp Ngọc Thiện"),
    ("Công ty cổ phần Cấp nước Sóc Trăng bảo đảm nước sạch", "Công ty cổ phần Cấp nước Sóc Trăng"),
    ("Công ty TNHH MTV Khai thác công trình thủy lợi tỉnh Sóc Trăng vận hành cống",
     "Công ty TNHH MTV Khai thác công trình thủy lợi tỉnh Sóc Trăng"),
    ("Sở Công Thương chỉ đạo Công ty Điện lực Huế phát quang hành lang lưới điện", "Công ty Điện lực Huế"),
    ("Chi cục Chăn nuôi và Thú y tăng thời lượng tuyên truyền", "Chi cục Chăn nuôi và Thú y"),
    ("Thuế tỉnh Đồng Nai đề nghị các doanh nghiệp, tổ chức, hộ kinh doanh:", "các doanh nghiệp, tổ chức, hộ kinh doanh"),
    ("Báo Đấu thầu ngày 26 tháng 3 năm 2019 đưa tin", "Báo Đấu thầu"),
    # heads and divisions
    ("2. Các thành viên Ban Chỉ đạo:", "các Thành viên Ban Chỉ đạo"),
    ("3. Thủ trưởng các phòng, đơn vị trực thuộc Sở:", "Thủ trưởng các phòng, đơn vị trực thuộc Sở"),
    ("Trưởng các phòng nghiệp vụ, Trưởng Công an các huyện, thị xã, thành phố chịu trách nhiệm:",
     "Trưởng các phòng nghiệp vụ"),
    ("Các phòng thuộc Thuế tỉnh;", "các phòng thuộc Thuế tỉnh"),
    ("Giao Văn phòng Thường trực Ban Chỉ đạo (Chi cục Thủy lợi) theo dõi", "Văn phòng Thường trực Ban Chỉ đạo"),
    # a body at the reader's own level and the rest of a class, as written
    ("phối hợp với Chi cục Thuế cùng cấp đánh giá khả năng thu", "Chi cục Thuế cùng cấp"),
    ("kiến nghị Ủy ban nhân dân cùng cấp xử lý", "Ủy ban nhân dân cùng cấp"),
    ("Báo cáo Thường trực Hội đồng nhân dân cùng cấp", "Thường trực Hội đồng nhân dân cùng cấp"),
    ("Ủy ban nhân dân các huyện, thị xã, thành phố còn lại tổ chức tuyên truyền",
     "Ủy ban nhân dân các huyện, thị xã, thành phố còn lại"),
    # found by the round-9 probes (development after their blind score)
    ("Ủy ban nhân dân các tỉnh vùng đồng bằng sông Cửu Long khẩn trương", "Ủy ban nhân dân các tỉnh vùng đồng bằng sông Cửu Long"),
    ("các chi bộ, đảng bộ cơ sở tổ chức đại hội", "các chi bộ, đảng bộ cơ sở"),
    ("Hội LHPN các huyện, thị xã, thành phố", "Hội Liên hiệp Phụ nữ các huyện, thị xã, thành phố"),
    ("Giao Cục Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ theo dõi",
     "Cục Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ"),
    ("Các chủ rừng là tổ chức xây dựng phương án", "các chủ rừng là tổ chức"),
    ("2. Các đại học, học viện, trường đại học", "các đại học, học viện, trường đại học"),
    ("Đề nghị Ủy ban Trung ương MTTQ Việt Nam và các tổ chức thành viên", "các tổ chức thành viên"),
])
def test_names_read_whole(phrase, full):
    assert full in [a.full_name for a in find_agencies(phrase)]


def test_a_cased_head_is_no_verb():
    """"Lãnh đạo" heads a body only when written with its capital; in lower case it is the verb."""
    assert [a.full_name for a in find_agencies("trình Lãnh đạo Sở phê duyệt")] == ["Lãnh đạo Sở"]
    assert [a.full_name for a in find_agencies("Các cấp ủy lãnh đạo các cơ quan, đơn vị thực hiện")] == [
        "các cấp ủy", "các cơ quan, đơn vị"]
