"""Normalizer 1.10: the classes found in the audit of held-back v9 (a development set since 1.10): a rate that goes on
after its first slash ("đồng/người/khóa học") or follows a counted span of time ("2 tháng/lớp"), a month and year
with a dot after "tháng", document codes with Vietnamese capitals ("BCĐTƯ"), with a slash after the type
("TTLT/BNV-BTC"), written as two known codes together, and the types PL and NQLT, a title's dot before a name ("TS."),
a dotted key that ends a sentence ("toàn TP."), an acronym defined in brackets by the text itself over the lexicon's
reading, festival and sixty-year-cycle names in an all-caps heading, the letter of a legal point ("mục b", "điểm đ"),
"CV" as horsepower and "PV" as reporter by their context, a house number with a letter before the ward of an address,
"ngày" left out of a date dated in brackets after a name, after a day's name, and after "và" when the first date has
its "ngày", and "đến N tháng Giêng" as a day.

Each test uses new sentences written for it, not sentences of any case table (rules-source, v1-v9), so that a rule
is checked on its class and not on the string it was chosen from; each class also has cases where it must not fire.
"""

from __future__ import annotations

import pytest

from audio_library.text import normalize
from audio_library.text.normalizer import NORMALIZER_VERSION


def test_version_bumped_for_the_tts_cache() -> None:
    assert NORMALIZER_VERSION.startswith("vi-admin-1.")  # 1.11.0 since: see test_text_rules_1_11.py


