"""Exports of quiz.json for the platforms groups use, each read back by an independent reader:
an XML parser against the format's documented structure, openpyxl, the zip's manifest, csv."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from quizgen.cli import main
from quizgen.exports import FORMATS, export, read_quiz_json
from test_anki import FIXTURE

ALL = ["moodle", "canvas", "kahoot", "quizlet", "csv"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The fixture KB with every export asked for in its deck header, built."""
    root = tmp_path_factory.mktemp("exports")
    shutil.copytree(FIXTURE, root / "source")
    deck = root / "source" / "deck.yaml"
    deck.write_text(deck.read_text(encoding="utf-8").replace(
        "options: 4}", f"options: 4, exports: [{', '.join(ALL)}]}}"), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(root / "source"), "--out",
                                       str(root / "decks")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root / "decks"


@pytest.fixture(scope="module")
def quiz(built) -> dict:
    return json.loads((built / "quiz.json").read_text(encoding="utf-8"))


def asked(quiz: dict) -> list[dict]:
    return quiz["variants"][0]["questions"]


def plain(value: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", value))


def test_build_writes_the_exports_the_deck_asks_for(built, quiz):
    for fmt in ALL:
        assert (built / f"sample-deck{FORMATS[fmt][1]}").is_file(), fmt
    assert (built / "index.html").read_text(encoding="utf-8").count("download") >= 5


def test_moodle_xml(built, quiz):
    root = ET.parse(built / "sample-deck-moodle.xml").getroot()
    assert root.tag == "quiz"
    categories = [q.find("category/text").text for q in root if q.get("type") == "category"]
    assert categories == [f"$course$/top/示例卡组/{s['number']:02d} {s['title']['zh']}"
                          for s in quiz["sections"]]
    by_id = {q["id"]: q for q in asked(quiz)}
    questions = [q for q in root if q.get("type") == "multichoice"]
    assert len(questions) == len(by_id)
    for question in questions:
        q = by_id[question.find("name/text").text.split(" ", 1)[1]]
        assert plain(question.find("questiontext/text").text) == q["stem"]["zh"]
        assert question.find("questiontext").get("format") == "html"
        assert question.find("single").text == "true"
        answers = question.findall("answer")
        assert [plain(a.find("text").text) for a in answers] == [o["zh"] for o in q["options"]]
        assert [a.get("fraction") for a in answers].count("100") == 1
        right = next(a for a in answers if a.get("fraction") == "100")
        assert plain(right.find("text").text) == q["options"][q["answer"]]["zh"]
        assert plain(question.find("generalfeedback/text").text) == q["explanation"]["zh"]


def test_canvas_qti_zip(built, quiz):
    ns = {"q": "http://www.imsglobal.org/xsd/ims_qtiasiv1p2",
          "m": "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1",
          "c": "http://canvas.instructure.com/xsd/cccv1p0"}
    with zipfile.ZipFile(built / "sample-deck-canvas-qti.zip") as archive:
        names = set(archive.namelist())
        manifest = ET.fromstring(archive.read("imsmanifest.xml"))
        resources = manifest.findall("m:resources/m:resource", ns)
        qti = next(r for r in resources if r.get("type") == "imsqti_xmlv1p2")
        href = qti.find("m:file", ns).get("href")
        meta_id = qti.find("m:dependency", ns).get("identifierref")
        meta = next(r for r in resources if r.get("identifier") == meta_id)
        assert {href, meta.get("href")} <= names
        quiz_meta = ET.fromstring(archive.read(meta.get("href")))
        assert quiz_meta.find("c:title", ns).text == "示例卡组"
        assessment = ET.fromstring(archive.read(href))
    items = assessment.findall("q:assessment/q:section/q:item", ns)
    by_id = {q["id"]: q for q in asked(quiz)}
    assert len(items) == len(by_id)
    for item in items:
        q = by_id[item.get("title").split(" ", 1)[1]]
        fields = {f.find("q:fieldlabel", ns).text: f.find("q:fieldentry", ns).text
                  for f in item.findall("q:itemmetadata/q:qtimetadata/q:qtimetadatafield", ns)}
        assert fields["question_type"] == "multiple_choice_question"
        assert plain(item.find("q:presentation/q:material/q:mattext", ns).text) == \
            q["stem"]["zh"]
        labels = item.findall("q:presentation/q:response_lid/q:render_choice/q:response_label",
                              ns)
        texts = {l.get("ident"): plain(l.find("q:material/q:mattext", ns).text) for l in labels}
        assert list(texts.values()) == [o["zh"] for o in q["options"]]
        assert fields["original_answer_ids"].split(",") == list(texts)
        key = item.find("q:resprocessing/q:respcondition/q:conditionvar/q:varequal", ns).text
        assert texts[key] == q["options"][q["answer"]]["zh"]


def test_kahoot_xlsx_follows_the_template_and_its_limits(built, quiz):
    sheet = load_workbook(built / "sample-deck-kahoot.xlsx").active
    assert sheet["B8"].value == "Question - max 120 characters"
    assert sheet["H8"].value == "Correct answer(s) - choose at least one"
    by_stem = {q["stem"]["zh"]: q for q in asked(quiz)}
    rows = list(sheet.iter_rows(min_row=9, max_col=8, values_only=True))
    rows = [r for r in rows if r[1]]
    assert len(rows) == len(by_stem)
    for number, stem, *answers, limit, correct in rows:
        q = by_stem[stem]
        assert len(stem) <= 120 and all(len(a) <= 75 for a in answers if a)
        assert limit in (5, 10, 20, 30, 60, 90, 120, 240)
        assert answers[correct - 1] == q["options"][q["answer"]]["zh"]


def test_kahoot_leaves_out_and_names_what_is_over_its_limits(quiz):
    long = json.loads(json.dumps(quiz))
    first = long["variants"][0]["questions"][0]
    first["stem"]["zh"] = "很长的问题" * 30
    name, content, notes = export(long, "kahoot")
    rows = [r for r in load_workbook(io.BytesIO(content)).active.iter_rows(
        min_row=9, max_col=2, values_only=True) if r[1]]
    assert len(rows) == len(asked(quiz)) - 1
    assert notes == [f"kahoot: 1 question(s) over Kahoot's limits (question 120 characters, "
                     f"answers 75, four answers), left out: {first['id']}"]


def test_quizlet_lines_and_csv_rows(built, quiz):
    lines = (built / "sample-deck-quizlet.txt").read_text(encoding="utf-8").splitlines()
    assert lines and all(line.count("\t") == 1 for line in lines)
    for q in asked(quiz):
        answer = q["options"][q["answer"]]["zh"]
        if q["form"] == "definition":
            assert f"{answer}\t{q['explanation']['zh']}" in lines
        else:
            assert f"{q['stem']['zh']}\t{answer}" in lines
    raw = (built / "sample-deck-quiz.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == len(asked(quiz))
    for row, q in zip(rows, asked(quiz)):
        assert row["question"] == q["stem"]["zh"]
        assert row[f"option {row['answer']}"] == q["options"][q["answer"]]["zh"]


def test_exports_are_the_same_bytes_every_time(quiz):
    for fmt in ALL:
        assert export(quiz, fmt)[1] == export(quiz, fmt)[1], fmt


def test_the_export_command(built, tmp_path):
    result = CliRunner().invoke(main, ["export", str(built.parent / "source"), "--decks",
                                       str(built), "--format", "moodle", "--format", "kahoot",
                                       "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for name in ("sample-deck-moodle.xml", "sample-deck-kahoot.xlsx"):
        assert (tmp_path / name).read_bytes() == (built / name).read_bytes()
    assert "Moodle: Question bank → Import → Moodle XML format" in result.stdout
    unbuilt = CliRunner().invoke(main, ["export", str(built.parent / "source"), "--decks",
                                        str(tmp_path / "none"), "--format", "csv"])
    assert unbuilt.exit_code == 1
    assert unbuilt.stderr == (f"{tmp_path / 'none' / 'quiz.json'}:1:1: error: no quiz.json "
                              "here: run `quizgen build` first\n")
