"""The question bank, distractors and variants: what a quiz asks, before anything is rendered."""

from __future__ import annotations

import math
import random
import re
import unicodedata
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizgen.errors import QuizgenError
from quizgen.model import KnowledgeBase
from quizgen.quiz import QuizOptions
from quizgen.quiz import bank as bank_module
from quizgen.quiz import distractors
from quizgen.quiz.bank import build_bank
from quizgen.quiz.distractors import (
    Choice, conflicts, distinct, figure_perturbations, nearest_first, norm, year_choice,
    year_numbers, year_sides,
)
from quizgen.quiz.variants import balanced_letters, build_quiz_set
from quizgen.wording import format_number

INJECTION = "注入 #x $y$ *b* _i_ ] <l> @r \\n"


def text(zh: str, en: str) -> dict:
    return {"zh": zh, "en": en}


def rich_kb() -> KnowledgeBase:
    """A KB with enough facts of every kind for every question form, including text that
    would be markup if it were ever pasted into Typst or HTML."""
    terms = [("感知器", "perceptron", "最简单的前馈神经网络", "the simplest feed-forward network"),
             ("反向传播", "backpropagation", "把误差从输出层往回传", "passing the error backwards"),
             ("强化学习", "reinforcement learning", "通过奖励学习行为", "learning behaviour from "
              "rewards"),
             ("过拟合", "overfitting", "记住训练数据而不泛化", "memorising instead of generalising"),
             ("梯度下降", "gradient descent", "沿梯度反方向更新参数", "stepping against the gradient"),
             ("迁移学习", "transfer learning", "把一个任务学到的用到另一个任务",
              "reusing what one task learned on another"),
             ("注入测试", "injection test", INJECTION, "literal " + INJECTION)]
    facts: list[dict] = [
        {"id": f"term-{i}", "kind": "term", "section": "basics", "zh": zh, "en": en,
         "definition": text(d_zh, d_en), "tags": ["core"] if i < 4 else []}
        for i, (zh, en, d_zh, d_en) in enumerate(terms)]
    facts[1]["abbr"] = "BP"
    facts += [
        {"id": "dl-properties", "kind": "list", "section": "basics",
         "prompt": text("深度学习的三个核心属性", "the three core properties of deep learning"),
         "items": [text("泛化", "generality"), text("能力", "competence"),
                   text("可扩展性", "scalability")]},
        {"id": "openai-goals", "kind": "list", "section": "history",
         "prompt": text("OpenAI 的两个目标", "the two goals of OpenAI"),
         "items": [text("安全", "safety"), text("普惠", "broad benefit")]},
        {"id": "dota-skills", "kind": "list", "section": "history",
         "prompt": text("Dota 机器人学会的技能", "skills the Dota bot learned"),
         "items": [text("补刀", "last hitting"), text("走位", "positioning"),
                   text("团战", "team fights"), text("能力", "competence")]},
    ]
    for fact in facts[-3:]:  # lists of one category lend each other wrong items
        fact["category"] = text("要点", "key points")
    events = [(1956, False, "达特茅斯会议", "the Dartmouth workshop"),
              (1986, False, "反向传播算法被提出", "backpropagation is proposed"),
              (2012, False, "AlexNet 赢得 ImageNet", "AlexNet wins ImageNet"),
              (2015, False, "OpenAI 成立", "OpenAI is founded"),
              (2018, False, "GPT-1 发布", "GPT-1 is released"),
              (2019, False, "GPT-2 发布", "GPT-2 is released"),
              (1980, True, "专家系统流行", "expert systems are popular"),
              (2017, False, INJECTION, INJECTION)]
    facts += [{"id": f"event-{i}", "kind": "event", "section": "history", "year": y,
               "decade": d, "what": text(zh, en)} for i, (y, d, zh, en) in enumerate(events)]
    facts += [
        {"id": "compute", "kind": "figure", "section": "history", "value": 300000,
         "qualifier": "over", "unit": text("倍", "times"),
         "measures": text("2012 年以来最大训练运算量的增长", "growth of training compute")},
        {"id": "dota-days", "kind": "figure", "section": "history", "value": 180,
         "qualifier": "about", "unit": text("年", "years"),
         "measures": text("Dota 机器人每天自我对弈的时长", "self-play per day of the Dota bot")},
        {"id": "team", "kind": "figure", "section": "history", "value": 10, "upto": 15,
         "unit": text("人", "people"), "measures": text("最初的团队规模", "size of the first team")},
        {"id": "share", "kind": "figure", "section": "history", "value": 90,
         "unit": text("%", "%"), "measures": text("某项比例", "some share")},
    ]
    people = [("格雷格·布罗克曼", "Greg Brockman", "OpenAI 联合创始人", "co-founder of OpenAI"),
              ("伊利亚·苏茨克维", "Ilya Sutskever", "OpenAI 首席科学家", "chief scientist of OpenAI"),
              ("莱克斯·弗里德曼", "Lex Fridman", "播客主持人", "podcast host"),
              ("杰弗里·辛顿", "Geoffrey Hinton", "深度学习先驱", "deep learning pioneer"),
              ("萨姆·奥特曼", "Sam Altman", "OpenAI 首席执行官", "CEO of OpenAI")]
    facts += [{"id": f"person-{i}", "kind": "person", "section": "basics", "name": text(zh, en),
               "role": text(r_zh, r_en), "why": text("访谈中提到", "mentioned"),
               "type": text("AI 人物", "AI figure")}
              for i, (zh, en, r_zh, r_en) in enumerate(people)]
    works = [("《她》", "Her", "电影", "film", "一部人与 AI 相爱的电影", "a film about love with an AI"),
             ("《机械姬》", "Ex Machina", "电影", "film", "一部关于 AI 测试的电影",
              "a film about testing an AI"),
             ("《终结者》", "The Terminator", "电影", "film", "一部机器反叛人类的电影",
              "a film about machines turning on people"),
             ("《2001 太空漫游》", "2001: A Space Odyssey", "电影", "film",
              "一部飞船电脑失控的电影", "a film about a ship's computer gone wrong"),
             ("《基地》", "Foundation", "小说", "novel", "一部预测文明兴衰的小说",
              "a novel about predicting history"),
             ("《人类简史》", "Sapiens", "书", "book", "一部人类历史的通俗书",
              "a popular history of humankind"),
             ("GPT-2", "GPT-2", "模型", "model", "一个大型语言模型", "a large language model")]
    facts += [{"id": f"work-{i}", "kind": "work", "section": "history", "name": text(zh, en),
               "type": text(t_zh, t_en), "role": text(r_zh, r_en), "why": text("提到", "cited")}
              for i, (zh, en, t_zh, t_en, r_zh, r_en) in enumerate(works)]
    orgs = [("OpenAI", "OpenAI", "研究 AGI 的机构", "an AGI lab"),
            ("英特尔", "Intel", "芯片公司", "a chip maker"),
            ("纽约时报", "The New York Times", "美国报纸", "a US newspaper"),
            ("康奈尔航空实验室", "Cornell Aeronautical Laboratory", "研究机构", "a research lab")]
    facts += [{"id": f"org-{i}", "kind": "org", "section": "history", "name": text(zh, en),
               "role": text(r_zh, r_en), "why": text("提到", "cited"),
               "type": text("机构", "organisation")}
              for i, (zh, en, r_zh, r_en) in enumerate(orgs)]
    claims = [("他会问 AGI 的第一个问题是什么？", "What would he ask an AGI first?",
               "如何让世界保持正常运转", "How to keep the world on track",
               [("如何赚更多的钱", "How to make more money"), ("宇宙有多大", "How big space is"),
                ("它是否有意识", "Whether it is conscious")]),
              ("OpenAI 为什么改为有限盈利？", "Why did OpenAI become capped-profit?",
               "为了筹集足够的算力资金", "To raise money for compute",
               [("为了上市", "To go public"), ("为了逃税", "To avoid tax"),
                ("为了合并", "To merge"), (INJECTION, INJECTION)]),
              ("Dota 项目说明了什么？", "What did the Dota project show?",
               "简单算法在大规模下很强", "Simple algorithms are strong at scale", [])]
    facts += [{"id": f"claim-{i}", "kind": "claim", "section": "basics", "speaker": "Greg Brockman",
               "question": text(q_zh, q_en), "answer": text(a_zh, a_en),
               "wrong": [text(*w) for w in wrong]}
              for i, (q_zh, q_en, a_zh, a_en, wrong) in enumerate(claims)]
    facts.append({"id": "ambiguous", "kind": "term", "section": "basics", "zh": "智能体",
                  "en": "agent", "definition": text("能行动的系统", "a system that acts"),
                  "quiz": False})
    return KnowledgeBase.model_validate({
        "deck": {"id": "rich", "title": text("测验 #*_ 示例", "Quiz #*_ sample"),
                 "quiz": {"questions": 20, "variants": 3, "seed": 11}},
        "sections": [{"id": "basics", "number": 1, "title": text("基础", "Basics")},
                     {"id": "history", "number": 2, "title": text("历史", "History")}],
        "facts": facts})


