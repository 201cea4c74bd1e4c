"""Item-writing rules, checked over whole banks (the real KB's and synthetic ones), and the
quiz set as data (quiz.json)."""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizgen.check import check
from quizgen.cli import main
from quizgen.hanzi import spaced
from quizgen.load import load, parse_yaml
from quizgen.model import KnowledgeBase, SourceFile, Text
from quizgen.quiz import QuizOptions, build_quiz_set, render_quiz_set
from quizgen.quiz.bank import COMMON_WORDS, build_bank
from quizgen.quiz.distractors import longest_in, norm
from quizgen.quiz.variants import filter_facts, quizzable

from test_quiz import is_right, rich_kb, text

SOURCE = Path(__file__).parent.parent / "source" / "brockman"
FIXTURE = Path(__file__).parent / "fixtures" / "valid"
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'-]{2,}")


def whole_bank(kb: KnowledgeBase, n_options: int = 4, seeds: int = 2):
    """Every question the KB can yield, each finished with a few seeds."""
    options = QuizOptions.from_deck(kb.deck, options=n_options)
    facts = filter_facts(kb, options)
    bank = build_bank(kb, facts, n_options, lambda f: quizzable(f, options))
    out = []
    for candidate in bank.candidates:
        for seed in range(seeds):
            question = candidate.finish(n_options - 1, random.Random(seed), seed % n_options)
            assert question is not None, candidate.id
            out.append(question)
    return out


def shown(choice, question, lang):
    return getattr(choice, question.option_lang or lang)


def assert_item_rules(kb: KnowledgeBase, questions, longest_budget: float | None) -> None:
    """The rules every question of a bank keeps (and, where a budget is given, how often the
    key may be the longest option)."""
    assert questions
    facts = {f.id: f for f in kb.facts}
    text_questions = [q for q in questions if not q.ordered]
    for q in questions:
        fact = facts[q.fact_id]
        assert is_right(kb, q, q.answer), q.id
        assert not any(is_right(kb, q, w) for w in q.distractors), q.id
        for lang in ("zh", "en"):
            # No option's text stands in the stem ...
            key = norm(shown(q.answer, q, lang))
            assert not (len(key) >= 2 and key in norm(getattr(q.stem, lang))), (q.id, lang)
        if q.ordered:
            values = [c.value for c in q.options]
            assert values == sorted(values) and len(set(values)) == len(values)
            ranges = [(c.value, c.upto) for c in q.options if c.upto is not None]
            # Ranges never overlap one another (nor the answer's).
            assert all(a[1] < b[0] for a, b in zip(ranges, ranges[1:])), (q.id, ranges)
        if q.form == "year":
            low = fact.not_before or 1
            high = fact.not_after or 9999
            span = 30 if fact.decade else 8
            assert all(low <= c.value <= high and abs(c.value - fact.year) <= span
                       for c in q.options), q.id
        if q.form == "event":  # happenings of other facts come from nearby years only
            span = 20 if fact.decade else 8
            years = {norm(f.what.zh): f.year for f in kb.facts if f.kind == "event"}
            for c in q.distractors:
                other = years.get(norm(c.zh))
                assert other is None or abs(other - fact.year) <= span + 9, (q.id, c.zh)
        if q.kind == "figure" and not fact.wrong:
            key = fact.value if fact.upto is None else (fact.value + fact.upto) / 2
            for c in q.distractors:
                spans = re.findall(r"([\d,.]+)\s*–\s*([\d,.]+)", c.en)
                if spans:
                    lo, hi = (float(x.replace(",", "")) for x in spans[0])
                    assert hi < fact.value or lo > fact.upto, q.id  # ranges never overlap
                    value = (lo + hi) / 2
                else:
                    value = c.value
                if fact.upto is None and key == int(key) and key < 10:
                    assert abs(value - key) <= 3, q.id
                else:
                    assert 0.5 <= value / key <= 2, (q.id, c.en)
    if longest_budget is not None:
        for lang in (0, 1):
            longest = sum(lang in longest_in(q.answer, q.distractors) for q in text_questions)
            assert longest <= longest_budget * len(text_questions), (lang, longest)


