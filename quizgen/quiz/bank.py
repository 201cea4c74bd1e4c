"""The question bank: every multiple-choice question the facts of a KB can yield.

Questions are language-neutral (every text in both languages) and keep the pools their wrong
options are drawn from; which options a quiz shows is decided when the quiz is put together
(`Candidate.finish`), so that the same question reads the same in every language.
Wrong options follow the item-writing rules of Haladyna, Downing & Rodriguez (2002): the
author's own wrong answers (`wrong:`) first, then facts of the same kind and class (years for
years, films for a film), never facts kept out of quizzes, never another answer that would
also be right; homogeneous in length (`pick_text`); numbers within a plausible band of the key
and years in a window around it that the event could have happened in. A question whose
answer can be read from its stem is not asked: it is skipped, with the reason.

The pools of each kind are built once per bank and shared by its questions. Every fact is
judged (can it be asked, and in which forms?) by looking at no more of a pool than it must: a
few options, found through indexes, in time that does not grow with the KB. A question is only
written, and its options only ordered or gathered in full, when a quiz asks it.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, islice
from typing import NamedTuple

from ..model import Claim, Event, Figure, KnowledgeBase, ListFact, Named, Term
from ..wording import event_date, figure_text
from ..hanzi import spaced
from .distractors import (
    Choice, Distinct, Numbers, Pair, covering, distinct, figure_distance, figure_perturbations,
    YEAR_WINDOW, longest_in, nearest_first, norm, ordered_options, pick_text,
    plausible_number, year_choice, year_numbers,
)

# Where else wrong options could come from, by kind (for the reason a question is skipped).
_MORE_OPTIONS = {"list": ", or give the list a `category:` shared with like lists",
                 "person": ", or a `type:` shared with others", "work": ", or a `type:` shared "
                 "with others", "org": ", or a `type:` shared with others"}
_PER_WORD = 24  # options looked at per echoed word (see `_Builder._having`)
FIGURE_SPREAD = 0.7  # just over ln 2: KB figures beyond ×0.5–×2 are no plausible option
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'-]{2,}")
# Words any question may share with its answer without giving it away.
COMMON_WORDS = frozenset("""the and for was are its his her what which who does did how that this
with from not one these when according why has have had than into about they them their there
been would can could should will term means english chinese year happened following""".split())


@dataclass(frozen=True)
class Question:
    """A finished question: its stem, the right option and the wrong ones."""

    id: str  # "<fact id>:<form>"
    fact_id: str
    kind: str
    form: str
    section: str
    stem: Pair
    answer: Choice
    distractors: tuple[Choice, ...]
    explanation: Pair
    # Years and numbers keep ascending order; everything else is shuffled per variant.
    ordered: bool = False
    # Options in a fixed language ("en" for "the English for 感知器 is ..."), or None for the
    # quiz's language.
    option_lang: str | None = None
    # For numbers: every wrong one below and above the answer, in the order they are taken,
    # so that each variant can place the answer elsewhere (`options_at`).
    below: tuple[Choice, ...] = ()
    above: tuple[Choice, ...] = ()
    # What an organiser may want to look at before printing (see `FLAGS`).
    flags: tuple[str, ...] = ()
    subject: tuple[str, ...] = ()  # see `Candidate.subject`

    @property
    def options(self) -> tuple[Choice, ...]:
        """All options: ascending for ordered questions, else the answer first."""
        if self.ordered:
            return tuple(sorted((self.answer, *self.distractors), key=_value))
        return (self.answer, *self.distractors)

    def options_at(self, rank: int) -> tuple[tuple[Choice, ...], int]:
        """For numbers: the options, ascending, with the answer at `rank` (0 = the smallest)
        or as near it as the wrong ones allow; and the rank used."""
        return ordered_options(self.answer, self.below, self.above, len(self.distractors), rank)


# Review flags: what each means, for the organiser's review list and quiz.json.
FLAGS = {
    "key-longest": "the answer is the longest option",
    "made-up-numbers": "some wrong numbers are made up, not from the text",
    "other-facts": "wrong options come from other facts, none written for this one",
    "echo": "the answer repeats a word of the question that no wrong option has",
}


def _value(choice: Choice) -> float:
    return choice.value if choice.value is not None else 0.0


class Pools(NamedTuple):
    """Where the options of one question come from. (A tuple: one is made for every form of
    every fact, so it has to be cheap.)"""

    # Any one of them is right (e.g. each item of a list); read again each time it is needed.
    answers: Iterable[Choice]
    # Wrong options, best tier first. Tiers are shared between questions of a kind, so they
    # may hold the answer itself; `distinct` drops it. The first tier is the author's own.
    tiers: tuple[Sequence[Choice], ...] = ()
    avoid: tuple[Choice, ...] = ()  # other right answers: no wrong option may match one
    numbers: Numbers | None = None  # for numbers: wrong ones below and above
    option_lang: str | None = None
    written: tuple[Choice, ...] = ()  # the author's own wrong answers, for the review flags
    # (tier, words) -> the options of the tier with any of the words, through an index.
    having: Callable[[Sequence[Choice], set[str]], Iterable[Choice]] | None = None

    def viable(self, need: int) -> bool:
        """True if there are `need` distinct wrong options to choose from."""
        first = next(iter(self.answers), None)
        if first is None:
            return False
        if self.numbers is not None:
            return self.numbers.enough(need)
        pool = distinct(chain.from_iterable(self.tiers), (first, *self.avoid), limit=need)
        return len(pool) >= need


@dataclass(frozen=True)
class Candidate:
    """A question the bank can ask, with the pools its options may come from."""

    id: str
    fact_id: str
    kind: str
    form: str
    section: str
    position: int  # of the fact in the KB, for a stable order
    stem: Pair
    explanation: Pair
    pools: Pools
    # What the question is about, where another question naming it would give it away: a
    # person, work or organisation asked for by its name ("Who is X?").
    subject: tuple[str, ...] = ()

    @property
    def ordered(self) -> bool:
        return self.pools.numbers is not None

    def viable(self, need: int) -> bool:
        return self.pools.viable(need)

    def finish(self, need: int, rng: random.Random, rank: int = 0) -> Question | None:
        """The question with its right option and `need` wrong ones; None if they cannot be
        found. For numbers, `rank` is where the answer should land among the options."""
        pools = self.pools
        answers = list(pools.answers)
        rng.shuffle(answers)
        for answer in answers[:8]:
            flags = []
            below: tuple[Choice, ...] = ()
            above: tuple[Choice, ...] = ()
            if pools.numbers is not None:
                low_side, high_side = pools.numbers.sides()
                below, above = low_side.ranked(need, rng), high_side.ranked(need, rng)
                if len(below) + len(above) < need:
                    continue
                options, _ = ordered_options(answer, below, above, need, rank)
                wrong = tuple(c for c in options if c is not answer)
                if any(c in low_side.made_up or c in high_side.made_up for c in wrong):
                    flags.append("made-up-numbers")
            else:
                shared = _shared_words(self.stem, answer, pools.option_lang)
                wrong = pick_text(answer, pools.tiers, need, rng, pools.avoid, cover=(
                    shared, lambda c: _words_of(c, pools.option_lang), pools.having))
                if wrong is None or _echo_left(shared, wrong, pools.option_lang):
                    continue
                if longest_in(answer, wrong):
                    flags.append("key-longest")
                if self.kind == "list" and not (set(wrong) | {answer}) & set(pools.written):
                    flags.append("other-facts")
                if _echo_left(shared, wrong, pools.option_lang):
                    flags.append("echo")
            return Question(self.id, self.fact_id, self.kind, self.form, self.section,
                            self.stem, answer, wrong, self.explanation, self.ordered,
                            pools.option_lang, below, above, tuple(flags), self.subject)
        return None


def _echoes(stem: Pair, pools: Pools, need: int) -> str | None:
    """Why the answer can be read from the stem, as a reader of either language sees them:
    it stands in the stem, or it repeats a word of the stem that no wrong option can; None
    if it cannot."""
    for answer in islice(pools.answers, 8):  # as many as `finish` tries
        for lang in ("zh", "en"):
            shown = norm(getattr(answer, pools.option_lang or lang))
            if len(shown) >= 2 and shown in norm(getattr(stem, lang)):
                return "its answer stands in the question"
    first = next(iter(pools.answers), None)
    shared = set() if first is None else _shared_words(stem, first, pools.option_lang)
    if shared and pools.numbers is None:
        _, left = covering(first, pools.tiers, need, random.Random(0), pools.avoid, (
            shared, lambda c: _words_of(c, pools.option_lang), pools.having))
        if left:
            return (f"its answer repeats '{sorted(left)[0]}' from the question and too few "
                    "wrong options do")
    return None


def _echo_left(shared: set[str], wrong: Sequence[Choice], option_lang: str | None) -> bool:
    """True if the answer repeats a word of the stem that none of `wrong` has."""
    return bool(shared - set().union(*(_words_of(c, option_lang) for c in wrong)))


def _words_of(choice: Choice, option_lang: str | None) -> frozenset[str]:
    """The Latin words of 3+ letters of an option as it is shown, in lower case."""
    if option_lang == "en":
        return _latin_words(choice.en)
    if option_lang == "zh":
        return _latin_words(choice.zh)
    return _latin_words(choice.zh) | _latin_words(choice.en)


@lru_cache(maxsize=65536)
def _latin_words(text: str) -> frozenset[str]:
    """Lower case, a plural's "s" dropped ("messages" echoes "message")."""
    words = {w.lower() for w in _WORD.findall(text)} - COMMON_WORDS
    return frozenset(w[:-1] if len(w) > 4 and w.endswith("s") and not w.endswith("ss")
                     else w for w in words)


