"""The `quizgen` command line: parse options, call the library, print, map errors to exit codes."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import QuizgenError, printable
from .fsutil import YAML_SUFFIXES

def _echo(text: str, err: bool = False) -> None:
    """One line for the user: paths and names typed by someone else may hold control
    characters (an escape sequence would drive the terminal), so they are written escaped."""
    click.echo(printable(text), err=err)


def _fail(error: QuizgenError) -> None:
    for line in error.lines():
        _echo(line, err=True)
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
        _echo(str(problem), err=True)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if summary:
        kb = loaded.kb
        _echo(f"{path}: {_count(len(kb.facts), 'fact')} in {_count(len(kb.sections), 'section')}, "
              f"{_count(errors, 'error')}, {_count(warnings, 'warning')}")
    if errors or (strict and warnings):
        sys.exit(1)
    return loaded


def _texts(args: tuple[str, ...], out: Path | None = None, one: str | None = None):
    """The texts a command works on. No argument: every text of the project in source/. A
    path: the knowledge base (or project folder) there. Names: those texts of the project.
    `one`: the command takes a single text, and this is how to name it."""
    from .project import DEFAULT_OUT, DEFAULT_SOURCE, project_texts, select

    paths = [a for a in args if Path(a).exists() or "/" in a or a.endswith(YAML_SUFFIXES)]
    try:
        if paths and len(args) > 1:
            raise click.UsageError("give one path, or the names of texts under source/")
        source = Path(paths[0]) if paths else DEFAULT_SOURCE
        texts = project_texts(source, out or DEFAULT_OUT)
        texts = select(texts, [] if paths else list(args), source)
    except QuizgenError as e:
        _fail(e)
    if one and len(texts) > 1:
        raise click.UsageError(f"{len(texts)} texts here ({', '.join(t.name for t in texts)}): "
                               f"name one, as in `{one}`")
    return texts


def _deck_ids_apart(decks: dict) -> None:
    """Exit 1 if two texts share a deck id."""
    from .project import duplicate_deck_ids

    problems = duplicate_deck_ids(decks)
    for problem in problems:
        _echo(f"{problem}", err=True)
    if problems:
        sys.exit(1)


@main.command(short_help="Validate the knowledge base (default: every text in source/).")
@click.argument("texts", nargs=-1)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def check(texts: tuple[str, ...], strict: bool) -> None:
    """Validate knowledge bases: TEXTS are names of texts under source/, or one path (a folder
    or a file); default: every text in source/."""
    decks, failed = {}, False
    for text in _texts(texts):
        try:
            decks[text] = _load_checked(text.source, strict=strict, summary=True).kb.deck.id
        except SystemExit:
            failed = True
    _deck_ids_apart(decks)
    if failed:
        sys.exit(1)


@main.command(short_help="Start a new text: source/DECK-ID/ from a commented template.")
@click.argument("deck_id", metavar="DECK-ID")
def new(deck_id: str) -> None:
    """Create source/DECK-ID/DECK-ID.yaml: a deck header, a section and one example fact of
    each kind, with comments. It passes `quizgen check` and builds as written."""
    from .project import new_text

    try:
        path = new_text(deck_id)
    except QuizgenError as e:
        _fail(e)
    _echo(f"wrote {path}: replace the examples with the text's facts, then "
          f"`quizgen check {deck_id}` and `quizgen build {deck_id}`")


@main.command(short_help="Draft candidate facts from a text into a new knowledge base.")
@click.argument("text", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", required=True, type=click.Path(path_type=Path),
              help="The new folder to write the draft into (e.g. source/NAME).")
@click.option("--deck-id", help="The new deck's id (default: from the file's name).")
def draft(text: Path, out: Path, deck_id: str | None) -> None:
    """Read a plain-text or Markdown TEXT (Chinese or English) and write candidate facts —
    glossed terms, dates, numbers with units, people, works, enumerations — as a knowledge
    base in OUT. Each says which line it came from; all are drafts, kept out of quizzes until
    you review them. It passes `quizgen check` as written."""
    from .draft import write_draft

    try:
        folder, result = write_draft(text, out, deck_id)
    except QuizgenError as e:
        _fail(e)
    counts = ", ".join(f"{n} {kind}{'s' * (n != 1)}" for kind, n in sorted(result.counts().items()))
    _echo(f"wrote {folder}/deck.yaml and {folder}/draft.yaml: {counts}; review each, then "
          f"`quizgen check {folder}`")


@main.command(short_help="Export the quiz for Moodle, Canvas, Kahoot, Quizlet or CSV.")
@click.argument("texts", nargs=-1)
@click.option("--format", "formats", multiple=True, required=True,
              type=click.Choice(["moodle", "canvas", "kahoot", "quizlet", "csv"]),
              help="Platform to export for (repeatable).")
@click.option("--decks", type=click.Path(file_okay=False, path_type=Path),
              help="Where `quizgen build` wrote the outputs (default decks/, as for build).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the files (default: beside each text's quiz.json).")
def export(texts: tuple[str, ...], formats: tuple[str, ...], decks: Path | None,
           out: Path | None) -> None:
    """Write the built quiz (quiz.json) of each text in the formats learning platforms import.
    `quiz: exports: [...]` in the deck header makes `quizgen build` write them every time."""
    from .exports import FORMATS, export as run_export, read_quiz_json
    from .fsutil import write_atomic

    for text in _texts(texts, decks):
        try:
            data = read_quiz_json(text.out / "quiz.json")
            for fmt in formats:
                name, content, notes = run_export(data, fmt)
                path = (out or text.out) / name
                write_atomic(path, content)
                for note in notes:
                    _echo(note, err=True)
                _echo(f"wrote {path} ({FORMATS[fmt][2]})")
        except QuizgenError as e:
            _fail(e)


@main.command(short_help="Grade a group's answers: scores, item analysis, facts to review.")
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("text", required=False)
@click.option("--decks", type=click.Path(file_okay=False, path_type=Path),
              help="Where `quizgen build` wrote the quiz (default decks/, as for build).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the report (default: a folder beside ANSWERS).")
@click.option("--review-below", type=click.FloatRange(0, 1), default=0.6, show_default=True,
              help="Questions fewer than this share got right go to the review list.")
@click.option("--review-most", type=click.IntRange(0), default=10, show_default=True,
              help="At most this many facts on the review list.")
def grade(answers: Path, text: str | None, decks: Path | None, out: Path | None,
          review_below: float, review_most: int) -> None:
    """Grade ANSWERS (the answers.csv `quizgen build` writes, filled in) against the built
    quiz of TEXT: scores per member and section, item analysis and a report (HTML, PDF, CSV);
    the facts the group missed most go to the text's review.yaml, whose cards the next deck
    tags quizgen::<deck>::review."""
    from .exports import read_quiz_json
    from .grade import grade as run_grade
    from .grade import read_answers
    from .grade.report import report_data, report_html, report_pdf, tables_csv
    from .grade.review import write_review

    (chosen,) = _texts((text,) if text else (), decks, one="quizgen grade ANSWERS NAME")
    out = out or answers.with_name(f"{answers.stem}-report")
    try:
        quiz = read_quiz_json(chosen.out / "quiz.json")
        sheet = read_answers(answers, quiz)
        grades = run_grade(sheet, quiz)
        data = report_data(grades, quiz, quiz["settings"]["lang"])
        files = {"grade-report.html": report_html(data), **tables_csv(data)}
        pdf = report_pdf(data)
        if pdf is not None:
            files["grade-report.pdf"] = pdf
        from .fsutil import write_atomic

        for name, content in files.items():
            write_atomic(out / name, content)
        review = grades.missed_most(review_below, review_most)
        path = write_review(chosen.source, quiz, review, answers.name)
    except QuizgenError as e:
        _fail(e)
    kr20 = "—" if grades.kr20 is None else f"{grades.kr20:.2f}"
    _echo(f"{len(grades.members)} members, {grades.questions} questions: mean "
          f"{grades.mean:.1f}, KR-20 {kr20} ({grades.reading})")
    _echo(f"  report: {out / 'grade-report.html'}" + (
        f", {out / 'grade-report.pdf'}" if pdf is not None else " (no PDF: no font for Chinese)")
          + f"; tables: {out / 'scores.csv'}, {out / 'items.csv'}")
    if path is not None:
        _echo(f"  {len(review)} fact(s) to review written to {path}: the next `quizgen build` "
              "tags their cards quizgen::<deck>::review; `--focus review` asks them first")


@main.command(short_help="List the pinyin chosen for characters of several readings.")
@click.argument("texts", nargs=-1)
def pinyin(texts: tuple[str, ...]) -> None:
    """List, for every term whose Chinese has a character of several readings, the reading
    chosen and the others, so an author can confirm it or correct it with `pinyin:`."""
    from .pinyin import pinyin_text, several_readings, unknown_readings

    for text in _texts(texts):
        loaded = _load_checked(text.source)
        terms = asked = 0
        for i, fact in enumerate(loaded.kb.facts):
            if fact.kind != "term":
                continue
            terms += 1
            where = loaded.source_map.fact(i, "pinyin" if fact.pinyin else "zh")
            for ch, syllable, known in unknown_readings(fact.zh, fact.pinyin or ""):
                _echo(f"{where}: {fact.zh}: its pinyin gives {ch} '{syllable}', a reading no "
                      f"dictionary has for it ({', '.join(known)}): check it")
            found = several_readings(fact.zh, fact.pinyin)
            if not found:
                continue
            asked += 1
            chars = "; ".join(f"{ch} {chosen} (not {', '.join(others)})"
                              for ch, chosen, others in found)
            mine = " (set by its pinyin:)" if fact.pinyin else ""
            _echo(f"{where}: {fact.zh} {pinyin_text(fact.zh, fact.pinyin)}{mine} — {chars}")
        _echo(f"{text.source}: {_count(terms, 'term')}, {asked} with characters of several "
              "readings: confirm each reading above, or correct it with `pinyin:` on the term")


@main.command(short_help="Write only the Anki deck (.apkg).")
@click.argument("text", required=False)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The .apkg file to write.")
def deck(text: str | None, out: Path) -> None:
    """Write the Anki deck (.apkg) of one text (its name under source/, or its path)."""
    from .anki import build_apkg
    from .fsutil import write_atomic

    (chosen,) = _texts((text,) if text else (), one="quizgen deck NAME --out FILE")
    loaded = _load_checked(chosen.source)
    try:
        write_atomic(out, build_apkg(loaded.kb))
    except QuizgenError as e:
        _fail(e)
    _echo(f"wrote {out}")


def _quiz_flags(f):
    """The quiz settings `quiz`, `build` and `watch` accept; unset ones come from the deck
    header's `quiz:` defaults."""
    for decorator in reversed([
        click.option("--questions", "-n", type=click.IntRange(1), help="Questions per quiz."),
        click.option("--variants", "-k", type=click.IntRange(1, 26),
                     help="Shuffled versions of the quiz."),
        click.option("--seed", type=int, help="The same seed gives the same files, byte for byte."),
        click.option("--lang", type=click.Choice(["zh", "en", "both"]),
                     help="Language of the questions."),
        click.option("--options", type=click.IntRange(2, 6), help="Options per question."),
        click.option("--section", "sections", multiple=True,
                     help="Only facts of this section (repeatable)."),
        click.option("--kind", "kinds", multiple=True, help="Only facts of this kind (repeatable)."),
        click.option("--tag", "tags", multiple=True, help="Only facts with this tag (repeatable)."),
        click.option("--focus", type=click.Choice(["review"]),
                     help="Ask the facts under `review:` (see grade) first."),
        click.option("--exclude-tag", "exclude_tags", multiple=True,
                     help="Never facts with this tag (repeatable; replaces the deck's list)."),
        click.option("--font", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="A font file with Chinese glyphs for the PDFs."),
    ]):
        f = decorator(f)
    return f