def fact_of(kb: KnowledgeBase, fact_id: str):
    return next(f for f in kb.facts if f.id == fact_id)


def right_answers(kb: KnowledgeBase, question) -> set[str]:
    """Every option text that would be right for `question`, worked out from its fact alone
    (independently of the bank), in both languages, normalised."""
    fact = fact_of(kb, question.fact_id)
    form = question.form
    if fact.kind == "term":
        texts = [fact.zh, fact.en]
    elif fact.kind == "list":
        texts = [t for i in fact.items for t in (i.zh, i.en)]
        if form == "not-member":  # the author's wrong items, or those of a like list
            others = [i for o in kb.facts if o.kind == "list" and o is not fact
                      and o.category is not None and o.category == fact.category
                      for i in o.items]
            texts = [t for i in [*fact.wrong, *others] for t in (i.zh, i.en)
                     if norm(t) not in {norm(x) for x in texts}]
    elif fact.kind == "event":
        texts = [fact.what.zh, fact.what.en] if form == "event" else []
    elif fact.kind in ("person", "work", "org"):
        field = fact.role if form == "role" else fact.name
        texts = [field.zh, field.en]
    elif fact.kind == "claim":
        texts = [fact.answer.zh, fact.answer.en]
    else:
        texts = []
    return {norm(t) for t in texts}


