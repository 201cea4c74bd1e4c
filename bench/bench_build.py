"""Wall time and peak memory of `quizgen build`, each run a fresh process:
a no-op build (nothing changed), a full build of the real KB, and full builds of synthetic KBs
of 1,000 to 10,000 facts.  Run: python bench/bench_build.py [--runs N]"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synth import write_synthetic  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BUILD = [sys.executable, "-m", "quizgen", "build", "-q"]


def run(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of one run of the command."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed: {proc.stderr.read().decode()}")
    return wall, usage.ru_maxrss / 1024


def series(args: list[str], runs: int) -> tuple[float, float, float]:
    """(median wall, best wall, peak MiB) over `runs` runs."""
    results = [run(args) for _ in range(runs)]
    walls = [w for w, _ in results]
    return statistics.median(walls), min(walls), max(m for _, m in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "decks"
        run(BUILD + [str(ROOT / "source" / "brockman"), "--out", str(out)])  # first build: lock and outputs
        med, best, mem = series(BUILD + [str(ROOT / "source" / "brockman"), "--out", str(out)], args.runs)
        print(f"real KB, no-op build:  median {med:.3f} s, best {best:.3f} s, "
              f"peak {mem:.0f} MiB (target < 0.3 s)")
        med, best, mem = series(BUILD + ["--force", str(ROOT / "source" / "brockman"), "--out", str(out)],
                                args.runs)
        print(f"real KB, full build:   median {med:.3f} s, best {best:.3f} s, "
              f"peak {mem:.0f} MiB (target < 1.5 s)")

        figures = {}
        for n in (1_000, 2_000, 5_000, 10_000):
            kb = write_synthetic(n, Path(tmp) / f"kb{n}")
            target = Path(tmp) / f"out{n}"
            runs = []
            for _ in range(max(1, args.runs // 2)):
                shutil.rmtree(target, ignore_errors=True)
                runs.append(run(BUILD + [str(kb), "--out", str(target)]))
            wall = statistics.median(w for w, _ in runs)
            mem = max(m for _, m in runs)
            figures[n] = (wall, mem)
            print(f"synthetic {n:>6} facts, full build: {wall:.2f} s, peak {mem:.0f} MiB")
        (w1, m1), (w10, m10) = figures[1_000], figures[10_000]
        print(f"growth 1,000 -> 10,000 facts: time x{w10 / w1:.1f}, peak memory x{m10 / m1:.1f}")


if __name__ == "__main__":
    main()