def _given(quiz: dict) -> dict:
    """The quiz flags actually given on the command line."""
    return {k: v for k, v in quiz.items() if v is not None and v != ()}


@main.command(short_help="Write only the quizzes, answer keys and glossary.")
@click.argument("text", required=False)
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The folder to write the quiz files into.")
@click.option("--review", is_flag=True,
              help="Also list each question with what to look at before printing.")
@_quiz_flags
def quiz(text: str | None, out: Path, review: bool, **quiz) -> None:
    """Write printable multiple-choice quizzes, answer keys and a glossary (PDF and HTML),
    and the quiz as data (quiz.json), of one text (its name under source/, or its path)."""
    from .fsutil import write_atomic
    from .quiz import QuizOptions, render_quiz_set

    (chosen,) = _texts((text,) if text else (), one="quizgen quiz NAME --out DIR")
    loaded = _load_checked(chosen.source)
    try:
        result = render_quiz_set(loaded.kb, QuizOptions.from_deck(loaded.kb.deck, **_given(quiz)))
        for name, data in result.files.items():
            write_atomic(out / name, data)
    except QuizgenError as e:
        _fail(e)
    for note in result.notes:
        _echo(note, err=True)
    if review:
        from .quiz.data import review_lines

        for line in review_lines(result.quiz):
            _echo(line)
    _echo(f"wrote {len(result.files)} files to {out}")


