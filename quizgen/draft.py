"""`quizgen draft`: candidate facts from a plain-text or Markdown source, as a knowledge base an
author reviews.

Candidates are what a text marks itself: terms it glosses (术语（English）, *术语*（English，ABBR）,
English (中文)), dates with their sentence, numbers with a unit, people and works it names,
enumerations (三个……：甲、乙、丙). Each keeps the line it came from; the same candidate found twice
is one. Every candidate is a draft: tagged `draft`, kept out of quizzes, and its texts are the
source's own sentence or a marked gap — the author rewrites each in their own words, then removes
the tag. The output passes `quizgen check` as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from .errors import QuizgenError
from .fsutil import write_atomic
from .hanzi import HAN, has_han

DRAFT_TAG = "draft"
MAX_TEXT = 160  # a draft's sentence is cut to this many characters
TODO_ZH = "（待写）"
TODO_EN = "(to write)"
TODO_NAME_EN = "(to write: the name in English)"

_HAN = HAN.pattern
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|(?<=\.)\s+|\n")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKUP = re.compile(r"(^#+\s*|^\s*[-*+]\s+|^\s*\d+\.\s+|`)")
# Words that end the search backwards for the start of a glossed Chinese term.
_FUNCTION = frozenset("的 是 为 称 称为 叫 叫做 即 了 在 和 与 及 以及 被 把 这 那 这种 一种 一个 "
                      "我们 它 它们 其 或 或者 并 由 对 将 从 用 使用 通过 提出 所谓 各种 之一 "
                      "一些 这些 那些 所有 许多 一类 其中 种种 诸如 例如 比如 像".split())
_EN_STOP = frozenset("a an the of and or as is are was called known so named this that its "
                     "by for in on to with from we our".split())
_NUMERALS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
             "十": 10}
_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november "
    "december".split(), 1)}


@dataclass
class Candidate:
    kind: str
    key: str  # what makes two candidates the same
    fields: dict
    lines: list[int] = field(default_factory=list)
    section: str = "s01"


@dataclass
class Draft:
    title: str
    lang: str  # "zh" or "en": the source's language
    sections: list[tuple[str, str]]  # (id, title)
    candidates: list[Candidate]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.candidates:
            out[c.kind] = out.get(c.kind, 0) + 1
        return out


# -- reading the source -------------------------------------------------------------------------

def _plain(line: str) -> str:
    """A line without Markdown links, emphasis marks kept (they mark terms), and its prefix."""
    return _MD_MARKUP.sub("", _MD_LINK.sub(r"\1", line)).strip()


def _sentences(line: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(line) if s and s.strip()]


def _short(text: str) -> str:
    text = re.sub(r"\*+", "", text).strip()
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1] + "…"


def draft(text: str, title: str) -> Draft:
    """The candidates of a source text."""
    lang = "zh" if len(HAN.findall(text)) > len(re.findall(r"[A-Za-z]+", text)) else "en"
    sections: list[tuple[str, str]] = []
    found: dict[tuple[str, str], Candidate] = {}
    current = "s01"
    lines = text.splitlines()
    for number, raw in enumerate(lines, 1):
        heading = re.match(r"^(#{1,3})\s+(.+?)\s*#*\s*$", raw)
        if heading and len(heading.group(1)) >= 2 or (heading and not sections and number > 1):
            current = f"s{len(sections) + 1:02d}"
            sections.append((current, _plain(heading.group(2))))
            continue
        if heading:
            title = _plain(heading.group(2)) or title
            continue
        line = _plain(raw)
        if not line:
            continue
        following = [_MD_LINK.sub(r"\1", l) for l in lines[number:number + 40]]
        for candidate in _line_candidates(line, following, lang):
            candidate.section = current
            key = (candidate.kind, candidate.key)
            if key in found:
                if number not in found[key].lines:
                    found[key].lines.append(number)
            else:
                candidate.lines = [number]
                found[key] = candidate
    if not sections:
        sections = [("s01", "全文" if lang == "zh" else "The text")]
    elif any(c.section == "s01" for c in found.values()) and sections[0][0] != "s01":
        sections.insert(0, ("s01", "引言" if lang == "zh" else "Introduction"))
    used = {c.section for c in found.values()}
    sections = [s for s in sections if s[0] in used] or sections[:1]
    if not used & {s[0] for s in sections}:
        for c in found.values():
            c.section = sections[0][0]
    return Draft(title, lang, sections, list(found.values()))


def _line_candidates(line: str, following: list[str], lang: str):
    for sentence in _sentences(line):
        yield from _terms(sentence)
        yield from _dates(sentence)
        yield from _figures(sentence)
        yield from _people(sentence)
        yield from _works(sentence)
    yield from _lists(line, following)


def _pair(text: str) -> dict:
    """A draft text in both languages: the source's sentence, and a marked gap in the other."""
    text = _short(text)
    if has_han(text):
        return {"zh": text, "en": TODO_EN}
    return {"zh": TODO_ZH, "en": text}