def is_right(kb: KnowledgeBase, question, choice: Choice) -> bool:
    fact = fact_of(kb, question.fact_id)
    if fact.kind == "figure":
        return choice.value == fact.value and (
            fact.upto is None or format_number(fact.upto) in choice.zh)
    if fact.kind == "event" and question.form == "year":
        return choice.value == fact.year
    right = right_answers(kb, question)
    return norm(choice.zh) in right or norm(choice.en) in right


# -- what the bank asks --------------------------------------------------------------------------

def test_every_kind_yields_questions_and_quiz_false_yields_none():
    kb = rich_kb()
    bank = build_bank(kb, [f for f in kb.facts if f.quiz], 4)
    forms = {(c.kind, c.form) for c in bank.candidates}
    assert forms == {("term", "definition"),
                     ("list", "member"), ("list", "not-member"), ("event", "year"),
                     ("event", "event"), ("figure", "value"), ("person", "role"),
                     ("person", "name"), ("work", "role"), ("work", "name"), ("org", "role"),
                     ("org", "name"), ("claim", "answer")}
    quiz = build_quiz_set(kb, QuizOptions(questions=10_000, variants=1))
    assert "ambiguous" not in {q.fact_id for q in quiz.questions}
    # ... and its text is no option anywhere either.
    assert all("智能体" not in c.zh for q in quiz.questions for c in q.options)


def test_each_keyed_answer_is_right_and_no_distractor_is():
    kb = rich_kb()
    bank = build_bank(kb, [f for f in kb.facts if f.quiz], 4)
    questions = [c.finish(3, random.Random(seed), seed % 4)
                 for c in bank.candidates for seed in range(3)]
    assert len(questions) > 120 and None not in questions
    quiz = build_quiz_set(kb, QuizOptions(questions=10_000, variants=2))
    for q in questions:
        assert is_right(kb, q, q.answer), q.id
        for wrong in q.distractors:
            assert not conflicts(wrong, q.answer), q.id
            assert not is_right(kb, q, wrong), (q.id, wrong)
        assert len(q.distractors) == 3
        keys = [k for c in q.options for k in c.keys]
        assert len(set(keys[0::2])) == len(set(keys[1::2])) == 4, q.id  # distinct options
    for variant in quiz.variants:
        for item in variant.items:
            assert item.options[item.answer] == item.question.answer


def test_list_questions_never_offer_a_member_as_wrong():
    kb = rich_kb()
    quiz = build_quiz_set(kb, QuizOptions(questions=10_000, variants=1, kinds=("list",)))
    seen = set()
    for q in quiz.questions:
        seen.add(q.form)
        items = {norm(i.zh) for i in fact_of(kb, q.fact_id).items}
        if q.form == "member":
            assert norm(q.answer.zh) in items
            assert not items & {norm(d.zh) for d in q.distractors}
        else:
            assert norm(q.answer.zh) not in items
            assert {norm(d.zh) for d in q.distractors} <= items
    assert seen == {"member", "not-member"}
    # "能力" is an item of two lists: it is never the odd one out for either.
    assert all(q.answer.zh != "能力" for q in quiz.questions if q.form == "not-member")