def _shared_words(stem: Pair, answer: Choice, option_lang: str | None) -> set[str]:
    """Words of the stem that the answer repeats: a cue, unless wrong options share them."""
    stem_words = {w.lower() for w in _WORD.findall(f"{stem.zh} {stem.en}")} - COMMON_WORDS
    return stem_words & _words_of(answer, option_lang)


class Bank:
    """The questions some facts can yield: which forms of each fact can be asked, judged for
    every fact, and the questions themselves, made when they are asked for. (Only the forms
    are kept: holding the pools of every fact would only make work for the garbage collector,
    and those of a question that is asked are quick to make again.)"""

    def __init__(self, builder: _Builder, facts: Sequence):
        self._builder = builder
        self._facts = {}
        # Fact id -> the forms it can be asked in, in the order the bank makes them; facts that
        # yield none are left out.
        self.forms: dict[str, tuple[str, ...]] = {}
        # Facts that can be asked about but yield no question.
        self.unaskable: list[str] = []
        # Questions not asked, and why: "<fact id>:<form>" -> reason.
        self.skipped: dict[str, str] = {}
        # The wording of the facts judged so far, kept for the questions a quiz asks.
        self._words: dict[str, Words] = {}
        for fact in facts:
            words = None
            forms = []
            for form, pools in builder.pools(fact):
                words = words or builder.words(fact)
                reason = _echoes(words[0][form], pools, builder.need)
                if reason is None and not pools.viable(builder.need):
                    reason = (f"fewer than {builder.need} good wrong options (write them "
                              "under `wrong:`" + _MORE_OPTIONS.get(fact.kind, "") + ")")
                if reason is None:
                    forms.append(form)
                else:
                    self.skipped[f"{fact.id}:{form}"] = reason
            forms = tuple(forms)
            if words is not None and forms:
                self._words[fact.id] = words
            if forms:
                self._facts[fact.id] = fact
                self.forms[fact.id] = forms
            else:
                self.unaskable.append(fact.id)

    def drop(self, fact_id: str, form: str, reason: str) -> None:
        """Ask `fact_id` no more in `form`, for `reason`."""
        forms = tuple(f for f in self.forms.get(fact_id, ()) if f != form)
        self.skipped[f"{fact_id}:{form}"] = reason
        if forms:
            self.forms[fact_id] = forms
        else:
            self.forms.pop(fact_id, None)
            self.unaskable.append(fact_id)

    def fact(self, fact_id: str):
        """One of the facts `forms` lists."""
        return self._facts[fact_id]

    def candidate(self, fact_id: str, form: str) -> Candidate:
        """One of the questions `forms` lists, made."""
        made = next((c for c in self._candidates(fact_id) if c.form == form), None)
        if made is None:
            raise KeyError(f"{fact_id} yields no question of the form {form!r}")
        return made

    def _candidates(self, fact_id: str) -> Iterator[Candidate]:
        fact = self._facts[fact_id]
        stems, explanation = self._words.get(fact_id) or self._builder.words(fact)
        position = self._builder.position.get(id(fact), 0)
        for form, pools in self._builder.pools(fact):
            if form in self.forms[fact_id]:
                subject = (self._builder.keys(fact.name)
                           if form == "role" and isinstance(fact, Named) else ())
                yield Candidate(f"{fact_id}:{form}", fact_id, fact.kind, form, fact.section,
                                position, stems[form], explanation, pools, subject)

    @property
    def candidates(self) -> list[Candidate]:
        """Every question of the bank, made (a quiz needs only those it asks)."""
        return [c for fact_id in self.forms for c in self._candidates(fact_id)]