# -- terms --------------------------------------------------------------------------------------

_GLOSS_ZH = re.compile(rf"(\*{{1,2}}({_HAN}[^*（(]{{0,15}})\*{{1,2}}|({_HAN}{{2,16}}))"
                       r"\s*[（(]\s*([A-Za-z][A-Za-z0-9 .'\-/&]{1,60}?)\s*"
                       r"(?:[，,、;；]\s*([A-Z][A-Za-z0-9\-]{1,10}))?\s*[）)]")
_GLOSS_EN = re.compile(rf"([A-Za-z][A-Za-z0-9\-]*(?:\s+[A-Za-z][A-Za-z0-9\-]*){{0,5}})\s*"
                       rf"[（(]\s*({_HAN}{{2,12}})\s*[）)]")


@cache
def _jieba():
    """jieba, quiet, keeping its prefix cache in quizgen's cache folder (or nowhere)."""
    import logging

    import jieba

    from .pinyin import cache_home

    jieba.setLogLevel(logging.CRITICAL)
    base = cache_home()
    jieba.dt.tmp_dir = str(base / "quizgen") if base else "/nonexistent-quizgen-cache"
    if base:
        (base / "quizgen").mkdir(parents=True, exist_ok=True)
    return jieba


def _term_start(run: str) -> str:
    """The glossed term at the end of a run of Chinese: words back from its end until a
    function word (我们称之为强化学习 -> 强化学习), at most 8 characters."""
    _jieba()
    import jieba.posseg

    term, nouns = "", False
    for token in reversed(jieba.posseg.lcut(run)):
        word, flag = token.word, token.flag
        if word in _FUNCTION or not HAN.fullmatch(word[0]) or len(term) + len(word) > 8:
            break
        if flag.startswith(("n", "l", "j", "i", "b", "a", "eng")) and flag != "nr":
            nouns = True
        elif not (flag in ("v", "vn") and not nouns):  # 强化学习, 反向传播; not 依靠 + 机制
            break
        term = word + term
    return term


_EMPHASIS = re.compile(rf"(?<![*\w])\*{{1,2}}({_HAN}{{2,12}})\*{{1,2}}(?![*\w（(])")


# A term the text names: “X” after 称为 / 所谓 / 叫做…, （即X）, or a sentence defining it.
_NAMED_TERM = re.compile(rf"(?:称为|称其为|称之为|叫做|叫作|被称作|所谓的?|简称)\s*[“\"「]({_HAN}{{2,10}})[”\"」]"
                         rf"|[（(]\s*即\s*({_HAN}{{2,10}})\s*[）)]")
_DEFINED = re.compile(rf"^(?:而|所以|因此)?({_HAN}{{2,8}})(?:是指|指的是|是一种|是一类|是一门|是将)")


def _terms(sentence: str):
    for m in _EMPHASIS.finditer(sentence):  # a term the text sets in italics or bold
        yield _term(m.group(1), TODO_EN, None, sentence)
    for m in _NAMED_TERM.finditer(sentence):
        yield _term(m.group(1) or m.group(2), TODO_EN, None, sentence)
    m = _DEFINED.match(sentence.replace("**", ""))
    if m:
        yield _term(_term_start(m.group(1)) or m.group(1), TODO_EN, None, sentence)
    for m in _GLOSS_ZH.finditer(sentence):
        zh = (m.group(2) or _term_start(m.group(3) or "")).strip()
        en, abbr = m.group(4).strip(), m.group(5)
        if len(zh) < 2 or not has_han(zh) or len(en) < 2 or en.lower() in _EN_STOP:
            continue
        if re.fullmatch(r"\d.*|[A-Z]?[a-z]+ et al.*|.*\d{4}", en):
            continue  # a citation, not a gloss
        yield _term(zh, en, abbr, sentence)
    for m in _GLOSS_EN.finditer(sentence):
        words: list[str] = []
        for word in reversed(m.group(1).split()):  # back from the gloss to a little word
            if word.lower() in _EN_STOP or len(words) == 4:
                break
            words.insert(0, word)
        if words and not has_han(sentence[:m.start()][-1:] or "a"):
            yield _term(m.group(2), " ".join(words), None, sentence)


