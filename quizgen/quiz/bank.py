"""The question bank: every multiple-choice question the facts of a KB can yield.

Questions are language-neutral (every text in both languages) and keep the pools their wrong
options are drawn from; which options a quiz shows is decided when the quiz is put together
(`Candidate.finish`), so that the same question reads the same in every language.
Wrong options come from facts of the same kind (years for years, people for people), never
from facts kept out of quizzes, and never from another answer that would also be right.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain

from ..model import Claim, Event, Figure, KnowledgeBase, ListFact, Named, Term
from .distractors import (
    Choice, Pair, Side, distinct, figure_distance, figure_perturbations, figure_texts, norm,
    pick_ordered, pick_text, split_sides, year_choice, year_sides,
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
    answers: tuple[Choice, ...]  # any one of them is right (e.g. each item of a list)
    # Wrong options, best tier first. Tiers are shared between questions of a kind, so they
    # may hold the answer itself; `distinct` drops it.
    tiers: tuple[Sequence[Choice], ...] = ()
    avoid: tuple[Choice, ...] = ()  # other right answers: no wrong option may match one
    sides: tuple[Side, Side] | None = None  # for numbers: wrong ones below and above
    option_lang: str | None = None

    @property
    def ordered(self) -> bool:
        return self.sides is not None

    def viable(self, need: int) -> bool:
        """True if there are `need` distinct wrong options to choose from."""
        if not self.answers:
            return False
        if self.sides is not None:
            return len(self.sides[0]) + len(self.sides[1]) >= need
        pool = distinct(chain.from_iterable(self.tiers), (self.answers[0], *self.avoid),
                        limit=need)
        return len(pool) >= need

    def finish(self, need: int, rng: random.Random, rank: int = 0) -> Question | None:
        """Pick the right option (if there is a choice) and `need` wrong ones. For numbers,
        `rank` is where the answer should land among the ascending options."""
        answers = list(self.answers)
        rng.shuffle(answers)
        for answer in answers[:8]:
            if self.sides is not None:
                picked = pick_ordered(*self.sides, need, rank, rng)
                wrong = picked[0] if picked else None
            else:
                wrong = pick_text(answer, self.tiers, need, rng, self.avoid)
            if wrong is not None:
                return Question(self.id, self.fact_id, self.kind, self.form, self.section,
                                self.stem, answer, wrong, self.explanation, self.ordered,
                                self.option_lang)
        return None


@dataclass
class Bank:
    candidates: list[Candidate] = field(default_factory=list)
    # Facts that can be asked about but yield no question (too few wrong options).
    unaskable: list[str] = field(default_factory=list)


def build_bank(kb: KnowledgeBase, facts: Sequence, options: int) -> Bank:
    """Every question `facts` can yield with `options` options each; wrong options may come
    from any fact of the KB. Facts with `quiz: false` are expected to be filtered out already."""
    return _Builder(kb, options - 1).build(facts)


def _pair(text) -> Pair:
    return Pair(text.zh, text.en)


def _choice(text) -> Choice:
    return Choice(text.zh, text.en)


def _bare(text: str) -> str:
    """A text without its closing punctuation, to be quoted inside a question."""
    return text.rstrip("。．.！!？?；;，, ")


def _explained(summary: Pair, fact) -> Pair:
    """The summary of a fact, followed by its own explanation if it has one."""
    if fact.explanation is None:
        return summary
    return Pair(f"{_bare(summary.zh)}。{fact.explanation.zh}",
                f"{_bare(summary.en)}. {fact.explanation.en}")


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


def _keys(text) -> tuple[str, str]:
    return norm(text.zh), norm(text.en)


class _Builder:
    """The pools of each kind, built once, and the candidates of each fact."""

    def __init__(self, kb: KnowledgeBase, need: int):
        self.need = need
        self.position = {id(f): i for i, f in enumerate(kb.facts)}
        # Facts kept out of quizzes (`quiz: false`) stay out of the options too. Wrong options
        # come from every fact of the kind, not only the selected ones: a quiz on one section
        # still gets plausible options from the others.
        self.by_kind: dict[str, list] = defaultdict(list)
        for fact in kb.facts:
            if fact.quiz:
                self.by_kind[fact.kind].append(fact)

        terms = self.by_kind["term"]
        self.terms = tuple(Choice(t.zh, t.en) for t in terms)
        self.terms_by_definition = _Index()
        for t in terms:
            self.terms_by_definition.add(_keys(t.definition), Choice(t.zh, t.en))

        self.list_items = tuple(_choice(i) for f in self.by_kind["list"] for i in f.items)

        events = self.by_kind["event"]
        self.latest = max((e.year for e in events), default=1)
        self.event_whats = tuple(_choice(e.what) for e in events)
        self.events_by_year = _Index()
        for e in events:
            self.events_by_year.add(range(*_period(e)), _choice(e.what))

        self.named: dict[str, dict[str, object]] = {}
        for kind in ("person", "work", "org"):
            entries = self.by_kind[kind]
            by_name, by_role, by_type = _Index(), _Index(), _Index()
            for n in entries:
                by_name.add(_keys(n.name), _choice(n.role))
                by_role.add(_keys(n.role), _choice(n.name))
                by_type.add([_type_key(n)], n)
            self.named[kind] = {"names": tuple(_choice(n.name) for n in entries),
                                "roles": tuple(_choice(n.role) for n in entries),
                                "by_name": by_name, "by_role": by_role, "by_type": by_type}

        claims = self.by_kind["claim"]
        self.claim_answers = tuple(_choice(c.answer) for c in claims)
        self.claims_by_question = _Index()
        for c in claims:
            self.claims_by_question.add(_keys(c.question), _choice(c.answer))

    def build(self, facts: Sequence) -> Bank:
        bank = Bank()
        makers = {"term": self.term, "list": self.list, "event": self.event,
                  "figure": self.figure, "person": self.named_entry, "work": self.named_entry,
                  "org": self.named_entry, "claim": self.claim}
        for fact in facts:
            made = [c for c in makers[fact.kind](fact) if c.viable(self.need)]
            bank.candidates.extend(made)
            if not made:
                bank.unaskable.append(fact.id)
        return bank

    def candidate(self, fact, form: str, stem: Pair, explanation: Pair, answers: Iterable[Choice],
                  **kw) -> Candidate:
        return Candidate(f"{fact.id}:{form}", fact.id, fact.kind, form, fact.section,
                         self.position.get(id(fact), 0), stem, explanation, tuple(answers), **kw)

    # -- terms -----------------------------------------------------------------------------

    def term(self, t: Term) -> Iterator[Candidate]:
        me = Choice(t.zh, t.en)
        explanation = _explained(Pair(f"{t.zh}（{t.en}）：{t.definition.zh}",
                                      f"{t.en} ({t.zh}): {t.definition.en}"), t)
        en = t.en + (f" ({t.abbr})" if t.abbr and t.abbr != t.en else "")
        yield self.candidate(t, "term-en", Pair(f"“{t.zh}”的英文术语是？",
                                                f'What is the English term for "{t.zh}"?'),
                             explanation, [me], tiers=(self.terms,), option_lang="en")
        yield self.candidate(t, "en-term", Pair(f"“{en}”的中文术语是？",
                                                f'Which Chinese term means "{en}"?'),
                             explanation, [me], tiers=(self.terms,), option_lang="zh")
        # Another term with the same definition would be right as well.
        yield self.candidate(t, "definition",
                             Pair(f"哪个术语的意思是：{_bare(t.definition.zh)}？",
                                  f"Which term means: {_bare(t.definition.en)}?"),
                             explanation, [me], tiers=(self.terms,),
                             avoid=self.terms_by_definition.get(_keys(t.definition)))

    # -- lists -----------------------------------------------------------------------------

    def list(self, fact: ListFact) -> Iterator[Candidate]:
        every = tuple(_choice(i) for i in fact.items)
        items = distinct(every)
        explanation = _explained(
            Pair(f"{_bare(fact.prompt.zh)}：" + "、".join(i.zh for i in fact.items),
                 f"{_bare(fact.prompt.en)}: " + ", ".join(i.en for i in fact.items)), fact)
        # "Which is one of ...": no wrong option may be any of the items.
        yield self.candidate(fact, "member", _list_stem(fact.prompt, member=True), explanation,
                             items, tiers=(self.list_items,), avoid=every)
        # "Which is NOT one of ...": the right one comes from another list.
        yield self.candidate(fact, "not-member", _list_stem(fact.prompt, member=False),
                             explanation, distinct(self.list_items, every), tiers=(items,))

    # -- events ----------------------------------------------------------------------------

    def event(self, e: Event) -> Iterator[Candidate]:
        others = [o for o in self.by_kind["event"] if o is not e and o.decade == e.decade]
        when = year_choice(e.year, e.decade)
        explanation = _explained(Pair(f"{_date_zh(e)}：{e.what.zh}",
                                      f"{_date_en(e)}: {e.what.en}"), e)
        what_zh, what_en = _bare(e.what.zh), _bare(e.what.en)
        sides = year_sides(e.year, e.decade, (o.year for o in others),
                           max(self.latest, e.year))
        yield self.candidate(e, "year",
                             Pair(f"“{what_zh}”发生在哪{'个年代' if e.decade else '一年'}？",
                                  f"When did this happen: {what_en}?"),
                             explanation, [when], sides=sides)
        # Nothing else from the same year (or decade) may be offered as wrong.
        in_period = self.events_by_year.get(range(*_period(e)))
        yield self.candidate(e, "event",
                             Pair(f"下列哪件事发生在 {when.zh}{'' if e.decade else ' 年'}？",
                                  f"Which of these happened in {when.en}?"),
                             explanation, [_choice(e.what)],
                             tiers=(self.event_whats,), avoid=in_period)

    # -- figures ---------------------------------------------------------------------------

    def figure(self, f: Figure) -> Iterator[Candidate]:
        unit = _keys(f.unit)
        percent = f.unit.en.strip().lower() in ("%", "percent", "per cent") or f.unit.zh == "%"
        top = f.upto if f.upto is not None else f.value
        cap = 100.0 if percent and top <= 100 else None

        def choice(value: float, upto: float | None) -> Choice:
            zh, en = figure_texts(value, upto, f.qualifier, f.unit.zh, f.unit.en)
            return Choice(zh, en, value)

        distance = figure_distance(f.value)
        # Other figures in the same unit and of the same shape (a range or a single number),
        # shown with this one's qualifier so that "over" or "about" gives nothing away.
        known = [choice(o.value, o.upto) for o in self.by_kind["figure"]
                 if o is not f and _keys(o.unit) == unit and (o.upto is None) == (f.upto is None)
                 and distance(o.value) <= FIGURE_SPREAD
                 and (cap is None or (o.upto if o.upto is not None else o.value) <= cap)]
        made_up = [choice(v, u) for v, u in figure_perturbations(f.value, f.upto, cap)]
        answer = choice(f.value, f.upto)
        explanation = _explained(Pair(f"{_bare(f.measures.zh)}：{answer.zh}",
                                      f"{_bare(f.measures.en)}: {answer.en}"), f)
        yield self.candidate(f, "value", Pair(f"{_bare(f.measures.zh)}是多少？",
                                              _what_is(f.measures.en)),
                             explanation, [answer],
                             sides=split_sides(f.value, known, made_up, distance))

    # -- people, works and organisations ---------------------------------------------------

    def named_entry(self, n: Named) -> Iterator[Candidate]:
        pools = self.named[n.kind]
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
        # Works of the same type (films for a film) first.
        alike = pools["by_type"].get([_type_key(n)]) if _type_key(n) else ()
        role_tiers = (tuple(_choice(o.role) for o in alike), pools["roles"])
        name_tiers = (tuple(_choice(o.name) for o in alike), pools["names"])
        # An entry under the same name (or with the same role) would make a second right one.
        yield self.candidate(n, "role", Pair(who_zh, who_en), explanation, [_choice(n.role)],
                             tiers=role_tiers, avoid=pools["by_name"].get(_keys(n.name)))
        yield self.candidate(n, "name", Pair(which_zh, which_en), explanation, [_choice(n.name)],
                             tiers=name_tiers, avoid=pools["by_role"].get(_keys(n.role)))

    # -- claims ----------------------------------------------------------------------------

    def claim(self, c: Claim) -> Iterator[Candidate]:
        stem = _pair(c.question)
        # Say whose claim it is, unless the question already does ("Brockman 认为…").
        if c.speaker and not any(len(word) >= 3 and word in stem.zh + stem.en
                                 for word in c.speaker.split()):
            stem = Pair(f"据 {c.speaker} 所说，{stem.zh}", f"According to {c.speaker}: {stem.en}")
        explanation = _pair(c.answer) if c.explanation is None else _pair(c.explanation)
        # The author's wrong answers first; else the answers of other claims, except those
        # to the same question.
        yield self.candidate(c, "answer", stem, explanation, [_choice(c.answer)],
                             tiers=(tuple(_choice(w) for w in c.wrong), self.claim_answers),
                             avoid=self.claims_by_question.get(_keys(c.question)))


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


def _type_key(n: Named) -> tuple[str, str] | None:
    kind = getattr(n, "type", None)
    return None if kind is None else _keys(kind)


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


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def _date_zh(e: Event) -> str:
    if e.decade:
        return f"{e.year} 年代"
    text = f"{e.year} 年"
    if e.month:
        text += f" {e.month} 月"
        if e.day:
            text += f" {e.day} 日"
    return text


def _date_en(e: Event) -> str:
    if e.decade:
        return f"the {e.year}s"
    if e.month and e.day:
        return f"{e.day} {_MONTHS[e.month - 1]} {e.year}"
    if e.month:
        return f"{_MONTHS[e.month - 1]} {e.year}"
    return str(e.year)


def _period(e: Event) -> tuple[int, int]:
    """The years an event covers, as a half-open range."""
    return (e.year, e.year + 10) if e.decade else (e.year, e.year + 1)
