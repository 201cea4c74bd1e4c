"""Moodle XML: one `multichoice` question per quiz question (single answer, the key at
fraction 100), a category per section, the explanation as general feedback."""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET

from . import option_lang, questions, section_titles, text


def _text_element(parent: ET.Element, tag: str, value: str, html_format: bool = True):
    element = ET.SubElement(parent, tag, {"format": "html"} if html_format else {})
    ET.SubElement(element, "text").text = f"<p>{html.escape(value)}</p>" if html_format else value
    return element


def export(data: dict) -> tuple[bytes, list[str]]:
    lang = data["settings"]["lang"]
    quiz = ET.Element("quiz")
    titles = section_titles(data, lang)
    deck = text(data["deck"]["title"], lang)
    current = None
    for q in sorted(questions(data), key=lambda q: (q["section_number"], q["number"])):
        if q["section"] != current:
            current = q["section"]
            category = ET.SubElement(quiz, "question", {"type": "category"})
            ET.SubElement(ET.SubElement(category, "category"), "text").text = \
                f"$course$/top/{deck}/{titles[current]}"
        question = ET.SubElement(quiz, "question", {"type": "multichoice"})
        ET.SubElement(ET.SubElement(question, "name"), "text").text = \
            f"{q['number']:03d} {q['id']}"
        _text_element(question, "questiontext", text(q["stem"], lang))
        _text_element(question, "generalfeedback", text(q["explanation"], lang))
        for tag, value in (("defaultgrade", "1"), ("penalty", "0"), ("hidden", "0"),
                           ("single", "true"), ("answernumbering", "ABCD"),
                           # Numbers stay in ascending order, as printed.
                           ("shuffleanswers", "false" if any("value" in o for o in q["options"])
                            else "true")):
            ET.SubElement(question, tag).text = value
        for i, option in enumerate(q["options"]):
            answer = ET.SubElement(question, "answer", {
                "fraction": "100" if i == q["answer"] else "0", "format": "html"})
            ET.SubElement(answer, "text").text = \
                f"<p>{html.escape(text(option, option_lang(q, lang)))}</p>"
            _text_element(answer, "feedback", "")
    ET.indent(quiz)
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n'
            + ET.tostring(quiz, encoding="utf-8") + b"\n"), []
