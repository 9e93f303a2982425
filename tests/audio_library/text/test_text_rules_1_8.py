"""Normalizer 1.8: the classes left in the audit of held-back v7 (a development set since 1.8): a percentage range
written with a sign on both ends ("2%-3%"), a date typed with spaces around its slashes, a grade letter after
"loại/hạng/nhóm/mức" (never a Roman numeral "C" = 100), volts and kilovolts, the dotted "TT." (thị trấn) glued to
a place name, a document type glued to its number ("NĐ49"), "Ban TV" (Thường vụ) beside "TV" the television, and
"TNNT" (Ban Thanh niên nông thôn of the Youth Union).

Each test uses new sentences written for it, not sentences of any case table (rules-source, v1-v7), so that a rule
is checked on its class and not on the string it was chosen from.
"""

from __future__ import annotations

import pytest

from audio_library.text import normalize
from audio_library.text.normalizer import NORMALIZER_VERSION


def test_version_bumped_for_the_tts_cache() -> None:
    assert NORMALIZER_VERSION != "vi-admin-1.7.0"  # 1.8 bumped it; the current value is pinned in test_text_rules_1_10


@pytest.mark.parametrize(("text", "expected"), [
    ("Tỷ lệ hộ nghèo giảm 2%-3% mỗi năm.", "Tỷ lệ hộ nghèo giảm hai phần trăm đến ba phần trăm mỗi năm."),
    ("Độ che phủ rừng tăng 40% - 42%.", "Độ che phủ rừng tăng bốn mươi phần trăm đến bốn mươi hai phần trăm."),
    ("Năng suất tăng 10-15% so với vụ trước.", "Năng suất tăng mười đến mười lăm phần trăm so với vụ trước."),
])
def test_a_percentage_range_reads_both_ends_with_den(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Hạn nộp hồ sơ trước ngày 15 / 10/ 2024.",
     "Hạn nộp hồ sơ trước ngày mười lăm tháng mười năm hai nghìn không trăm hai mươi bốn."),
    ("Sáng 3 /2 /2025, xã tổ chức lễ chào cờ.",
     "Sáng ba tháng hai năm hai nghìn không trăm hai mươi lăm, xã tổ chức lễ chào cờ."),
])
def test_a_date_typed_with_spaces_around_its_slashes_is_one_date(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Cơ sở được xếp hạng B.", "Cơ sở được xếp hạng bê."),
    ("Nhiều giếng nước xếp loại D về chất lượng.", "Nhiều giếng nước xếp loại dê về chất lượng."),
    ("Hộ thuộc nhóm C được hỗ trợ trước.", "Hộ thuộc nhóm xê được hỗ trợ trước."),
    ("Trường đạt chuẩn loại III.", "Trường đạt chuẩn loại ba."),  # a Roman numeral stays one
    # 1.21: a capital whose name is the letter itself stays as written, "hạng A" (v30).
    ("Đơn vị hạng II và hạng A.", "Đơn vị hạng hai và hạng A."),
])
def test_a_grade_letter_is_read_by_its_name_not_as_a_roman_numeral(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_volts_and_kilovolts() -> None:
    assert normalize("Đường dây 35kV và điện áp 220 V ổn định, trạm 250kVA.") == (
        "Đường dây ba mươi lăm ki lô vôn và điện áp hai trăm hai mươi vôn ổn định, "
        "trạm hai trăm năm mươi ki lô vôn am pe.")


@pytest.mark.parametrize(("text", "expected"), [
    ("UBND TT.Phong Thổ thông báo lịch tiêm.", "Ủy ban nhân dân thị trấn Phong Thổ thông báo lịch tiêm."),
    ("Công an TT.Tam Đường tuần tra.", "Công an thị trấn Tam Đường tuần tra."),
])
def test_the_dotted_tt_glued_to_a_place_name_is_thi_tran(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_tt_before_a_document_number_is_still_thong_tu() -> None:
    # 1.19: before its number the type is the document's title, "Thông tư" with its capital (v23 "TT 33/2015/TT-BYT").
    assert normalize("Thực hiện TT 05/2023 về lưu trữ.").startswith("Thực hiện Thông tư")


@pytest.mark.parametrize(("text", "expected"), [
    ("Chế độ theo NĐ116 và QĐ1719.",
     "Chế độ theo nghị định một trăm mười sáu và quyết định một nghìn bảy trăm mười chín."),
    ("Hướng dẫn thực hiện NQ19 của Trung ương.", "Hướng dẫn thực hiện nghị quyết mười chín của Trung ương."),
])
def test_a_document_type_glued_to_its_number(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Ban TV Đảng ủy xã họp định kỳ.", "Ban Thường vụ Đảng ủy xã họp định kỳ."),
    ("Hộ nghèo được tặng TV và tủ lạnh.", "Hộ nghèo được tặng ti vi và tủ lạnh."),
    ("Ban TNNT Trung ương Đoàn hướng dẫn.", "Ban Thanh niên nông thôn Trung ương Đoàn hướng dẫn."),
])
def test_ban_tv_is_the_standing_committee_and_tv_alone_the_television(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Căn cứ Thông tư số 40/2021/TT-BTC của Bộ.",
     "Căn cứ Thông tư số bốn mươi, năm hai nghìn không trăm hai mươi mốt, thông tư, Bộ Tài chính của Bộ."),
    ("BTC giải chạy thông báo lịch thi.", "Ban tổ chức giải chạy thông báo lịch thi."),  # 1.18: lower case (v18)
])
def test_btc_is_the_ministry_of_finance_only_as_a_documents_issuer(text: str, expected: str) -> None:
    assert normalize(text) == expected
