"""`quizgen build`: from the knowledge base to every output, rebuilding only what is stale.

Outputs come from two producers, the deck and the quiz set. Each is rebuilt when the hash of
its inputs (KB content, settings, quizgen version) differs from the one in the lock file, or
when its files are missing or were changed by hand. Everything is rendered in memory first and
only then written, each file atomically, and the lock last — so a failure at any point leaves
the previous good outputs in place.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import __version__
from .errors import QuizgenError
from .fsutil import find_files, write_atomic
from .lock import FactStamp, Lock, OutputStamp, sha256

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildOptions:
    """Where to read and write, and the quiz settings given on the command line (None: use
    the deck header's defaults)."""

    source: Path = Path("source")
    out: Path = Path("decks")
    quiz: Mapping[str, Any] = field(default_factory=dict)
    force: bool = False

    def settings_key(self) -> str:
        quiz = {k: (str(v) if isinstance(v, Path) else v) for k, v in sorted(self.quiz.items())
                if v not in (None, (), []) and k != "font"}
        return json.dumps(quiz, sort_keys=True, default=list)


@dataclass
class Report:
    """What a build did, for the change report."""

    facts: int = 0
    sections: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    deck_name: str = ""

    @property
    def nothing_to_do(self) -> bool:
        return not (self.added or self.changed or self.removed or self.written)


def sources_key(options: BuildOptions) -> str:
    """One hash of every source file's bytes, the settings and the quizgen version."""
    parts = [__version__, options.settings_key()]
    for path in find_files(options.source):
        try:
            data = path.read_bytes()
        except OSError:
            return ""  # the full build will report it, located
        parts.append(f"{path.relative_to(options.source) if path != options.source else path.name}"
                     f"\0{sha256(data)}")
    return sha256("\n".join(parts))


def _outputs_intact(lock: Lock, out: Path) -> list[str]:
    """Names of recorded outputs that are missing or differ from what was written."""
    bad = []
    for name, stamp in lock.outputs.items():
        try:
            if sha256((out / name).read_bytes()) != stamp.sha256:
                bad.append(name)
        except OSError:
            bad.append(name)
    return bad


def _fast_noop(options: BuildOptions, lock: Lock) -> bool:
    """True when the sources, settings and outputs are exactly as the last build left them,
    which was valid: then nothing needs loading at all."""
    return (not options.force and bool(lock.outputs) and lock.quizgen == __version__
            and lock.sources == sources_key(options) and not _outputs_intact(lock, options.out))


# -- the full path ------------------------------------------------------------------------------

def _load(options: BuildOptions, progress: Progress):
    from .check import check
    from .load import load

    progress("checking")
    loaded = load(options.source)
    problems = check(loaded)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise QuizgenError(errors)
    return loaded, [str(p) for p in problems]


def _stamps(hashes: dict[str, str], lock: Lock, now: int) -> dict[str, FactStamp]:
    """Keep each unchanged fact's time; give changed and new facts a time strictly later than
    any the lock has seen, so Anki takes the update even for two builds within one second."""
    fresh = max(now, lock.latest_mtime + 1)
    stamps = {}
    for fact_id, digest in hashes.items():
        old = lock.facts.get(fact_id)
        stamps[fact_id] = old if old and old.hash == digest else FactStamp(digest, fresh)
    return stamps


def _quiz_options(kb, options: BuildOptions):
    from .quiz import QuizOptions

    return QuizOptions.from_deck(kb.deck, **options.quiz)


def _inputs(kb_json: str, *parts: str) -> str:
    return sha256("\0".join((__version__, kb_json, *parts)))


class _Plan:
    """What the current sources would produce, and which of it the lock says is stale."""

    def __init__(self, options: BuildOptions, lock: Lock, loaded, now: int):
        from .anki import notes

        kb = loaded.kb
        self.kb = kb
        # A fact's hash is its notes' digest: everything Anki shows of it (fields, tags, deck
        # names, pinyin), so its modification time moves exactly when what Anki shows changes.
        built = notes(kb, now=0)
        self.hashes = {note.fact_id: note.digest for note in built}
        self.stamps = _stamps(self.hashes, lock, now)
        self.notes = [replace(note, mtime=self.stamps[note.fact_id].mtime) for note in built]
        kb_json = kb.model_dump_json()
        mtimes = {k: v.mtime for k, v in self.stamps.items()}
        self.deck_name = f"{kb.deck.id}.apkg"
        self.deck_inputs = _inputs(kb_json, json.dumps(mtimes, sort_keys=True))
        self.quiz_options = _quiz_options(kb, options)
        self.quiz_inputs = _inputs(kb_json, options.settings_key(), "quiz")
        recorded = {name: s.inputs for name, s in lock.outputs.items()}
        broken = set(_outputs_intact(lock, options.out))
        quiz_names = [n for n, i in recorded.items() if n != self.deck_name]
        self.deck_stale = options.force or recorded.get(self.deck_name) != self.deck_inputs \
            or self.deck_name in broken
        self.quiz_stale = options.force or not quiz_names or any(
            recorded[n] != self.quiz_inputs or n in broken for n in quiz_names)
        self.stale_names = ([self.deck_name] if self.deck_stale else []) + (
            (sorted(quiz_names) or ["the quiz set (never built)"]) if self.quiz_stale else [])


def stale_outputs(options: BuildOptions) -> list[str]:
    """Outputs that `build` would rewrite, decided from the lock alone (nothing is rendered)."""
    lock = Lock.read(options.out)
    if _fast_noop(options, lock):
        return []
    loaded, _ = _load(options, lambda step: None)
    plan = _Plan(options, lock, loaded, int(time.time()))
    return plan.stale_names


def build(options: BuildOptions, progress: Progress = lambda step: None,
          clock: Callable[[], float] = time.time) -> Report:
    """Check the KB, then render and write every stale output into `options.out`."""
    lock = Lock.read(options.out)
    if _fast_noop(options, lock):
        return Report(facts=len(lock.facts), unchanged=[options.out / n for n in lock.outputs])
    loaded, warnings = _load(options, progress)
    plan = _Plan(options, lock, loaded, int(clock()))
    kb = plan.kb
    report = Report(facts=len(kb.facts), sections=len(kb.sections), notes=warnings,
                    deck_name=plan.deck_name)
    report.added = [k for k in plan.hashes if k not in lock.facts]
    report.changed = [k for k, h in plan.hashes.items() if k in lock.facts and lock.facts[k].hash != h]
    report.removed = [k for k in lock.facts if k not in plan.hashes]

    files: dict[str, tuple[str, bytes]] = {}  # name -> (inputs hash, bytes)
    if plan.deck_stale:
        from .anki import package

        progress("writing the Anki deck")
        files[plan.deck_name] = (plan.deck_inputs, package(kb, plan.notes))
    if plan.quiz_stale:
        from .quiz import render_quiz_set

        progress("rendering quizzes")
        result = render_quiz_set(kb, plan.quiz_options)
        report.notes.extend(result.notes)
        for name, data in result.files.items():
            files[name] = (plan.quiz_inputs, data)

    progress("writing files")
    new_lock = Lock(quizgen=__version__, sources=sources_key(options), facts=plan.stamps,
                    outputs={n: s for n, s in lock.outputs.items()
                             if not (plan.quiz_stale and n != plan.deck_name)})
    for name, (inputs, data) in sorted(files.items()):
        path = options.out / name
        digest = sha256(data)
        old = lock.outputs.get(name)
        if old and old.sha256 == digest and path.exists() and sha256(path.read_bytes()) == digest:
            report.unchanged.append(path)
        else:
            write_atomic(path, data)
            report.written.append(path)
        new_lock.outputs[name] = OutputStamp(inputs, digest)
    report.unchanged.extend(options.out / n for n in new_lock.outputs if n not in files)
    if new_lock.to_bytes() != (lock.to_bytes() if lock.outputs else b""):
        new_lock.write(options.out)
    return report
