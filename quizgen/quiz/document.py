"""The data the templates render: plain strings, numbers and lists, already in the quiz's
language. The same data feeds the HTML (Jinja2) and the PDF (Typst, as JSON)."""

from __future__ import annotations

from dataclasses import replace

from ..model import KnowledgeBase, Term
from .distractors import Pair, norm, printed_width
from .options import QuizOptions
from .variants import QuizSet, filter_facts

LABELS = {
    "zh": {
        "quiz": "测验", "key": "答案", "glossary": "术语表", "variant": "试卷",
        "name": "姓名", "class": "班级", "date": "日期", "score": "得分",
        "instructions": "每题只有一个正确答案，请圈出其字母。",
        "page": "第 {n} 页，共 {t} 页", "answers": "答案一览", "section": "章节",
        "term": "术语", "pinyin": "拼音", "english": "英文", "definition": "定义",
        "questions": "{n} 题",
        "sheet": "答题卡", "sheet_hint": "每题涂满一个方框。",
    },
    "en": {
        "quiz": "Quiz", "key": "Answer key", "glossary": "Glossary", "variant": "Version",
        "name": "Name", "class": "Class", "date": "Date", "score": "Score",
        "instructions": "Each question has exactly one right answer: circle its letter.",
        "page": "Page {n} of {t}", "answers": "Answers", "section": "Section",
        "term": "Term", "pinyin": "Pinyin", "english": "English", "definition": "Definition",
        "questions": "{n} questions",
        "sheet": "Answer sheet", "sheet_hint": "Fill in one box per question.",
    },
}


def labels(lang: str) -> dict[str, str]:
    if lang != "both":
        return dict(LABELS[lang])
    # Both languages on one line; the page line stays Chinese (its numbers need no gloss).
    both = {k: f"{LABELS['zh'][k]} {LABELS['en'][k]}" for k in LABELS["zh"]}
    both["instructions"] = f"{LABELS['zh']['instructions']}\n{LABELS['en']['instructions']}"
    both["page"] = LABELS["zh"]["page"]
    both["questions"] = LABELS["zh"]["questions"]
    return both


def _title(kb: KnowledgeBase, lang: str) -> str:
    title = kb.deck.title
    if lang == "both" and title.zh != title.en:
        return f"{title.zh} {title.en}"
    return title.get(lang)


def _columns(options: list[str]) -> int:
    """How many options fit on one line: 4, 2 or 1."""
    widest = max(max(printed_width(line) for line in o.split("\n")) for o in options)
    if widest <= 14 and all("\n" not in o for o in options):
        return 4
    return 2 if widest <= 34 else 1


def _section_label(kb: KnowledgeBase, section_id: str, lang: str) -> str:
    section = kb.section(section_id)
    title = section.title
    text = f"{title.zh} {title.en}" if lang == "both" else title.get(lang)
    return f"{section.number}. {text}"


def quiz_documents(kb: KnowledgeBase, quiz: QuizSet,
                   options: QuizOptions) -> tuple[dict, dict]:
    """The data of the quiz and of its answer key. The quiz's holds no answers."""
    lang = options.lang
    text = labels(lang)
    common = {"lang": "en" if lang == "en" else "zh", "title": _title(kb, lang),
              "labels": text}
    papers, keys = [], []
    for variant in quiz.variants:
        questions, answers = [], []
        for number, item in enumerate(variant.items, 1):
            q = item.question
            shown = [c.show(q.option_lang or lang) for c in item.options]
            questions.append({
                "number": number, "stem": q.stem.show(lang), "columns": _columns(shown),
                "options": [{"letter": "ABCDEF"[i], "text": t} for i, t in enumerate(shown)],
            })
            explanation = q.explanation.show(lang)
            if norm(explanation) == norm(shown[item.answer]):
                explanation = ""  # a claim explained by nothing but its own answer
            answers.append({
                "number": number, "letter": item.letter, "answer": shown[item.answer],
                "explanation": explanation, "section": _section_label(kb, q.section, lang),
                "fact": q.fact_id,
            })
        papers.append({"label": variant.label, "questions": questions,
                       "letters": ["ABCDEF"[:len(item.options)] for item in variant.items]})
        keys.append({"label": variant.label, "answers": answers})
    # `runs`: the label on every page of each variant, as the running header shows it.
    return ({**common, "kind": "quiz", "variants": papers,
             "runs": [f"{text['variant']} {v['label']}" for v in papers]},
            {**common, "kind": "key", "variants": keys,
             "runs": [f"{text['key']} · {text['variant']} {v['label']}" for v in keys]})


def glossary_document(kb: KnowledgeBase, options: QuizOptions) -> dict | None:
    """The terms of the selected sections and tags (whatever their kind filter or `quiz:`
    flag), sorted by pinyin; None if there are none."""
    from ..pinyin import pinyin_text, sort_key  # pypinyin's dictionaries take a while to load

    facts = filter_facts(kb, replace(options, kinds=()), quiz_only=False)
    terms = sorted((f for f in facts if isinstance(f, Term)),
                   key=lambda t: (sort_key(t.zh, t.pinyin), t.id))
    if not terms:
        return None
    lang = options.lang
    rows = [{"term": t.zh, "abbr": t.abbr or "", "pinyin": pinyin_text(t.zh, t.pinyin),
             "english": t.en, "definition": Pair(t.definition.zh, t.definition.en).show(lang)}
            for t in terms]
    return {"lang": "en" if lang == "en" else "zh", "title": _title(kb, lang),
            "labels": labels(lang), "kind": "glossary", "terms": rows,
            "runs": [labels(lang)["glossary"]]}
