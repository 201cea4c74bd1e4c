"""Options for a question: comparing answers, picking wrong ones, and plausible numbers."""

from __future__ import annotations

import heapq
import math
import random
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

from ..wording import date_text


@dataclass(frozen=True)
class Pair:
    """A text in both languages, as the quiz shows it."""

    zh: str
    en: str

    def show(self, lang: str) -> str:
        if lang == "en":
            return self.en
        if lang == "both" and norm(self.en) != norm(self.zh):
            return f"{self.zh}\n{self.en}"
        return self.zh


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of a question. `value` is set for years and numbers, which are compared by
    value and shown in ascending order."""

    zh: str
    en: str
    value: float | None = None
    # `keys`, once worked out: pools are shared, so one choice is compared many times. (Slots
    # rather than a cached property: a bank holds tens of thousands of choices, and a dict for
    # each would be that many more objects for the garbage collector to walk.)
    _keys: tuple[str, str] | None = field(default=None, init=False, repr=False, compare=False)

    def show(self, lang: str) -> str:
        if lang == "en":
            return self.en
        # Numbers read the same in both languages; a pair would only be noise.
        if lang == "both" and self.value is None and norm(self.en) != norm(self.zh):
            return f"{self.zh} / {self.en}"
        return self.zh

    @property
    def keys(self) -> tuple[str, str]:
        keys = self._keys
        if keys is None:
            keys = norm(self.zh), norm(self.en)
            object.__setattr__(self, "_keys", keys)
        return keys


class _Dropped(dict):
    """For `str.translate`: None for a character `norm` drops (punctuation, spaces, controls),
    the character itself otherwise; each character's category is looked up once."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.category(chr(code))[0] in "PZC" else code
        self[code] = kept
        return kept


