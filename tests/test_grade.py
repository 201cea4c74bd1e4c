"""Grading: a simulated group with known abilities fills answers.csv; `quizgen grade` scores
it, and every figure is checked against an independent computation (the statistics module,
from the papers as printed, not from quizgen's mapping to facts)."""

from __future__ import annotations

import csv
import io
import json
import math
import random
import shutil
import statistics
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizgen.cli import main
from quizgen.grade import grade, read_answers
from test_anki import FIXTURE

WRONG_SHARE = 0.1  # of answers left blank


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("grade")
    shutil.copytree(FIXTURE, root / "source")
    result = CliRunner().invoke(main, ["build", str(root / "source"), "--out",
                                       str(root / "decks")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root


def quiz_of(project: Path) -> dict:
    return json.loads((project / "decks" / "quiz.json").read_text(encoding="utf-8"))


def simulate(quiz: dict, members: int, seed: int = 1) -> tuple[list[list[str]], dict]:
    """Rows of a filled answers.csv: each member answers right with a probability that grows
    with their ability (a Rasch model), else a wrong letter, sometimes nothing."""
    rng = random.Random(seed)
    difficulty = {q["id"]: rng.uniform(-1.5, 1.5) for q in quiz["variants"][0]["questions"]}
    rows, abilities = [], {}
    for m in range(members):
        variant = quiz["variants"][m % len(quiz["variants"])]
        ability = rng.gauss(0, 1.2)
        name = f"成员{m:03d}"
        abilities[name] = ability
        letters = []
        for q in variant["questions"]:
            if rng.random() < WRONG_SHARE / 2:
                letters.append("")
                continue
            p = 1 / (1 + math.exp(-(ability - difficulty[q["id"]])))
            if rng.random() < p:
                letters.append("ABCDEF"[q["answer"]])
            else:
                wrong = [i for i in range(len(q["options"])) if i != q["answer"]]
                letters.append("ABCDEF"[rng.choice(wrong[:2])])  # a favourite wrong option
        rows.append([name, variant["label"].lower() if m % 3 == 0 else variant["label"],
                     *letters])
    return rows, abilities


def independent(quiz: dict, rows: list[list[str]]) -> dict:
    """Scores, difficulty, corrected point-biserial, upper–lower and KR-20, computed straight
    from each variant's printed questions."""
    variants = {v["label"]: v["questions"] for v in quiz["variants"]}
    ids = [q["id"] for q in quiz["variants"][0]["questions"]]
    item = {i: {} for i in ids}
    scores = {}
    for name, label, *letters in rows:
        questions = variants[label.upper()]
        score = 0
        for q, letter in zip(questions, letters):
            right = int(letter == "ABCDEF"[q["answer"]])
            item[q["id"]][name] = right
            score += right
        scores[name] = score
    names = sorted(scores)
    totals = [scores[n] for n in names]
    out = {"scores": scores, "items": {}}
    k = len(ids)
    pq = 0.0
    ranked = sorted(names, key=lambda n: (-scores[n], n))
    g = max(1, round(0.27 * len(names)))
    for i in ids:
        column = [item[i][n] for n in names]
        p = sum(column) / len(names)
        pq += p * (1 - p)
        rest = [t - c for t, c in zip(totals, column)]
        r = statistics.correlation(column, rest) if len(set(column)) > 1 and len(set(rest)) > 1 else None
        ul = (sum(item[i][n] for n in ranked[:g]) - sum(item[i][n] for n in ranked[-g:])) / g
        out["items"][i] = (p, r, ul)
    out["kr20"] = k / (k - 1) * (1 - pq / statistics.pvariance(totals))
    return out


def test_grades_match_an_independent_computation(project, tmp_path):
    quiz = quiz_of(project)
    rows, abilities = simulate(quiz, 120)
    path = tmp_path / "answers.csv"
    head = (project / "decks" / "answers.csv").read_text(encoding="utf-8-sig")
    path.write_text(head + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    grades = grade(read_answers(path, quiz), quiz)
    expect = independent(quiz, rows)
    assert {m.name: m.score for m in grades.members} == expect["scores"]
    for item in grades.items:
        p, r, ul = expect["items"][item.id]
        assert item.difficulty == pytest.approx(p)
        assert (item.point_biserial is None) == (r is None)
        if r is not None:
            assert item.point_biserial == pytest.approx(r)
        assert item.upper_lower == pytest.approx(ul)
        assert sum(item.chosen) == item.answered
    assert grades.kr20 == pytest.approx(expect["kr20"])
    # The simulation's abilities come through: stronger members score higher.
    names = [m.name for m in grades.members]
    assert statistics.correlation([abilities[n] for n in names],
                                  [m.score for m in grades.members]) > 0.6
    # Per section, the parts add up to the whole.
    for m in grades.members:
        assert sum(r for r, _ in m.by_section.values()) == m.score


def test_the_grade_command_writes_the_report_and_the_review_list(project, tmp_path):
    quiz = quiz_of(project)
    rows, _ = simulate(quiz, 40, seed=4)
    path = tmp_path / "answers.csv"
    head = (project / "decks" / "answers.csv").read_text(encoding="utf-8-sig")
    path.write_text(head + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    result = CliRunner().invoke(main, ["grade", str(path), str(project / "source"), "--decks",
                                       str(project / "decks"), "--review-below", "0.7"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report = tmp_path / "answers-report"
    html = (report / "grade-report.html").read_text(encoding="utf-8")
    assert "<svg" in html and "示例卡组" in html and "KR-20" in html
    assert "http://" not in html and "https://" not in html  # nothing to fetch
    scores = list(csv.reader(io.StringIO((report / "scores.csv").read_text(encoding="utf-8-sig"))))
    assert len(scores) == 41
    items = list(csv.reader(io.StringIO((report / "items.csv").read_text(encoding="utf-8-sig"))))
    assert len(items) == len(quiz["variants"][0]["questions"]) + 1
    import pypdf

    pdf = pypdf.PdfReader(report / "grade-report.pdf")
    assert "成绩分析" in pdf.pages[0].extract_text()
    review = (project / "source" / "review.yaml").read_text(encoding="utf-8")
    assert review.startswith("# The facts the group missed most")
    assert "review:" in review


def test_the_review_tag_reaches_members_anki_and_the_next_quiz(project, tmp_path):
    from test_anki_updates import Member

    own = tmp_path / "project"
    shutil.copytree(project / "source", own / "source")
    shutil.copytree(project / "decks", own / "decks")
    # Two facts the default quiz asks last: with the focus, a quiz of two asks just them.
    review = [q["fact"] for q in quiz_of(project)["variants"][0]["questions"]][-2:]
    (own / "source" / "review.yaml").write_text(f"review: [{', '.join(review)}]\n",
                                                encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(own / "source"), "--out",
                                       str(own / "decks"), "--focus", "review", "-n", "2"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert sorted(q["fact"] for q in quiz_of(own)["variants"][0]["questions"]) == sorted(review)
    member = Member(tmp_path / "member")
    try:
        member.import_(own / "decks" / "sample-deck.apkg")
        tagged = member.col.find_notes("tag:quizgen::sample-deck::review")
        assert sorted(t.split("::")[-1] for n in tagged for t in member.col.get_note(n).tags
                      if "::id::" in t) == sorted(review)
    finally:
        member.close()


@pytest.mark.parametrize("edit, message", [
    (lambda rows: rows[1].__setitem__(1, "Z"), "4:2: error: unknown variant 'Z' (this quiz has A, B)"),
    (lambda rows: rows[1].append("C"), ": one answer too many?"),
    (lambda rows: rows[1].pop(), "4:8: error: 7 cells, but the header has 8: an answer missing?"),
    (lambda rows: rows[1].__setitem__(3, "E"), "4:4: error: question 2: 'E' is not one of its letters A–D"),
    (lambda rows: rows[2].__setitem__(0, rows[1][0]), "5:1: error: '成员001' is already at line 4"),
])
def test_bad_answers_are_located_and_nothing_is_written(project, tmp_path, edit, message):
    quiz = quiz_of(project)
    rows, _ = simulate(quiz, 6, seed=2)
    edit(rows)
    path = tmp_path / "answers.csv"
    head = (project / "decks" / "answers.csv").read_text(encoding="utf-8-sig")
    path.write_text(head + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    before = (project / "source" / "review.yaml").read_bytes() \
        if (project / "source" / "review.yaml").exists() else None
    result = CliRunner().invoke(main, ["grade", str(path), str(project / "source"), "--decks",
                                       str(project / "decks")])
    assert result.exit_code == 1
    assert f"{path}:" in result.stderr and message in result.stderr, result.stderr
    assert not (tmp_path / "answers-report").exists()
    after = (project / "source" / "review.yaml").read_bytes() \
        if (project / "source" / "review.yaml").exists() else None
    assert after == before


def test_answers_for_another_quiz_are_refused(project, tmp_path):
    quiz = quiz_of(project)
    rows, _ = simulate(quiz, 3)
    path = tmp_path / "answers.csv"
    path.write_text("name,variant," + ",".join(str(i) for i in range(1, 7)) + "\n#quiz,0123456789ab\n"
                    + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    result = CliRunner().invoke(main, ["grade", str(path), str(project / "source"), "--decks",
                                       str(project / "decks")])
    assert result.exit_code == 1
    assert f"{path}:2:2: error: these answers are for another quiz" in result.stderr
    short = tmp_path / "short.csv"
    short.write_text("name,variant,1,2\nx,A,A,B\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["grade", str(short), str(project / "source"), "--decks",
                                       str(project / "decks")])
    assert result.exit_code == 1 and "the header has 2 question columns" in result.stderr
