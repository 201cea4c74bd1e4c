"""Kahoot: the layout of Kahoot's own spreadsheet import template (KahootQuizTemplate.xlsx):
a header row at row 8, one question per row from row 9, in columns B–H (question, answers 1–4,
time limit, the number of the correct answer). Kahoot takes questions of at most 120 characters
and answers of at most 75; a question over either limit, or with more than four answers, is
left out and named."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

from ..fsutil import zip_bytes
from . import option_lang, questions, text

MAX_QUESTION, MAX_ANSWER, MAX_ANSWERS = 120, 75, 4
TIME_LIMITS = (5, 10, 20, 30, 60, 90, 120, 240)
HEADER_ROW = 8
FIXED_TIME = datetime.datetime(2000, 1, 1)
HEADERS = ("Question - max 120 characters", "Answer 1 - max 75 characters",
           "Answer 2 - max 75 characters", "Answer 3 - max 75 characters",
           "Answer 4 - max 75 characters",
           "Time limit (sec) – 5, 10, 20, 30, 60, 90, 120, or 240 secs",
           "Correct answer(s) - choose at least one")


def time_limit(question: str, answers: list[str]) -> int:
    """Seconds to read the question and its answers: the allowed limit that fits."""
    need = 10 + (len(question) + sum(map(len, answers))) // 6
    return next((t for t in TIME_LIMITS if t >= need), TIME_LIMITS[-1])


def export(data: dict) -> tuple[bytes, list[str]]:
    from openpyxl import Workbook

    lang = data["settings"]["lang"]
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet["B2"] = text(data["deck"]["title"], lang)
    for column, header in enumerate(HEADERS, start=2):
        sheet.cell(row=HEADER_ROW, column=column, value=header)
    row, left = HEADER_ROW + 1, []
    for q in questions(data):
        stem = text(q["stem"], lang, sep=" ")
        answers = [text(o, option_lang(q, lang), sep=" ") for o in q["options"]]
        if (len(stem) > MAX_QUESTION or len(answers) > MAX_ANSWERS
                or any(len(a) > MAX_ANSWER for a in answers)):
            left.append(q["id"])
            continue
        sheet.cell(row=row, column=1, value=row - HEADER_ROW)
        sheet.cell(row=row, column=2, value=stem)
        for i, answer in enumerate(answers):
            sheet.cell(row=row, column=3 + i, value=answer)
        sheet.cell(row=row, column=7, value=time_limit(stem, answers))
        sheet.cell(row=row, column=8, value=q["answer"] + 1)
        row += 1
    # The same quiz, the same bytes: no clock in the workbook's properties or zip entries.
    book.properties.created = book.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    book.save(buffer)
    buffer = io.BytesIO(_without_dates(buffer.getvalue()))
    notes = [f"kahoot: {len(left)} question(s) over Kahoot's limits (question 120 "
             f"characters, answers 75, four answers), left out: {', '.join(left)}"] if left else []
    return buffer.getvalue(), notes


def _without_dates(xlsx: bytes) -> bytes:
    """The same workbook with every zip entry dated 1980-01-01 and no save time."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    # openpyxl stamps the time of saving here.
    entries["docProps/core.xml"] = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*",
                                          rb"\g<1>2000-01-01T00:00:00Z",
                                          entries["docProps/core.xml"])
    return zip_bytes(entries)