def echo_free(questions) -> list[str]:
    """Questions whose answer, as shown, repeats a Latin word of the stem (in either
    language) that no wrong option has."""
    found = []
    for q in questions:
        for lang in ("zh", "en"):
            stem = {w.lower() for w in _WORD.findall(getattr(q.stem, lang))}

            def words(c, lang=lang):
                return {w.lower() for w in _WORD.findall(shown(c, q, lang))}

            left = ((stem & words(q.answer)) - COMMON_WORDS
                    - set().union(*map(words, q.distractors)))
            if left:
                found.append(f"{q.id} ({lang}): {sorted(left)}")
    return found


def test_the_real_kbs_bank_keeps_the_rules():
    kb = load(SOURCE).kb
    questions = whole_bank(kb)
    # Key strictly longest in at most 1/n + 10 % of the text questions.
    assert_item_rules(kb, questions, 1 / 4 + 0.10)
    assert echo_free(questions) == []
    assert not [q.id for q in questions if "echo" in q.flags]
    assert not [q.id for q in questions if "other-facts" in q.flags]


def test_the_real_kbs_default_quiz_is_composed_as_a_teacher_would():
    kb = load(SOURCE).kb
    options = QuizOptions.from_deck(kb.deck)
    quiz = build_quiz_set(kb, options)
    kinds = Counter(q.kind for q in quiz.questions)
    assert len(quiz.questions) == options.questions
    assert any(q.form == "year" for q in quiz.questions)  # dates appear
    assert len(kinds) >= 6 and max(kinds.values()) <= 0.5 * len(quiz.questions), kinds
    assert kinds["term"] <= 0.25 * len(quiz.questions), kinds
    assert len({q.section for q in quiz.questions}) == len(kb.sections)
    excluded = set(kb.deck.quiz.exclude_tags)
    facts = {f.id: f for f in kb.facts}
    assert not any(excluded & set(facts[q.fact_id].tags) for q in quiz.questions)
    for variant in quiz.variants:  # each fact at most once per variant
        ids = [item.question.fact_id for item in variant.items]
        assert len(ids) == len(set(ids))


@pytest.mark.parametrize("seed, count", [(1, 80), (2, 80), (3, 80), (9, 22), (41, 85)])
def test_no_question_answers_another(seed, count):
    kb = load(SOURCE).kb
    quiz = build_quiz_set(kb, QuizOptions.from_deck(kb.deck, questions=count, seed=seed))
    assert len(quiz.questions) == count  # those set aside are replaced
    for q in quiz.questions:
        for other in quiz.questions:
            if other is q:
                continue
            stems = norm(other.stem.zh) + "\n" + norm(other.stem.en)
            assert not any(len(k) >= 2 and k in stems for k in q.answer.keys), (q.id, other.id)


def test_number_questions_put_their_answer_elsewhere_in_each_variant():
    kb = rich_kb()
    quiz = build_quiz_set(kb, QuizOptions(questions=40, variants=4, seed=2,
                                          kinds=("event", "figure")))
    letters: dict[str, set[int]] = {}
    for variant in quiz.variants:
        for item in variant.items:
            if item.question.ordered:
                assert item.options[item.answer] == item.question.answer
                letters.setdefault(item.question.id, set()).add(item.answer)
    questions = {q.id: q for q in quiz.questions}
    # Wherever the wrong numbers allow more than one place for the answer, the letter moves.
    need = 3
    movable = [i for i in letters
               if min(need, len(questions[i].below)) > max(0, need - len(questions[i].above))]
    assert len(movable) >= 4
    assert all(len(letters[i]) > 1 for i in movable), letters


# -- synthetic KBs -------------------------------------------------------------------------------

_ZH = st.text(alphabet="的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下",
              min_size=1, max_size=30)
_EN = st.lists(st.sampled_from("alpha beta gamma delta model learning network data system "
                               "growth team people robot game".split()),
               min_size=1, max_size=8).map(" ".join)


