"""Rules of normalizer 1.20 (the audit of held-back sets v26, v27 and v28 and the readings their headers list):
look-alike letters (the eth "Ð" for "Đ", Cyrillic letters inside Latin words), a document code after a slash never
joined into a title, a type glued to its issuer ("NĐCP"), a ministry's department after its code, an office's own code
first, hyphenated loanwords, two names with a lopsided hyphen, a word glued to an acronym by a hyphen, the acronyms of
the sets' topics, "TP." before a name in lower case, "GS.TS", a dot decimal in a percentage, a date alone on its line,
"bắt đầu" before a date, a paper's plain name as a byline, "mỗi ha", "/công", body names and document titles in all-caps
headings, a title after a part's label. Sentences are new, written for these tests (none is taken from a set).
Sentences of earlier sets given up by these conventions are listed in given_up_1_20.tsv."""

from __future__ import annotations

import pytest

from audio_library.text import normalize


@pytest.mark.parametrize(("text", "expected"), [
    # The Latin eth typed for "Đ"/"đ" is the same letter.
    ("Ðoàn công tác đến xã Ðông Sơn hôm qua.", "Đoàn công tác đến xã Đông Sơn hôm qua."),
    ("Công văn 12/QÐ-UBND đã gửi.", "Công văn mười hai, quyết định, Ủy ban nhân dân đã gửi."),
    ("Bà con ðã nhận quà.", "Bà con đã nhận quà."),
    # A Cyrillic look-alike inside a Latin word is the Latin letter; a Cyrillic word stays as written.
    ("Xã Tân Hоà có ba thôn.", "Xã Tân Hoà có ba thôn."),
    ("Đoàn đi Москва tuần tới.", "Đoàn đi Москва tuần tới."),
])
def test_look_alike_letters(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # A code after the slash is the document's type, never the joined title ("CTUBND" Chủ tịch Ủy ban nhân dân).
    ("Theo Chỉ thị số 07/CT-UBND của tỉnh.", "Theo Chỉ thị số không bảy, chỉ thị, Ủy ban nhân dân của tỉnh."),
    # …but the hyphenated field outside a number is still joined ("Sở VH-TTDL").
    ("Sở VH-TTDL tổ chức hội thi.", "Sở Văn hóa, Thể thao và Du lịch tổ chức hội thi."),
    # A type glued to its issuer.
    ("Theo Nghị định 12/2024/NĐCP.", "Theo Nghị định mười hai, năm hai nghìn không trăm hai mươi bốn, nghị định, "
                                     "Chính phủ."),
    # Unknown glued codes are still spelled.
    ("Mẫu số 3/XYZQ.", "Mẫu số ba, ích xì i dài dét quy."),
    # A ministry's department after the ministry's code; "TT" first is still the circular.
    ("Công văn 88/BNN-TY về dịch bệnh.", "Công văn tám mươi tám, Bộ Nông nghiệp và Phát triển nông thôn, Thú y về "
                                         "dịch bệnh."),
    ("Quyết định 91/QĐ-BNN-TT về giống lúa.", "Quyết định chín mươi mốt, quyết định, Bộ Nông nghiệp và Phát triển "
                                              "nông thôn, Trồng trọt về giống lúa."),
    ("Thông tư 05/2023/TT-BYT có hiệu lực.", "Thông tư không năm, năm hai nghìn không trăm hai mươi ba, thông tư, "
                                             "Bộ Y tế có hiệu lực."),
    # An office's own code first names the offices.
    ("Văn bản 140/BVTV-HTQT gửi các tỉnh.", "Văn bản một trăm bốn mươi, Bảo vệ thực vật, Hợp tác quốc tế gửi "
                                            "các tỉnh."),
    ("Kèm theo 16/2001/QĐ-BKHCNMT.", "Kèm theo mười sáu, năm hai nghìn không trăm linh một, quyết định, Bộ Khoa "
                                     "học, Công nghệ và Môi trường."),
])
def test_document_codes(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Mỗi hộ nhận 5 cuộn ni-lông và một ti-vi.", "Mỗi hộ nhận năm cuộn ni-lông và một ti-vi."),
    ("Giá 3 đô-la một lít xi-măng.", "Giá ba đô-la một lít xi-măng."),
    ("Cánh đồng rộng 40 héc-ta.", "Cánh đồng rộng bốn mươi héc ta."),
    # A number after the hyphen is no acronym: "Covid-19" stays one name.
    ("Phòng chống Covid-19 ở xã.", "Phòng chống Cô vít mười chín ở xã."),
    # Two Vietnamese words joined by a hyphen are still a dash.
    ("Phát triển kinh tế-văn hóa.", "Phát triển kinh tế - văn hóa."),
    # Two names with a hyphen on one side.
    ("Tuyến đường Tân Phú- Đạ Huoai đã thông.", "Tuyến đường Tân Phú - Đạ Huoai đã thông."),
    ("Tỉnh Thừa Thiên- Huế mưa lớn.", "Tỉnh Thừa Thiên- Huế mưa lớn."),
    # A lower-case word glued to an acronym.
    ("Phòng Nông nghiệp-PTNT huyện họp.", "Phòng Nông nghiệp - Phát triển nông thôn huyện họp."),
])
def test_hyphens(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Nông dân mua BHNN cho đàn bò.", "Nông dân mua bảo hiểm nông nghiệp cho đàn bò."),
    ("Chợ bán RAT mỗi sáng.", "Chợ bán rau an toàn mỗi sáng."),
    ("Đoàn viếng NTLS xã.", "Đoàn viếng nghĩa trang liệt sĩ xã."),
    ("Đội quy tập 12 HCLS.", "Đội quy tập mười hai hài cốt liệt sĩ."),
    ("Thăm Mẹ VNAH ở thôn Đông.", "Thăm Mẹ Việt Nam anh hùng ở thôn Đông."),
    ("Mẫu ADN được gửi đi.", "Mẫu a đê en được gửi đi."),
    ("Ban TTND xã họp quý.", "Ban Thanh tra nhân dân xã họp quý."),
    ("Ban GSĐTCCĐ kiểm tra công trình.", "Ban Giám sát đầu tư của cộng đồng kiểm tra công trình."),
    ("Phòng LĐ-TB và XH huyện.", "Phòng Lao động - Thương binh và Xã hội huyện."),
    ("Cán bộ Viện PYQĐ đến.", "Cán bộ Viện Pháp y Quân đội đến."),
    ("Cục DTNN khu vực và kho DTQG.", "Cục Dự trữ Nhà nước khu vực và kho dự trữ quốc gia."),
    ("UBMT Tổ quốc xã họp.", "Ủy ban Mặt trận Tổ quốc xã họp."),
    ("Ông là GS.TS ngành y.", "Ông là giáo sư, tiến sĩ ngành y."),
    ("Mời PGS. TSKH Hồ Văn Nam.", "Mời phó giáo sư, tiến sĩ khoa học Hồ Văn Nam."),
    # A lone title keeps its reading.
    ("Mời TS. Phan Văn Tú.", "Mời tiến sĩ Phan Văn Tú."),
    ("Hộ dùng 40 KWh mỗi tháng.", "Hộ dùng bốn mươi ki lô oát giờ mỗi tháng."),
])
def test_topic_acronyms(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Công an TP. Vĩnh Yên ra quân.", "Công an thành phố Vĩnh Yên ra quân."),
    ("Đoàn về TP.Tuy Hòa hôm qua.", "Đoàn về thành phố Tuy Hòa hôm qua."),
    ("UBND TP.Đông Hà họp.", "Ủy ban nhân dân thành phố Đông Hà họp."),
    # A line's first word, Hồ Chí Minh, and a company's name keep the capital.
    ("TP.Vị Thanh có mưa.", "Thành phố Vị Thanh có mưa."),
    # …and so does one that opens a sentence inside the line.
    ("Mưa lớn. TP. Vị Thanh ngập nặng.", "Mưa lớn. Thành phố Vị Thanh ngập nặng."),
    ("Khách từ TP.Hồ Chí Minh đến.", "Khách từ Thành phố Hồ Chí Minh đến."),
    ("Công ty Cấp nước TP. Vinh thông báo.", "Công ty Cấp nước Thành phố Vinh thông báo."),
])
def test_city_in_lower_case(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Tỷ lệ đạt 42.5% năm nay.", "Tỷ lệ đạt bốn mươi hai phẩy năm phần trăm năm nay."),
    ("Tỷ lệ đạt 7.25% năm nay.", "Tỷ lệ đạt bảy phẩy hai mươi lăm phần trăm năm nay."),
    # Three digits after the dot group thousands.
    ("Tăng 1.200% so với trước.", "Tăng một nghìn hai trăm phần trăm so với trước."),
    ("Mỗi ha lúa cho 6 tấn.", "Mỗi héc ta lúa cho sáu tấn."),
    ("Giá thuê 2 triệu đồng/công.", "Giá thuê hai triệu đồng mỗi công."),
])
def test_numbers_and_units(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("12/03/2021", "Mười hai tháng ba năm hai nghìn không trăm hai mươi mốt"),
    ("Họp ngày 12/03/2021", "Họp ngày mười hai tháng ba năm hai nghìn không trăm hai mươi mốt"),
    ("Hạn nộp 12/03/2021 tại xã.", "Hạn nộp ngày mười hai tháng ba năm hai nghìn không trăm hai mươi mốt tại xã."),
    ("Quy định áp dụng bắt đầu 1/7/2025 trên cả nước.",
     "Quy định áp dụng bắt đầu một tháng bảy năm hai nghìn không trăm hai mươi lăm trên cả nước."),
])
def test_dates(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Baolaocai - Vụ lúa năm nay được mùa.", "Vụ lúa năm nay được mùa."),
    # A Vietnamese word, a foreign word or a country is no paper's name.
    ("Vinamilk - Doanh nghiệp sữa lớn.", "Vi na min - Doanh nghiệp sữa lớn."),  # 1.22: the brand is said (v32)
    ("Singapore - Việt Nam ký thỏa thuận.", "Singapore - Việt Nam ký thỏa thuận."),
    ("Hà Nội - Hải Phòng thông xe.", "Hà Nội - Hải Phòng thông xe."),
])
def test_plain_name_byline(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("KẾT QUẢ CỦA BAN THANH TRA NHÂN DÂN PHƯỜNG", "Kết quả của Ban Thanh tra nhân dân phường"),
    ("TRIỂN KHAI NGHỊ QUYẾT SỐ 12/NQ-HĐND CỦA TỈNH",
     "Triển khai Nghị quyết số mười hai, nghị quyết, Hội đồng nhân dân của tỉnh"),
    # A document word with no number after it is a common noun.
    ("CÁC QUYẾT ĐỊNH MỚI CỦA TỈNH", "Các quyết định mới của tỉnh"),
    ("Mục 2. TRÁCH NHIỆM, QUYỀN HẠN", "Mục hai. Trách nhiệm, quyền hạn"),
    # A label followed by a title in sentence case is left as written.
    ("Điều 7. Trách nhiệm của xã", "Điều bảy. Trách nhiệm của xã"),
    # The colon of an all-caps title opens no capital part (v28); a province's name keeps its capitals.
    ("KẾT QUẢ THI ĐUA : NHIỀU ĐIỂM SÁNG Ở QUẢNG TRỊ", "Kết quả thi đua: nhiều điểm sáng ở Quảng Trị"),
])
def test_headings(text: str, expected: str) -> None:
    assert normalize(text) == expected
