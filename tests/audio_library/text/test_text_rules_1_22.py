"""Rules of normalizer 1.22 (the audit of held-back sets v32, v33 and v34 and the readings their headers list): "PCTT"
with the law's comma, an influenza strain's type letter by its name, list labels in brackets, loanword spellings
("vaccin", "tivi", "Paris", "Vinamilk"), named funds in all-caps headings, "BẢN SAO" in a heading, issuer and division
codes (SNN, CNTY, QLDB), a zero-led count repeated in words in brackets, shares of a day's pay, a count followed by its
percentage in brackets, "ngày" only where written after "có hiệu lực", before a dashed full date and a dotted date
after "từ", context readings (Cổng TTĐT, Vụ GDMN, phát triển GD&ĐT, NXB này), "BLHĐ", and an "&" written with a space.
Sentences are new, written for these tests (none is taken from a set). Sentences of earlier sets given up by these
conventions are listed in given_up_1_22.tsv."""

from __future__ import annotations

import pytest

from audio_library.text import normalize
from audio_library.text.normalizer import NORMALIZER_VERSION


def test_version() -> None:
    assert NORMALIZER_VERSION == "vi-admin-1.22.0"


@pytest.mark.parametrize(("text", "expected"), [
    ("Huyện trích Quỹ PCTT để sửa kè.", "Huyện trích Quỹ phòng, chống thiên tai để sửa kè."),
    ("Xã thu PCTT theo kế hoạch.", "Xã thu phòng, chống thiên tai theo kế hoạch."),
    # Negative: a command board keeps the name the earlier sets read.
    ("BCH PCTT xã họp khẩn.", "Ban Chỉ huy phòng chống thiên tai xã họp khẩn."),
    ("Ban Chỉ huy PCTT và TKCN huyện trực bão.",
     "Ban Chỉ huy phòng chống thiên tai và tìm kiếm cứu nạn huyện trực bão."),
])
def test_disaster_fund_acronym(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Trại gà nhiễm cúm A/H7N9.", "Trại gà nhiễm cúm a hát bảy en chín."),
    ("Chủng B(H3N2) ít gặp hơn.", "Chủng bê hát ba en hai ít gặp hơn."),
    # Negative: a strain without its type letter.
    ("Chủng H5N8 đã được khống chế.", "Chủng hát năm en tám đã được khống chế."),
])
def test_strain_type_letter(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("(1) Hộ nghèo được miễn phí.", "Một, Hộ nghèo được miễn phí."),
    ("(12) Trẻ em dưới sáu tuổi.", "Mười hai, Trẻ em dưới sáu tuổi."),
    ("(b) hồ sơ nộp trực tuyến.", "Bê, hồ sơ nộp trực tuyến."),
    # Negative: a bracketed number inside a sentence stays an aside.
    ("Theo mục (3) của kế hoạch.", "Theo mục, ba, của kế hoạch."),
])
def test_bracketed_list_labels(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Trạm tiêm vaccin dại cho chó.", "Trạm tiêm vắc xin dại cho chó."),
    ("Nhà văn hóa có tivi mới.", "Nhà văn hóa có tivi mới."),
    ("Đoàn công tác đến Paris.", "Đoàn công tác đến Pa ri."),
    ("Sữa Vinamilk được phát cho trẻ.", "Sữa Vi na min được phát cho trẻ."),
    # Negative: "TV" written short is still said.
    ("Xã tặng TV cho hộ nghèo.", "Xã tặng ti vi cho hộ nghèo."),
])
def test_loanword_spellings(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("THU QUỸ PHÒNG, CHỐNG THIÊN TAI NĂM NAY", "Thu Quỹ phòng, chống thiên tai năm nay"),
    ("VẬN ĐỘNG ỦNG HỘ QUỸ VÌ NGƯỜI NGHÈO", "Vận động ủng hộ Quỹ Vì người nghèo"),
    ("CẤP BẢN SAO VÀ BẢN DỊCH", "Cấp bản sao và bản dịch"),
    # Negative: a fund in running text keeps its writer's case; a hamlet keeps its name.
    ("Dân góp quỹ phòng, chống thiên tai.", "Dân góp quỹ phòng, chống thiên tai."),
    ("LŨ QUÉT Ở BẢN PÁC", "Lũ quét ở bản Pác"),
])
def test_headings(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Theo Tờ trình số 12/TTr-SNN của tỉnh.",
     "Theo Tờ trình số mười hai, tờ trình, Sở Nông nghiệp và Phát triển nông thôn của tỉnh."),
    ("Theo công văn số 45/CNTY-QLDB về tiêm phòng.",
     "Theo công văn số bốn mươi lăm, Chi cục Chăn nuôi và Thú y, Quản lý dịch bệnh về tiêm phòng."),
    # Negative: alone, CNTY is the field.
    ("Cán bộ CNTY xã đi kiểm tra.", "Cán bộ chăn nuôi thú y xã đi kiểm tra."),
])
def test_issuer_codes(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Hồ sơ gồm 03 (ba) bản.", "Hồ sơ gồm ba, ba, bản."),
    ("Giảm còn 1/3 ngày công.", "Giảm còn một phần ba ngày công."),
    ("Đạt 45/60 (75%) thôn.", "Đạt bốn mươi lăm trên sáu mươi, bảy mươi lăm phần trăm, thôn."),
    # Negative: a code keeps its zero; a count of days stays a count; a bare fraction is a share.
    ("Mã 07 (A) được cấp.", "Mã không bảy, A, được cấp."),
    ("Có 5/7 ngày nắng.", "Có năm trên bảy ngày nắng."),
    ("Đã xong 2/3.", "Đã xong hai phần ba."),
])
def test_counts_and_shares(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Thông tư có hiệu lực 01/3/2026.", "Thông tư có hiệu lực một tháng ba năm hai nghìn không trăm hai mươi sáu."),
    ("Quy định áp dụng từ 20-5-2026.", "Quy định áp dụng từ hai mươi tháng năm năm hai nghìn không trăm hai mươi sáu."),
    ("Chợ họp từ 5.6 - 9.6.", "Chợ họp từ năm tháng sáu đến chín tháng sáu."),
    # Negative: a written "ngày" stays; a span with slashes after "từ" keeps the earlier sets' "ngày".
    ("Có hiệu lực từ ngày 01/3/2026.",
     "Có hiệu lực từ ngày một tháng ba năm hai nghìn không trăm hai mươi sáu."),
    ("Nghỉ từ 5/6 đến 9/6.", "Nghỉ từ ngày năm tháng sáu đến chín tháng sáu."),
])
def test_day_only_where_written(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Tin đăng trên Cổng TTĐT tỉnh.", "Tin đăng trên Cổng thông tin điện tử tỉnh."),
    ("Ông Tuấn, Vụ trưởng Vụ GDMN, phát biểu.", "Ông Tuấn, Vụ trưởng Vụ Giáo dục mầm non, phát biểu."),
    ("Nghị quyết về đổi mới GD&ĐT.", "Nghị quyết về đổi mới giáo dục và đào tạo."),
    ("Ra mắt sách, NXB này cho biết.", "Ra mắt sách, nhà xuất bản này cho biết."),
    ("Trường tập huấn phòng, chống BLHĐ.", "Trường tập huấn phòng, chống bạo lực học đường."),
    ("Bộ NN& PTNT chỉ đạo.", "Bộ Nông nghiệp và Phát triển nông thôn chỉ đạo."),
    ("Sở GD & ĐT tổ chức thi.", "Sở Giáo dục và Đào tạo tổ chức thi."),
    # Negative: after a body's head the names keep their capitals; an unknown pair stays apart.
    ("Sở GD&ĐT họp báo.", "Sở Giáo dục và Đào tạo họp báo."),
    ("Trang TTĐT của xã.", "Trang thông tin điện tử của xã."),
    ("NXB Kim Đồng phát hành.", "Nhà xuất bản Kim Đồng phát hành."),
])
def test_context_readings(text: str, expected: str) -> None:
    assert normalize(text) == expected
