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
    install, test = (line.split("#")[0].strip() for line in block[:2])
    assert install.endswith("quizgen build")
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci


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