@st.composite
def synthetic_kb(draw) -> KnowledgeBase:
    facts = []
    n_terms = draw(st.integers(5, 12))
    for i in range(n_terms):
        facts.append({"id": f"t{i}", "kind": "term", "section": "s", "zh": f"术语{i}{draw(_ZH)}",
                      "en": f"term{i} {draw(_EN)}",
                      "definition": text(draw(_ZH), draw(_EN))})
    for i in range(draw(st.integers(4, 8))):
        value = draw(st.integers(1, 100_000))
        fact = {"id": f"f{i}", "kind": "figure", "section": "s", "value": value,
                "unit": text("人", "people"), "measures": text(f"数量{i}", f"count {i}")}
        if draw(st.booleans()):
            fact["upto"] = value + draw(st.integers(1, max(1, value)))
        facts.append(fact)
    for i in range(draw(st.integers(4, 8))):
        year = draw(st.integers(1900, 2020))
        fact = {"id": f"e{i}", "kind": "event", "section": "s", "year": year,
                "what": text(f"事件{i}{draw(_ZH)}", f"event{i} {draw(_EN)}")}
        if draw(st.booleans()):
            fact["not_before"] = year - draw(st.integers(0, 5))
        facts.append(fact)
    for i in range(draw(st.integers(5, 8))):
        facts.append({"id": f"p{i}", "kind": "person", "section": "s",
                      "name": text(f"人{i}", f"Person{i}"),
                      "role": text(draw(_ZH), f"role{i} {draw(_EN)}"), "why": text("因", "why")})
    return KnowledgeBase.model_validate({
        "deck": {"id": "synth", "title": text("合成", "synthetic")},
        "sections": [{"id": "s", "number": 1, "title": text("节", "s")}], "facts": facts})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kb=synthetic_kb())
def test_synthetic_banks_keep_the_rules(kb):
    questions = whole_bank(kb, seeds=1)
    assert_item_rules(kb, questions, None)
    assert echo_free(questions) == []
    quiz = build_quiz_set(kb, QuizOptions(questions=20, variants=3))
    for variant in quiz.variants:
        ids = [item.question.fact_id for item in variant.items]
        assert len(ids) == len(set(ids))


# -- author control ------------------------------------------------------------------------------

def kb_of(yaml_text: str) -> KnowledgeBase:
    data, _ = parse_yaml(yaml_text, "kb.yaml")
    source = SourceFile.model_validate(data)
    return KnowledgeBase.model_validate({"deck": source.deck, "sections": source.sections,
                                         "facts": source.facts})


def test_authors_wrong_answers_questions_and_year_bounds_are_used():
    kb = rich_kb()
    facts = [f for f in kb.facts]
    figure = next(f for f in facts if f.id == "dota-days")
    event = next(f for f in facts if f.id == "event-3")  # OpenAI founded, 2015
    person = next(f for f in facts if f.id == "person-0")
    facts[facts.index(figure)] = figure.model_copy(update={
        "wrong": [150.0, 250.0, 90.0],
        "question": Text(zh="Dota 机器人每天自我对弈相当于多少年？",
                         en="How many years of play a day?")})
    facts[facts.index(event)] = event.model_copy(update={"not_before": 2015, "wrong": [
        Text(zh="DeepMind 成立", en="DeepMind is founded")]})
    facts[facts.index(person)] = person.model_copy(update={"wrong": [
        Text(zh="OpenAI 首任首席执行官", en="first CEO of OpenAI")]})
    kb = kb.model_copy(update={"facts": facts})
    questions = {q.id: q for q in whole_bank(kb, seeds=3)}
    days = questions["dota-days:value"]
    assert {c.value for c in days.distractors} <= {150.0, 250.0, 90.0}
    assert days.stem.en == "How many years of play a day?"
    year = questions["event-3:year"]
    assert all(c.value >= 2015 for c in year.options)
    assert "DeepMind 成立" in {c.zh for c in questions["event-3:event"].distractors}
    assert "OpenAI 首任首席执行官" in {c.zh for c in questions["person-0:role"].distractors}


def test_exclude_tags_keep_facts_out_of_questions_and_options():
    kb = rich_kb()
    options = QuizOptions(questions=100, variants=1, exclude_tags=("core",))
    quiz = build_quiz_set(kb, options)
    core = {f.id for f in kb.facts if "core" in f.tags}
    core_terms = {f.en for f in kb.facts if "core" in f.tags}
    assert core and not core & {q.fact_id for q in quiz.questions}
    assert not core_terms & {c.en for q in quiz.questions for c in q.options}


