"""Vietnamese administrative text → speakable text, as a good radio announcer would read it.

Pipeline (order matters, see ``rules_numeric``): Unicode/typography cleanup → line markers
(headings "I.", list items "1.", "a)", bullets) → document numbers → dates, times, ranges, Roman
numerals, quantities → acronym lexicon → unknown all-caps tokens → symbols → punctuation tidy.
A final sanitizer guarantees that no ASCII digit, "/", "&" or "%" survives, whatever the input.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

from . import rules_numeric as rn
from .definitions import CODE_CAPITALS, CODE_SEGMENT, PHRASE_GLUE, compound_definitions, starts_with_letters
from .lexicon import LETTER_NAMES, ContextRule, Lexicon, base_acronyms, context_rules, get_lexicon, spell_letters
from .loanwords import get_loanwords
from .numerals import read_cardinal, read_number_string, roman_to_int
from .syllable import is_valid_syllable

# Part of the TTS cache key: bump whenever a rule or the shipped lexicon changes the output.
NORMALIZER_VERSION = "vi-admin-1.22.0"

_W = r"[^\W_]"

_TYPO = str.maketrans({
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u00b2": "2", "\u00b3": "3", "\u00a0": " ", "\t": " ", "\u200b": None, "\ufeff": None,
    "\u201c": None, "\u201d": None, "\u201e": None, "\u00ab": None, "\u00bb": None, '"': None,
    "\u2018": None, "\u2019": None, "`": None, "*": None, "_": None, "\u2022": "-", "\u00b7": "-",
    # 1.20: the Latin eth "Ð"/"ð" typed for "Đ"/"đ" ("Ðưa", "QÐ-TTg", "Ðường 9", v26, v28) is the same letter on air.
    "\u00d0": "Đ", "\u00f0": "đ",
})

# 1.20: Cyrillic letters that look like Latin ones, typed inside a Latin word ("Tuyên Quаng" with a Cyrillic "а"),
# are the Latin letters; a word wholly in Cyrillic is left alone.
_CYRILLIC_LOOKALIKES = str.maketrans({
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X",
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "І": "I", "ј": "j",
})
_LATIN = "A-Za-z\u00c0-\u024f\u1e00-\u1eff"
_MIXED_SCRIPT_WORD = re.compile(
    rf"[^\W\d_]*(?:[{_LATIN}][^\W\d_]*[\u0400-\u04ff]|[\u0400-\u04ff][^\W\d_]*[{_LATIN}])[^\W\d_]*")


def _latin_lookalikes(text: str) -> str:
    return _MIXED_SCRIPT_WORD.sub(lambda m: m.group(0).translate(_CYRILLIC_LOOKALIKES), text)


# "v.v." (vân vân, "etc."), also "v.v..." and "v. v.": spelled out before dots become pauses.
# An ellipsis character after it ("v.v…") is the writer's trailing-off pause and is kept as one.
_VV = re.compile(r"(?<![^\W_])[vV]\.[ \t]?v(?:\.{1,3})?(?![^\W_])")


def _vv(m: re.Match[str]) -> str:
    rest = m.string[m.end():m.end() + 40].lstrip(" \t")
    # Its last dot also ends the sentence when the line ends or a new sentence starts.
    ends_sentence = m.group(0).endswith(".") and (not rest or rest[0] == "\n" or rest[0].isupper())
    return "vân vân." if ends_sentence else "vân vân"


# 1.13: the minutes of a clock time may carry their own mark: "11h30p", "7g15ph", "11 giờ 30'", "9 giờ 45′": the mark is
# the word "phút". 1.15: without a mark the minutes are said bare, "10h20" "mười giờ hai mươi" (v11, v14; the earlier
# sets v1..v4 and v8 said "phút"), so the mark now says it after "h"/"g" too ("21h20'" "… hai mươi phút", v14, v16);
# after zero minutes it is unsaid ("15h00’" "mười lăm giờ", v16), and a mark glued to the next word parts them.
_MINUTE_MARK = re.compile(
    r"(?P<t>(?<![0-9.,])[0-9]{1,2}(?:[ \t]*giờ[ \t]*[0-9]{1,2}|[hg][0-9]{2}))"
    r"(?:['’′]|p(?:h|hút)?(?![^\W_])|[ \t]+phút(?![^\W_]))"
)
# 1.13: an apostrophe inside a name ("H'Mông", "M'Nông", "K'Ho", "Đắk R'Lấp") is part of the name as written, not a
# quote: it is kept (hidden from the rules as a private mark), every other one is dropped.
_NAME_APOSTROPHE = re.compile(r"(?<![^\W_])(?P<l>[A-ZĐ])(?P<a>['’])(?=[A-ZĐÀ-Ỹ][a-zđà-ỹ])")
# 1.15: the apostrophe is kept as the page typed it, straight or curly ("Đăk R’Tih", v14; "H'Mông", v12).
_APOSTROPHE_MARKS = {"'": "\ue002", "’": "\ue003"}


# 1.21: a time to the second, "3h29'17" (the minute mark parts minutes from seconds; a seconds mark may close it), is
# "ba giờ hai mươi chín phút mười bảy giây" (v29); zero seconds written in words, "52 phút 00 giây", are not said (as
# zero minutes are not, v20), "… năm mươi hai phút" (v29).
_SECONDS_TIME = re.compile(
    r"(?<![0-9.,])(?P<h>[0-9]{1,2})[hg](?P<m>[0-9]{2})['’′](?P<s>[0-9]{1,2})(?![0-9])(?:[\"”″]|[ \t]*giây(?![^\W_]))?"
)
_ZERO_SECONDS = re.compile(r"(?<=phút)[ \t]+00[ \t]*giây(?![^\W_])")


def _seconds_time(m: re.Match[str]) -> str:
    if int(m.group("h")) > 24 or int(m.group("m")) > 59 or int(m.group("s")) > 59:
        return m.group(0)
    return f"{m.group('h')} giờ {m.group('m')} phút {m.group('s')} giây"


def _minute_mark(m: re.Match[str]) -> str:
    t = m.group("t")
    return f"{t} " if t.endswith("00") and "giờ" not in t else f"{t} phút "


# 1.15: "Covid -19" is "Covid-19" typed with a space (v16); and a calendar or range word glued to a number is parted
# from it, "ngày20/5/1998", "từ ngày 21/7đến 20/8" (v15, v16), so that the number is read as a date.
# 1.21: so is "Khoảng19h" (v30), "Khoảng mười chín giờ".
# 1.16: and with an en dash between spaces, "Covid – 19" (v18).
_COVID_SPACED = re.compile(r"(?<![^\W_])(?P<c>[Cc]ovid|COVID)[ \t]+[-–][ \t]*19(?![0-9])")
_GLUED_WORD_NUMBER = re.compile(
    r"(?<![^\W_])(?:ngày|tháng|năm|lúc|từ|đến|[Kk]hoảng)(?=[0-9])|(?<=[0-9])(?=(?:đến|tới|và|hoặc)(?![^\W_]))"
)


# 1.18: a news page opens with its source's credit, "(Chinhphu.vn) – ", "(Dân Việt) - ", "Moitruong.net.vn – ",
# "baophutho.vn " (v22; earlier sets left bylines out of their inputs): the credit is no part of what the announcer
# reads and is dropped. Only at the very start of the text, only a domain (bracketed or not) or a short bracketed name
# (at most three capitalised words or one acronym, no digit), and only before a dash (then a capitalised word, a number
# or a quote) or, for a bare domain, a capitalised word. A bracket holding a sentence ("(Ban hành kèm theo …)") or a
# lower-case aside ("(nếu có)"), and a name before a lower-case word ("(Hà Nội) - hôm nay") are real text.
_DOMAIN = r"[A-Za-z][A-Za-z0-9-]*(?:\.[A-Za-z][A-Za-z0-9-]*)*\.(?:vn|com|net|org|gov|edu|info)"
_CREDIT_NAME = r"[A-ZĐ]{2,8}|[A-ZĐÀ-Ỹ][a-zđà-ỹ]+(?:[ \t]+[A-ZĐÀ-Ỹ][a-zđà-ỹ]+){0,2}"
_CREDIT = rf"\([ \t]*(?:{_DOMAIN}|{_CREDIT_NAME})[ \t]*\)|{_DOMAIN}"
_DASH = r"[ \t]*[-–—][ \t]*"
# 1.19: a paper's acronym is a credit too, bare before its dash ("TTH - Tọa đàm …"), in brackets with "&" ("(TT&VH) -
# Nghị quyết …"), or in brackets before the sentence's first capitalised word with no dash ("(CLO) Bộ Y tế vừa …", v23,
# v24). A bracketed acronym before a lower-case word ("(UBND) đã …") is the sentence's subject, and a bare acronym the
# lexicon knows ("UBND - Thông báo") is text.
_PAPER = r"[A-ZĐ][A-ZĐ&]{1,7}"
_BARE_PAPER = re.compile(
    rf"\A[ \t]*(?:(?P<code>{_PAPER}){_DASH}|\([ \t]*(?P<bracketed>{_PAPER})[ \t]*\)(?:{_DASH}|[ \t]+))"
    r"(?=[A-ZĐÀ-Ỹ][a-zđà-ỹ])"
)
_BYLINE = re.compile(
    rf"\A[ \t]*(?:(?:{_CREDIT}){_DASH}(?=[0-9“\"])"
    rf"|(?:{_CREDIT}){_DASH}(?=[A-ZĐÀ-Ỹ][^\W\d_])"
    rf"|{_DOMAIN}[ \t]+(?=[A-ZĐÀ-Ỹ][^\W\d_]))"
)


# 1.18: money shorthand after an amount: "150 tr.đ", "150trđ" "một trăm năm mươi triệu đồng"; "12,5 tỷ đ", "500 nghìn
# đ" "… tỷ đồng" (the "đ" of the currency after a magnitude word; "đ" right after the digits is the unit table's).
_MONEY_SHORTHAND = re.compile(r"(?<=[0-9])[ \t]*(?:[Tt]r[ \t]*\.[ \t]*|[Tt]r)(?:đ|đồng)(?![^\W_])")
_MAGNITUDE_DONG = re.compile(r"(?<![^\W_])(?P<w>nghìn|ngàn|triệu|tỷ|tỉ)[ \t]*đ(?![^\W_])")


def _money_shorthand(text: str) -> str:
    return _MAGNITUDE_DONG.sub(r"\g<w> đồng", _MONEY_SHORTHAND.sub(" triệu đồng", text))


def _known_code(code: str) -> bool:
    """A code the normalizer reads (lexicon, context rows, document codes): a word of the text, not a paper's name."""
    return (code in base_acronyms() or code in rn.doc_types() or code in rn.doc_issuers()
            or any(rule.key == code for rule in context_rules()))


def _drop_byline(text: str) -> str:
    paper = _BARE_PAPER.match(text)
    if paper is not None:
        code = paper.group("code") or paper.group("bracketed")
        # "(II) Kết quả" is a heading's number; a bare code the lexicon knows is the sentence's own word.
        # (À-Ỹ spans lower-case letters too: the next word's capital is checked here.)
        if roman_to_int(code) is None and (paper.group("bracketed") or not _known_code(code)) \
                and text[paper.end()].isupper():
            return text[paper.end():]
    name = _BARE_NAME_BYLINE.match(text)
    if name is not None and name.group("name") not in _COUNTRIES and _unaccented_syllables(name.group("name").lower()):
        return text[name.end():]
    return _BYLINE.sub("", text, count=1)


# 1.20: a paper's name written as one plain Latin word with no domain, "Kinhtedothi - Đề án …" (v26, v28), is a byline
# too: at the very start, before a dash and a capitalised word, when the word is Vietnamese syllables written without
# their marks and glued ("kinh te do thi"); one syllable ("Huế - Đà Nẵng") or a foreign word ("Internet") is text.
_BARE_NAME_BYLINE = re.compile(rf"\A[ \t]*(?P<name>[A-Z][a-z]{{5,}}){_DASH}(?=[A-ZĐÀ-Ỹ][^\W\d_])")
_MAX_SYLLABLE = 7


def _unaccented_syllables(word: str) -> bool:
    """The word splits into two or more valid syllables (tried from the longest head)."""
    ends = {0: 0}  # position → number of syllables that reach it
    for start in range(len(word)):
        if start not in ends:
            continue
        for end in range(start + 1, min(len(word), start + _MAX_SYLLABLE) + 1):
            if is_valid_syllable(word[start:end]):
                ends[end] = max(ends.get(end, 0), ends[start] + 1)
    return ends.get(len(word), 0) >= 2


# 1.21: a quoted name in an all-caps heading, "TRIỂN KHAI PHONG TRÀO “BÌNH DÂN HỌC VỤ SỐ”", is a proper name: the
# heading is said in sentence case but the name keeps its first capital, "… phong trào Bình dân học vụ số" (v31). The
# quote marks are dropped with the others; a private mark before the name's first word asks for its capital once the
# heading's words are in lower case.
_QUOTED_CAPS_NAME = re.compile(r"[\"“”„«](?=[A-ZĐÀ-Ỹ]{2,}(?:[ \t]+[A-ZĐÀ-Ỹ]+)*[\"“”»])")
_NAME_CAPITAL = "\ue005"
_MARKED_NAME = re.compile(rf"{_NAME_CAPITAL}[ \t]*(?P<w>[^\W\d_])?")


def _mark_quoted_names(text: str) -> str:
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if sum(ch.isalpha() for ch in line) > 1 and not any(ch.islower() for ch in line):
            lines[i] = _QUOTED_CAPS_NAME.sub(lambda m: m.group(0) + _NAME_CAPITAL, line)
    return "\n".join(lines)


def _capitalise_marked_names(text: str) -> str:
    return _MARKED_NAME.sub(lambda m: (m.group("w") or "").upper(), text)


def _clock_seconds(text: str) -> str:
    return _ZERO_SECONDS.sub("", _SECONDS_TIME.sub(_seconds_time, text))


