"""Rules of normalizer 1.18 (the audit of held-back sets v21 and v22 and the readings their headers list): numbered
legal bases after a bullet, a full stop after a multi-level marker, a news page's source credit, a page's dateline, an
ordinal in an all-caps heading, a numbered district, the letter of a road's number, rates per one unit and per a span of
years, a start date after "từ", issuer codes of a council's committee, of a ministry's department and of a ministry's
field, "KĐT", "BQL", "BTC", a company named after a river, "Tp." before a lower-case name. Sentences are new, written
for these tests (none is taken from a set). Sentences of earlier sets given up by these conventions are listed in
given_up_1_18.tsv."""

from __future__ import annotations

import pytest

from audio_library.text import normalize


@pytest.mark.parametrize(("text", "expected"), [
    # A bullet, a number and a document's type: the number labels a list of legal bases
    ("- 7 Nghị định 45/2019/NĐ-CP về đất đai", "Bảy, Nghị định bốn mươi lăm, năm hai nghìn không trăm mười chín, nghị "
                                               "định, Chính phủ về đất đai"),
    ("- 2Thông tư 10/2020/TT-BTC về phí", "Hai, Thông tư mười, năm hai nghìn không trăm hai mươi, thông tư, Bộ Tài "
                                          "chính về phí"),
    ("+ 6 Luật Đất đai năm 2013", "Sáu, Luật Đất đai năm hai nghìn không trăm mười ba"),
    ("- 1. Kế hoạch của xã", "Một, Kế hoạch của xã"),
    ("- 3 Kế hoạch đã ban hành", "Ba Kế hoạch đã ban hành"),
    # …but a count keeps its noun: a leading zero, or no document's type after it
    ("- 03 Biên bản họp thôn", "Ba Biên bản họp thôn"),
    ("- 5 hộ đã nhận tiền", "Năm hộ đã nhận tiền"),
])
def test_bulleted_legal_bases(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("2.3. Kết quả thực hiện", "Hai chấm ba. Kết quả thực hiện"),
    ("5.1.2. Nhiệm vụ cụ thể:", "Năm chấm một chấm hai. Nhiệm vụ cụ thể:"),
    ("1.4.HIỆN TRẠNG RỪNG TỈNH", "Một chấm bốn. Hiện trạng rừng tỉnh"),
    # One level, or no last dot: the comma stays; an index number in a sentence is no label
    ("3. Kết quả thực hiện", "Ba, Kết quả thực hiện"),
    ("Theo mục 2.3.1 của báo cáo.", "Theo mục hai chấm ba chấm một của báo cáo."),
])
def test_a_multi_level_marker_ends_with_a_full_stop(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("(Baonghean.vn) – Chiều qua, huyện đã ra quân trồng cây.", "Chiều qua, huyện đã ra quân trồng cây."),
    ("(Nông Nghiệp) - Vụ quế năm nay được mùa.", "Vụ quế năm nay được mùa."),
    ("(VOV) - Sáng nay xã họp dân.", "Sáng nay xã họp dân."),
    ("(TTXVN) - 12 tỉnh đã họp.", "Mười hai tỉnh đã họp."),
    ("(Hà Tĩnh) - hôm nay trời mưa.", "Hà Tĩnh - hôm nay trời mưa."),
    ("Tuoitre.vn – Thành phố vừa thông qua đề án.", "Thành phố vừa thông qua đề án."),
    ("nongnghiep.vn Tỉnh đã trồng mới rừng keo.", "Tỉnh đã trồng mới rừng keo."),
    # Real text is kept: a bracketed sentence, a lower-case aside, a credit in the middle, a domain inside a sentence
    ("(Kèm theo Kế hoạch của xã) - Danh sách hộ", "Kèm theo Kế hoạch của xã - Danh sách hộ"),
    ("(nếu có) - Hồ sơ gửi về xã.", "nếu có - Hồ sơ gửi về xã."),
    ("Ông Minh (Hội Nông dân) - Chủ nhiệm hợp tác xã.", "Ông Minh, Hội Nông dân - Chủ nhiệm hợp tác xã."),
    ("Xem thêm tại dichvucong.gov.vn để nộp hồ sơ.", "Xem thêm tại dichvucong. gov. vn để nộp hồ sơ."),
])
def test_a_source_credit_opening_a_page_is_dropped(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("14/02/2025 09:30", "Mười bốn tháng hai năm hai nghìn không trăm hai mươi lăm chín giờ ba mươi phút"),
    ("Thứ sáu, 03/10/2025", "Thứ sáu, ba tháng mười năm hai nghìn không trăm hai mươi lăm"),
    ("Tin mới\nChủ nhật, 05/01/2025, 07:15\nXã họp dân.",
     "Tin mới\nChủ nhật, năm tháng một năm hai nghìn không trăm hai mươi lăm, bảy giờ mười lăm phút\nXã họp dân."),
    # A date alone with neither, or a date in a sentence, keeps its "ngày"
    # 1.20: a date alone on its line is a dateline too (v26).
    ("14/02/2025", "Mười bốn tháng hai năm hai nghìn không trăm hai mươi lăm"),
    ("14/02/2025 xã họp dân", "Ngày mười bốn tháng hai năm hai nghìn không trăm hai mươi lăm xã họp dân"),
    ("Xã chốt danh sách 14/02/2025 09:30", "Xã chốt danh sách ngày mười bốn tháng hai năm hai nghìn không trăm hai "
                                           "mươi lăm chín giờ ba mươi phút"),
])
def test_a_page_dateline_has_no_ngay(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("HỘI NGHỊ LẦN THỨ 4", "Hội nghị lần thứ tư"),
    ("ĐẠI HỘI LẦN THỨ 1", "Đại hội lần thứ nhất"),
    ("KỲ HỌP THỨ 15", "Kỳ họp thứ mười lăm"),
    # the weekday is still the weekday
    ("Họp vào Thứ 4 hằng tuần.", "Họp vào Thứ tư hằng tuần."),
])
def test_an_ordinal_in_an_all_caps_heading(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Cửa hàng ở Q.7 đã đóng cửa.", "Cửa hàng ở Quận bảy đã đóng cửa."),
    ("Khách ở Q. 10 đến xem.", "Khách ở Quận mười đến xem."),
    # a ward's number keeps "phường"; a quarter is no district; "quận" written out stays as written
    ("Hộ ở P.5 được hỗ trợ.", "Hộ ở phường năm được hỗ trợ."),
    ("Doanh thu Q.1/2025 tăng.", "Doanh thu quý một năm hai nghìn không trăm hai mươi lăm tăng."),
    ("Dân quận 7 đi bầu.", "Dân quận bảy đi bầu."),
])
def test_a_numbered_district_is_a_name(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Xe tải đi trên quốc lộ 14A qua xã.", "Xe tải đi trên quốc lộ mười bốn A qua xã."),
    ("Sửa QL20A đoạn qua huyện.", "Sửa quốc lộ hai mươi A đoạn qua huyện."),
    ("Mở rộng tỉnh lộ 623C.", "Mở rộng tỉnh lộ sáu trăm hai mươi ba xê."),
    # elsewhere the letter is said by its name, as before
    ("Hộ ở thôn 3A nhận quà.", "Hộ ở thôn ba a nhận quà."),
])
def test_the_letter_of_a_road_number(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Lúa bán 8.000 đồng/1 kg.", "Lúa bán tám nghìn đồng một ki lô gam."),
    ("Mỗi hộ nuôi 2 lứa/1 năm.", "Mỗi hộ nuôi hai lứa một năm."),
    ("Trường kê 3 bàn/1 lớp.", "Trường kê ba bàn một lớp."),
    ("Hỗ trợ 300.000 đồng/ha/3 năm đầu.", "Hỗ trợ ba trăm nghìn đồng mỗi héc ta mỗi ba năm đầu."),
    # a numbered denominator of people stays "trên"; a fraction is a fraction
    ("Cấp 2 suất/tháng/20 học sinh.", "Cấp hai suất mỗi tháng trên hai mươi học sinh."),
    ("Đạt 1/1.000 dân.", "Đạt một trên một nghìn dân."),
])
def test_rates_per_one_unit_and_per_years(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Giá nước mới áp dụng từ 15/3.", "Giá nước mới áp dụng từ mười lăm tháng ba."),
    ("Từ 1/6, xã thu phí rác.", "Từ một tháng sáu, xã thu phí rác."),
    # a span after "từ" and a full date keep their "ngày"
    # 1.21: "ngày" is said only where written, none added after "đến" or inside a day range (v30, v31).
    ("Nghỉ từ 15/3 đến 20/3.",
     "Nghỉ từ ngày mười lăm tháng ba đến hai mươi tháng ba."),
    # 1.19: a full date with slashes after "từ" has no "ngày" either (v23 "từ 01/01/2020", v24 "từ 1/7/2025").
    ("Áp dụng từ 15/3/2026.", "Áp dụng từ mười lăm tháng ba năm hai nghìn không trăm hai mươi sáu."),
])
def test_a_start_date_after_tu(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Báo cáo số 7/BC-VHXH của Hội đồng nhân dân.",
     "Báo cáo số bảy, báo cáo, Ban Văn hóa - Xã hội của Hội đồng nhân dân."),
    ("Công văn số 88/BVHTTDL-DSVH gửi tỉnh.",
     "Công văn số tám mươi tám, Bộ Văn hóa, Thể thao và Du lịch, Di sản văn hóa gửi tỉnh."),
    ("Thông tư 12/2001/TT-BVHTT đã hết hiệu lực.",
     "Thông tư mười hai, năm hai nghìn không trăm linh một, thông tư, Bộ Văn hóa - Thông tin đã hết hiệu lực."),
    ("Thông báo số 9/TB-LĐTBXH về lịch nghỉ.",
     "Thông báo số chín, thông báo, Bộ Lao động - Thương binh và Xã hội về lịch nghỉ."),
    # 1.22: the issuer is named in full (v33, v34).
    ("Tờ trình số 21/TTr-SNN của sở.",
     "Tờ trình số hai mươi mốt, tờ trình, Sở Nông nghiệp và Phát triển nông thôn của sở."),
    # a decision signed by the field may be a province's department: no "Bộ" added
    ("Quyết định số 9/QĐ-LĐTBXH của sở.",
     "Quyết định số chín, quyết định, Lao động - Thương binh và Xã hội của sở."),
    # alone, VHXH is the field
    ("Các chỉ tiêu VHXH đều đạt.", "Các chỉ tiêu văn hóa - xã hội đều đạt."),
])
def test_issuer_codes(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Cư dân KĐT mới phản ánh.", "Cư dân khu đô thị mới phản ánh."),
    ("BQL chợ đã họp tiểu thương.", "Ban quản lý chợ đã họp tiểu thương."),
    ("BTC hội thi trao giải.", "Ban tổ chức hội thi trao giải."),
    ("BTC Tỉnh ủy triển khai nhiệm vụ.", "Ban Tổ chức Tỉnh ủy triển khai nhiệm vụ."),
    ("Thông tư 5/2020/TT-BTC hướng dẫn.", "Thông tư năm, năm hai nghìn không trăm hai mươi, thông tư, Bộ Tài chính "
                                          "hướng dẫn."),
    ("Công an Tp.hạ long đã vào cuộc.", "Công an Thành phố hạ long đã vào cuộc."),
])
def test_acronyms_and_units(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("BÁO CÁO CỦA CÔNG TY THỦY ĐIỆN SÔNG ĐÀ", "Báo cáo của công ty thủy điện Sông Đà"),
    ("HỢP ĐỒNG VỚI CÔNG TY CỔ PHẦN NÚI THÀNH", "Hợp đồng với công ty cổ phần Núi Thành"),
    # a river named alone is the common noun and its name
    ("BẢO VỆ NGUỒN NƯỚC SÔNG ĐÀ", "Bảo vệ nguồn nước sông Đà"),
])
def test_a_company_named_after_a_river_keeps_its_capitals(text: str, expected: str) -> None:
    assert normalize(text) == expected


