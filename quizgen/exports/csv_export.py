"""A plain CSV: one row per question, for any spreadsheet or platform that reads one."""

from __future__ import annotations

import csv
import io

from . import option_lang, questions, section_titles, text


def export(data: dict) -> tuple[bytes, list[str]]:
    lang = data["settings"]["lang"]
    most = max(len(q["options"]) for q in questions(data))
    titles = section_titles(data, lang)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["number", "id", "section", "question",
                     *(f"option {chr(65 + i)}" for i in range(most)), "answer", "explanation"])
    for q in questions(data):
        options = [text(o, option_lang(q, lang)) for o in q["options"]]
        writer.writerow([q["number"], q["id"], titles[q["section"]], text(q["stem"], lang),
                         *options, *[""] * (most - len(options)), chr(65 + q["answer"]),
                         text(q["explanation"], lang)])
    # With a byte-order mark, Excel opens UTF-8 as UTF-8 (Chinese stays Chinese).
    return "\ufeff".encode() + out.getvalue().encode("utf-8"), []
