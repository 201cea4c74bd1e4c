"""The README cannot drift from the command line: every command and option is documented."""

import re
from pathlib import Path

import click

from quizgen.cli import main

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme():
    for name in main.commands:
        assert f"`quizgen {name}" in README, name


def test_every_option_is_in_the_readme():
    for name, command in main.commands.items():
        for param in command.params:
            if isinstance(param, click.Option):
                assert any(re.search(rf"`[^`]*(?<![\w-]){re.escape(opt)}(?![\w-])[^`]*`", README)
                           for opt in param.opts), (name, param.opts)


def test_readme_starts_with_the_two_commands_ci_runs():
    block = re.search(r"```sh\n(.*?)```", README, re.S).group(1).splitlines()
    main_command, test_command = (line.split("  #")[0].strip() for line in block[:2])
    assert main_command.endswith("quizgen build")
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    ci_lines = [line.strip() for line in ci.splitlines()]
    for command in (main_command, test_command):
        # Both make their own virtual environment and install the tested versions.
        assert command.startswith("python3 -m venv .venv && ")
        assert "-c constraints.txt" in command
        assert command in ci_lines  # verbatim, on a line of its own


def test_help_shows_every_summary_whole():
    from click.testing import CliRunner

    output = CliRunner().invoke(main, ["--help"], terminal_width=80).output
    listed = output.split("Commands:\n", 1)[1]
    for name, command in main.commands.items():
        summary = command.get_short_help_str(limit=1000)
        assert f"  {name}  {summary}\n".replace("  ", " ") in \
            re.sub(r" +", " ", listed.replace("\n      ", " ")), (name, listed)
    assert "..." not in listed and "…" not in listed.replace("(Ctrl-C", "")


def test_the_format_example_is_a_valid_knowledge_base(tmp_path):
    from quizgen.check import check
    from quizgen.load import load

    text = (Path(__file__).parent.parent / "docs" / "format.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", text, re.S).group(1)
    (tmp_path / "kb.yaml").write_text(example, encoding="utf-8")
    loaded = load(tmp_path)
    assert check(loaded) == []
    assert {f.kind for f in loaded.kb.facts} == {"term", "list", "event", "figure", "person",
                                                 "claim"}
