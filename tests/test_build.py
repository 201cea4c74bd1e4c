"""`quizgen build`: outputs, the lock, staleness, safety on failure, the change report, watch."""

import shutil
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizgen import build as build_module
from quizgen.build import BuildOptions, build, stale_outputs
from quizgen.cli import main
from quizgen.errors import QuizgenError
from quizgen.lock import LOCK_NAME, Lock

VALID = Path(__file__).parent / "fixtures" / "valid"


@pytest.fixture
def kb(tmp_path) -> Path:
    source = tmp_path / "source"
    shutil.copytree(VALID, source)
    return source


def options(kb: Path, out: Path | None = None, **kw) -> BuildOptions:
    return BuildOptions(source=kb, out=out or kb.parent / "decks", **kw)


def edit(kb: Path, old: str, new: str) -> None:
    path = kb / "facts.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_first_build_writes_every_output(kb):
    report = build(options(kb))
    out = kb.parent / "decks"
    names = {p.name for p in out.iterdir()}
    assert {"sample-deck.apkg", LOCK_NAME, "quiz.html", "quiz-key.html", "glossary.html",
            "quiz.json"} <= names
    assert {"quiz.pdf", "quiz-key.pdf", "glossary.pdf"} <= names  # CI installs a CJK font
    assert len(report.added) == 12
    assert report.changed == [] and report.removed == []
    assert {p.name for p in report.written} == names - {LOCK_NAME}
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temp files left


def test_noop_rebuild_touches_nothing_and_forced_rebuild_is_byte_identical(kb):
    build(options(kb))
    out = kb.parent / "decks"
    before = snapshot(out)
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    report = build(options(kb))
    assert report.nothing_to_do
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == stamps
    build(options(kb, force=True))
    assert snapshot(out) == before


def test_build_elsewhere_from_the_same_lock_is_byte_identical(kb, tmp_path):
    build(options(kb))
    first = snapshot(kb.parent / "decks")
    other = tmp_path / "elsewhere"
    other.mkdir()
    shutil.copy(kb.parent / "decks" / LOCK_NAME, other / LOCK_NAME)
    build(options(kb, out=other, force=True))
    assert snapshot(other) == first


def test_check_fresh_and_stale(kb):
    runner = CliRunner()
    out = kb.parent / "decks"
    args = ["build", str(kb), "--out", str(out)]
    never = runner.invoke(main, args + ["--check"])
    assert never.exit_code == 1 and "sample-deck.apkg: stale" in never.stderr
    assert f"{out / 'quiz.json'}: stale" in never.stderr
    assert not out.exists()  # --check writes nothing
    assert runner.invoke(main, args).exit_code == 0
    fresh = runner.invoke(main, args + ["--check"])
    assert fresh.exit_code == 0, fresh.output
    assert fresh.stdout == f"{out}: up to date\n"

    edit(kb, "en: perceptron", "en: Perceptron")
    stale = runner.invoke(main, args + ["--check"])
    assert stale.exit_code == 1
    assert f"{out / 'sample-deck.apkg'}: stale" in stale.stderr
    assert f"{out / 'quiz.pdf'}: stale" in stale.stderr

    runner.invoke(main, args)
    assert runner.invoke(main, args + ["--check"]).exit_code == 0
    (out / "quiz.html").write_text("tampered", encoding="utf-8")
    tampered = runner.invoke(main, args + ["--check"])
    assert tampered.exit_code == 1 and "quiz.html: stale" in tampered.stderr
    assert "sample-deck.apkg" not in tampered.stderr


def test_check_ignores_comment_only_edits_but_not_setting_changes(kb):
    build(options(kb))
    (kb / "facts.yaml").write_text("# a comment\n" + (kb / "facts.yaml").read_text("utf-8"),
                                   encoding="utf-8")
    assert stale_outputs(options(kb)) == []
    stale = stale_outputs(options(kb, quiz={"seed": 99}))
    assert "quiz.pdf" in stale and "sample-deck.apkg" not in stale


def test_failure_while_writing_leaves_previous_outputs(kb, monkeypatch):
    build(options(kb))
    out = kb.parent / "decks"
    before = snapshot(out)
    edit(kb, "en: perceptron", "en: Perceptron")
    real = build_module.write_atomic
    calls = []

    def flaky(path, data):
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt  # Ctrl-C in the middle of writing
        real(path, data)

    monkeypatch.setattr(build_module, "write_atomic", flaky)
    with pytest.raises(KeyboardInterrupt):
        build(options(kb))
    after = snapshot(out)
    assert after[LOCK_NAME] == before[LOCK_NAME]  # the lock was not advanced
    changed = [name for name in before if after[name] != before[name]]
    assert changed == [calls[0].name]  # only the one file completed was replaced, whole
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    monkeypatch.setattr(build_module, "write_atomic", real)
    assert stale_outputs(options(kb))  # the next build knows it must finish the job


