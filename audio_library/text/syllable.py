"""Vietnamese syllable validator (orthographic): onset + (glide) + nucleus + coda + tone.

Used by the linter to detect OCR damage and stripped diacritics: "Chwong", "Kién", "vimg",
"cip", "x4" are not Vietnamese syllables, while "chương", "kiến", "vững", "cấp" are.
The rhyme inventory is enumerated rather than generated from free nucleus×coda combinations,
because Vietnamese spelling only admits specific rhymes ("iên" but never "ien" or "iêm" → ok).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Combining marks for the five written tones (the sixth, ngang, is unmarked).
_TONE_MARKS = {"\u0300": "huyen", "\u0301": "sac", "\u0303": "nga", "\u0309": "hoi", "\u0323": "nang"}

ONSETS = (
    "ngh", "ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
)

# Rhymes without a labial glide, grouped by nucleus.
_PLAIN_RHYMES = str.split("""
a ac ach ai am an ang anh ao ap at au ay
ăc ăm ăn ăng ăp ăt
âc âm ân âng âp ât âu ây
e ec em en eng eo ep et
ê êch êm ên ênh êp êt êu
i ich im in inh ip it iu ia
iêc iêm iên iêng iêp iêt iêu
yêm yên yêng yêt yêu
y
o oc oi om on ong op ot ooc oong
ô ôc ôi ôm ôn ông ôp ôt
ơ ơi ơm ơn ơp ơt
u uc ui um un ung up ut
ua uôc uôi uôm uôn uông uôt
ư ưc ưi ưm ưn ưng ưt ưu
ưa ươc ươi ươm ươn ương ươp ươt ươu
""")

# Rhymes that start with the labial glide written "o" or "u" (hoa, khuyên, thuở, huơ).
_GLIDE_RHYMES = str.split("""
oa oac oach oai oam oan oang oanh oao oap oat oay
oăc oăm oăn oăng oăp oăt
oe oem oen oeo oet
uâc uân uâng uât uây
uê uêch uênh uêt
uy uych uyn uynh uyp uyt uyu uya
uyên uyêt uyêu
uơ
""")

RHYMES = frozenset(_PLAIN_RHYMES + _GLIDE_RHYMES)
_STOP_CODAS = ("ch", "c", "p", "t")
# Spelling rules: k/gh/ngh before front vowels, c/g/ng elsewhere.
_FRONT = ("e", "ê", "i", "y")


def _split_tone(word: str) -> tuple[str, str] | None:
    """Return (word without tone marks, tone), or None if it carries two tone marks."""
    decomposed = unicodedata.normalize("NFD", word)
    tone = "ngang"
    kept = []
    for ch in decomposed:
        if ch in _TONE_MARKS:
            if tone != "ngang":
                return None
            tone = _TONE_MARKS[ch]
        else:
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def _rhyme_ok(onset: str, rhyme: str, tone: str) -> bool:
    if rhyme not in RHYMES:
        return False
    # Checked syllables (stop coda) take only the sắc or nặng tone: "cat", "cáp" ok, "càt" not.
    if rhyme.endswith(_STOP_CODAS) and tone not in ("sac", "nang"):
        return False
    first = rhyme[0]
    if onset in ("k", "gh", "ngh") and first not in _FRONT:
        return False
    if onset in ("c", "g", "ng") and first in _FRONT:
        return False
    if onset == "qu":
        # "qu" already carries the glide: "quốc", "quyên", "qua", never "quoa"/"quu".
        return not rhyme.startswith(("o", "u", "ư"))
    # "ia"/"ya" and "yê" spellings: "yê" appears only without onset or after the "u" glide;
    # "uya"/"uyên" need an onset; "ia" after glide "u" is written "uya".
    # Bare "y" after most onsets is the old spelling of "i" (kỷ, lý, mỹ, sỹ, tỷ): accept.
    return not (rhyme.startswith("yê") and onset)


@lru_cache(maxsize=65536)
def is_valid_syllable(word: str) -> bool:
    """True when ``word`` (any case) is a well-formed Vietnamese syllable.

    >>> is_valid_syllable("Chương"), is_valid_syllable("Chwong"), is_valid_syllable("cấp")
    (True, False, True)
    """
    if not word or len(word) > 8 or not word.isalpha():
        return False
    split = _split_tone(unicodedata.normalize("NFC", word.lower()))
    if split is None:
        return False
    base, tone = split
    if not all(ch in _ALPHABET for ch in base):
        return False
    for onset in ONSETS:
        if not base.startswith(onset):
            continue
        rhyme = base[len(onset):]
        if onset == "gi":
            # "gì", "gìn", "giếng": the "i" of "gi" doubles as the nucleus.
            if not rhyme:
                return True
            if rhyme and rhyme[0] not in "iy" and (_rhyme_ok("gi", rhyme, tone) or
                                                    _rhyme_ok("gi", "i" + rhyme, tone)):
                return True
            continue
        if rhyme and _rhyme_ok(onset, rhyme, tone):
            return True
    return False


_ALPHABET = frozenset("abcdđeghiklmnopqrstuvxyăâêôơư")


def has_vietnamese_mark(word: str) -> bool:
    """True if ``word`` carries any diacritic (tone, breve, circumflex, horn or đ)."""
    return any(not ch.isascii() for ch in word)