def test_a_question_whose_answer_stands_in_its_stem_is_skipped_with_the_reason():
    kb = rich_kb()
    facts = list(kb.facts) + [
        {"id": "gpt-20", "kind": "term", "section": "basics", "zh": "GPT-20", "en": "GPT-20",
         "definition": text("设想中的未来模型", "an imagined future model")},
        {"id": "altman-manifesto", "kind": "work", "section": "history",
         "name": text("Sam Altman 的 AGI 宣言", "Sam Altman's AGI manifesto"),
         "role": text("Sam Altman 谈 AGI 的一篇宣言", "a manifesto by Sam Altman on AGI"),
         "why": text("提到", "cited")}]
    kb = KnowledgeBase.model_validate({**kb.model_dump(), "facts": [
        f if isinstance(f, dict) else f.model_dump() for f in facts]})
    quiz = build_quiz_set(kb, QuizOptions(questions=10_000, variants=1))
    skipped = dict(quiz.skipped)
    # A term is asked by its meaning, never by its translation (GPT-20 would be its own).
    assert not [q for q in quiz.questions if q.kind == "term" and q.form != "definition"]
    assert skipped["altman-manifesto:role"].startswith("its answer")
    assert skipped["altman-manifesto:name"].startswith("its answer")


# -- wording ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("GPT-2的发布", "GPT-2 的发布"), ("2019年4月", "2019 年 4 月"), ("50%的人", "50% 的人"),
    ("据 Greg Brockman 所说，", "据 Greg Brockman 所说，"), ("“GPT-20”的中文", "“GPT-20”的中文"),
])
def test_latin_and_chinese_are_spaced(raw, expected):
    assert spaced(raw) == expected


def test_english_stems_read_as_sentences():
    kb = rich_kb()
    questions = {q.id: q for q in whole_bank(kb, seeds=1)}
    assert questions["claim-0:answer"].stem.en == (
        "According to Greg Brockman, what would he ask an AGI first?")
    assert questions["event-3:year"].stem.en == (
        "In which year did this happen: OpenAI is founded?")
    assert questions["person-0:role"].stem.zh == "文中的格雷格·布罗克曼是谁？"
    assert questions["person-0:role"].stem.en == "Who is Greg Brockman in the text?"
    assert all(re.search(r"[A-Za-z0-9][\u4e00-\u9fff]|[\u4e00-\u9fff][A-Za-z0-9]", q.stem.zh)
               is None for q in questions.values()), "a stem lacks a space"


# -- check warns about what an author can fix -------------------------------------------------

CHECK_KB = """deck: {id: d, title: {zh: 卡组, en: Deck}}
sections: [{id: s, number: 1, title: {zh: 节, en: Section}}]
facts:
  - id: few
    kind: claim
    section: s
    question: {zh: 为什么？, en: Why?}
    answer: {zh: 因为这样, en: Because of this}
    wrong:
      - {zh: 因为那样, en: Because of that}
  - id: long
    kind: claim
    section: s
    question: {zh: 他认为什么最重要？, en: What matters most to him?}
    answer: {zh: 让通用人工智能的好处惠及全人类而不是少数人, en: That the benefits reach all of humanity and not a few}
    wrong:
      - {zh: 速度, en: Speed}
      - {zh: 利润, en: Profit}
      - {zh: 名声, en: Fame}
  - id: same
    kind: list
    section: s
    prompt: {zh: 三个属性, en: three properties}
    items: [{zh: 泛化, en: generality}, {zh: 能力, en: competence}]
    wrong:
      - {zh: 能力, en: ability}
  - id: bare
    kind: list
    section: s
    prompt: {zh: 两个目标, en: two goals}
    items: [{zh: 安全, en: safety}, {zh: 普惠, en: broad benefit}]
  - id: size
    kind: figure
    section: s
    value: 5
    upto: 10
    unit: {zh: 人, en: people}
    measures: {zh: 团队规模, en: team size}
    wrong: [20]
  - id: asks
    kind: list
    section: s
    prompt: {zh: 他提到了哪些目标？, en: Which goals does he name?}
    items: [{zh: 安全, en: safety}, {zh: 普惠, en: broad benefit}]
    category: {zh: 目标, en: goals}
  - id: far
    kind: figure
    section: s
    value: 50
    unit: {zh: 年, en: years}
    measures: {zh: 时长, en: duration}
    wrong: [40, 10]
"""