def test_numbers_ascend_are_plausible_and_distinct():
    kb = rich_kb()
    bank = build_bank(kb, [f for f in kb.facts if f.kind in ("event", "figure")], 4)
    numeric = [c.finish(3, random.Random(rank), rank)
               for c in bank.candidates if c.ordered for rank in range(4)]
    assert {q.fact_id for q in numeric} >= {"compute", "team", "share", "event-6"}
    for q in numeric:
        values = [c.value for c in q.options]
        assert values == sorted(values) and len(set(values)) == len(values)
        assert all(v > 0 for v in values)
        texts = [c.zh for c in q.options]
        assert len(set(texts)) == len(texts)
        if q.fact_id == "share":
            assert max(values) <= 100
        if q.fact_id == "event-6":  # a decade: every option is a decade
            assert all(t.endswith("年代") and int(v) % 10 == 0 for t, v in zip(texts, values))
        if q.kind == "event":
            assert all(abs(v - q.answer.value) <= 30 for v in values)


def test_year_perturbations_only_fill_in_for_missing_years():
    below, above = year_sides(2015, False, [2012, 2018, 2019, 1700])
    assert [c.value for c in below.known] == [2012]
    assert [c.value for c in above.known] == [2018, 2019]  # 1700 is too far to be plausible
    assert 2015 not in [c.value for c in below.made_up + above.made_up]
    assert all(1 <= c.value <= 9999 for c in below.made_up)
    assert [c.value for c in year_sides(3, False, [])[0].made_up] == [2, 1]


def test_figure_perturbations():
    assert all(v > 0 and v != 300000 for v, _ in figure_perturbations(300000, None, None))
    small = figure_perturbations(5, 10, None)
    assert (11, 16) in small
    # Ranges never overlap the answer's; their middles stay within ×0.5–×2 of its middle.
    assert all(u < 5 or v > 10 for v, u in small)
    assert all(0.5 <= (v + u) / 15 <= 2 for v, u in small)
    assert all(abs(v - 3) <= 3 and v >= 1 for v, _ in figure_perturbations(3, None, None))
    assert all(0.5 <= v / 300000 <= 2 for v, _ in figure_perturbations(300000, None, None))
    assert all(v <= 100 for v, _ in figure_perturbations(90, None, 100.0))
    assert all(v > 0 for v, _ in figure_perturbations(0.25, None, None))


def test_event_questions_never_offer_an_event_of_the_same_period():
    kb = rich_kb()
    facts = [f for f in kb.facts if f.kind == "event"]
    facts.append(facts[0].model_copy(update={"id": "same-year", "year": 1986,
                                             "what": facts[0].what.model_copy(
                                                 update={"zh": "另一件事", "en": "another"})}))
    for i, year in enumerate((1983, 1989, 1991, 1995, 1999)):  # near enough to be offered
        facts.append(facts[0].model_copy(update={"id": f"near-{i}", "year": year, "what":
                                                 facts[0].what.model_copy(update={
                                                     "zh": f"附近的事{i}", "en": f"near {i}"})}))
    kb = kb.model_copy(update={"facts": facts})
    bank = {c.id: c for c in build_bank(kb, facts, 4).candidates}
    for seed in range(30):
        for question_id, banned in (("event-1:event", {"另一件事"}),  # 1986
                                    ("event-6:event", {"反向传播算法被提出", "另一件事"})):  # 1980s
            question = bank[question_id].finish(3, random.Random(seed))
            assert not banned & {c.zh for c in question.distractors}


def test_claims_take_only_their_own_wrong_answers():
    kb = rich_kb()
    quiz = build_quiz_set(kb, QuizOptions(questions=10_000, variants=1, kinds=("claim",)))
    by_id = {q.fact_id: q for q in quiz.questions}
    assert {d.zh for d in by_id["claim-0"].distractors} == {"如何赚更多的钱", "宇宙有多大",
                                                            "它是否有意识"}
    written = {w.zh for w in fact_of(kb, "claim-1").wrong}
    assert {d.zh for d in by_id["claim-1"].distractors} <= written
    # claim-2 has no wrong answers of its own: the answers to other questions would be of
    # another class, so it is not asked, with a reason, even with fewer options.
    assert "claim-2" in quiz.unaskable
    assert dict(quiz.skipped)["claim-2:answer"].startswith("fewer than 3 good wrong options")
    three = build_quiz_set(kb, QuizOptions(questions=100, variants=1, kinds=("claim",),
                                           options=3))
    assert "claim-2" in three.unaskable


