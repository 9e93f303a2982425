"""Rules added in normalizer 1.13 (audit of the held-back set v12), on sentences written for these tests.

Each class has cases where the rule must fire, on the siblings a later text will hold, and cases where it must not:
minutes written with their own mark ("11h30p", "9 giờ 15'"), ranges of amounts with a magnitude word or a decimal
part ("500.000 - 1 triệu"), a slash after an amount said with its magnitude ("200 triệu/hợp tác xã"), shares of a
measured whole ("1/3 giá"), road posts written "km" and units after a number said in words ("vài chục km"), one-letter
place units with a space ("H. Mai Châu", "Q.1,") and "Tp."/"Tx.", names with an apostrophe ("H'Mông"), groups and
numbers with a letter ("nhóm IIB", "nhóm 1B", "quốc lộ 7A"), an issuer code one letter off a known one, the acronym
families of wildlife, forest rangers, market control, police, customs, tourism, cooperatives and the youth union's
campaigns, and BL/HG/HQ/SN read by context.
"""

from __future__ import annotations

import pytest

from audio_library.text import normalize
from audio_library.text.normalizer import NORMALIZER_VERSION


def test_version_bumped_for_the_tts_cache() -> None:
    assert NORMALIZER_VERSION.startswith("vi-admin-1.")  # 1.14.0 since: see test_text_rules_1_14.py