def test_kb_errors_stop_the_build_and_keep_outputs(kb):
    build(options(kb))
    out = kb.parent / "decks"
    before = snapshot(out)
    edit(kb, "definition:", "defintion:")
    result = CliRunner().invoke(main, ["build", str(kb), "--out", str(out)])
    assert result.exit_code == 1
    assert f"{kb / 'facts.yaml'}:" in result.stderr and "unknown key 'defintion'" in result.stderr
    assert snapshot(out) == before


def test_change_report_and_modification_times(kb):
    clock = iter([1_000_000.0, 1_000_000.0, 1_000_000.0])
    build(options(kb), clock=lambda: next(clock))
    lock = Lock.read(kb.parent / "decks")
    assert {s.mtime for s in lock.facts.values()} == {1_000_000}

    edit(kb, "en: perceptron", "en: Perceptron")  # change
    edit(kb, "  - id: openai\n", "  - id: openai-lab\n")  # remove one id, add another
    report = build(options(kb), clock=lambda: 1_000_000.0)  # same second as the last build
    assert report.changed == ["perceptron"]
    assert report.added == ["openai-lab"]
    assert report.removed == ["openai"]
    lock2 = Lock.read(kb.parent / "decks")
    assert lock2.facts["perceptron"].mtime == 1_000_001  # strictly later, same wall second
    assert lock2.facts["openai-lab"].mtime == 1_000_001
    assert lock2.facts["ppo"].mtime == 1_000_000  # unchanged facts keep their time
    assert "openai" not in lock2.facts

    result = CliRunner().invoke(main, ["build", str(kb), "--out", str(kb.parent / "decks"),
                                       "--force"])
    assert result.exit_code == 0
    # same bytes: not rewritten
    assert result.stdout.splitlines()[0] == "up to date: 12 facts, nothing changed"


