"""The command line: exit codes, output streams, and that it runs from a plain install."""

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from quizgen.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


def test_check_valid_prints_summary():
    result = CliRunner().invoke(main, ["check", str(FIXTURES / "valid")], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout == f"{FIXTURES / 'valid'}: 12 facts in 2 sections, 0 errors, 0 warnings\n"
    assert result.stderr == ""


def test_check_invalid_exits_1_with_located_lines():
    path = FIXTURES / "invalid" / "typo-key.yaml"
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:9:5: error: missing required key 'definition'",
        f"{path}:12:5: error: unknown key 'defintion' (did you mean 'definition'?)",
    ]


def test_strict_turns_warnings_into_failure(tmp_path, monkeypatch):
    path = FIXTURES / "invalid" / "unknown-section.yaml"
    text = path.read_text(encoding="utf-8").replace("section: s9", "section: s1")
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)  # so that the file is named as the user typed it
    Path("kb.yaml").write_text(text + "  - {id: o, kind: org, section: s1, name: {zh: 甲, "
                               "en: 甲}, role: {zh: 乙, en: b}, why: {zh: 丙, en: c}}\n",
                               encoding="utf-8")
    relaxed = runner.invoke(main, ["check", "kb.yaml"])
    strict = runner.invoke(main, ["check", "--strict", "kb.yaml"])
    assert relaxed.exit_code == 0 and "1 warning" in relaxed.stdout
    assert strict.exit_code == 1
    assert strict.stderr == "kb.yaml:16:51: warning: English text contains Chinese: '甲'\n"


def test_default_path_is_source(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert result.stderr == (
        "source:1:1: error: no source/ folder here: run quizgen in the project's folder (the one "
        "that holds source/ and decks/), or give the knowledge base's path; `quizgen new "
        "DECK-ID` starts a project\n")


def test_usage_error_exits_2():
    result = CliRunner().invoke(main, ["check", "--no-such-flag"])
    assert result.exit_code == 2


def test_python_m_quizgen_help_runs_from_plain_install():
    result = subprocess.run([sys.executable, "-m", "quizgen", "--help"],
                            capture_output=True, text=True, check=True)
    for command in ("check", "deck", "quiz"):
        assert command in result.stdout


def test_check_does_not_import_output_libraries():
    code = ("import sys; from quizgen.cli import main\n"
            "try:\n    main(['check', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('genanki', 'typst', 'jinja2', 'pypinyin') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code, str(FIXTURES / "valid")],
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip().endswith("[]")
