"""Rules of normalizer 1.21 (the audit of held-back sets v29, v30 and v31 and the readings their headers list): decimals
written with a dot in a measure, coordinates and the dash between them, values listed after "lần lượt là", "richter",
"cm3", "MHz", per-day volumes "mỗi ngày đêm", a cube's stray "3" after a magnitude word, capital letters whose name is
the letter itself ("A1", "hạng A"), times to the second and zero seconds, a word glued to a number after "Khoảng", an
unknown acronym in brackets after a body's full name, context readings (PV:, các em HS, Phó GĐ, ngành GDĐT, công trình
NN-PTNT), departments after a ministry's code, quoted names in all-caps headings, a hyphen between a lower-case word and
a name, "ngày" said only where written, schools named after a date, a five-digit typo year, a bracket before a spaced
ellipsis, "Internet" as a common noun, "VH-TT&TT-TH". Sentences are new, written for these tests (none is taken from a
set). Sentences of earlier sets given up by these conventions are listed in given_up_1_21.tsv."""

from __future__ import annotations

import pytest

from audio_library.text import normalize


@pytest.mark.parametrize(("text", "expected"), [
    # A dot before one digit after a measuring word, before a unit or before "độ" is a decimal point.
    ("Dư chấn có độ lớn 2.9 vào sáng qua.", "Dư chấn có độ lớn hai phẩy chín vào sáng qua."),
    ("Cường độ 4.0 được ghi nhận tại trạm.", "Cường độ bốn phẩy không được ghi nhận tại trạm."),
    ("Mưa làm mực nước dâng thêm 1.4m trong đêm.", "Mưa làm mực nước dâng thêm một phẩy bốn mét trong đêm."),
    ("Ghi nhận trận rung 4.7 độ ở vùng núi.", "Ghi nhận trận rung bốn phẩy bảy độ ở vùng núi."),
    ("Các dư chấn có độ lớn lần lượt là 2.1, 2.4 và 3.3.",
     "Các dư chấn có độ lớn lần lượt là hai phẩy một, hai phẩy bốn và ba phẩy ba."),
    ("Độ sâu từ 6.5 đến 9.2 km.", "Độ sâu từ sáu phẩy năm đến chín phẩy hai ki lô mét."),
    ("Tâm chấn ở 15.432 độ vĩ Bắc, 108.105 độ kinh Đông.",
     "Tâm chấn ở mười lăm phẩy bốn trăm ba mươi hai độ vĩ Bắc, một trăm linh tám phẩy một trăm linh năm độ kinh Đông."),
    # Negative: section numbers, versions and thousands keep their reading.
    ("Xem mục 4.2 của hướng dẫn.", "Xem mục bốn chấm hai của hướng dẫn."),
    ("Chuyển đổi số trong thời kỳ 4.0 là tất yếu.", "Chuyển đổi số trong thời kỳ bốn chấm không là tất yếu."),
    ("Xã có 2.500 hộ dân.", "Xã có hai nghìn năm trăm hộ dân."),
])
def test_dot_decimals_in_measures(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Tâm chấn tại 14,5 độ vĩ Bắc-108,2 độ kinh Đông.",
     "Tâm chấn tại mười bốn phẩy năm độ vĩ Bắc - một trăm linh tám phẩy hai độ kinh Đông."),
    # Values one by one after "lần lượt là" are a list; two numbers with a dash stay a range.
    ("Mực nước lần lượt là 1,2 - 1,5 - 1,9 mét.",
     "Mực nước lần lượt là một phẩy hai, một phẩy năm, một phẩy chín mét."),
    ("Mỗi lớp có từ 30 - 35 em.", "Mỗi lớp có từ ba mươi đến ba mươi lăm em."),
])
def test_coordinates_and_listed_values(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Trận rung mạnh 3,9 độ richter.", "Trận rung mạnh ba phẩy chín độ rích te."),
    ("Thang Richter đo độ lớn.", "Thang Rích te đo độ lớn."),
    ("Xe máy dưới 110cm3 và xe trên 150 cm3.",
     "Xe máy dưới một trăm mười xăng ti mét khối và xe trên một trăm năm mươi xăng ti mét khối."),
    ("Đài phát trên tần số 99,5 MHz, sóng trung 675 kHz.",
     "Đài phát trên tần số chín mươi chín phẩy năm mê ga héc, sóng trung sáu trăm bảy mươi lăm ki lô héc."),
    ("Trạm bơm cấp 6.000 m3/ngày đêm cho thị trấn.", "Trạm bơm cấp sáu nghìn mét khối mỗi ngày đêm cho thị trấn."),
    # Negative: a flow per second keeps "trên".
    ("Lưu lượng về hồ đạt 250 m3/s.", "Lưu lượng về hồ đạt hai trăm năm mươi mét khối trên giây."),
    ("Hồ chứa khoảng 12 triệu m 3 (đầy hồ).", "Hồ chứa khoảng mười hai triệu mét khối, đầy hồ."),
])
def test_units(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Thi sát hạch hạng A1 và A2 vào thứ Bảy.", "Thi sát hạch hạng A một và A hai vào thứ Bảy."),
    ("Người có bằng hạng A được lái mô tô.", "Người có bằng hạng A được lái mô tô."),
    ("Gia đình ở ấp Phú Lợi A2, xã Tân Phú.", "Gia đình ở ấp Phú Lợi A hai, xã Tân Phú."),
    # Negative: other letters are said by their name.
    ("Đơn vị đóng quân ở khu K12.", "Đơn vị đóng quân ở khu ca mười hai."),
    ("Xếp loại B cho hồ sơ.", "Xếp loại bê cho hồ sơ."),
])
def test_capital_letters_named_by_themselves(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Còi báo lúc 4h15'40 sáng nay.", "Còi báo lúc bốn giờ mười lăm phút bốn mươi giây sáng nay."),
    ("Tàu qua lúc 9 giờ 05 phút 00 giây.", "Tàu qua lúc chín giờ năm phút."),
    ("Khoảng21h, xe cứu thương đến nơi.", "Khoảng hai mươi mốt giờ, xe cứu thương đến nơi."),
    # Negative: minutes alone keep their reading.
    ("Họp lúc 14h30'.", "Họp lúc mười bốn giờ ba mươi phút."),
])
def test_times_to_the_second(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Theo Tập đoàn Bưu chính Viễn thông Việt Nam (VNPTX), mạng đã ổn định.",
     "Theo Tập đoàn Bưu chính Viễn thông Việt Nam, Tập đoàn Bưu chính Viễn thông Việt Nam, mạng đã ổn định."),
    ("PV: Xin ông cho biết kết quả?", "Phóng viên: Xin ông cho biết kết quả?"),
    ("Thầy nhắc các em HS đội mũ bảo hiểm.", "Thầy nhắc các em học sinh đội mũ bảo hiểm."),
    ("Bà Lan, Phó GĐ Sở Y tế, phát biểu.", "Bà Lan, Phó giám đốc Sở Y tế, phát biểu."),
    ("Đây là niềm vui của ngành GDĐT tỉnh.", "Đây là niềm vui của ngành giáo dục và đào tạo tỉnh."),
    ("Tỉnh rà soát các công trình NN-PTNT xuống cấp.",
     "Tỉnh rà soát các công trình nông nghiệp và phát triển nông thôn xuống cấp."),
    # Negative: the department keeps its capitals as a body's name.
    ("Sở NN-PTNT họp sáng nay.", "Sở Nông nghiệp và Phát triển nông thôn họp sáng nay."),
    ("Công văn 512/BGDĐT-GDTH đã gửi.",
     "Công văn năm trăm mười hai, Bộ Giáo dục và Đào tạo, Giáo dục Tiểu học đã gửi."),
    ("Ông là cán bộ Trung tâm VH-TT&TT-TH huyện.",
     "Ông là cán bộ Trung tâm Văn hóa - Thể thao và Truyền thanh - Truyền hình huyện."),
])
def test_acronyms(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("PHÁT ĐỘNG PHONG TRÀO “LÀNG QUÊ ĐÁNG SỐNG”", "Phát động phong trào Làng quê đáng sống"),
    # Negative: a quote outside an all-caps heading is only dropped.
    ("Xã phát động phong trào “làng quê đáng sống”.", "Xã phát động phong trào làng quê đáng sống."),
    ("Sinh viên khoa Báo chí-Truyền thông tham gia.", "Sinh viên khoa Báo chí - Truyền thông tham gia."),
    # Negative: a name with capitals on both sides keeps its hyphen.
    ("Đoàn đến tỉnh Bà Rịa-Vũng Tàu.", "Đoàn đến tỉnh Bà Rịa-Vũng Tàu."),
    ("Mọi thôn đều có Internet tốc độ cao.", "Mọi thôn đều có in tơ nét tốc độ cao."),
])
def test_headings_hyphens_and_loanwords(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Hội chợ mở từ ngày 3/6 đến 9/6/2025.",
     "Hội chợ mở từ ngày ba tháng sáu đến chín tháng sáu năm hai nghìn không trăm hai mươi lăm."),
    ("Hạn nộp hồ sơ tới 15/8.", "Hạn nộp hồ sơ tới mười lăm tháng tám."),
    ("Trực chốt từ ngày 5 - 12/2.", "Trực chốt từ ngày năm đến mười hai tháng hai."),
    # Negative: a date with its written "ngày" keeps it.
    ("Hội chợ mở đến ngày 9/6.", "Hội chợ mở đến ngày chín tháng sáu."),
    ("Học sinh Trường THCS 19-5 dự lễ.", "Học sinh Trường trung học cơ sở mười chín tháng năm dự lễ."),
    ("Văn bản ký ngày 12/3/20245 có lỗi.",
     "Văn bản ký ngày mười hai tháng ba năm hai mươi nghìn hai trăm bốn mươi lăm có lỗi."),
])
def test_dates(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_bracket_before_a_spaced_ellipsis() -> None:
    assert normalize("Các xã (xã Hòa Bình) … đều tham gia.") == "Các xã, xã Hòa Bình, … đều tham gia."
