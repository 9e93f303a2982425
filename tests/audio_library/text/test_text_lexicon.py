"""The acronym lexicon is data: check its shape and the entries the brief relies on."""

from __future__ import annotations

import unicodedata
from importlib import resources

import pytest

from audio_library.text.lexicon import base_acronyms, doc_types, spell_letters


def test_lexicon_has_at_least_150_unique_nfc_entries() -> None:
    raw = resources.files("audio_library.text").joinpath("data", "acronyms.tsv").read_text(encoding="utf-8")
    keys = [line.split("\t")[0] for line in raw.splitlines() if line.strip() and not line.startswith("#")]
    assert len(keys) >= 150
    assert len(keys) == len(set(keys)), "duplicate acronym keys"
    for key, value in base_acronyms().items():
        assert unicodedata.is_normalized("NFC", key) and unicodedata.is_normalized("NFC", value)
        assert not any(ch.isdigit() or ch in "/&%" for ch in value), key


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("UBND", "Ủy ban nhân dân"), ("HĐND", "Hội đồng nhân dân"), ("MTQG", "mục tiêu quốc gia"),
        ("LĐ-TB&XH", "Lao động - Thương binh và Xã hội"), ("VH&TTDL", "Văn hóa, Thể thao và Du lịch"),
        ("UBMTTQ", "Ủy ban Mặt trận Tổ quốc"), ("TW", "Trung ương"), ("KH", "kế hoạch"),
        ("TT", "thông tư"), ("CT", "Chủ tịch"), ("QĐ", "quyết định"), ("BTTTT", "Bộ Thông tin và Truyền thông"),
        ("BLĐTBXH", "Bộ Lao động - Thương binh và Xã hội"), ("VHTTDL", "Văn hóa, Thể thao và Du lịch"),
        ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
    ],
)
def test_brief_acronyms_present(key: str, value: str) -> None:
    assert base_acronyms()[key] == value


def test_doc_types_disambiguate_ct() -> None:
    assert doc_types()["CT"] == "chỉ thị"


def test_spell_letters() -> None:
    assert spell_letters("ABCDĐ") == "a bê xê dê đê"
    assert spell_letters("LMNRS") == "e lờ em mờ en nờ e rờ ét"  # 1.17: "s" is "ét" (v19)


def test_split_user_entries_by_kind() -> None:
    from audio_library.text import normalize
    from audio_library.text.lexicon import default_kind, split_user_entries

    rows = [("KG", "Kiên Giang", "acronym"), ("Shopee Food", "sô pi phút", "loanword"),
            ("HTX-NN", "hợp tác xã nông nghiệp", None), ("Webinar", "oép bi na", None), ("", "x", None)]
    acronyms, loanwords = split_user_entries(rows)
    assert acronyms == {"KG": "Kiên Giang", "HTX-NN": "hợp tác xã nông nghiệp"}
    assert loanwords == {"Shopee Food": "sô pi phút", "Webinar": "oép bi na"}
    assert normalize("Đài KG mở Webinar", acronyms, loanwords) == "Đài Kiên Giang mở Oép bi na"
    assert default_kind("VNeID") == "loanword" and default_kind("ĐBKK") == "acronym"
    with pytest.raises(ValueError):
        split_user_entries([("KG", "Kiên Giang", "acronymm")])
