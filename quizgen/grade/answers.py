"""answers.csv: the template `quizgen build` writes, and reading a filled one.

Columns `name`, `variant`, then `1` … `N` (one per question number, a letter per cell, blank for
no answer). The template's second row, `#quiz,<fingerprint>`, ties a file to the quiz it was
made for; a spreadsheet or form export without it is read all the same.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import Location, Problem, QuizgenError

MAX_BYTES = 20 * 1024 * 1024
NAME_ALIASES = ("name", "姓名", "your name", "名字")
VARIANT_ALIASES = ("variant", "试卷", "version", "版本")


def quiz_fingerprint(quiz: dict) -> str:
    """What identifies a quiz's papers: each variant's questions and answers, in order."""
    papers = [[v["label"], [[q["id"], q["answer"], len(q["options"])] for q in v["questions"]]]
              for v in quiz["variants"]]
    return hashlib.sha256(json.dumps(papers).encode()).hexdigest()[:12]


def answers_template(quiz: dict) -> bytes:
    """The answers.csv to fill: its header, and the row that names the quiz."""
    count = len(quiz["variants"][0]["questions"]) if quiz["variants"] else 0
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["name", "variant", *map(str, range(1, count + 1))])
    writer.writerow(["#quiz", quiz_fingerprint(quiz)])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


@dataclass(frozen=True)
class Paper:
    """One member's filled-in paper."""

    name: str
    variant: str
    choices: tuple[int | None, ...]  # per question number: the 0-based option, None: blank
    line: int


@dataclass(frozen=True)
class AnswerSheet:
    path: str
    papers: tuple[Paper, ...]


def _norm(cell: str) -> str:
    return cell.strip().casefold()


def read_answers(path: Path, quiz: dict) -> AnswerSheet:
    """A filled answers.csv, checked against the quiz: every problem located, all at once."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise QuizgenError.at(name, 1, 1, f"cannot read it ({e.strerror})") from None
    if len(raw) > MAX_BYTES:
        raise QuizgenError.at(name, 1, 1, f"larger than {MAX_BYTES // 1048576} MiB: not an "
                              "answers file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise QuizgenError.at(name, 1, 1, f"not UTF-8 text (byte {e.start}): save the sheet "
                              "as CSV UTF-8") from None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise QuizgenError.at(name, 1, 1, "empty: expected a header row name,variant,1,2,…")
    variants = {v["label"]: v for v in quiz["variants"]}
    count = len(quiz["variants"][0]["questions"]) if quiz["variants"] else 0
    problems: list[Problem] = []

    def problem(line: int, col: int, message: str) -> None:
        problems.append(Problem(Location(name, line, col), message))

    header = [_norm(c) for c in rows[0]]
    name_col = next((i for i, c in enumerate(header) if c in NAME_ALIASES), None)
    variant_col = next((i for i, c in enumerate(header) if c in VARIANT_ALIASES), None)
    numbered = {}
    for i, cell in enumerate(header):
        digits = cell.rstrip(".").removeprefix("q").strip()
        if digits.isdigit():
            numbered[int(digits)] = i
    if name_col is None or variant_col is None:
        raise QuizgenError.at(name, 1, 1, "the header needs a `name` and a `variant` column, "
                              "then one column per question: 1, 2, … (as in the answers.csv "
                              "that `quizgen build` writes)")
    if sorted(numbered) != list(range(1, count + 1)):
        have = max(numbered, default=0)
        raise QuizgenError.at(name, 1, 1, f"the header has {len(numbered)} question columns "
                              f"(up to {have}), but this quiz has {count}: these answers are "
                              "for another quiz, or a column is missing")
    papers, names = [], {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if row[0].strip().startswith("#"):
            if row[0].strip() == "#quiz" and len(row) > 1 and row[1].strip() != \
                    quiz_fingerprint(quiz):
                problem(line, 2, "these answers are for another quiz (its questions or "
                                 "settings differ from this quiz.json): grade them against "
                                 "the quiz.json they were printed from")
            continue
        if len(row) > len(header) and any(c.strip() for c in row[len(header):]):
            problem(line, len(header) + 1, f"{len(row)} cells, but the header has "
                                           f"{len(header)}: one answer too many?")
        elif len(row) < len(header):
            problem(line, len(row) + 1, f"{len(row)} cells, but the header has {len(header)}: "
                                        "an answer missing? (a question left blank is an "
                                        "empty cell: keep its comma)")
        cell = lambda i: row[i].strip() if i < len(row) else ""  # noqa: E731
        member = cell(name_col)
        if not member:
            problem(line, name_col + 1, "no name")
        elif member in names:
            problem(line, name_col + 1, f"'{member}' is already at line {names[member]}: one "
                                        "row per member (tell namesakes apart)")
        names.setdefault(member, line)
        label = cell(variant_col).upper()
        variant = variants.get(label)
        if variant is None:
            problem(line, variant_col + 1, f"unknown variant '{cell(variant_col)}' (this "
                                           f"quiz has {', '.join(variants)})")
            continue
        choices = []
        for number in range(1, count + 1):
            col = numbered[number]
            letter = cell(col).upper()
            options = len(variant["questions"][number - 1]["options"])
            if not letter:
                choices.append(None)
            elif len(letter) == 1 and "A" <= letter < chr(65 + options):
                choices.append(ord(letter) - 65)
            else:
                problem(line, col + 1, f"question {number}: '{cell(col)}' is not one of its "
                                       f"letters A–{chr(64 + options)} (leave it blank for no "
                                       "answer)")
                choices.append(None)
        papers.append(Paper(member, label, tuple(choices), line))
    if problems:
        raise QuizgenError(problems)
    if not papers:
        raise QuizgenError.at(name, 2, 1, "no answers yet: one row per member under the header")
    return AnswerSheet(name, tuple(papers))