_DROPPED = _Dropped()


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """Text as options are compared: NFKC, case-folded, without spaces or punctuation, so that
    'OpenAI 成立' and 'openai成立。' count as the same option."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return folded.translate(_DROPPED) or folded.strip()


def conflicts(a: Choice, b: Choice) -> bool:
    """True if a reader could not tell the two options apart, or both could be right: the
    same value, or the same text in either language (or across them: names are often
    written the same way in both)."""
    if a.value is not None and b.value is not None and a.value == b.value:
        return True
    ka, kb = a.keys, b.keys
    return ka[0] in kb or ka[1] in kb


def iter_distinct(choices: Iterable[Choice], avoid: Iterable[Choice] = ()) -> Iterator[Choice]:
    """`choices` in order, without any that conflicts with an earlier one or with one in
    `avoid`, found one at a time. (The test of `conflicts`, through sets: a pool may hold
    every fact of a kind.)"""
    texts: set[str] = set()
    values: set[float] = set()
    for choice in avoid:
        texts.update(choice.keys)
        if choice.value is not None:
            values.add(choice.value)
    for choice in choices:
        zh, en = choice.keys
        if zh in texts or en in texts or choice.value in values:
            continue
        texts.add(zh)
        texts.add(en)
        if choice.value is not None:
            values.add(choice.value)
        yield choice


def distinct(choices: Iterable[Choice], avoid: Iterable[Choice] = (),
             limit: int | None = None) -> tuple[Choice, ...]:
    """`iter_distinct`: at most `limit` of them, read no further than needed."""
    return tuple(islice(iter_distinct(choices, avoid), limit))


@dataclass(frozen=True)
class Distinct:
    """`distinct(choices, avoid)`, worked out each time it is read and only as far as it is
    read: the first one is cheap even when there are thousands."""

    choices: Sequence[Choice]
    avoid: Sequence[Choice] = ()

    def __iter__(self) -> Iterator[Choice]:
        return iter_distinct(self.choices, self.avoid)


def _text_length(choice: Choice) -> int:
    return len(choice.zh) + len(choice.en)


def pick_text(answer: Choice, tiers: Sequence[Sequence[Choice]], need: int,
              rng: random.Random, avoid: Sequence[Choice] = ()) -> tuple[Choice, ...] | None:
    """`need` wrong options, taken from the first tier first, none conflicting with the answer
    or with `avoid` (other right answers). Within a tier the pick is random among the
    candidates closest in length to the answer, so the right option does not stand out by
    being much longer or shorter. None if there are not enough."""
    chosen: list[Choice] = []
    target = _text_length(answer)
    for tier in tiers:
        missing = need - len(chosen)
        if missing <= 0:
            break
        pool = list(distinct(tier, (answer, *avoid, *chosen)))
        if len(pool) > missing:
            # As a stable sort would (ties keep KB order), without sorting the whole pool.
            pool = heapq.nsmallest(3 * missing, pool, key=lambda c: abs(_text_length(c) - target))
            pool = rng.sample(pool, missing)
        chosen.extend(pool)
    return tuple(chosen) if len(chosen) == need else None


@dataclass(frozen=True)
class Side:
    """Wrong numbers on one side of the answer, nearest first: those from the KB, then made-up
    ones used only when the KB has too few."""

    known: tuple[Choice, ...]
    made_up: tuple[Choice, ...]
    distance: Callable[[Choice], tuple[float, float]]  # sort key: nearest first

    def __len__(self) -> int:
        return len(self.known) + len(self.made_up)

    def take(self, count: int, rng: random.Random) -> list[Choice]:
        if count <= 0:
            return []
        if len(self.known) >= count:
            return rng.sample(self.known[:2 * count], count)
        # Too few known ones: the nearest of all, so that one far-off known value does not
        # stand out among made-up close ones.
        both = sorted(self.known + self.made_up, key=self.distance)
        return rng.sample(both[:2 * count], count)


def pick_ordered(below: Side, above: Side, need: int, rank: int,
                 rng: random.Random) -> tuple[tuple[Choice, ...], int] | None:
    """`need` wrong numbers placing the answer at `rank` (0 = smallest) among the options, or
    as close to it as the candidates allow; the wrong ones ascending, and the rank used."""
    low, high = max(0, need - len(above)), min(need, len(below))
    if low > high:
        return None
    rank = min(max(rank, low), high)
    chosen = below.take(rank, rng) + above.take(need - rank, rng)
    return tuple(sorted(chosen, key=lambda c: c.value or 0.0)), rank


class Numbers:
    """The wrong numbers for one answer: those of the KB (`known`, nearest first, each with the
    answer's wording) and made-up ones, which fill in where the KB has too few. Both are read
    only as far as needed: whether there are enough takes the nearest few known ones; the
    sides, which only a question that is asked needs, take them all. Made-up values that clash
    with a known one (or the answer) are dropped."""

    def __init__(self, answer: float, known: Iterable[Choice], made_up: Iterable[Choice],
                 distance: Callable[[float], float]):
        self._answer = Choice("", "", answer)
        self._known = iter_distinct(known, (self._answer,))
        self._kept: list[Choice] = []
        self._made_up = made_up
        self._distance = distance
        self._sides: tuple[Side, Side] | None = None

    def _order(self, choice: Choice) -> tuple[float, float]:
        return self._distance(choice.value), choice.value  # type: ignore[arg-type]

    def enough(self, need: int) -> bool:
        """True if there are `need` wrong numbers in all."""
        self._kept.extend(islice(self._known, max(0, need - len(self._kept))))
        if len(self._kept) >= need:
            return True
        below, above = self.sides()  # the KB has too few: they are all read already
        return len(below) + len(above) >= need

    def sides(self) -> tuple[Side, Side]:
        """The wrong numbers below and above the answer, each nearest first."""
        if self._sides is None:
            self._kept.extend(self._known)
            known = tuple(self._kept)
            made_up = distinct(sorted(self._made_up, key=self._order), (self._answer, *known))
            answer = self._answer.value

            def side(choices: tuple[Choice, ...], below: bool) -> tuple[Choice, ...]:
                return tuple(c for c in choices
                             if (c.value < answer) == below)  # type: ignore[operator]

            self._sides = (Side(side(known, True), side(made_up, True), self._order),
                           Side(side(known, False), side(made_up, False), self._order))
        return self._sides


def nearest_first(values: Sequence[float], answer: float, distance: Callable[[float], float],
                  limit: float) -> Iterator[int]:
    """Indices of `values` (ascending, each once) no further than `limit` from `answer`,
    nearest first and, of two as near, the smaller first: the order of sorting by
    (distance, value), found by walking out from the answer instead of sorting them all.
    `distance` must grow with the gap on either side of the answer."""
    above = bisect_left(values, answer)
    below = above - 1

    def far(i: int) -> float:
        if 0 <= i < len(values):
            gap = distance(values[i])
            if gap <= limit:
                return gap
        return math.inf

    gap_below, gap_above = far(below), far(above)
    while gap_below < math.inf or gap_above < math.inf:
        if gap_below <= gap_above:
            yield below
            below -= 1
            gap_below = far(below)
        else:
            yield above
            above += 1
            gap_above = far(above)


# -- years ---------------------------------------------------------------------------------------

YEAR_WINDOW = 40  # KB years further than this from the answer are not plausible options
DECADE_WINDOW = 60


def year_choice(year: int, decade: bool) -> Choice:
    if decade:
        text = date_text(year, decade=True)
        return Choice(text.zh, text.en, year)
    return Choice(str(year), str(year), year)


def year_numbers(year: int, decade: bool, years: Sequence[int],
                 latest: int = 9999) -> Numbers:
    """Wrong years (or decades) near `year`, from `years` (the KB's, ascending, each once).
    Made-up ones never pass `latest`, the last year the KB knows of: a year after the text was
    written is no plausible answer."""
    step, window = (10, DECADE_WINDOW) if decade else (1, YEAR_WINDOW)
    last = min(latest - latest % 10 if decade else latest, 9999)

    def distance(value: float) -> float:
        return abs(value - year)

    def known() -> Iterator[Choice]:
        for i in nearest_first(years, year, distance, window):
            other = years[i]
            if other != year and (not decade or other % 10 == year % 10):
                yield year_choice(other, decade)

    made_up = (year_choice(year + step * d, decade) for d in range(-6, 7)
               if d and 1 <= year + step * d <= last)
    return Numbers(year, known(), made_up, distance)


def year_sides(year: int, decade: bool, others: Iterable[int],
               latest: int = 9999) -> tuple[Side, Side]:
    """`year_numbers` from any years, in any order."""
    return year_numbers(year, decade, sorted(set(others)), latest).sides()


# -- other numbers -------------------------------------------------------------------------------

def _round_like(value: float, integral: bool) -> float:
    """Two significant digits; whole numbers stay whole."""
    if value == 0:
        return 0.0
    digits = 2 - int(math.floor(math.log10(abs(value)))) - 1
    rounded = round(value, digits)
    return float(round(rounded)) if integral and abs(rounded) >= 1 else float(rounded)


ADDITIVE_BELOW = 20  # small whole numbers are perturbed by adding, others by scaling
FACTORS = (0.5, 2, 0.25, 3, 0.2, 4, 1.5, 0.75, 5, 0.1, 10)


def figure_perturbations(value: float, upto: float | None,
                         cap: float | None) -> list[tuple[float, float | None]]:
    """Plausible wrong (value, upto) pairs: never negative (unless the answer is), never above
    `cap` (100 for percentages), never equal to the answer."""
    integral = value == int(value) and (upto is None or upto == int(upto))
    out: list[tuple[float, float | None]] = []
    if integral and 0 <= value < ADDITIVE_BELOW:
        width = 0.0 if upto is None else upto - value
        steps = [d for d in range(1, 8)] + [-d for d in range(1, 8)]
        for d in steps:
            low = value + d
            if low >= 1 or (low >= 0 and value == 0):
                out.append((low, None if upto is None else low + width))
    else:
        for factor in FACTORS:
            low = _round_like(value * factor, integral)
            high = None if upto is None else _round_like(upto * factor, integral)
            if low == 0 or (value > 0 and low < 0) or (high is not None and high <= low):
                continue
            out.append((low, high))
    if cap is not None:
        out = [(v, u) for v, u in out if (u if u is not None else v) <= cap]
    return [(v, u) for v, u in out if (v, u) != (value, upto)]


def figure_distance(answer: float):
    """Closeness of numbers on a log scale (a tenth and ten times are equally far)."""
    def distance(value: float) -> float:
        if value == answer:
            return 0.0
        if value <= 0 or answer <= 0:
            return abs(value - answer) + 1e9
        return abs(math.log(value / answer))
    return distance
