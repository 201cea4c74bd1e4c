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
    upto: float | None = None  # the top of a range whose bottom is `value`
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


def printed_width(text: str) -> int:
    """Width in half-em units: Chinese characters count double."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def lengths(choice: Choice) -> tuple[int, int]:
    """How long an option looks: its Chinese by printed width, its English by letters."""
    return printed_width(choice.zh), len(choice.en)


def _gap(choice: Choice, target: tuple[int, int]) -> float:
    zh, en = lengths(choice)
    return abs(zh - target[0]) / max(target[0], 1) + abs(en - target[1]) / max(target[1], 1)


def longest_in(answer: Choice, wrong: Sequence[Choice]) -> list[int]:
    """The languages (0 zh, 1 en) in which the answer is strictly the longest option."""
    key = lengths(answer)
    others = [lengths(c) for c in wrong]
    return [i for i in (0, 1) if others and all(key[i] > o[i] for o in others)]


def covering(answer: Choice, tiers: Sequence[Sequence[Choice]], need: int,
             rng: random.Random, avoid: Sequence[Choice],
             cover: tuple[set[str], Callable[[Choice], set[str]],
                          Callable[[Sequence[Choice], set[str]], Iterable[Choice]]],
             ) -> tuple[list[Choice], set[str]]:
    """As few wrong options (at most `need`) as echo every word of the stem the answer
    repeats, each from the earliest tier that can (see `pick_text`); and the words left
    uncovered. An echo only the answer has would give it away."""
    words, words_of, having = cover
    chosen: list[Choice] = []
    uncovered = set(words)
    while uncovered and len(chosen) < need:
        best: list[Choice] = []
        for tier in tiers:
            gains = [(len(uncovered & words_of(c)), c)
                     for c in distinct(having(tier, uncovered), (answer, *avoid, *chosen))]
            top = max((g for g, _ in gains), default=0)
            if top and (not best or top > len(uncovered & words_of(best[0]))):
                best = [c for g, c in gains if g == top]
        if not best:
            break
        chosen.append(rng.choice(best))
        uncovered -= words_of(chosen[-1])
    return chosen, uncovered


def pick_text(answer: Choice, tiers: Sequence[Sequence[Choice]], need: int,
              rng: random.Random, avoid: Sequence[Choice] = (),
              cover: tuple[set[str], Callable[[Choice], set[str]],
                           Callable[[Sequence[Choice], set[str]], Iterable[Choice]]] | None = None,
              ) -> tuple[Choice, ...] | None:
    """`need` wrong options, taken from the first tier first, none conflicting with the answer
    or with `avoid` (other right answers). Within a tier the pick is random among the
    candidates closest in length to the answer, and where the answer would still be the
    longest option, one at least as long takes the place of the shortest pick: length must
    not give the answer away. `cover` is (words, the words of an option, the options of a
    tier with any of some words): words of the stem that the answer repeats, which some wrong
    options must repeat too (taken first, as few as cover them). None if there are not
    enough."""
    target = lengths(answer)
    chosen = covering(answer, tiers, need, rng, avoid, cover)[0] if cover else []
    for tier in tiers:
        missing = need - len(chosen)
        if missing <= 0:
            break
        pool = list(distinct(tier, (answer, *avoid, *chosen)))
        if len(pool) > missing:
            # At random among those nearest in length (as a stable sort would: ties keep
            # KB order), without sorting the whole pool.
            near = heapq.nsmallest(3 * missing, pool, key=lambda c: _gap(c, target))
            picked = rng.sample(near, missing)
            for lang in longest_in(answer, chosen + picked):
                longer = [c for c in pool if c not in picked and lengths(c)[lang] >= target[lang]
                          and lengths(c)[lang] <= 2 * target[lang]]
                if longer:
                    shortest = min(picked, key=lambda c: lengths(c)[lang])
                    picked[picked.index(shortest)] = min(longer, key=lambda c: _gap(c, target))
            pool = picked
        chosen.extend(pool)
    return tuple(chosen) if len(chosen) == need else None


@dataclass(frozen=True)
class Side:
    """Wrong numbers on one side of the answer: the author's (`preferred`), then those from
    the KB, nearest first, then made-up ones used only when the KB has too few."""

    known: tuple[Choice, ...]
    made_up: tuple[Choice, ...]
    distance: Callable[[Choice], tuple[float, float]]  # sort key: nearest first
    preferred: tuple[Choice, ...] = ()

    def __len__(self) -> int:
        return len(self.preferred) + len(self.known) + len(self.made_up)

    def ranked(self, need: int, rng: random.Random) -> tuple[Choice, ...]:
        """Every wrong number of this side in the order a quiz takes them: the author's
        first, then a random order of the nearest few (so that two quizzes differ), then the
        rest nearest first. Known ones are preferred while there are enough of them; else the
        nearest of all, so that one far-off known value does not stand out among made-up
        close ones."""
        rest = sorted(self.known + self.made_up, key=self.distance)
        pool = list(self.known) if len(self.known) >= need else rest
        near = pool[:2 * need]
        rng.shuffle(near)
        taken = set(map(id, near))
        return self.preferred + tuple(near) + tuple(c for c in rest if id(c) not in taken)


def ordered_options(answer: Choice, below: Sequence[Choice], above: Sequence[Choice],
                    need: int, rank: int) -> tuple[tuple[Choice, ...], int]:
    """The answer and `need` wrong numbers, ascending, with the answer at `rank` (0 = the
    smallest) or as close to it as the two sides allow; and the rank used."""
    low, high = max(0, need - len(above)), min(need, len(below))
    rank = min(max(rank, low), high)
    chosen = (*below[:rank], answer, *above[:need - rank])
    return tuple(sorted(chosen, key=lambda c: c.value or 0.0)), rank


class Numbers:
    """The wrong numbers for one answer: the author's (`preferred`, always offered first),
    those of the KB (`known`, nearest first, each with the answer's wording) and made-up ones,
    which fill in where the KB has too few. Known ones are read only as far as needed: whether
    there are enough takes the nearest few; the sides, which only a question that is asked
    needs, take them all. Made-up values that clash with a known one (or the answer) are
    dropped."""

    def __init__(self, answer: float, known: Iterable[Choice], made_up: Iterable[Choice],
                 distance: Callable[[float], float], preferred: Iterable[Choice] = ()):
        self._answer = Choice("", "", answer)
        self._preferred = distinct(preferred, (self._answer,))
        self._known = iter_distinct(known, (self._answer, *self._preferred))
        self._kept: list[Choice] = []
        self._made_up = made_up
        self._distance = distance
        self._sides: tuple[Side, Side] | None = None

    def _order(self, choice: Choice) -> tuple[float, float]:
        return self._distance(choice.value), choice.value  # type: ignore[arg-type]

    def enough(self, need: int) -> bool:
        """True if there are `need` wrong numbers in all."""
        missing = need - len(self._preferred)
        self._kept.extend(islice(self._known, max(0, missing - len(self._kept))))
        if len(self._kept) >= missing:
            return True
        below, above = self.sides()  # the KB has too few: they are all read already
        return len(below) + len(above) >= need

    def sides(self) -> tuple[Side, Side]:
        """The wrong numbers below and above the answer, each nearest first."""
        if self._sides is None:
            self._kept.extend(self._known)
            known = tuple(self._kept)
            made_up = distinct(sorted(self._made_up, key=self._order),
                               (self._answer, *self._preferred, *known))
            answer = self._answer.value

            def side(choices: tuple[Choice, ...], below: bool) -> tuple[Choice, ...]:
                return tuple(c for c in choices
                             if (c.value < answer) == below)  # type: ignore[operator]

            sides = []
            for below in (True, False):
                preferred, kb, invented = _disjoint(
                    side(self._preferred, below), side(known, below), side(made_up, below))
                sides.append(Side(kb, invented, self._order, preferred))
            self._sides = tuple(sides)  # type: ignore[assignment]
        return self._sides  # type: ignore[return-value]


def _disjoint(*groups: tuple[Choice, ...]) -> list[tuple[Choice, ...]]:
    """The groups, best first, without any range that overlaps one kept before it: wrong
    ranges that overlap each other but not the answer would single the answer out."""
    kept: list[Choice] = []
    out = []
    for group in groups:
        taken = []
        for c in group:
            if c.upto is None or all(c.upto < k.value or c.value > k.upto  # type: ignore
                                     for k in kept):
                kept.append(c)
                taken.append(c)
        out.append(tuple(taken))
    return out


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

# No year further than this from the answer is offered: a reader who knows roughly when
# something happened must still have to know the year. (Decades: three either side.)
YEAR_WINDOW = 8
DECADE_WINDOW = 30


def year_choice(year: int, decade: bool) -> Choice:
    if decade:
        text = date_text(year, decade=True)
        return Choice(text.zh, text.en, year)
    return Choice(str(year), str(year), year)


def year_numbers(year: int, decade: bool, years: Sequence[int], latest: int = 9999,
                 earliest: int = 1) -> Numbers:
    """Wrong years (or decades) near `year`: those of `years` (the KB's, ascending, each once)
    within the window, then made-up ones. None before `earliest` or after `latest` (the last
    year the text knows of, or an event's own `not_after`): a year the event cannot have
    happened in is no plausible answer."""
    step, window = (10, DECADE_WINDOW) if decade else (1, YEAR_WINDOW)
    last = min(latest - latest % 10 if decade else latest, 9999)

    def distance(value: float) -> float:
        return abs(value - year)

    def possible(other: int) -> bool:
        return earliest <= other <= last and (not decade or other % 10 == year % 10)

    def known() -> Iterator[Choice]:
        for i in nearest_first(years, year, distance, window):
            other = years[i]
            if other != year and possible(other):
                yield year_choice(other, decade)

    reach = window // step
    made_up = (year_choice(year + step * d, decade) for d in range(-reach, reach + 1)
               if d and possible(year + step * d))
    return Numbers(year, known(), made_up, distance)


def year_sides(year: int, decade: bool, others: Iterable[int],
               latest: int = 9999) -> tuple[Side, Side]:
    """`year_numbers` from any years, in any order."""
    return year_numbers(year, decade, sorted(set(others)), latest).sides()


# -- other numbers -------------------------------------------------------------------------------

def _round_like(value: float, integral: bool) -> float:
    """A round number near `value`, as people write made-up ones: two significant digits,
    the second 0 or 5 (78.75 -> 80, 525,000 -> 500,000, 5.4 -> 5.5); whole numbers stay
    whole. A made-up option that looks oddly precise beside the answer would give it away."""
    if value == 0:
        return 0.0
    unit = 10.0 ** (int(math.floor(math.log10(abs(value)))) - 1) * 5
    rounded = round(value / unit) * unit
    if integral:
        return float(max(1, round(rounded))) if abs(rounded) >= 1 else float(round(value))
    return float(f"{rounded:.12g}")


# A wrong number lies within ×0.5–×2 of the answer; small counts (below 10) are offered at
# most 3 away instead, so that "3 core properties" is not asked against 6.
BAND = (0.5, 2.0)
SMALL_COUNT = 10
SMALL_STEPS = 3
FACTORS = (0.5, 2, 0.75, 1.5, 0.6, 1.25, 0.8, 1.75, 0.7, 1.3)


def plausible_number(value: float, upto: float | None, other: float,
                     other_upto: float | None) -> bool:
    """True if `other` (to `other_upto`) is a wrong number a reader could take for `value`
    (to `upto`): near enough (see BAND) and, for ranges, not overlapping the answer's."""
    if other == value and other_upto == upto:
        return False
    if (upto is None) != (other_upto is None):
        return False
    if upto is not None and not (other_upto < value or other > upto):  # type: ignore[operator]
        return False
    if value == int(value) and 0 <= value < SMALL_COUNT and upto is None:
        return (other == int(other) and min(value, 1) <= other
                and abs(other - value) <= SMALL_STEPS)
    if value <= 0 or other <= 0:
        return value == other == 0 or (value < 0 and other < 0)
    if upto is not None:  # ranges: their middles, as a reader would compare them
        value, other = (value + upto) / 2, (other + other_upto) / 2  # type: ignore[operator]
    return BAND[0] <= other / value <= BAND[1]


def figure_perturbations(value: float, upto: float | None,
                         cap: float | None) -> list[tuple[float, float | None]]:
    """Plausible wrong (value, upto) pairs (`plausible_number`): never above `cap` (100 for
    percentages), never the answer, ranges never overlapping it."""
    integral = value == int(value) and (upto is None or upto == int(upto))
    out: list[tuple[float, float | None]] = []
    if integral and upto is None and 0 <= value < 2 * SMALL_COUNT:
        out.extend((value + d, None) for d in (1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6, 7, -7))
    elif integral and upto is not None and upto < 10 * SMALL_COUNT:
        # Ranges clear of the answer's, as wide as it or nearly, and as round: both ends on
        # the largest of 10, 5 or 2 that the answer's ends are multiples of.
        # (Any whole ends where too few round ones are plausible.)
        width = int(upto - value)
        for step in (next((k for k in (10, 5, 2) if value % k == 0 and upto % k == 0), 1), 1):
            for w in dict.fromkeys((width, max(1, width - 1), width + 1, max(1, width // 2))):
                for low in range(int(value) - 3 * width - 3, int(upto) + 3 * width + 4):
                    if low % step == 0 and w % step == 0:
                        out.append((float(low), float(low + w)))
            if sum(plausible_number(value, upto, v, u) for v, u in out) >= SMALL_STEPS:
                break
    for factor in FACTORS:
        low = _round_like(value * factor, integral)
        high = None if upto is None else _round_like(upto * factor, integral)
        out.append((low, high))
    if cap is not None:
        out = [(v, u) for v, u in out if (u if u is not None else v) <= cap]
    seen: set = set()
    kept = []
    for v, u in out:
        if (v, u) not in seen and plausible_number(value, upto, v, u):
            seen.add((v, u))
            kept.append((v, u))
    return kept


def figure_distance(answer: float):
    """Closeness of numbers on a log scale (a tenth and ten times are equally far)."""
    def distance(value: float) -> float:
        if value == answer:
            return 0.0
        if value <= 0 or answer <= 0:
            return abs(value - answer) + 1e9
        return abs(math.log(value / answer))
    return distance