def test_works_of_the_same_type_come_first():
    kb = rich_kb()
    bank = {c.id: c for c in build_bank(kb, [f for f in kb.facts if f.quiz], 4).candidates}
    film = bank["work-0:name"].finish(3, random.Random(1))
    assert "Ex Machina" in {d.en for d in film.distractors}


def test_every_fact_is_judged_however_few_questions_are_asked():
    kb = rich_kb()
    # The novel, the book and the model have no others of their type, nor wrong answers of
    # their own; claim-2 has no wrong answers; term-4's definition says "gradient", which
    # only its answer (gradient descent) repeats.
    assert build_quiz_set(kb, QuizOptions(questions=1, variants=1)).unaskable == (
        "term-4", "work-4", "work-5", "work-6", "claim-2")
    bank = build_bank(kb, [f for f in kb.facts if f.quiz], 4)
    assert [c.id for c in bank.candidates] == [
        f"{fact_id}:{form}" for fact_id, forms in bank.forms.items() for form in forms]
    assert all(c.viable(3) for c in bank.candidates)


def test_too_few_facts_of_a_kind_skip_rather_than_print_a_bad_question():
    kb = rich_kb()
    quiz = build_quiz_set(kb, QuizOptions(questions=10_000, variants=1, options=6))
    # Five people: a question about one has only four others, one too few for six options.
    assert not any(q.kind == "person" for q in quiz.questions)
    assert "person-0" in quiz.unaskable


def test_year_sides_are_the_nearest_known_years_then_made_up_ones():
    below, above = year_sides(1990, True, [1920, 1960, 1970, 1980, 1985, 2000, 2030, 2060])
    # Nearest first; 1985 is no decade; more than three decades off is not plausible.
    assert [c.value for c in below.known] == [1980, 1970, 1960]
    assert [c.value for c in above.known] == [2000]
    assert all(c.zh.endswith("年代") for c in below.made_up + above.made_up)
    assert not {c.value for c in below.made_up + above.made_up} & {1960, 1970, 1980, 2000}
    assert all(abs(c.value - 1990) <= 30 for c in below.made_up + above.made_up)


def _sides_by_sorting(year: int, decade: bool, others: list[int], latest: int):
    """What `year_sides` gives, worked out the slow way: every candidate sorted by distance."""
    step, window = (10, 30) if decade else (1, 8)
    last = latest - latest % 10 if decade else latest

    def order(c):
        return abs(c.value - year), c.value

    known = [year_choice(y, decade) for y in set(others)
             if y != year and abs(y - year) <= window and (not decade or y % 10 == year % 10)
             and y <= last]
    reach = window // step
    made_up = [year_choice(year + step * d, decade) for d in range(-reach, reach + 1)
               if d and 1 <= year + step * d <= min(last, 9999)]
    answer = Choice("", "", year)
    known = distinct(sorted(known, key=order), (answer,))
    made_up = distinct(sorted(made_up, key=order), (answer, *known))
    return [[c.value for c in side if (c.value < year) == below]
            for below in (True, False) for side in (known, made_up)]


@given(year=st.integers(1, 2100), decade=st.booleans(),
       others=st.lists(st.integers(1, 2100), max_size=40), need=st.integers(1, 6))
def test_year_sides_match_sorting_every_candidate(year, decade, others, need):
    latest = max([year, *others])
    below, above = year_sides(year, decade, others, latest)
    assert [[c.value for c in part] for part in (below.known, below.made_up, above.known,
                                                 above.made_up)] == _sides_by_sorting(
        year, decade, others, latest)
    # Whether there are enough is found without reading them all, and agrees.
    numbers = year_numbers(year, decade, sorted(set(others)), latest)
    assert numbers.enough(need) == (len(below) + len(above) >= need)


@given(values=st.sets(st.integers(-50, 50), max_size=30), answer=st.integers(-60, 60),
       limit=st.sampled_from([0, 3, 10, 1000]), log=st.booleans())
