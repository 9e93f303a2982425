"""Rules of normalizer 1.19 (the audit of held-back sets v23, v24 and v25 and the readings their headers list): health
acronyms that are also syllables, health bodies said in lower case unless a name follows, a foreign acronym after its
name written in lower case, a paper's acronym as a byline, datelines ("Cập nhật ngày:", an author's name), a day's name
with "không" and a long name, "≥"/"≤", "mmHg", a broken "m 3", a full date with slashes after "từ", a year span typed
backwards, heading words that end a place name, a dashed city name, a law's name in a heading, "PHẦN I.", a document's
type before its number, counts before an acronym, a hyphen between words, a bracketed span of days without its year,
lists of days before a dashed date, a clause list typed without its space, an emergency centre's number, "L-CTN",
"quán bar". Sentences are new, written for these tests (none is taken from a set). Sentences of earlier sets given up
by these conventions are listed in given_up_1_19.tsv."""

from __future__ import annotations

import pytest

from audio_library.text import normalize


@pytest.mark.parametrize(("text", "expected"), [
    # An all-caps acronym in running text is an acronym even when it spells a syllable ("THA", "BN").
    ("Xã có 120 người mắc THA và 45 BN cần theo dõi.",
     "Xã có một trăm hai mươi người mắc tăng huyết áp và bốn mươi lăm bệnh nhân cần theo dõi."),
    ("Kết hợp YHCT với YHHĐ trong điều trị ĐTĐ.",
     "Kết hợp y học cổ truyền với y học hiện đại trong điều trị đái tháo đường."),
    # Defined in brackets after its phrase written with a capital, the acronym is said again in lower case.
    ("Bệnh Tăng huyết áp (THA) đang trẻ hóa.", "Bệnh Tăng huyết áp, tăng huyết áp, đang trẻ hóa."),
    # …but "THA" as a heading word beside other heading words is the syllable.
    ("THA THỨ CHO NHAU", "Tha thứ cho nhau"),
    ("Ban tổ chức mời BGK chấm thi; Đội SCC trực suốt buổi.",
     "Ban tổ chức mời ban giám khảo chấm thi; Đội sơ cấp cứu trực suốt buổi."),
    ("Luật PCTHRB được tuyên truyền rộng rãi.", "Luật Phòng, chống tác hại của rượu, bia được tuyên truyền rộng rãi."),
])
def test_health_acronyms(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # A code that spells a syllable is defined by its phrase right before its bracket, for the rest of the text.
    ("Xã lập Tổ an ninh (TAN) và mỗi TAN có năm người.",
     "Xã lập Tổ an ninh, tổ an ninh, và mỗi tổ an ninh có năm người."),
    # Undefined and unknown, an all-caps code in running text is spelled, not read as the syllable.
    ("Hôm nay TAN họp.", "Hôm nay tê a en nờ họp."),
    # A word in capitals for emphasis, a Roman numeral and a heading's words are words.
    ("Tuyệt đối KHÔNG sử dụng.", "Tuyệt đối không sử dụng."),
    ("Hội thi lần thứ VI diễn ra.", "Hội thi lần thứ sáu diễn ra."),
    ("TAN HỌC ĐÚNG GIỜ", "Tan học đúng giờ"),
])
def test_codes_that_spell_a_syllable(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # A health body's acronym is a kind of body, in lower case…
    ("Các TYT đều có bác sĩ.", "Các trạm y tế đều có bác sĩ."),
    ("Người dân đến khám tại TYT gần nhà.", "Người dân đến khám tại trạm y tế gần nhà."),
    ("Đã có 12 TTYT được nâng cấp.", "Đã có mười hai trung tâm y tế được nâng cấp."),
    ("Trang thiết bị của TYT xã còn thiếu.", "Trang thiết bị của trạm y tế xã còn thiếu."),
    ("Cán bộ TYT đã đến.", "Cán bộ trạm y tế đã đến."),
    # …and the name of one body before its proper name, or its level and its proper name.
    ("Ông về công tác tại TYT xã Hòa Bình.", "Ông về công tác tại Trạm Y tế xã Hòa Bình."),
    ("Bác sĩ của TTYT Krông Pắc trực đêm.", "Bác sĩ của Trung tâm Y tế Krông Pắc trực đêm."),
    ("Chị điều trị tại BV YHCT Đồng Nai.", "Chị điều trị tại Bệnh viện Y học cổ truyền Đồng Nai."),
    ("Các TYTX đã có bác sĩ; TYTX Tân Lập cũng vậy.", "Các trạm y tế xã đã có bác sĩ; Trạm Y tế xã Tân Lập cũng vậy."),
    # Defined in brackets: the common noun again, in lower case.
    ("Tại Trạm Y tế (TYT) phường, người dân được tiêm.", "Tại Trạm Y tế, trạm y tế, phường, người dân được tiêm."),
])
def test_health_bodies(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # A proper name the text writes with other capitals is said again as written.
    ("Khuyến cáo của tổ chức Y tế Thế giới (WHO) được dịch ra.",
     "Khuyến cáo của tổ chức Y tế Thế giới, tổ chức Y tế Thế giới, được dịch ra."),
    ("Tổ chức Y tế Thế giới (WHO) khuyến cáo.", "Tổ chức Y tế Thế giới, Tổ chức Y tế Thế giới, khuyến cáo."),
])
def test_foreign_acronym_after_its_name(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("(ABC) Sở Y tế vừa ban hành kế hoạch.", "Sở Y tế vừa ban hành kế hoạch."),
    ("BKN - Hội nghị tổng kết diễn ra sáng nay.", "Hội nghị tổng kết diễn ra sáng nay."),
    ("(KT&ĐS) - Chính phủ vừa ban hành nghị định.", "Chính phủ vừa ban hành nghị định."),
    # Real text is kept: a bracketed acronym before a lower-case word, a Roman number, a code the lexicon knows.
    ("(UBND) đã họp.", "Ủy ban nhân dân, đã họp."),
    ("(II) Kết quả thực hiện", "hai, Kết quả thực hiện"),
    ("UBND - Thông báo lịch tiếp dân.", "Ủy ban nhân dân - Thông báo lịch tiếp dân."),
])
def test_bylines_by_acronym(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Ngày đăng: 12/03/2021 08:15",
     "Ngày đăng: mười hai tháng ba năm hai nghìn không trăm hai mươi mốt tám giờ mười lăm phút"),
    ("Cập nhật ngày: 5/11/2022", "Cập nhật ngày: năm tháng mười một năm hai nghìn không trăm hai mươi hai"),
    ("Minh Châu 14/02/2023 09:40",
     "Minh Châu mười bốn tháng hai năm hai nghìn không trăm hai mươi ba chín giờ bốn mươi phút"),
    # A count of days before a colon is no label: the span keeps its "ngày".
    ("Lớp học kéo dài 3 ngày: từ 6 đến hết 8-4.", "Lớp học kéo dài ba ngày: từ ngày sáu đến hết ngày tám tháng tư."),
    # A date in a sentence keeps its "ngày".
    ("Đoàn đến xã 14/02/2023.", "Đoàn đến xã ngày mười bốn tháng hai năm hai nghìn không trăm hai mươi ba."),
])
def test_datelines(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Mít tinh hưởng ứng Ngày thế giới không dùng túi ni lông 3/7.",
     "Mít tinh hưởng ứng Ngày thế giới không dùng túi ni lông ba tháng bảy."),
    ("Nhân Ngày thế giới không thuốc lá (31/5), xã ra quân.",
     "Nhân Ngày thế giới không thuốc lá, ba mươi mốt tháng năm, xã ra quân."),
    ("Ngày Quốc tế Phòng chống ma túy và Đấu tranh chống buôn bán ma túy trái phép (26/6) được hưởng ứng.",
     "Ngày Quốc tế Phòng chống ma túy và Đấu tranh chống buôn bán ma túy trái phép, hai mươi sáu tháng sáu, được "
     "hưởng ứng."),
    # A day and month followed by its year is a date, never a fraction.
    ("Lễ diễn ra 20/11 năm 2024 tại trường.",
     "Lễ diễn ra ngày hai mươi tháng mười một năm hai nghìn không trăm hai mươi bốn tại trường."),
    ("Hưởng ứng Tuần lễ áo xanh (10-16/8) tại xã.", "Hưởng ứng Tuần lễ áo xanh, mười đến mười sáu tháng tám, tại xã."),
    ("Kỷ niệm Quốc khánh 2-9 năm nay.", "Kỷ niệm Quốc khánh hai tháng chín năm nay."),
    ("Trực trong các ngày 28, 29, 30-4 và 1, 2-5.",
     "Trực trong các ngày hai mươi tám, hai mươi chín, ba mươi tháng tư và một, hai tháng năm."),
])
def test_named_days_and_lists_of_days(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Trẻ từ ≥ 6 tuổi và người ≤ 60 tuổi.",
     "Trẻ từ lớn hơn hoặc bằng sáu tuổi và người nhỏ hơn hoặc bằng sáu mươi tuổi."),
    ("Huyết áp 130/85 mmHg là bình thường cao.",
     "Huyết áp một trăm ba mươi trên tám mươi lăm mi li mét thủy ngân là bình thường cao."),
    ("Xe chở 25m 3 đất.", "Xe chở hai mươi lăm mét khối đất."),
])
def test_signs_and_units(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Quy định có hiệu lực từ 01/03/2024.",
     "Quy định có hiệu lực từ một tháng ba năm hai nghìn không trăm hai mươi bốn."),
    ("Từ sau 15/8/2025, xã mới vận hành.",
     "Từ sau mười lăm tháng tám năm hai nghìn không trăm hai mươi lăm, xã mới vận hành."),
    # A span keeps its "ngày", and a dashed date after "từ" too (v25).
    # 1.21: "ngày" is said only where written, none added after "đến" or inside a day range (v30, v31).
    ("Nghỉ từ 1/5/2024 đến 5/5/2024.",
     "Nghỉ từ ngày một tháng năm năm hai nghìn không trăm hai mươi bốn đến năm tháng năm năm hai nghìn không "
     "trăm hai mươi bốn."),
    # 1.22: a dashed full date after "từ" has no added "ngày" either (v34).
    ("Áp dụng từ 20-10-2024.", "Áp dụng từ hai mươi tháng mười năm hai nghìn không trăm hai mươi bốn."),
])
def test_a_full_date_after_tu(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Kế hoạch giai đoạn 2016-2015 được sửa.",
     "Kế hoạch giai đoạn hai nghìn không trăm mười sáu đến hai nghìn không trăm mười lăm được sửa."),
    # Without a word that names a period, numbers going down are no range.
    ("Tỷ số 5-3 nghiêng về đội nhà.", "Tỷ số năm - ba nghiêng về đội nhà."),
])
def test_a_year_span_typed_backwards(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("2. TRÁCH NHIỆM CỦA CÁN BỘ XÃ ĐỐI VỚI NGƯỜI DÂN", "Hai, Trách nhiệm của cán bộ xã đối với người dân"),
    ("HỘI NGHỊ TẠI HUYỆN ĐƯỢC TỔ CHỨC", "Hội nghị tại huyện được tổ chức"),
    ("TUYÊN TRUYỀN TẠI THỊ XÃ BUÔN HỒ", "Tuyên truyền tại thị xã Buôn Hồ"),
    ("HỌP MẶT TẠI THÀNH PHỐ PHAN RANG - THÁP CHÀM", "Họp mặt tại thành phố Phan Rang - Tháp Chàm"),
    ("TRIỂN KHAI LUẬT ĐẤT ĐAI NĂM 2024", "Triển khai Luật Đất đai năm hai nghìn không trăm hai mươi bốn"),
    ("PHỔ BIẾN PHÁP LUẬT CHO NHÂN DÂN", "Phổ biến pháp luật cho nhân dân"),
    ("PHẦN II. TỔ CHỨC THỰC HIỆN", "Phần hai, Tổ chức thực hiện"),
    ("Chương III. QUY ĐỊNH KHÁC", "Chương ba. Quy định khác"),
])
def test_headings(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Căn cứ QĐ 125/QĐ-UBND ngày 3/2/2024.",
     "Căn cứ Quyết định một trăm hai mươi lăm, quyết định, Ủy ban nhân dân ngày ba tháng hai năm hai nghìn không trăm "
     "hai mươi bốn."),
    ("Các TT hướng dẫn đã có.", "Các thông tư hướng dẫn đã có."),
    ("Trả lời công văn số 90/BDN.", "Trả lời công văn số chín mươi, Ban Dân nguyện."),
    ("Lệnh số 03/2024/L-CTN đã công bố.",
     "Lệnh số không ba, năm hai nghìn không trăm hai mươi bốn, lệnh, Chủ tịch nước đã công bố."),
])
def test_documents(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Đã hoàn thành 07/12 ĐVHC cấp xã.", "Đã hoàn thành bảy trên mười hai đơn vị hành chính cấp xã."),
    ("Đạt 2/3 số phiếu.", "Đạt hai phần ba số phiếu."),
    ("Theo điểm 1, 2,3 khoản 4 Điều 6.", "Theo điểm một, hai, ba khoản bốn Điều sáu."),
    ("Giá tăng 2,3 lần.", "Giá tăng hai phẩy ba lần."),
])
def test_counts_and_lists(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Phát triển văn hóa-xã hội bền vững.", "Phát triển văn hóa - xã hội bền vững."),
    ("Phong trào sáng-xanh-sạch.", "Phong trào sáng - xanh - sạch."),
    ("Đội cảnh sát giao thông- Công an huyện.", "Đội cảnh sát giao thông - Công an huyện."),
    # A name's hyphen and a loanword's stay as written.
    ("Tỉnh Bà Rịa-Vũng Tàu tổ chức mít-tinh.", "Tỉnh Bà Rịa-Vũng Tàu tổ chức mít-tinh."),
    ("Kênh Bến Cát- Tân Uyên.", "Kênh Bến Cát - Tân Uyên."),  # 1.20: two names, a dash (v26 "Hồng Thái - Na Hang")
])
def test_a_hyphen_between_words(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Xe của Trung tâm cấp cứu 115 Đà Nẵng đã tới.", "Xe của Trung tâm cấp cứu một một năm Đà Nẵng đã tới."),
    ("Bệnh viện cấp cứu 115 ca trong dịp Tết.", "Bệnh viện cấp cứu một trăm mười lăm ca trong dịp Tết."),
    ("Cấm hút thuốc tại quán bar và nhà hàng.", "Cấm hút thuốc tại quán ba và nhà hàng."),
])
def test_services_and_loanwords(text: str, expected: str) -> None:
    assert normalize(text) == expected


# The lead's review of 1.19: a name written in capitals after a person's title or a family or middle name is a name,
# never spelled as an acronym (the running-text acronym rule above spelled "NAM" "en nờ a em mờ").
@pytest.mark.parametrize(("text", "expected"), [
    ("Ông Trần Văn HÙNG làm tổ trưởng.", "Ông Trần Văn Hùng làm tổ trưởng."),
    ("Hỗ trợ bà LAN và ông BA mỗi người 2 triệu đồng.", "Hỗ trợ bà Lan và ông Ba mỗi người hai triệu đồng."),
    ("Nguyễn Thị HOA, thôn 2.", "Nguyễn Thị Hoa, thôn hai."),
    # …while a code after an ordinary word is still an acronym
    ("Bệnh nhân THA cần tái khám.", "Bệnh nhân tăng huyết áp cần tái khám."),
])
def test_a_name_in_capitals_after_a_title_is_a_name(text: str, expected: str) -> None:
    assert normalize(text) == expected
