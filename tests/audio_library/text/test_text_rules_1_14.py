"""Rules added in normalizer 1.14 (audit of the held-back set v13), on sentences written for these tests.

Each class has cases where the rule must fire, on the siblings a later text will hold, and cases where it must not:
the issuer code TTg read "Thủ tướng Chính phủ"; Roman numerals after the counters of contests and forces ("đội II",
"lần I", "giải III", "hiệp II", "LẦN THỨ VII") and alone ("Khu QLĐB II"); dates named by a day's name ("Ngày Thế giới
phòng, chống lao (24/3)"), a heading's "24/3:", "hôm 18-1", a list of dotted days, "từ 1-12 đến 5-12", a deadline
"trước 30/9", a span after a written "ngày", a street named after a date; documents with a type and no issuer
("96-NĐ", "19 NQ/TW"); a letter closing a place's name ("Long Điền B"); "Q.6," and a list of quarters; "ĐT 166" as a
road; shares after a word of approximation ("trên 1/2") and a decimal rate ("39,98/100.000"); the dash between a name
and a title; a school's level without a name; the acronym families of HIV/AIDS, malaria, sports, youth, roads, tax and
water supply; TNCN, BCT, HCV, XN, TCT, BCS, MN and ĐH read by context, one sense per text; "VH-TTDL" joined; "CĐ" in
lower case.
"""

from __future__ import annotations

import pytest

from audio_library.text import normalize
from audio_library.text.normalizer import NORMALIZER_VERSION


def test_version_bumped_for_the_tts_cache() -> None:
    assert NORMALIZER_VERSION.startswith("vi-admin-1.")  # 1.15.0 since: see test_text_rules_1_15.py