def test_nearest_first_is_the_order_of_sorting_by_distance(values, answer, limit, log):
    values = sorted(values)
    if log:  # the figures' distance: ratios, and anything not above zero out of reach
        def distance(v):
            if v == answer:
                return 0.0
            return abs(math.log(v / answer)) if v > 0 and answer > 0 else abs(v - answer) + 1e9
    else:
        def distance(v):
            return abs(v - answer)
    expected = sorted((i for i, v in enumerate(values) if distance(v) <= limit),
                      key=lambda i: (distance(values[i]), values[i]))
    assert list(nearest_first(values, answer, distance, limit)) == expected


@given(st.text())
def test_norm_drops_punctuation_spaces_and_controls(text):
    folded = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(c for c in folded if unicodedata.category(c)[0] not in "PZC")
    assert norm(text) == (kept or folded.strip())


# -- how the work grows with the KB --------------------------------------------------------------

def many_facts_kb(n: int) -> KnowledgeBase:
    """`n` facts of every kind with made-up texts: films all of one type, years and figures
    drawn at random."""
    rng = random.Random(n)
    facts = []
    for i in range(n):
        kind = ("term", "list", "event", "figure", "person", "work", "claim")[i % 7]
        fact = {"id": f"f{i}", "kind": kind, "section": "s"}
        if kind == "term":
            fact.update(zh=f"术语{i}", en=f"term {i}", definition=text(f"定义{i}", f"meaning {i}"))
        elif kind == "list":
            fact.update(prompt=text(f"列表{i}", f"list {i}"), category=text("要点", "points"),
                        items=[text(f"项{i}-{j}", f"item {i}-{j}") for j in range(3)])
        elif kind == "event":
            fact.update(year=rng.randint(1900, 2030), what=text(f"事件{i}", f"event {i}"))
        elif kind == "figure":
            fact.update(value=rng.randint(2, 100_000), unit=text("倍", "times"),
                        measures=text(f"数量{i}", f"figure {i}"))
        elif kind == "claim":
            fact.update(question=text(f"问题{i}", f"question {i}"),
                        answer=text(f"回答{i}", f"answer {i}"),
                        wrong=[text(f"错答{i}-{j}", f"wrong {i}-{j}") for j in range(3)])
        else:
            fact.update(name=text(f"名字{i}", f"name {i}"), role=text(f"角色{i}", f"role {i}"),
                        why=text("原因", "why"), type=text("类型", "type"))
        facts.append(fact)
    return KnowledgeBase.model_validate({
        "deck": {"id": "many", "title": text("多", "many")},
        "sections": [{"id": "s", "number": 1, "title": text("节", "s")}], "facts": facts})


@pytest.mark.parametrize("seed", [1, 2])
def test_the_work_of_a_quiz_grows_linearly_with_the_kb(monkeypatch, seed):
    """Four times the facts, about four times the work: options compared and figures written
    out (once it was sixteen: every question compared every fact of its kind)."""
    work = Counter()
    iter_distinct, figure_text = distractors.iter_distinct, bank_module.figure_text

    def counted(choices, avoid=()):
        def each():
            for choice in choices:
                work["options compared"] += 1
                yield choice
        return iter_distinct(each(), avoid)

    def written(*args):
        work["figures written"] += 1
        return figure_text(*args)

    monkeypatch.setattr(distractors, "iter_distinct", counted)
    monkeypatch.setattr(bank_module, "figure_text", written)
    done = []
    for n in (350, 1400):
        work.clear()
        quiz = build_quiz_set(many_facts_kb(n), QuizOptions(questions=20, variants=1, seed=seed))
        assert len(quiz.questions) == 20 and not quiz.unaskable
        done.append(dict(work))
    small, large = done
    for what in ("options compared", "figures written"):
        assert large[what] < 6 * small[what], (what, small, large)


def test_a_quiz_words_each_fact_once(monkeypatch):
    words = Counter()
    original = bank_module._Builder.words

    def counted(self, fact):
        words[fact.id] += 1
        return original(self, fact)

    monkeypatch.setattr(bank_module._Builder, "words", counted)
    quiz = build_quiz_set(many_facts_kb(700), QuizOptions(questions=12, variants=3))
    # Each fact is worded once, to judge whether its answer stands in its question; the
    # questions asked reuse that wording.
    assert len(quiz.questions) == 12 and set(words.values()) == {1}


# -- selection, filters and variants -------------------------------------------------------------