def _term(zh: str, en: str, abbr: str | None, sentence: str) -> Candidate:
    fields = {"zh": zh, "en": en}
    if abbr and abbr != en:
        fields["abbr"] = abbr
    fields["definition"] = _pair(sentence)
    return Candidate("term", zh, fields)


# -- dates --------------------------------------------------------------------------------------

_DATE_ZH = re.compile(r"(?<!\d)(1[0-9]\d\d|20\d\d)\s*年(代)?(?:\s*(\d{1,2})\s*月)?(?:\s*(\d{1,2})\s*日)?")
_DATE_EN = re.compile(r"\b(?:(January|February|March|April|May|June|July|August|September|"
                      r"October|November|December)\s+)?(1[5-9]\d\d|20\d\d)(s)?\b")
_DATE_PLAIN = re.compile(r"(?<![\d.%])(1[5-9]\d\d|20[0-4]\d)(?![\d%.])(?!\s*[个年-])")


# Years that are no event: a life's span (1818--1903) and a citation (Watkins, 1989).
_NOT_EVENTS = re.compile(r"(1[0-9]\d\d|20\d\d)\s*[-–—~～]{1,2}\s*(1[0-9]\d\d|20\d\d)"
                         r"|[A-Z][A-Za-z.&\s]*(?:et al\.?)?,?\s*(1[5-9]\d\d|20\d\d)\s*[)\]）]")


def _dates(sentence: str):
    seen = {int(y) for m in _NOT_EVENTS.finditer(sentence) for y in m.groups() if y}
    for m in _DATE_ZH.finditer(sentence):
        year, decade, month, day = int(m.group(1)), bool(m.group(2)), m.group(3), m.group(4)
        event = {"year": year}
        if decade:
            event["decade"] = True
        elif month and 1 <= int(month) <= 12:
            event["month"] = int(month)
            if day and 1 <= int(day) <= 31:
                event["day"] = int(day)
        seen.add(year)
        yield _event(event, sentence)
    for m in _DATE_EN.finditer(sentence):
        year = int(m.group(2))
        if year in seen:
            continue
        event = {"year": year}
        if m.group(3):
            event["decade"] = True
        elif m.group(1):
            event["month"] = _MONTHS[m.group(1).lower()]
        seen.add(year)
        yield _event(event, sentence)
    if has_han(sentence):  # "在2014年" is caught above; "(Watkins, 1989)" and "于1936" here
        for m in _DATE_PLAIN.finditer(sentence):
            year = int(m.group(1))
            if year not in seen:
                seen.add(year)
                yield _event({"year": year}, sentence)


def _event(event: dict, sentence: str) -> Candidate:
    key = "-".join(str(event.get(k, "")) for k in ("year", "month", "day", "decade"))
    return Candidate("event", f"{key}:{_short(sentence)[:40]}", {**event, "what": _pair(sentence)})


# -- figures ------------------------------------------------------------------------------------

_SCALE = {"万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2, "thousand": 1e3, "million": 1e6,
          "billion": 1e9}
_FIGURE_ZH = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(万|亿|千|百)?\s*(%|％|倍|个|位|名|人|层|种|次|台|块|"
                        r"行|分钟|小时|周|美元|元|GB|MB|KB|TB|GPU|CPU|样本|参数|像素)")
_FIGURE_EN = re.compile(r"(?<![\d.])(\d[\d,]*(?:\.\d+)?)\s*(thousand|million|billion)?\s*"
                        r"(%|percent|times|people|layers|GPUs|CPUs|parameters|samples|examples|"
                        r"minutes|hours|days|years|dollars|words|images)\b")


