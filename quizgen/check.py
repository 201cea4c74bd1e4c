"""Rules a knowledge base must follow beyond its schema: ids, references, languages, pinyin."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import get_args

from .errors import Location, Problem
from .load import Loaded
from .hanzi import HAN, has_han, is_syllable, override_syllables
from .model import BaseModel, Claim, ListFact, ListItem, Term, Text

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
        if isinstance(fact, Term) and fact.pinyin is not None:
            problems.extend(_check_pinyin(fact, where.fact(i, "pinyin")))
        if isinstance(fact, Claim):
            for j, wrong in enumerate(fact.wrong):
                if wrong.zh == fact.answer.zh or wrong.en == fact.answer.en:
                    error(where.fact(i, "wrong", j), "a wrong answer repeats the right answer")

    for i, section in enumerate(kb.sections):
        if section.id not in used_sections:
            warning(where.section(i, "id"), f"section '{section.id}' has no facts")
    return sorted(problems, key=lambda p: p.where)


def _check_pinyin(term: Term, at: Location) -> list[Problem]:
    syllables = override_syllables(term.pinyin or "")
    hanzi = HAN.findall(term.zh)
    problems = []
    bad = [s for s in syllables if not is_syllable(s)]
    if bad:
        problems.append(Problem(at, f"not a pinyin syllable: {bad[0]!r}"))
    if len(syllables) != len(hanzi):
        problems.append(Problem(at, f"pinyin has {len(syllables)} syllables but '{term.zh}' "
                                    f"has {len(hanzi)} Chinese characters"))
    return problems