def test_filters_select_facts():
    kb = rich_kb()
    quiz = build_quiz_set(kb, QuizOptions(questions=100, variants=1, sections=("2",),
                                          kinds=("event", "list")))
    assert {q.section for q in quiz.questions} == {"history"}
    assert {q.kind for q in quiz.questions} == {"event", "list"}
    tagged = build_quiz_set(kb, QuizOptions(questions=100, variants=1, tags=("core",)))
    assert {q.fact_id for q in tagged.questions} <= {"term-0", "term-1", "term-2", "term-3"}


@pytest.mark.parametrize("options, message", [
    ({"sections": ("basic",)}, "unknown section 'basic' (did you mean 'basics'?)"),
    ({"kinds": ("terms",)}, "unknown kind 'terms' (did you mean 'term'?)"),
    ({"tags": ("cor",)}, "no fact has the tag 'cor' (did you mean 'core'?)"),
    ({"sections": ("basics",), "kinds": ("event",)}, "no facts to ask about: no fact matches "
                                                     "section basics and kind event"),
])
def test_filters_that_leave_nothing_are_user_errors(options, message):
    with pytest.raises(QuizgenError, match=re.escape(message)):
        build_quiz_set(rich_kb(), QuizOptions(**options))


def test_bad_option_values_are_user_errors():
    with pytest.raises(QuizgenError, match="quiz variants must be a whole number from 1 to 26"):
        QuizOptions(variants=27)
    with pytest.raises(QuizgenError, match="quiz language must be one of zh, en, both"):
        QuizOptions(lang="fr")


def test_from_deck_takes_the_decks_defaults_for_none():
    kb = rich_kb()
    options = QuizOptions.from_deck(kb.deck, questions=None, variants=5, seed=None, lang=None,
                                    options=None, sections=(), kinds=(), tags=(), font=None)
    assert (options.questions, options.variants, options.seed, options.lang,
            options.options) == (20, 5, 11, "zh", 4)


def test_one_question_per_fact_before_any_second():
    kb = rich_kb()
    quiz = build_quiz_set(kb, QuizOptions(questions=25, variants=1))
    counts = Counter(q.fact_id for q in quiz.questions)
    assert len(quiz.questions) == 25 and max(counts.values()) == 1


def test_variants_hold_the_same_questions_in_other_orders_with_balanced_letters():
    kb = rich_kb()
    quiz = build_quiz_set(kb, QuizOptions(questions=30, variants=4, seed=5))
    ids = [tuple(i.question.id for i in v.items) for v in quiz.variants]
    assert all(sorted(order) == sorted(ids[0]) for order in ids)
    assert len(set(ids)) == 4  # four different orders
    for variant in quiz.variants:
        counts = Counter(item.letter for item in variant.items)
        assert set(counts) == set("ABCD")
        assert max(counts.values()) - min(counts.values()) <= 1, counts
        for item in variant.items:
            if item.question.ordered:  # numbers: ascending, the answer placed anew each variant
                values = [c.value for c in item.options]
                assert values == sorted(values) and len(values) == 4
                assert item.options[item.answer] == item.question.answer
            else:
                assert set(item.options) == set(item.question.options)


def test_same_seed_same_quiz_other_seed_other_quiz():
    kb = rich_kb()
    first = build_quiz_set(kb, QuizOptions(questions=20, variants=2, seed=3))
    again = build_quiz_set(kb, QuizOptions(questions=20, variants=2, seed=3))
    other = build_quiz_set(kb, QuizOptions(questions=20, variants=2, seed=4))
    assert first == again
    assert first.variants != other.variants
    # A third variant leaves the first two as they were.
    more = build_quiz_set(kb, QuizOptions(questions=20, variants=3, seed=3))
    assert more.variants[:2] == first.variants


def test_the_global_random_state_is_not_used():
    kb = rich_kb()
    random.seed(1)
    first = build_quiz_set(kb, QuizOptions(questions=20))
    random.seed(2)
    assert build_quiz_set(kb, QuizOptions(questions=20)) == first


@given(fixed=st.lists(st.one_of(st.none(), st.integers(0, 3)), max_size=60),
       seed=st.integers(0, 2**32))
def test_balanced_letters_fill_the_gaps_left_by_fixed_ones(fixed, seed):
    letters = balanced_letters(fixed, 4, random.Random(seed))
    assert [f for f in fixed if f is not None] == [
        letter for f, letter in zip(fixed, letters) if f is not None]
    counts = Counter(letters)
    fixed_counts = Counter(f for f in fixed if f is not None)
    lowest = min(counts[i] for i in range(4))
    # Free questions only ever went to the least used letters.
    assert all(counts[i] <= max(fixed_counts[i], lowest + 1) for i in range(4))