def _clean_typography(text: str) -> str:
    text = _drop_byline(unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n"))
    text = _mark_quoted_names(_money_shorthand(text))
    text = _GLUED_WORD_NUMBER.sub(lambda m: f"{m.group(0)} ", _COVID_SPACED.sub(r"\g<c>-19", text))
    text = _NAME_APOSTROPHE.sub(lambda m: m.group("l") + _APOSTROPHE_MARKS[m.group("a")],
                                _MINUTE_MARK.sub(_minute_mark, _clock_seconds(text)))
    text = _latin_lookalikes(text.translate(_TYPO)).replace("'", "")
    text = _VV.sub(_vv, text)
    # "./." closes official documents; it is a full stop, not a slash to be read.
    text = re.sub(r"\.?[ \t]*/[ \t]*\.", ".", text)
    # "26/ 9 / 2022": a date typed with spaces around its slashes is still one date.
    text = _SPACED_DATE.sub(lambda m: f"{m.group('d')}/{m.group('m')}/{m.group('y')}", text)
    return _listed_clauses(_word_dashes(text))


# 1.19: in a list of clauses or articles a comma typed without its space still separates two numbers, "khoản 2, 3,4 Điều
# 5" "khoản hai, ba, bốn Điều năm" (v25): no clause is numbered with a decimal.
_CLAUSE_LIST = re.compile(
    r"(?<![^\W_])(?P<head>(?:khoản|Khoản|điều|Điều|điểm|Điểm|mục|Mục)[ \t]+[0-9]{1,2}"
    r"(?:[ \t]*(?:,[ \t]*|và[ \t]+)[0-9]{1,2})*[ \t]*,[ \t]*[0-9]{1,2}),(?=[0-9]{1,2}(?![0-9,.]))"
)


def _listed_clauses(text: str) -> str:
    for _ in range(4):  # "khoản 1,2,3,4": one comma a pass
        new = _CLAUSE_LIST.sub(lambda m: f"{m.group('head')}, ", text)
        if new == text:
            break
        text = new
    return text


# 1.19: a hyphen between two words joins two phrases and is read as a dash, "kinh tế-xã hội" "kinh tế - xã hội", and so
# is one with a space on one side only, "Cảnh sát đường thủy- Công an tỉnh" "… thủy - Công an …" (v24, v25; v8, v10,
# v11, v15 and v17 kept the glued hyphen, given up). A name's hyphen ("Bà Rịa-Vũng Tàu", capitals on both sides) and the
# hyphen inside a loanword ("vắc-xin", "mít-tinh") are no dash.
_GLUED_WORD_HYPHEN = re.compile(r"(?<![^\W\d_-])[a-zđà-ỹ]+(?:-[a-zđà-ỹ]+)+(?![^\W\d_-])")
# A place's name typed lopsided keeps its hyphen as written ("Dầu Tiếng- Phước Hòa", "Thừa Thiên- Huế", v14): the word
# before the hyphen is in lower case here.
_LOPSIDED_WORD_HYPHEN = re.compile(r"(?P<w>[^\W\d_]+)(?:-[ \t]+|[ \t]+-)(?=[^\W\d_])")
# 1.20: a fuller list of common hyphenated loanwords (v26 "đô-la Mỹ", v28 "tăng ni-lon" kept as written); their parts
# are each a valid syllable, so only a list tells them from two words. "héc-ta" is the unit "héc ta" (v26).
_HYPHENATED_LOANS = frozenset(str.split("""
    vắc-xin vác-xin mít-tinh mít-tin ô-tô xe-buýt ki-lô ki-lô-gam ki-lô-mét ki-lô-oát ki-lô-vôn ra-đi-ô ti-vi
    xi-măng bê-tông ba-lô pa-nô áp-phích ka-ra-ô-kê in-tơ-nét gam-ma ma-két ni-lông ni-lon ni-long nai-lông đô-la
    mê-ga-oát mi-crô mi-cờ-rô cát-xét ra-đa tua-bin xi-lanh bu-lông ốc-vít vi-ta-min a-xít ô-xy ô-xi các-bon ni-tơ
    phốt-pho ka-li hoóc-môn vi-rút vi-rus prô-tê-in ắc-quy com-lê sơ-mi va-li sô-cô-la ga-ra ghi-đông rô-bốt
    xích-lô ô-liu xa-lông sa-lông pi-a-nô ghi-ta vi-ô-lông ten-nít bi-a ba-ri-e ba-rie rơ-moóc
    công-te-nơ công-ten-nơ mô-tô mô-bi-lét xà-phòng cà-phê ca-cao sen-đầm pa-tê bít-tết xúc-xích
    ma-ra-tông ô-pê-ra xi-nê xi-rô an-bum ca-nô xà-lan sà-lan phéc-mơ-tuya tuốc-nơ-vít pê-đan
    ki-ốt ki-ốt-xơ ô-ri-gin ét-xăng a-mi-ăng clo-ra-min pa-ra-bôn ăng-ten ti-tan ka-ki ba-zơ e-lip
    """))
_UNIT_LOANS = {"héc-ta": "héc ta", "Héc-ta": "Héc ta"}


# 1.20: a lower-case word glued by a hyphen to an acronym joins two names as the dash does: "Bộ Nông nghiệp-PTNT" "Bộ
# Nông nghiệp - Phát triển nông thôn" (v26).
_WORD_HYPHEN_ACRONYM = re.compile(r"(?<=[^\W\d_]{2})-(?=[A-ZĐ]{2,}(?![^\W_]))")
# 1.21: …and so does a lower-case word glued to a capitalised one, two names of fields: "khoa Phát thanh-Truyền hình"
# "… Phát thanh - Truyền hình" (v31). Capitals on both sides ("Bà Rịa-Vũng Tàu") stay a name's hyphen.
_WORD_HYPHEN_NAME = re.compile(r"(?<![^\W\d_])(?P<w>[a-zđà-ỹ]{2,})-(?=[A-ZĐÀ-Ỹ][a-zđà-ỹ]+(?![^\W_]|-))")


def _word_dashes(text: str) -> str:
    def glued(m: re.Match[str]) -> str:
        word = m.group(0)
        parts = word.split("-")
        if word in _UNIT_LOANS:
            return _UNIT_LOANS[word]
        if word.casefold() in _HYPHENATED_LOANS or not all(is_valid_syllable(p) for p in parts):
            return word
        return " - ".join(parts)  # "xanh-sạch-đẹp" "xanh - sạch - đẹp"

    def lopsided(m: re.Match[str]) -> str:
        return m.group(0) if m.group("w")[0].isupper() else f"{m.group('w')} - "

    text = _WORD_HYPHEN_ACRONYM.sub(lambda m: " - " if m.string[m.start() - 1].islower() else m.group(0), text)
    text = _WORD_HYPHEN_NAME.sub(lambda m: f"{m.group('w')} - ", text)
    return _GLUED_WORD_HYPHEN.sub(glued, _LOPSIDED_WORD_HYPHEN.sub(lopsided, text))


_SPACED_DATE = re.compile(r"(?<![0-9/])(?P<d>[0-9]{1,2})[ \t]*/[ \t]*(?P<m>[0-9]{1,2})[ \t]*/[ \t]*"
                          r"(?P<y>(?:19|20)[0-9]{2})(?![0-9/])")


# An ellipsis ("...", "…", "....") is a trailing-off pause that the voice renders itself: it is kept as
# written, hidden from the rules (which would read its dots as decimal points or full stops).
_ELLIPSIS = re.compile(r"\.{2,}|\u2026+")
_ELLIPSIS_MARK = "\ue000"


# 1.11: a space the writer left before an ellipsis ("10% ...") is kept with it; one that a rule leaves is not.
_SPACED_ELLIPSIS = re.compile(r"(?P<sp>(?<=[^ \t\n])[ \t]+)?(?P<dots>\.{2,}|\u2026+)")


def _hide_ellipses(text: str) -> tuple[str, list[str]]:
    found = [(" " if m.group("sp") else "") + m.group("dots") for m in _SPACED_ELLIPSIS.finditer(text)]
    return _ELLIPSIS.sub(_ELLIPSIS_MARK, text), found


def _restore_ellipses(text: str, found: list[str]) -> str:
    pieces = text.split(_ELLIPSIS_MARK)
    if len(pieces) != len(found) + 1:  # a rule dropped a mark: fall back to plain pauses
        return text.replace(_ELLIPSIS_MARK, "...")
    out = [pieces[0]]
    for mark, piece in zip(found, pieces[1:], strict=True):
        out += [mark, piece]
    return "".join(out)


# An agency code written with its commas (and ampersand) and no spaces, "LĐ,TB&XH" or "VH,TT&DL", is the
# acronym "LĐTBXH" / "VHTTDL": it is joined before lookup so that the parts are not spelled one by one.
# Without a comma ("TT&TT" after "VH, ") the parts are read on their own, as before.
_JOINED_CODE = re.compile(r"(?<![^\W_])(?=[A-ZĐ&]*,)(?:[A-ZĐ]{1,4}[,&]){1,3}[A-ZĐ]{1,4}(?![^\W_])")


# 1.11: so is a pair joined by "&" alone, "QP&AN", when the pair is no key of its own but the joined letters are
# ("QPAN" quốc phòng và an ninh): read part by part, "AN" would be the syllable "an" and the field lost. A pair that is
# a key ("GD&ĐT") or whose joined letters are none ("ANTT&ATXH") is left to the lexicon and the parts, as before.
_AMPERSAND_CODE = re.compile(r"(?<![^\W_&,-])[A-ZĐ]{1,4}&[A-ZĐ]{1,4}(?![^\W_&,-])")


# 1.14: so is a pair joined by a hyphen whose joined letters are a key and the pair is none: "Sở VH-TTDL" is "VHTTDL",
# "Văn hóa, Thể thao và Du lịch" (v13); read part by part, "TTDL" would be spelled. Codes of a document number
# ("/KH-UBND", "05-CT/TW") have a slash or a digit beside them and are left alone.
# 1.20: the look-behind now really leaves a code after a slash alone: "11/CT-UBND" is "chỉ thị, Ủy ban nhân dân", not
# the joined key "CTUBND" (Chủ tịch Ủy ban nhân dân, v26).
_HYPHEN_CODE = re.compile(r"(?<![\w/&,-])[A-ZĐ]{1,4}-[A-ZĐ]{1,5}(?![^\W_/&,-])")


# 1.22: a pair written with a space beside its "&", "Sở GD & ĐT", "Bộ NN& PTNT", is the same key as "GD&ĐT", "NN&PTNT"
# (v32, v33): closed up when the closed pair is a key, so that "ĐT" is not read alone ("điện thoại").
_SPACED_AMPERSAND_CODE = re.compile(
    r"(?<![^\W_&,-])(?P<a>[A-ZĐ]{1,4})(?:[ \t]+&[ \t]*|&[ \t]+)(?P<b>[A-ZĐ]{1,5})(?![^\W_&,-])"
)


def _closed_ampersand(m: re.Match[str], lexicon: Lexicon) -> str:
    closed = f"{m.group('a')}&{m.group('b')}"
    return closed if closed in lexicon.table else m.group(0)


def _joined_codes(text: str, lexicon: Lexicon) -> str:
    def repl(m: re.Match[str]) -> str:
        joined = re.sub(r"[,&]", "", m.group(0))
        return joined if joined in lexicon.table else m.group(0)

    def ampersand(m: re.Match[str]) -> str:
        joined = m.group(0).replace("&", "")
        return joined if m.group(0) not in lexicon.table and joined in lexicon.table else m.group(0)

    def hyphen(m: re.Match[str]) -> str:
        joined = m.group(0).replace("-", "")
        return joined if m.group(0) not in lexicon.table and joined in lexicon.table else m.group(0)

    text = _SPACED_AMPERSAND_CODE.sub(lambda m: _closed_ampersand(m, lexicon), text)
    text = _HYPHEN_CODE.sub(hyphen, text)
    return _AMPERSAND_CODE.sub(ampersand, _JOINED_CODE.sub(repl, text))


# "TX.Thuận An", "TP.Huế", "H.Cần Giờ", "P.Bến Nghé", "Q.1", "UB.MTTQVN": an abbreviation glued to the next word by
# its dot. A place unit before a name (or a district's number) is read as the unit; an acronym before another
# is joined when the whole is a key ("UB.MTTQVN" is "UBMTTQVN"), or read on its own; the dot is no pause.
_PLACE_ABBREVIATIONS = {"TP": "thành phố", "TX": "thị xã", "H": "huyện", "Q": "quận", "P": "phường", "X": "xã"}
# 1.14: a district's number may be followed by a comma ("ở khu vực Q.6, Công ty …"); "Q.1," to "Q.4," may also be a
# quarter and are left to the spaced-unit rule, which names a place only after an address word.
_GLUED_ABBREVIATION = re.compile(
    r"(?<![^\W_.])(?P<key>[A-ZĐ][A-ZĐ]{0,5})\.(?P<next>[A-ZĐ][^\W\d_]*|[0-9]{1,2}(?![0-9/]|[.,][0-9]))"
)


# 1.13: so is a one-letter unit written with its dot and a space, "H. Mai Châu", "Q. Bình Thạnh", "P. 12", "X. Tân Lập",
# and a district's number glued in an address ("P. Tân Định, Q.1,", where the glued rule leaves "Q.1" to the quarter
# rule), where the place is safe to name: after a comma, a bracket, the start of a line or a word that leads to a place
# ("tại", "ở", "ngụ"…), before a name whose every syllable has its capital (or a district's number). A title after the
# dot ("P. Giám đốc", "Q. Chủ tịch"), a one-syllable word before a lower-case one ("P. Tài chính", "P. Trưởng phòng")
# and a quarter with its year ("Q.1/2024") name no place, and a person's initial ("Nguyễn Văn H.") has a name before.
_SPACED_PLACE_KEYS = {"H": "huyện", "Q": "quận", "P": "phường", "X": "xã"}
_SPACED_PLACE = re.compile(
    r"(?P<pre>(?:^|[,;:(]|(?<![^\W_])(?:tại|Tại|ở|Ở|ngụ|trú|thuộc|của|và|về|đến|từ|quê))[ \t]*)"
    r"(?P<key>[HQPX])\.(?P<sp>[ \t]*)"
    r"(?P<name>[^\W\d_]+(?:[ \t]+[^\W\d_]+){0,3}|[0-9]{1,2}(?![0-9]|[.,/][0-9]))",
    re.M,
)
# "Tp."/"Tx." (and "Tp Huế") are "TP."/"TX." in mixed case: written in capitals they go the way "TP."/"TX." go (the
# lexicon's "thành phố", "TP. Hồ Chí Minh" as a name, the glued "TX.Sơn Tây").
_MIXED_CASE_UNIT = re.compile(r"(?<![^\W_])(?P<k>Tp|Tx)(?=\.[ \t]*[A-ZĐÀ-Ỹ0-9]|[ \t]+[A-ZĐ])")
# 1.18: a city's name typed in lower case after the glued "Tp." is still the city: "Tp.vinh" "Thành phố vinh" (v18's
# header), its word read as written.
_CITY_LOWER_NAME = re.compile(r"(?<![^\W_])(?:Tp|TP)\.(?=[a-zđà-ỹ]+(?![^\W_]|\.[^\W_]))")
_TITLE_WORDS = frozenset(str.split("Chủ Giám Trưởng Bí Phó Tổng Chánh Hiệu Thủ Viện Cục Vụ Ban Văn Trợ Kế Thư Chỉ"))


def _place_name_words(name: str) -> list[str]:
    """The leading words of ``name`` that have their capital (and only it): the name of a place."""
    words = []
    for word in name.split():
        if not (word[:1].isupper() and word[1:] == word[1:].lower()):
            break
        words.append(word)
    return words


def _district_unit(key: str) -> str:
    """1.18: a district named by its number is a proper name, "Q.12" "Quận mười hai" (v21; v13's "Q.6" "quận sáu" and
    v19's "Q.3" "quận ba" given up); a ward's number keeps "phường" (no recent set decides it)."""
    return "Quận" if key == "Q" else _SPACED_PLACE_KEYS[key]


def _spaced_places(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        key, name = m.group("key"), m.group("name")
        if name.isdigit():  # "Q. 3", and "Q.1," in an address (a quarter, "Q.1/2024", has its year)
            if key == "Q" and int(name) <= 4 and _QUARTER_BEFORE.search(m.string, max(0, m.start("key") - 20),
                                                                         m.start("key")):
                return m.group(0)  # 1.14: "Q.1, Q.2": a list of quarters
            return f"{m.group('pre')}{_district_unit(key)} {name}" if key in ("Q", "P") else m.group(0)
        words = _place_name_words(name)
        if not m.group("sp") or not words or words[0] in _TITLE_WORDS:
            return m.group(0)
        rest = m.string[m.start("name") + len(" ".join(words)):]
        if len(words) == 1 and re.match(r"[ \t]+[^\W\d_]", rest):
            return m.group(0)  # "P. Trưởng phòng": one capitalised word before a lower-case one is no place
        return f"{m.group('pre')}{_SPACED_PLACE_KEYS[key]} {name}"

    return _SPACED_PLACE.sub(repl, text)


# 1.14: a letter closing the name of a commune, ward or hamlet tells it from its twin ("xã Long Điền B", "phường Tăng
# Nhơn Phú B", "ấp Phước Hưng C"): it is said by its name with the name's capital, "Long Điền Bê" (v13). "A" is said "a"
# and stays as written ("Tăng Nhơn Phú A"); a person's initial ("Nguyễn Văn B") has no place word before the name.
_PLACE_LETTER = re.compile(
    r"(?<![^\W_])(?P<head>(?:[Xx]ã|[Pp]hường|[Tt]hị trấn|[Ấấ]p|[Tt]hôn|[Bb]ản|[Xx]óm|[Kk]hóm|[Kk]hu phố|[Tt]ổ dân phố)"
    r"(?:[ \t]+[A-ZĐÀ-Ỹ][^\W\d_A-ZĐ]*){1,4})[ \t]+(?P<l>[B-DĐ])(?![^\W_])"
)


# 1.15: a pair of names joined by a hyphen is kept as written ("Lai Châu-Điện Biên", "Thừa Thiên-Huế", "Dầu Tiếng-
# Phước Hòa", v14), except that after "từ" it spans a stretch of the country, "từ Thanh Hóa-Đà Nẵng" "từ Thanh Hóa
# đến Đà Nẵng" (v14), and that between two countries the dash is spaced, "Việt Nam-Lào" "Việt Nam - Lào" (v15). A
# province whose one name has a hyphen is never a span; "TT- Huế" is "Thừa Thiên- Huế" as typed (v14).
_NAME = r"[A-ZĐÀ-Ỹ][a-zđà-ỹ]+(?:[ \t]+[A-ZĐÀ-Ỹ][a-zđà-ỹ]+){0,3}"
_NAME_PAIR = re.compile(
    rf"(?<![^\W_])(?P<from>[Tt]ừ[ \t]+)?(?P<a>{_NAME})(?P<dash>[ \t]*-[ \t]*)(?P<b>{_NAME})(?![^\W_])"
)
_ONE_NAME_FIRSTS = frozenset({"Thừa Thiên", "Bà Rịa", "Phan Rang", "Tháp Chàm"})
_COUNTRIES = frozenset({
    "Việt Nam", "Lào", "Campuchia", "Trung Quốc", "Thái Lan", "Myanmar", "Malaysia", "Singapore", "Indonesia",
    "Philippines", "Brunei", "Australia", "Canada", "Germany", "France", "Japan", "Korea", "Thailand", "Cambodia",
    "Nhật Bản", "Hàn Quốc", "Triều Tiên", "Hoa Kỳ", "Mỹ", "Nga", "Ấn Độ", "Úc", "Pháp", "Đức",
    "Anh", "Cuba",
})
_TT_HUE = re.compile(r"(?<![^\W_])TT(?=[ \t]*-[ \t]*Huế(?![^\W_]))")


def _name_pairs(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        a, b = m.group("a"), m.group("b")
        if m.group("from") and a not in _ONE_NAME_FIRSTS and _ends_a_place(a) and _ends_a_place(b):
            return f"{m.group('from')}{a} đến {b}"
        if a in _COUNTRIES and b in _COUNTRIES:
            return f"{m.group('from') or ''}{a} - {b}"
        if _lopsided(m.group("dash")) and not a.endswith(tuple(_ONE_NAME_FIRSTS)):
            # 1.20: two names with a hyphen glued to one side only ("Hồng Thái- Na Hang") are set apart by a dash (v26;
            # v14 kept "Dầu Tiếng- Phước Hòa", given up). A one-word province typed so ("Thừa Thiên- Huế") stays.
            return f"{m.group('from') or ''}{a} - {b}"
        return m.group(0)

    return _NAME_PAIR.sub(repl, _TT_HUE.sub("Thừa Thiên", text))


def _lopsided(dash: str) -> bool:
    return dash.startswith("-") != dash.endswith("-")


def _ends_a_place(name: str) -> bool:
    """Every word of the name has its capital and only it (no acronym, no heading)."""
    return all(w[:1].isupper() and w[1:] == w[1:].lower() for w in name.split())


def _place_letters(text: str) -> str:
    return _PLACE_LETTER.sub(lambda m: f"{m.group('head')} {LETTER_NAMES[m.group('l').lower()].capitalize()}", text)


# "TS. Nguyễn Văn A", "PGS.TS. Lê B", "BS. Trần C": the dot of a title or degree before a name abbreviates the word,
# it is no full stop ("Tiến sĩ Nguyễn Văn A", not "Tiến sĩ. Nguyễn …"). Only before a capitalised name or another title.
# 1.20: "TSKH" (tiến sĩ khoa học) is a degree too, before a name or after "GS." ("PGS. TSKH Lê E").
_TITLES = r"(?:GS|PGS|TSKH|TS|ThS|BS|KS|NSND|NSƯT)"
_TITLE_DOT = re.compile(
    rf"(?<![^\W_])(?P<t>{_TITLES})\.[ \t]*(?=(?P<next>(?:{_TITLES})(?:\.|(?![^\W_]))|[^\W\d_]+))")


_TITLE_WORDS_AFTER = frozenset({"TS", "TSKH", "ThS"})


def _title_dots(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        nxt = m.group("next")
        # A name is capitalised and has lower-case letters ("Lê", "Nguyễn"); "TS. HCM" or "TS. nay" is no name.
        if nxt.endswith(".") or nxt in _TITLE_WORDS_AFTER or (nxt[:1].isupper() and any(ch.islower() for ch in nxt)):
            return f"{m.group('t')} "
        return m.group(0)

    return _TITLE_DOT.sub(repl, text)


_QUARTER_BEFORE = re.compile(r"(?<![^\W_])(?:[Qq]uý|QUÝ|Q\.?)[ \t]*(?:[1-4]|IV|I{1,3})[ \t]*(?:,|và|-|–)[ \t]*$")


def _glued_abbreviations(text: str, lexicon: Lexicon) -> str:
    def repl(m: re.Match[str]) -> str:
        key, nxt = m.group("key"), m.group("next")
        if f"{key}.{nxt}" in lexicon.table or f"{key}.{nxt}".upper() in lexicon.table:
            return m.group(0)  # "TP.HCM" is a key of its own
        is_name = nxt[:1].isupper() and any(ch.islower() for ch in nxt)
        if nxt.isdigit() and m.string.startswith((",", "."), m.end()) and (key != "Q" or int(nxt) <= 4):
            return m.group(0)  # "Q.1,", "P.2,": left to the spaced-unit rule, as before 1.14 ("Q.1" may be a quarter)
        if key == "Q" and nxt.isdigit() and int(nxt) <= 4 and _QUARTER_BEFORE.search(m.string, max(0, m.start() - 20),
                                                                                      m.start()):
            return m.group(0)  # 1.14: "Q.1, Q.2 năm 2025": the second of a list of quarters is a quarter too
        if nxt.isdigit() and key in {"Q", "P"}:
            return f"{_district_unit(key)} {nxt}"
        if key in _PLACE_ABBREVIATIONS and is_name:
            unit = _PLACE_ABBREVIATIONS[key]  # 1.20: "TP.Hội An" is "thành phố Hội An", see _CITY_KEYS
            named = key == "TP" and (_opens_line(m) or m.string.startswith("Hồ Chí Minh", m.start("next")))
            return f"{unit[:1].upper() + unit[1:] if named else unit} {nxt}"
        if nxt.isupper() and f"{key}{nxt}" in lexicon.table:
            return f"{key}{nxt}"
        if is_name and f"{key}." in lexicon.table:
            return f"{key}. {nxt}"  # "TT.Ngãi Giao": the dotted key ("thị trấn") is the one written, not "TT"
        if (key in lexicon.table or f"{key}." in lexicon.table) and (is_name or nxt.isupper()) and len(key) > 1:
            return f"{key} {nxt}"
        return m.group(0)

    text = _GLUED_ABBREVIATION.sub(repl, text)
    # "NĐ49", "QĐ1719": a document type glued to its number reads as the type, then the number.
    return _DOC_TYPE_NUMBER.sub(lambda m: f"{m.group('k')} {m.group('n')}", text)


_DOC_TYPE_NUMBER = re.compile(r"(?<![\w/&.-])(?P<k>NĐ|QĐ|NQ|TT|CT)(?P<n>[0-9]{1,4})(?![\w/&.-])")


# "CB-GV-NV", "CB,CC,VC", "GV-NV": a list of the school's or the office's staff written as joined
# abbreviations. Each part is read, the separators kept as pauses ("cán bộ - giáo viên - nhân viên").
_STAFF = {
    "CB": "cán bộ", "CC": "công chức", "VC": "viên chức", "GV": "giáo viên", "NV": "nhân viên",
    "HS": "học sinh", "SV": "sinh viên", "NLĐ": "người lao động", "CNV": "công nhân viên",
    "CNVC": "công nhân viên chức", "CCVC": "công chức, viên chức", "ĐV": "đảng viên", "HV": "hội viên",
    "ĐVTN": "đoàn viên thanh niên", "PHHS": "phụ huynh học sinh", "CMHS": "cha mẹ học sinh", "CBQL": "cán bộ quản lý",
}
_STAFF_LIST = re.compile(
    r"(?<![^\W_/.&-])(?P<list>[A-ZĐ]{2,4}(?:[ \t]*[-,][ \t]*[A-ZĐ]{2,4}){1,4})(?![^\W_/&-]|-[^\W_])"
)


def _staff_lists(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        parts = re.split(r"[ \t]*([-,])[ \t]*", m.group("list"))
        words, seps = parts[0::2], parts[1::2]
        if len(set(seps)) != 1 or not all(w in _STAFF for w in words):
            return m.group(0)
        if seps[0] == "," and not re.search(r",\S", m.group("list")):
            return m.group(0)  # "CB, CC" with spaces: each word is read on its own anyway
        glue = " - " if seps[0] == "-" else ", "
        return glue.join(_STAFF[w] for w in words)

    return _STAFF_LIST.sub(repl, text)


# An acronym the lexicon does not know is often defined by the text itself: "Hội nông dân (ND)", "Thông báo
# số 308/TB-ĐLHTr … của Điện lực Hương Trà". When the words of a phrase of the same text start with the
# acronym's letters ("Tr" may stand for a word's first two letters), the acronym is read as that phrase,
# the nearest one first; "và"/"về" inside the phrase need no letter.
# 1.15: the letters match a word whatever its tone or hat ("Ủy ban Giám sát tài chính quốc gia (UBGSTCQG)", "Quỹ bình
# ổn giá (BOG)", v15, v16), and an acronym may be written with hatted capitals ("ô nhiễm môi trường (ÔNMT)").
_CONTEXT_CODE = re.compile(rf"(?<![^\W_])(?:[{CODE_CAPITALS}][a-z]?){{2,8}}(?![^\W_])")
_PHRASE_WORD = re.compile(r"[^\W\d_]+")


def _phrase_for(code: str, words: list[re.Match[str]], text: str, at: int) -> str | None:
    segs = CODE_SEGMENT.findall(code)
    best: tuple[int, str] | None = None
    for i in range(len(words)):
        j, k = i, 0
        while k < len(segs) and j < len(words):
            w = words[j].group(0)
            if j > i and text[words[j - 1].end():words[j].start()] != " ":
                break
            if w == w.upper():
                break  # an acronym or a heading word is not a definition
            if starts_with_letters(w, segs[k]):
                k, j = k + 1, j + 1
            elif k and w in PHRASE_GLUE:
                j += 1
            else:
                break
        if k == len(segs):
            start, end = words[i].start(), words[j - 1].end()
            if len(segs) == 2 and not re.fullmatch(r"[ \t]*\([ \t]*", text[end:at]):
                continue  # two letters are too many things: only "nông dân (ND)" defines them
            distance = at - end if end <= at else start - at + 1_000_000
            if distance >= 0 and (best is None or distance < best[0]):
                best = (distance, text[start:end])
    return best[1] if best else None


# "Vận động hiến máu tình nguyện (HMTN)": a phrase with the acronym in brackets right after it defines the acronym for
# this text, even when the lexicon reads it otherwise (HMTN is "hộ mới thoát nghèo" in a poverty report). Only the
# shipped reading gives way (a commune's own entry wins), and only to a phrase whose words start with its letters.
_BRACKET_AFTER = re.compile(r"[ \t]*\)")
_SENTENCE_OPENS = re.compile(r"(?:^|[.!?:;][ \t]+)[ \t\-+*]*$", re.M)


def _bracket_definition(code: str, words: list[re.Match[str]], text: str, m: re.Match[str]) -> str | None:
    if not _BRACKET_AFTER.match(text, m.end()):
        return None
    opening = re.search(r"[ \t]*\([ \t]*$", text[max(0, m.start() - 5):m.start()])
    if opening is None:
        return None
    end = m.start() - len(opening.group(0))
    before = [w for w in words if w.end() <= end]
    phrase = _phrase_for(code, before[-len(code) - 4:], text, m.start())
    if phrase is None or not text[:end].endswith(phrase):
        return None
    at = end - len(phrase)
    positional = _TAIL_OF_A_NAME.search(text, max(0, at - 60), at) or _SENTENCE_OPENS.search(text, max(0, at - 4), at)
    if positional and phrase[1:] == phrase[1:].lower():
        # 1.14: "Trung tâm Hỗ trợ Thanh niên công nhân (TNCN)": the phrase has its capital as the end of the body's name
        # (or as a sentence's first word); the acronym names the people, a common noun ("thanh niên công nhân", v13).
        return phrase[:1].lower() + phrase[1:]
    return phrase


def _shipped_reading(code: str, lexicon: Lexicon) -> str | None:
    """The reading the shipped tables give ``code`` where the commune's lexicon keeps it (None: unknown, overridden)."""
    shipped = base_acronyms().get(code) or rn.doc_issuers().get(code)
    return shipped if shipped is not None and lexicon.table.get(code, shipped) == shipped else None


def _compound_acronyms(text: str, lexicon: Lexicon) -> dict[str, str]:
    """1.15: the parts of a bracket of joined acronyms, and the whole, where the phrase before it reads them otherwise
    than the shipped tables ("Tổng cục Dân số - Kế hoạch hóa gia đình (DS-KHHGĐ)" leaves the shipped reading alone); a
    commune's own entry wins."""
    found: dict[str, str] = {}
    for whole, reading, parts in compound_definitions(text, _SENTENCE_OPENS):
        shipped = _shipped_reading(whole, lexicon)
        if whole in lexicon.table and (shipped is None or shipped.casefold() == reading.casefold()):
            continue
        if any(key in lexicon.table and _shipped_reading(key, lexicon) is None for key in parts):
            continue  # a part is the commune's own entry: the parts are read one by one
        if shipped is not None and shipped == shipped.lower() and _content_words(shipped) == _content_words(reading):
            # 1.17: "Sở Khoa học và Công nghệ (KH-CN)": the shipped reading is a common noun and the phrase says the
            # same words; the capitals are the department's, the acronym is said in lower case (v19).
            reading = reading.lower()
        found.setdefault(whole, reading)
        for key, phrase in parts.items():
            shipped = _shipped_reading(key, lexicon)
            if (key not in lexicon.table or shipped is not None) and (shipped or "").casefold() != phrase.casefold():
                found.setdefault(key, phrase)
    return found


def _recased_name(phrase: str, shipped: str) -> bool:
    """1.19: "tổ chức Y tế Thế giới (WHO)": the shipped reading is a proper name (capitals inside it) and the text
    writes its first word in lower case; the bracket repeats the name as the text writes it (v23). A common noun ("Trạm
    Y tế (TYT)", "Tăng huyết áp (THA)") keeps the shipped lower case."""
    return phrase != shipped and phrase[1:] == shipped[1:] and shipped[1:] != shipped[1:].lower()


def _written_before_bracket(shipped: str, text: str, m: re.Match[str]) -> str | None:
    """1.19: a foreign acronym in brackets after its name written with other capitals ("tổ chức Y tế Thế giới
    (WHO)"): its letters spell no Vietnamese phrase, but the name before the bracket is the shipped one; it is said as
    written."""
    opening = re.search(r"[ \t]*\([ \t]*$", text[max(0, m.start() - 5):m.start()])
    if opening is None or not _BRACKET_AFTER.match(text, m.end()):
        return None
    end = m.start() - len(opening.group(0))
    written = text[max(0, end - len(shipped)):end]
    return written if written.casefold() == shipped.casefold() and _recased_name(written, shipped) else None


def _content_words(reading: str) -> list[str]:
    return [w for w in re.findall(r"[^\W\d_]+", reading.casefold()) if w != "và"]


def _page_spelling(code: str, shipped: str, words: list[re.Match[str]], text: str, at: int) -> str | None:
    """1.17: "Sở Giao thông công chánh TP.HCM (GTCC)": the page spells the phrase of a shipped acronym with one word in
    another regional spelling ("chánh" for "chính"); the acronym is read as the page spells it (v19)."""
    phrase = _phrase_for(code, words, text, at)
    if phrase is None:
        return None
    got, want = _PHRASE_WORD.findall(phrase), _PHRASE_WORD.findall(shipped)
    if len(got) != len(want) or not re.fullmatch(r"[^\W\d_]+(?: [^\W\d_]+)*", shipped):
        return None
    diff = [(g, w) for g, w in zip(got, want, strict=True) if g.casefold() != w.casefold()]
    if len(diff) != 1 or diff[0][0][:2].casefold() != diff[0][1][:2].casefold():
        return None
    return " ".join(g if g.casefold() != w.casefold() else w for g, w in zip(got, want, strict=True))


def _context_acronyms(text: str, lexicon: Lexicon, loanwords: object) -> dict[str, str]:
    found = _compound_acronyms(text, lexicon)
    words: list[re.Match[str]] | None = None
    for m in _CONTEXT_CODE.finditer(text):
        code = m.group(0)
        shipped = _shipped_reading(code, lexicon)
        if code not in found and shipped is not None:
            words = words if words is not None else list(_PHRASE_WORD.finditer(text))
            phrase = _bracket_definition(code, words, text, m)
            if phrase is not None and (phrase.casefold() != shipped.casefold() or _recased_name(phrase, shipped)):
                found[code] = phrase
            elif phrase is None and (written := _written_before_bracket(shipped, text, m)) is not None:
                found[code] = written
            elif phrase is None and len(code) > 2:
                spelled = _page_spelling(code, shipped, words, text, m.start())
                if spelled is not None:
                    found[code] = spelled
            continue
        if code in found or code in lexicon.table or code in rn.doc_issuers() or code in rn.doc_types() \
                or roman_to_int(code) is not None or code in loanwords:  # type: ignore[operator]
            continue
        words = words if words is not None else list(_PHRASE_WORD.finditer(text))
        if is_valid_syllable(code):
            # 1.19: a code that spells a syllable ("THA") is defined only by its phrase right before its bracket,
            # "Tăng huyết áp (THA)" (v23); elsewhere it may be the word itself.
            phrase = _bracket_definition(code, words, text, m)
            if phrase is not None:
                found[code] = phrase[:1].lower() + phrase[1:] if phrase[1:] == phrase[1:].lower() else phrase
            continue
        phrase = _phrase_for(code, words, text, m.start()) or _foreign_name_before_bracket(code, text, m)
        if phrase is not None:
            found[code] = phrase
    return found


# 1.21: an unknown acronym in brackets right after the full name of a body, whose letters are those of its foreign name
# ("Tổng công ty Đường sắt Việt Nam (VNR)": Vietnam Railways), is said again as the name (v30, like v23's WHO): the
# Vietnamese words cannot spell its letters, but the name starts with a body's head word and a capitalised word of it
# starts with the acronym's first letter.
_BODY_NAME_BEFORE = re.compile(
    r"(?<![^\W_])(?:Tổng công ty|Công ty|Tập đoàn|Tổ chức|Hiệp hội|Ngân hàng|Tổng cục|Cơ quan|Quỹ)"
    r"(?:[ \t]+[^\W\d_]+){1,6}[ \t]*\([ \t]*$"
)


def _foreign_name_before_bracket(code: str, text: str, m: re.Match[str]) -> str | None:
    if len(code) < 3 or not _BRACKET_AFTER.match(text, m.end()):
        return None
    name = _BODY_NAME_BEFORE.search(text, max(0, m.start() - 80), m.start())
    if name is None:
        return None
    phrase = re.sub(r"[ \t]*\([ \t]*$", "", name.group(0))
    initials = {w[0] for w in phrase.split() if w[0].isupper()}
    return phrase if code[0] in initials else None


# In an all-caps heading the names of the central bodies and of the country keep their capitals.
_HEADING_NAMES = {
    "THỦ TƯỚNG CHÍNH PHỦ": "Thủ tướng Chính phủ", "CHÍNH PHỦ": "Chính phủ", "QUỐC HỘI": "Quốc hội",
    "BỘ CHÍNH TRỊ": "Bộ Chính trị", "VIỆT NAM": "Việt Nam",
}
# …and so do the names of the great festivals and of the years of the sixty-year cycle, a heavenly stem and an earthly
# branch of the same parity ("TẾT NGUYÊN ĐÁN ẤT TỴ" → "Tết Nguyên đán Ất Tỵ", "XUÂN GIÁP THÌN" → "xuân Giáp Thìn").
_HEADING_NAMES.update({"TẾT NGUYÊN ĐÁN": "Tết Nguyên đán", "TẾT TRUNG THU": "Tết Trung thu",
                       "TẾT DƯƠNG LỊCH": "Tết Dương lịch"})
_STEMS = str.split("Giáp Ất Bính Đinh Mậu Kỷ Canh Tân Nhâm Quý")
_BRANCHES = [b.split("/") for b in str.split("Tý/Tí Sửu Dần Mão/Mẹo Thìn Tỵ/Tị Ngọ Mùi Thân Dậu Tuất Hợi")]
_HEADING_NAMES.update({
    f"{stem} {branch}".upper(): f"{stem} {branch}"
    for i, stem in enumerate(_STEMS) for j, spellings in enumerate(_BRANCHES) if i % 2 == j % 2 for branch in spellings
})
# 1.15: …and so do the provinces and cities ("GIÓ GIẬT MẠNH Ở THANH HÓA" "… ở Thanh Hóa", "TỈNH KON TUM", v14), named
# days ("SỰ HÌNH THÀNH NGÀY PHÁP LUẬT VIỆT NAM" "… Ngày Pháp luật Việt Nam", v15; v10 read "NGÀY GIA ĐÌNH VIỆT NAM" in
# lower case, so that day is left out) and the ministries and departments the lexicon names ("CỦA SỞ THÔNG TIN VÀ
# TRUYỀN THÔNG" "của Sở Thông tin và Truyền thông", v15).
_PROVINCES = (
    "An Giang", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre", "Bình Dương", "Bình Định", "Bình Phước",
    "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai",
    "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang",
    "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lạng Sơn", "Lào Cai", "Lâm Đồng",
    "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam",
    "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên",
    "Thanh Hóa", "Thừa Thiên Huế", "Huế", "Tiền Giang", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc",
    "Yên Bái", "Hồ Chí Minh", "Bà Rịa - Vũng Tàu", "Vũng Tàu",
)
_NAMED_DAYS = (
    "Ngày Pháp luật", "Ngày Môi trường thế giới", "Ngày Nhà giáo Việt Nam", "Ngày Thầy thuốc Việt Nam",
    "Ngày Phụ nữ Việt Nam", "Ngày Quốc tế Phụ nữ", "Ngày Quốc tế Lao động", "Ngày Dân số thế giới",
    "Ngày Nước thế giới", "Ngày Khí tượng thế giới", "Ngày Sách Việt Nam", "Ngày Doanh nhân Việt Nam",
    "Ngày Báo chí cách mạng Việt Nam", "Ngày Thương binh - Liệt sĩ", "Ngày toàn dân phòng, chống mua bán người",
    "Ngày Văn hóa các dân tộc Việt Nam",
)
_BODY_HEADS = ("Sở ", "Bộ ", "Tổng cục ", "Cục ")
# 1.20: boards named in all-caps headings keep their names' capitals, "BAN THANH TRA NHÂN DÂN" "Ban Thanh tra nhân
# dân", "BAN GIÁM SÁT ĐẦU TƯ CỦA CỘNG ĐỒNG" "Ban Giám sát đầu tư của cộng đồng" (v27).
_HEADING_BODIES = ("Ban Thanh tra nhân dân", "Ban Giám sát đầu tư của cộng đồng", "Hội Cựu chiến binh",
                   "Ban Chỉ đạo", "Hội Nông dân", "Hội Liên hiệp Phụ nữ", *(
                       # 1.22: so do the state funds a decree sets up, "QUỸ PHÒNG, CHỐNG THIÊN TAI" "Quỹ phòng, chống
                       # thiên tai" (v34), named as in running text.
                       "Quỹ phòng, chống thiên tai", "Quỹ Vì người nghèo", "Quỹ Đền ơn đáp nghĩa",
                       "Quỹ Bảo trợ trẻ em", "Quỹ Hỗ trợ nông dân"))
# 1.20: a document's type before its number in an all-caps heading is the document's title, "NGHỊ ĐỊNH SỐ: 59/…"
# "Nghị định số: …" (v27), as in running text.
_CAPS_DOC_TITLE = re.compile(
    r"(?<![^\W_])(?P<t>NGHỊ ĐỊNH|NGHỊ QUYẾT|QUYẾT ĐỊNH|THÔNG TƯ|CHỈ THỊ|PHÁP LỆNH|KẾ HOẠCH|CÔNG VĂN|HƯỚNG DẪN)"
    r"(?=[ \t]+(?:SỐ[ \t]*:?[ \t]*)?[0-9])"
)
_OLD_TONES = {"óa": "oá", "òa": "oà", "ỏa": "oả", "õa": "oã", "ọa": "oạ", "óe": "oé", "òe": "oè", "ỏe": "oẻ",
              "õe": "oẽ", "ọe": "oẹ", "úy": "uý", "ùy": "uỳ", "ủy": "uỷ", "ũy": "uỹ", "ụy": "uỵ"}


def _spellings(name: str) -> set[str]:
    """A name as written with the tone on either vowel ("Thanh Hóa", "Thanh Hoá")."""
    old = name
    for new_style, old_style in _OLD_TONES.items():
        old = old.replace(new_style, old_style)
    return {name, old}


@lru_cache(maxsize=1)
def _heading_name_table() -> tuple[dict[str, str], dict[str, str], re.Pattern[str]]:
    """The names above, and the 1.15 names, which also keep their capitals alone in an all-caps line ("Ở THANH HÓA")."""
    bodies = [v for v in base_acronyms().values()
              if v.startswith(_BODY_HEADS) and len(v.split()) >= 3 and any(w[:1].isupper() for w in v.split()[1:])]
    names = {spelling.upper(): spelling
             for name in (*_PROVINCES, *_NAMED_DAYS, *bodies, *_HEADING_BODIES) for spelling in _spellings(name)}
    alternatives = "|".join(sorted(map(re.escape, {**_HEADING_NAMES, **names}), key=len, reverse=True))
    return _HEADING_NAMES, names, re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")


def _heading_names(text: str, caps_lines: frozenset[int] = frozenset()) -> str:
    old, new, pattern = _heading_name_table()

    def repl(m: re.Match[str]) -> str:
        name = m.group(0)
        if name in new and (_next_to_caps_word(m) or _line_of(m) in caps_lines):
            return new[name]
        return old[name] if name in old and _next_to_caps_word(m) else name

    return pattern.sub(repl, text)


_BULLET = re.compile(r"^[ \t]*[-+][ \t]*(?=\S)(?![0-9])", re.M)
# 1.15: pages bullet their lines with emoji and pictograms too ("🔹 Ngày 27–28/4", "📍 Tin phát lúc: 20h00", "🌡️ …"):
# dropped like "- " (v14), with their variation selectors and joiners.
_PICTOGRAM_BULLET = re.compile(
    "^[ \t]*(?:[\U0001F000-\U0001FAFF\u2190-\u21FF\u2300-\u23FF\u25A0-\u27BF\u2B00-\u2BFF]"
    "[\ufe0f\u200d\U0001F3FB-\U0001F3FF]*[ \t]*)+",
    re.M,
)
# 1.19: "PHẦN I. THI TUYỂN …" is the part "I." names, "Phần một, Thi tuyển …" (v24), not "Chương VII." (a full stop).
_ROMAN_HEADING = re.compile(
    r"^[ \t]*(?:(?:PHẦN|Phần)[ \t]+)?(?P<r>[IVXLC]{2,}|[IVX])[ \t]*[.)][ \t]*(?=\S)", re.M
)
# List markers are written "1." "1)" "1/" and "a)" "a." "a/": all read the same way, as a label
# and a pause, so "a)" and "b." of one list never sound different.
# A label glued to its text ("2.1.Việc …") is still a label when a capital follows.
_NUMBER_ITEM = re.compile(
    r"^[ \t]*(?P<n>[0-9]{1,2}(?:\.[0-9]{1,2})*)[ \t]*(?:[.)/][ \t]+(?=\S)|\.(?=[A-ZĐÀ-Ỹ][^\W\d_]))", re.M
)
_LETTER_ITEM = re.compile(r"^[ \t]*(?P<l>[a-zđ])[ \t]*(?:\)|[./][ \t])[ \t]*(?=\S)", re.M)
# 1.22: a label in brackets at a line's start, "(1) Người …", "(b) Hồ sơ …", is a list marker like "1)" and "b)",
# "Một, Người …" (v34), not a bracketed aside read between pauses ("một, Người").
_BRACKETED_ITEM = re.compile(r"^[ \t]*\([ \t]*(?P<l>[0-9]{1,2}|[a-zđ])[ \t]*\)[ \t]+(?=[^\W\d_])", re.M)
# 1.15: a capital letter marks a part before an all-caps heading: "A. ĐĂNG KÝ KHAI SINH" is "A, Đăng ký khai sinh"
# (v15); before a name ("A. Nguyễn") it is an initial and is left alone.
_CAPITAL_LETTER_ITEM = re.compile(r"^[ \t]*(?P<l>[A-HĐ])[ \t]*[.)][ \t]+(?=[A-ZĐÀ-Ỹ]{2,}(?![a-zđà-ỹ]))", re.M)
# 1.15: the heading after a label keeps its first word's capital, as a line's first word does: "Phần một, Khái niệm về
# hòa giải ở cơ sở" (v15, v16, and v4; the rules source, v1..v3, v5, v6 and v13 read it in lower case). The label ends
# with this private mark, which _caps_tokens reads as the start of the line and _tidy drops.
_LABEL_END = "\ue004"


# 1.18: a bullet before a number and a document's type ("- 9 Thông tư 06/2021/TT-BXD …", "- 4Nghị định 16/2022/…",
# "- 3 Luật giao thông …") numbers a list of legal bases: the number is the item's label, "Chín, Thông tư …" (v21), as
# "9." is. A count keeps its noun without a pause ("- 02 Phiếu đăng ký …" "Hai Phiếu …", v18): no leading zero here.
# Only the types a legal basis cites ("- 3 Kế hoạch", "- 2 Văn bản" may count plans or papers).
_DOC_TYPE_WORDS = ("Thông tư", "Nghị định", "Nghị quyết", "Quyết định", "Luật", "Bộ luật", "Pháp lệnh", "Chỉ thị",
                   "Hiến pháp", "Công văn")
_BULLETED_DOC_ITEM = re.compile(
    rf"^[ \t]*[-+][ \t]*(?P<n>[1-9][0-9]?)[ \t]*(?=(?:{'|'.join(_DOC_TYPE_WORDS)})(?![^\W_]))", re.M
)

# 1.18: so does a bullet before a numbered label, "- 1. Quan điểm chung" "Một, Quan điểm chung": the bullet is dropped
# and the label read as a label (a count, "- 100% các lớp", keeps its number).
_BULLET_BEFORE_LABEL = re.compile(r"^[ \t]*[-+][ \t]*(?=[0-9]{1,2}(?:\.[0-9]{1,2})*[.)][ \t]+[A-ZĐÀ-Ỹ])", re.M)


def _spoken_label(reading: str, stop: str = ",") -> str:
    """A list or heading label as spoken: its reading with a capital, a pause, and the label's end mark."""
    return f"{reading[:1].upper()}{reading[1:]}{stop} {_LABEL_END}"


def _number_label(m: re.Match[str]) -> str:
    """"2." → "Hai, "; 1.18: a multi-level marker that ends with its dot ("4.6.1.", "1.1.", "3.2.") ends with a full
    stop, "Bốn chấm sáu chấm một. Giải pháp …" (v22; v4, v6, v10 and the rules source read a comma, given up); one
    without its last dot ("Chỉ số 3.1.2") or of one level ("1.") keeps the comma."""
    label = m.group("n")
    stop = "." if "." in label and m.group(0)[m.end("n"):].lstrip(" \t").startswith(".") else ","
    return _spoken_label(rn.read_list_number(label), stop)


def _bracketed_label(m: re.Match[str]) -> str:
    """"(2) " → "Hai, ", "(b) " → "Bê, ": the label read as the same label without its brackets."""
    label = m.group("l")
    return _spoken_label(rn.read_list_number(label) if label.isdigit() else LETTER_NAMES[label])


def _line_markers(text: str) -> str:
    """Headings and list markers become spoken labels followed by a comma pause."""

    def roman(m: re.Match[str]) -> str:
        n = roman_to_int(m.group("r"))
        return m.group(0) if n is None else _spoken_label(f"Phần {read_cardinal(n)}")

    text = _BULLETED_DOC_ITEM.sub(lambda m: _spoken_label(rn.read_list_number(m.group("n"))), text)
    text = _BULLET_BEFORE_LABEL.sub("", text)
    text = _BULLET.sub("", _PICTOGRAM_BULLET.sub("", text))
    text = _ROMAN_HEADING.sub(roman, text)
    text = _BRACKETED_ITEM.sub(_bracketed_label, text)
    text = _NUMBER_ITEM.sub(_number_label, text)
    text = _CAPITAL_LETTER_ITEM.sub(lambda m: _spoken_label(LETTER_NAMES[m.group("l").lower()]), text)
    return _LETTER_ITEM.sub(lambda m: _spoken_label(LETTER_NAMES[m.group("l")]), text)


def _is_caps_word(word: str) -> bool:
    return len(word) >= 2 and word.isalpha() and word == word.upper() and word != word.lower()


_CITY_KEYS = frozenset({"TP", "TP."})
# 1.15: "TP." with its dot before a city's name was the name's first word, "Thành phố Cần Thơ" (v10, v11, v12, v15, v16,
# v21, v26). 1.20: v27 and v28, the most recent sets, read "TP. Long Xuyên", "TP.Hội An" "thành phố …" in running text,
# like "TP <name>" (v26 followed v21; the older rows are given up in given_up_1_20.tsv). A line's first word, a name
# of its own ("TP. Hồ Chí Minh", "TP.HCM") and a city inside a company's name keep "Thành phố".



def _opens_line(m: re.Match[str]) -> bool:
    """The match opens its line, or a sentence after a full stop, "!" or "?" in the line ("… kéo dài. TP.Huế …")."""
    before = m.string[m.string.rfind("\n", 0, m.start()) + 1:m.start()].strip(" \t-+")
    return not before or (before.endswith((".", "!", "?")) and not before.endswith(".."))


# "Công ty" (or "Tổng công ty") and at most four words of its name, the first capitalised, no punctuation.
_IN_COMPANY_NAME = re.compile(r"(?<![^\W_])[Cc]ông ty[ \t]+[A-ZĐÀ-Ỹ][^\W\d_]*(?:[ \t]+[^\W\d_]+){0,3}[ \t]*$")


# A body's head noun written with its capital before an acronym makes the acronym part of a name. 1.15: not "Quỹ": a
# fund is named by what it does, "Quỹ BOG" "Quỹ bình ổn giá" (v16).
_INSTITUTION_HEADS = (
    r"(?:Trung tâm|Sở|Phòng|Ban|Hội|Trường|Viện|Cục|Chi cục|Văn phòng|Ủy ban|Tổng cục|"
    r"Bệnh viện|Trạm|Học viện|Ngân hàng)"
)
_INSTITUTION_BEFORE = re.compile(rf"(?<![^\W_]){_INSTITUTION_HEADS}[ \t]+$")
# 1.14: a phrase that ends a body's name ("Trung tâm Hỗ trợ Thanh niên công nhân"), read by _bracket_definition.
_TAIL_OF_A_NAME = re.compile(rf"(?<![^\W_]){_INSTITUTION_HEADS}(?:[ \t]+[^\W\d_]+){{1,4}}[ \t]+$")
# …but a plural or a distributive before the head noun makes it a kind of body, not one body's name ("các Trung tâm
# TGPL", "mỗi Trung tâm …"), and so does an owner after the acronym ("Trung tâm TGPL nhà nước", "… công lập"): the
# expansion is a common noun there, as the laws write it ("Trung tâm trợ giúp pháp lý nhà nước").
_KIND_BEFORE = re.compile(rf"(?<![^\W_])(?:[Cc]ác|[Nn]hững|[Mm]ỗi|[Tt]ừng)[ \t]+{_INSTITUTION_HEADS}[ \t]+$")
_KIND_AFTER = re.compile(r"[ \t]+(?:nhà nước|công lập|ngoài công lập|tư nhân)(?![^\W_])")
# So does a name's first field before "và": in "Chi cục Trồng trọt và BVTV", "Sở Giáo dục và ĐT" the acronym is the
# second field of the body's name and is written with its capital ("Bảo vệ thực vật", "Đào tạo").
_NAME_FIELD_BEFORE = re.compile(
    rf"(?<![^\W_]){_INSTITUTION_HEADS}[ \t]+(?P<field>[^\W\d_]+(?:[ \t]+[^\W\d_]+){{0,3}})[ \t]+và[ \t]+$"
)


def _names_a_body(text: str, at: int, end: int | None = None) -> bool:
    """The acronym at ``at`` is part of a body's name: right after its head noun, or as the field after "và"."""
    if _INSTITUTION_BEFORE.search(text, max(0, at - 20), at):
        kind = _KIND_BEFORE.search(text, max(0, at - 30), at) or (end is not None and _KIND_AFTER.match(text, end))
        return not kind
    field = _NAME_FIELD_BEFORE.search(text, max(0, at - 60), at)
    if field is None:
        return False
    words = field.group("field").split()
    # "Ban Chỉ huy PCTT và TKCN": a field that is itself an acronym is no written-out name.
    return words[0][:1].isupper() and not any(_is_caps_word(w) for w in words)


# 1.15: an acronym of a kind of body before the body's own name is the name's first words: "HTXDVNN Trác Văn" "Hợp tác
# xã dịch vụ nông nghiệp Trác Văn", "HTX Dịch vụ nông nghiệp …" (v14); "các HTX", "Cty đã …" stay common nouns.
_BODY_KINDS = ("hợp tác xã", "công ty", "tổng công ty", "doanh nghiệp", "ngân hàng", "bệnh viện", "trung tâm",
               "ban quản lý", "nhà máy", "xí nghiệp", "liên hiệp", "quỹ")
_WORD_AFTER = re.compile(r"[ \t]+([^\W\d_]+)")


# 1.19: health bodies named by an acronym are a kind of body, said in lower case ("các TYT", "24 TYT", "tại TYT", "của
# TYT xã", v23); before a proper name, or an administrative level and a proper name, they are that body's name and
# take its capitals ("TTYT Hương Trà" "Trung tâm Y tế Hương Trà", "TYT xã Tân Lập" "Trạm Y tế xã Tân Lập").
_NAMED_KINDS = {"trạm y tế": "Trạm Y tế", "trung tâm y tế": "Trung tâm Y tế", "bệnh viện": "Bệnh viện",
                "trạm y tế xã": "Trạm Y tế xã", "trung tâm y tế huyện": "Trung tâm Y tế huyện"}
_PROPER_NAME_AFTER = re.compile(
    r"[ \t]+(?:(?:xã|phường|thị trấn|huyện|quận|thị xã|thành phố|tỉnh)[ \t]+)?(?P<first>[A-ZĐÀ-Ỹ0-9])"
)


# 1.19: a document type's code before a document number is that document's title, as "Thông tư 33/2015/TT-BYT" is
# written: "(TT 33/2015/TT-BYT" "Thông tư ba mươi ba, …" (v23). Read before the number, whose rule reads the code after
# it as a common noun.
_TYPE_BEFORE_NUMBER = re.compile(r"(?<![^\W_/&.-])(?P<code>[A-ZĐ]{2,4})(?=[ \t]+(?:số[ \t]+)?[0-9]+/[0-9A-ZĐ])")


def _titled_document_types(text: str, lexicon: Lexicon) -> str:
    def repl(m: re.Match[str]) -> str:
        code = m.group("code")
        reading = rn.doc_types().get(code)
        if reading is None or lexicon.table.get(code, reading) != reading:
            return code
        return reading[:1].upper() + reading[1:]

    return _TYPE_BEFORE_NUMBER.sub(repl, text)



def _named_kind(expansion: str, text: str, end: int) -> str | None:
    """The name form of a health body's kind when a proper name follows it, else None."""
    name_form = _NAMED_KINDS.get(expansion)
    after = _PROPER_NAME_AFTER.match(text, end)
    # (À-Ỹ spans lower-case letters too, "TYT đã …": the capital is checked here.)
    if name_form is None or after is None or not after.group("first").isupper():
        return None
    return name_form


def _kind_before_its_name(expansion: str, text: str, end: int) -> bool:
    after = _WORD_AFTER.match(text, end)
    return expansion.startswith(_BODY_KINDS) and after is not None and after.group(1).istitle()


# 1.15: after "Luật" an acronym names the law, whose name has its capital: "Luật PBGDPL" "Luật Phổ biến, giáo dục pháp
# luật", and "Luật HNGĐ" is the law the lexicon knows as "LHNGĐ", "Luật Hôn nhân và gia đình" (v15).
_LAW_BEFORE = re.compile(r"(?<![^\W_])Luật[ \t]+$")


def _law_name(key: str, text: str, at: int, lexicon: Lexicon) -> str | None:
    if not _LAW_BEFORE.search(text, max(0, at - 8), at):
        return None
    whole = lexicon.table.get(f"L{key}", "")
    name = whole[len("Luật "):] if whole.startswith("Luật ") else lexicon.table[key]
    return name[:1].upper() + name[1:]


_CLAUSE_END = re.compile(r"[.!?;\n]")
# 1.14: a school's level after "Trường" is part of its name only when the name follows ("Trường THPT Vũng Tàu", v10,
# "Trường THCS số 2"); "Đoàn Trường THPT)" and "Trường THCS và THPT Cửa Việt" name the kind of school, in lower case
# ("Trường trung học cơ sở và trung học phổ thông Cửa Việt", v13).
_SCHOOL_LEVELS = ("trung học", "tiểu học", "mầm non", "mẫu giáo", "phổ thông", "nhà trẻ")
_NAME_AFTER = re.compile(r"[ \t]+(?:[A-ZĐÀ-Ỹ0-9]|số[ \t]+[^\W_])")


# 1.16: "THPT"/"THCS" are read "trung học phổ thông"/"trung học cơ sở" in lower case even before a school's name,
# "Trường THPT Thuận An" "Trường trung học phổ thông Thuận An" (v18, three pages; v10's and v17's capital given up).
_LOWER_LEVELS = ("trung học",)


def _school_kind_without_name(reading: str, text: str, end: int) -> bool:
    if reading.lower().startswith(_LOWER_LEVELS):
        return True
    return reading.lower().startswith(_SCHOOL_LEVELS) and not _NAME_AFTER.match(text, end)


def _holding_rule(m: re.Match[str], rules: tuple[ContextRule, ...]) -> ContextRule | None:
    """The first context row that holds for the key at ``m``, or None."""
    key = m.group(0)
    ends = [e.end() for e in _CLAUSE_END.finditer(m.string, 0, m.start())]
    start = ends[-1] if ends else 0
    nxt = _CLAUSE_END.search(m.string, m.end())
    stop = nxt.start() if nxt else len(m.string)
    before, after = m.string[start:m.start()], m.string[m.end():stop]
    clause = before + " " + after
    for rule in rules:
        if rule.key != key:
            continue
        if rule.before and not rule.before.search(before):
            continue
        if rule.after and not rule.after.match(after):
            continue
        if rule.sentence and not rule.sentence.search(clause):
            continue
        if rule.unless and rule.unless.search(clause):
            continue
        return rule
    return None


def _cased_reading(m: re.Match[str], reading: str) -> str:
    """"Trường MN Hoa Sen" is a name; a reading that opens a line or a sentence starts with a capital."""
    ends = [e.end() for e in _CLAUSE_END.finditer(m.string, 0, m.start())]
    start = ends[-1] if ends else 0
    before = m.string[start:m.start()]
    opens = not before.strip(" \t-+") and (start == 0 or m.string[start - 1] != ";")
    if (_INSTITUTION_BEFORE.search(before) and not _school_kind_without_name(reading, m.string, m.end())) or opens:
        return reading[:1].upper() + reading[1:]
    return reading


def _context_readings(text: str, lexicon: Lexicon) -> str:
    """Ambiguous short acronyms read by their context ("trường MN" mầm non, "nộp HS" hồ sơ, "thi ĐH - CĐ" đại học -
    cao đẳng), from ``data/acronyms_context.tsv``. A key the commune's lexicon or the text itself defines keeps
    that reading; a key no context row fits is left to the lexicon or spelled, as before."""
    rules = context_rules()
    keys = sorted({r.key for r in rules}, key=len, reverse=True)
    if not any(k in text for k in keys):
        return text
    pattern = re.compile(rf"(?<![^\W_]|[&/.-])(?:{'|'.join(map(re.escape, keys))})(?![^\W_]|[&/]|[.-][^\W_])")
    base = base_acronyms()
    found = [m for m in pattern.finditer(text)
             if not (m.group(0) in lexicon.table and lexicon.table[m.group(0)] != base.get(m.group(0)))]
    readings = _one_sense_per_text(found, [_holding_rule(m, rules) for m in found])
    out, last = [], 0
    for m, reading in zip(found, readings, strict=True):
        if reading is not None:
            out += [text[last:m.start()], _cased_reading(m, reading)]
            last = m.end()
    return "".join(out) + text[last:]


def _one_sense_per_text(found: list[re.Match[str]], rules: list[ContextRule | None]) -> list[str | None]:
    """1.14: a key whose topic fixed one reading somewhere in the text keeps it where its own clause says nothing
    ("giúp cho TNCN rèn luyện …; đồng thời giao lưu cho TNCN và các doanh nghiệp": the young workers of the first
    clause, not a tax). Only a row that reads the sentence's topic (no word just before or after the key) speaks for
    the whole text: "nộp HS" or "(SN 1990)" say nothing of the next "HS" or "SN". A key read two ways by its topic in
    one text leaves its silent places as before (the lexicon, or spelled)."""
    chosen: dict[str, set[str]] = {}
    for m, rule in zip(found, rules, strict=True):
        if rule is not None and rule.sentence and not (rule.before or rule.after):
            chosen.setdefault(m.group(0), set()).add(rule.reading)
    return [rule.reading if rule is not None
            else next(iter(chosen[m.group(0)])) if len(chosen.get(m.group(0), ())) == 1 else None
            for m, rule in zip(found, rules, strict=True)]


def _expand_acronyms(text: str, lexicon: Lexicon) -> str:
    """Lexicon expansion, except for keys that are also ordinary words inside an all-caps heading.

    "TƯ" means "Trung ương" in "Ban Chấp hành TƯ" but is the syllable "tư" in "ĐẦU TƯ".
    """

    def repl(m: re.Match[str]) -> str:
        key = m.group(0)
        if is_valid_syllable(key):
            before = re.findall(rf"{_W}+", m.string[max(0, m.start() - 20):m.start()])
            after = re.findall(rf"{_W}+", m.string[m.end():m.end() + 20])
            neighbours = before[-1:] + after[:1]
            if any(_is_caps_word(w) and w not in lexicon and is_valid_syllable(w) for w in neighbours):
                # 1.15: "HUYỆN TU MƠ RÔNG" (v14); 1.19: a heading's first word keeps its capital, "THA THỨ …".
                opens = not m.string[m.string.rfind("\n", 0, m.start()) + 1:m.start()].strip(" \t-+")
                return key.capitalize() if opens or _in_place_name(m) else key.lower()
        expansion = lexicon.table[key]
        if key in _CITY_KEYS and _IN_COMPANY_NAME.search(m.string, max(0, m.start() - 60), m.start()):
            # "Tổng Công ty Điện lực TP. Hà Nội": inside an enterprise's name the city is part of the name.
            expansion = expansion[:1].upper() + expansion[1:]
        # "Chỉ số PCI" with PCI = "chỉ số năng lực …": the head noun is written before the acronym and
        # inside its expansion; it is said once.
        head = expansion.split()
        before_words = m.string[max(0, m.start() - 40):m.start()].split()
        for n in range(min(3, len(head) - 1, len(before_words)), 0, -1):
            if [w.casefold() for w in before_words[-n:]] == [w.casefold() for w in head[:n]]:
                expansion = " ".join(head[n:])
                break
        if _names_a_body(m.string, m.start(), m.end()) and not _school_kind_without_name(expansion, m.string, m.end()):
            # "Trung tâm GDNN" is the name of a body: "Trung tâm Giáo dục nghề nghiệp".
            expansion = expansion[:1].upper() + expansion[1:]
        named = _named_kind(expansion, m.string, m.end())
        if named is not None:
            expansion = named
        elif _kind_before_its_name(expansion, m.string, m.end()):
            expansion = expansion[:1].upper() + expansion[1:]
        law = _law_name(key, m.string, m.start(), lexicon)
        expansion = law if law is not None else expansion
        if _opens_line(m):
            # An expansion that opens a line opens a sentence: "HTX nông nghiệp" → "Hợp tác xã …"; 1.20: so does one
            # after a full stop inside the line.
            expansion = expansion[:1].upper() + expansion[1:]
        # "KT.CHỦ TỊCH": a key that ends with "." may be glued to the next word. At the end of a line its dot
        # also closes the sentence ("… toàn TP." → "… toàn thành phố.").
        if key.endswith(".") and not m.string[m.end():].split("\n", 1)[0].strip():
            return f"{expansion}."
        return f"{expansion} " if key.endswith(".") else _spaced_hyphens(m, expansion)

    return lexicon.pattern.sub(repl, text)


def _spaced_hyphens(m: re.Match[str], expansion: str) -> str:
    """1.15: two acronyms joined by a hyphen that no key holds whole are read with a dash between their readings:
    "HLHPN-ĐTN" "Hội Liên hiệp Phụ nữ - Đoàn Thanh niên", "TH-HNCHT" after "(TH, HNCHT)" "tảo hôn - hôn nhân …" (a glued
    hyphen between words would be no pause at all)."""
    after, before = m.string[m.end():m.end() + 2], m.string[max(0, m.start() - 2):m.start()]
    if len(after) == 2 and after[0] == "-" and after[1].isupper():
        expansion = f"{expansion} "
    joined = len(before) == 2 and before[1] == "-" and (before[0].isalpha() or before[0] == " ")
    if joined and m.string[m.start()].isupper():
        expansion = f" {expansion}"
    return expansion


def _next_to_caps_word(m: re.Match[str]) -> bool:
    before = re.findall(rf"{_W}+", m.string[max(0, m.start() - 20):m.start()])[-1:]
    after = re.findall(rf"{_W}+", m.string[m.end():m.end() + 20])[:1]
    return any(_is_caps_word(w) for w in before + after)


# In an all-caps heading, the words after an administrative unit are a place name and keep their
# capitals: "ỦY BAN NHÂN DÂN XÃ XUÂN PHÚ" → "… xã Xuân Phú", "THÀNH PHỐ HÀ NỘI" → "thành phố Hà Nội".
_PLACE_UNITS = frozenset({"XÃ", "HUYỆN", "TỈNH", "PHƯỜNG", "QUẬN", "THÔN", "ẤP", "BẢN", "XÓM", "THÀNH PHỐ",
                          "THỊ XÃ", "THỊ TRẤN", "TỔ DÂN PHỐ", "KHU PHỐ",
                          # 1.15: reservoirs, dams and rivers are named too ("HỒ CHỨA NƯỚC ĐĂK HNIA", v14).
                          "HỒ CHỨA NƯỚC", "ĐẬP", "SÔNG", "THỦY ĐIỆN", "THUỶ ĐIỆN"})
_UNIT_AND_COMMA = re.compile(rf"(?:{'|'.join(_PLACE_UNITS)}),[ \t]*$")
# Heading words that end a place name (a name has at most three syllables).
_NAME_STOP = frozenset(str.split(
    "NHIỆM KỲ GIAI ĐOẠN NĂM VỀ TRÊN ĐẾN VÀ CỦA THEO TẠI TỪ LẦN KHÓA KHOÁ ĐỢT QUÝ THÁNG NGÀY VỚI CHO "
    "TRONG NHƯ LÀ CÓ ĐỂ KẾ HOẠCH BÁO CÁO THÔNG BÁO QUYẾT ĐỊNH "
    # 1.19: words that join a heading's clauses are never a name's first syllable, "Y TẾ TUYẾN XÃ ĐỐI VỚI BỆNH …" "…
    # xã đối với bệnh …" (v23).
    "ĐỐI ĐƯỢC ĐÃ SẼ ĐANG NHẰM BẰNG DO BỞI KHI MÀ CÁC NHỮNG MỘT GÓP"
))


# 1.22: "BẢN" is a hamlet before a name, but a paper before these words, "PHÍ CHỨNG THỰC BẢN SAO TỪ BẢN CHÍNH" "… bản
# sao từ bản chính" (v34): the copy, the original, a map, a drawing, a judgment, a draft, a statement, a bulletin.
_BAN_NOUNS = frozenset(str.split("SAO CHÍNH GỐC DỊCH ĐỒ VẼ ÁN THẢO KÊ TIN CAM TƯỜNG TỰ KIỂM HƯỚNG THIẾT IN"))


def _paper_after_ban(words: list[str], word: str, name_len: int) -> bool:
    """The would-be name's first syllable after "BẢN" (this word when it is the first) is one of _BAN_NOUNS."""
    first = words[len(words) - name_len] if name_len else word
    return first in _BAN_NOUNS


# Two-syllable verbs that open a heading's predicate: in "XÃ ĐÔNG SƠN TRI ÂN CÁC GIA ĐÌNH …" or "HUYỆN X TỔ CHỨC …"
# the name has ended before them ("xã Đông Sơn tri ân …"), though a name may have three syllables.
_HEADING_VERBS = frozenset(verb.replace("_", " ") for verb in str.split(
    "TRI_ÂN TỔ_CHỨC TRIỂN_KHAI PHÁT_ĐỘNG RA_QUÂN RA_MẮT THAM_GIA CHÀO_MỪNG KỶ_NIỆM HƯỞNG_ỨNG THỰC_HIỆN "
    "TUYÊN_TRUYỀN TỔNG_KẾT SƠ_KẾT KHAI_MẠC BẾ_MẠC HOÀN_THÀNH ĐẠT_CHUẨN TIẾP_NHẬN TẬP_HUẤN DIỄN_TẬP ĐÓN_NHẬN "
    "TRAO_TẶNG TRAO_QUÀ TẶNG_QUÀ THĂM_HỎI HỌP_MẶT GẶP_MẶT ĐỐI_THOẠI TIẾP_XÚC KẾT_NẠP CÔNG_BỐ KHỞI_CÔNG "
    "BÀN_GIAO XÂY_DỰNG ĐẨY_MẠNH TĂNG_CƯỜNG RÀ_SOÁT KIỂM_TRA KHẮC_PHỤC PHÒNG_CHỐNG HỖ_TRỢ NỖ_LỰC "
    "VINH_DANH KHEN_THƯỞNG BIỂU_DƯƠNG PHÁT_HUY ỨNG_PHÓ PHÒNG_NGỪA"
))


def _starts_heading_verb(words: list[str], i: int) -> bool:
    return i + 1 < len(words) and f"{words[i]} {words[i + 1]}" in _HEADING_VERBS


# 1.19: a city named by two names joined by a dash, "THÀNH PHỐ PHAN RANG - THÁP CHÀM" "thành phố Phan Rang - Tháp Chàm"
# (v24): the part after the dash is the name too (up to three syllables each).
_UNIT_ALT = "|".join(sorted(_PLACE_UNITS, key=len, reverse=True))
_DASHED_NAME_BEFORE = re.compile(
    rf"(?<![^\W_])(?:{_UNIT_ALT})(?:[ \t]+[A-ZĐÀ-Ỹ]+){{1,3}}[ \t]+[-–][ \t]+(?:[A-ZĐÀ-Ỹ]+[ \t]+){{0,2}}$"
)


def _in_place_name(m: re.Match[str]) -> bool:
    if m.group(0) not in _NAME_STOP and _DASHED_NAME_BEFORE.search(m.string, max(0, m.start() - 60), m.start()):
        return True
    line_start = m.string.rfind("\n", 0, m.start()) + 1
    spans = list(re.finditer(rf"{_W}+", m.string[line_start:m.start()]))
    words = [w.group(0) for w in spans]
    if m.group(0) in _NAME_STOP:
        return False
    after = re.match(rf"[ \t]+({_W}+)", m.string[m.end():])
    line_words = [*words, m.group(0), *([after.group(1)] if after else [])]
    for name_len in range(3):  # this word is the 1st, 2nd or 3rd syllable of the name
        name = words[len(words) - name_len:] if name_len else []
        if any(not (_is_caps_word(w) or w.istitle()) or w in _NAME_STOP for w in name):
            return False  # 1.15: a word already read as a name ("TU" "Tu") goes on with it
        if 0 < name_len <= len(words) and re.search(
                r"[,;:.()]", m.string[line_start + spans[len(words) - name_len].start():m.start()]):
            return False  # 1.15: a name does not run over a comma ("ĐĂK HNIA, HUYỆN …", v14)
        if any(_starts_heading_verb(line_words, i) for i in range(max(0, len(words) - name_len), len(words) + 1)):
            return False
        before = words[:len(words) - name_len]
        if before[-1:] == ["BẢN"] and name_len <= len(words) and _paper_after_ban(words, m.group(0), name_len):
            return False  # 1.22: "BẢN SAO" is a copy, not the hamlet Sao
        for unit_len in (1, 2, 3):
            if len(before) >= unit_len and " ".join(before[-unit_len:]) in _PLACE_UNITS:
                # "XÃ, PHƯỜNG, THỊ TRẤN ĐẠT CHUẨN": a unit in a list of units names no place.
                unit_start = spans[len(before) - unit_len].start()
                after_unit = spans[len(before) - 1].end()
                # 1.15: a comma before the unit lists units only after another unit ("…, HUYỆN TU MƠ RÔNG, TỈNH …" is
                # an address).
                listed = _UNIT_AND_COMMA.search(m.string[line_start:line_start + unit_start]) \
                    or m.string[line_start + after_unit:line_start + after_unit + 1] == ","
                return not listed
    return False


def _opens_heading_part(m: re.Match[str], caps_lines: frozenset[int]) -> bool:
    """The word opens its line (or follows a label). 1.15 also opened a part after the colon of an all-caps line ("V/V
    BAN HÀNH QUY TRÌNH: HỒ CHỨA NƯỚC …" "…: Hồ chứa nước …", v14); 1.20: v28, the most recent set, reads the title
    "… LIỆT SĨ : NHỮNG TIẾNG NÓI …" "… liệt sĩ: những tiếng nói …", so a colon no longer opens a part (v14 given up)."""
    line_start = max(m.string.rfind("\n", 0, m.start()), m.string.rfind(_LABEL_END, 0, m.start())) + 1
    before = m.string[line_start:m.start()].strip()
    return not before or _HEADING_MARKER.fullmatch(before) is not None


# 1.18: the title after a part's marker opens the heading too, "Chương II. QUY ĐỊNH CỤ THỂ" "Chương hai. Quy định cụ
# thể", "Điều 1. PHẠM VI ĐIỀU CHỈNH" (the number is in words here); 1.20: so does a sub-part's, "Tiểu mục 1. NỘI DUNG,
# HÌNH THỨC …" "Tiểu mục một. Nội dung, hình thức …" (v27).
_HEADING_MARKER = re.compile(
    r"(?:chương|điều|tiểu mục|mục|phần|phụ lục|tiết)[ \t]+[^\W_]+(?:[ \t]+[^\W_]+){0,3}[ \t]*[.:]", re.IGNORECASE
)


def _line_of(m: re.Match[str]) -> int:
    return m.string.count("\n", 0, m.start())


def caps_line_numbers(text: str) -> frozenset[int]:
    """The lines written all in capitals (an all-caps heading), counted before any rule writes words in lower case; no
    rule adds or removes a line break before _tidy, so the numbers hold."""
    return frozenset(i for i, line in enumerate(text.split("\n"))
                     if sum(ch.isalpha() for ch in line) > 1 and not any(ch.islower() for ch in line))


# 1.18: a company named after a river or a mountain keeps the whole name's capitals in an all-caps heading: "CÔNG TY
# TNHH LÂM NGHIỆP SÔNG KÔN" "… lâm nghiệp Sông Kôn" (v22), where a river named alone is "sông Kôn".
_NAMING_NOUNS = frozenset({"SÔNG", "NÚI", "HỒ", "BIỂN", "ĐÈO", "SUỐI"})
_IN_COMPANY_LINE = re.compile(r"(?:^|\n)[^\n,;:]*CÔNG[ \t]+TY[^\n,;:]*$")
_CAPS_NAME_AFTER = re.compile(r"[ \t]+([A-ZĐÀ-Ỹ]{2,})(?![^\W\d_])")


_CAPS_NOUN_BEFORE = re.compile(r"(?<![^\W_])([A-ZĐÀ-Ỹ]{2,})[ \t]+$")


def _names_a_company(m: re.Match[str]) -> bool:
    """The word is a river's or a mountain's noun before its one-word name, or that name, in a line that names a
    company."""
    if m.group(0) in _NAME_STOP or not _IN_COMPANY_LINE.search(m.string, 0, m.start()):
        return False
    if m.group(0) in _NAMING_NOUNS:
        after = _CAPS_NAME_AFTER.match(m.string, m.end())
        return after is not None and after.group(1) not in _NAME_STOP
    before = _CAPS_NOUN_BEFORE.search(m.string, max(0, m.start() - 30), m.start())
    return before is not None and before.group(1) in _NAMING_NOUNS


# 1.19: in an all-caps heading a law keeps its name's capitals, "BAN HÀNH LUẬT PHÒNG, CHỐNG TÁC HẠI CỦA RƯỢU, BIA" "…
# Luật Phòng, chống tác hại của rượu, bia" (v25), as the name is written in a sentence: "Luật" and the name's first
# word ("PHÁP LUẬT" is the common noun).
_LAW_WORD_BEFORE = re.compile(r"(?<![^\W_])(?<!PHÁP )(?<!BỘ )LUẬT[ \t]+$")


def _names_a_law(m: re.Match[str]) -> bool:
    if m.group(0) == "LUẬT":
        before = m.string[max(0, m.start() - 5):m.start()]
        after = re.match(r"[ \t]+([^\W\d_]+)", m.string[m.end():])
        return not before.endswith(("PHÁP ", "BỘ ")) and after is not None and _is_caps_word(after.group(1))
    return _LAW_WORD_BEFORE.search(m.string, max(0, m.start() - 12), m.start()) is not None


# 1.19: an all-caps token of two to four plain letters in a line of running lower-case text, with no all-caps word
# beside it, is an acronym even when its letters spell a syllable ("THA" is no "tha", v23): the lexicon and the text's
# own definitions read the known ones, the rest are spelled. A word with a tone or a hat ("KHÔNG", "ĐƯỢC") is a word
# written in capitals for emphasis, and a Roman numeral ("VI", "XI") a number.
_PLAIN_CODE = re.compile(r"[A-Z]{2,4}")


def _acronym_in_running_text(m: re.Match[str], caps_lines: frozenset[int]) -> bool:
    word = m.group(0)
    if not _PLAIN_CODE.fullmatch(word) or roman_to_int(word) is not None or _line_of(m) in caps_lines:
        return False
    line_start = m.string.rfind("\n", 0, m.start()) + 1
    line_end = m.string.find("\n", m.end())
    line = m.string[line_start:line_end if line_end >= 0 else len(m.string)]
    return (any(ch.islower() for ch in line) and not _next_to_caps_word(m)
            and not _PERSON_BEFORE.search(m.string, max(line_start, m.start() - 40), m.start()))


# 1.19: a name written in capitals after a person's title or a family or middle name ("ông TÂM", "bà HOA", "Nguyễn Văn
# NAM") is a name, never an acronym to spell: it keeps its capital.
_PERSON_BEFORE = re.compile(
    r"(?:(?<![^\W_])(?:[Ôô]ng|[Bb]à|[Aa]nh|[Cc]hị|[Ee]m|[Cc]háu|[Cc]ụ|[Cc]hú|[Cc]ô|[Bb]ác|[Đđ]ồng chí|[Đđ]/c|[Hh]ộ"
    r"|[Gg]ia đình)"
    r"|(?<![^\W_])(?:Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Phan|Vũ|Võ|Đặng|Bùi|Đỗ|Hồ|Ngô|Dương|Lý|Văn|Thị))"
    r"(?:[ \t]+[A-ZĐÀ-Ỹ][^\W\d_]*){0,3}[ \t]+$"
)


def _caps_tokens(text: str, caps_lines: frozenset[int] = frozenset()) -> str:
    """All-caps words: heading words ("KẾ HOẠCH") are lower-cased, the rest spelled ("KG")."""

    def repl(m: re.Match[str]) -> str:
        word = m.group(0)
        if word != word.upper() or word == word.lower():
            return word
        if _names_a_company(m):
            return word.capitalize()
        if len(word) == 1 and (not _next_to_caps_word(m) or re.match(r"[ \t]+[^\W\d_A-ZĐ]", m.string[m.end():])):
            return word  # an initial or a name part: "Trạm Y tế", "Nguyễn Văn A", "A xê an"
        if _acronym_in_running_text(m, caps_lines):
            return spell_letters(word)
        if (_line_of(m) not in caps_lines and is_valid_syllable(word)
                and _PERSON_BEFORE.search(m.string, max(0, m.start() - 40), m.start())):
            return word.capitalize()
        if is_valid_syllable(word):
            # Heading words ("KẾ HOẠCH") are lower-cased so TTS does not spell them; the first
            # word of a line keeps a capital, like the start of a sentence.
            if _opens_heading_part(m, caps_lines) or _in_place_name(m) or _names_a_law(m):
                return word.capitalize()
            return word.lower()
        if len(word) > 1 and _in_place_name(m):
            return word.capitalize()  # 1.15: "TỈNH KON TUM", "HỒ CHỨA NƯỚC ĐĂK HNIA": a name, not letters (v14)
        return spell_letters(word)

    return re.sub(r"[^\W\d_]+", repl, text)


# Words after "/" that make it "mỗi" ("đồng/người/tháng" → "đồng mỗi người mỗi tháng").
_PER_WORDS = frozenset(str.split(
    "người hộ khẩu tháng năm ngày tuần giờ phút buổi lượt lần xã thôn bản ấp con suất tấn ha quý "
    "héc kg ki lô mét m2 km2 lít cái chiếc học sinh hội viên đối tượng trường"
    # 1.18: the farm's area units and its seasons, "2 bình/sào", "3 lứa/năm", "2 vụ/năm" (a rate, "mỗi sào").
    " sào mẫu vụ lứa chuyến"
    # 1.20: the southern land unit and the bale, "cuộn rơm/công" "cuộn rơm mỗi công", "đồng/cuộn" (v26).
    " công cuộn"
))
# "con/m2": the unit after the slash may carry its power.
_SLASH = re.compile(r"[ \t]*/[ \t]*(?P<next>(?:km2|m2|m3)(?![^\W_])|[^\W\d_]+)?")
# A slash right after a unit or currency reading (quantities are already in words here).
_RATE_BEFORE = re.compile(
    r"(?<![^\W_])(?:" + "|".join(sorted({re.escape(u) for u in rn.UNITS.values()}, key=len, reverse=True))
    + r"|phần trăm|%)[ \t]*$"
)


# The words a number said in words ends with, before the noun it counts (each pattern below adds the few it needs).
_NUMBER_WORDS = "một|hai|ba|bốn|tư|năm|lăm|sáu|bảy|tám|chín|mười|mươi|mốt|trăm"
# "2 tháng/lớp", "45 phút/tiết", "3 buổi/tuần": a slash after a counted span of time is a rate too (the number is in
# words here). "tháng/năm" with no number before it is left to the words above.
_SPAN_BEFORE = re.compile(
    rf"(?<![^\W_])(?:{_NUMBER_WORDS}|nghìn|linh)[ \t]+"
    r"(?:ngày|tháng|tuần|buổi|giờ|phút|tiết|ca|đợt|năm)[ \t]*$"
)
# 1.11: "2,1 con/phụ nữ", "1,5 lao động/hộ": a count with a decimal part is an average, so the slash after its noun is a
# rate ("hai phẩy một con mỗi phụ nữ"); a whole count ("30 huyện/thị xã") keeps "word, word".
_DECIMAL_COUNT_BEFORE = re.compile(
    r"(?<![^\W_])phẩy(?:[ \t]+(?:không|một|mốt|hai|ba|bốn|tư|năm|lăm|sáu|bảy|tám|chín|mười|mươi|trăm|linh|lẻ))+"
    r"(?:[ \t]+[^\W\d_]+){1,2}[ \t]*$"
)
# 1.12: "1 - 2 kg cám hỗn hợp/trâu bò", "20 kg gạo/người": a weighed ration, its noun written after the weight, is
# given per head; the slash after the noun is a rate. Only after a weight (an area or a count, "10 ha lúa/màu", "30
# huyện/thị xã", names alternatives and keeps "word, word"), with no pause between the weight and the slash.
_RATION_BEFORE = re.compile(
    rf"(?<![^\W_])(?:{_NUMBER_WORDS}|nghìn|linh|lẻ)[ \t]+"
    r"(?:ki lô gam|gam|tạ|tấn|yến|lạng)(?:[ \t]+[^\W\d_]+){1,3}[ \t]*$"
)
# 1.12: "2 - 3 tuần/lần", "6 tháng/lần": a span of days, weeks, months or years before "/lần" is how often, "hai đến ba
# tuần một lần" (once every two or three weeks); minutes or hours before it are how long, "ba mươi phút mỗi lần".
_EVERY_SPAN_BEFORE = re.compile(
    rf"(?<![^\W_])(?:{_NUMBER_WORDS}|nghìn|linh)[ \t]+"
    r"(?:ngày|tuần|tháng|quý|năm)[ \t]*$"
)
# 1.13: "200 triệu/hợp tác xã", "50 nghìn/khách", "1,2 tỷ/dự án": an amount of money said with its magnitude word (the
# currency left unsaid) before a slash is a rate, whatever the noun after it, like "đồng/…" ("hai trăm triệu mỗi hợp tác
# xã"). Only right after the magnitude word; an amount out of a total ("220 triệu/254 triệu") was read before.
_MAGNITUDE_BEFORE = re.compile(
    rf"(?<![^\W_])(?:{_NUMBER_WORDS}|linh|lẻ|phẩy)[ \t]+"
    r"(?:nghìn|ngàn|triệu|tỷ|tỉ)[ \t]*$"
)
# 1.15: after "tỷ lệ" a slash between two measures of the same kind is their ratio, "tỷ lệ diện tích mương/diện tích
# vuông" "… mương trên diện tích vuông" (v14); alternatives ("tỷ lệ hộ nghèo/cận nghèo") name no measure twice.
_RATIO_BEFORE = re.compile(r"(?<![^\W_])(?:tỷ|tỉ|Tỷ|Tỉ)[ \t]+lệ[ \t]+(?P<head>[^\W\d_]+(?:[ \t]+[^\W\d_]+)?)[^,;:/]*$")
# 1.15: "18 người/điếm", "3 người/tổ": a count of people before a slash is how many man each unit, a rate ("mười tám
# người mỗi điếm", v14).
_PEOPLE_BEFORE = re.compile(
    rf"(?<![^\W_])(?:{_NUMBER_WORDS}|nghìn|linh|lẻ)[ \t]+người[ \t]*$"
)
_CARDINAL_WORDS = frozenset(str.split("một hai ba bốn năm sáu bảy tám chín mười"))
# 1.17: "thôn/bản", "phường/xã", "quận/huyện": a slash between two kinds of place names alternatives, "thôn, bản"
# (v19), even when the word after it would make a rate ("đồng/xã" stays "mỗi xã"). Not after a count ("3 thôn/xã" is
# how many villages each commune has).
_PLACE_KINDS = frozenset(str.split("xã phường thôn bản ấp xóm làng tổ khu huyện quận tỉnh"))
_PLACE_BEFORE = re.compile(r"(?<![^\W_])(?P<prev>[^\W\d_]+)[ \t]*$")
# A count just before the first kind of place ("3 thôn/xã", "ba thôn"): places counted per unit, not alternatives.
_COUNT_BEFORE_PLACE = re.compile(
    r"(?<!phần )(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|mươi|mốt|lăm|trăm|nghìn|linh)[ \t]+$"
)
# "đồng/người/khóa học", "đồng/ngày thực học/người": a slash right after the noun of a rate (or one or two words more,
# no pause between) goes on with the rate, "mỗi người mỗi khóa học".
_RATE_GOES_ON = re.compile(r"(?:[ \t]+[^\W\d_]+){0,2}")


# 1.18: "đồng/1 tấn", "tấn/1 năm": a rate written per one unit says the one, "đồng một tấn", "tấn một năm" (v22); and
# "đồng/ha/4 năm", a rate per a span of several years, is "mỗi bốn năm" (v22), where a numbered denominator of people
# or things stays "trên" ("/tháng/30 học sinh", v18). The number is in words here.
_PER_ONE = re.compile(r"[ \t]*(?P<w>[^\W\d_]+)")
_SPAN_WORDS = frozenset(str.split("năm tháng ngày tuần quý"))


def _unit_word_after(text: str, at: int, words: frozenset[str]) -> bool:
    after = _PER_ONE.match(text, at)
    return after is not None and after.group("w").lower() in words


# The words that carry a number on ("1.000" is "một nghìn"): after them "/1" is no single unit but a number.
_NUMBER_GOES_ON = frozenset(str.split("trăm nghìn ngàn triệu tỷ tỉ mươi phẩy linh lẻ"))


def _noun_after(text: str, at: int) -> bool:
    """A lower-case noun (no word that goes on with the number) follows: "đồng/1 tấn", "bàn/1 lớp"."""
    after = _PER_ONE.match(text, at)
    return after is not None and after.group("w").islower() and after.group("w") not in _NUMBER_GOES_ON


def _symbols(text: str) -> str:
    rate_end = -1

    def rate(m: re.Match[str], reading: str) -> str:
        nonlocal rate_end
        rate_end = m.end()
        return f" mỗi {reading}"

    def slash(m: re.Match[str]) -> str:
        nxt = m.group("next") or ""
        ratio = _RATIO_BEFORE.search(m.string, max(0, m.start() - 60), m.start())
        if nxt and ratio and m.string.startswith(ratio.group("head"), m.start("next")):
            return f" trên {nxt}"
        if nxt.lower() == "h":
            return rate(m, "giờ")
        if nxt == "một" and _noun_after(m.string, m.end()):
            return f" {nxt}"
        if nxt in rn.UNITS:  # "đồng/kg" → "đồng mỗi ki lô gam"
            return rate(m, rn.UNITS[nxt])
        if nxt.lower() in ("lần", "lượt") and _EVERY_SPAN_BEFORE.search(m.string, max(0, m.start() - 30), m.start()):
            return f" một {nxt}"
        before = _PLACE_BEFORE.search(m.string, max(0, m.start() - 30), m.start())
        if (nxt.lower() in _PLACE_KINDS and before and before.group("prev").lower() in _PLACE_KINDS
                and not _COUNT_BEFORE_PLACE.search(m.string[max(0, before.start() - 12):before.start()])):
            return f", {nxt}"
        if nxt.lower() in _PER_WORDS:
            return rate(m, nxt)
        # After a measured amount ("ki lô gam/sào", "đồng/lít") a slash is a rate, whatever the noun.
        if nxt and nxt.islower() and _RATE_BEFORE.search(m.string, 0, m.start()):
            return rate(m, nxt)
        if nxt and nxt.islower() and _SPAN_BEFORE.search(m.string, max(0, m.start() - 30), m.start()):
            return rate(m, nxt)
        if nxt and nxt.islower() and _RATION_BEFORE.search(m.string, max(0, m.start() - 60), m.start()):
            return rate(m, nxt)
        if nxt and nxt.islower() and _DECIMAL_COUNT_BEFORE.search(m.string, max(0, m.start() - 60), m.start()):
            return rate(m, nxt)
        if nxt and nxt.islower() and _MAGNITUDE_BEFORE.search(m.string, max(0, m.start() - 30), m.start()):
            return rate(m, nxt)
        if nxt and nxt.islower() and _PEOPLE_BEFORE.search(m.string, max(0, m.start() - 30), m.start()):
            return rate(m, nxt)
        goes_on = rate_end >= 0 and _RATE_GOES_ON.fullmatch(m.string, rate_end, m.start())
        if nxt.lower() in _CARDINAL_WORDS and goes_on and _unit_word_after(m.string, m.end(), _SPAN_WORDS):
            return rate(m, nxt)
        if nxt.lower() in _CARDINAL_WORDS and goes_on:
            # 1.16: "/tháng/30 học sinh": a numbered denominator is "trên" (v18, as v10's "/100 bé gái").
            return f" trên {nxt}"
        if nxt and nxt.islower() and goes_on:
            return rate(m, nxt)
        return f", {nxt}" if nxt else " "

    text = _SLASH.sub(slash, text)
    # 1.19: "≥ 40 tuổi", "≥ 140/90 mmHg" "lớn hơn hoặc bằng …" (v23's decision, also after "từ"); "≤" likewise.
    text = text.replace("&", " và ").replace("%", " phần trăm ").replace("‰", " phần nghìn ")
    for sym, word in (("+", " cộng "), ("=", " bằng "), ("@", " a còng "), ("~", " khoảng "),
                      ("$", " đô la "), ("≤", " nhỏ hơn hoặc bằng "), ("≥", " lớn hơn hoặc bằng "),
                      (">", " lớn hơn "), ("<", " nhỏ hơn ")):
        text = text.replace(sym, word)
    text = re.sub(r"[#\\|^\[\]{}]", " ", text)
    # Brackets become comma pauses: "(nếu có)" is read as an aside; one that closes a line needs no pause. 1.11: nor
    # does one closed just before an ellipsis ("(năm 2015)..."): the ellipsis is the pause. 1.15: a comma the writer
    # typed before an ellipsis is kept ("sinh vật phù du,...", "giăng câu,…", v14).
    # 1.21: only one glued to the ellipsis: "(huyện Thủy Nguyên) … các" keeps its comma, "huyện Thủy Nguyên, … các"
    # (v30).
    text = re.sub(r"\)[ \t]*(?=\n|$)|\)(?=\ue000)", "", text)
    return re.sub(r"[()]", ", ", text)


_GLUED_DASH_BEFORE_TITLE = re.compile(
    r"(?<=[a-zđà-ỹ])-(?=[ \t]+(?:" + "|".join(sorted(_TITLE_WORDS)) + r"|Ủy|Uỷ|Đại|Phụ)[ \t]+[^\W\d_])"
)


def _tidy(text: str) -> str:
    lines = []
    for raw in text.split("\n"):
        line = re.sub(r"[ \t]+", " ", raw).strip()
        line = re.sub(r" +([,.;:!?\ue000])", r"\1", line)
        line = re.sub(r",(?:\s*,)+", ",", line)
        # A bracket closed just before a dash ("(21/9) – Cập nhật"): the dash is the pause.
        line = re.sub(r",\s*-(?=\s)", " -", line)
        line = re.sub(r",\s*([.;:!?])", r"\1", line)
        line = re.sub(r"([.;:!?])\s*,", r"\1", line)
        line = re.sub(r"([;:!?,])(?=[^\s\d.,;:!?\ue000])", r"\1 ", line)
        line = re.sub(r"\.{2,}", ".", line)
        # "PHÓ.CHỦ TỊCH": a period glued between words still needs its pause.
        line = re.sub(r"(?<=[^\W\d_])\.(?=[^\W\d_])", ". ", line)
        # 1.12: …except a hyphen glued to a capitalised word after a word and a space: "Đinh Văn Lâm -PBT, CT UBND" is a
        # dash typed without its second space before a title or a name ("Lâm - Phó Bí thư").
        line = re.sub(r"(?<=[^\W\d_]) -(?=[^\W\d_])",
                      lambda m: " - " if m.string[m.end()].isupper() else m.group(0), line)
        # 1.14: …and so is one glued to a name before a capitalised title: "Nguyễn Văn Tài- Phó Bí thư Đảng ủy- Chủ
        # tịch" is "Tài - Phó Bí thư Đảng ủy - Chủ tịch" (v13), the dash that sets a person's titles apart.
        # 1.15: only before a title; before a name the hyphen stays as typed ("Dầu Tiếng- Phước Hòa", v14).
        line = _GLUED_DASH_BEFORE_TITLE.sub(" -", line)
        # A hyphen glued to a word on one side only ("Cô vít- mười chín") is not a dash pause.
        line = re.sub(r"(?<=\w)-(?=\s)(?![ \t]+[A-ZĐÀ-Ỹ][a-zđà-ỹ])|(?<=\s)-(?=\w)", " ", line)
        # "Thời gian: - Buổi sáng": a bullet after a label's colon is no pause of its own, nor is a
        # dash before a conjunction ("ngày 5 – và 6/2").
        line = re.sub(r":\s*-\s+", ": ", line)
        line = re.sub(r"\s-\s+(?=(?:và|hoặc)\b)", " ", line)
        line = re.sub(r" {2,}", " ", line)
        line = re.sub(r"^[,.;: -]+", "", line)
        # A comma the writer left at the end of a line ("Theo đề nghị của …,") is kept: the sentence goes on.
        line = re.sub(r"(?:[ -]|(?<=[ ,-]),)+$", "", line).strip()
        lines.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _sanitize(text: str) -> str:
    """Guarantee the contract: no ASCII digits and none of "/", "&", "%" in the output."""
    text = re.sub(r"[0-9]+", lambda m: f" {read_number_string(m.group(0))} ", text)
    return text.replace("/", " ").replace("&", " và ").replace("%", " phần trăm ")


def normalize(text: str, extra_acronyms: Mapping[str, str] | None = None,
              extra_loanwords: Mapping[str, str] | None = None) -> str:
    """Return ``text`` as speakable Vietnamese (numbers, dates, codes and acronyms in words).

    ``extra_acronyms`` and ``extra_loanwords`` are a commune's own lexicon entries (kinds "acronym"
    and "loanword"); they extend and override the shipped tables.

    >>> normalize("Quý IV/2023: 10.000 tờ rơi, 95% hộ")
    'Quý bốn năm hai nghìn không trăm hai mươi ba: mười nghìn tờ rơi, chín mươi lăm phần trăm hộ'
    """
    lexicon = get_lexicon(extra_acronyms)
    loanwords = get_loanwords(extra_loanwords)
    out, ellipses = _hide_ellipses(_clean_typography(text))
    caps_lines = caps_line_numbers(out)
    out = _MIXED_CASE_UNIT.sub(lambda m: m.group("k").upper(), _title_dots(_line_markers(out)))
    # 1.20: only a name really typed in lower case ("À-ỹ" spans capitals such as "Đ" too: "TP.Đà Nẵng" is no such name).
    out = _CITY_LOWER_NAME.sub(lambda m: "Thành phố " if m.string[m.end()].islower() else m.group(0), out)
    out = _name_pairs(_place_letters(_spaced_places(_glued_abbreviations(out, lexicon))))
    out = _joined_codes(_staff_lists(out), lexicon)
    defined = _context_acronyms(out, lexicon, loanwords)
    if defined:  # keys the lexicon (with the commune's own entries) lacks, or that the text defines in brackets
        lexicon = lexicon.overlay(defined)
    # A line that starts with a number starts a sentence: its first word gets a capital once the
    # number is in words ("100% thôn" → "Một trăm phần trăm thôn"). No rule adds or removes
    # line breaks before _tidy, so line indexes stay aligned.
    digit_lines = {i for i, line in enumerate(out.split("\n")) if line.lstrip(" \t-+")[:1].isdigit()}
    out = _CAPS_DOC_TITLE.sub(lambda m: m.group("t").capitalize(), out)
    out = rn.document_numbers(_titled_document_types(out, lexicon), lexicon)
    for rule in rn.NUMERIC_PASSES:
        out = rule(out)
    # Loanwords before acronyms: "VNeID", "OTP", "QR" have a reading, they are not to be spelled. Context rows
    # first: their key can also be a loanword ("Ban TV" is the standing committee, "xem TV" the television).
    out = loanwords.replace(_context_readings(_heading_names(out, caps_lines), lexicon))
    out = _expand_acronyms(out, lexicon)
    out = _capitalise_marked_names(_caps_tokens(out, caps_lines))
    out = _sanitize(_symbols(out))
    lines = out.split("\n")
    for i in digit_lines:
        stripped = lines[i].lstrip(" ,.;:-")
        lines[i] = stripped[:1].upper() + stripped[1:]
    out = _restore_ellipses(_tidy("\n".join(lines).replace(_LABEL_END, "")), ellipses)
    for apostrophe, mark in _APOSTROPHE_MARKS.items():
        out = out.replace(mark, apostrophe)
    return out
