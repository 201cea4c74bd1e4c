"""What the self-test, the group's page and every export add to a full build of the real KB.

    python bench/bench_site.py [ROUNDS]   (default 7)

Times, in this process after a first warm-up round, rendering selftest.html from quiz.json,
the group's page, and each export; the budget is 0.3 s for all of them together.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizgen.exports import FORMATS, export  # noqa: E402
from quizgen.project import group_page, project_texts  # noqa: E402
from quizgen.site.selftest import selftest_html  # noqa: E402

BUDGET = 0.3


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    quiz = json.loads((ROOT / "decks" / "brockman" / "quiz.json").read_text(encoding="utf-8"))
    texts = project_texts(ROOT / "source", ROOT / "decks")
    steps = {"selftest.html": lambda: selftest_html(quiz),
             "index.html": lambda: group_page(texts, ROOT / "decks"),
             **{f"export {fmt}": (lambda fmt=fmt: export(quiz, fmt)) for fmt in FORMATS}}
    times: dict[str, list[float]] = {name: [] for name in steps}
    first = {}
    for round_ in range(rounds + 1):
        for name, step in steps.items():
            start = time.perf_counter()
            step()
            elapsed = time.perf_counter() - start
            if round_ == 0:
                first[name] = elapsed  # imports (openpyxl, Jinja2's compile) included
            else:
                times[name].append(elapsed)
    for name in steps:
        print(f"{name:16} first {first[name] * 1000:6.1f} ms   median "
              f"{statistics.median(times[name]) * 1000:6.1f} ms")
    total_first = sum(first.values())
    total = sum(statistics.median(t) for t in times.values())
    print(f"all together: first {total_first:.3f} s, then median {total:.3f} s "
          f"(budget {BUDGET} s)")


if __name__ == "__main__":
    main()
