"""`quizgen build`: from the knowledge base to every output, rebuilding only what is stale.

Outputs come from two producers, the deck and the quiz set. Each is rebuilt when the hash of
its inputs (KB content, settings, quizgen's own code and templates) differs from the one in
the lock file, or when its files are missing or were changed by hand. Everything is rendered
in memory first and only then written, each file atomically, and the lock last — so a failure
at any point leaves the previous good outputs in place and the next build finishes the job.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from . import __version__
from .errors import QuizgenError
from .fsutil import clean_temp_files, find_files, hash_regular, temp_files, write_atomic
from .lock import LOCK_NAME, Lock, OutputStamp, sha256

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildOptions:
    """Where to read and write, and the quiz settings given on the command line (the rest
    come from the deck header's defaults)."""

    source: Path = Path("source")
    out: Path = Path("decks")
    quiz: Mapping[str, Any] = field(default_factory=dict)
    force: bool = False

    def settings_key(self) -> str:
        return json.dumps({k: [str(x) for x in v] if isinstance(v, (list, tuple)) else str(v)
                           for k, v in sorted(self.quiz.items())}, sort_keys=True)


@dataclass
class Report:
    """What a build did, for the change report."""

    facts: int = 0
    sections: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    # Facts Anki will know under a new identity (their kind or the deck id changed): the old
    # notes stay behind in Anki, like those of removed facts.
    reidentified: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (old id, new id)
    # What members' next import does and what they must do by hand (see updates.Updates).
    overwrites: int = 0  # notes whose members' copies the import replaces (fields and tags)
    retired_items: list[tuple[str, str]] = field(default_factory=list)
    renamed_decks: list[tuple[str, str]] = field(default_factory=list)
    notetype_changes: list = field(default_factory=list)
    retired_searches: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    deck: str = ""  # the deck's id

    @property
    def nothing_to_do(self) -> bool:
        return not (self.added or self.changed or self.removed or self.written
                    or self.renamed or self.renamed_decks or self.notetype_changes)


@cache
def code_key() -> str:
    """One hash of quizgen's own code and templates: a new version of either changes outputs."""
    root = resources.files("quizgen")
    parts = [__version__]
    for folder in (root, root / "quiz", root / "templates", root / "data", root / "site",
                   root / "exports", root / "grade"):
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.is_file() and not entry.name.endswith((".pyc", ".pyo")):
                parts.append(f"{entry.name}\0{sha256(entry.read_bytes())}")
    return sha256("\n".join(parts))


def _sources_key(options: BuildOptions, file_hashes: Mapping[str, str]) -> str:
    items = "\n".join(f"{Path(name).relative_to(options.source) if name != str(options.source) else ''}"
                      f"\0{digest}" for name, digest in sorted(file_hashes.items()))
    return sha256("\0".join((code_key(), options.settings_key(), items)))


def _current_sources_key(options: BuildOptions) -> str:
    from .load import read_bytes

    hashes = {}
    for path in find_files(options.source):
        try:
            hashes[str(path)] = sha256(read_bytes(path))
        except QuizgenError:
            return ""  # the full build reports it, located
    return _sources_key(options, hashes)


MAX_OUTPUT_BYTES = 1024 * 1024 * 1024  # an output larger than this is none quizgen wrote


def _broken_outputs(lock: Lock, out: Path) -> set[str]:
    """Recorded outputs that are missing, differ from what was written, or are not regular
    files (read in pieces, never following a link or waiting on a FIFO)."""
    return {name for name, stamp in lock.outputs.items()
            if hash_regular(out / name, MAX_OUTPUT_BYTES) != stamp.sha256}


def _ours(lock: Lock) -> set[str]:
    """The names of the files a build writes into its folder."""
    return set(lock.outputs) | {LOCK_NAME}


def _fast_noop(options: BuildOptions, lock: Lock) -> bool:
    """True when the sources, settings, code and outputs are exactly as the last build left
    them — and that build succeeded, so the KB was valid: then nothing needs loading. (Not
    when PDFs were skipped for want of a font: whether one is there now needs a look.)"""
    from .pinyin import built_with_these_readings

    return (not options.force and any(n.endswith(".pdf") for n in lock.outputs)
            and lock.sources != ""
            and lock.sources == _current_sources_key(options)
            and not _broken_outputs(lock, options.out)
            and built_with_these_readings(options.out, lock.sources))


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


class _Plan:
    """What the current sources would produce, and which of it the lock says is stale."""

    def __init__(self, options: BuildOptions, lock: Lock, loaded, now: int):
        from .quiz import FILES, QuizOptions
        from .quiz.fonts import find_cjk_font
        from .updates import plan_updates

        kb = self.kb = loaded.kb
        self.sources = _sources_key(options, {name: sha256(data)
                                              for name, data in loaded.file_bytes.items()})
        # A fact's hash is its notes' digest: everything a member's copy holds (fields, tags,
        # pinyin), so its modification time moves exactly when what Anki shows changes.
        updates = self.updates = plan_updates(kb, lock, now)
        self.stamps = updates.stamps
        self.notes = updates.notes
        kb_json = kb.model_dump_json()
        self.deck_name = f"{kb.deck.id}.apkg"
        self.deck_inputs = sha256("\0".join((code_key(), kb_json, json.dumps(
            [[n.mtime for n in self.notes], _tables(updates)]))))
        self.quiz_options = QuizOptions.from_deck(kb.deck, **options.quiz)
        self.quiz_inputs = sha256("\0".join((code_key(), kb_json, options.settings_key())))

        recorded = {name: s.inputs for name, s in lock.outputs.items()}
        broken = self.broken = _broken_outputs(lock, options.out)
        quiz_names = sorted(n for n in recorded if n != self.deck_name)
        # PDFs skipped for want of a CJK font are due as soon as one is there.
        pdf_due = any(n.endswith(".html") for n in quiz_names) \
            and not any(n.endswith(".pdf") for n in quiz_names) \
            and find_cjk_font(self.quiz_options.font, self.quiz_options.font_dirs) is not None
        self.deck_stale = (options.force or recorded.get(self.deck_name) != self.deck_inputs
                           or self.deck_name in broken)
        self.quiz_stale = options.force or not quiz_names or pdf_due or any(
            recorded[n] != self.quiz_inputs or n in broken for n in quiz_names)
        expected = quiz_names or sorted([f"{stem}.{ext}" for stem in FILES
                                         for ext in ("pdf", "html")] + ["quiz.json"])
        self.stale_names = ([self.deck_name] if self.deck_stale else []) + (
            sorted(set(expected) | {f"{s}.pdf" for s in FILES if pdf_due}) if self.quiz_stale
            else [])


def _tables(updates) -> list:
    """What the deck's bytes depend on besides the KB and the code."""
    return [{k: v.mtime for k, v in updates.notetypes.items()}, updates.searches,
            {k: [n for _, _, n in v.items] for k, v in updates.items.items()}]


def _refuse_another_decks_folder(options: BuildOptions, lock: Lock, deck_id: str) -> None:
    """Outputs of one deck are never written over another's: that would replace its files and
    tell its members to delete every note they have."""
    if lock.deck and lock.deck != deck_id:
        raise QuizgenError.at(
            str(options.out / LOCK_NAME), 1, 1,
            f"{options.out} holds the outputs of deck '{lock.deck}', not of '{deck_id}': "
            f"give this text a folder of its own (--out, or a folder per text under source/); "
            f"if the deck id was changed on purpose, delete {options.out / LOCK_NAME} "
            "(members then get every card anew, without their history)")


def stale_outputs(options: BuildOptions) -> list[str]:
    """Outputs that `build` would rewrite, decided from the lock alone (nothing is rendered)."""
    lock = Lock.read(options.out)
    # A killed build's temporary files are no outputs, but they are not to be left either.
    leftovers = [e.name for e in temp_files(options.out, _ours(lock))]
    if _fast_noop(options, lock):
        return leftovers
    loaded, _ = _load(options, lambda step: None)
    _refuse_another_decks_folder(options, lock, loaded.kb.deck.id)
    return _Plan(options, lock, loaded, int(time.time())).stale_names + leftovers


def build(options: BuildOptions, progress: Progress = lambda step: None,
          clock: Callable[[], float] = time.time) -> Report:
    """Check the KB, then render and write every stale output into `options.out`."""
    lock = Lock.read(options.out)
    clean_temp_files(options.out, _ours(lock))
    if _fast_noop(options, lock):
        return Report(facts=len(lock.facts), unchanged=[options.out / n for n in lock.outputs],
                      deck=lock.deck)
    loaded, warnings = _load(options, progress)
    _refuse_another_decks_folder(options, lock, loaded.kb.deck.id)
    plan = _Plan(options, lock, loaded, int(clock()))
    kb = plan.kb
    report = Report(facts=len(kb.facts), sections=len(kb.sections), notes=warnings,
                    deck=kb.deck.id)
    updates = plan.updates
    former = dict((new, old) for old, new in updates.renamed)
    for fact_id, stamp in plan.stamps.items():
        old = lock.facts.get(former.get(fact_id, fact_id))
        if old is None:
            report.added.append(fact_id)
        elif old.guid != stamp.guid:
            report.reidentified.append(fact_id)
        elif old.hash != stamp.hash:
            report.changed.append(fact_id)
    report.removed = updates.retired_now
    report.renamed = updates.renamed
    report.overwrites = len(report.changed)
    report.retired_items = updates.retired_items
    report.renamed_decks = updates.renamed_decks
    report.notetype_changes = updates.notetype_changes
    report.retired_searches = [updates.retired[k].search for k in report.removed] + [
        updates.retired[f"{k}.was"].search for k in report.reidentified]

    files: dict[str, tuple[str, bytes]] = {}  # name -> (inputs hash, bytes)
    if plan.deck_stale:
        from .anki import package

        progress("writing the Anki deck")
        files[plan.deck_name] = (plan.deck_inputs, package(
            kb, plan.notes, {k: v.mtime for k, v in updates.notetypes.items()},
            updates.searches))
    if plan.quiz_stale:
        from .quiz import render_quiz_set
        from .quiz.data import quiz_json
        from .quiz.variants import NoQuestions

        progress("rendering quizzes")
        try:
            result = render_quiz_set(kb, plan.quiz_options)
            report.notes.extend(result.notes)
            quiz_files = result.files
        except NoQuestions as e:
            # The deck is still worth having; quiz.json says why there is no quiz.
            reason = e.problems[0].message
            report.notes.append(f"no quiz: {reason}")
            quiz_files = {"quiz.json": quiz_json(kb, None, plan.quiz_options, reason)}
        for name, data in quiz_files.items():
            files[name] = (plan.quiz_inputs, data)

    progress("writing files")
    kept = {n: s for n, s in lock.outputs.items() if n == plan.deck_name or not plan.quiz_stale}
    new_lock = Lock(sources=plan.sources, deck=kb.deck.id, outputs=kept,
                    **updates.lock_tables())
    for name, (inputs, data) in sorted(files.items()):
        path = options.out / name
        digest = sha256(data)
        old = lock.outputs.get(name)
        if old and old.sha256 == digest and name not in plan.broken:
            report.unchanged.append(path)
        else:
            write_atomic(path, data)
            report.written.append(path)
        new_lock.outputs[name] = OutputStamp(inputs, digest)
    report.unchanged.extend(options.out / n for n in new_lock.outputs if n not in files)
    if new_lock.to_bytes() != lock.to_bytes():
        new_lock.write(options.out)
    from .pinyin import remember_build

    remember_build(options.out, new_lock.sources)
    return report