def _build_options(path: Path, out: Path, force: bool = False, **quiz):
    from .build import BuildOptions

    return BuildOptions(source=path, out=out, quiz=_given(quiz), force=force)


def _status_line(enabled: bool):
    """A one-line progress display on a terminal, rewritten in place; nothing when piped."""
    if not enabled:
        return lambda step: None
    return lambda step: click.echo(f"\r\033[K{step}…" if step else "\r\033[K", nl=False, err=True)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def _names(ids: list[str], limit: int = 8) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f", … ({len(ids) - limit} more)" if len(ids) > limit else "")


def _print_report(report, verbose: bool = False) -> None:
    for note in report.notes:
        _echo(note, err=True)
    if report.nothing_to_do:
        _echo(f"up to date: {_count(report.facts, 'fact')}, nothing changed")
        _print_outputs(report.unchanged)
        return
    groups = [(report.added, "added"), (report.changed, "changed"),
              (report.reidentified, "new in Anki"), (report.removed, "removed")]
    changes = [f"{len(ids)} {what}" for ids, what in groups if ids]
    if report.renamed:
        changes.append(f"{len(report.renamed)} renamed")
    _echo(f"{_count(report.facts, 'fact')} in {_count(report.sections, 'section')}"
          + (f": {', '.join(changes)}" if changes else ": no fact changed"))
    limit = 1000 if verbose else 8
    for ids, what in groups:
        if ids:
            _echo(f"  {what}: {_names(ids, limit)}")
    if report.renamed:
        _echo(f"  renamed: {_names([f'{a} → {b}' for a, b in report.renamed], limit)}")
    for path in report.written:
        _echo(f"  wrote {path}")
    if verbose:
        for path in report.unchanged:
            _echo(f"  unchanged {path}")
    _print_outputs(report.written + report.unchanged)
    if any(p.suffix == ".apkg" for p in report.written):
        _print_for_members(report)


