"""The group's page: one static index.html over every text's outputs — the deck with its
import steps, the printable quiz and glossary, the self-test and any exports."""

from __future__ import annotations

from dataclasses import dataclass

from .selftest import asset, environment

# What each output is, in the order the page lists them: file name (or suffix) -> label.
LINKS = (
    ("selftest.html", ("手机自测", "Self-test (phones too)")),
    ("quiz.pdf", ("打印测验", "Quiz to print")),
    ("quiz-key.pdf", ("答案", "Answer key")),
    ("glossary.pdf", ("术语表", "Glossary")),
    ("quiz.html", ("测验（网页）", "Quiz (web page)")),
    ("quiz-key.html", ("答案（网页）", "Answer key (web page)")),
    ("glossary.html", ("术语表（网页）", "Glossary (web page)")),
)
EXPORT_LABELS = {"-moodle.xml": "Moodle XML", "-canvas-qti.zip": "Canvas (QTI)",
                 "-kahoot.xlsx": "Kahoot", "-quizlet.txt": "Quizlet", "-quiz.csv": "CSV"}


@dataclass(frozen=True)
class TextOutputs:
    """One text as the page shows it: where its files are (relative to the page)."""

    title: dict  # {"zh": …, "en": …}
    folder: str  # "" or "name/"
    files: tuple[str, ...]  # names of its outputs


def group_page(texts: list[TextOutputs]) -> bytes:
    entries = []
    for text in texts:
        deck = next((f for f in text.files if f.endswith(".apkg")), None)
        links = [(text.folder + name, label) for name, label in LINKS if name in text.files]
        exports = [(text.folder + f, label) for f in sorted(text.files)
                   for suffix, label in EXPORT_LABELS.items() if f.endswith(suffix)]
        entries.append({"title": text.title, "deck": text.folder + deck if deck else None,
                        "links": links, "exports": exports})
    html = environment().get_template("group.html.j2").render(
        texts=entries, css=asset("group.css"))
    return html.encode("utf-8")
