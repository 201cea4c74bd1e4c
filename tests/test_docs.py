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
                assert any(opt in README for opt in param.opts), (name, param.opts)


def test_readme_starts_with_the_two_commands_ci_runs():
    block = re.search(r"```sh\n(.*?)```", README, re.S).group(1).splitlines()
    install, test = (line.split("#")[0].strip() for line in block[:2])
    assert install.endswith("quizgen build")
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci
