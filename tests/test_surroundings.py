"""Hostile surroundings of a build: what is in the output folder and the lock is read only as
far as a build could have written it, and only regular files are ever replaced."""

from __future__ import annotations

import faulthandler
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizgen.build import BuildOptions, build
from quizgen.cli import main
from quizgen.lock import LOCK_NAME

FIXTURE = Path(__file__).parent / "fixtures" / "valid"


@pytest.fixture
def built(tmp_path):
    """A copy of the fixture KB, built once into tmp_path/decks."""
    kb = tmp_path / "source"
    shutil.copytree(FIXTURE, kb)
    out = tmp_path / "decks"
    build(BuildOptions(source=kb, out=out))
    return kb, out


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def no_hang():
    """A hang ends the run (with every thread's traceback) instead of stalling it."""
    faulthandler.dump_traceback_later(60, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.mark.parametrize("target", ["/dev/zero", "fifo", "loop"])
def test_an_output_replaced_by_a_link_or_fifo_is_neither_read_nor_followed(built, target,
                                                                          no_hang):
    kb, out = built
    victim = out / "quiz.html"
    victim.unlink()
    if target == "fifo":
        os.mkfifo(victim)  # reading it would block for ever
    elif target == "loop":
        victim.symlink_to(victim)
    else:
        victim.symlink_to(target)  # reading it would exhaust memory
    started = time.monotonic()
    check = run("build", kb, "--out", out, "--check")
    assert check.exit_code == 1 and f"{victim}: stale" in check.stderr
    result = run("build", kb, "--out", out)
    assert time.monotonic() - started < 30
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.startswith(f"{victim}:1:1: error: is ")
    assert victim.is_symlink() or victim.is_fifo()  # left as it was, not replaced


def test_a_write_never_replaces_a_device(tmp_path):
    result = run("deck", FIXTURE, "--out", "/dev/null")
    assert result.exit_code == 1
    assert result.stderr == ("/dev/null:1:1: error: is a device, FIFO or socket, not a regular "
                             "file: quizgen replaces only files it could have written (remove "
                             "it, or write elsewhere)\n")
    assert Path("/dev/null").is_char_device()


@pytest.mark.parametrize("edit, message", [
    (lambda lock: lock["outputs"].update({"../../../etc/hostname": {"inputs": "x", "sha256": "y"}}),
     "'../../../etc/hostname' is not a name a build writes"),
    (lambda lock: next(iter(lock["facts"].values())).update(mtime=2 ** 62), "is out of range"),
    (lambda lock: next(iter(lock["facts"].values())).update(mtime=-1), "is out of range"),
    (lambda lock: lock.update(sources="x" * 10_000), "too long"),
])
def test_the_locks_names_and_numbers_are_validated(built, edit, message):
    kb, out = built
    lock = json.loads((out / LOCK_NAME).read_text(encoding="utf-8"))
    edit(lock)
    (out / LOCK_NAME).write_text(json.dumps(lock), encoding="utf-8")
    for args in (["build", kb, "--out", out], ["build", kb, "--out", out, "--check"]):
        result = run(*args)
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert result.stderr.startswith(f"{out / LOCK_NAME}:1:1: error: malformed lock file")
        assert message in result.stderr and "hostname" not in result.stdout


def test_a_lock_that_is_a_device_is_refused(built):
    kb, out = built
    (out / LOCK_NAME).unlink()
    (out / LOCK_NAME).symlink_to("/dev/zero")
    result = run("build", kb, "--out", out)
    assert result.exit_code == 1
    assert result.stderr == (f"{out / LOCK_NAME}:1:1: error: the lock file is a symbolic link: "
                             "delete it to rebuild everything from scratch\n")


def test_a_killed_builds_temporary_files_are_found_and_cleaned(built):
    kb, out = built
    leftover = out / ".quiz.pdf.abcd1234.tmp"
    leftover.write_bytes(b"half a pdf")
    old = time.time() - 3600
    os.utime(leftover, (old, old))
    young = out / ".quiz.html.zzzz9999.tmp"  # another build may be writing it right now
    young.write_bytes(b"<html")
    mine = out / ".notes.abcd1234.tmp"  # not of our naming: never touched
    mine.write_bytes(b"x")
    check = run("build", kb, "--out", out, "--check")
    assert check.exit_code == 1 and f"{out / leftover.name}: stale" in check.stderr
    result = run("build", kb, "--out", out)
    assert result.exit_code == 0, result.output
    assert not leftover.exists() and young.exists() and mine.exists()


@pytest.mark.parametrize("args", [["check", str(FIXTURE)], ["--help"]])
def test_a_full_standard_output_is_one_line_not_a_traceback(args):
    import subprocess
    import sys

    with open("/dev/full", "wb") as full:
        result = subprocess.run([sys.executable, "-m", "quizgen", *args], stdout=full,
                                stderr=subprocess.PIPE, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr == ("quizgen: error: cannot write the output: No space left on "
                             "device\n")


def test_a_reader_that_leaves_early_is_no_error():
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "quizgen", "--help"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # as `quizgen --help | head -0` would
    _, err = proc.communicate(timeout=120)
    assert b"Traceback" not in err and err == b""


# -- text that acts -------------------------------------------------------------------------------

DECK = "deck: {id: d, title: {zh: 卡组, en: Deck}}\nsections: [{id: s, number: 1, title: {zh: 节, en: S}}]\n"


def test_an_escape_sequence_in_a_key_is_not_sent_to_the_terminal(tmp_path):
    path = tmp_path / "kb.yaml"
    path.write_text(DECK + "facts:\n  - {id: x, kind: event, section: s, year: 1, "
                    "what: {zh: 事, en: e}, \"\\e[2J\\e]0;pwned\\a\": 1}\n", encoding="utf-8")
    result = run("check", path)
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "unknown key '\\x1b[2J\\x1b]0;pwned\\x07'" in result.stderr


def test_nfd_pinyin_counts_as_the_composed_syllables(tmp_path):
    import unicodedata

    nfd = unicodedata.normalize("NFD", "gǎn zhī qì")
    assert nfd != "gǎn zhī qì"
    (tmp_path / "kb.yaml").write_text(
        DECK + "facts:\n  - {id: p, kind: term, section: s, zh: 感知器, en: perceptron, "
        f"pinyin: '{nfd}', definition: {{zh: 网络, en: a network}}}}\n", encoding="utf-8")
    result = run("check", "--strict", tmp_path)
    assert result.exit_code == 0, result.output


def test_cloze_syntax_and_deck_separators_in_text_stay_text(tmp_path):
    import sqlite3
    import zipfile

    from quizgen.anki import build_apkg, deck_name
    from quizgen.load import load

    (tmp_path / "kb.yaml").write_text(
        "deck: {id: d, title: {zh: 'A:::B', en: 'A:::B'}}\n"
        "sections: [{id: s, number: 1, title: {zh: '节::一', en: 'S::1'}}]\n"
        "facts:\n  - id: l\n    kind: list\n    section: s\n"
        "    prompt: {zh: '{{c9::x}} 的两项', en: 'two {{c9::x}} items'}\n"
        "    explanation: {zh: '{{c7::y}}', en: '{{c7::y}}'}\n"
        "    items: [{zh: 甲, en: a}, {zh: 乙, en: b}]\n", encoding="utf-8")
    kb = load(tmp_path).kb
    assert "::" not in deck_name(kb) and deck_name(kb, kb.sections[0]).count("::") == 1
    apkg = tmp_path / "d.apkg"
    apkg.write_bytes(build_apkg(kb, {"l": 1_000_000}))
    with zipfile.ZipFile(apkg) as z:
        (tmp_path / "c.anki2").write_bytes(z.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "c.anki2")
    ords = sorted(r[0] for r in db.execute("select ord from cards"))
    db.close()
    assert ords == [0, 1, 2]  # the whole list and its two items: nothing from the prompt


# -- caches ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("home, xdg, expected", [
    ("", "", None), ("/", "", None), ("relative/home", "", None), ("/home/u", "", "/home/u/.cache"),
    ("/home/u", "rel", "/home/u/.cache"), ("", "/var/cache/u", "/var/cache/u"),
])
def test_the_cache_lives_only_below_an_absolute_home(monkeypatch, home, xdg, expected):
    from quizgen.pinyin import cache_home

    monkeypatch.setenv("HOME", home)
    monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    assert cache_home() == (None if expected is None else Path(expected))


