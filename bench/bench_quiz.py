"""How long printable quizzes take: a 40-question, 4-variant quiz with its key and glossary.

    python bench/bench_quiz.py [KB]      (default source/)

Figures, all wall time:
- the whole `quizgen quiz` command in a fresh process (start-up, load, check, render, write);
- in one process: the first render (which also finds and loads the CJK font) and later ones
  (best of a few, each with another seed so Typst cannot reuse an earlier layout), split into
  questions, HTML and each PDF;
- a synthetic KB with a bank of about 1,000 questions: building the bank, the same 40 x 4
  quiz from it, and all its questions in one variant;
- the whole 40 x 4 quiz set (questions, quiz, key and glossary, HTML and PDF) of synthetic KBs
  of 1,000 and 10,000 facts, and how much longer the larger one takes.
The budgets: 1 s for the 40 x 4 quiz and key of the real KB, and time that grows about
linearly with the KB (the 10,000-fact set at most 15 times the 1,000-fact one). If KB does not
load, the fixture KB plus a synthetic one of the same size stands in for it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from synth import write_synthetic  # noqa: E402

from quizgen.errors import QuizgenError  # noqa: E402
from quizgen.load import load  # noqa: E402
from quizgen.quiz import FILES, QuizOptions, build_quiz_set  # noqa: E402
from quizgen.quiz.bank import build_bank  # noqa: E402
from quizgen.quiz.document import glossary_document, quiz_documents  # noqa: E402
from quizgen.quiz.fonts import find_cjk_font  # noqa: E402
from quizgen.quiz.html import render_html  # noqa: E402
from quizgen.quiz.pdf import font_set, render_pdf  # noqa: E402
from quizgen.quiz.variants import filter_facts  # noqa: E402

BUDGET = 1.0
ROUNDS = 3
SIZES = (1_000, 10_000)  # facts of the synthetic KBs whose quiz sets are compared
GROWTH = 15.0  # most the larger set may take, in multiples of the smaller one (10 is linear)


def timed(fn, *args, **kw):
    start = time.perf_counter()
    value = fn(*args, **kw)
    return value, time.perf_counter() - start


def kb_path(given: Path, scratch: Path) -> Path:
    """`given` if it loads; else the fixture KB and synthetic facts in one folder."""
    try:
        load(given)
        return given
    except QuizgenError as e:
        print(f"{given} does not load ({e.problems[0]}); using the fixture + synthetic facts")
    folder = write_synthetic(200, scratch / "stand-in")
    fixture = ROOT / "tests" / "fixtures" / "valid"
    (folder / "fixture-facts.yaml").write_text((fixture / "facts.yaml").read_text("utf-8"),
                                               encoding="utf-8")
    (folder / "deck.yaml").write_text((fixture / "deck.yaml").read_text("utf-8").replace(
        "sections:\n", "sections:\n  - {id: s1, number: 11, title: {zh: 一, en: one}}\n"
        "  - {id: s2, number: 12, title: {zh: 二, en: two}}\n"
        "  - {id: s3, number: 13, title: {zh: 三, en: three}}\n"), encoding="utf-8")
    return folder


def whole_command(path: Path, out: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "quizgen", "quiz", str(path), "--out", str(out),
                    "--questions", "40", "--variants", "4"], check=True, capture_output=True,
                   cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return time.perf_counter() - start


def render_parts(kb, options: QuizOptions, fonts) -> dict[str, float]:
    """One render, timed part by part (the same steps as render_quiz_set)."""
    times = {}
    quiz, times["questions"] = timed(build_quiz_set, kb, options)
    (quiz_data, key_data), times["quiz/key data"] = timed(quiz_documents, kb, quiz, options)
    # The glossary's data needs pinyin (the first call imports pypinyin).
    glossary_data, times["glossary data"] = timed(glossary_document, kb, options)
    documents = {"quiz": quiz_data, "quiz-key": key_data, "glossary": glossary_data}
    for name, data in documents.items():
        _, times[f"{name}.html"] = timed(render_html, FILES[name][1], data)
    for name, data in documents.items():
        _, times[f"{name}.pdf"] = timed(render_pdf, FILES[name][0], data, fonts)
    times["quiz + key"] = sum(v for k, v in times.items() if "glossary" not in k)
    times["total"] = sum(v for k, v in times.items() if k != "quiz + key")
    return times


def show(label: str, times: dict[str, float]) -> None:
    parts = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in times.items())
    print(f"  {label}: {parts}")


def main(path: Path) -> bool:
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        path = kb_path(path, scratch)
        cjk = find_cjk_font()
        if cjk is None:
            print("no font with Chinese glyphs: install fonts-noto-cjk to time the PDFs")
            return False
        print(f"CJK font: {cjk}")

        command = min(whole_command(path, scratch / f"out{i}") for i in range(ROUNDS))
        print(f"`quizgen quiz {path} -n 40 -k 4`, fresh process, best of {ROUNDS}: "
              f"{command * 1000:.0f} ms")

        loaded, load_time = timed(load, path)
        kb = loaded.kb
        print(f"{path}: {len(kb.facts)} facts, loaded in {load_time * 1000:.0f} ms")
        fonts, font_time = timed(font_set, cjk)
        print(f"  font found and loaded by Typst: {font_time * 1000:.0f} ms (once per process)")
        base = QuizOptions.from_deck(kb.deck, questions=40, variants=4)
        show("first render", render_parts(kb, base, fonts))
        later = [render_parts(kb, QuizOptions.from_deck(kb.deck, questions=40, variants=4,
                                                        seed=1000 + i), fonts)
                 for i in range(ROUNDS)]
        best = min(later, key=lambda t: t["total"])
        show(f"later renders, best of {ROUNDS}", best)
        ok = best["quiz + key"] < BUDGET

        synthetic = load(write_synthetic(480, scratch / "synthetic")).kb
        facts = filter_facts(synthetic, base)
        bank, bank_time = timed(build_bank, synthetic, facts, 4)
        size = sum(map(len, bank.forms.values()))
        print(f"synthetic KB: {len(synthetic.facts)} facts, a bank of "
              f"{size:,} questions judged in {bank_time * 1000:.0f} ms")
        synth_options = QuizOptions.from_deck(synthetic.deck, questions=40, variants=4, seed=9)
        show("40 x 4 from it", render_parts(synthetic, synth_options, fonts))
        every = QuizOptions.from_deck(synthetic.deck, questions=size, variants=1, seed=9)
        times = render_parts(synthetic, every, fonts)
        show(f"all {size:,} questions, 1 variant", times)

        growth = scaling(scratch, fonts)

        print(f"budget: 40 x 4 quiz + key under {BUDGET:.0f} s in-process: "
              f"{'met' if ok else 'MISSED'} ({best['quiz + key'] * 1000:.0f} ms)")
        linear = growth <= GROWTH
        print(f"budget: {SIZES[1]:,}-fact quiz set at most {GROWTH:.0f} x the {SIZES[0]:,}-fact "
              f"one: {'met' if linear else 'MISSED'} (x {growth:.1f})")
        return ok and linear


def scaling(scratch: Path, fonts) -> float:
    """The 40 x 4 quiz set of synthetic KBs of each of SIZES facts, part by part; how many
    times longer the largest takes than the smallest. Each KB has texts of its own, so that
    none finds the work of another in a cache."""
    print("quiz set of synthetic KBs (40 x 4, key and glossary), first render of each:")
    runs = []
    for n in SIZES:
        kb = load(write_synthetic(n, scratch / f"synthetic-{n}", seed=n)).kb
        times = render_parts(kb, QuizOptions.from_deck(kb.deck, questions=40, variants=4,
                                                       seed=5), fonts)
        show(f"{n:,} facts", times)
        runs.append(times)
    small, large = runs[0], runs[-1]

    def growth(part: str) -> str:
        return (f"x {large[part] / small[part]:.1f} ({small[part] * 1000:,.0f} -> "
                f"{large[part] * 1000:,.0f} ms)")

    print(f"  {SIZES[-1] / SIZES[0]:.0f} x the facts: the quiz set {growth('total')}; its "
          f"questions {growth('questions')}, the glossary PDF {growth('glossary.pdf')}")
    return large["total"] / small["total"]


if __name__ == "__main__":
    sys.exit(0 if main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "source" / "brockman") else 1)