def _figures(sentence: str):
    for pattern in (_FIGURE_ZH, _FIGURE_EN):
        for m in pattern.finditer(sentence):
            number = float(m.group(1).replace(",", "")) * _SCALE.get(m.group(2) or "", 1)
            if 1000 <= number <= 2100 and number == int(number) and m.group(3) in ("年",):
                continue
            unit = m.group(3).replace("％", "%")
            value = int(number) if number == int(number) else number
            zh_unit = unit if has_han(unit) or unit == "%" else TODO_ZH
            en_unit = unit if not has_han(unit) else TODO_EN
            yield Candidate("figure", f"{value}:{_short(sentence)[:40]}", {
                "value": value, "unit": {"zh": zh_unit, "en": en_unit},
                "measures": _pair(sentence)})


# -- people, works, lists ----------------------------------------------------------------------

_FOREIGN_NAME = re.compile(rf"{_HAN}{{1,4}}(?:·{_HAN}{{1,5}})+")
_LATIN_NAME = re.compile(r"\b([A-Z][a-z]+(?:\s+[A-Z]\.)?(?:\s+(?:de |van |von )?[A-Z][a-z]+){1,2})\b")
_NOT_NAMES = frozenset("The This That These Those When While With Without However In On At For "
                       "From Monday Tuesday Wednesday Thursday Friday Saturday Sunday January "
                       "February March April May June July August September October November "
                       "December Deep Learning Machine Neural Network".split())


def _foreign_name(found: str) -> str:
    """A transliterated name with what came before it left out (作者之一阿希什·瓦斯瓦尼 ->
    阿希什·瓦斯瓦尼)."""
    first, _, rest = found.partition("·")
    kept = _term_start(first) if len(first) > 2 else first
    rest = rest.rstrip("在的和与是曾说等提发也都就又还被把将对于从用")
    return f"{kept or first[-2:]}·{rest}"


def _people(sentence: str):
    names = {_foreign_name(n) for n in _FOREIGN_NAME.findall(sentence)}
    for m in _LATIN_NAME.finditer(sentence):
        words = m.group(1).split()
        glossed = re.search(rf"[（(]\s*{re.escape(m.group(1))}", sentence)
        if not glossed and not any(w in _NOT_NAMES for w in words) and not re.search(
                rf"{re.escape(m.group(1))}\s*(?:et al|,\s*\d{{4}})", sentence):
            names.add(m.group(1))
    if has_han(sentence):
        _jieba()
        import jieba.posseg

        for token in jieba.posseg.lcut(sentence):
            if token.flag == "nr" and 2 <= len(token.word) <= 4 and HAN.fullmatch(token.word[0]) \
                    and not any(token.word in n for n in names):
                names.add(token.word)
    for name in names:
        zh, en = (name, TODO_NAME_EN) if has_han(name) else (name, name)
        yield Candidate("person", name, {
            "name": {"zh": zh, "en": en}, "role": _pair(_without(sentence, name, "此人")),
            "why": {"zh": TODO_ZH, "en": TODO_EN}})


def _without(sentence: str, name: str, stand_in: str) -> str:
    """The sentence with the name left out: it becomes the description a card shows."""
    return sentence.replace(name, stand_in if has_han(sentence) else "this one")


def _works(sentence: str):
    for title in re.findall(r"《([^》]{1,40})》", sentence):
        yield Candidate("work", title, {"name": {"zh": f"《{title}》", "en": TODO_NAME_EN},
                                        "role": _pair(_without(sentence, f"《{title}》", "此作品")),
                                        "why": {"zh": TODO_ZH, "en": TODO_EN}})


_COUNTED = re.compile(r"([两二三四五六七八九十]|\d+)\s*(?:个|种|项|条|大|点|类|步)"
                      r"([^：:，。；]{0,16})[：:]\s*(.*)")
_INTRO = re.compile(r"[：:]\s*$|以下|如下|下面|下列|the following|as follows")
_ITEM = re.compile(r"^\s*(?:\d{1,2}\s*[.、)）]|[*\-+•])\s+")


def _lists(line: str, following: list[str]):
    """An enumeration in the line (三个属性：甲、乙和丙), or a Markdown or numbered list under
    a line that announces it (…以下的核心原则：, …the following:)."""
    line = line.replace("**", "")
    m = _COUNTED.search(line)
    if m and m.group(3):
        items = [i.strip(" 。；;，,") for i in re.split(r"[、；;]|，(?=\S)|和|以及",
                                                        m.group(3).split("。")[0])]
        items = [i for i in items if 1 <= len(i) <= 30]
        if len(items) >= 2:
            yield _list(line[:m.end(2)], items)
            return
    if not _INTRO.search(line):
        return
    items = []
    for raw in following:
        raw = raw.replace("**", "").strip()
        if not raw:
            continue
        item = _ITEM.match(raw)
        if item is None:
            break
        first = re.split(r"[，,。：:（(;；]", raw[item.end():], maxsplit=1)[0].strip()
        if first:
            items.append(_short(first))
        if len(items) == 12:
            break
    if len(items) >= 2 and all(len(i) <= 60 for i in items):
        yield _list(_sentences(line)[-1].rstrip("：:。."), items)