def test_a_planted_reading_that_is_no_syllable_is_read_afresh(tmp_path, monkeypatch):
    from quizgen import pinyin

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = pinyin._ReadingCache.path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"感知器": ["gǎn", "<b>x</b>", "qì"], "AB": ["a", "b"]}),
                    encoding="utf-8")
    cache = pinyin._ReadingCache()
    assert cache._load() == {}  # neither entry is what a reading can be


# -- names and encodings ----------------------------------------------------------------------

def test_a_source_file_name_that_is_not_utf8_builds_and_is_named_in_errors(tmp_path):
    kb = tmp_path / "source"
    shutil.copytree(FIXTURE, kb)
    os.rename(bytes(kb / "facts.yaml"), bytes(kb) + b"/\xb5\xda\xb6\xfe.yaml")  # GBK 第二
    out = tmp_path / "decks"
    assert run("build", kb, "--out", out).exit_code == 0
    assert run("build", kb, "--out", out, "--check").exit_code == 0
    broken = bytes(kb) + b"/\xc8\xfd.yaml"  # GBK 三
    with open(broken, "wb") as f:
        f.write(b"facts: [\n")
    result = run("check", kb)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith(f"{kb}/\\xc8\\xfd.yaml:")


# -- fonts ----------------------------------------------------------------------------------------