def _print_for_members(report) -> None:
    """What members' next import of the deck does, and what they must do by hand."""
    if not (report.overwrites or report.retired_items or report.removed or report.reidentified
            or report.renamed_decks or report.notetype_changes):
        return  # a first build, or facts only added
    _echo(f"For members: importing the new deck updates {_count(report.overwrites, 'note')}"
          + (" in place (an update replaces a note's fields and tags, so their own edits "
             "and tags on those notes go; reviews stay)" if report.overwrites else ""))
    merge = [c for c in report.notetype_changes if c.merge]
    restyled = [c for c in report.notetype_changes if not c.merge]
    if merge:
        kinds = ", ".join(f"quizgen {c.kind}" for c in merge)
        added = sorted({name for c in merge for name in c.added})
        _echo(f"  ! note types changed ({kinds}; new: {', '.join(added)}): for this import "
              "only, members tick \"Merge note types\" and set \"Update notes\" to "
              "\"Always\" in Anki's import screen, or their notes will not update (README, "
              "For members)")
    if restyled:
        _echo("  card layout changed (" + ", ".join(f"quizgen {c.kind}" for c in restyled)
              + "): the import applies it, replacing members' own changes to its styling")
    if report.retired_items:
        items = _names([f"{fact}: {item}" for fact, item in report.retired_items])
        _echo(f"  {_count(len(report.retired_items), 'list item')} left their lists ({items}): "
              "their cards go blank; Tools → Empty Cards deletes them")
    if report.removed or report.reidentified:
        n = len(report.retired_searches)
        _echo(f"  {_count(n, 'note')} left the deck, which Anki keeps until members delete "
              "them: the deck's description lists them; in Browse search: " + " or ".join(
                  f"({s})" if " " in s else s for s in report.retired_searches[:4])
              + (" …" if n > 4 else ""))
    for old, new in report.renamed_decks:
        _echo(f"  deck renamed: members' cards stay in \"{old}\"; new cards go to \"{new}\" "
              "unless they first rename it in Anki (Browse → the deck → Rename)")


