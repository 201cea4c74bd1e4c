"""The loader and the checks over fixture KBs: exact messages, exact lines and columns."""

from pathlib import Path

import pytest

from quizgen.check import check
from quizgen.errors import QuizgenError
from quizgen.load import load
from quizgen.model import Claim, Event, ListFact, Term

FIXTURES = Path(__file__).parent / "fixtures"
INVALID = sorted((FIXTURES / "invalid").glob("*.yaml"))


def problems_of(path: Path) -> list[str]:
    try:
        return [str(p) for p in check(load(path))]
    except QuizgenError as e:
        return e.lines()


def expected(path: Path) -> list[str]:
    """Each invalid fixture ends with the lines `quizgen check` must print for it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [f"{path}:{line.removeprefix('# expect: ').replace('{path}', str(path))}"
            for line in lines if line.startswith("# expect: ")]


def test_valid_fixture_loads_every_kind():
    loaded = load(FIXTURES / "valid")
    kb = loaded.kb
    assert kb.deck.id == "sample-deck"
    assert [s.id for s in kb.sections] == ["basics", "history"]
    assert {f.kind for f in kb.facts} == {
        "term", "list", "event", "figure", "person", "work", "org", "claim"}
    ppo = next(f for f in kb.facts if f.id == "ppo")
    assert isinstance(ppo, Term) and ppo.abbr == "PPO" and ppo.explanation is not None
    dl = next(f for f in kb.facts if isinstance(f, ListFact))
    assert [i.en for i in dl.items] == ["generality", "competence", "scalability"]
    gpt = next(f for f in kb.facts if f.id == "gpt-1-release")
    assert isinstance(gpt, Event) and (gpt.year, gpt.month, gpt.day) == (2018, 6, None)
    claim = next(f for f in kb.facts if isinstance(f, Claim))
    assert len(claim.wrong) == 3 and claim.speaker == "Greg Brockman"
    assert check(loaded) == []


def test_source_map_points_at_keys():
    loaded = load(FIXTURES / "valid")
    where = loaded.source_map.fact(2, "pinyin")  # backprop's override
    assert (Path(where.path).name, where.line, where.col) == ("facts.yaml", 30, 5)


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_fixture_reports_exact_problems(path):
    want = expected(path)
    assert want, f"{path} declares no expected problems"
    assert problems_of(path) == want


def test_all_problems_of_all_files_are_reported(tmp_path):
    (tmp_path / "a.yaml").write_text(
        "deck: {id: d, title: {zh: 卡组, en: Deck}}\nsections: []\nfacts:\n  - id: x\n"
        "    kind: event\n    section: s\n    year: 1\n    what: {zh: 事, en: thing}\n    oops: 1\n",
        encoding="utf-8")
    (tmp_path / "b.yaml").write_text("facts:\n  - kind: term\n", encoding="utf-8")
    lines = problems_of(tmp_path)
    assert f"{tmp_path / 'a.yaml'}:9:5: error: unknown key 'oops'" in lines[0]
    assert any(line.startswith(f"{tmp_path / 'b.yaml'}:2:5: error: missing required key")
               for line in lines)


def test_second_deck_header_and_no_deck(tmp_path):
    header = "deck: {id: d, title: {zh: 卡组, en: Deck}}\n"
    (tmp_path / "a.yaml").write_text(header, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(header, encoding="utf-8")
    assert problems_of(tmp_path) == [
        f"{tmp_path / 'b.yaml'}:1:1: error: a second deck header (the first is in "
        f"{tmp_path / 'a.yaml'})"]
    (tmp_path / "a.yaml").write_text("sections: []\n", encoding="utf-8")
    (tmp_path / "b.yaml").unlink()
    assert problems_of(tmp_path) == [
        f"{tmp_path}:1:1: error: no deck header: one file needs a top-level 'deck:' key"]


def test_warnings(tmp_path):
    (tmp_path / "kb.yaml").write_text(
        "deck: {id: d, title: {zh: 卡组, en: Deck}}\n"
        "sections:\n  - {id: a, number: 1, title: {zh: 甲, en: A}}\n"
        "  - {id: b, number: 2, title: {zh: 乙, en: B}}\n"
        "facts:\n  - id: x\n    kind: event\n    section: a\n    year: 2015\n"
        "    what: {zh: 成立, en: 成立 founded}\n", encoding="utf-8")
    assert problems_of(tmp_path) == [
        f"{tmp_path / 'kb.yaml'}:4:6: warning: section 'b' has no facts",
        f"{tmp_path / 'kb.yaml'}:10:20: warning: English text contains Chinese: '成立 founded'",
    ]


def test_english_name_may_stand_in_the_chinese_field(tmp_path):
    (tmp_path / "kb.yaml").write_text(
        "deck: {id: d, title: {zh: 卡组, en: Deck}}\n"
        "sections: [{id: a, number: 1, title: {zh: 甲, en: A}}]\n"
        "facts:\n  - {id: o, kind: org, section: a, name: {zh: OpenAI, en: OpenAI},\n"
        "     role: {zh: 实验室, en: a lab}, why: {zh: 主题, en: the subject}}\n",
        encoding="utf-8")
    assert problems_of(tmp_path) == []


SCALARS_HEAD = ("deck: {id: d, title: {zh: 卡组, en: Deck}}\n"
                "sections: [{id: a, number: 1, title: {zh: 甲, en: A}}]\nfacts:\n")


@pytest.mark.parametrize("fact, key, message", [
    ("{id: e, kind: event, section: a, year: 2015, month: ~, what: {zh: 成立, en: founded},"
     " explanation: null}", None, None),
    ("{id: e, kind: event, section: a, year: '2015', what: {zh: 成立, en: founded}}",
     "year", "'year': should be a whole number (got '2015')"),
    ("{id: e, kind: event, section: a, year: 2015, quiz: no, what: {zh: 成立, en: founded}}",
     "quiz", "'quiz': should be true or false (got 'no')"),
    ("{id: e, kind: event, section: a, year: 2015, what: {zh: 成立, en: 2015}}",
     "en", "'en': should be text (got 2015); put quotes around it to make it text"),
    ("{id: f, kind: figure, section: a, value: 1e400, unit: {zh: 倍, en: x},"
     " measures: {zh: 增长, en: growth}}", "value", "'value': should be a finite number "
     "(got inf)"),
])
def test_yaml_scalars_are_typed_as_yaml_1_2(tmp_path, fact, key, message):
    path = tmp_path / "kb.yaml"
    line = f"  - {fact}"
    path.write_text(SCALARS_HEAD + line + "\n", encoding="utf-8")
    expected = [] if key is None else [f"{path}:4:{line.index(key + ':') + 1}: error: {message}"]
    assert problems_of(path) == expected


def test_pure_python_yaml_parser_gives_the_same_result(monkeypatch):
    import yaml

    from quizgen import load as load_module

    fast = load(FIXTURES / "valid")
    monkeypatch.setattr(load_module, "_Loader", yaml.SafeLoader)
    slow = load(FIXTURES / "valid")
    assert slow.kb == fast.kb
    def lines_cols(loaded):
        return {file: {path: (m.line, m.column) for path, m in marks.items()}
                for file, marks in loaded.source_map.positions.items()}

    assert lines_cols(slow) == lines_cols(fast)
