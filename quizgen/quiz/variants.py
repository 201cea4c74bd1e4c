"""Putting a quiz set together: which facts, which questions, and the shuffled variants."""

from __future__ import annotations

import difflib
import random
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import QuizgenError
from ..model import KINDS, KnowledgeBase
from .bank import Bank, Candidate, Question, build_bank
from .options import QuizOptions

LETTERS = "ABCDEF"
LABELS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class Item:
    """A question as one variant shows it: its options in order, and which one is right."""

    question: Question
    options: tuple  # of Choice
    answer: int  # index into options

    @property
    def letter(self) -> str:
        return LETTERS[self.answer]


@dataclass(frozen=True)
class Variant:
    label: str  # "A", "B", ...
    items: tuple[Item, ...]


@dataclass(frozen=True)
class QuizSet:
    questions: tuple[Question, ...]  # in KB order
    variants: tuple[Variant, ...]
    facts: tuple  # the facts that passed the filters, in KB order
    unaskable: tuple[str, ...]  # ids of facts that yield no question
    requested: int


def _rng(seed: int, *purpose: object) -> random.Random:
    """A generator for one purpose: adding a variant or a question does not change the
    random choices made for the others."""
    return random.Random(":".join(map(str, (seed, *purpose))))


def filter_facts(kb: KnowledgeBase, options: QuizOptions, quiz_only: bool = True) -> list:
    """The facts the options select, in KB order; an error names an unknown section or kind."""
    sections = _resolve_sections(kb, options.sections)
    for kind in options.kinds:
        if kind not in KINDS:
            raise QuizgenError(f"unknown kind '{kind}'{_did_you_mean(kind, KINDS)} "
                               f"(kinds: {', '.join(KINDS)})")
    known_tags = {tag for fact in kb.facts for tag in fact.tags}
    for tag in options.tags:
        if tag not in known_tags:
            raise QuizgenError(f"no fact has the tag '{tag}'{_did_you_mean(tag, known_tags)}")
    kinds, tags = set(options.kinds), set(options.tags)
    return [f for f in kb.facts
            if (f.quiz or not quiz_only)
            and (not sections or f.section in sections)
            and (not kinds or f.kind in kinds)
            and (not tags or tags.intersection(f.tags))]


def _resolve_sections(kb: KnowledgeBase, wanted: Sequence[str]) -> set[str]:
    by_number = {str(s.number): s.id for s in kb.sections}
    ids = {s.id for s in kb.sections}
    out = set()
    for name in wanted:
        if name in ids:
            out.add(name)
        elif name in by_number:
            out.add(by_number[name])
        else:
            raise QuizgenError(f"unknown section '{name}'{_did_you_mean(name, ids)} (sections: "
                               + ", ".join(f"{s.number} {s.id}" for s in kb.sections) + ")")
    return out


def _did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def choose(bank: Bank, count: int, rng: random.Random) -> list[Candidate]:
    """Up to `count` candidates, spread over as many facts as possible: one question per fact
    (facts in random order) before any fact gets a second one. Only those are written out."""
    by_fact = {fact_id: list(forms) for fact_id, forms in bank.forms.items()}
    fact_ids = list(by_fact)
    rng.shuffle(fact_ids)
    for fact_id in fact_ids:
        rng.shuffle(by_fact[fact_id])
    chosen: list[tuple[str, str]] = []
    most = max(map(len, by_fact.values()), default=0)
    round_ = 0
    while len(chosen) < count and round_ < most:
        for fact_id in fact_ids:
            if len(chosen) == count:
                break
            if len(by_fact[fact_id]) > round_:
                chosen.append((fact_id, by_fact[fact_id][round_]))
        round_ += 1
    return [bank.candidate(fact_id, form) for fact_id, form in chosen]


def balanced_ranks(count: int, n_options: int, rng: random.Random) -> list[int]:
    """Target places of the answer among ascending options: each place equally often."""
    ranks = [i % n_options for i in range(count)]
    rng.shuffle(ranks)
    return ranks


def balanced_letters(fixed: Sequence[int | None], n_options: int,
                     rng: random.Random) -> list[int]:
    """A letter for every question: `fixed` ones keep theirs (numbers in ascending order),
    each free one gets a letter used least so far, so the counts differ by at most one
    wherever the fixed ones allow it."""
    counts = [0] * n_options
    for letter in fixed:
        if letter is not None:
            counts[letter] += 1
    free = []
    for _ in range(sum(letter is None for letter in fixed)):
        least = min(counts)
        letter = rng.choice([i for i, c in enumerate(counts) if c == least])
        counts[letter] += 1
        free.append(letter)
    rng.shuffle(free)
    it = iter(free)
    return [next(it) if letter is None else letter for letter in fixed]


def make_variant(label: str, questions: Sequence[Question], n_options: int,
                 rng: random.Random) -> Variant:
    order = list(questions)
    rng.shuffle(order)
    fixed = [q.options.index(q.answer) if q.ordered else None for q in order]
    letters = balanced_letters(fixed, n_options, rng)
    items = []
    for question, letter in zip(order, letters):
        if question.ordered:
            items.append(Item(question, question.options, letter))
            continue
        wrong = list(question.distractors)
        rng.shuffle(wrong)
        wrong.insert(letter, question.answer)
        items.append(Item(question, tuple(wrong), letter))
    return Variant(label, tuple(items))


def build_quiz_set(kb: KnowledgeBase, options: QuizOptions) -> QuizSet:
    """The questions and variants `options` ask for; an error if the filters leave none."""
    facts = filter_facts(kb, options)
    if not facts:
        raise QuizgenError("no facts to ask about: " + _describe_filters(options, kb))
    bank = build_bank(kb, facts, options.options)
    if not bank.forms:
        raise QuizgenError(f"no questions with {options.options} options can be made from the "
                           f"{len(facts)} selected facts ({_describe_filters(options, kb)}): there "
                           "are too few facts of the same kind to draw wrong options from; "
                           "try fewer --options or a wider selection")
    need = options.options - 1
    chosen = choose(bank, options.questions, _rng(options.seed, "choose"))
    ranks = iter(balanced_ranks(sum(c.ordered for c in chosen), options.options,
                                _rng(options.seed, "ranks")))
    questions = []
    for candidate in chosen:
        rank = next(ranks) if candidate.ordered else 0
        question = candidate.finish(need, _rng(options.seed, candidate.id), rank)
        if question is not None:  # viable() vouched for it; this is only a safeguard
            questions.append(question)
    position = {c.id: (c.position, c.id) for c in chosen}
    questions.sort(key=lambda q: position[q.id])
    variants = tuple(make_variant(LABELS[i], questions, options.options,
                                  _rng(options.seed, "variant", i))
                     for i in range(options.variants))
    return QuizSet(tuple(questions), variants, tuple(facts), tuple(bank.unaskable),
                   options.questions)


def _describe_filters(options: QuizOptions, kb: KnowledgeBase) -> str:
    parts = []
    for name, values in (("section", options.sections), ("kind", options.kinds),
                         ("tag", options.tags)):
        if values:
            parts.append(f"{name} {', '.join(values)}")
    if not parts:
        return "every fact of the KB has quiz: false" if kb.facts else "the KB has no facts"
    return "no fact matches " + " and ".join(parts)
