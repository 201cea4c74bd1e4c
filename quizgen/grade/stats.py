"""Scores and item analysis of a graded quiz, with a plain-words reading of every figure.

Classical test theory, as organisers meet it in AMC or R/exams: per question its difficulty
(the share who got it right), its discrimination (the corrected point-biserial: how its score
goes with the rest of the quiz; and the upper–lower 27 % index), how often each option was
chosen; for the quiz, KR-20 (how consistently it measures).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .answers import AnswerSheet

UPPER_LOWER = 0.27


@dataclass
class Member:
    name: str
    variant: str
    score: int
    total: int
    by_section: dict[str, tuple[int, int]]  # section id -> (right, asked)


@dataclass
class Item:
    id: str  # <fact>:<form>
    fact: str
    section: str
    stem: dict
    options: list[dict]  # the first variant's, then those other variants added
    answer: int
    answered: int  # members who chose something
    right: int
    difficulty: float  # share of all members right
    point_biserial: float | None
    upper_lower: float | None
    chosen: list[int]  # per canonical option
    flags: list[str] = field(default_factory=list)
    reading: list[str] = field(default_factory=list)


@dataclass
class Grades:
    members: list[Member]
    items: list[Item]
    kr20: float | None
    mean: float
    sd: float
    questions: int
    reading: str = ""

    def missed_most(self, below: float, most: int) -> list[str]:
        """The facts of the questions fewest got right (difficulty under `below`), hardest
        first: what the group should review."""
        hard = sorted((i for i in self.items if i.difficulty < below),
                      key=lambda i: (i.difficulty, i.id))
        return list(dict.fromkeys(i.fact for i in hard))[:most]


def _pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def grade(sheet: AnswerSheet, quiz: dict) -> Grades:
    canonical = quiz["variants"][0]["questions"]
    index = {q["id"]: i for i, q in enumerate(canonical)}
    # Every option a question had in any variant (a number question gets other wrong numbers
    # in each), the first variant's first.
    option_keys = [[(o["zh"], o["en"]) for o in q["options"]] for q in canonical]
    option_texts = [list(q["options"]) for q in canonical]
    for variant in quiz["variants"][1:]:
        for q in variant["questions"]:
            i = index[q["id"]]
            for o in q["options"]:
                if (o["zh"], o["en"]) not in option_keys[i]:
                    option_keys[i].append((o["zh"], o["en"]))
                    option_texts[i].append(o)
    variants = {v["label"]: v["questions"] for v in quiz["variants"]}
    k = len(canonical)
    # right[m][i]: member m got canonical question i right; choice[m][i]: canonical option.
    right: list[list[int]] = []
    chosen: list[list[int | None]] = []
    members = []
    for paper in sheet.papers:
        row_right, row_choice = [0] * k, [None] * k
        for number, q in enumerate(variants[paper.variant]):
            i = index[q["id"]]
            choice = paper.choices[number]
            if choice is None:
                continue
            row_choice[i] = option_keys[i].index((q["options"][choice]["zh"],
                                                  q["options"][choice]["en"]))
            row_right[i] = int(choice == q["answer"])
        right.append(row_right)
        chosen.append(row_choice)
        by_section: dict[str, list[int]] = {}
        for i, q in enumerate(canonical):
            counts = by_section.setdefault(q["section"], [0, 0])
            counts[0] += row_right[i]
            counts[1] += 1
        members.append(Member(paper.name, paper.variant, sum(row_right), k,
                              {s: (c[0], c[1]) for s, c in by_section.items()}))
    n = len(members)
    totals = [m.score for m in members]
    mean = sum(totals) / n
    variance = sum((t - mean) ** 2 for t in totals) / n
    order = sorted(range(n), key=lambda m: (-totals[m], members[m].name))
    group = max(1, round(UPPER_LOWER * n))
    upper, lower = order[:group], order[-group:]
    items = []
    sum_pq = 0.0
    for i, q in enumerate(canonical):
        column = [right[m][i] for m in range(n)]
        p = sum(column) / n
        sum_pq += p * (1 - p)
        rest = [totals[m] - column[m] for m in range(n)]
        pbis = _pearson([float(c) for c in column], [float(r) for r in rest])
        ul = (sum(column[m] for m in upper) - sum(column[m] for m in lower)) / group \
            if n >= 2 else None
        counts = [0] * len(option_keys[i])
        for m in range(n):
            if chosen[m][i] is not None:
                counts[chosen[m][i]] += 1
        item = Item(q["id"], q["fact"], q["section"], q["stem"], option_texts[i], q["answer"],
                    sum(counts), sum(column), p, pbis, ul, counts)
        item.flags, item.reading = _reading(item, [column[m] for m in upper],
                                            [column[m] for m in lower])
        items.append(item)
    kr20 = k / (k - 1) * (1 - sum_pq / variance) if k > 1 and variance > 0 else None
    grades = Grades(members, items, kr20, mean, math.sqrt(variance), k)
    grades.reading = _quiz_reading(kr20, k)
    return grades


def _reading(item: Item, upper: list[int], lower: list[int]) -> tuple[list[str], list[str]]:
    """Flags for the organiser, and each figure in plain words."""
    flags, words = [], []
    p = item.difficulty
    if p >= 0.9:
        words.append("almost everyone knew this")
    elif p >= 0.7:
        words.append("most of the group knew this")
    elif p >= 0.3:
        words.append("this split the group")
    else:
        words.append("most of the group missed this: worth reviewing together")
    r = item.point_biserial
    if r is None:
        words.append("everyone scored alike here, so it tells nothing about who knows more")
    elif r >= 0.3:
        words.append("those who did well overall mostly got it right: it measures well")
    elif r >= 0.1:
        words.append("it goes only weakly with the rest of the quiz")
    elif r >= 0:
        words.append("getting it right has little to do with the rest of the quiz")
    else:
        words.append("stronger members did worse on it than weaker ones: check the key and "
                     "the wording")
        flags.append("negative-discrimination")
    strong = sum(upper) / len(upper) if upper else 0
    if upper and strong < 0.5:
        flags.append("strong-members-miss-key")
        words.append("most of the strongest members missed the key")
    for j, count in enumerate(item.chosen):
        if j != item.answer and count == 0 and item.answered >= 5:
            flags.append(f"option-{chr(65 + j)}-never-chosen")
    if any(f.endswith("never-chosen") for f in flags):
        words.append("a wrong option nobody chose is no distractor: replace it")
    return flags, words


def _quiz_reading(kr20: float | None, k: int) -> str:
    if kr20 is None:
        return "every member scored the same, so the quiz's consistency cannot be told"
    if kr20 >= 0.8:
        return "the quiz measures consistently: a member's score says much about what they know"
    if kr20 >= 0.6:
        return "the quiz measures fairly: scores are a useful guide, not a verdict"
    return ("scores are mostly chance at this length: read the per-question figures rather "
            f"than ranking members (a quiz longer than {k} questions measures better)")