def build_bank(kb: KnowledgeBase, facts: Sequence, options: int,
               eligible=lambda fact: fact.quiz) -> Bank:
    """The questions `facts` can yield with `options` options each; wrong options may come
    from any fact of the KB that is `eligible` (by default: not `quiz: false`). Facts kept
    out of quizzes are expected to be filtered out already."""
    return Bank(_Builder(kb, options - 1, eligible), facts)


def _pair(text) -> Pair:
    return Pair(text.zh, text.en)


def _bare(text: str) -> str:
    """A text without its closing punctuation, to be quoted inside a question."""
    return text.rstrip("。．.！!？?；;，, ")


def _explained(summary: Pair, fact) -> Pair:
    """The summary of a fact, followed by its own explanation if it has one."""
    if fact.explanation is None:
        return summary
    return Pair(f"{_bare(summary.zh)}。{fact.explanation.zh}",
                f"{_bare(summary.en)}. {fact.explanation.en}")


def _top(f: Figure) -> float:
    return f.upto if f.upto is not None else f.value


class _Index:
    """Things filed under keys: the other right answers of a question, found without a scan
    of every fact of the kind."""

    def __init__(self) -> None:
        self._by_key: dict[object, list] = defaultdict(list)

    def add(self, keys: Iterable[object], thing) -> None:
        for key in set(keys):
            self._by_key[key].append(thing)

    def get(self, keys: Iterable[object]) -> tuple:
        return tuple(chain.from_iterable(self._by_key.get(k, ()) for k in set(keys)))