def test_the_font_search_survives_loops_fifos_and_corrupt_tables(tmp_path, no_hang):
    import struct

    from quizgen.quiz.fonts import find_cjk_font

    fonts = tmp_path / "fonts"
    (fonts / "sub").mkdir(parents=True)
    (fonts / "sub" / "up").symlink_to(fonts)  # a loop
    os.mkfifo(fonts / "NotoSansCJK-Regular.ttc")  # opening it to read would block
    corrupt = fonts / "sub" / "Broken-Regular.ttf"
    # An OpenType header with a cmap whose format-12 table claims 2**32 - 1 groups.
    directory = struct.pack(">4sIII", b"cmap", 0, 28, 100)
    cmap = struct.pack(">HHHHI", 0, 1, 3, 10, 12) + struct.pack(">HHIII", 12, 0, 0, 0, 2**32 - 1)
    corrupt.write_bytes(struct.pack(">IHHHH", 0x00010000, 1, 0, 0, 0) + directory + cmap)
    assert find_cjk_font(None, (fonts,)) is None


# -- edges ----------------------------------------------------------------------------------------

def test_a_kb_too_small_for_a_quiz_still_gets_its_deck(tmp_path):
    kb = tmp_path / "source"
    kb.mkdir()
    (kb / "kb.yaml").write_text(DECK + "facts:\n  - {id: t, kind: term, section: s, zh: 感知器, "
                                "en: perceptron, definition: {zh: 网络, en: a network}}\n",
                                encoding="utf-8")
    out = tmp_path / "decks"
    result = run("build", kb, "--out", out)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1 fact in 1 section: 1 added\n")
    assert result.stderr == ("no quiz: no questions with 4 options can be made from the 1 "
                             "selected fact: there are too few facts of the same kind to draw "
                             "wrong options from, and too few written under `wrong:`; try fewer "
                             "--options or a wider selection\n")
    assert sorted(p.name for p in out.iterdir()) == ["d.apkg", "index.html", "quiz.json",
                                                     LOCK_NAME]
    data = json.loads((out / "quiz.json").read_bytes())
    assert data["variants"] == [] and data["reason"].startswith("no questions")
    again = run("build", kb, "--out", out, "--check")
    assert again.exit_code == 0 and again.stdout == f"{out}: up to date\n"


# -- watch ----------------------------------------------------------------------------------------

def _watching(options):
    import threading

    from quizgen.watch import watch

    reports, errors = [], []
    ready, stop = threading.Event(), threading.Event()
    thread = threading.Thread(target=watch, args=(options, reports.append, errors.append),
                              kwargs={"stop": stop, "on_ready": ready.set}, daemon=True)
    thread.start()
    assert ready.wait(60)
    time.sleep(0.3)
    return reports, errors, stop, thread


