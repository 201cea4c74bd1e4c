"""Facts about written Chinese and pinyin that need no dictionary: which characters are
Chinese, tone marks, and how a pinyin override is written. Cheap to import (used by `check`)."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]")

TONE_MARKS = {
    **dict.fromkeys("āēīōūǖĀĒĪŌŪǕ", 1),
    **dict.fromkeys("áéíóúǘÁÉÍÓÚǗńḿŃḾ", 2),
    **dict.fromkeys("ǎěǐǒǔǚǍĚǏǑǓǙňŇ", 3),
    **dict.fromkeys("àèìòùǜÀÈÌÒÙǛǹǸ", 4),
}
_SYLLABLE = re.compile(f"[a-zA-ZüÜ{''.join(TONE_MARKS)}]+[1-5]?")


def has_han(text: str) -> bool:
    return HAN.search(text) is not None


def tone_of(syllable: str) -> int:
    """1-4 from the tone mark, 5 for the neutral tone (no mark)."""
    for ch in syllable:
        tone = TONE_MARKS.get(ch)
        if tone:
            return tone
    return 5


def override_syllables(override: str) -> list[str]:
    """A KB pinyin override is written as syllables separated by spaces: 'gǎn zhī qì'. Tone
    marks typed as combining characters (NFD: 'a' + U+030C) look the same as the composed
    ones and count as them."""
    return unicodedata.normalize("NFC", override).split()


def is_syllable(text: str) -> bool:
    """Shaped like a syllable: letters with or without tone marks, maybe a tone number."""
    return _SYLLABLE.fullmatch(text) is not None


@cache
def mandarin_syllables() -> frozenset[str]:
    """Every syllable of Mandarin without tone (data/syllables.txt, taken from pypinyin)."""
    from importlib import resources

    text = (resources.files("quizgen") / "data" / "syllables.txt").read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#")
                     for w in line.split())


def toneless(syllable: str) -> str:
    """gǎn, gan3, GAN3 -> gan; lǜ, lü4, lv4 -> lv (pypinyin's spelling of ü)."""
    spelled = unicodedata.normalize("NFD", syllable.lower()).replace("u\u0308", "v")
    return "".join(ch for ch in spelled if not unicodedata.combining(ch)).rstrip("12345")


def is_mandarin_syllable(syllable: str) -> bool:
    """A real syllable, written with tone marks (composed or not) or a tone number."""
    text = unicodedata.normalize("NFC", syllable)
    return is_syllable(text) and toneless(text) in mandarin_syllables()


_LATIN_THEN_HAN = re.compile(rf"([A-Za-z0-9%])({HAN.pattern})")
_HAN_THEN_LATIN = re.compile(rf"({HAN.pattern})([A-Za-z0-9])")


def spaced(text: str) -> str:
    """Chinese text with a space between Chinese characters and Latin letters or digits, as
    Chinese typesetting guides ask: 'GPT-2的发布' -> 'GPT-2 的发布', '2019年' -> '2019 年'."""
    return _HAN_THEN_LATIN.sub(r"\1 \2", _LATIN_THEN_HAN.sub(r"\1 \2", text))