def test_check_warns_about_quiz_risks_an_author_can_fix(tmp_path):
    (tmp_path / "kb.yaml").write_text(CHECK_KB, encoding="utf-8")
    lines = [str(p).replace(f"{tmp_path}/", "") for p in check(load(tmp_path))]
    assert lines == [
        "kb.yaml:9:5: warning: 1 wrong answer: a quiz needs 3 to ask this claim (add them "
        "under `wrong:`, or set `quiz: false`)",
        "kb.yaml:15:14: warning: the answer is 10.5 times as long as the longest wrong answer: "
        "length gives it away (shorten it, moving detail to `explanation`, or lengthen a wrong "
        "one)",
        "kb.yaml:26:9: error: a wrong answer repeats a right answer",
        "kb.yaml:31:5: warning: no wrong items and no `category:`: a quiz cannot ask which item "
        "belongs to this list (add `wrong:` items, or a category shared with similar lists)",
        "kb.yaml:39:13: error: a wrong value must have the answer's shape: a [low, high] range",
        "kb.yaml:43:5: warning: a list's prompt is printed as \"下列哪一项属于<prompt>？\" / "
        "\"Which of these is one of <prompt>?\": write it as a noun phrase (\"深度学习的三个核心属性\"), "
        "not a question",
        "kb.yaml:52:17: warning: a wrong value a reader can rule out without the text, so "
        "quizzes leave it out: keep wrong values within ×0.5–×2 of the answer (counts below "
        "10: within 3 of it; ranges: not overlapping it)",
    ]


# -- quiz.json -------------------------------------------------------------------------------------

def test_quiz_json_is_the_printed_quiz_as_data():
    kb = rich_kb()
    options = QuizOptions(questions=25, variants=3, seed=4, font_dirs=())
    result = render_quiz_set(kb, options)
    data = json.loads(result.files["quiz.json"])
    assert data["format"] == 1 and data["deck"]["id"] == "rich"
    assert data["settings"]["questions"] == 25 and data["settings"]["variants"] == 3
    assert [v["label"] for v in data["variants"]] == ["A", "B", "C"]
    page = result.files["quiz.html"].decode()
    for variant, printed in zip(data["variants"], result.quiz.variants):
        assert [q["number"] for q in variant["questions"]] == list(range(1, 26))
        assert len({q["fact"] for q in variant["questions"]}) == 25
        for q, item in zip(variant["questions"], printed.items):
            assert q["id"] == item.question.id and q["fact"] == item.question.fact_id
            assert set(q) >= {"fact", "form", "section", "stem", "options", "answer",
                              "explanation"}
            assert [o["zh"] for o in q["options"]] == [c.zh for c in item.options]
            assert q["options"][q["answer"]]["zh"] == item.question.answer.zh
            assert is_right(kb, item.question, item.options[q["answer"]])
            assert set(q["stem"]) == set(q["explanation"]) == {"zh", "en"}
            assert q["section"] in {s["id"] for s in data["sections"]}
    # The options of variant A stand in the printed page in the same order.
    first = data["variants"][0]["questions"][0]
    positions = [page.index(o["zh"].split("\n")[0]) for o in first["options"]
                 if o["zh"] in page]
    assert positions == sorted(positions)
    again = render_quiz_set(kb, options).files["quiz.json"]
    assert again == result.files["quiz.json"]  # same settings, same bytes


def test_cli_review_lists_flags_and_skipped_questions(tmp_path):
    result = CliRunner().invoke(main, ["quiz", str(FIXTURE), "--out", str(tmp_path / "o"),
                                       "--review", "-n", "6", "-k", "1"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line[:3].strip() for line in lines[:6]] == [f"A{i}" for i in range(1, 7)]
    data = json.loads((tmp_path / "o" / "quiz.json").read_bytes())
    for line, q in zip(lines, data["variants"][0]["questions"]):
        assert q["id"] in line
    assert lines[-1] == f"wrote 9 files to {tmp_path / 'o'}"