def wait_for(predicate, timeout=20.0) -> bool:
    """True once `predicate()` is, within `timeout` seconds."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_watch_survives_its_folder_being_deleted_and_made_again(tmp_path, no_hang):
    kb = tmp_path / "source"
    shutil.copytree(FIXTURE, kb)
    reports, errors, stop, thread = _watching(BuildOptions(source=kb, out=tmp_path / "decks"))
    try:
        shutil.rmtree(kb)
        time.sleep(1.5)
        shutil.copytree(FIXTURE, kb)
        text = (kb / "facts.yaml").read_text(encoding="utf-8")
        (kb / "facts.yaml").write_text(text.replace("en: perceptron", "en: Perceptron", 1),
                                       encoding="utf-8")
        assert wait_for(lambda: any("perceptron" in r.changed for r in reports[1:])), reports
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()


def test_watch_of_one_file_survives_an_editors_save_by_rename(tmp_path, no_hang):
    source = tmp_path / "kb.yaml"
    source.write_text((FIXTURE / "deck.yaml").read_text(encoding="utf-8")
                      + (FIXTURE / "facts.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    reports, errors, stop, thread = _watching(BuildOptions(source=source, out=tmp_path / "d"))
    try:
        for n, (old, new) in enumerate([("en: perceptron", "en: Perceptron"),
                                        ("en: Perceptron", "en: PERCEPTRON")]):
            temp = tmp_path / f".kb.yaml.swp{n}"
            temp.write_text(source.read_text(encoding="utf-8").replace(old, new, 1),
                            encoding="utf-8")
            os.replace(temp, source)  # as vim, VS Code and others save
            assert wait_for(lambda n=n: sum("perceptron" in r.changed for r in reports) > n), \
                (n, reports)
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()


def test_a_deleted_readings_cache_takes_a_planted_reading_out_of_the_deck(tmp_path):
    """A wrong (but well-formed) reading planted in the cache reaches the deck; deleting the
    cache, which the README calls always safe, must make the next build read afresh."""
    import sqlite3
    import subprocess
    import sys
    import zipfile

    kb = tmp_path / "source"
    shutil.copytree(FIXTURE, kb)
    out, cache = tmp_path / "decks", tmp_path / "cache"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}

    def build_and_read() -> str:
        subprocess.run([sys.executable, "-m", "quizgen", "build", str(kb), "--out", str(out)],
                       env=env, check=True, capture_output=True, timeout=300)
        with zipfile.ZipFile(out / "sample-deck.apkg") as z:
            (tmp_path / "c.anki2").write_bytes(z.read("collection.anki2"))
        db = sqlite3.connect(tmp_path / "c.anki2")
        fields = [r[0] for r in db.execute("select flds from notes")]
        db.close()
        return next(f for f in fields if f.startswith("感知器"))

    assert "gǎn zhī qì" in build_and_read()
    readings = next((cache / "quizgen").glob("pinyin-*.json"))
    planted = json.loads(readings.read_text(encoding="utf-8"))
    planted["感知器"] = ["gān", "zhī", "qí"]  # well-formed, wrong
    readings.write_text(json.dumps(planted, ensure_ascii=False), encoding="utf-8")
    assert "gān zhī qí" in build_and_read()  # a changed cache is read: the deck follows it
    shutil.rmtree(cache)
    assert "gǎn zhī qì" in build_and_read()  # deleted: read afresh, the deck is right again


def test_a_path_with_an_escape_sequence_is_printed_escaped(tmp_path):
    out = tmp_path / "deck\x1b[2J.apkg"
    result = run("deck", FIXTURE, "--out", out)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "deck\\x1b[2J.apkg" in result.stdout
    assert out.is_file()


def test_a_chinese_file_name_builds_in_the_c_locale_without_utf8_mode(tmp_path):
    import subprocess
    import sys

    kb = tmp_path / "source"
    shutil.copytree(FIXTURE, kb)
    os.rename(kb / "facts.yaml", kb / "第二章.yaml")
    env = {**os.environ, "LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0",
           "PYTHONCOERCECLOCALE": "0"}
    for args in (["build"], ["build", "--check"], ["check"]):
        result = subprocess.run([sys.executable, "-m", "quizgen", *args, str(kb), *(
            ["--out", str(tmp_path / "decks")] if args[0] == "build" else [])],
            env=env, capture_output=True, timeout=300)
        assert result.returncode == 0, (args, result.stderr.decode(errors="replace"))
        assert b"Traceback" not in result.stderr


def test_a_killed_builds_font_folder_is_removed_by_the_next(tmp_path, monkeypatch):
    """SIGKILL leaves the temporary font folder behind; the next PDF render removes it (and
    only folders whose process is gone)."""
    import subprocess
    import sys
    import tempfile

    from quizgen.quiz import pdf

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    left = tmp_path / f"quizgen-fonts-{dead}-x1y2"
    left.mkdir()
    (left / "0.otf").write_bytes(b"")
    alive = tmp_path / f"quizgen-fonts-{os.getpid()}-other"
    alive.mkdir()
    pdf._remove_folders_of_dead_builds()
    assert not left.exists() and alive.exists()
