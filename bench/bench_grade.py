"""Grading 1,000 members × 40 questions, with the report: the budget is 1 s of work beyond
start-up.

    python bench/bench_grade.py [MEMBERS]   (default 1000)

Builds the real KB's quiz (40 questions), fills answers.csv for a simulated group, then times,
in this process, reading the answers, grading, and writing the HTML and CSV report (and the
PDF, timed apart: Typst lays out a page per question).
"""

from __future__ import annotations

import json
import math
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizgen.grade import grade, read_answers  # noqa: E402
from quizgen.grade.answers import answers_template  # noqa: E402
from quizgen.grade.report import report_data, report_html, report_pdf, tables_csv  # noqa: E402


def main() -> None:
    members = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    quiz = json.loads((ROOT / "decks" / "brockman" / "quiz.json").read_text(encoding="utf-8"))
    rng = random.Random(1)
    rows = []
    for m in range(members):
        variant = quiz["variants"][m % len(quiz["variants"])]
        ability = rng.gauss(0, 1)
        letters = ["ABCD"[q["answer"]] if rng.random() < 1 / (1 + math.exp(-ability)) else
                   "ABCD"[(q["answer"] + 1) % 4] for q in variant["questions"]]
        rows.append(",".join([f"m{m}", variant["label"], *letters]))
    folder = Path(tempfile.mkdtemp())
    path = folder / "answers.csv"
    path.write_bytes(answers_template(quiz) + ("\n".join(rows) + "\n").encode())
    start = time.perf_counter()
    sheet = read_answers(path, quiz)
    read = time.perf_counter()
    grades = grade(sheet, quiz)
    graded = time.perf_counter()
    data = report_data(grades, quiz, quiz["settings"]["lang"])
    html = report_html(data)
    tables = tables_csv(data)
    reported = time.perf_counter()
    pdf = report_pdf(data)
    done = time.perf_counter()
    print(f"{members} members × {grades.questions} questions: read {read - start:.3f} s, grade "
          f"{graded - read:.3f} s, HTML + CSV report {reported - graded:.3f} s "
          f"({len(html) // 1024} KiB, {sum(map(len, tables.values())) // 1024} KiB); "
          f"all but the PDF {reported - start:.3f} s (budget 1 s); PDF "
          f"{done - reported:.3f} s ({'written' if pdf else 'no font'})")


if __name__ == "__main__":
    main()
