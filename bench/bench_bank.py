"""How good the questions a KB can yield are: the item-writing statistics of the whole bank.

    python bench/bench_bank.py [KB]      (default source/)

Every question the KB can yield (its bank: every form of every quizzable fact, finished once
with 4 options and a fixed seed) is measured:
- the key is strictly the longest option (Chinese by printed width, English by letters), over
  the questions whose options are texts; target at most 1/n + 10 % (35 % with 4 options); and
  strictly the shortest, which must not become the cue instead;
- figure questions with an option beyond ×0.5–×2 of the key (small counts below 10: beyond
  ±3), and beyond the looser ×0.4–×2.5; range options that overlap the key's range;
- year questions with an option more than 10 years (3 decades) from the key, or outside the
  event's `not_before`/`not_after`;
- the answer readable from the stem: the key's text inside the stem, or a word of the stem
  (a Latin word of 3+ letters) found in the key and in no wrong option;
- a fact asked twice in one variant;
and of the deck's default quiz (its questions, variants and seed): questions per kind, date
questions, and number questions whose key letter is the same in every variant.
"""

from __future__ import annotations

import random
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizgen.load import load  # noqa: E402
from quizgen.quiz import QuizOptions, build_quiz_set  # noqa: E402
from quizgen.quiz.bank import build_bank  # noqa: E402
from quizgen.quiz.variants import filter_facts  # noqa: E402
from quizgen.quiz.distractors import norm, printed_width  # noqa: E402

_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9'-]{2,}")
_STOP = {"the", "and", "for", "was", "are", "its", "his", "her", "what", "which", "who",
         "does", "did", "how", "that", "this", "with", "from", "not", "one", "these", "when",
         "according", "why", "has", "have", "had", "than", "into", "about", "they", "them",
         "their", "there", "been", "would", "can", "could", "should", "will", "term", "means",
         "english", "chinese", "year", "happened", "following"}


def words(text: str) -> set[str]:
    return {w.lower() for w in _LATIN.findall(text)} - _STOP


def giveaway(question, key, wrong, lang: str) -> str | None:
    """Why the key can be read from the stem as a reader of `lang` sees them, or None."""
    shown_lang = question.option_lang or lang

    def shown(choice) -> str:
        return choice.en if shown_lang == "en" else choice.zh

    stem = question.stem.en if lang == "en" else question.stem.zh
    k = norm(shown(key))
    if len(k) >= 2 and k in norm(stem):
        return "key in stem"
    shared = words(stem) & words(shown(key))
    for w in wrong:
        shared -= words(shown(w))
    return f"a stem word in the key only: {sorted(shared)}" if shared else None


def number_band(item) -> tuple[bool, bool, bool]:
    """(beyond ×0.5–×2 or ±3 for small counts, beyond ×0.4–×2.5, a range overlapping)."""
    key = item.options[item.answer]
    tight = loose = overlap = False
    def span(choice) -> tuple[float, float] | None:
        found = re.findall(r"([\d,.]+)\s*[–-]\s*([\d,.]+)", choice.en)
        return tuple(float(x.replace(",", "")) for x in found[0]) if found else None

    kv, key_span = key.value, span(key)
    for i, o in enumerate(item.options):
        if i == item.answer or o.value is None or kv is None or kv <= 0:
            continue
        o_span = span(o)
        if key_span and o_span:  # ranges: compared by their middles
            a, b = o_span
            c, d = key_span
            overlap |= not (b < c or a > d)
            ratio = (a + b) / (c + d)
        else:
            ratio = o.value / kv
        small = kv == int(kv) and kv < 10 and not key_span
        if small:
            tight |= abs(o.value - kv) > 3
        else:
            tight |= not 0.5 <= ratio <= 2
        loose |= not 0.4 <= ratio <= 2.5
    return tight, loose, overlap


class Item(NamedTuple):
    question: object
    options: tuple
    answer: int