@pytest.mark.parametrize(("text", "expected"), [
    ("Mỗi học viên được hỗ trợ 500.000 đồng/người/đợt tập huấn.",
     "Mỗi học viên được hỗ trợ năm trăm nghìn đồng mỗi người mỗi đợt tập huấn."),
    ("Phụ cấp 30.000 đồng/buổi trực/người.", "Phụ cấp ba mươi nghìn đồng mỗi buổi trực mỗi người."),
    ("Mỗi khóa kéo dài 3 tháng/ lớp.", "Mỗi khóa kéo dài ba tháng mỗi lớp."),
    ("Thời lượng 45 phút/tiết học.", "Thời lượng bốn mươi lăm phút mỗi tiết học."),
    # A pause between the rate and the next slash, or no rate before it: "word/word" is "word, word".
    ("Hỗ trợ 50.000 đồng/người, giáo viên/cán bộ dự lớp.",
     "Hỗ trợ năm mươi nghìn đồng mỗi người, giáo viên, cán bộ dự lớp."),
    ("Rà soát các trường/lớp học.", "Rà soát các trường, lớp học."),
])
def test_a_rate_goes_on_after_its_slash(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Từ tháng 3.2024, xã áp dụng giá mới.",
     "Từ tháng ba năm hai nghìn không trăm hai mươi bốn, xã áp dụng giá mới."),
    ("Số liệu tính đến hết Tháng 12.2025.",
     "Số liệu tính đến hết Tháng mười hai năm hai nghìn không trăm hai mươi lăm."),
    # Without "tháng", or with a month that cannot be, the dotted pair is not a month.
    ("Chỉ số đạt 9.2021 điểm.", "Chỉ số đạt chín chấm hai nghìn không trăm hai mươi mốt điểm."),
    ("Lương tháng 13.2024 chưa chi.", "Lương tháng mười ba chấm hai nghìn không trăm hai mươi bốn chưa chi."),
])
def test_a_month_and_year_with_a_dot(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Thực hiện Hướng dẫn số 12-HD/BTGTƯ của Ban Tuyên giáo.",
     "Thực hiện Hướng dẫn số mười hai, hướng dẫn, Ban Tuyên giáo Trung ương của Ban Tuyên giáo."),
    ("Căn cứ Thông tư liên tịch số 05/2004/TTLT/BNV-BTC ngày 3/2/2004;",
     "Căn cứ Thông tư liên tịch số không năm, năm hai nghìn không trăm linh bốn, thông tư liên tịch, Bộ Nội vụ, "
     "Bộ Tài chính ngày ba tháng hai năm hai nghìn không trăm linh bốn;"),
    ("Theo Kế hoạch số 30/KH-BCĐTƯ năm nay.",
     "Theo Kế hoạch số ba mươi, kế hoạch, Ban Chỉ đạo Trung ương năm nay."),
    ("Căn cứ Pháp lệnh số 02/2022/PL-UBTVQH15;",
     "Căn cứ Pháp lệnh số không hai, năm hai nghìn không trăm hai mươi hai, pháp lệnh, Ủy ban Thường vụ Quốc hội "
     "khóa mười lăm;"),
    ("Nghị quyết liên tịch số 01/2020/NQLT-CP-UBTWMTTQVN quy định rõ.",
     "Nghị quyết liên tịch số không một, năm hai nghìn không trăm hai mươi, nghị quyết liên tịch, Chính phủ, Ủy ban "
     "Trung ương Mặt trận Tổ quốc Việt Nam quy định rõ."),
    # A code that is no two known codes is still spelled; a plain document number is unchanged.
    ("Công văn số 8/UBND-XQZ gửi các thôn.", "Công văn số tám, Ủy ban nhân dân, ích xì quy dét gửi các thôn."),
    ("Quyết định số 15/QĐ-UBND ngày 2/1/2025.",
     "Quyết định số mười lăm, quyết định, Ủy ban nhân dân ngày hai tháng một năm hai nghìn không trăm hai mươi lăm."),
])
def test_document_codes(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Buổi nói chuyện do ThS. Lê Thu Hà trình bày.", "Buổi nói chuyện do Thạc sĩ Lê Thu Hà trình bày."),
    ("Ca mổ do BS. Trần Minh thực hiện.", "Ca mổ do Bác sĩ Trần Minh thực hiện."),
    # 1.20: "GS.TS" "giáo sư, tiến sĩ" (v28), and so the associate professor's pair.
    ("Hội thảo mời PGS.TS. Ngô Văn Lâm.", "Hội thảo mời phó giáo sư, tiến sĩ Ngô Văn Lâm."),
    # At the end of a sentence the dot of a dotted key is its full stop; inside a sentence it is not.
    ("Rác được thu gom khắp TX. Sáng mai ra quân.", "Rác được thu gom khắp thị xã Sáng mai ra quân."),
    ("Xe chở rác chạy quanh TP.", "Xe chở rác chạy quanh thành phố."),
    ("Công an TP. Đà Lạt ra quân.", "Công an thành phố Đà Lạt ra quân."),  # 1.20: "TP." "thành phố" (v27, v28)
])
def test_a_titles_dot_and_a_dotted_key_at_the_end(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Tổ chức ngày hội hiến máu tình nguyện (HMTN) tại xã; HMTN giúp cứu người.",
     "Tổ chức ngày hội hiến máu tình nguyện, hiến máu tình nguyện, tại xã; hiến máu tình nguyện giúp cứu người."),
    # No definition in the text: the lexicon's reading; a phrase whose letters differ defines nothing.
    ("Xã có 12 HMTN được vay vốn.", "Xã có mười hai hộ mới thoát nghèo được vay vốn."),
    ("Hộ gia đình mới (HMTN) được vay vốn.", "Hộ gia đình mới, hộ mới thoát nghèo, được vay vốn."),
])
def test_a_definition_in_brackets_wins_over_the_lexicon(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_a_communes_own_reading_wins_over_a_definition_in_brackets() -> None:
    assert normalize("Hội hiến máu tình nguyện (HMTN) họp.", extra_acronyms={"HMTN": "hội mẹ thôn nam"}) == (
        "Hội hiến máu tình nguyện, hội mẹ thôn nam, họp."
    )


@pytest.mark.parametrize(("text", "expected"), [
    ("CHƯƠNG TRÌNH ĐÓN TẾT NGUYÊN ĐÁN BÍNH NGỌ", "Chương trình đón Tết Nguyên đán Bính Ngọ"),
    ("VUI TẾT TRUNG THU CHO THIẾU NHI", "Vui Tết Trung thu cho thiếu nhi"),
    ("LỄ HỘI XUÂN CANH TÝ", "Lễ hội xuân Canh Tý"),
    # A stem and a branch of different parity name no year; a "tết" that is no festival name stays lower-case.
    ("BÍNH TÝ", "Bính tý"),
    ("XÃ ĐÔNG PHÚ RA QUÂN TẾT TRỒNG CÂY", "Xã Đông Phú ra quân tết trồng cây"),
])
def test_festival_and_cycle_year_names_in_a_heading(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Hành vi này vi phạm điểm c, khoản 3, Điều 12 của Nghị định.",
     "Hành vi này vi phạm điểm xê, khoản ba, Điều mười hai của Nghị định."),
    ("Áp dụng theo điểm a, b và đ khoản 1.", "Áp dụng theo điểm a, bê và đê khoản một."),
    ("Xem tiết g mục 2.", "Xem tiết gờ mục hai."),
    # Not a point's letter: a word, a capital, a list marker.
    ("Mục đích của đợt ra quân là làm sạch đường làng.", "Mục đích của đợt ra quân là làm sạch đường làng."),
    ("Điểm B của tuyến đường.", "Điểm B của tuyến đường."),
])
def test_the_letter_of_a_legal_point(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Tàu có công suất máy chính từ 150 CV trở lên phải lắp thiết bị giám sát.",
     "Tàu có công suất máy chính từ một trăm năm mươi mã lực trở lên phải lắp thiết bị giám sát."),
    ("Theo ghi nhận của PV Đài Phát thanh huyện, nước đã rút.",
     "Theo ghi nhận của phóng viên Đài Phát thanh huyện, nước đã rút."),
    ("Ông Hùng trả lời PV về giá lúa.", "Ông Hùng trả lời phóng viên về giá lúa."),
    ("Tàu cá làm nghề lưới vây được hưởng chính sách HTNL theo quy định.",
     "Tàu cá làm nghề lưới vây được hưởng chính sách hỗ trợ nhiên liệu theo quy định."),
    # CV with no engine, PV before a brand word: as before.
    ("Xã đã ban hành 3 CV hướng dẫn.", "Xã đã ban hành ba công văn hướng dẫn."),
    ("Thực hiện CV số 45 của huyện.", "Thực hiện công văn số bốn mươi lăm của huyện."),
    ("Trạm xăng của PV Oil mở cửa.", "Trạm xăng của pê vê Oil mở cửa."),
])
def test_horsepower_reporter_and_fuel_support_by_context(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Lớp học đặt tại nhà văn hóa 14C, phường Trần Phú.", "Lớp học đặt tại nhà văn hóa mười bốn xê, phường Trần Phú."),
    ("Kho hàng ở 7A, xã Nghĩa Trung.", "Kho hàng ở bảy a, xã Nghĩa Trung."),
    # No address unit after it: a class, a lot keep their capital.
    ("Học sinh lớp 8A, trường Kim Đồng dự thi.", "Học sinh lớp tám A, trường Kim Đồng dự thi."),
])
def test_a_number_with_a_letter_before_an_address_unit(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Kỷ niệm ngày thành lập Đảng (3/2/1930) toàn xã treo cờ.",
     "Kỷ niệm ngày thành lập Đảng, ba tháng hai năm một nghìn chín trăm ba mươi, toàn xã treo cờ."),
    ("Hưởng ứng Ngày Môi trường thế giới 5/6/2025, xã ra quân.",
     "Hưởng ứng Ngày Môi trường thế giới năm tháng sáu năm hai nghìn không trăm hai mươi lăm, xã ra quân."),
    ("Trạm tạm nghỉ ngày 2/9/2025 và 3/9/2025.",
     "Trạm tạm nghỉ ngày hai tháng chín năm hai nghìn không trăm hai mươi lăm và ba tháng chín năm hai nghìn "
     "không trăm hai mươi lăm."),
    ("Tiêm bù vào ngày 14/8, 15/8 tại trạm y tế.",
     "Tiêm bù vào ngày mười bốn tháng tám, mười lăm tháng tám tại trạm y tế."),
    # A weekday before the bracket, a short date in brackets, a first date without "ngày": as before.
    ("Họp vào thứ Sáu (7/3/2025).",
     "Họp vào thứ Sáu, ngày bảy tháng ba năm hai nghìn không trăm hai mươi lăm."),
    ("Nghỉ bù 2/9 và 3/9.", "Nghỉ bù hai phần chín và ngày ba tháng chín."),
    ("Ngày 12/4/2025 khai mạc hội chợ.",
     "Ngày mười hai tháng tư năm hai nghìn không trăm hai mươi lăm khai mạc hội chợ."),
])
def test_ngay_is_left_out_when_the_text_already_says_which_day(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Hội làng mở từ ngày 10 đến 12 tháng Giêng.", "Hội làng mở từ ngày mười đến ngày mười hai tháng Giêng."),
    ("Hạn nộp quỹ đến 23 tháng Chạp.", "Hạn nộp quỹ đến ngày hai mươi ba tháng Chạp."),
    # Months of age and counts are no days.
    ("Trẻ từ 6 đến 12 tháng tuổi được tiêm.", "Trẻ từ sáu đến mười hai tháng tuổi được tiêm."),
])
def test_a_span_of_days_before_a_lunar_month_name(text: str, expected: str) -> None:
    assert normalize(text) == expected
