"""Quizlet's import text: one card per line, term and definition separated by a tab. A term
question becomes term → definition; any other, question → answer, where both are short."""

from __future__ import annotations

from . import option_lang, questions, text

MAX_SIDE = 200  # longer than this makes a card nobody reads in one look


def _flat(value: str) -> str:
    return " ".join(value.replace("\t", " ").split())


def export(data: dict) -> tuple[bytes, list[str]]:
    lang = data["settings"]["lang"]
    lines, left = [], []
    for q in questions(data):
        answer = text(q["options"][q["answer"]], option_lang(q, lang))
        stem = text(q["stem"], lang)
        if q["kind"] == "term" and q["form"] == "definition":
            front, back = answer, text(q["explanation"], lang)
        else:
            front, back = stem, answer
        front, back = _flat(front), _flat(back)
        if len(front) > MAX_SIDE or len(back) > MAX_SIDE:
            left.append(q["id"])
            continue
        lines.append(f"{front}\t{back}")
    notes = [f"quizlet: {len(left)} question(s) too long for a card, left out: "
             + ", ".join(left)] if left else []
    return ("\n".join(lines) + "\n").encode("utf-8"), notes
