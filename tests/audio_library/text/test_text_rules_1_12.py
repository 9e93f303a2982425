"""Rules added in normalizer 1.12 (audit of the held-back set v11), on sentences written for these tests.

Each class has cases where the rule must fire and cases where it must not: "gọi tắt là" names a thing (no hotline
digits after it), stages "chặng đường I", degrees typed "oC", centimetres, grams written with a space ("5 g") or before
a slash, spans of clock times written with "giờ", how often ("tuần/lần"), weighed rations
per head ("kg cám/trâu bò"), a dash glued to a title, and the context readings of BCH and MN.
"""

from __future__ import annotations

import pytest

from audio_library.text import normalize
from audio_library.text.normalizer import NORMALIZER_VERSION


def test_version_bumped_for_the_tts_cache() -> None:
    assert NORMALIZER_VERSION.startswith("vi-admin-1.")  # 1.13.0 since: see test_text_rules_1_13.py


@pytest.mark.parametrize(("text", "expected"), [
    # "gọi tắt là", "gọi là" name a thing: the number after it is a number, not digits to dial.
    ("Đề án được gọi tắt là Đề án 1286 của tỉnh.",
     "Đề án được gọi tắt là Đề án một nghìn hai trăm tám mươi sáu của tỉnh."),
    ("Nhóm này thường được gọi là Tổ 1500 người.", "Nhóm này thường được gọi là Tổ một nghìn năm trăm người."),
    # A call is still a call.
    ("Khi có cháy, hãy gọi ngay 114.", "Khi có cháy, hãy gọi ngay một một bốn."),
    ("Người dân gọi tổng đài 1022 để phản ánh.", "Người dân gọi tổng đài một không hai hai để phản ánh."),
])
def test_calling_words_that_name(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Kết thúc chặng đường II của đề án.", "Kết thúc chặng đường hai của đề án."),
    ("Dự án bước sang chặng III.", "Dự án bước sang chặng ba."),
    # No Roman numeral: the capital stays a letter or a word.
    ("Chặng đường Mai Châu dài lắm.", "Chặng đường Mai Châu dài lắm."),
])
def test_stages_in_roman_numerals(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Đêm nay nhiệt độ xuống 6oC ở vùng cao.", "Đêm nay nhiệt độ xuống sáu độ xê ở vùng cao."),
    ("Ban ngày có nơi trên 35ºC.", "Ban ngày có nơi trên ba mươi lăm độ xê."),
    ("Cây cao 25 cm thì tỉa.", "Cây cao hai mươi lăm xăng ti mét thì tỉa."),
    # "oC" with no number before it is left as written.
    ("Ký hiệu oC ghi trên nhiệt kế.", "Ký hiệu oC ghi trên nhiệt kế."),
])
def test_degrees_and_centimetres(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # Grams: "g" written apart from its number, or before a slash.
    ("Pha 20 g đường vào một lít nước.", "Pha hai mươi gam đường vào một lít nước."),
    ("Dùng 10 g/50 kg thể trọng.", "Dùng mười gam trên năm mươi ki lô gam thể trọng."),
    ("Trộn 3g/lít nước.", "Trộn ba gam mỗi lít nước."),
    # The hour written "g" is glued to its number, or has its minutes.
    ("Họp lúc 8g sáng thứ Hai.", "Họp lúc tám giờ sáng thứ Hai."),
    # 1.15: minutes after "h" are said bare (v11, v14).
    ("Khai mạc lúc 14g30 tại hội trường.", "Khai mạc lúc mười bốn giờ ba mươi tại hội trường."),
])
def test_grams_and_the_hour_written_g(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Tiếp dân từ 8 giờ 15 - 11 giờ 45 hằng ngày.",
     "Tiếp dân từ tám giờ mười lăm đến mười một giờ bốn mươi lăm hằng ngày."),
    # 1.15: minutes after "h" are said bare (v11, v14).
    ("Cắt điện 6 giờ - 9h30 sáng mai.", "Cắt điện sáu giờ đến chín giờ ba mươi sáng mai."),
    # Minutes after a time, then a count of minutes: a range of numbers, no second clock time.
    ("Xe chờ từ 7 giờ 10 - 20 phút.", "Xe chờ từ bảy giờ mười đến hai mươi phút."),
    # A dash with no time after it is no range.
    ("Lúc 9 giờ - trời đã sáng.", "Lúc chín giờ - trời đã sáng."),
])
def test_spans_of_clock_times_written_with_gio(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # How often: a span of days, weeks, months or years before "/lần".
    ("Khám sức khỏe định kỳ 6 tháng/lần.", "Khám sức khỏe định kỳ sáu tháng một lần."),
    ("Tưới nước 3 - 4 ngày/lần.", "Tưới nước ba đến bốn ngày một lần."),
    # How long each time: minutes or hours keep "mỗi".
    ("Tập thể dục 45 phút/lần.", "Tập thể dục bốn mươi lăm phút mỗi lần."),
    # A weighed ration is given per head.
    ("Cho ăn 3 kg thức ăn tinh/con mỗi ngày.", "Cho ăn ba ki lô gam thức ăn tinh mỗi con mỗi ngày."),
    ("Hỗ trợ 15 kg gạo tẻ/nhân khẩu.", "Hỗ trợ mười lăm ki lô gam gạo tẻ mỗi nhân khẩu."),
    # An area or a count before the noun names alternatives, as before.
    ("Gieo trồng 120 ha lúa/màu.", "Gieo trồng một trăm hai mươi héc ta lúa, màu."),
    ("Có 12 thôn/tổ dân phố tham gia.", "Có mười hai thôn, tổ dân phố tham gia."),
])
def test_how_often_and_rations_per_head(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Dự có ông Trần Văn Bình -CT UBND xã.", "Dự có ông Trần Văn Bình - Chủ tịch Ủy ban nhân dân xã."),
    ("Bà Lê Thị Hoa -Bí thư chi bộ phát biểu.", "Bà Lê Thị Hoa - Bí thư chi bộ phát biểu."),
    # 1.19: before a lower-case word too, a hyphen between words is a dash (v24, v25: "kinh tế-xã hội" "kinh tế - xã
    # hội").
    ("Phát triển kinh tế -xã hội của xã.", "Phát triển kinh tế - xã hội của xã."),
])
def test_dash_glued_to_a_title(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("BCH Quân sự xã tổ chức huấn luyện.", "Ban Chỉ huy Quân sự xã tổ chức huấn luyện."),
    ("Kiện toàn BCH phòng thủ dân sự huyện.", "Kiện toàn Ban Chỉ huy phòng thủ dân sự huyện."),
    # Before a Party, Union or association body it is the executive committee.
    ("BCH Đoàn xã họp phiên thường kỳ.", "Ban Chấp hành Đoàn xã họp phiên thường kỳ."),
    ("Đại hội bầu BCH Hội Cựu chiến binh.", "Đại hội bầu Ban Chấp hành Hội Cựu chiến binh."),
])
def test_bch_by_its_field(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Hỗ trợ học sinh vùng DTTS và MN đến trường.", "Hỗ trợ học sinh vùng dân tộc thiểu số và miền núi đến trường."),
    ("Các xã MN, biên giới được ưu tiên.", "Các xã miền núi, biên giới được ưu tiên."),
    ("Rét đậm ở vùng MN phía Bắc.", "Rét đậm ở vùng miền núi phía Bắc."),
    # Schools keep "mầm non".
    ("Trường MN Sao Mai khai giảng.", "Trường Mầm non Sao Mai khai giảng."),
    ("Giáo viên MN và TH dự tập huấn.", "Giáo viên mầm non và tiểu học dự tập huấn."),
])
def test_mn_next_to_the_areas_it_is_listed_with(text: str, expected: str) -> None:
    assert normalize(text) == expected
