"""The self-test: one page per text that a member opens on a phone, straight from disk or any
static host, and takes the quiz on, one question at a time, with an answer at once."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

import jinja2


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("quizgen", "site"), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def asset(name: str) -> str:
    return (resources.files("quizgen") / "site" / name).read_text(encoding="utf-8")


def script_json(data) -> str:
    """JSON to put inside <script>: nothing in it can end the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def selftest_data(quiz: dict) -> dict:
    """What the page needs of quiz.json: the questions once each (the first variant's), with
    their options, answer, explanation and section."""
    sections = {s["id"]: s for s in quiz["sections"]}
    questions = quiz["variants"][0]["questions"] if quiz["variants"] else []
    return {
        "title": quiz["deck"]["title"],
        "lang": quiz["settings"]["lang"],
        "questions": [
            {"id": q["id"], "stem": q["stem"], "options": [
                {"zh": o["zh"], "en": o["en"]} for o in q["options"]],
             "ordered": any("value" in o for o in q["options"]),
             "optionLang": q["option_lang"], "answer": q["answer"],
             "explanation": q["explanation"],
             "section": {"number": sections[q["section"]]["number"],
                         "title": sections[q["section"]]["title"]}}
            for q in questions],
    }


def selftest_html(quiz: dict) -> bytes:
    data = selftest_data(quiz)
    html = environment().get_template("selftest.html.j2").render(
        title=data["title"], count=len(data["questions"]), data=script_json(data),
        css=asset("selftest.css"), script=asset("selftest.js"))
    return html.encode("utf-8")