def bank_stats(kb, facts_by_id) -> dict:
    """Every question of the bank, each finished once (seeded) with 4 options."""
    facts = filter_facts(kb, QuizOptions.from_deck(kb.deck))
    t0 = time.perf_counter()
    bank = build_bank(kb, facts, 4)
    items = []
    for candidate in bank.candidates:
        question = candidate.finish(3, random.Random(candidate.id), 1)
        if question is not None:
            items.append(Item(question, question.options,
                              question.options.index(question.answer)))
    took = time.perf_counter() - t0
    text_items = [i for i in items if all(o.value is None for o in i.options)]
    stats: dict = {"questions": len(items), "seconds": took}
    stats["forms"] = Counter(f"{i.question.kind}:{i.question.form}" for i in items)
    for lang in ("zh", "en"):
        measure = printed_width if lang == "zh" else len

        def longest(item, measure=measure, lang=lang) -> bool:
            lengths = [measure(getattr(o, lang)) for o in item.options]
            key = lengths[item.answer]
            return all(key > n for j, n in enumerate(lengths) if j != item.answer)

        def shortest(item, measure=measure, lang=lang) -> bool:
            lengths = [measure(getattr(o, lang)) for o in item.options]
            key = lengths[item.answer]
            return all(key < n for j, n in enumerate(lengths) if j != item.answer)

        stats[f"longest_{lang}"] = (sum(map(longest, text_items)), len(text_items))
        stats[f"shortest_{lang}"] = (sum(map(shortest, text_items)), len(text_items))
        claims = [i for i in text_items if i.question.kind == "claim"]
        stats[f"longest_claims_{lang}"] = (sum(map(longest, claims)), len(claims))
    figures = [i for i in items if i.question.kind == "figure"]
    bands = [number_band(i) for i in figures]
    stats["figures"] = len(figures)
    stats["figure_beyond_tight"] = sum(b[0] for b in bands)
    stats["figure_beyond_loose"] = sum(b[1] for b in bands)
    stats["range_overlap"] = sum(b[2] for b in bands)
    years = [i for i in items if i.question.form == "year"]
    far = impossible = 0
    for item in years:
        fact = facts_by_id[item.question.fact_id]
        key = item.options[item.answer].value
        span = 30 if fact.decade else 10
        values = [o.value for o in item.options]
        far += any(abs(v - key) > span for v in values)
        low = getattr(fact, "not_before", None) or 0
        high = getattr(fact, "not_after", None) or 9999
        impossible += any(not low <= v <= high for v in values)
    stats["years"], stats["year_far"], stats["year_impossible"] = len(years), far, impossible
    for lang in ("zh", "en"):
        cues = []
        for item in items:
            key = item.options[item.answer]
            wrong = [o for j, o in enumerate(item.options) if j != item.answer]
            why = giveaway(item.question, key, wrong, lang)
            if why:
                cues.append(f"{item.question.id}: {why}")
        stats[f"stem_cues_{lang}"] = cues
    return stats


def default_quiz_stats(kb) -> dict:
    options = QuizOptions.from_deck(kb.deck)
    quiz = build_quiz_set(kb, options)
    first = quiz.variants[0].items
    stats = {"questions": len(first), "variants": len(quiz.variants),
             "kinds": Counter(i.question.kind for i in first),
             "sections": Counter(i.question.section for i in first),
             "dates": sum(i.question.form == "year" for i in first)}
    repeats = 0
    for variant in quiz.variants:
        ids = [i.question.fact_id for i in variant.items]
        repeats += len(ids) - len(set(ids))
    stats["fact_repeats"] = repeats
    letters: dict[str, set[int]] = {}
    for variant in quiz.variants:
        for item in variant.items:
            if item.options[item.answer].value is not None:
                letters.setdefault(item.question.id, set()).add(item.answer)
    stats["numbers"] = len(letters)
    stats["numbers_same_letter"] = sum(len(s) == 1 for s in letters.values())
    return stats


def pct(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f} %)" if whole else "0/0"


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "source" / "brockman"
    kb = load(source).kb
    facts_by_id = {f.id: f for f in kb.facts}
    b = bank_stats(kb, facts_by_id)
    print(f"bank: {b['questions']} questions from {len(kb.facts)} facts "
          f"({b['seconds'] * 1000:.0f} ms)")
    for form, n in sorted(b["forms"].items()):
        print(f"  {form:24} {n}")
    print(f"key strictly longest, zh: {pct(*b['longest_zh'])}; en: {pct(*b['longest_en'])}"
          "   (target <= 35 %)")
    print(f"  claims only, zh: {pct(*b['longest_claims_zh'])}; en: {pct(*b['longest_claims_en'])}")
    print(f"key strictly the shortest, zh: {pct(*b['shortest_zh'])}; en: {pct(*b['shortest_en'])}"
          "   (chance: 25 %)")
    print(f"figures with an option beyond x0.5-x2 (small counts +-3): "
          f"{pct(b['figure_beyond_tight'], b['figures'])}; beyond x0.4-x2.5: "
          f"{pct(b['figure_beyond_loose'], b['figures'])}; ranges overlapping the key: "
          f"{b['range_overlap']}")
    print(f"years with an option >10 years (3 decades) off: {pct(b['year_far'], b['years'])}; "
          f"outside not_before/not_after: {b['year_impossible']}")
    for lang in ("zh", "en"):
        cues = b[f"stem_cues_{lang}"]
        print(f"answer readable from the stem ({lang}): {pct(len(cues), b['questions'])}")
        for cue in cues:
            print(f"  {cue}")
    d = default_quiz_stats(kb)
    print(f"default quiz: {d['questions']} questions x {d['variants']} variants; "
          f"date questions {d['dates']}; a fact twice in a variant: {d['fact_repeats']}")
    print("  by kind: " + ", ".join(f"{k} {n}" for k, n in d["kinds"].most_common()))
    print("  by section: " + ", ".join(f"{k} {n}" for k, n in sorted(d["sections"].items())))
    print(f"  number questions with one key letter in all variants: "
          f"{pct(d['numbers_same_letter'], d['numbers'])}")


if __name__ == "__main__":
    main()
