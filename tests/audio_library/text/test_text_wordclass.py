"""Foreign words vs OCR damage in the linter, unknown acronyms for the editor, speech segments."""

from __future__ import annotations

from audio_library.text import lint
from audio_library.text.segments import (
    PAUSE_HEADING_S,
    PAUSE_ITEM_S,
    PAUSE_PARAGRAPH_S,
    PAUSE_SENTENCE_S,
    preview_text,
    segments,
)
from audio_library.text.wordclass import looks_foreign, unknown_acronyms
from sample_data import PLANS

NOTICE = ("Hướng dẫn cài đặt Zalo và Internet banking cho người cao tuổi. Bà con mang điện thoại "
          "thông minh đến nhà văn hóa thôn để được cán bộ hướng dẫn đăng ký tài khoản, bảo mật "
          "mã OTP và quét mã QR khi thanh toán. Buổi hướng dẫn online cũng được phát trên Facebook.")


def test_clean_notice_with_loanwords_is_fit() -> None:
    report = lint(NOTICE)
    assert report.fit and report.invalid_syllable_ratio == 0.0
    assert report.foreign_word_count >= 5
    assert "invalid_syllables" not in report.codes()


def test_short_notice_with_an_english_title_word_is_fit() -> None:
    report = lint("Webinar chuyển đổi số cho cán bộ xã")
    assert report.fit
    assert "foreign_word" in report.codes()  # told, so it can be added to the lexicon


def test_ocr_damage_stays_unfit_and_clean_plans_fit() -> None:
    for path in sorted(PLANS.glob("*.txt")):
        report = lint(path.read_text(encoding="utf-8"))
        assert report.fit == (not path.name.endswith(".ocr.txt")), path.name


def test_foreign_or_damaged() -> None:
    for word in ("Webinar", "TikTok", "download", "Smart", "iPhone", "Grab", "fanpage"):
        assert looks_foreign(word), word
    for word in ("Kién", "vimg", "cip", "dudng", "Chwong", "twong", "tir", "ngheo", "x4"):
        assert not looks_foreign(word), word


def test_user_loanwords_silence_foreign_word() -> None:
    assert "foreign_word" in lint("Đăng ký Webinar của huyện.").codes()
    report = lint("Đăng ký Webinar của huyện.", extra_loanwords={"Webinar": "oép bi na"})
    assert "foreign_word" not in report.codes()


def test_unknown_acronyms_for_the_editor() -> None:
    text = "Đài KG phối hợp với HTX và QXYZ; QXYZ họp. KẾ HOẠCH năm IV, mã OTP, số 5/KH-UBND."
    found = unknown_acronyms(text)
    assert [u.acronym for u in found] == ["KG", "QXYZ"]
    assert found[0].spelled == "ca gờ" and "KG" in found[0].excerpt
    assert found[1].count == 2
    assert unknown_acronyms(text, extra_acronyms={"KG": "Kiên Giang", "QXYZ": "quỹ"}) == []


def test_segments_give_headings_and_items_their_pauses() -> None:
    text = ("KẾ HOẠCH\nThực hiện tiểu dự án năm 2023\n\nI. MỤC ĐÍCH\n1. Mục đích\n"
            "Tiếp tục tuyên truyền. Nâng cao nhận thức.\n- Tổ chức hội nghị tại xã, "
            "mời đại biểu các thôn tham dự đầy đủ và đúng giờ;\n- Báo cáo kết quả.")
    segs = segments(text)
    got = [(s.kind, s.pause_after_s, s.text) for s in segs]
    assert got[0] == ("heading", PAUSE_HEADING_S, "Kế hoạch.")
    assert got[1] == ("heading", PAUSE_HEADING_S, "Thực hiện tiểu dự án năm hai nghìn không trăm hai mươi ba.")
    assert got[2] == ("heading", PAUSE_HEADING_S, "Phần một, Mục đích.")  # 1.15: the heading keeps its capital
    assert got[3] == ("heading", PAUSE_HEADING_S, "Một, Mục đích.")
    assert got[4][:2] == ("sentence", PAUSE_SENTENCE_S)
    assert got[5][:2] == ("sentence", PAUSE_SENTENCE_S)
    assert got[6][:2] == ("item", PAUSE_ITEM_S)
    assert got[-1][1] == 0.0  # nothing follows the last segment
    assert [s.paragraph for s in segs] == [0, 0, 1, 1, 1, 1, 1, 1]
    preview = preview_text(segs)
    assert preview.split("\n")[:4] == [
        "Kế hoạch.", "Thực hiện tiểu dự án năm hai nghìn không trăm hai mươi ba.", "", "Phần một, Mục đích."]


def test_wrapped_lines_are_not_headings() -> None:
    segs = segments("Tuyên truyền về giảm nghèo bền\nvững năm 2024 trên địa bàn tỉnh.")
    assert [s.kind for s in segs] == ["sentence", "sentence"]
    assert segs[0].pause_after_s == PAUSE_SENTENCE_S


def test_paragraph_pause_wins_over_sentence_pause() -> None:
    segs = segments("Câu một.\n\nCâu hai.")
    assert segs[0].pause_after_s == PAUSE_PARAGRAPH_S