@pytest.mark.parametrize(("text", "expected"), [
    ("Đoàn xuất phát lúc 6h45p sáng mai.", "Đoàn xuất phát lúc sáu giờ bốn mươi lăm phút sáng mai."),
    ("Buổi chiều bắt đầu từ 13g30ph.", "Buổi chiều bắt đầu từ mười ba giờ ba mươi phút."),
    ("Xe đón học sinh lúc 16 giờ 20'.", "Xe đón học sinh lúc mười sáu giờ hai mươi phút."),
    ("Tiêm phòng từ 7h15p đến 10h45p.", "Tiêm phòng từ bảy giờ mười lăm phút đến mười giờ bốn mươi lăm phút."),
    ("Trực ban 7h-7h30 và 13h30'-14h.",
     # 1.15: only the marked minutes say "phút" (v11, v14).
     "Trực ban bảy giờ đến bảy giờ ba mươi và mười ba giờ ba mươi phút đến mười bốn giờ."),
    # A written "phút" after the "h" form is said once.
    ("Nghỉ trưa đến 13h30 phút.", "Nghỉ trưa đến mười ba giờ ba mươi phút."),
    # Grams stay grams; minutes without a mark after "giờ" are read as written.
    ("Hòa 5 g muối vào nước.", "Hòa năm gam muối vào nước."),
    ("Họp lúc 8 giờ 15 sáng.", "Họp lúc tám giờ mười lăm sáng."),
])
def test_minutes_with_their_own_mark(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Vé vào cổng từ 300.000 - 2 triệu đồng.", "Vé vào cổng từ ba trăm nghìn đến hai triệu đồng."),
    ("Mỗi suất quà trị giá 700 nghìn - 1 triệu đồng.",
     "Mỗi suất quà trị giá bảy trăm nghìn đến một triệu đồng."),
    ("Thu nhập đạt 4,5 - 6 triệu đồng mỗi tháng.", "Thu nhập đạt bốn phẩy năm đến sáu triệu đồng mỗi tháng."),
    ("Giá bán 650.000đ - 1,1 triệu đồng.", "Giá bán sáu trăm năm mươi nghìn đồng đến một phẩy một triệu đồng."),
    ("Năng suất tăng 2,5 - 3%.", "Năng suất tăng hai phẩy năm đến ba phần trăm."),
    ("Mỗi hộ trồng 0,3 - 0,5 ha chè.", "Mỗi hộ trồng không phẩy ba đến không phẩy năm héc ta chè."),
    # Not a rising range: a score, a count that goes down, a year before a dash.
    ("Đội xã thắng 4 - 2 trong trận chung kết.", "Đội xã thắng bốn - hai trong trận chung kết."),
    ("Giảm từ 3 - 2,5 triệu đồng.", "Giảm từ ba - hai phẩy năm triệu đồng."),
    ("Mùa du lịch 2023 - 3 triệu lượt khách.", "Mùa du lịch hai nghìn không trăm hai mươi ba - ba triệu lượt khách."),
])
def test_ranges_of_amounts(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Mỗi tổ hợp tác được cấp 150 triệu/tổ hợp tác.",
     "Mỗi tổ hợp tác được cấp một trăm năm mươi triệu mỗi tổ hợp tác."),
    ("Phí tham quan 40 nghìn/khách.", "Phí tham quan bốn mươi nghìn mỗi khách."),
    ("Hỗ trợ 2,5 tỷ/công trình.", "Hỗ trợ hai phẩy năm tỷ mỗi công trình."),
    ("Thưởng 3 triệu/xã và 500 nghìn/lượt.", "Thưởng ba triệu mỗi xã và năm trăm nghìn mỗi lượt."),
    ("Kinh phí 20 triệu đồng/HTX.", "Kinh phí hai mươi triệu đồng mỗi hợp tác xã."),
    # An amount out of a total, and a count of places, are no rates.
    ("Đã giải ngân 120 triệu/300 triệu đồng.", "Đã giải ngân một trăm hai mươi triệu trên ba trăm triệu đồng."),
    ("Có 14 xã/thị trấn tham gia.", "Có mười bốn xã, thị trấn tham gia."),
])
def test_a_slash_after_an_amount_said_with_its_magnitude(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Người mua chỉ phải trả 1/2 giá niêm yết.", "Người mua chỉ phải trả một phần hai giá niêm yết."),
    ("Nhà nước hỗ trợ 2/3 chi phí làm chuồng.", "Nhà nước hỗ trợ hai phần ba chi phí làm chuồng."),
    ("Nhà máy chạy 3/4 công suất.", "Nhà máy chạy ba phần tư công suất."),
    ("Gần 1/3 diện tích rừng bị khô hạn.", "Gần một phần ba diện tích rừng bị khô hạn."),
    # A count out of a total and a date keep their readings.
    ("Đã có 5/8 thôn hoàn thành.", "Đã có năm trên tám thôn hoàn thành."),
    ("Hạn chót là ngày 1/3/2025.", "Hạn chót là ngày một tháng ba năm hai nghìn không trăm hai mươi lăm."),
])
def test_shares_of_a_measured_whole(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Sạt lở ở km45 tỉnh lộ 12.", "Sạt lở ở ki lô mét bốn mươi lăm tỉnh lộ mười hai."),
    ("Trạm thu phí đặt tại km 18+600.", "Trạm thu phí đặt tại ki lô mét mười tám cộng sáu trăm."),
    ("Chốt kiểm soát ở km số 7.", "Chốt kiểm soát ở ki lô mét số bảy."),
    ("Đi thêm chừng vài chục km nữa.", "Đi thêm chừng vài chục ki lô mét nữa."),
    ("Cả xã có hàng trăm ha quế.", "Cả xã có hàng trăm héc ta quế."),
    ("Cước tính theo km.", "Cước tính theo ki lô mét."),
    # A distance has its number first; "km2" glued is the unit of area.
    ("Đường dài 134 km.", "Đường dài một trăm ba mươi bốn ki lô mét."),
    ("Mật độ 80 người/km2.", "Mật độ tám mươi người mỗi ki lô mét vuông."),
    ("Anh cười ha ha.", "Anh cười ha ha."),
])
def test_road_posts_and_units_after_number_words(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Bản Lác, xã Chiềng Châu, H. Mai Châu.", "Bản Lác, xã Chiềng Châu, huyện Mai Châu."),
    ("Trụ sở đặt tại P. 7, Q. Phú Nhuận.", "Trụ sở đặt tại phường bảy, quận Phú Nhuận."),
    # 1.18: a numbered district is a proper name, "Quận một" (v21).
    ("Ông ngụ P. Bến Thành, Q.1, TP.HCM.", "Ông ngụ phường Bến Thành, Quận một, Thành phố Hồ Chí Minh."),
    ("Hội thảo ở X. Ea Kao.", "Hội thảo ở xã Ea Kao."),
    # 1.20: "TP." before a name in running text is "thành phố" (v27, v28).
    ("Đoàn đến Tp. Buôn Ma Thuột và Tx.Buôn Hồ.", "Đoàn đến thành phố Buôn Ma Thuột và thị xã Buôn Hồ."),
    # A title, an office and a quarter after the same letters are no place.
    ("Dự họp có Q. Giám đốc Sở.", "Dự họp có Q. Giám đốc Sở."),
    ("Nơi nhận: P. Tài chính.", "Nơi nhận: P. Tài chính."),
    ("Doanh thu Q.1/2025 tăng.", "Doanh thu quý một năm hai nghìn không trăm hai mươi lăm tăng."),
])
def test_one_letter_place_units_with_a_space(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Đồng bào H'Mông và M'Nông cùng dự.", "Đồng bào H'Mông và M'Nông cùng dự."),
    ("Người K’Ho ở huyện Lạc Dương.", "Người K’Ho ở huyện Lạc Dương."),  # 1.15: the apostrophe as typed (v14)
    # Quotes are dropped, as before.
    ("Quán có tên 'Nhà Sàn Mường'.", "Quán có tên Nhà Sàn Mường."),
])
def test_an_apostrophe_inside_a_name(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Tê tê thuộc nhóm IB.", "Tê tê thuộc nhóm một bê."),
    ("Cá thể rùa thuộc nhóm II A.", "Cá thể rùa thuộc nhóm hai a."),
    ("Gỗ thuộc loại IIA trong danh mục.", "Gỗ thuộc loại hai a trong danh mục."),
    ("Loài này xếp nhóm 2B.", "Loài này xếp nhóm hai bê."),
    ("Xe buýt tuyến 3B chạy lại.", "Xe buýt tuyến ba bê chạy lại."),
    # 1.18: a road's "A" is kept as written, "quốc lộ một A" (v21).
    ("Cấm đường ở quốc lộ 1A và QL32C.", "Cấm đường ở quốc lộ một A và quốc lộ ba mươi hai xê."),
    ("Họp ở phòng 204D.", "Họp ở phòng hai trăm linh bốn dê."),
    ("Phủ sóng 4G toàn xã.", "Phủ sóng bốn gờ toàn xã."),
    ("Chia lô B3 và lô D4.", "Chia lô bê ba và lô dê bốn."),
    ("Động vật nhóm II và nhóm C.", "Động vật nhóm hai và nhóm xê."),
    ("Thuốc có độc tính nhóm Ib.", "Thuốc có độc tính nhóm một bê."),
    # A class keeps its capital; volts and litres keep their units.
    ("Học sinh lớp 7C dự thi.", "Học sinh lớp bảy C dự thi."),
    ("Lưới điện 380V.", "Lưới điện ba trăm tám mươi vôn."),
])
def test_groups_and_numbers_with_a_letter(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # "BNNPTNN", "SNNPTTN": one letter off a known issuer code of the same kind of body.
    ("Theo Thông tư 12/2021/TT-BNNPTNN của Bộ.",
     "Theo Thông tư mười hai, năm hai nghìn không trăm hai mươi mốt, thông tư, Bộ Nông nghiệp và Phát triển nông thôn "
     "của Bộ."),
    ("Căn cứ Quyết định 45/QĐ-SNNPTTN.",
     "Căn cứ Quyết định bốn mươi lăm, quyết định, Sở Nông nghiệp và Phát triển nông thôn."),
    # A short unknown code is still spelled.
    ("Căn cứ Công văn 8/CV-XYZ.", "Căn cứ Công văn tám, công văn, ích xì i dài dét."),
])
def test_an_issuer_code_one_letter_off(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("CKL vừa kiểm tra các cơ sở nuôi ĐVHD.", "Cục Kiểm lâm vừa kiểm tra các cơ sở nuôi động vật hoang dã."),
    ("Tuần tra bảo vệ ĐVR và TVR trong KBTTN.",
     "Tuần tra bảo vệ động vật rừng và thực vật rừng trong khu bảo tồn thiên nhiên."),
    ("ĐKLCĐ phối hợp CSMT kiểm tra.", "Đội Kiểm lâm cơ động phối hợp Cảnh sát môi trường kiểm tra."),
    ("CCQLTT tỉnh thu giữ hàng, TCQLTT chỉ đạo.",
     "Chi cục Quản lý thị trường tỉnh thu giữ hàng, Tổng cục Quản lý thị trường chỉ đạo."),
    ("Xử lý GLTM và HKCL trên mạng.", "Xử lý gian lận thương mại và hàng kém chất lượng trên mạng."),
    ("CQCSĐT và CQANĐT vào cuộc.", "Cơ quan Cảnh sát điều tra và Cơ quan An ninh điều tra vào cuộc."),
    ("CCHQ cửa khẩu phối hợp ĐBP và CSB.", "Chi cục Hải quan cửa khẩu phối hợp Đồn Biên phòng và Cảnh sát biển."),
    ("HTXDV có 40 CSLT, hai ĐDL và năm HDV.",
     "Hợp tác xã dịch vụ có bốn mươi cơ sở lưu trú, hai điểm du lịch và năm hướng dẫn viên."),
    ("Sinh viên MHX và XTN giúp làm DLST.",
     "Sinh viên Mùa hè xanh và Xuân tình nguyện giúp làm du lịch sinh thái."),
])
def test_acronym_families(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Tăng cường chống BL, GLTM và HG dịp cuối năm.",
     "Tăng cường chống buôn lậu, gian lận thương mại và hàng giả dịp cuối năm."),
    ("Chi cục HQ tỉnh kiểm tra tờ khai.", "Chi cục Hải quan tỉnh kiểm tra tờ khai."),
    ("Lực lượng HQ tuần tra cửa khẩu.", "Lực lượng hải quan tuần tra cửa khẩu."),
    ("Đối tượng Lò Văn Sơn (SN 1987) bị bắt.",
     "Đối tượng Lò Văn Sơn, sinh năm một nghìn chín trăm tám mươi bảy, bị bắt."),
    ("Chị Hà Thị Mai, SN 2001, ngụ bản Lác.", "Chị Hà Thị Mai, sinh năm hai nghìn không trăm linh một, ngụ bản Lác."),
    # With no such context the keys are left as before.
    ("Mã BL trên phiếu.", "Mã bê e lờ trên phiếu."),
    ("Cửa hàng SN 12 đường Lê Lợi.", "Cửa hàng ét en nờ mười hai đường Lê Lợi."),  # 1.17: "s" is "ét" (v19)
])
def test_keys_read_by_context(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_chip_is_left_as_most_sets_write_it() -> None:
    # v11 and v12 keep "chip" as written, v1 reads "chíp": the reading of most sets wins (see loanwords.tsv).
    assert normalize("Thẻ gắn chip được cấp miễn phí.") == "Thẻ gắn chip được cấp miễn phí."
