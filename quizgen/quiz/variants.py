"""Putting a quiz set together: which facts, which questions, and the shuffled variants."""

from __future__ import annotations

import difflib
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import QuizgenError
from ..model import KINDS, KnowledgeBase
from .bank import Bank, Candidate, Question, build_bank
from .distractors import norm
from .options import QuizOptions

LETTERS = "ABCDEF"
LABELS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class NoQuestions(QuizgenError):
    """The selected facts yield no quiz at all (a build still writes the deck)."""


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
    # Questions the bank would not ask, and why: "<fact id>:<form>" -> reason.
    skipped: tuple[tuple[str, str], ...] = ()


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
            if (not quiz_only or quizzable(f, options))
            and (not sections or f.section in sections)
            and (not kinds or f.kind in kinds)
            and (not tags or tags.intersection(f.tags))]


def quizzable(fact, options: QuizOptions) -> bool:
    """False for a fact kept out of quizzes: by `quiz: false`, or by one of the tags the quiz
    settings exclude (e.g. the compilers' credits)."""
    return fact.quiz and not set(options.exclude_tags).intersection(fact.tags)


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


# How much each kind weighs when a quiz is put together: claims are what the text argues,
# dates and lists what it lays out; terms are many but each says little.
KIND_WEIGHTS = {"claim": 2.0, "list": 1.5, "event": 1.5, "figure": 1.0, "person": 1.0,
                "work": 1.0, "org": 1.0, "term": 1.0}
# Tags of facts a quiz asks about last: words a reader knows without the text.
LAST_TAGS = frozenset({"general"})


def quotas(sizes: dict[str, int], count: int) -> dict[str, int]:
    """How many questions each kind gets: in proportion to its weight times the square root
    of how many facts it has (so that a kind with many small facts does not crowd out the
    rest), at least one for every kind where `count` allows, at most one per fact."""
    kinds = [k for k, n in sizes.items() if n]
    count = min(count, sum(sizes.values()))
    share = {k: KIND_WEIGHTS.get(k, 1.0) * sizes[k] ** 0.5 for k in kinds}
    out = {k: 0 for k in kinds}
    if count >= len(kinds):
        out = {k: 1 for k in kinds}
    while sum(out.values()) < count:
        open_ = [k for k in kinds if out[k] < sizes[k]]
        total = sum(share[k] for k in open_)
        # Largest remainder, one question at a time: the kind furthest below its share.
        k = max(open_, key=lambda k: (share[k] / total * count - out[k], share[k], k))
        out[k] += 1
    return out


def choose(bank: Bank, count: int, rng: random.Random,
           favour: frozenset[str] = frozenset()) -> list[Candidate]:
    """Up to `count` candidates, one per fact at most: stratified across kinds (`quotas`),
    within a kind spread over the sections in turn, and each kind's forms taken in turn (so
    that events are asked by year as well as by happening). Only those are written out."""
    # Facts to favour (the group's review list) come first, whatever their kind's share.
    first = [f for f in bank.forms if f in favour][:count]
    if first:
        rest = choose(_without(bank, first), count - len(first), rng) if count > len(first) \
            else []
        return [bank.candidate(f, bank.forms[f][0]) for f in first] + rest
    by_kind: dict[str, dict[str, list[str]]] = {}
    for fact_id in bank.forms:
        fact = bank.fact(fact_id)
        by_kind.setdefault(fact.kind, {}).setdefault(fact.section, []).append(fact_id)
    sizes = {kind: sum(map(len, sections.values())) for kind, sections in by_kind.items()}
    chosen: list[tuple[str, str]] = []
    for kind, quota in sorted(quotas(sizes, count).items()):
        sections = by_kind[kind]
        queues = []
        for section in sorted(sections):
            ids = sections[section]
            rng.shuffle(ids)
            ids.sort(key=lambda i: bool(LAST_TAGS.intersection(bank.fact(i).tags)))
            queues.append(ids)
        rng.shuffle(queues)
        picked: list[str] = []
        while len(picked) < quota:
            for queue in queues:
                if queue and len(picked) < quota:
                    picked.append(queue.pop(0))
        forms = sorted({form for fact_id in picked for form in bank.forms[fact_id]})
        rng.shuffle(forms)
        for i, fact_id in enumerate(picked):
            own = bank.forms[fact_id]
            # The next form in turn that this fact has.
            turn = next((forms[(i + j) % len(forms)] for j in range(len(forms))
                         if forms[(i + j) % len(forms)] in own), own[0])
            chosen.append((fact_id, turn))
    return [bank.candidate(fact_id, form) for fact_id, form in chosen]


