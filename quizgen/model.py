"""Pydantic models of a knowledge base: the deck header, its sections and the kinds of fact."""

from __future__ import annotations

from typing import Annotated, Literal, Union, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from .hanzi import HAN, has_han  # noqa: F401  (re-exported: the KB text rules)

SLUG = r"^[a-z0-9][a-z0-9._-]*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG, max_length=80)]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Lang = Literal["zh", "en", "both"]
Number = Annotated[float, Field(allow_inf_nan=False)]

class Strict(BaseModel):
    """Base of every model: unknown keys are errors, models are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, strict=True)


class Text(Strict):
    """A text in both languages. `zh` is Simplified Chinese, `en` is English."""

    zh: NonEmpty
    en: NonEmpty

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class QuizDefaults(Strict):
    questions: int = Field(40, ge=1, le=10_000)
    variants: int = Field(2, ge=1, le=26)
    seed: int = 1
    lang: Lang = "zh"
    options: int = Field(4, ge=2, le=6)
    # Facts with any of these tags stay out of quizzes (but not out of the deck).
    exclude_tags: list[Slug] = []
    # Exports `quizgen build` writes beside the quiz every time (see `quizgen export`).
    exports: list[Literal["moodle", "canvas", "kahoot", "quizlet", "csv"]] = []
    # "review": the facts under `review:` come first when questions are chosen.
    focus: Literal["review"] | None = None


class Deck(Strict):
    id: Slug
    title: Text
    description: Text | None = None
    lang: Lang = "zh"
    quiz: QuizDefaults = QuizDefaults()


class Section(Strict):
    id: Slug
    number: int = Field(ge=1, le=99)
    title: Text


class FactBase(Strict):
    id: Slug
    section: Slug
    tags: list[Slug] = []
    explanation: Text | None = None
    # False keeps a fact in the deck but out of the quizzes (e.g. where the text is ambiguous).
    quiz: bool = True
    # Author-written wrong answers, used before any the quiz would draw from other facts. Of
    # the same class as the answer: terms for a term, items for a list, happenings for an
    # event, roles for a person, work or organisation, answers for a claim (figures: numbers).
    wrong: list[Text] = []
    # For the KB's editors only (why a fact stays out of quizzes, where a figure comes from):
    # shown on no card, in no quiz.
    note: NonEmpty | None = None
    # The ids this fact had before, oldest first: its Anki notes keep their identity, and
    # members their review history, under the new id.
    formerly: list[Slug] = []


class Term(FactBase):
    kind: Literal["term"]
    zh: NonEmpty
    en: NonEmpty
    abbr: NonEmpty | None = None
    definition: Text
    pinyin: NonEmpty | None = None


class ListItem(Strict):
    zh: NonEmpty
    en: NonEmpty
    explanation: Text | None = None

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class ListFact(FactBase):
    kind: Literal["list"]
    prompt: Text
    items: list[ListItem]
    # False for a set whose order means nothing: its whole-list card then asks for no order.
    ordered: bool = True
    # What its items are (properties, goals, ...): a quiz borrows wrong items only from lists
    # of the same category.
    category: Text | None = None


class Event(FactBase):
    kind: Literal["event"]
    year: int = Field(ge=1, le=9999)
    month: int | None = Field(None, ge=1, le=12)
    day: int | None = Field(None, ge=1, le=31)
    # True for a decade ("the 1980s"): year is its first year.
    decade: bool = False
    what: Text
    # The question for "when did it happen?", where the one made from `what` reads badly.
    question: Text | None = None
    # No year outside these is a plausible wrong option (e.g. not before the founding of the
    # organisation the event is about).
    not_before: int | None = Field(None, ge=1, le=9999)
    not_after: int | None = Field(None, ge=1, le=9999)

    @field_validator("day")
    @classmethod
    def _day_needs_month(cls, day, info):
        if day is not None and info.data.get("month") is None:
            raise ValueError("a day needs a month")
        return day


class Figure(FactBase):
    kind: Literal["figure"]
    value: Number
    # The upper end of a range ("5-10 people"), if any.
    upto: Number | None = None
    qualifier: Literal["exact", "about", "over"] = "exact"
    unit: Text
    measures: Text
    # The question, where the one made from `measures` reads badly.
    question: Text | None = None
    # Author-written wrong values in the same unit (for a range: [low, high] pairs).
    wrong: list[Number | Annotated[list[Number], Field(min_length=2, max_length=2)]] = []


class Named(FactBase):
    """Shared shape of people, works and organisations."""

    name: Text
    role: Text  # who or what it is
    why: Text  # why the text brings it up
    # researcher, company, book, film, ...: a quiz takes wrong options from the same type first.
    type: Text | None = None


class Person(Named):
    kind: Literal["person"]


class Work(Named):
    kind: Literal["work"]


class Org(Named):
    kind: Literal["org"]


class Claim(FactBase):
    kind: Literal["claim"]
    question: Text
    answer: Text
    speaker: NonEmpty | None = None


Fact = Annotated[
    Union[Term, ListFact, Event, Figure, Person, Work, Org, Claim], Field(discriminator="kind")
]
KINDS = tuple(get_args(cls.model_fields["kind"].annotation)[0]
              for cls in get_args(get_args(Fact)[0]))


class SourceFile(Strict):
    """What one YAML file under source/ may hold."""

    deck: Deck | None = None
    sections: list[Section] = []
    facts: list[Fact] = []
    # Ids of facts the group should review (`quizgen grade` writes review.yaml): their cards
    # get the tag quizgen::<deck>::review, and `--focus review` asks them first.
    review: list[Slug] = []


class KnowledgeBase(Strict):
    """All files merged: one deck, its sections and its facts, in file order."""

    deck: Deck
    sections: list[Section]
    facts: list[Fact]
    review: list[str] = []

    def section(self, section_id: str) -> Section:
        return self._sections_by_id()[section_id]

    def _sections_by_id(self) -> dict[str, Section]:
        return {s.id: s for s in self.sections}
