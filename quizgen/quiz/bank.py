"""The question bank: every multiple-choice question the facts of a KB can yield.

Questions are language-neutral (every text in both languages) and keep the pools their wrong
options are drawn from; which options a quiz shows is decided when the quiz is put together
(`Candidate.finish`), so that the same question reads the same in every language.
Wrong options come from facts of the same kind (years for years, people for people), never
from facts kept out of quizzes, and never from another answer that would also be right.

The pools of each kind are built once per bank and shared by its questions. Every fact is
judged (can it be asked, and in which forms?) by looking at no more of a pool than it must: a
few options, found through indexes, in time that does not grow with the KB. A question is only
written, and its options only ordered or gathered in full, when a quiz asks it.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import NamedTuple

from ..model import Claim, Event, Figure, KnowledgeBase, ListFact, Named, Term
from ..wording import event_date, figure_text
from .distractors import (
    Choice, Distinct, Numbers, Pair, distinct, figure_distance, figure_perturbations,
    nearest_first, pick_ordered, pick_text, year_choice, year_numbers,
)

FIGURE_SPREAD = 2.31  # ln 10: KB figures more than ten times off are no plausible option


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

    @property
    def options(self) -> tuple[Choice, ...]:
        """All options: ascending for ordered questions, else the answer first."""
        if self.ordered:
            return tuple(sorted((self.answer, *self.distractors), key=_value))
        return (self.answer, *self.distractors)


def _value(choice: Choice) -> float:
    return choice.value if choice.value is not None else 0.0


class Pools(NamedTuple):
    """Where the options of one question come from. (A tuple: one is made for every form of
    every fact, so it has to be cheap.)"""

    # Any one of them is right (e.g. each item of a list); read again each time it is needed.
    answers: Iterable[Choice]
    # Wrong options, best tier first. Tiers are shared between questions of a kind, so they
    # may hold the answer itself; `distinct` drops it.
    tiers: tuple[Sequence[Choice], ...] = ()
    avoid: tuple[Choice, ...] = ()  # other right answers: no wrong option may match one
    numbers: Numbers | None = None  # for numbers: wrong ones below and above
    option_lang: str | None = None

    def viable(self, need: int) -> bool:
        """True if there are `need` distinct wrong options to choose from."""
        first = next(iter(self.answers), None)
        if first is None:
            return False
        if self.numbers is not None:
            return self.numbers.enough(need)
        pool = distinct(chain.from_iterable(self.tiers), (first, *self.avoid), limit=need)
        return len(pool) >= need

    def pick(self, need: int, rng: random.Random,
             rank: int) -> tuple[Choice, tuple[Choice, ...]] | None:
        """The right option (if there is a choice) and `need` wrong ones. For numbers, `rank`
        is where the answer should land among the ascending options."""
        answers = list(self.answers)
        rng.shuffle(answers)
        for answer in answers[:8]:
            if self.numbers is not None:
                picked = pick_ordered(*self.numbers.sides(), need, rank, rng)
                wrong = picked[0] if picked else None
            else:
                wrong = pick_text(answer, self.tiers, need, rng, self.avoid)
            if wrong is not None:
                return answer, wrong
        return None


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

    @property
    def ordered(self) -> bool:
        return self.pools.numbers is not None

    def viable(self, need: int) -> bool:
        return self.pools.viable(need)

    def finish(self, need: int, rng: random.Random, rank: int = 0) -> Question | None:
        """The question with its right option and `need` wrong ones; None if they cannot be
        found. For numbers, `rank` is where the answer should land among the options."""
        picked = self.pools.pick(need, rng, rank)
        if picked is None:
            return None
        answer, wrong = picked
        return Question(self.id, self.fact_id, self.kind, self.form, self.section, self.stem,
                        answer, wrong, self.explanation, self.ordered, self.pools.option_lang)


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
        # Facts that can be asked about but yield no question (too few wrong options).
        self.unaskable: list[str] = []
        for fact in facts:
            forms = tuple(form for form, pools in builder.pools(fact)
                          if pools.viable(builder.need))
            if forms:
                self._facts[fact.id] = fact
                self.forms[fact.id] = forms
            else:
                self.unaskable.append(fact.id)

    def candidate(self, fact_id: str, form: str) -> Candidate:
        """One of the questions `forms` lists, made."""
        made = next((c for c in self._candidates(fact_id) if c.form == form), None)
        if made is None:
            raise KeyError(f"{fact_id} yields no question of the form {form!r}")
        return made

    def _candidates(self, fact_id: str) -> Iterator[Candidate]:
        fact = self._facts[fact_id]
        stems, explanation = self._builder.words(fact)
        position = self._builder.position.get(id(fact), 0)
        for form, pools in self._builder.pools(fact):
            if form in self.forms[fact_id]:
                yield Candidate(f"{fact_id}:{form}", fact_id, fact.kind, form, fact.section,
                                position, stems[form], explanation, pools)

    @property
    def candidates(self) -> list[Candidate]:
        """Every question of the bank, made (a quiz needs only those it asks)."""
        return [c for fact_id in self.forms for c in self._candidates(fact_id)]


def build_bank(kb: KnowledgeBase, facts: Sequence, options: int) -> Bank:
    """The questions `facts` can yield with `options` options each; wrong options may come
    from any fact of the KB. Facts with `quiz: false` are expected to be filtered out already."""
    return Bank(_Builder(kb, options - 1), facts)


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

    def __init__(self, kb: KnowledgeBase, need: int):
        self.need = need
        self._choices: dict[tuple[str, str], Choice] = {}
        self.position = {id(f): i for i, f in enumerate(kb.facts)}
        # Facts kept out of quizzes (`quiz: false`) stay out of the options too. Wrong options
        # come from every fact of the kind, not only the selected ones: a quiz on one section
        # still gets plausible options from the others.
        self.by_kind: dict[str, list] = defaultdict(list)
        for fact in kb.facts:
            if fact.quiz:
                self.by_kind[fact.kind].append(fact)

        terms = self.by_kind["term"]
        self.terms = tuple(self.choice(t) for t in terms)
        self.terms_by_definition = _Index()
        for t in terms:
            self.terms_by_definition.add(self.keys(t.definition), self.choice(t))

        self.list_items = tuple(self.choice(i) for f in self.by_kind["list"] for i in f.items)

        events = self.by_kind["event"]
        self.latest = max((e.year for e in events), default=1)
        self.event_whats = tuple(self.choice(e.what) for e in events)
        self.events_by_year = _Index()
        for e in events:
            self.events_by_year.add(range(*_period(e)), self.choice(e.what))
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
        self.claim_answers = tuple(self.choice(c.answer) for c in claims)
        self.claims_by_question = _Index()
        for c in claims:
            self.claims_by_question.add(self.keys(c.question), self.choice(c.answer))

    def choice(self, text) -> Choice:
        """The option that reads `text` (anything with `zh` and `en`): one object per text, so
        that its keys are worked out once however many pools hold it."""
        key = (text.zh, text.en)
        choice = self._choices.get(key)
        if choice is None:
            choice = self._choices[key] = Choice(text.zh, text.en)
        return choice

    def keys(self, text) -> tuple[str, str]:
        return self.choice(text).keys

    def type_key(self, n: Named) -> tuple[str, str] | None:
        kind = getattr(n, "type", None)
        return None if kind is None else self.keys(kind)

    def figure_group(self, f: Figure) -> tuple:
        """Figures that may stand in for each other: the same unit, and both ranges or neither."""
        return self.keys(f.unit), f.upto is None

    def pools(self, fact) -> Forms:
        """The forms `fact` can be asked in, each with the pools of its options."""
        return self.MAKERS[fact.kind][0](self, fact)

    def words(self, fact) -> Words:
        """How the questions about `fact` read: the stem of each form, and the explanation."""
        return self.MAKERS[fact.kind][1](self, fact)

    # -- terms -----------------------------------------------------------------------------

    def term(self, t: Term) -> Forms:
        me = (self.choice(t),)
        yield "term-en", Pools(me, (self.terms,), option_lang="en")
        yield "en-term", Pools(me, (self.terms,), option_lang="zh")
        # Another term with the same definition would be right as well.
        yield "definition", Pools(me, (self.terms,),
                                  self.terms_by_definition.get(self.keys(t.definition)))

    def term_words(self, t: Term) -> Words:
        explanation = _explained(Pair(f"{t.zh}（{t.en}）：{t.definition.zh}",
                                      f"{t.en} ({t.zh}): {t.definition.en}"), t)
        en = t.en + (f" ({t.abbr})" if t.abbr and t.abbr != t.en else "")
        stems = {
            "term-en": Pair(f"“{t.zh}”的英文术语是？", f'What is the English term for "{t.zh}"?'),
            "en-term": Pair(f"“{en}”的中文术语是？", f'Which Chinese term means "{en}"?'),
            "definition": Pair(f"哪个术语的意思是：{_bare(t.definition.zh)}？",
                               f"Which term means: {_bare(t.definition.en)}?"),
        }
        return stems, explanation

    # -- lists -----------------------------------------------------------------------------

    def list(self, fact: ListFact) -> Forms:
        every = tuple(self.choice(i) for i in fact.items)
        items = distinct(every)
        # "Which is one of ...": no wrong option may be any of the items.
        yield "member", Pools(items, (self.list_items,), every)
        # "Which is NOT one of ...": the right one comes from another list (any of them: found
        # only for a question that is asked).
        yield "not-member", Pools(Distinct(self.list_items, every), (items,))

    def list_words(self, fact: ListFact) -> Words:
        explanation = _explained(
            Pair(f"{_bare(fact.prompt.zh)}：" + "、".join(i.zh for i in fact.items),
                 f"{_bare(fact.prompt.en)}: " + ", ".join(i.en for i in fact.items)), fact)
        return {"member": _list_stem(fact.prompt, member=True),
                "not-member": _list_stem(fact.prompt, member=False)}, explanation

    # -- events ----------------------------------------------------------------------------

    def event(self, e: Event) -> Forms:
        yield "year", Pools((year_choice(e.year, e.decade),), numbers=year_numbers(
            e.year, e.decade, self.years[e.decade], max(self.latest, e.year)))
        # Nothing else from the same year (or decade) may be offered as wrong.
        yield "event", Pools((self.choice(e.what),), (self.event_whats,),
                             self.events_by_year.get(range(*_period(e))))

    def event_words(self, e: Event) -> Words:
        when = year_choice(e.year, e.decade)
        date = event_date(e)
        explanation = _explained(Pair(f"{date.zh}：{e.what.zh}", f"{date.en}: {e.what.en}"), e)
        what_zh, what_en = _bare(e.what.zh), _bare(e.what.en)
        return {"year": Pair(f"“{what_zh}”发生在哪{'个年代' if e.decade else '一年'}？",
                             f"When did this happen: {what_en}?"),
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
            # number), nearest first, shown with this one's qualifier so that "over" or
            # "about" gives nothing away.
            for i in nearest_first(values, f.value, distance, FIGURE_SPREAD):
                for o in figures[i]:
                    if o is not f and (cap is None or _top(o) <= cap):
                        yield self.figure_choice(f, o.value, o.upto)

        def made_up() -> Iterator[Choice]:
            for v, u in figure_perturbations(f.value, f.upto, cap):
                yield self.figure_choice(f, v, u)

        yield "value", Pools((self.figure_choice(f, f.value, f.upto),),
                             numbers=Numbers(f.value, known(), made_up(), distance))

    def figure_words(self, f: Figure) -> Words:
        answer = self.figure_choice(f, f.value, f.upto)
        explanation = _explained(Pair(f"{_bare(f.measures.zh)}：{answer.zh}",
                                      f"{_bare(f.measures.en)}: {answer.en}"), f)
        stem = Pair(f"{_bare(f.measures.zh)}是多少？", _what_is(f.measures.en))
        return {"value": stem}, explanation

    def figure_choice(self, f: Figure, value: float, upto: float | None) -> Choice:
        """`value` (to `upto`) in the words of `f`: its qualifier and unit. Each is written
        once per bank, however many questions offer it."""
        key = (value, upto, f.qualifier, f.unit.zh, f.unit.en)
        choice = self._figure_choices.get(key)
        if choice is None:
            text = figure_text(value, upto, f.qualifier, f.unit)
            choice = self._figure_choices[key] = Choice(text.zh, text.en, value)
        return choice

    # -- people, works and organisations ---------------------------------------------------

    def named_entry(self, n: Named) -> Forms:
        pools = self.named[n.kind]
        # Works of the same type (films for a film) first.
        alike = pools["alike"].get(self.type_key(n), {"names": (), "roles": ()})
        # An entry under the same name (or with the same role) would make a second right one.
        yield "role", Pools((self.choice(n.role),), (alike["roles"], pools["roles"]),
                            pools["by_name"].get(self.keys(n.name)))
        yield "name", Pools((self.choice(n.name),), (alike["names"], pools["names"]),
                            pools["by_role"].get(self.keys(n.role)))

    def named_entry_words(self, n: Named) -> Words:
        explanation = _explained(Pair(f"{n.name.zh}：{n.role.zh}（{n.why.zh}）",
                                      f"{n.name.en}: {n.role.en} ({n.why.en})"), n)
        role_zh, role_en = _bare(n.role.zh), _bare(n.role.en)
        who_zh, who_en, which_zh, which_en = {
            "person": (f"{n.name.zh}是谁？", f"Who is {n.name.en}?",
                       f"谁是{role_zh}？", f"Who is {role_en}?"),
            "work": (f"{n.name.zh}是什么？", f"What is {n.name.en}?",
                     f"哪一部作品是{role_zh}？", f"Which work is {role_en}?"),
            "org": (f"{n.name.zh}是什么？", f"What is {n.name.en}?",
                    f"哪个机构是{role_zh}？", f"Which organisation is {role_en}?"),
        }[n.kind]
        return {"role": Pair(who_zh, who_en), "name": Pair(which_zh, which_en)}, explanation

    # -- claims ----------------------------------------------------------------------------

    def claim(self, c: Claim) -> Forms:
        # The author's wrong answers first; else the answers of other claims, except those
        # to the same question.
        yield "answer", Pools((self.choice(c.answer),),
                              (tuple(self.choice(w) for w in c.wrong), self.claim_answers),
                              self.claims_by_question.get(self.keys(c.question)))

    def claim_words(self, c: Claim) -> Words:
        stem = _pair(c.question)
        # Say whose claim it is, unless the question already does ("Brockman 认为…").
        if c.speaker and not any(len(word) >= 3 and word in stem.zh + stem.en
                                 for word in c.speaker.split()):
            stem = Pair(f"据 {c.speaker} 所说，{stem.zh}", f"According to {c.speaker}: {stem.en}")
        explanation = _pair(c.answer) if c.explanation is None else _pair(c.explanation)
        return {"answer": stem}, explanation

    # Kind -> the methods that make the pools of its facts' questions, and their wording.
    MAKERS = {"term": (term, term_words), "list": (list, list_words),
              "event": (event, event_words), "figure": (figure, figure_words),
              "person": (named_entry, named_entry_words), "work": (named_entry, named_entry_words),
              "org": (named_entry, named_entry_words), "claim": (claim, claim_words)}

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


_ASKS_ZH = re.compile(r"[？?]\s*$|哪|什么|几")


def _list_stem(prompt, member: bool) -> Pair:
    """A list's prompt may be a noun phrase ("the three core properties of deep learning") or
    a question ("Which three core properties does he single out?"); each reads differently."""
    if _ASKS_ZH.search(prompt.zh):
        zh = prompt.zh + ("（选出其中一项）" if member else "（选出不在其中的一项）")
    else:
        zh = f"下列哪一项{'' if member else '不'}属于{_bare(prompt.zh)}？"
    if prompt.en.rstrip().endswith("?"):
        en = prompt.en.rstrip() + (" (Pick one of them.)" if member
                                   else " (Pick the one that is NOT.)")
    else:
        en = f"Which is {'' if member else 'NOT '}one of {_bare(prompt.en)}?"
    return Pair(zh, en)


def _period(e: Event) -> tuple[int, int]:
    """The years an event covers, as a half-open range."""
    return (e.year, e.year + 10) if e.decade else (e.year, e.year + 1)