# -- hostile and random knowledge bases ----------------------------------------------------------

_words = st.sampled_from(["甲", "乙", "丙", "丁", "戊", "甲 ", "乙。", "Alpha", "alpha", "BETA"])


@st.composite
def small_kbs(draw):
    """Small KBs full of near-duplicates: the same text with other case, spaces or punctuation,
    items shared between lists, events in the same year or decade."""
    facts = []
    for i in range(draw(st.integers(0, 7))):
        zh, en = draw(_words), draw(_words)
        facts.append({"id": f"t{i}", "kind": "term", "section": "s", "zh": zh, "en": en,
                      "definition": text(draw(_words), draw(_words))})
    for i in range(draw(st.integers(0, 4))):
        items = [text(draw(_words), draw(_words)) for _ in range(draw(st.integers(1, 5)))]
        facts.append({"id": f"l{i}", "kind": "list", "section": "s",
                      "prompt": text("列表", "list"), "items": items})
    for i in range(draw(st.integers(0, 6))):
        facts.append({"id": f"e{i}", "kind": "event", "section": "s",
                      "year": draw(st.integers(1, 30)) * 10 + draw(st.sampled_from([0, 0, 3])),
                      "decade": draw(st.booleans()), "what": text(draw(_words), draw(_words))})
    for i in range(draw(st.integers(0, 4))):
        facts.append({"id": f"f{i}", "kind": "figure", "section": "s",
                      "value": draw(st.sampled_from([0, 1, 2, 7, 19, 20, 55, 0.5, 1e6])),
                      "unit": text("个", "things"), "measures": text(draw(_words), "x")})
    for i in range(draw(st.integers(0, 6))):
        facts.append({"id": f"p{i}", "kind": "person", "section": "s",
                      "name": text(draw(_words), draw(_words)),
                      "role": text(draw(_words), draw(_words)), "why": text("因", "why")})
    for i in range(draw(st.integers(0, 4))):
        facts.append({"id": f"c{i}", "kind": "claim", "section": "s",
                      "question": text(draw(_words), "q"), "answer": text(draw(_words), "a"),
                      "wrong": [text(draw(_words), draw(_words))
                                for _ in range(draw(st.integers(0, 4)))]})
    return KnowledgeBase.model_validate({
        "deck": {"id": "h", "title": text("题", "t")},
        "sections": [{"id": "s", "number": 1, "title": text("节", "s")}], "facts": facts})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kb=small_kbs(), n_options=st.integers(2, 5), seed=st.integers(0, 1000))
def test_distractor_invariants_over_random_kbs(kb, n_options, seed):
    try:
        quiz = build_quiz_set(kb, QuizOptions(questions=50, variants=2, seed=seed,
                                              options=n_options))
    except QuizgenError:
        return  # nothing askable: a clean error, not a bad question
    for q in quiz.questions:
        options = q.options
        assert len(options) == n_options
        for i, a in enumerate(options):
            for b in options[i + 1:]:
                assert not conflicts(a, b), (q.id, a, b)
        assert is_right(kb, q, q.answer), q.id
        for wrong in q.distractors:
            assert not is_right(kb, q, wrong), (q.id, wrong)
        if q.kind == "event" and q.form == "event":  # no wrong event from the same year or decade
            fact = fact_of(kb, q.fact_id)
            span = range(fact.year, fact.year + (10 if fact.decade else 1))
            for wrong in q.distractors:
                for other in kb.facts:
                    if other.kind == "event" and other.what.zh == wrong.zh:
                        other_span = range(other.year, other.year + (10 if other.decade else 1))
                        assert not set(span) & set(other_span) or norm(other.what.zh) == norm(
                            fact.what.zh)
    for variant in quiz.variants:
        for item in variant.items:
            assert item.options[item.answer] == item.question.answer


def test_options_compare_as_normalised_text():
    assert norm("OpenAI 成立") == norm("openai成立。")
    assert conflicts(Choice("甲", "Alpha"), Choice("乙", "alpha "))
    assert not conflicts(Choice("甲", "Alpha"), Choice("乙", "Beta"))
    assert conflicts(Choice("1980 年代", "the 1980s", 1980), Choice("1980", "1980", 1980))