Forms = Iterator[tuple[str, Pools]]  # each form a fact can be asked in, with its pools
Words = tuple[dict[str, Pair], Pair]  # the stem of each form, and the explanation


class _Builder:
    """The pools of each kind, built once; for each fact, the pools of its questions
    (`pools`) and their wording (`words`)."""

    def __init__(self, kb: KnowledgeBase, need: int, eligible=lambda fact: fact.quiz):
        self.need = need
        self._choices: dict[tuple[str, str], Choice] = {}
        self._word_indexes: dict[tuple[int, str | None], tuple] = {}
        self._having_by_lang: dict = {}
        self.position = {id(f): i for i, f in enumerate(kb.facts)}
        # Facts kept out of quizzes stay out of the options too. Wrong options come from every
        # fact of the kind, not only the selected ones: a quiz on one section still gets
        # plausible options from the others.
        self.by_kind: dict[str, list] = defaultdict(list)
        for fact in kb.facts:
            if eligible(fact):
                self.by_kind[fact.kind].append(fact)

        terms = self.by_kind["term"]
        self.terms = tuple(self.choice(t) for t in terms)
        self.terms_by_definition = _Index()
        for t in terms:
            self.terms_by_definition.add(self.keys(t.definition), self.choice(t))

        # List items by the category of their list (lists without one share the key None).
        self.list_items: dict[object, tuple[Choice, ...]] = defaultdict(tuple)
        for f in self.by_kind["list"]:
            if f.category is not None:
                self.list_items[self.category_key(f)] += tuple(self.choice(i) for i in f.items)

        events = self.by_kind["event"]
        self.latest = max((e.year for e in events), default=1)
        self.event_whats = tuple(self.choice(e.what) for e in events)
        self.events_by_year = _Index()
        self.event_years: dict[str, int] = {}  # an event's text (normalised) -> its year
        for e in events:
            self.events_by_year.add(range(*_period(e)), self.choice(e.what))
            self.event_years[self.keys(e.what)[0]] = e.year
        # The years of events and of decades, ascending, each once.
        self.years = {decade: sorted({e.year for e in events if e.decade == decade})
                      for decade in (False, True)}

        # Figures by group, then by value: each value once, ascending, with its figures in KB
        # order (where a stable sort by value would leave them).
        by_value: dict[tuple, dict[float, list[Figure]]] = defaultdict(lambda: defaultdict(list))
        for f in self.by_kind["figure"]:
            by_value[self.figure_group(f)][f.value].append(f)
        self.figures = {group: (sorted(values), [values[v] for v in sorted(values)])
                        for group, values in by_value.items()}
        self._figure_choices: dict[tuple, Choice] = {}

        self.named: dict[str, dict[str, object]] = {}
        for kind in ("person", "work", "org"):
            entries = self.by_kind[kind]
            by_name, by_role = _Index(), _Index()
            alike: dict[tuple, dict[str, list[Choice]]] = defaultdict(
                lambda: {"names": [], "roles": []})
            for n in entries:
                by_name.add(self.keys(n.name), self.choice(n.role))
                by_role.add(self.keys(n.role), self.choice(n.name))
                if self.type_key(n) is not None:
                    alike[self.type_key(n)]["names"].append(self.choice(n.name))
                    alike[self.type_key(n)]["roles"].append(self.choice(n.role))
            self.named[kind] = {
                "names": tuple(self.choice(n.name) for n in entries),
                "roles": tuple(self.choice(n.role) for n in entries),
                "by_name": by_name, "by_role": by_role,
                # Entries of each type (films, novels), as names and as roles.
                "alike": {key: {k: tuple(v) for k, v in pools.items()}
                          for key, pools in alike.items()},
            }

        claims = self.by_kind["claim"]
        self.claims_by_question = _Index()
        for c in claims:
            self.claims_by_question.add(self.keys(c.question), self.choice(c.answer))

    def choice(self, text) -> Choice:
        """The option that reads `text` (anything with `zh` and `en`): one object per text, so
        that its keys are worked out once however many pools hold it."""
        key = (text.zh, text.en)
        choice = self._choices.get(key)
        if choice is None:
            choice = self._choices[key] = Choice(spaced(text.zh), text.en)
        return choice

    def keys(self, text) -> tuple[str, str]:
        return self.choice(text).keys

    def written(self, fact) -> tuple[Choice, ...]:
        """The author's own wrong answers to `fact`."""
        return tuple(self.choice(w) for w in fact.wrong)

    def type_key(self, n: Named) -> tuple[str, str] | None:
        kind = getattr(n, "type", None)
        return None if kind is None else self.keys(kind)

    def category_key(self, f: ListFact) -> tuple[str, str] | None:
        return None if f.category is None else self.keys(f.category)

    def figure_group(self, f: Figure) -> tuple:
        """Figures that may stand in for each other: the same unit, and both ranges or neither."""
        return self.keys(f.unit), f.upto is None

    def pools(self, fact) -> Forms:
        """The forms `fact` can be asked in, each with the pools of its options."""
        for form, pools in self.MAKERS[fact.kind][0](self, fact):
            yield form, pools._replace(having=self._having(pools.option_lang))

    def _having(self, option_lang: str | None):
        """(tier, words) -> the options of a tier with any of the words, as `option_lang`
        shows them: through an index of each shared tier, built once (a tier may hold every
        fact of a kind), and by a look at each option of a small one."""
        cached_having = self._having_by_lang.get(option_lang)
        if cached_having is not None:
            return cached_having

        def having(tier: Sequence[Choice], words: set[str]) -> Iterator[Choice]:
            if len(tier) < 32:
                return (c for c in tier if words & _words_of(c, option_lang))
            key = (id(tier), option_lang)
            cached = self._word_indexes.get(key)
            if cached is None or cached[0] is not tier:
                index: dict[str, list[Choice]] = defaultdict(list)
                for c in tier:
                    for word in _words_of(c, option_lang):
                        index[word].append(c)
                cached = self._word_indexes[key] = (tier, index)
            # A few per word are choice enough; a word that many options share costs no more.
            return chain.from_iterable(cached[1].get(w, ())[:_PER_WORD] for w in sorted(words))
        self._having_by_lang[option_lang] = having
        return having

    def words(self, fact) -> Words:
        """How the questions about `fact` read: the stem of each form, and the explanation."""
        stems, explanation = self.MAKERS[fact.kind][1](self, fact)
        return {form: Pair(spaced(stem.zh), stem.en) for form, stem in stems.items()}, explanation

    # -- terms -----------------------------------------------------------------------------

    def term(self, t: Term) -> Forms:
        # Asked by what it means, never by its translation: a term's other language is found
        # word by word by anyone who knows both, and is what the deck's cards drill.
        me = (self.choice(t),)
        # Another term with the same definition would be right as well.
        yield "definition", Pools(me, (self.written(t), self.terms),
                                  self.terms_by_definition.get(self.keys(t.definition)))

    def term_words(self, t: Term) -> Words:
        explanation = _explained(Pair(f"{t.zh}（{t.en}）：{t.definition.zh}",
                                      f"{t.en} ({t.zh}): {t.definition.en}"), t)
        stems = {"definition": Pair(f"哪个术语的意思是“{_bare(t.definition.zh)}”？",
                                    f'Which term means "{_bare(t.definition.en)}"?')}
        return stems, explanation

    # -- lists -----------------------------------------------------------------------------

    def list(self, fact: ListFact) -> Forms:
        every = tuple(self.choice(i) for i in fact.items)
        items = distinct(every)
        written = self.written(fact)
        # Items of other lists of the same category; a list without one has only its
        # author's wrong items (items of any other list would be of another class).
        category = self.category_key(fact)
        others = () if category is None else self.list_items[category]
        # "Which is one of ...": no wrong option may be any of the items.
        yield "member", Pools(items, (written, others), every, written=written)
        # "Which is NOT one of ...": the right one is one the author wrote as wrong, else an
        # item of another list (any of them: found only for a question that is asked).
        yield "not-member", Pools(Distinct(written + others, every), ((), items),
                                  written=written)

    def list_words(self, fact: ListFact) -> Words:
        items = Pair("、".join(i.zh for i in fact.items), "; ".join(i.en for i in fact.items))
        if _ASKS_ZH.search(fact.prompt.zh):  # a question: its answer is the list
            summary = Pair(f"{_asked(fact.prompt.zh, '？')}答：{items.zh}",
                           f"{_asked(fact.prompt.en, '?')} {items.en}")
        else:
            summary = Pair(f"{_bare(fact.prompt.zh)}：{items.zh}",
                           f"{_bare(fact.prompt.en)}: {items.en}")
        explanation = _explained(summary, fact)
        return {"member": _list_stem(fact.prompt, member=True),
                "not-member": _list_stem(fact.prompt, member=False)}, explanation

    # -- events ----------------------------------------------------------------------------

    def event(self, e: Event) -> Forms:
        latest = e.not_after if e.not_after is not None else max(self.latest, e.year)
        yield "year", Pools((year_choice(e.year, e.decade),), numbers=year_numbers(
            e.year, e.decade, self.years[e.decade], latest, e.not_before or 1))
        # Other happenings of plausible years only (an OpenAI event is no option for "the
        # 1980s"), and nothing else from the same year (or decade).
        # (A decade's neighbours: the two decades either side.) The author's own wrong
        # happenings too, where they are happenings of the KB dated far away.
        window = 20 if e.decade else YEAR_WINDOW
        span = range(e.year - window, e.year + window + 10)
        nearby = self.events_by_year.get(span)
        written = tuple(w for w in self.written(e)
                        if self.event_years.get(w.keys[0], e.year) in span)
        yield "event", Pools((self.choice(e.what),), (written, nearby),
                             self.events_by_year.get(range(*_period(e))))

    def event_words(self, e: Event) -> Words:
        when = year_choice(e.year, e.decade)
        date = event_date(e)
        explanation = _explained(Pair(f"{date.zh}：{e.what.zh}", f"{date.en}: {e.what.en}"), e)
        what_zh, what_en = _bare(e.what.zh), _bare(e.what.en)
        if e.question is not None:
            year = _pair(e.question)
        elif e.decade:
            year = Pair(f"“{what_zh}”是在哪个年代？",
                        f"In which decade did this happen: {_lower_first(what_en)}?")
        else:
            year = Pair(f"“{what_zh}”是在哪一年？",
                        f"In which year did this happen: {_lower_first(what_en)}?")
        return {"year": year,
                "event": Pair(f"下列哪件事发生在 {when.zh}{'' if e.decade else ' 年'}？",
                              f"Which of these happened in {when.en}?")}, explanation

    # -- figures ---------------------------------------------------------------------------

    def figure(self, f: Figure) -> Forms:
        percent = f.unit.en.strip().lower() in ("%", "percent", "per cent") or f.unit.zh == "%"
        cap = 100.0 if percent and _top(f) <= 100 else None
        distance = figure_distance(f.value)
        values, figures = self.figures.get(self.figure_group(f), ((), ()))

        def known() -> Iterator[Choice]:
            # Other figures in the same unit and of the same shape (a range or a single
            # number) within the plausible band, nearest first, shown with this one's
            # qualifier so that "over" or "about" gives nothing away.
            for i in nearest_first(values, f.value, distance, FIGURE_SPREAD):
                for o in figures[i]:
                    if (o is not f and (cap is None or _top(o) <= cap)
                            and plausible_number(f.value, f.upto, o.value, o.upto)):
                        yield self.figure_choice(f, o.value, o.upto)

        def made_up() -> Iterator[Choice]:
            for v, u in figure_perturbations(f.value, f.upto, cap):
                yield self.figure_choice(f, v, u)

        written = []
        for w in f.wrong:  # the author's, where plausible (`quizgen check` warns of others)
            low, high = (w[0], w[1]) if isinstance(w, list) else (w, None)
            if plausible_number(f.value, f.upto, low, high):
                written.append(self.figure_choice(f, low, high))
        yield "value", Pools((self.figure_choice(f, f.value, f.upto),), numbers=Numbers(
            f.value, known(), made_up(), distance, written))

    def figure_words(self, f: Figure) -> Words:
        answer = self.figure_choice(f, f.value, f.upto)
        explanation = _explained(Pair(f"{_bare(f.measures.zh)}：{answer.zh}",
                                      f"{_bare(f.measures.en)}: {answer.en}"), f)
        if f.question is not None:
            stem = _pair(f.question)
        else:
            stem = Pair(f"{_bare(f.measures.zh)}是多少？", _what_is(f.measures.en))
        return {"value": stem}, explanation

    def figure_choice(self, f: Figure, value: float, upto: float | None) -> Choice:
        """`value` (to `upto`) in the words of `f`: its qualifier and unit. Each is written
        once per bank, however many questions offer it."""
        key = (value, upto, f.qualifier, f.unit.zh, f.unit.en)
        choice = self._figure_choices.get(key)
        if choice is None:
            text = figure_text(value, upto, f.qualifier, f.unit)
            choice = self._figure_choices[key] = Choice(text.zh, text.en, value, upto)
        return choice

    # -- people, works and organisations ---------------------------------------------------

    def named_entry(self, n: Named) -> Forms:
        pools = self.named[n.kind]
        # Only entries of the same type (films for a film, researchers for a researcher): a
        # language model offered as a film, or Einstein as the author of a 2015 manifesto,
        # is ruled out at a glance. An entry without a type has only its author's options.
        alike = pools["alike"].get(self.type_key(n), {"names": (), "roles": ()})
        # An entry under the same name (or with the same role) would make a second right one.
        yield "role", Pools((self.choice(n.role),), (self.written(n), alike["roles"]),
                            pools["by_name"].get(self.keys(n.name)))
        yield "name", Pools((self.choice(n.name),), ((), alike["names"]),
                            pools["by_role"].get(self.keys(n.role)))

    def named_entry_words(self, n: Named) -> Words:
        explanation = _explained(Pair(f"{n.name.zh}：{n.role.zh}（{n.why.zh}）",
                                      f"{n.name.en}: {n.role.en} ({n.why.en})"), n)
        role_zh, role_en = _bare(n.role.zh), _bare(n.role.en)
        who_zh, who_en, which_zh, which_en = {
            # Asked as the text presents it: "Who is Sam Altman?" invites what everyone knows.
            "person": (f"文中的{n.name.zh}是谁？", f"Who is {n.name.en} in the text?",
                       f"谁是{role_zh}？", f"Who is {role_en}?"),
            "work": (f"文中提到的{n.name.zh}是什么？", f"What is {n.name.en} in the text?",
                     f"下列哪一个是{role_zh}？", f"Which of these is {role_en}?"),
            "org": (f"文中提到的{n.name.zh}是什么？", f"What is {n.name.en} in the text?",
                    f"下列哪一个是{role_zh}？", f"Which of these is {role_en}?"),
        }[n.kind]
        return {"role": Pair(who_zh, who_en), "name": Pair(which_zh, which_en)}, explanation

    # -- claims ----------------------------------------------------------------------------

    def claim(self, c: Claim) -> Forms:
        # Only the author's wrong answers: the answers to other questions are of another
        # class, and any reader could tell them apart.
        yield "answer", Pools((self.choice(c.answer),), (self.written(c),),
                              self.claims_by_question.get(self.keys(c.question)))

    def claim_words(self, c: Claim) -> Words:
        stem = _pair(c.question)
        # Say whose claim it is, unless the question already does ("Brockman 认为…").
        if c.speaker and not any(len(word) >= 3 and word in stem.zh + stem.en
                                 for word in c.speaker.split()):
            en = stem.en
            first = en.split(" ", 1)[0]
            en = (f"According to {c.speaker}, {_lower_first(en)}" if first in _OPENERS
                  else f"According to {c.speaker}: {en}")
            stem = Pair(f"据 {c.speaker} 所说，{stem.zh}", en)
        explanation = _pair(c.answer) if c.explanation is None else _pair(c.explanation)
        return {"answer": stem}, explanation

    # Kind -> the methods that make the pools of its facts' questions, and their wording.
    MAKERS = {"term": (term, term_words), "list": (list, list_words),
              "event": (event, event_words), "figure": (figure, figure_words),
              "person": (named_entry, named_entry_words), "work": (named_entry, named_entry_words),
              "org": (named_entry, named_entry_words), "claim": (claim, claim_words)}


