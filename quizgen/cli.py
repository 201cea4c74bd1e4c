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


def _load_checked(path: Path, strict: bool = False, summary: bool = False):
    """Load and check the KB; print its problems (and a summary line if asked); exit 1 on any
    error, or any warning when strict."""
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
    if summary:
        kb = loaded.kb
        click.echo(f"{path}: {len(kb.facts)} facts in {len(kb.sections)} sections, "
                   f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}")
    if errors or (strict and warnings):
        sys.exit(1)
    return loaded


@main.command()
@click.argument("path", default=SOURCE, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def check(path: Path, strict: bool) -> None:
    """Validate the knowledge base at PATH (a folder or a file; default: source/)."""
    _load_checked(path, strict=strict, summary=True)


@main.command()
@click.argument("path", default=SOURCE, type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The .apkg file to write.")
def deck(path: Path, out: Path) -> None:
    """Write the Anki deck (.apkg) of the knowledge base at PATH."""
    from .anki import build_apkg
    from .fsutil import write_atomic

    loaded = _load_checked(path)
    try:
        write_atomic(out, build_apkg(loaded.kb))
    except QuizgenError as e:
        _fail(e)
    except OSError as e:
        _fail(QuizgenError.at(str(out), 0, 0, f"cannot write: {e.strerror or e}"))
    click.echo(f"wrote {out}")


@main.command()
@click.argument("path", default=SOURCE, type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The folder to write the quiz files into.")
@click.option("--questions", "-n", type=click.IntRange(1), help="How many questions.")
@click.option("--variants", "-k", type=click.IntRange(1, 26), help="How many shuffled versions.")
@click.option("--seed", type=int, help="The same seed gives the same files, byte for byte.")
@click.option("--lang", type=click.Choice(["zh", "en", "both"]), help="Language of the questions.")
@click.option("--options", "n_options", type=click.IntRange(2, 6), help="Options per question.")
@click.option("--section", "sections", multiple=True, help="Only facts of this section (repeatable).")
@click.option("--kind", "kinds", multiple=True, help="Only facts of this kind (repeatable).")
@click.option("--tag", "tags", multiple=True, help="Only facts with this tag (repeatable).")
@click.option("--font", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A font file with Chinese glyphs for the PDF.")
def quiz(path: Path, out: Path, questions, variants, seed, lang, n_options, sections, kinds, tags,
         font) -> None:
    """Write printable multiple-choice quizzes, answer keys and a glossary (PDF and HTML)."""
    from .fsutil import write_atomic
    from .quiz import QuizOptions, render_quiz_set

    loaded = _load_checked(path)
    options = QuizOptions.from_deck(
        loaded.kb.deck, questions=questions, variants=variants, seed=seed, lang=lang,
        options=n_options, sections=sections, kinds=kinds, tags=tags, font=font)
    try:
        result = render_quiz_set(loaded.kb, options)
        for name, data in result.files.items():
            write_atomic(out / name, data)
    except QuizgenError as e:
        _fail(e)
    except OSError as e:
        _fail(QuizgenError.at(str(out), 0, 0, f"cannot write: {e.strerror or e}"))
    for note in result.notes:
        click.echo(note, err=True)
    click.echo(f"wrote {len(result.files)} files to {out}")
