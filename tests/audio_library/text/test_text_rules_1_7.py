"""Normalizer 1.7: a larger acronym lexicon gathered from public sources (``data/acronyms_public.tsv``), ambiguous
short acronyms read by their context (``data/acronyms_context.tsv``), and the classes left in the audits of v5 and v6
(development sets since 1.7): an issuer code without a document type ("512/BNN-TY"), agency names written short
("Sở LĐ-TBXH"), "ngày" not added after "hôm" or a weekday, a list label glued to its text ("2.1.Việc"), a bulleted
line that starts with a number.

Each test uses new sentences written for it, not sentences of any case table (rules-source, v1-v7), so that a rule
is checked on its class and not on the string it was chosen from.
"""

from __future__ import annotations

import re
import time

import pytest
from heldback_support import check_heldback_set

from audio_library.text import normalize
from audio_library.text.lexicon import ACRONYM_FILES, base_acronyms, context_rules
from audio_library.text.normalizer import NORMALIZER_VERSION

FORBIDDEN = re.compile(r"[0-9/&%]")


def test_version_bumped_for_the_tts_cache() -> None:
    assert NORMALIZER_VERSION.startswith("vi-admin-1.")  # 1.10.0 since: see test_text_rules_1_10.py


def test_public_lexicon_is_loaded_and_large() -> None:
    assert "acronyms_public.tsv" in ACRONYM_FILES
    table = base_acronyms()
    assert len(table) >= 1600
    for key, reading in (("GVBM", "giáo viên bộ môn"), ("CSKCB", "cơ sở khám bệnh, chữa bệnh"),
                         ("TBA", "trạm biến áp"), ("NNT", "người nộp thuế"), ("ĐHĐCĐ", "Đại hội đồng cổ đông")):
        assert table[key] == reading
    # Ambiguous short keys stay out of the general lexicon: they are read by context only.
    for key in ("HS", "MN", "TH", "ĐH", "GD", "ND"):
        assert key not in table
    assert {r.key for r in context_rules()} >= {"HS", "MN", "TH", "ĐH", "CĐ", "GD"}


