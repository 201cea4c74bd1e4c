"""Printable multiple-choice quizzes: question bank, distractors, variants, HTML and PDF.

    options = QuizOptions.from_deck(kb.deck, questions=20, seed=3)
    result = render_quiz_set(kb, options)   # result.files: name -> bytes; result.notes

`quiz.json` (data.py) is the quiz set as data: what the self-test, exports and grading read.

Typst, Jinja2 and pypinyin are imported only when something is rendered.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..model import KnowledgeBase
from .options import QuizOptions
from .variants import QuizSet, build_quiz_set

__all__ = ["FILES", "QuizOptions", "QuizResult", "QuizSet", "build_quiz_set",
           "render_quiz_set"]

# Output name (without .pdf or .html) -> (Typst template, Jinja2 template).
FILES = {
    "quiz": ("quiz.typ", "quiz.html.j2"),
    "quiz-key": ("key.typ", "key.html.j2"),
    "glossary": ("glossary.typ", "glossary.html.j2"),
}
NO_FONT = ("no font with Chinese glyphs found, so the PDFs were not written (the HTML files "
           "were): install one (e.g. `apt-get install fonts-noto-cjk`) or pass --font PATH")


@dataclass
class QuizResult:
    files: dict[str, bytes] = field(default_factory=dict)  # file name -> content
    notes: list[str] = field(default_factory=list)  # one line each, for the user
    quiz: QuizSet | None = None  # what was rendered: the questions and their variants


def render_quiz_set(kb: KnowledgeBase, options: QuizOptions) -> QuizResult:
    """The quiz (all variants), its answer key and the glossary, as PDF and HTML. The same KB
    and options give the same bytes. Without a font for Chinese the PDFs are left out and a
    note says so; the glossary is left out if the selection has no terms."""
    from .data import quiz_json
    from .document import glossary_document, quiz_documents
    from .fonts import find_cjk_font
    from .html import render_html
    from .pdf import font_set, needs_cjk, render_pdf

    quiz = build_quiz_set(kb, options)
    result = QuizResult(quiz=quiz)
    if len(quiz.questions) < options.questions:
        result.notes.append(f"only {len(quiz.questions)} questions can be made from the "
                            f"selected facts (asked for {options.questions}): a quiz asks each "
                            "fact once at most, and none that another of its questions gives "
                            "away")
    if quiz.unaskable:
        shown = ", ".join(quiz.unaskable[:5])
        if len(quiz.unaskable) > 5:
            shown += f" and {len(quiz.unaskable) - 5} more"
        count = len(quiz.unaskable)
        result.notes.append(f"{count} fact{'s yield' if count > 1 else ' yields'} no question "
                            "(no good wrong options, or the answer stands in the question): "
                            + shown)

    if quiz.skipped:
        count = len(quiz.skipped)
        result.notes.append(f"{count} question{'s' * (count != 1)} not asked for want of good "
                            "options or because the answer stands in the question "
                            "(`quizgen quiz --review` lists them)")
    result.files["quiz.json"] = quiz_json(kb, quiz, options)
    # Everything that reads a quiz without printing it reads quiz.json.
    data = json.loads(result.files["quiz.json"])
    from ..site.selftest import selftest_html

    result.files["selftest.html"] = selftest_html(data)
    from ..grade.answers import answers_template

    result.files["answers.csv"] = answers_template(data)
    if options.exports:
        from ..exports import export

        for fmt in options.exports:
            name, content, notes = export(data, fmt)
            result.files[name] = content
            result.notes.extend(notes)

    quiz_data, key_data = quiz_documents(kb, quiz, options)
    documents = {"quiz": quiz_data, "quiz-key": key_data}
    glossary = glossary_document(kb, options)
    if glossary is not None:
        documents["glossary"] = glossary

    chinese = any(needs_cjk(data) for data in documents.values())
    font = find_cjk_font(options.font, options.font_dirs) if chinese or options.font else None
    fonts = None
    if chinese and font is None:
        result.notes.append(NO_FONT)
    else:
        fonts = font_set(font)
    for name, data in documents.items():
        typst_template, html_template = FILES[name]
        if fonts is not None:
            result.files[f"{name}.pdf"] = render_pdf(typst_template, data, fonts)
        result.files[f"{name}.html"] = render_html(html_template, data)
    return result