def _without(bank: Bank, fact_ids: list[str]):
    """The bank as `choose` sees it, less some facts (a view: the bank is not changed)."""
    class View:
        forms = {f: v for f, v in bank.forms.items() if f not in fact_ids}
        fact = staticmethod(bank.fact)
        candidate = staticmethod(bank.candidate)

    return View()


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
                 rng: random.Random, number: int = 0) -> Variant:
    """The questions in a new order, their options shuffled and the right letters balanced.
    Numbers stay ascending; variant `number` moves each number question's answer one place
    on from the last variant's (with other wrong numbers), so that its letter differs too."""
    order = list(questions)
    rng.shuffle(order)
    numbers: dict[str, tuple] = {}
    for q in order:
        if q.ordered:
            base = q.options.index(q.answer)
            numbers[q.id] = q.options_at((base + number) % n_options)
    fixed = [numbers[q.id][1] if q.ordered else None for q in order]
    letters = balanced_letters(fixed, n_options, rng)
    items = []
    for question, letter in zip(order, letters):
        if question.ordered:
            items.append(Item(question, numbers[question.id][0], letter))
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
        raise NoQuestions("no facts to ask about: " + _describe_filters(options, kb))
    bank = build_bank(kb, facts, options.options, lambda f: quizzable(f, options))
    if not bank.forms:
        count = len(facts)
        raise NoQuestions(f"no questions with {options.options} options can be made from the "
                          f"{count} selected fact{'s' * (count != 1)}: there are too few facts "
                          "of the same kind to draw wrong options from, and too few written "
                          "under `wrong:`; try fewer --options or a wider selection")
    need = options.options - 1
    questions: list[Question] = []
    position: dict[str, tuple[int, str]] = {}
    left_out: dict[str, str] = {}  # question id -> why this quiz does not ask it
    favour = frozenset(kb.review) if options.focus == "review" else frozenset()
    chosen = choose(bank, options.questions, _rng(options.seed, "choose"), favour)
    for attempt in range(len(bank.forms) + 1):  # each round asks or sets aside a fact
        ranks = iter(balanced_ranks(sum(c.ordered for c in chosen), options.options,
                                    _rng(options.seed, "ranks", attempt or "")))
        for candidate in chosen:
            rank = next(ranks) if candidate.ordered else 0
            question = candidate.finish(need, _rng(options.seed, candidate.id), rank)
            if question is None:  # rare: the bank's judgment could not foresee it
                bank.drop(candidate.fact_id, candidate.form,
                          "no wrong options could be found that keep the rules")
            elif any(_leaks(question, other) or _leaks(other, question) for other in questions):
                left_out[candidate.id] = "its answer stands in another question of this quiz"
            else:
                questions.append(question)
                position[question.id] = (candidate.position, candidate.id)
        if len(questions) == options.questions:
            break
        chosen = _replacements(bank, chosen, questions, left_out, options)
        if not chosen:
            break
    questions.sort(key=lambda q: position[q.id])
    variants = tuple(make_variant(LABELS[i], questions, options.options,
                                  _rng(options.seed, "variant", i), i)
                     for i in range(options.variants))
    return QuizSet(tuple(questions), variants, tuple(facts), tuple(bank.unaskable),
                   options.questions, tuple(bank.skipped.items()) + tuple(left_out.items()))


def _replacements(bank: Bank, tried: Sequence[Candidate], asked: Sequence[Question],
                  left_out: dict[str, str], options: QuizOptions) -> list[Candidate]:
    """Candidates for the places `tried` could not fill: for each, another fact of the same
    kind where there is one, else of the kind the quiz has fewest questions of; never a fact
    asked or set aside already."""
    missing = options.questions - len(asked)
    done = {q.fact_id for q in asked} | {i.split(":")[0] for i in left_out}
    pool = [c for c in choose(bank, len(bank.forms), _rng(options.seed, "choose"))
            if c.fact_id not in done]
    filled = {q.id for q in asked}
    kinds = Counter(c.kind for c in tried if c.id not in filled)
    have = Counter(q.kind for q in asked)
    out = []
    for kind in [*kinds.elements(), *[None] * missing][:missing]:
        pick = next((c for c in pool if c.kind == kind), None) or min(
            pool, key=lambda c: have[c.kind], default=None)
        if pick is not None:
            pool.remove(pick)
            out.append(pick)
            have[pick.kind] += 1
    return out


def _leaks(question: Question, other: Question) -> bool:
    """True if `other` gives `question` away: its stem or a text option holds `question`'s
    answer, or names what `question` asks about (a quiz must not answer one of its questions
    in another)."""
    stems = (norm(other.stem.zh), norm(other.stem.en))
    # Its answer, in the other's stem or answer; what it asks about, in any of the other's
    # texts (its context there is what the question asks for).
    shown = (*stems, *other.answer.keys)
    named = (*stems, *(key for c in other.options if c.value is None for key in c.keys))
    return (any(len(key) >= 2 and any(key in text for text in shown)
                for key in question.answer.keys)
            or any(len(key) >= 2 and any(key in text for text in named)
                   for key in question.subject))


def _describe_filters(options: QuizOptions, kb: KnowledgeBase) -> str:
    parts = []
    for name, values in (("section", options.sections), ("kind", options.kinds),
                         ("tag", options.tags)):
        if values:
            parts.append(f"{name} {', '.join(values)}")
    kept_out = filter_facts(kb, options, quiz_only=False)
    excluded = f"quiz: false, or a tag the quiz excludes: {', '.join(options.exclude_tags)}" \
        if options.exclude_tags else "quiz: false"
    if not parts:
        if not kb.facts:
            return "the KB has no facts"
        return f"every fact of the KB is kept out of quizzes ({excluded})"
    if kept_out:
        return (f"{len(kept_out)} fact{'s' * (len(kept_out) != 1)} "
                f"match{'es' * (len(kept_out) == 1)} "
                f"{' and '.join(parts)}, but all are kept out of quizzes ({excluded})")
    return "no fact matches " + " and ".join(parts)
