"""Normalisation (SPEC §7) on real phrases from the seeds and the corpus."""
import pytest

from extract.normalize import fix_tones, normalize

TONES = [
    # (as written in real letters, normalised)
    ("Uỷ ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh"),  # 020 Lai Châu
    ("UỶ BAN NHÂN DÂN", "ỦY BAN NHÂN DÂN"),
    ("minh hoạ", "minh họa"),  # 000 caption "(ảnh minh hoạ)"
    ("Thanh Hoá", "Thanh Hóa"),
    ("đơn giản hoá thủ tục", "đơn giản hóa thủ tục"),
    ("thuỷ lợi", "thủy lợi"),
    ("tuỳ theo", "tùy theo"),
    ("khoẻ mạnh", "khỏe mạnh"),
    ("hoà bình", "hòa bình"),
    # left alone
    ("quý III/2024", "quý III/2024"),
    ("hoàn thành", "hoàn thành"),
    ("ngoài ra", "ngoài ra"),
    ("khuỷu tay", "khuỷu tay"),
    ("Ủy ban", "Ủy ban"),
    ("văn hóa", "văn hóa"),
]


@pytest.mark.parametrize("raw,expected", TONES)
def test_tone_placement(raw, expected):
    assert fix_tones(raw) == expected


def test_nfc_and_decomposed_input():
    decomposed = "Ủy ban nhân dân tỉnh".encode("utf-8").decode("utf-8")
    import unicodedata

    nfd = unicodedata.normalize("NFD", decomposed)
    assert normalize(nfd)[0] == "Ủy ban nhân dân tỉnh\n"


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("Ngày 21/ 5,  UBND tỉnh\tbanh Công văn", "Ngày 21/ 5, UBND tỉnh banh Công văn\n"),
        ("Bản để in\u00a0 Lưu dạng file\r\n", "Bản để in Lưu dạng file\n"),
        ("a\u200bb  \n\n\nc", "ab\n\n\nc\n"),  # line breaks kept
    ],
)
def test_whitespace(raw, expected):
    assert normalize(raw)[0] == expected


def test_mojibake_repaired_with_warning():
    broken = "Chá»§ tá»‹ch UBND tá»‰nh yÃªu cáº§u"
    text, warnings = normalize(broken)
    assert text == "Chủ tịch UBND tỉnh yêu cầu\n"
    assert any("mojibake" in w for w in warnings)


def test_unrepairable_line_is_reported(seed_gold):
    from conftest import raw_text

    text, warnings = normalize(raw_text("001_61c48b8bbe7a94e8.txt"))
    assert "\ufffd" in text  # not invented away
    assert any("U+FFFD" in w for w in warnings)


def test_clean_text_has_no_warnings():
    from conftest import raw_text

    _, warnings = normalize(raw_text("004_cbb06b3a45a81e29.txt"))
    assert warnings == []


@pytest.mark.parametrize("broken,fixed", [
    # UTF-8 read as Windows-1252, then a soft hyphen (invisible) lost on copying: "váº­n" -> "váºn"
    ("phá»‘i há»£p vá»›i CÃ´ng an tá»‰nh kiá»ƒm soÃ¡t viá»‡c váºn chuyá»ƒn, xá» lÃ½ nghiÃªm",
     "phối hợp với Công an tỉnh kiểm soát việc vận chuyển, xử lý nghiêm"),
    ("lá»±c lÆ°á»£ng quáº£n lÃ½ thá»‹ trÆ°á»ng", "lực lượng quản lý thị trường"),
])
def test_mojibake_with_a_lost_byte(broken, fixed):
    out, warnings = normalize(broken)
    assert out.strip() == fixed
    assert any("mojibake" in w for w in warnings)