def test_cli_report_and_quiet(kb):
    out = kb.parent / "decks"
    result = CliRunner().invoke(main, ["build", str(kb), "--out", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "12 facts in 2 sections: 12 added"
    assert f"  wrote {out / 'sample-deck.apkg'}" in lines
    assert "…" not in result.stderr  # no progress display when not on a terminal
    edit(kb, "  - id: openai\n", "  - id: openai-lab\n")
    result = CliRunner().invoke(main, ["build", str(kb), "--out", str(out)])
    assert "  removed: openai" in result.stdout
    assert ("1 note left the deck, which Anki keeps until members delete them: the deck's "
            "description lists them; in Browse search: tag:quizgen::sample-deck::id::openai"
            ) in result.stdout
    quiet = CliRunner().invoke(main, ["build", "-q", str(kb), "--out", str(out), "--force"])
    assert quiet.exit_code == 0 and quiet.stdout == ""
    again = CliRunner().invoke(main, ["build", str(kb), "--out", str(out)])
    # Nothing to do still says where everything is, and what each file is for.
    assert again.stdout == (
        "up to date: 12 facts, nothing changed\n"
        f"  Anki deck (File → Import): {out / 'sample-deck.apkg'}\n"
        f"  to print: {out / 'glossary.pdf'}, {out / 'quiz-key.pdf'}, {out / 'quiz.pdf'}\n"
        f"  self-test, phones too: {out / 'selftest.html'}\n"
        f"  in a browser: {out / 'glossary.html'}, {out / 'quiz-key.html'}, "
        f"{out / 'quiz.html'}\n"
        f"  quiz as data: {out / 'quiz.json'}\n"
        f"  answers to fill in for `quizgen grade`: {out / 'answers.csv'}\n"
        f"the group's page (open it in a browser, or put {out} on any static host): "
        f"{out / 'index.html'}\n")


def test_watch_rebuilds_on_a_real_save_and_survives_a_broken_one(kb):
    reports, errors = [], []
    ready, stop = threading.Event(), threading.Event()
    from quizgen.watch import watch
    from test_surroundings import wait_for

    thread = threading.Thread(target=watch, args=(options(kb), reports.append, errors.append),
                              kwargs={"stop": stop, "on_ready": ready.set}, daemon=True)
    thread.start()

    try:
        assert ready.wait(60) and len(reports) == 1
        time.sleep(0.3)  # let the watcher settle on the folder
        edit(kb, "definition:", "defintion:")
        assert wait_for(lambda: errors), "a broken save must report its error"
        assert isinstance(errors[0], QuizgenError) and "defintion" in str(errors[0])
        edit(kb, "defintion:", "definition:")
        edit(kb, "en: perceptron", "en: Perceptron")
        assert wait_for(lambda: any(r.changed == ["perceptron"] for r in reports[1:]))
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()


def test_edit_rebuild_reimport_in_real_anki_through_quizgen_build(kb, tmp_path):
    """The daily loop, twice within a few seconds: each edit reaches Anki in place."""
    from test_anki import cards_of, import_apkg, new_collection, note_of

    out = kb.parent / "decks"
    runner = CliRunner()

    def rebuild() -> bytes:
        result = runner.invoke(main, ["build", str(kb), "--out", str(out)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return (out / "sample-deck.apkg").read_bytes()

    col = new_collection(tmp_path / "col" / "c.anki2")
    try:
        assert len(import_apkg(col, rebuild(), tmp_path / "1.apkg").new) == 12
        note = note_of(col, "perceptron", "term")
        card = cards_of(col, note)[0]
        card.start_timer()
        col.sched.answerCard(card, 3)
        card.load()
        history = col.db.all("select id, cid, ease, ivl from revlog")
        scheduled = (card.due, card.ivl, card.queue)

        for n, english in enumerate(["the perceptron", "Perceptron (1957)"], start=2):
            edit(kb, f"en: {'perceptron' if n == 2 else 'the perceptron'}", f"en: {english}")
            log = import_apkg(col, rebuild(), tmp_path / f"{n}.apkg")
            assert (len(log.new), len(log.updated), len(log.duplicate)) == (0, 1, 11)
            again = note_of(col, "perceptron", "term")
            assert again.id == note.id and again["English"] == english
            card = col.get_card(card.id)
            assert (card.due, card.ivl, card.queue) == scheduled
            assert col.db.all("select id, cid, ease, ivl from revlog") == history
            assert col.note_count() == 12

        log = import_apkg(col, rebuild(), tmp_path / "4.apkg")  # nothing changed
        assert (len(log.new), len(log.updated)) == (0, 0)
    finally:
        col.close()


def test_a_save_during_a_build_is_not_taken_as_built(kb):
    def save_midway(step):
        if step == "writing files":
            edit(kb, "en: perceptron", "en: Perceptron")

    build(options(kb), progress=save_midway)
    assert "sample-deck.apkg" in stale_outputs(options(kb))
    assert build(options(kb)).changed == ["perceptron"]


def test_new_code_makes_every_output_stale(kb, monkeypatch):
    build(options(kb))
    monkeypatch.setattr(build_module, "code_key", lambda: "another version of quizgen")
    stale = stale_outputs(options(kb))
    assert "sample-deck.apkg" in stale and "quiz.pdf" in stale


def test_explicit_font_is_a_setting(kb):
    from quizgen.quiz.fonts import find_cjk_font

    build(options(kb))
    font = find_cjk_font()
    assert font is not None
    stale = stale_outputs(options(kb, quiz={"font": font}))
    assert "quiz.pdf" in stale and "sample-deck.apkg" not in stale


def test_pdfs_skipped_for_want_of_a_font_come_once_one_is_there(kb, tmp_path):
    from quizgen.quiz import fonts as fonts_module
    from quizgen.quiz.fonts import find_cjk_font

    fonts = tmp_path / "fonts"
    fonts.mkdir()
    settings = options(kb, quiz={"font_dirs": (fonts,)})
    report = build(settings)
    assert any("no font with Chinese glyphs" in note for note in report.notes)
    out = kb.parent / "decks"
    assert not (out / "quiz.pdf").exists() and (out / "quiz.html").exists()
    (fonts / "cjk.ttc").symlink_to(find_cjk_font())
    fonts_module._search.cache_clear()  # a font installed while the process runs
    assert "quiz.pdf" in stale_outputs(settings)
    build(settings)
    assert (out / "quiz.pdf").read_bytes().startswith(b"%PDF")


def test_malformed_lock_is_a_clean_error(kb):
    build(options(kb))
    lock = kb.parent / "decks" / LOCK_NAME
    lock.write_text(lock.read_text("utf-8").replace('"mtime": ', '"mtime": "x", "old": ', 1),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(kb), "--out", str(kb.parent / "decks")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{lock}:1:1: error: malformed lock file")


def test_unwritable_outputs_are_clean_errors(kb, tmp_path):
    runner = CliRunner()
    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    result = runner.invoke(main, ["build", str(kb), "--out", str(afile / "decks")])
    assert (result.exit_code, result.stderr) == (
        1, f"{afile / 'decks'}:1:1: error: not a folder: cannot write outputs here\n")
    out = tmp_path / "out"
    (out / "quiz.html").mkdir(parents=True)  # a folder where a file must go
    result = runner.invoke(main, ["build", str(kb), "--out", str(out)])
    assert result.exit_code == 1
    assert result.stderr == (f"{out / 'quiz.html'}:1:1: error: is a folder, not a regular file: "
                             "quizgen replaces only files it could have written (remove it, "
                             "or write elsewhere)\n")
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_a_change_of_kind_is_reported_as_a_new_note(kb):
    build(options(kb))
    edit(kb, "  - id: openai\n    kind: org\n", "  - id: openai\n    kind: person\n")
    result = CliRunner().invoke(main, ["build", str(kb), "--out", str(kb.parent / "decks")])
    assert "  new in Anki: openai" in result.stdout
    assert ("(tag:quizgen::sample-deck::id::openai -tag:quizgen::sample-deck::kind::person)"
            in result.stdout)
