"""Pinyin for Chinese text: syllables per character, tone numbers, and ruby HTML for cards.

pypinyin reads a whole run of characters at once, so phrase context picks the reading
(重要 zhòng / 重新 chóng). Two word lists go into its own phrase dictionary: technical words of
the field (data/field-pinyin.tsv: 残差 cán chā, 步长 bù cháng, 重构 chóng gòu, ...) and everyday
words it is known to get wrong (PHRASE_OVERRIDES). A term's own override in the KB wins over all.

Loading pypinyin's dictionaries takes a third of a second, longer than everything else a
rebuild does with them, so its readings are remembered in the user's cache folder, keyed by
the installed pypinyin and both word lists: pypinyin is only imported for text not read before.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib.util
import json
import os
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from html import escape
from pathlib import Path

from .hanzi import HAN, is_mandarin_syllable, is_syllable, override_syllables, tone_of

# Words pypinyin reads wrongly: mostly everyday words whose second syllable is neutral in the
# dictionary (现代汉语词典) but comes back with its citation tone, and terms of the field. Only
# add a word here after checking pypinyin really gets it wrong; tests/test_pinyin.py pins them.
PHRASE_OVERRIDES: dict[str, str] = {
    "东西": "dōng xi",  # a thing (dōng xī is "east and west")
    "朋友": "péng you",
    "意思": "yì si",
    "知道": "zhī dao",
    "时候": "shí hou",
    "地方": "dì fang",
    "清楚": "qīng chu",
    "事情": "shì qing",
    "明白": "míng bai",
    "告诉": "gào su",
    "认识": "rèn shi",
    "先生": "xiān sheng",
    "学生": "xué sheng",
    "客气": "kè qi",
    "麻烦": "má fan",
    "喜欢": "xǐ huan",
    "衣服": "yī fu",
    "舒服": "shū fu",
    "休息": "xiū xi",
    "消息": "xiāo xi",
    "丈夫": "zhàng fu",
    "眼睛": "yǎn jing",
    "聪明": "cōng ming",
    "漂亮": "piào liang",
    "商量": "shāng liang",
    "名字": "míng zi",
    "打听": "dǎ ting",
    "热闹": "rè nao",
    "力气": "lì qi",
    "规矩": "guī ju",
    # Terms of the field
    "微调": "wēi tiáo",  # fine-tuning (pypinyin: wēi diào)
}

_HAN_RUN = re.compile(f"(?:{HAN.pattern})+")


@cache
def field_words() -> dict[str, str]:
    """The technical words of data/field-pinyin.tsv: word -> reading."""
    from importlib import resources

    text = (resources.files("quizgen") / "data" / "field-pinyin.tsv").read_text(encoding="utf-8")
    words = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            word, reading = line.split("\t")
            words[word] = unicodedata.normalize("NFC", reading.strip())
    return words


def field_phrases() -> dict[str, str]:
    """Every word quizgen adds to pypinyin's phrases: the field's, then PHRASE_OVERRIDES."""
    return {**field_words(), **PHRASE_OVERRIDES}


@dataclass(frozen=True)
class Syllable:
    """One character of a text with its reading; `pinyin` is None for non-Chinese characters."""

    char: str
    pinyin: str | None = None

    @property
    def tone(self) -> int | None:
        return None if self.pinyin is None else tone_of(self.pinyin)


@cache
def _pypinyin():
    """pypinyin, loaded on first use, with `field_phrases()` in its phrase dictionary."""
    # pypinyin's documented switch to use its dictionaries in place rather than copy them.
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
    import pypinyin
    from pypinyin.constants import PHRASES_DICT
    from pypinyin.seg import mmseg

    # What pypinyin.load_phrases_dict does, minus retraining its segmenter on the whole
    # dictionary (a tenth of a second): Seg.train adds just these words to what it knows.
    words = field_phrases()
    PHRASES_DICT.update({w: [[s] for s in p.split()] for w, p in words.items()})
    mmseg.seg.train(words)
    return pypinyin


def _read_with_pypinyin(run: str) -> tuple[str | None, ...]:
    """A run of Chinese characters read: the field's words where they stand (found left to
    right, longest first, so that a neighbour cannot pull a character out of one: 提示词调优
    is 提示词 + 调优, not 词调, a word of poetry), the rest by pypinyin in its context."""
    words = field_words()
    longest = max(map(len, words))
    readings: list[str | None] = []
    pending = ""
    i = 0
    while i < len(run):
        word = next((run[i:i + n] for n in range(min(longest, len(run) - i), 1, -1)
                     if run[i:i + n] in words), None)
        if word is None:
            pending += run[i]
            i += 1
            continue
        readings += _pypinyin_reading(pending)
        readings += words[word].split()
        pending = ""
        i += len(word)
    return tuple(readings + _pypinyin_reading(pending))


def _pypinyin_reading(run: str) -> list[str | None]:
    if not run:
        return []
    pypinyin = _pypinyin()
    style = pypinyin.Style.TONE
    readings = [r[0] for r in pypinyin.pinyin(run, style=style, errors="default")]
    if len(readings) != len(run):  # pypinyin kept something together; fall back to one by one
        readings = [pypinyin.pinyin(ch, style=style)[0][0] for ch in run]
    # A character pypinyin has no reading for comes back as itself: it gets no ruby.
    return [None if r == ch else r for ch, r in zip(run, readings)]


def cache_home() -> Path | None:
    """The user's cache folder: $XDG_CACHE_HOME, else ~/.cache — only as an absolute path
    below the root (an empty or relative HOME, or HOME=/, would scatter files where they do
    not belong), else None: no cache, only slower builds."""
    def usable(base: str) -> bool:
        return bool(base) and Path(base).is_absolute() and Path(base) != Path(Path(base).anchor)

    xdg, home = os.environ.get("XDG_CACHE_HOME", ""), os.environ.get("HOME", "")
    if usable(xdg):
        return Path(xdg)
    return Path(home) / ".cache" if usable(home) else None


@cache
def _this_module_hash() -> str:
    """How readings are made is part of what they are: a new quizgen reads afresh."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


