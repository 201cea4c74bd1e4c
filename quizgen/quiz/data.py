"""`quiz.json`: the quiz set as data, for everything that reads a quiz without printing it
(the self-test page, exports, grading). Its format is described in docs/quiz-json.md."""

from __future__ import annotations

import json

from ..model import KnowledgeBase
from .bank import FLAGS
from .distractors import Choice, Pair
from .options import QuizOptions
from .variants import QuizSet

FORMAT = 1


def _text(text: Pair | Choice) -> dict:
    return {"zh": text.zh, "en": text.en}


def _option(choice: Choice) -> dict:
    out = _text(choice)
    if choice.value is not None:
        out["value"] = choice.value
    return out


def quiz_data(kb: KnowledgeBase, quiz: QuizSet, options: QuizOptions) -> dict:
    """Every variant's questions in printed order, each with its options in printed order
    and the 0-based index of the right one."""
    sections = {s.id: s for s in kb.sections}
    return {
        "format": FORMAT,
        "deck": {"id": kb.deck.id, "title": _text(kb.deck.title)},
        "settings": {"questions": options.questions, "variants": options.variants,
                     "seed": options.seed, "lang": options.lang, "options": options.options,
                     "sections": list(options.sections), "kinds": list(options.kinds),
                     "tags": list(options.tags), "exclude_tags": list(options.exclude_tags)},
        "sections": [{"id": s.id, "number": s.number, "title": _text(s.title)}
                     for s in kb.sections if any(q.section == s.id for q in quiz.questions)],
        "flags": FLAGS,
        "variants": [
            {"label": variant.label, "questions": [
                {"number": number, "id": item.question.id, "fact": item.question.fact_id,
                 "kind": item.question.kind, "form": item.question.form,
                 "section": item.question.section,
                 "section_number": sections[item.question.section].number,
                 "stem": _text(item.question.stem),
                 "option_lang": item.question.option_lang,
                 "options": [_option(c) for c in item.options],
                 "answer": item.answer,
                 "explanation": _text(item.question.explanation),
                 "flags": list(item.question.flags)}
                for number, item in enumerate(variant.items, 1)]}
            for variant in quiz.variants],
        "skipped": [{"question": question, "reason": reason}
                    for question, reason in quiz.skipped],
    }


def quiz_json(kb: KnowledgeBase, quiz: QuizSet | None, options: QuizOptions,
              reason: str = "") -> bytes:
    """`quiz_data` as UTF-8 JSON: the same quiz set gives the same bytes. Without a quiz set
    (the facts yield none), no variants and the `reason`."""
    if quiz is None:
        empty = QuizSet((), (), (), (), options.questions)
        data = {**quiz_data(kb, empty, options), "variants": [], "reason": reason}
    else:
        data = quiz_data(kb, quiz, options)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return (text + "\n").encode("utf-8")


def review_lines(quiz: QuizSet) -> list[str]:
    """The organiser's list to skim before printing: each question of the first variant with
    its flags, then the questions not asked and why."""
    lines = []
    if quiz.variants:
        variant = quiz.variants[0]
        for number, item in enumerate(variant.items, 1):
            q = item.question
            flags = ", ".join(FLAGS[f] for f in q.flags) or "ok"
            lines.append(f"{variant.label}{number:<3} {q.id:40} {flags}")
    for question, reason in quiz.skipped:
        lines.append(f"not asked: {question}: {reason}")
    return lines
