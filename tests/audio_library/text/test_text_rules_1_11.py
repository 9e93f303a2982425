"""Rules added in normalizer 1.11 (audit of the held-back set v10), on sentences written for these tests.

Each class has cases where the rule must fire and cases where it must not: dash spans of day-months and their shared
"ngày", named days written in lower case, lists of bare days, rounds of a year ("đợt 2/2025"), spans of weekdays,
chains of numbers that are lists, amounts counted out of another ("x … / y …"), averages with a rate, units glued to
"x/y", numbered hamlets with a letter, "&" pairs whose joined letters are a key, kinds of body vs a body's name,
the ellipsis after a bracket, and the population-work abbreviations.
"""

from __future__ import annotations

import pytest

from audio_library.text import normalize
from audio_library.text.normalizer import NORMALIZER_VERSION


def test_version_bumped_for_the_tts_cache() -> None:
    assert NORMALIZER_VERSION.startswith("vi-admin-1.")  # 1.12.0 since: see test_text_rules_1_12.py


@pytest.mark.parametrize(("text", "expected"), [
    # Two day-months joined by a dash are a span of dates, with no calendar word before.
    # 1.21: "ngày" is said only where written, none added after "đến" or inside a day range (v30, v31).
    ("Tuần lễ hưởng ứng diễn ra 10/9 - 16/9 tại các thôn.",
     "Tuần lễ hưởng ứng diễn ra ngày mười tháng chín đến mười sáu tháng chín tại các thôn."),
    # A day's name in lower case says "ngày" already: neither end gets it.
    ("Nhân ngày pháp luật 9/11 - 10/11, xã tổ chức tuyên truyền.",
     "Nhân ngày pháp luật chín tháng mười một đến mười tháng mười một, xã tổ chức tuyên truyền."),
    ("Hưởng ứng ngày hiến máu toàn dân 7/4, xã tổ chức lấy máu.",
     "Hưởng ứng ngày hiến máu toàn dân bảy tháng tư, xã tổ chức lấy máu."),
    # In brackets after a name, a span with a short first end is an aside, read without "ngày".
    ("Tháng hành động vì trẻ em (1/6 - 30/6/2025) có nhiều hoạt động.",
     "Tháng hành động vì trẻ em, một tháng sáu đến ba mươi tháng sáu năm hai nghìn không trăm hai mươi lăm, "
     "có nhiều hoạt động."),
    # A count of days is no day's name.
    ("Còn 3 ngày tập huấn 5/6 lớp.", "Còn ba ngày tập huấn năm trên sáu lớp."),
    ("Nghỉ 3 ngày liền nhau từ 2/9.", "Nghỉ ba ngày liền nhau từ hai tháng chín."),  # 1.18: "từ 1/9" (v21)
    ("Lịch họp ngày mai 5/3 không đổi.", "Lịch họp ngày mai năm tháng ba không đổi."),
])
def test_date_spans_and_named_days(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # A list of bare days ending in a date shares one head.
    ("Xã tổ chức ngày hội (17 và 18-11) tại nhà văn hóa.",
     "Xã tổ chức ngày hội, mười bảy và mười tám tháng mười một, tại nhà văn hóa."),
    ("Lễ hội có các ngày 3, 4 và 5/2.", "Lễ hội có các ngày ba, bốn và năm tháng hai."),
    # Without a date word before it, "và" joins no list of days.
    ("Đội 1, 3 và 4/9 tỉnh tham gia.", "Đội một, ba và bốn trên chín tỉnh tham gia."),
])
def test_lists_of_bare_days(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Tiêm vắc xin đợt 3/2024 cho trẻ dưới 5 tuổi.",
     "Tiêm vắc xin đợt ba năm hai nghìn không trăm hai mươi bốn cho trẻ dưới năm tuổi."),
    ("Kiểm tra lần 2/2026 tại các hộ kinh doanh.",
     "Kiểm tra lần hai năm hai nghìn không trăm hai mươi sáu tại các hộ kinh doanh."),
    # Not after a round word: a month and its year, as before.
    ("Từ tháng 3/2024 xã triển khai.", "Từ tháng ba năm hai nghìn không trăm hai mươi bốn xã triển khai."),
])
def test_rounds_of_a_year(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Tiếp dân thứ 2 - 5 hằng tuần.", "Tiếp dân thứ hai đến thứ năm hằng tuần."),
    ("Làm việc từ thứ 3 – thứ 7.", "Làm việc từ thứ ba đến thứ bảy."),
    ("Mở cửa thứ 2 - CN.", "Mở cửa thứ hai đến chủ nhật."),
    # Going down it is no span of weekdays.
    ("Xếp thứ 6 - 2 trong bảng.", "Xếp thứ sáu - hai trong bảng."),
])
def test_weekday_spans_with_thu(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Tặng quà các cụ tròn 80 - 85 - 90 - 95 tuổi.",
     "Tặng quà các cụ tròn tám mươi, tám mươi lăm, chín mươi, chín mươi lăm tuổi."),
    # Two numbers are a range; a chain that does not go up is left to the other rules.
    ("Trẻ từ 2 - 5 tuổi.", "Trẻ từ hai đến năm tuổi."),
    ("Mã 12 - 8 - 30 giữ nguyên.", "Mã mười hai - tám - ba mươi giữ nguyên."),
])
def test_chains_of_numbers_are_lists(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Xã thu được 150 triệu/300 triệu đồng dự toán.",
     "Xã thu được một trăm năm mươi triệu trên ba trăm triệu đồng dự toán."),
    ("Tỷ lệ là 105,6 trẻ trai/100 trẻ gái.", "Tỷ lệ là một trăm linh năm phẩy sáu trẻ trai trên một trăm trẻ gái."),
    # A decimal count before a slash and a noun is an average: a rate.
    ("Bình quân 1,8 con/hộ gia đình.", "Bình quân một phẩy tám con mỗi hộ gia đình."),
    ("Trung bình 2,5 lao động/cơ sở.", "Trung bình hai phẩy năm lao động mỗi cơ sở."),
    # A whole count keeps "word, word"; a unit glued to "x/y" is read after it.
    ("Có 12 huyện/thị xã tham gia.", "Có mười hai huyện, thị xã tham gia."),
    ("Đã trồng 120/150ha rừng.", "Đã trồng một trăm hai mươi trên một trăm năm mươi héc ta rừng."),
])
def test_amounts_out_of_totals_and_averages(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Khánh thành nhà văn hóa xóm 3B.", "Khánh thành nhà văn hóa xóm ba bê."),
    ("Họp dân tại tổ dân phố 7C.", "Họp dân tại tổ dân phố bảy xê."),
    # A class or a road keeps its capital.
    ("Học sinh lớp 9A tham gia.", "Học sinh lớp chín A tham gia."),
])
def test_numbered_places_with_a_letter(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Tập huấn kiến thức QP&AN cho dân quân.", "Tập huấn kiến thức quốc phòng và an ninh cho dân quân."),
    # A pair that is a key of its own is read by it.
    ("Phòng GD&ĐT huyện tổ chức hội thi.", "Phòng Giáo dục và Đào tạo huyện tổ chức hội thi."),
    ("Chương trình DSVPT được lồng ghép với tư vấn BPTT.",
     "Chương trình dân số và phát triển được lồng ghép với tư vấn biện pháp tránh thai."),
    ("Các ĐB đã biểu quyết thông qua.", "Các đại biểu đã biểu quyết thông qua."),
    ("Sửa chữa nhà VH thôn Đông.", "Sửa chữa nhà văn hóa thôn Đông."),
])
def test_abbreviations(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # A plural or an owner makes a kind of body: its expansion is a common noun.
    ("Các Trung tâm GDNN đã tuyển sinh.", "Các Trung tâm giáo dục nghề nghiệp đã tuyển sinh."),
    ("Mỗi Trường THCS công lập có một thư viện.", "Mỗi Trường trung học cơ sở công lập có một thư viện."),
    # One body keeps its name's capital.
    ("Trung tâm GDNN huyện đã tuyển sinh.", "Trung tâm Giáo dục nghề nghiệp huyện đã tuyển sinh."),
])
def test_kinds_of_body(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Dân số tăng đều (năm 2020)...", "Dân số tăng đều, năm hai nghìn không trăm hai mươi..."),
    ("Các xã đạt 90% ...", "Các xã đạt chín mươi phần trăm ..."),
])
def test_ellipsis_after_a_bracket_or_a_space(text: str, expected: str) -> None:
    assert normalize(text) == expected
