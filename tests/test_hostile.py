"""Hostile input: every case ends in located, one-line errors and exit 1 — never a traceback,
never anything executed, within seconds and bounded memory."""

import os
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizgen.cli import main
from quizgen.errors import QuizgenError
from quizgen.load import MAX_FILE_BYTES, load

DECK = "deck: {id: d, title: {zh: 卡组, en: Deck}}\n"


def write(tmp_path: Path, data: bytes | str, name: str = "kb.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, cur in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    return "\n".join(lines) + "\n"


CASES = {
    "alias": ("a: 1\nb: *a\n", ":2:4: error: aliases (*a) are not supported: write the value out"),
    # libyaml's own words follow "invalid YAML:"; only the place and our hints are asserted.
    "malformed": ("deck: {id: d\nfacts: [\n", ":2:6: error: invalid YAML: "),
    "tabs": (DECK + "facts:\n\t- id: x\n", "(indent with spaces, not tabs)"),
    "empty": ("", ":1:1: error: file is empty: expected deck, sections or facts"),
    "comments only": ("# nothing\n\n", ":1:1: error: file is empty"),
    "top-level list": ("- 1\n- 2\n", ":1:1: error: expected a mapping with the keys deck, "
                       "sections and facts at the top of the file"),
    "top-level scalar": ("hello\n", ":1:1: error: expected a mapping"),
    "wrong types": (DECK + "sections: 7\n", ":2:1: error: 'sections': should be a list"),
    "not utf-8": (b"deck:\n  id: \xff\xfe\n", ":2:7: error: not UTF-8: byte 0xff cannot be decoded"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ":3:1: error: binary data (a NUL byte)"),
    "control character": ("deck: \x07bell\n", ":1:7: error: invalid YAML: "),
    "duplicate keys": (DECK + "deck: {}\n", ":2:1: error: duplicate key 'deck' (first at line 1)"),
    "deep nesting": ("a: " + "[" * 5000 + "]" * 5000 + "\n", ":1:"),
    "deep mapping": ("a: " + "{b: " * 5000 + "1" + "}" * 5000 + "\n", ":1:"),
    "billion laughs": (billion_laughs(), ":1:4: error: anchors (&a) are not supported"),
    "anchor": (DECK + "x: &y 1\n", ":2:4: error: anchors (&y) are not supported"),
    "python tag": ("deck: !!python/object/apply:os.system ['touch PWNED']\n",
                   ":1:7: error: YAML tags (tag:yaml.org,2002:python/object/apply:os.system) "
                   "are not supported"),
    "python name tag": ("x: !!python/name:os.system\n", ":1:4: error: YAML tags"),
    "two documents": (DECK + "---\n" + DECK, ":2:1: error: more than one YAML document"),
    "complex key": ("? [a, b]\n: 1\n", ":1:3: error: a mapping or list cannot be a key"),
    "huge integer": (DECK + "sections: [{id: s, number: " + "9" * 5000 + ", title: {zh: 甲, en: A}}]\n",
                     ":2:"),
}


@pytest.mark.parametrize("name", CASES)
def test_hostile_file_gives_located_error(tmp_path, name, monkeypatch):
    data, expected = CASES[name]
    path = write(tmp_path, data)
    monkeypatch.chdir(tmp_path)  # a tag that ran would leave PWNED here
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith(f"{path}:") and ": error: " in line for line in lines)
    assert expected in lines[0], lines[0]
    if name == "tabs":
        assert lines[0].startswith(f"{path}:3:1: error: invalid YAML: "), lines[0]
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize("depth", [33, 40, 500])
def test_deep_nesting_is_refused_at_our_limit(depth):
    from quizgen.load import MAX_DEPTH, parse_yaml

    text = "a: " + "[" * depth + "]" * depth + "\n"
    with pytest.raises(QuizgenError) as info:
        parse_yaml(text, "deep.yaml")
    # The list that opens one level too deep; a parser's own, deeper limit never comes first.
    assert str(info.value) == (f"deep.yaml:1:{4 + MAX_DEPTH - 1}: error: "
                               f"nested more than {MAX_DEPTH} levels deep")


def test_nesting_up_to_the_limit_is_fine():
    from quizgen.load import MAX_DEPTH, parse_yaml

    depth = MAX_DEPTH - 1  # the top-level mapping is one level
    data, _ = parse_yaml("a: " + "[" * depth + "]" * depth + "\n", "ok.yaml")
    assert data["a"] is not None


def test_billion_laughs_uses_little_memory(tmp_path):
    path = write(tmp_path, billion_laughs())
    tracemalloc.start()
    with pytest.raises(QuizgenError):
        load(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 5_000_000


def test_8mb_file_is_refused_before_reading(tmp_path):
    path = write(tmp_path, "#" * (8 * 1024 * 1024 - 1) + "\n")
    assert path.stat().st_size > MAX_FILE_BYTES
    with pytest.raises(QuizgenError) as info:
        load(path)
    assert info.value.lines() == [
        f"{path}:1:1: error: file is 8.0 MiB; a source file may be at most 5 MiB"]


def test_folder_without_yaml(tmp_path):
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == (f"{tmp_path}:1:1: error: no YAML files (*.yaml, *.yml) found "
                             "here; `quizgen new DECK-ID` starts a text\n")


def test_missing_path(tmp_path):
    result = CliRunner().invoke(main, ["check", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert result.stderr == f"{tmp_path / 'nope'}:1:1: error: no such file or directory\n"


def test_unreadable_file(tmp_path):
    # /proc/self/mem is a regular file that read() refuses (EIO), even for root.
    (tmp_path / "kb.yaml").symlink_to("/proc/self/mem")
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == (f"{tmp_path / 'kb.yaml'}:1:1: error: cannot read: "
                             "Input/output error\n")


def test_hidden_and_special_files_are_not_sources(tmp_path):
    (tmp_path / "kb.yaml").write_text(DECK, encoding="utf-8")
    (tmp_path / ".#kb.yaml").symlink_to(tmp_path / "gone")  # an editor's lock link
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.yaml").write_text("- not a kb\n", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.yaml")  # reading it would block forever
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{tmp_path}: 0 facts in 0 sections, 0 errors, 0 warnings\n"