@pytest.mark.parametrize(("text", "expected"), [
    ("Thực hiện Quyết định 712/QĐ-TTg về nước sạch.",
     "Thực hiện Quyết định bảy trăm mười hai, quyết định, Thủ tướng Chính phủ về nước sạch."),
    ("Theo Chỉ thị số 08/CT-TTg và Công điện 33/CĐ-TTg.",
     "Theo Chỉ thị số không tám, chỉ thị, Thủ tướng Chính phủ và Công điện ba mươi ba, công điện, Thủ tướng Chính "
     "phủ."),
    ("Theo chỉ đạo của TTg và PTTg.", "Theo chỉ đạo của Thủ tướng Chính phủ và Phó Thủ tướng."),
    # The capital G of an all-caps heading is the same code.
    ("QUYẾT ĐỊNH SỐ 15/QĐ-TTG", "Quyết định số mười lăm, quyết định, Thủ tướng Chính phủ"),
    # The divisions of a People's Committee office sign after "UBND-"; alone, VX is still the vaccine.
    ("Theo Công văn 310/UBND-VX và 77/UBND-KT, trạm tiêm VX cho trẻ.",
     "Theo Công văn ba trăm mười, Ủy ban nhân dân, Văn xã và bảy mươi bảy, Ủy ban nhân dân, Kinh tế, trạm tiêm vắc xin "
     "cho trẻ."),
])
def test_the_prime_minister_as_issuer(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Giải chia ba đội: đội I, đội II và đội III.", "Giải chia ba đội: đội một, đội hai và đội ba."),
    ("Hội thao lần I được tổ chức ở sân xã.", "Hội thao lần một được tổ chức ở sân xã."),
    ("ĐẠI HỘI THỂ THAO HUYỆN LẦN THỨ VIII", "Đại hội thể thao huyện lần thứ tám"),
    ("Bảng II và cụm III thi đấu vòng I.", "Bảng hai và cụm ba thi đấu vòng một."),
    ("Hiệp II bắt đầu lúc chiều.", "Hiệp hai bắt đầu lúc chiều."),
    ("Em đạt giải I, bạn đạt giải II và giải III.", "Em đạt giải nhất, bạn đạt giải nhì và giải ba."),
    ("Tiểu đoàn IV và Quân đoàn II diễn tập.", "Tiểu đoàn bốn và Quân đoàn hai diễn tập."),
    ("Tỉnh ban bố rủi ro thiên tai cấp độ III.", "Tỉnh ban bố rủi ro thiên tai cấp độ ba."),
    # A numeral of I, V and X alone is a number; in a heading "VI" may be a syllable.
    ("Khu QLĐB IV sửa cầu.", "Khu quản lý đường bộ bốn sửa cầu."),
    ("PHẠM VI ĐIỀU CHỈNH", "Phạm vi điều chỉnh"),
    # Letters after the same counters stay letters.
    ("Đội bóng đứng đầu bảng C, khu D.", "Đội bóng đứng đầu bảng C, khu D."),
])
def test_roman_numerals_after_the_counters_of_contests_and_forces(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Mít tinh hưởng ứng Ngày Thế giới phòng, chống sốt rét (25/4).",
     "Mít tinh hưởng ứng Ngày Thế giới phòng, chống sốt rét, hai mươi lăm tháng tư."),
    ("Nhân ngày Thế giới phòng chống HIV/AIDS 1/12, xã tổ chức diễu hành.",
     "Nhân ngày Thế giới phòng chống hát i vê, ết một tháng mười hai, xã tổ chức diễu hành."),
    ("Kỷ niệm Ngày Thương binh - Liệt sĩ 27-7 năm 2025.",
     "Kỷ niệm Ngày Thương binh - Liệt sĩ hai mươi bảy tháng bảy năm hai nghìn không trăm hai mươi lăm."),
    ("7/4: Ngày Sức khỏe Thế giới", "Bảy tháng tư: Ngày Sức khỏe Thế giới"),
    ("Đoàn về đến xã hôm 12-2 và hôm 14.2.", "Đoàn về đến xã hôm mười hai tháng hai và hôm mười bốn tháng hai."),
    ("Ngừng cấp nước các ngày 3, 4.11.", "Ngừng cấp nước các ngày ba, bốn tháng mười một."),
    ("Cấm xe từ 2-11 đến 6-11.", "Cấm xe từ ngày hai tháng mười một đến ngày sáu tháng mười một."),
    ("Nộp hồ sơ trước 20/8 và trước 1/9/2025.",
     "Nộp hồ sơ trước hai mươi tháng tám và trước một tháng chín năm hai nghìn không trăm hai mươi lăm."),
    # 1.21: "ngày" is said only where written, none added after "đến" or inside a day range (v30, v31).
    ("Đợt tiêm kéo dài từ ngày 5/10- 5/11.",
     "Đợt tiêm kéo dài từ ngày năm tháng mười đến năm tháng mười một."),
    ("Sửa ống ở đường 30 tháng 4, đoạn từ 30 tháng 4 đến cầu Đá.",
     "Sửa ống ở đường ba mươi tháng tư, đoạn từ ba mươi tháng tư đến cầu Đá."),
    # A count before "ngày" names no day; a range of ages is no date; a day with no name before keeps its "ngày".
    ("Còn 2 ngày thi đấu 3/4 trận.", "Còn hai ngày thi đấu ba trên bốn trận."),
    ("Trẻ từ 2-4 đến 5-6 tuổi.", "Trẻ từ hai đến bốn đến năm đến sáu tuổi."),
    ("Xe qua cầu từ 5/9.", "Xe qua cầu từ năm tháng chín."),  # 1.18: "từ 1/9" "từ một tháng chín" (v21)
])
def test_dates_named_by_their_context(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Theo Nghị định số 72-NĐ của Chính phủ.", "Theo Nghị định số bảy mươi hai, nghị định của Chính phủ."),
    ("Thực hiện Nghị quyết số 26 NQ/TW về nông thôn.",
     "Thực hiện Nghị quyết số hai mươi sáu, nghị quyết, Trung ương về nông thôn."),
    ("Chỉ thị số 11-CT của Ban Bí thư.", "Chỉ thị số mười một, chỉ thị của Ban Bí thư."),
    # A count is no document.
    ("Mỗi đội có số 5-7 người.", "Mỗi đội có số năm đến bảy người."),
])
def test_a_document_with_its_type_and_no_issuer(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Lũ cuốn trôi cầu ở xã Vĩnh Lộc B.", "Lũ cuốn trôi cầu ở xã Vĩnh Lộc Bê."),
    ("Cắt nước ấp Tân Hòa C, phường An Lạc A.", "Cắt nước ấp Tân Hòa Xê, phường An Lạc A."),
    # A person's initial is no place.
    ("Ông Trần Văn B dự họp.", "Ông Trần Văn B dự họp."),
])
def test_a_letter_closing_a_place_name(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Mất nước ở khu vực Q.7, Q.12 và P.3 sáng nay.",
     "Mất nước ở khu vực Quận bảy, Quận mười hai và phường ba sáng nay."),  # 1.18: "Quận" (v21)
    ("Doanh thu Q.1, Q.2 năm nay đều tăng.", "Doanh thu quý một, quý hai năm nay đều tăng."),
    ("Cấm xe tải trên QL 20 và ĐT 725, 721.",
     "Cấm xe tải trên quốc lộ hai mươi và đường tỉnh bảy trăm hai mươi lăm, bảy trăm hai mươi mốt."),
    ("Sửa đường ĐH 14 và cầu trên ĐT.830.", "Sửa đường huyện mười bốn và cầu trên đường tỉnh tám trăm ba mươi."),
    # A short number after "ĐT" is a phone where no road is spoken of, and so is an emergency number.
    ("Mọi thắc mắc xin liên hệ ĐT 1022.", "Mọi thắc mắc xin liên hệ điện thoại một không hai hai."),
    ("Đường dây nóng ĐT 1022 và ĐT 113.", "Đường dây nóng điện thoại một không hai hai và điện thoại một một ba."),
    ("Xe cứu thương trên đường, gọi ĐT 115.", "Xe cứu thương trên đường, gọi điện thoại một một năm."),
])
def test_districts_and_road_codes(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Xe chỉ được đi trên 1/2 làn đường.", "Xe chỉ được đi trên một phần hai làn đường."),
    ("Hơn 1/3 hộ dân và gần 2/3 thôn có nước sạch.",
     "Hơn một phần ba hộ dân và gần hai phần ba thôn có nước sạch."),
    ("Tỷ lệ mắc là 12,75/100.000 dân.", "Tỷ lệ mắc là mười hai phẩy bảy mươi lăm trên một trăm nghìn dân."),
    # Without a word of approximation a count out of a total stays one.
    ("Có 2/3 thôn hoàn thành.", "Có hai trên ba thôn hoàn thành."),
])
def test_shares_and_rates(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Dự lễ có ông Lê Văn Hùng- Phó Chủ tịch UBND xã.",
     "Dự lễ có ông Lê Văn Hùng - Phó Chủ tịch Ủy ban nhân dân xã."),
    ("Tiêm vắc xin Covid- 19 cho trẻ.", "Tiêm vắc xin Cô vít mười chín cho trẻ."),
    ("Đoàn Trường THCS và Trường TH và THCS Hòa Bình.",
     "Đoàn Trường trung học cơ sở và Trường tiểu học và trung học cơ sở Hòa Bình."),
    # 1.16: "THPT" in lower case before a name too (v18); was v10's capital.
    ("Học sinh Trường THPT Lê Lợi và Trường MN số 3.",
     "Học sinh Trường trung học phổ thông Lê Lợi và Trường Mầm non số ba."),
    ("Chủ tịch CĐ cơ sở trao quà cho đoàn viên CĐ.",
     "Chủ tịch công đoàn cơ sở trao quà cho đoàn viên công đoàn."),
])
def test_dashes_and_capitals(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Số ca AIDS giảm; người NCMT và PNBD được cấp BKT.",
     "Số ca ết giảm; người nghiện chích ma túy và phụ nữ bán dâm được cấp bơm kim tiêm."),
    ("Xã có 2 BNSR ngoại lai; cô TPT Đội dạy phòng bệnh.",
     "Xã có hai bệnh nhân sốt rét ngoại lai; cô Tổng phụ trách Đội dạy phòng bệnh."),
    ("Theo TCYTTG và FAO, KSTSR kháng thuốc đang lan rộng.",
     "Theo Tổ chức Y tế Thế giới và Tổ chức Lương thực và Nông nghiệp Liên hợp quốc, ký sinh trùng sốt rét kháng thuốc "
     "đang lan rộng."),
    ("Đội có 12 VĐV và 2 HLV, giành 1 HCB và 3 HCĐ tại HKPĐ.",
     "Đội có mười hai vận động viên và hai huấn luyện viên, giành một huy chương bạc và ba huy chương đồng tại Hội "
     "khỏe Phù Đổng."),
    ("Lực lượng DQCĐ và LLDQCĐ xã tham gia VCK.",
     "Lực lượng dân quân cơ động và lực lượng dân quân cơ động xã tham gia vòng chung kết."),
    ("Xe vượt trạm KTTTX để tránh trạm BOT.", "Xe vượt trạm kiểm tra tải trọng xe để tránh trạm bê ô tê."),
    ("Cục ĐKVN và TTĐK tỉnh kiểm tra KCHTGT.",
     "Cục Đăng kiểm Việt Nam và Trung tâm Đăng kiểm tỉnh kiểm tra kết cấu hạ tầng giao thông."),
    ("Sở GTCC sửa ống, XLNT đạt chuẩn, khu vực NQD nộp thuế đủ.",
     "Sở Giao thông công chính sửa ống, xử lý nước thải đạt chuẩn, khu vực ngoài quốc doanh nộp thuế đủ."),
    ("Sở VH-TTDL và Trung tâm VHTT-HTCĐ xã phối hợp.",
     "Sở Văn hóa, Thể thao và Du lịch và Trung tâm Văn hóa thông tin - Học tập cộng đồng xã phối hợp."),
])
def test_acronym_families(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Giải cầu lông cho TNCN khu công nghiệp; TNCN được tặng áo.",
     "Giải cầu lông cho thanh niên công nhân khu công nghiệp; thanh niên công nhân được tặng áo."),
    ("Người nộp thuế TNCN được giảm trừ gia cảnh.", "Người nộp thuế thu nhập cá nhân được giảm trừ gia cảnh."),
    ("Trung tâm Dịch vụ Thanh niên công nhân (TNCN) mở lớp.",
     "Trung tâm Dịch vụ Thanh niên công nhân, thanh niên công nhân, mở lớp."),
    ("Thực hiện Kết luận 15-KL/TW của BCT.", "Thực hiện Kết luận mười lăm, kết luận, Trung ương của Bộ Chính trị."),
    ("BCT cấp phép nhập khẩu xăng dầu.", "Bộ Công Thương cấp phép nhập khẩu xăng dầu."),
    ("Đoàn giành 2 HCV môn bơi.", "Đoàn giành hai huy chương vàng môn bơi."),
    ("XN máu tìm KST sốt rét; XN cấp nước số 2 ngưng cấp nước.",
     "Xét nghiệm máu tìm ký sinh trùng sốt rét; xí nghiệp cấp nước số hai ngưng cấp nước."),
    ("TCT nhắc các cục thuế đôn đốc thu thuế.", "Tổng cục Thuế nhắc các cục thuế đôn đốc thu thuế."),
    ("TCT Điện lực cắt điện.", "Tổng công ty Điện lực cắt điện."),
    ("BCS Đảng họp; phát BCS cho người nhiễm HIV.",
     "Ban cán sự Đảng họp; phát bao cao su cho người nhiễm hát i vê."),
    ("Hỗ trợ đồng bào DTTS ở MN.", "Hỗ trợ đồng bào dân tộc thiểu số ở miền núi."),
    ("Sinh viên ĐH Huế và ĐH Sư phạm tình nguyện.", "Sinh viên Đại học Huế và Đại học Sư phạm tình nguyện."),
    # A word just before or after a key speaks for that place only, not for the whole text.
    ("Nộp HS tại xã; HS giỏi được khen.", "Nộp hồ sơ tại xã; hát ét giỏi được khen."),  # 1.17: "s" is "ét" (v19)
    # With no context the keys are left as before.
    ("Mã XN ghi trên phiếu.", "Mã xí nghiệp ghi trên phiếu."),
    ("ĐH Đảng bộ xã thành công.", "đê hát Đảng bộ xã thành công."),
])
def test_keys_read_by_context_and_one_sense_per_text(text: str, expected: str) -> None:
    assert normalize(text) == expected
