"""The `quizgen` command line: parse options, call the library, print, map errors to exit codes."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import QuizgenError

SOURCE = "source"


def _fail(error: QuizgenError) -> None:
    for line in error.lines():
        click.echo(line, err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="quizgen")
def main() -> None:
    """Turn a knowledge base of facts (YAML) into Anki decks and printable quizzes."""


@main.command()
@click.argument("path", default=SOURCE, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def check(path: Path, strict: bool) -> None:
    """Validate the knowledge base at PATH (a folder or a file; default: source/)."""
    from .check import check as run_checks
    from .load import load

    try:
        loaded = load(path)
    except QuizgenError as e:
        _fail(e)
    problems = run_checks(loaded)
    for problem in problems:
        click.echo(str(problem), err=True)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    kb = loaded.kb
    click.echo(f"{path}: {len(kb.facts)} facts in {len(kb.sections)} sections, "
               f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}")
    if errors or (strict and warnings):
        sys.exit(1)
