"""Rules a knowledge base must follow beyond its schema: ids, references, languages, pinyin."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import get_args

from .errors import Location, Problem
from .load import Loaded
from .hanzi import HAN, has_han, is_mandarin_syllable, override_syllables
from .wording import names_in
from .model import BaseModel, Claim, Event, Figure, ListFact, ListItem, Named, Term, Text

@lru_cache(maxsize=None)
def _nested_fields(cls: type[BaseModel]) -> tuple[str, ...]:
    """Names of the fields of `cls` that can hold models (or lists of them)."""

    def holds_model(annotation) -> bool:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return True
        return any(holds_model(arg) for arg in get_args(annotation))

    return tuple(name for name, info in cls.model_fields.items() if holds_model(info.annotation))


def _texts(model: BaseModel, path: tuple = ()) -> Iterator[tuple[tuple, str, str]]:
    """Every (path, zh, en) pair in a model: its Text fields, and the zh/en of terms and items."""
    if isinstance(model, (Text, Term, ListItem)):
        yield path, model.zh, model.en
    for name in _nested_fields(type(model)):
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from _texts(value, path + (name,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                yield from _texts(item, path + (name, i))


def check(loaded: Loaded) -> list[Problem]:
    """All problems found, errors and warnings, in source order."""
    kb, where = loaded.kb, loaded.source_map
    problems: list[Problem] = []

    def error(at: Location, message: str) -> None:
        problems.append(Problem(at, message))

    def warning(at: Location, message: str) -> None:
        problems.append(Problem(at, message, "warning"))

    def language_rules(model: BaseModel, locate) -> None:
        for path, zh, en in _texts(model):
            # A name the Chinese text keeps in English (OpenAI, Dota) is written the same in both.
            if not has_han(zh) and zh != en:
                error(locate(*path, "zh"), f"Chinese text has no Chinese character: {zh!r}")
            if has_han(en):
                warning(locate(*path, "en"), f"English text contains Chinese: {en!r}")

    language_rules(kb.deck, where.deck)

    section_ids: dict[str, Location] = {}
    numbers: dict[int, Location] = {}
    for i, section in enumerate(kb.sections):
        at = where.section(i, "id")
        if section.id in section_ids:
            error(at, f"duplicate section id '{section.id}' (first at {section_ids[section.id]})")
        section_ids.setdefault(section.id, at)
        if section.number in numbers:
            error(where.section(i, "number"),
                  f"duplicate section number {section.number} (first at {numbers[section.number]})")
        numbers.setdefault(section.number, where.section(i, "number"))
        language_rules(section, lambda *path, i=i: where.section(i, *path))

    fact_ids: dict[str, int] = {}
    used_sections: set[str] = set()
    for i, fact in enumerate(kb.facts):
        first = fact_ids.setdefault(fact.id, i)
        if first != i:
            error(where.fact(i, "id"),
                  f"duplicate fact id '{fact.id}' (first at {where.fact(first, 'id')})")
        if fact.section not in section_ids:
            known = ", ".join(section_ids) or "none defined"
            error(where.fact(i, "section"), f"unknown section '{fact.section}' (sections: {known})")
        used_sections.add(fact.section)
        language_rules(fact, lambda *path, i=i: where.fact(i, *path))
        if isinstance(fact, ListFact) and len(fact.items) < 2:
            error(where.fact(i, "items"), f"a list needs at least 2 items, not {len(fact.items)}")
        if isinstance(fact, Named):
            problems.extend(_name_rules(fact, lambda *path, i=i: where.fact(i, *path)))
        if isinstance(fact, Term) and fact.pinyin is not None:
            problems.extend(_check_pinyin(fact, where.fact(i, "pinyin")))
        problems.extend(_quiz_risks(fact, kb, lambda *path, i=i: where.fact(i, *path)))

    problems.extend(_former_ids(kb, where, fact_ids))
    problems.extend(_review_ids(loaded, fact_ids))
    problems.extend(_cut_by_comments(loaded))
    for i, section in enumerate(kb.sections):
        if section.id not in used_sections:
            warning(where.section(i, "id"), f"section '{section.id}' has no facts")
    return sorted(problems, key=lambda p: p.where)


# A text key's plain value with " #" in it: YAML reads the rest of the line as a comment.
# (A comment meant as one, set off by two or more spaces as in docs/format.md, is not flagged.)
_CUT_TEXT = re.compile(r"^(\s*(?:-\s+)?(?:zh|en|note|speaker|abbr):[ \t]+)"
                       r"([^'\"\s{\[|>&*!%@`#][^\n]*?[^ \t]) #(.*)$")


def _cut_by_comments(loaded: Loaded) -> Iterator[Problem]:
    """Warnings for texts that lose their end to a comment, which YAML drops silently."""
    for name, data in loaded.file_bytes.items():
        for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
            match = _CUT_TEXT.match(line)
            if match and match.group(3).strip():
                yield Problem(Location(name, number, match.end(2) + 2),
                              f"'#{match.group(3)}' is a YAML comment, not part of the text "
                              f"'{match.group(2)}': put quotes around the text if the # "
                              "belongs to it (set a comment meant as one off by two spaces)",
                              "warning")


def _review_ids(loaded: Loaded, fact_ids: dict[str, int]) -> Iterator[Problem]:
    """The review list names facts of this KB (a fact since removed is a warning)."""
    from .load import parse_yaml

    for name, positions in loaded.source_map.positions.items():
        if ("review",) not in positions:
            continue
        data, _ = parse_yaml(loaded.file_bytes[name].decode("utf-8"), name)  # read before
        for i, fact_id in enumerate(data.get("review") or []):
            if str(fact_id) not in fact_ids:
                yield Problem(loaded.source_map.locate(name, ("review", i)),
                              f"'{fact_id}' in the review list is no fact of this "
                              "knowledge base (removed or renamed?): take it out", "warning")


def _former_ids(kb, where, fact_ids: dict[str, int]) -> Iterator[Problem]:
    """A former id names one fact's past: never a current fact, never two facts."""
    claimed: dict[str, int] = {}
    for i, fact in enumerate(kb.facts):
        for j, old in enumerate(fact.formerly):
            at = where.fact(i, "formerly", j)
            if old == fact.id:
                yield Problem(at, f"'{old}' is this fact's own id, not a former one")
            elif old in fact_ids:
                yield Problem(at, f"'{old}' is the id of another fact (at "
                              f"{where.fact(fact_ids[old], 'id')}): a fact's former id cannot "
                              "be used again (give that fact another id)")
            elif claimed.setdefault(old, i) != i:
                yield Problem(at, f"'{old}' is already a former id of '{kb.facts[claimed[old]].id}' "
                              f"(at {where.fact(claimed[old], 'formerly')}): two facts cannot "
                              "share one past")


def _name_rules(fact: Named, locate) -> Iterator[Problem]:
    if fact.name.en != fact.name.zh and fact.name.en.casefold() in fact.name.zh.casefold():
        yield Problem(locate("name", "zh"), f"the Chinese name repeats the English one "
                      f"({fact.name.en!r}): cards and quizzes show both, so write it once, "
                      "under `en`", "warning")
    for field in ("role", "why"):
        if names_in(getattr(fact, field), fact.name):
            yield Problem(locate(field), f"`{field}` names {fact.name.zh!r}: the deck leaves "
                          "out the card that asks who or what this is, since its front would "
                          "give the answer (reword it without the name to keep that card)",
                          "warning")
            break


def _check_pinyin(term: Term, at: Location) -> list[Problem]:
    """A term's `pinyin:`: one real syllable of Mandarin per Chinese character, with tone
    marks or tone numbers. (`quizgen pinyin` compares each with its character's readings.)"""
    syllables = override_syllables(term.pinyin or "")
    hanzi = HAN.findall(term.zh)
    problems = []
    bad = [s for s in syllables if not is_mandarin_syllable(s)]
    if bad:
        problems.append(Problem(at, f"not a pinyin syllable: {bad[0]!r} (write syllables with "
                                    "tone marks or tone numbers, e.g. gǎn zhī qì or gan3 zhi1 "
                                    "qi4)"))
    if len(syllables) != len(hanzi):
        problems.append(Problem(at, f"pinyin has {len(syllables)} syllables but '{term.zh}' "
                                    f"has {len(hanzi)} Chinese characters"))
    return problems


