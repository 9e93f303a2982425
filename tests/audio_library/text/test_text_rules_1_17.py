"""Rules of normalizer 1.17 (the audit of held-back sets v19 and v20 and the readings their headers list): "s" in a
spelled acronym is "ét", a slash between two kinds of place, network generations listed with slashes, local numbers
after a calling word, a page's own spelling of a shipped acronym's phrase, a lower-case common-noun acronym after a
department's name, a dateline opening a sentence, a holiday's date after a Tết. Sentences are new, written for these
tests. Sentences of earlier sets given up by these conventions would be listed in given_up_1_17.tsv (none so far). The
version pin moved to test_text_rules_1_18.py."""

from __future__ import annotations

import pytest

from audio_library.text import normalize


@pytest.mark.parametrize(("text", "expected"), [
    # 1.17: "s" inside a spelled acronym is "ét" (v19 "BTS", v6 "SPC", v9 "VMS")
    ("Xã có thêm hai trạm BTS mới.", "Xã có thêm hai trạm bê tê ét mới."),
    ("Dịch ASF đã được khống chế.", "Dịch a ét ép đã được khống chế."),
    ("Mã HS của hàng hóa.", "Mã hát ét của hàng hóa."),
    # 1.17: a slash between two kinds of place is "word, word"; a rate or a count keeps "mỗi"
    ("Sóng đã phủ tới 90% thôn/bản vùng cao.", "Sóng đã phủ tới chín mươi phần trăm thôn, bản vùng cao."),
    ("Gửi về UBND phường/xã nơi cư trú.", "Gửi về Ủy ban nhân dân phường, xã nơi cư trú."),
    ("Cán bộ cấp xã/huyện dự họp.", "Cán bộ cấp xã, huyện dự họp."),
    ("Hỗ trợ 50 triệu đồng/xã.", "Hỗ trợ năm mươi triệu đồng mỗi xã."),
    ("Bình quân 3 thôn/xã.", "Bình quân ba thôn mỗi xã."),
    # 1.17: network generations listed with slashes are alternatives, each read as a lone one
    ("Mạng 4G/5G đã phủ khắp huyện.", "Mạng bốn gờ, năm gờ đã phủ khắp huyện."),
    ("Chuyển từ 2G sang 3G/4G/5G.", "Chuyển từ hai gờ sang ba gờ, bốn gờ, năm gờ."),
    ("Trạm 5G đầu tiên.", "Trạm năm gờ đầu tiên."),
    # 1.17: a local number in dotted groups after a calling word is dictated digit by digit; a quantity is not
    ("Gọi tổng đài điện lực 38.222.444 khi mất điện.",
     "Gọi tổng đài điện lực ba tám, hai hai hai, bốn bốn bốn khi mất điện."),
    ("Đường dây nóng của xã 3822-1234.", "Đường dây nóng của xã ba tám hai hai, một hai ba bốn."),
    ("Dân số 38.222.444 người.", "Dân số ba mươi tám triệu hai trăm hai mươi hai nghìn bốn trăm bốn mươi bốn người."),
    ("Tổng đài có 12.345.678 cuộc gọi.",
     "Tổng đài có mười hai triệu ba trăm bốn mươi lăm nghìn sáu trăm bảy mươi tám cuộc gọi."),
    # 1.17: a shipped acronym is read as the page spells its phrase ("chánh" for "chính"); otherwise as shipped
    ("Sở Giao thông công chánh thành phố (GTCC) đã sửa đèn.",
     "Sở Giao thông công chánh thành phố, Giao thông công chánh, đã sửa đèn."),
    ("Sở GTCC đã sửa đèn.", "Sở Giao thông công chính đã sửa đèn."),
    # 1.17: a department's name with the common-noun acronym after it: the acronym is said in lower case
    ("Sở Khoa học và Công nghệ (KH-CN) tỉnh họp.", "Sở Khoa học và Công nghệ, khoa học và công nghệ, tỉnh họp."),
    # 1.17: a day and month opening a sentence, closed by a comma, is its dateline
    ("15/10, Ủy ban nhân dân tỉnh đã họp.", "Mười lăm tháng mười, Ủy ban nhân dân tỉnh đã họp."),
    ("Ngày 15/10, tỉnh đã họp.", "Ngày mười lăm tháng mười, tỉnh đã họp."),
    ("Có 3/4, tương đương.", "Có ba phần tư, tương đương."),
    # 1.17: a holiday's date after a Tết and "và" takes no "ngày"
    ("Pháo hoa được bắn vào dịp 30/4, Tết Nguyên đán và 2/9.",
     "Pháo hoa được bắn vào dịp ba mươi tháng tư, Tết Nguyên đán và hai tháng chín."),
    ("Họp vào 15/5 và 2/9.", "Họp vào mười lăm tháng năm và ngày hai tháng chín."),
])
def test_rules_1_17(text: str, expected: str) -> None:
    assert normalize(text) == expected