def _list(prompt: str, items: list[str]) -> Candidate:
    prompt = _short(re.sub(r"^.*?[，,]\s*", "", prompt) or prompt)
    return Candidate("list", "|".join(items[:3]), {
        "prompt": _pair(prompt), "items": [_pair(i) for i in dict.fromkeys(items)]})


# -- writing the knowledge base ----------------------------------------------------------------

def slug(text: str, taken: set[str]) -> str:
    """An id for a fact: from its English, else its pinyin, made unique with a number."""
    base = text
    if has_han(text):
        from pypinyin import lazy_pinyin

        base = " ".join(lazy_pinyin(text))
    base = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")[:40].strip("-") or "fact"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _id_text(c: Candidate) -> str:
    f = c.fields
    if c.kind == "term":
        return f["en"]
    if c.kind == "event":
        return f"event-{f['year']}"
    if c.kind == "figure":
        return f"figure-{f['value']}"
    if c.kind in ("person", "work"):
        name = f["name"]
        return name["en"] if name["en"] != TODO_NAME_EN else name["zh"]
    return "list-" + c.key.split("|")[0]


def render(d: Draft, deck_id: str, source_name: str) -> dict[str, str]:
    """The files of the draft knowledge base: deck.yaml and draft.yaml."""
    title = _pair(d.title)
    deck = {"deck": {"id": deck_id, "title": title, "lang": d.lang},
            "sections": [{"id": sid, "number": i, "title": _pair(t)}
                         for i, (sid, t) in enumerate(d.sections, 1)]}
    header = (f"# Drafted by `quizgen draft` from {source_name}. Review every fact: rewrite its "
              "texts in your own words,\n# fill each （待写）/(to write), then remove `draft` from "
              "its tags and `quiz: false`.\n")
    taken: set[str] = set()
    facts = []
    for c in sorted(d.candidates, key=lambda c: c.lines[0]):
        fact = {"id": slug(_id_text(c), taken), "kind": c.kind, "section": c.section,
                "tags": [DRAFT_TAG], "quiz": False, **c.fields}
        where = ", ".join(str(n) for n in c.lines[:5]) + (" …" if len(c.lines) > 5 else "")
        body = yaml.safe_dump([fact], allow_unicode=True, sort_keys=False, width=1000,
                              default_flow_style=None)
        facts.append(f"  # from line{'s' * (len(c.lines) > 1)} {where} of {source_name}\n"
                     + "".join(f"  {line}\n" for line in body.splitlines()))
    deck_yaml = header + yaml.safe_dump(deck, allow_unicode=True, sort_keys=False, width=1000,
                                        default_flow_style=None)
    return {"deck.yaml": deck_yaml,
            "draft.yaml": header + "facts:\n" + "\n".join(facts)}


def write_draft(source: Path, out: Path, deck_id: str | None = None) -> tuple[Path, Draft]:
    """Draft a knowledge base from `source` into the folder `out` (which must not hold one)."""
    try:
        raw = source.read_bytes()
    except OSError as e:
        raise QuizgenError.at(str(source), 1, 1, f"cannot read it ({e.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise QuizgenError.at(str(source), 1, 1, f"not UTF-8 text (byte {e.start})") from None
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise QuizgenError.at(str(out), 1, 1, "already exists and is not an empty folder: "
                              "choose a new one (nothing is overwritten)")
    deck_id = deck_id or slug(source.stem, set())
    d = draft(text, source.stem)
    if not d.candidates:
        raise QuizgenError.at(str(source), 1, 1, "no candidate facts found (glossed terms, "
                              "dates, numbers with units, names, enumerations)")
    out.mkdir(parents=True, exist_ok=True)
    for name, content in render(d, deck_id, source.name).items():
        write_atomic(out / name, content.encode("utf-8"))
    return out, d