# Rules of 1.18 written from the lead's own probe sentences (typical commune notices, none from a set): a list of days
# with leading zeros, money shorthand, influenza strains, farm rates, a heading's title after its marker, a
# landline's one-digit group, specialist grades, a vehicle's number plate.
@pytest.mark.parametrize(("text", "expected"), [
    ("Khám bệnh các ngày 04, 05 và 06/3/2027.", "Khám bệnh các ngày bốn, năm và sáu tháng ba năm hai nghìn không trăm "
                                                "hai mươi bảy."),
    ("Nghỉ ngày 02, 03/9.", "Nghỉ ngày hai, ba tháng chín."),
    # a list of days with no date after it keeps its numbers as they are
    ("Họp ngày 5 và 12 hằng tháng.", "Họp ngày năm và mười hai hằng tháng."),
])
def test_a_zero_led_list_of_days(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Hỗ trợ 30 tr.đ cho mỗi hộ.", "Hỗ trợ ba mươi triệu đồng cho mỗi hộ."),
    ("Tổng mức 45trđ.", "Tổng mức bốn mươi lăm triệu đồng."),
    ("Vốn 3,2 tỷ đ từ ngân sách.", "Vốn ba phẩy hai tỷ đồng từ ngân sách."),
    ("Quà trị giá 500 nghìn đ.", "Quà trị giá năm trăm nghìn đồng."),
    # "đ" as the name of a list item is no currency
    ("đ) Các nội dung khác.", "Đê, Các nội dung khác."),
])
def test_money_shorthand(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Đàn vịt nhiễm cúm A/H5N6.", "Đàn vịt nhiễm cúm a hát năm en sáu."),  # 1.21.1: "en"; 1.22: "a" (v33)
    ("Phòng cúm A(H7N9) và H1N1.", "Phòng cúm a hát bảy en chín và hát một en một."),  # 1.22: "a" (v33)
])
def test_influenza_strains(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Phun 3 bình/sào.", "Phun ba bình mỗi sào."),
    ("Nuôi 2 lứa/năm, thu 12 tạ/lứa.", "Nuôi hai lứa mỗi năm, thu mười hai tạ mỗi lứa."),
])
def test_farm_rates(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Chương III. TỔ CHỨC THỰC HIỆN", "Chương ba. Tổ chức thực hiện"),
    ("Điều 5. HIỆU LỰC THI HÀNH", "Điều năm. Hiệu lực thi hành"),
    ("Phụ lục II: BIỂU MẪU BÁO CÁO", "Phụ lục hai: Biểu mẫu báo cáo"),
])
def test_a_headings_title_after_its_marker(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Trực ban: 0236.3.822.115.", "Trực ban: không hai ba sáu, ba, tám hai hai, một một năm."),
    # a date written with dots is no phone number
    ("Ngày 02.3.2027 họp.", "Ngày hai tháng ba năm hai nghìn không trăm hai mươi bảy họp."),
])
def test_a_landline_with_a_one_digit_group(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("BS.CKI Hoàng Văn T trực cấp cứu.", "Bác sĩ chuyên khoa một Hoàng Văn T trực cấp cứu."),
    ("Xe tải mang BKS 36C-456.78 bị giữ.", "Xe tải mang biển kiểm soát ba mươi sáu C bốn trăm năm mươi sáu chấm bảy "
                                           "mươi tám bị giữ."),
    ("BKS quỹ tín dụng họp.", "Ban Kiểm soát quỹ tín dụng họp."),
])
def test_specialist_grades_and_number_plates(text: str, expected: str) -> None:
    assert normalize(text) == expected
