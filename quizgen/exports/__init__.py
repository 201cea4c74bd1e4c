"""Exports of a quiz set to the platforms study groups use, one module per format. Each reads
the quiz as data (`quiz.json`, see docs/quiz-json.md) and nothing else.

    data = read_quiz_json(path)
    name, content = export(data, "moodle")
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import import_module
from pathlib import Path

from ..errors import QuizgenError

# Format -> (module, file name suffix, what it is for)
FORMATS: dict[str, tuple[str, str, str]] = {
    "moodle": ("moodle", "-moodle.xml", "Moodle: Question bank → Import → Moodle XML format"),
    "canvas": ("qti", "-canvas-qti.zip", "Canvas: Settings → Import course content → QTI .zip file"),
    "kahoot": ("kahoot", "-kahoot.xlsx", "Kahoot: Create → Kahoot → Add question → Import spreadsheet"),
    "quizlet": ("quizlet", "-quizlet.txt", "Quizlet: Create → Import (tab between term and definition, one card per line)"),
    "csv": ("csv_export", "-quiz.csv", "any spreadsheet: one row per question"),
}
QUIZ_JSON_FORMAT = 1


def read_quiz_json(path: Path) -> dict:
    """A quiz.json, checked enough for an export to rely on it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise QuizgenError.at(str(path), 1, 1, "no quiz.json here: run `quizgen build` "
                              "first") from None
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise QuizgenError.at(str(path), 1, 1, f"cannot read it as a quiz ({e})") from None
    if not isinstance(data, dict) or data.get("format") != QUIZ_JSON_FORMAT:
        raise QuizgenError.at(str(path), 1, 1, f"not a quiz.json of format {QUIZ_JSON_FORMAT}")
    if not data.get("variants"):
        raise QuizgenError.at(str(path), 1, 1, "this quiz has no questions"
                              + (f" ({data['reason']})" if data.get("reason") else ""))
    return data


def questions(data: dict) -> list[dict]:
    """The quiz's questions once each: those of its first variant, in its order."""
    return data["variants"][0]["questions"]


def text(value: dict, lang: str, sep: str = " / ") -> str:
    """A {zh, en} text in the quiz's language (`both`: Chinese, then English if it differs)."""
    if lang == "en":
        return value["en"]
    if lang == "both" and value["en"] != value["zh"]:
        return f"{value['zh']}{sep}{value['en']}"
    return value["zh"]


def option_lang(question: dict, lang: str) -> str:
    return question.get("option_lang") or lang


def section_titles(data: dict, lang: str) -> dict[str, str]:
    return {s["id"]: f"{s['number']:02d} {text(s['title'], lang)}" for s in data["sections"]}


def export(data: dict, fmt: str) -> tuple[str, bytes, list[str]]:
    """(file name, bytes, notes) of one export of the quiz."""
    if fmt not in FORMATS:
        raise QuizgenError(f"unknown export format '{fmt}' (formats: {', '.join(FORMATS)})")
    module, suffix, _ = FORMATS[fmt]
    write: Callable[[dict], tuple[bytes, list[str]]] = import_module(
        f".{module}", __name__).export
    content, notes = write(data)
    return f"{data['deck']['id']}{suffix}", content, notes