@pytest.mark.parametrize(("text", "expected"), [
    ("Giáo viên chủ nhiệm và GVBM họp với BĐD CMHS lớp 9A.",
     "Giáo viên chủ nhiệm và giáo viên bộ môn họp với Ban đại diện cha mẹ học sinh lớp chín A."),
    ("Người bệnh đến CSKCB ban đầu đã đăng ký trên thẻ.",
     "Người bệnh đến cơ sở khám bệnh, chữa bệnh ban đầu đã đăng ký trên thẻ."),
    ("Điện lực thay máy tại TBA Đồng Xanh, khách hàng sau TBA mất điện 4 giờ.",
     "Điện lực thay máy tại trạm biến áp Đồng Xanh, khách hàng sau trạm biến áp mất điện bốn giờ."),
    ("Hộ kinh doanh dùng HĐĐT MTT từ quý III.",
     "Hộ kinh doanh dùng hóa đơn điện tử khởi tạo từ máy tính tiền từ quý ba."),
    ("Thửa đất có 200 m2 đất ONT và 350 m2 đất CLN.",
     "Thửa đất có hai trăm mét vuông đất ở tại nông thôn và ba trăm năm mươi mét vuông đất trồng cây lâu năm."),
    ("Đội trưởng ĐDP thôn kiểm tra BCC tại các hộ kinh doanh.",
     "Đội trưởng đội dân phòng thôn kiểm tra bình chữa cháy tại các hộ kinh doanh."),
    ("Tổ CNSCĐ thôn Trung hướng dẫn bà con cài ứng dụng.",
     "Tổ công nghệ số cộng đồng thôn Trung hướng dẫn bà con cài ứng dụng."),
    ("Sáng mai TCty Cấp nước tạm ngừng cấp nước sinh hoạt.",
     "Sáng mai Tổng công ty Cấp nước tạm ngừng cấp nước sinh hoạt."),
])
def test_public_lexicon_entries(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # MN / TH: mầm non / tiểu học after a school word or in a list of school levels; "Trường" starts a name.
    ("Trường MN Sơn Ca khai giảng sớm.", "Trường Mầm non Sơn Ca khai giảng sớm."),
    ("Giáo viên MN được tập huấn chương trình mới.", "Giáo viên mầm non được tập huấn chương trình mới."),
    ("Các điểm trường MN, TH và THCS đều có nước sạch.",
     "Các điểm trường mầm non, tiểu học và trung học cơ sở đều có nước sạch."),
    ("Vùng DTTS&MN được ưu tiên vốn vay.", "Vùng dân tộc thiểu số và miền núi được ưu tiên vốn vay."),
    # HS: hồ sơ after "nộp", "tiếp nhận"; học sinh in a sentence about school.
    ("Bà con nộp HS tại Bộ phận một cửa trước thứ Sáu.", "Bà con nộp hồ sơ tại Bộ phận một cửa trước thứ Sáu."),
    ("Nhà trường tổ chức cho HS khối 8 học bơi.", "Nhà trường tổ chức cho học sinh khối tám học bơi."),
    # ĐH / CĐ: đại học / cao đẳng after "thi", "trường" or next to each other; CĐ alone stays "Công đoàn".
    ("Thí sinh thi ĐH - CĐ được ưu tiên đi lại.", "Thí sinh thi đại học - cao đẳng được ưu tiên đi lại."),
    ("Em đỗ vào trường CĐ Nông nghiệp.", "Em đỗ vào trường cao đẳng Nông nghiệp."),
    ("CĐ cơ sở tặng quà đoàn viên.", "Công đoàn cơ sở tặng quà đoàn viên."),
    # GD: giáo dục after "công tác", "ngành".
    ("Ngành GD huyện triển khai năm học mới.", "Ngành giáo dục huyện triển khai năm học mới."),
])
def test_ambiguous_acronyms_by_context(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_context_never_overrides_a_commune_entry_or_a_glued_code() -> None:
    assert normalize("Nộp HS tại xã.", extra_acronyms={"HS": "hạt giống"}) == "Nộp hạt giống tại xã."
    assert normalize("Thẻ BHYT HS-SV phát tại trường.") == "Thẻ bảo hiểm y tế học sinh - sinh viên phát tại trường."
    # No context: spelled as before.
    assert normalize("Mã HS.") == "Mã hát ét."  # 1.17: "s" is "ét" (v19)


@pytest.mark.parametrize(("text", "expected"), [
    # An issuer code without a type: the Ministry's code, then its office.
    ("Theo văn bản số 77/BNN-TY của Bộ, các xã tiêm phòng.",
     "Theo văn bản số bảy mươi bảy, Bộ Nông nghiệp và Phát triển nông thôn, Thú y của Bộ, các xã tiêm phòng."),
    ("Quyết định 310/QĐ-BNN-TCTL về nước sạch.",
     "Quyết định ba trăm mười, quyết định, Bộ Nông nghiệp và Phát triển nông thôn, Tổng cục Thủy lợi về nước sạch."),
    # Alone, BNN is "bệnh nghề nghiệp".
    ("Người lao động mắc BNN được giám định.", "Người lao động mắc bệnh nghề nghiệp được giám định."),
    # Agency names written short.
    ("Phòng LĐ-TBXH huyện chi trả trợ cấp.", "Phòng Lao động - Thương binh và Xã hội huyện chi trả trợ cấp."),
    ("Sở Nông nghiệp & PTNT hướng dẫn gieo cấy.",
     "Sở Nông nghiệp và Phát triển nông thôn hướng dẫn gieo cấy."),
    # No "ngày" after "hôm" or a weekday.
    ("Đoàn kiểm tra đến hôm 12/3.", "Đoàn kiểm tra đến hôm mười hai tháng ba."),
    ("Lịch trực từ thứ Hai 6/1 đến Chủ nhật 12/1.",
     "Lịch trực từ thứ Hai sáu tháng một đến Chủ nhật mười hai tháng một."),
    # A label glued to its text, a bulleted line that starts with a number.
    ("3.2.Phân công nhiệm vụ", "Ba chấm hai. Phân công nhiệm vụ"),  # 1.18: a full stop after "3.2." (v22)
    ("- 95% hộ dân dùng nước sạch.", "Chín mươi lăm phần trăm hộ dân dùng nước sạch."),
])
def test_classes_from_the_v5_v6_audits(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_outputs_stay_speakable() -> None:
    for key, reading in base_acronyms().items():
        assert not FORBIDDEN.search(reading), key
        out = normalize(f"Theo {key} xã, 12/5 họp.")
        assert not FORBIDDEN.search(out), (key, out)


def test_lexicon_loads_fast() -> None:
    base_acronyms.cache_clear()
    start = time.perf_counter()
    base_acronyms()
    assert time.perf_counter() - start < 0.5


def test_heldback_v7_shape() -> None:
    """Held-back v7 is only scored by the bench; here only its shape and the output contract are checked."""
    check_heldback_set(7, earlier=(6, 5, 4, 3))