# Words an English question may start with that read on, in lower case, after
# "According to X, " (anything else, such as a name, keeps its capital after a colon).
_OPENERS = frozenset("""How What Why Which Who Whom Whose When Where Is Are Was Were Does Do Did
Can Could Should Would Will Has Have Had In On At For Besides If Over Under After Before During
Beyond Apart Since While Although Though As By From With Without To Of The A An Some Many Most
Any Each Every Compared Unlike Like Once Unless Until Among Between Instead Rather Today Now
Back Then Even Only Apart Given Looking Asked""".split())


def _lower_first(text: str) -> str:
    """'What is…' -> 'what is…', leaving names and acronyms ('GPT-2 is…', 'OpenAI') alone."""
    first = text.split(" ", 1)[0]
    if first[:1].isupper() and first[1:].islower():
        return text[0].lower() + text[1:]
    return text


_WH = re.compile(r"(how|what|which|when|who|where|why)\b", re.IGNORECASE)


def _what_is(measures: str) -> str:
    """'What is the size of the team?' from 'size of the team', 'the size of the team' or
    'how large the team was'."""
    text = _bare(measures)
    if _WH.match(text):
        return text[0].upper() + text[1:] + "?"
    if text.lower().startswith("the "):
        return f"What is {text}?"
    return f"What is the {text}?"