class _ReadingCache:
    """Readings of runs of characters, kept across processes in one small JSON file."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._readings: dict[str, tuple[str | None, ...]] | None = None
        self._dirty = False

    @staticmethod
    def path() -> Path | None:
        spec = importlib.util.find_spec("pypinyin")
        if spec is None or spec.origin is None:
            return None
        installed = os.stat(spec.origin)
        key = hashlib.sha256(json.dumps(
            [spec.origin, installed.st_mtime_ns, installed.st_size, field_phrases(),
             _this_module_hash()],
            ensure_ascii=False).encode()).hexdigest()[:16]
        return None if (base := cache_home()) is None else base / "quizgen" / f"pinyin-{key}.json"

    def _load(self) -> dict[str, tuple[str | None, ...]]:
        readings: dict[str, tuple[str | None, ...]] = {}
        try:
            path = self.path()
            raw = json.loads(path.read_text(encoding="utf-8")) if path else {}
            for run, values in raw.items():
                # Only what a reading can be: a syllable per Chinese character, none for
                # anything else; an entry that is not is read afresh.
                if (isinstance(values, list) and len(values) == len(run)
                        and all(isinstance(v, str) and HAN.fullmatch(ch) and is_syllable(v)
                                or v is None for ch, v in zip(run, values))):
                    readings[run] = tuple(values)
        except (OSError, ValueError, AttributeError, TypeError):
            pass  # no cache yet, or an unreadable one: read afresh
        return readings

    def get(self, run: str) -> tuple[str | None, ...]:
        with self._lock:
            if self._readings is None:
                self._readings = self._load()
            found = self._readings.get(run)
            if found is None:
                found = self._readings[run] = _read_with_pypinyin(run)
                if not self._dirty:
                    self._dirty = True
                    atexit.register(self.save)
            return found

    def save(self) -> None:
        from .fsutil import write_atomic

        with self._lock:
            if not self._dirty or self._readings is None:
                return
            try:
                path = self.path()
                if path is not None:
                    write_atomic(path, json.dumps(self._readings, ensure_ascii=False,
                                                  sort_keys=True).encode("utf-8"))
                self._dirty = False
            except Exception:  # a cache that cannot be written only costs time
                pass


_CACHE = _ReadingCache()

# Which readings cache each output folder was last built with, kept beside the cache itself:
# delete the cache folder and every build is a full one again, reading afresh.
_BUILDS_LIMIT = 64


def _builds_path() -> Path | None:
    base = cache_home()
    return None if base is None else base / "quizgen" / "builds.json"


def _readings_identity() -> str | None:
    """The readings cache file as it stands (None when there is no cache folder at all:
    readings then always come from pypinyin, and there is nothing to distrust)."""
    path = _ReadingCache.path()
    if path is None:
        return None
    try:
        info = os.stat(path)
    except OSError:
        return "none"
    return f"{info.st_dev}:{info.st_ino}:{info.st_size}:{info.st_mtime_ns}"


def _builds() -> dict:
    from .fsutil import NotRegular, read_regular

    path = _builds_path()
    try:
        data = json.loads(read_regular(path, 1 << 20)) if path else {}
    except (OSError, ValueError, NotRegular):
        return {}
    return data if isinstance(data, dict) else {}


def built_with_these_readings(out: Path, sources: str) -> bool:
    """True if the last build of `out` from `sources` (its lock's key) read its pinyin from
    the cache exactly as it is now: only then may a build skip reading the KB. A cache
    deleted (or changed) since makes the next build a full one, so no reading it once
    held can stay in a deck."""
    identity = _readings_identity()
    if identity is None:
        return True
    return _builds().get(str(Path(out).resolve())) == [sources, identity]


def remember_build(out: Path, sources: str) -> None:
    """Record that `out` was built from `sources` with the readings cache as it is now
    (saving the readings first, so that what is recorded is what the next build finds)."""
    from .fsutil import write_atomic

    _CACHE.save()
    identity, path = _readings_identity(), _builds_path()
    if identity is None or path is None:
        return
    builds = _builds()
    builds.pop(str(Path(out).resolve()), None)
    builds[str(Path(out).resolve())] = [sources, identity]
    kept = dict(list(builds.items())[-_BUILDS_LIMIT:])
    try:
        write_atomic(path, json.dumps(kept, ensure_ascii=False).encode("utf-8"))
    except Exception:  # a record that cannot be written only costs a full build next time
        pass


def _read_run(run: str) -> tuple[str | None, ...]:
    return _CACHE.get(run)


def written_syllable(syllable: str) -> str | None:
    """A syllable as an author may write it — tone marks or tone numbers (gan3, lv4 or lü4),
    composed or not — in tone marks; None if it is no syllable of Mandarin."""
    text = unicodedata.normalize("NFC", syllable).lower()
    if not is_mandarin_syllable(text):
        return None
    if not text[-1].isdigit():
        return text
    from pypinyin.contrib.tone_convert import to_tone

    return unicodedata.normalize("NFC", to_tone(text.replace("ü", "v")))


def readings_of(char: str, modern: bool = False) -> list[str]:
    """The readings of one character: every one pypinyin knows (old and rare ones too), or
    with `modern` those of today's standard dictionary (通用规范汉字字典, 2013, through
    pypinyin-dict), when it has the character."""
    if modern:
        from pypinyin_dict.pinyin_data.ktghz2013 import pinyin_dict as standard

        if ord(char) in standard:
            return standard[ord(char)].split(",")
    from pypinyin.pinyin_dict import pinyin_dict

    return [r for r in pinyin_dict.get(ord(char), "").split(",") if r]


def unknown_readings(text: str, override: str) -> list[tuple[str, str, list[str]]]:
    """(character, syllable, its known readings) where a KB's override gives a character a
    reading no dictionary has for it: a typo, or a reading to double-check."""
    out = []
    for s in syllables(text, override):
        if s.pinyin is not None:
            known = list(dict.fromkeys(readings_of(s.char, modern=True) + readings_of(s.char)))
            if known and s.pinyin not in known:
                out.append((s.char, s.pinyin, known))
    return out


def several_readings(text: str, override: str | None = None
                     ) -> list[tuple[str, str, tuple[str, ...]]]:
    """(character, the reading chosen, its other readings today) for each character of `text`
    that has more than one: the readings an author should confirm."""
    out = []
    for s in syllables(text, override):
        if s.pinyin is not None:
            others = tuple(r for r in readings_of(s.char, modern=True) if r != s.pinyin)
            if others:
                out.append((s.char, s.pinyin, others))
    return out


def syllables(text: str, override: str | None = None) -> list[Syllable]:
    """Each character of `text` with its pinyin. `override` gives one syllable per Chinese
    character, separated by spaces (the KB's per-term `pinyin:`)."""
    return list(_syllables(text, override))


@lru_cache(maxsize=4096)
def _syllables(text: str, override: str | None) -> tuple[Syllable, ...]:
    # Cached: a term's ruby and its plain pinyin are both made from the same reading.
    text = unicodedata.normalize("NFC", text)
    given = iter(_marked(override_syllables(override))) if override else None
    out: list[Syllable] = []
    pos = 0
    for match in _HAN_RUN.finditer(text):
        out.extend(Syllable(ch) for ch in text[pos:match.start()])
        run = match.group()
        # An override that runs short leaves the rest without ruby rather than misaligned.
        readings = [next(given, None) for _ in run] if given else _read_run(run)
        out.extend(Syllable(ch, py) for ch, py in zip(run, readings))
        pos = match.end()
    out.extend(Syllable(ch) for ch in text[pos:])
    return tuple(out)


def _marked(written: list[str]) -> list[str]:
    """An override's syllables in tone marks (it may use tone numbers: gan3 zhi1 qi4)."""
    if not any(ch.isdigit() for part in written for ch in part):
        return written
    return [written_syllable(part) or part for part in written]


def pinyin_text(text: str, override: str | None = None) -> str:
    """The readings of the Chinese characters in `text`, space-separated: 'gǎn zhī qì'."""
    return " ".join(s.pinyin for s in _syllables(text, override) if s.pinyin)


def ruby_html(text: str, override: str | None = None) -> str:
    """HTML with each Chinese character in its own <ruby>, tone-coloured by a `toneN` class.
    Everything else is escaped text without ruby."""
    parts = []
    for s in _syllables(text, override):
        if s.pinyin is None:
            parts.append(escape(s.char))
        else:
            parts.append(f'<ruby class="tone{s.tone}">{escape(s.char)}'
                         f"<rt>{escape(s.pinyin)}</rt></ruby>")
    return "".join(parts)


def sort_key(text: str, override: str | None = None) -> tuple:
    """Dictionary order by pinyin: toneless syllables, then tones, then the text itself."""
    syl = [s for s in syllables(text, override) if s.pinyin]
    plain = " ".join(_strip_tones(s.pinyin) for s in syl)  # type: ignore[arg-type]
    return (plain.lower() if syl else text.lower(), [s.tone for s in syl], text)


def _strip_tones(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable)
    kept = "".join(c for c in decomposed if unicodedata.category(c) != "Mn" or c == "\u0308")
    return unicodedata.normalize("NFC", kept).replace("ü", "v")
