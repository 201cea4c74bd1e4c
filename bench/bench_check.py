"""Wall time of `quizgen check`, start-up included: the real KB, and synthetic KBs of 1,000 to
10,000 facts to show how it grows.  Run: python bench/bench_check.py [--runs N]"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synth import write_synthetic  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def wall(cmd: list[str], runs: int) -> tuple[float, float]:
    """(median, best) seconds of `runs` runs of cmd, after one warm-up run."""
    subprocess.run(cmd, check=True, capture_output=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    check = [sys.executable, "-m", "quizgen", "check"]
    script = Path(sys.executable).parent / "quizgen"

    med, best = wall(check + [str(ROOT / "source" / "brockman")], args.runs)
    print(f"real KB, python -m quizgen check: median {med:.3f} s, best {best:.3f} s (target < 0.3 s)")
    if script.exists():
        med, best = wall([str(script), "check", str(ROOT / "source" / "brockman")], args.runs)
        print(f"real KB, {script.name} check:         median {med:.3f} s, best {best:.3f} s")

    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (1_000, 2_000, 5_000, 10_000):
            kb = write_synthetic(n, Path(tmp) / f"kb{n}")
            med, best = wall(check + [str(kb)], max(3, args.runs // 2))
            results[n] = med
            print(f"synthetic {n:>6} facts: median {med:.3f} s, best {best:.3f} s")
    per_1k = (results[10_000] - results[1_000]) / 9
    print(f"growth 1,000 -> 10,000 facts: x{results[10_000] / results[1_000]:.1f} in wall time; "
          f"{per_1k:.3f} s per extra 1,000 facts (target for 10,000: < 2 s)")


if __name__ == "__main__":
    main()
