"""Options for a question: comparing answers, picking wrong ones, and plausible numbers."""

from __future__ import annotations

import math
import random
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache


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


@dataclass(frozen=True)
class Choice:
    """One option of a question. `value` is set for years and numbers, which are compared by
    value and shown in ascending order."""

    zh: str
    en: str
    value: float | None = None

    def show(self, lang: str) -> str:
        if lang == "en":
            return self.en
        # Numbers read the same in both languages; a pair would only be noise.
        if lang == "both" and self.value is None and norm(self.en) != norm(self.zh):
            return f"{self.zh} / {self.en}"
        return self.zh

    @property
    def keys(self) -> tuple[str, str]:
        return norm(self.zh), norm(self.en)


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """Text as options are compared: NFKC, case-folded, without spaces or punctuation, so that
    'OpenAI 成立' and 'openai成立。' count as the same option."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(c for c in folded if unicodedata.category(c)[0] not in "PZC")
    return kept or folded.strip()


def conflicts(a: Choice, b: Choice) -> bool:
    """True if a reader could not tell the two options apart, or both could be right: the
    same value, or the same text in either language (or across them: names are often
    written the same way in both)."""
    if a.value is not None and b.value is not None and a.value == b.value:
        return True
    ka, kb = a.keys, b.keys
    return ka[0] in kb or ka[1] in kb


def distinct(choices: Iterable[Choice], avoid: Iterable[Choice] = (),
             limit: int | None = None) -> tuple[Choice, ...]:
    """`choices` in order, without any that conflicts with an earlier one or with one in
    `avoid`; at most `limit` of them. (The test of `conflicts`, through sets: a pool may hold
    every fact of a kind.)"""
    texts: set[str] = set()
    values: set[float] = set()

    def remember(choice: Choice) -> None:
        texts.update(choice.keys)
        if choice.value is not None:
            values.add(choice.value)

    for choice in avoid:
        remember(choice)
    kept: list[Choice] = []
    for choice in choices:
        if limit is not None and len(kept) >= limit:
            break
        zh, en = choice.keys
        if zh in texts or en in texts or choice.value in values:
            continue
        remember(choice)
        kept.append(choice)
    return tuple(kept)


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
            pool.sort(key=lambda c: abs(_text_length(c) - target))  # stable: ties keep KB order
            pool = rng.sample(pool[:3 * missing], missing)
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


def split_sides(answer: float, known: Iterable[Choice], made_up: Iterable[Choice],
                distance) -> tuple[Side, Side]:
    """Sort candidates into those below and above `answer`, each nearest first; made-up values
    that clash with a known one (or the answer) are dropped."""
    answer_choice = Choice("", "", answer)
    known_kept = distinct(sorted(known, key=lambda c: (distance(c.value), c.value)),
                          (answer_choice,))
    made_kept = distinct(sorted(made_up, key=lambda c: (distance(c.value), c.value)),
                         (answer_choice, *known_kept))

    def side(choices: tuple[Choice, ...], below: bool) -> tuple[Choice, ...]:
        return tuple(c for c in choices if (c.value < answer) == below)  # type: ignore[operator]

    def by_distance(choice: Choice) -> tuple[float, float]:
        return distance(choice.value), choice.value  # type: ignore[return-value]

    return (Side(side(known_kept, True), side(made_kept, True), by_distance),
            Side(side(known_kept, False), side(made_kept, False), by_distance))


# -- years ---------------------------------------------------------------------------------------

YEAR_WINDOW = 40  # KB years further than this from the answer are not plausible options
DECADE_WINDOW = 60


def year_choice(year: int, decade: bool) -> Choice:
    if decade:
        return Choice(f"{year} 年代", f"the {year}s", year)
    return Choice(str(year), str(year), year)


def year_sides(year: int, decade: bool, others: Iterable[int],
               latest: int = 9999) -> tuple[Side, Side]:
    """Wrong years (or decades) near `year`. Made-up ones never pass `latest`, the last year
    the KB knows of: a year after the text was written is no plausible answer."""
    step, window = (10, DECADE_WINDOW) if decade else (1, YEAR_WINDOW)
    last = latest - latest % 10 if decade else latest
    known = [year_choice(y, decade) for y in set(others)
             if y != year and abs(y - year) <= window and (not decade or y % 10 == year % 10)]
    made_up = [year_choice(year + step * d, decade) for d in range(-6, 7)
               if d and 1 <= year + step * d <= min(last, 9999)]
    return split_sides(year, known, made_up, lambda v: abs(v - year))


# -- other numbers -------------------------------------------------------------------------------

def format_number(value: float) -> str:
    """300000 -> '300,000'; 0.25 -> '0.25'; 2.5e-7 -> '2.5e-07'."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.6g}"


def figure_texts(value: float, upto: float | None, qualifier: str, unit_zh: str,
                 unit_en: str) -> tuple[str, str]:
    number = format_number(value)
    if upto is not None:
        number += f"–{format_number(upto)}"
    if value == 1 and upto is None and unit_en.endswith("s") and not unit_en.endswith("ss"):
        unit_en = unit_en[:-1]  # 1 year, 2 years
    zh = number + (" " if unit_zh[:1].isalnum() else "") + unit_zh
    en = number + (" " if unit_en[:1].isalnum() else "") + unit_en
    prefix = {"about": ("约 ", "about "), "over": ("超过 ", "over ")}.get(qualifier, ("", ""))
    return prefix[0] + zh, prefix[1] + en


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