# -- quiz risks an author can fix --------------------------------------------------------------

LONGER = 1.6  # an answer this many times as long as its longest wrong one stands out


def _right_answers(fact) -> list[Text | ListItem | Term]:
    """What a wrong answer of `fact` must not repeat."""
    if isinstance(fact, Claim):
        return [fact.answer]
    if isinstance(fact, ListFact):
        return list(fact.items)
    if isinstance(fact, Term):
        return [fact]
    if isinstance(fact, Event):
        return [fact.what]
    if isinstance(fact, Named):
        return [fact.role]
    return []


def _quiz_risks(fact, kb, locate) -> Iterator[Problem]:
    """Errors for a wrong answer that is right after all; for a fact a quiz asks about,
    warnings for what would make its question easy to guess or impossible to ask."""
    from .quiz.distractors import norm, plausible_number, printed_width

    if isinstance(fact, Figure):
        for j, wrong in enumerate(fact.wrong):
            low, high = (wrong[0], wrong[1]) if isinstance(wrong, list) else (wrong, None)
            if isinstance(wrong, list) != (fact.upto is not None):
                yield Problem(locate("wrong", j), "a wrong value must have the answer's shape: "
                              + ("a [low, high] range" if fact.upto is not None else "a number"))
            elif low == fact.value and high == fact.upto:
                yield Problem(locate("wrong", j), "a wrong value repeats the right one")
            elif fact.quiz and not plausible_number(fact.value, fact.upto, low, high):
                yield Problem(locate("wrong", j), "a wrong value a reader can rule out without "
                              "the text, so quizzes leave it out: keep wrong values within "
                              "×0.5–×2 of the answer (counts below 10: within 3 of it; "
                              "ranges: not overlapping it)", "warning")
        return
    right = {k for r in _right_answers(fact) for k in (norm(r.zh), norm(r.en))}
    for j, wrong in enumerate(fact.wrong):
        if norm(wrong.zh) in right or norm(wrong.en) in right:
            yield Problem(locate("wrong", j), "a wrong answer repeats a right answer")
    if not fact.quiz or set(kb.deck.quiz.exclude_tags) & set(fact.tags):
        return
    need = kb.deck.quiz.options - 1
    if isinstance(fact, Claim):
        if len(fact.wrong) < need:
            yield Problem(locate("wrong" if fact.wrong else "answer"),
                          f"{len(fact.wrong)} wrong answer{'s' * (len(fact.wrong) != 1)}: a "
                          f"quiz needs {need} to ask this claim (add them under `wrong:`, or "
                          "set `quiz: false`)", "warning")
        elif fact.wrong:
            for lang, measure in (("zh", printed_width), ("en", len)):
                key = measure(getattr(fact.answer, lang))
                longest = max(measure(getattr(w, lang)) for w in fact.wrong)
                if key > LONGER * longest and key - longest > 6:
                    yield Problem(locate("answer", lang),
                                  f"the answer is {key / longest:.1f} times as long as the "
                                  "longest wrong answer: length gives it away (shorten it, "
                                  "moving detail to `explanation`, or lengthen a wrong one)",
                                  "warning")
                    break
    if isinstance(fact, ListFact) and (fact.prompt.zh.rstrip().endswith(("？", "?"))
                                       or fact.prompt.en.rstrip().endswith("?")):
        yield Problem(locate("prompt"), "a list's prompt is printed as \"下列哪一项属于"
                      "<prompt>？\" / \"Which of these is one of <prompt>?\": write it as a noun "
                      "phrase (\"深度学习的三个核心属性\"), not a question", "warning")
    if (isinstance(fact, ListFact) and len(fact.items) >= 2 and not fact.wrong
            and fact.category is None):
        yield Problem(locate("items"), "no wrong items and no `category:`: a quiz cannot ask "
                      "which item belongs to this list (add `wrong:` items, or a category "
                      "shared with similar lists)", "warning")