# A prompt is a question only if it ends as one: "少数几种方法" is a noun phrase.
_ASKS_ZH = re.compile(r"[？?]\s*$")


def _list_stem(prompt, member: bool) -> Pair:
    """A list's prompt may be a noun phrase ("the three core properties of deep learning") or
    a question ("Which stages does a project go through?"). A question stays as it is and is
    followed by the one asked here: it asks for the list, this for one item of it."""
    if _ASKS_ZH.search(prompt.zh):
        zh = f"{_asked(prompt.zh, '？')}下列哪一项{'是其中之一' if member else '不在其中'}？"
    else:
        zh = f"下列哪一项{'' if member else '不'}属于{_bare(prompt.zh)}？"
    if prompt.en.rstrip().endswith("?"):
        en = (f"{prompt.en.rstrip()} Which of these is {'' if member else 'NOT '}"
              "one of them?")
    else:
        en = f"Which of these is {'' if member else 'NOT '}one of {_bare(prompt.en)}?"
    return Pair(zh, en)


def _asked(question: str, mark: str) -> str:
    """A question ending in exactly one question mark."""
    return _bare(question) + mark


def _period(e: Event) -> tuple[int, int]:
    """The years an event covers, as a half-open range."""
    return (e.year, e.year + 10) if e.decade else (e.year, e.year + 1)