# How each kind of output is used, in the order the summary lists them.
_OUTPUT_USES = (
    ("Anki deck (File → Import)", lambda name: name.endswith(".apkg")),
    ("to print", lambda name: name.endswith(".pdf")),
    ("self-test, phones too", lambda name: name == "selftest.html"),
    ("in a browser", lambda name: name.endswith(".html") and name != "selftest.html"),
    ("quiz as data", lambda name: name.endswith(".json")),
    ("answers to fill in for `quizgen grade`", lambda name: name == "answers.csv"),
    ("for learning platforms (README, Exports)",
     lambda name: name.endswith((".xml", ".zip", ".xlsx", ".txt", ".csv"))
     and name != "answers.csv"),
)


def _print_outputs(paths: list[Path]) -> None:
    """Where the outputs are, grouped by what they are for (the lock is left out)."""
    for use, belongs in _OUTPUT_USES:
        found = sorted((p for p in paths if belongs(p.name)), key=lambda p: p.name)
        if found:
            _echo(f"  {use}: {', '.join(str(p) for p in found)}")


@main.command(short_help="Check source/ and write every output into decks/.")
@click.argument("texts", nargs=-1)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write outputs (default decks/; a folder per text in it when "
                   "source/ holds several).")
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; exit 1 listing the outputs that are out of date.")
@click.option("--force", is_flag=True, help="Render every output even if nothing changed.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("-v", "--verbose", is_flag=True, help="List every id and file.")
@_quiz_flags
def build(texts: tuple[str, ...], out: Path | None, check_only: bool, force: bool,
          quiet: bool, verbose: bool, **quiz) -> None:
    """Check knowledge bases and write their Anki decks, quizzes and glossaries. TEXTS are
    names of texts under source/ (default: all), or one knowledge base's path."""
    from .build import build as run_build
    from .build import stale_outputs

    chosen = _texts(texts, out)
    several = len(chosen) > 1
    decks, stale = {}, []
    for text in chosen:
        options = _build_options(text.source, text.out, force, **quiz)
        if several and not quiet and not check_only:
            _echo(f"{text.name}: {text.source} → {text.out}")
        try:
            if check_only:
                stale += [text.out / name for name in stale_outputs(options)]
                continue
            report = run_build(options, progress=_status_line(sys.stderr.isatty() and not quiet))
        except QuizgenError as e:
            _fail(e)
        finally:
            _status_line(sys.stderr.isatty() and not quiet)("")
        decks[text] = report.deck
        if not quiet:
            _print_report(report, verbose)
    _deck_ids_apart(decks)
    from .fsutil import NotRegular, read_regular
    from .project import DEFAULT_OUT, group_page

    # The page shows every text of the project, whichever were built now.
    everything = _texts(texts if any(Path(t).exists() for t in texts) else (), out)
    root = everything[0].out if everything[0].name == "" else (out or DEFAULT_OUT)
    page, content = group_page(everything, root)
    try:
        current = read_regular(page, 2 * len(content) + 1)
    except (OSError, NotRegular):
        current = None
    if check_only:
        if current != content:
            stale.append(page)
    elif current != content:
        from .fsutil import write_atomic

        try:
            write_atomic(page, content)
        except QuizgenError as e:
            _fail(e)
    if not check_only and not quiet:
        _echo(f"the group's page (open it in a browser, or put {root} on any static host): "
              f"{page}")
    if check_only:
        for path in stale:
            _echo(f"{path}: stale", err=True)
        if stale:
            _echo(f"{len(stale)} output(s) out of date: run `quizgen build`", err=True)
            sys.exit(1)
        if not quiet:
            _echo(f"{', '.join(str(t.out) for t in chosen)}: up to date")


@main.command(short_help="Build, then rebuild on every save (Ctrl-C stops).")
@click.argument("texts", nargs=-1)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write outputs (as for build).")
@click.option("-v", "--verbose", is_flag=True, help="List every id and file.")
@_quiz_flags
def watch(texts: tuple[str, ...], out: Path | None, verbose: bool, **quiz) -> None:
    """Rebuild on every save of a file of the knowledge bases (Ctrl-C stops)."""
    from .build import build as run_build
    from .project import DEFAULT_SOURCE
    from .watch import watch as run_watch

    chosen = _texts(texts, out)
    root = chosen[0].source if len(chosen) == 1 else (
        Path(texts[0]) if texts and Path(texts[0]).exists() else DEFAULT_SOURCE)

    def rebuild() -> list:
        reports = []
        for text in chosen:
            try:
                reports.append(run_build(_build_options(text.source, text.out, **quiz)))
            except QuizgenError as e:
                reports.append(e)
        return reports

    def on_report(reports: list) -> None:
        for text, report in zip(chosen, reports):
            if len(chosen) > 1:
                _echo(f"{text.name}:")
            if isinstance(report, QuizgenError):
                on_error(report)
            else:
                _print_report(report, verbose)

    def on_error(error: QuizgenError) -> None:
        for line in error.lines():
            _echo(line, err=True)

    run_watch(_build_options(root, chosen[0].out, **quiz), on_report, on_error,
              on_ready=lambda: _echo(f"watching {root} (Ctrl-C stops)"), rebuild=rebuild)


def run() -> None:
    """The console entry point: `main`, with a closed or full standard output (`quizgen build
    | head`, `> /dev/full`) ending in one line on stderr instead of a traceback."""
    code: int | str | None = 0
    # In a locale that cannot write Chinese (LANG=C without UTF-8 mode), what it cannot
    # write is escaped rather than fatal.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        main(standalone_mode=True)
    except SystemExit as e:
        code = e.code
    except OSError as e:
        import traceback

        if traceback.extract_tb(e.__traceback__)[-1].name not in ("echo", "flush", "write"):
            raise  # not a failed write of our output: a real fault, shown in full
        _stdout_failed(e)
        code = 1
    try:
        sys.stdout.flush()
    except OSError as e:
        _stdout_failed(e)
        code = code or 1
    sys.exit(code)


def _stdout_failed(error: OSError) -> None:
    import os

    # Point stdout at /dev/null so that Python's own flush at exit cannot fail again.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    if not isinstance(error, BrokenPipeError):  # a reader that left early is no error
        try:
            _echo(f"quizgen: error: cannot write the output: {error.strerror or error}",
                       err=True)
        except OSError:
            pass
