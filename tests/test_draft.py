"""`quizgen draft`: candidate facts from a text, written as a knowledge base that checks clean."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizgen.cli import main
from quizgen.draft import DRAFT_TAG, draft
from quizgen.load import load

DRAFTS = Path(__file__).parent / "fixtures" / "draft"


def run_draft(text: Path, out: Path, code: int = 0):
    result = CliRunner().invoke(main, ["draft", str(text), "--out", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


@pytest.mark.parametrize("name", ["notes-zh.md", "notes-en.md"])
def test_a_draft_checks_clean_and_every_fact_is_a_draft(tmp_path, name):
    out = tmp_path / "kb"
    result = run_draft(DRAFTS / name, out)
    assert result.stdout.startswith(f"wrote {out}/deck.yaml and {out}/draft.yaml: ")
    checked = CliRunner().invoke(main, ["check", "--strict", str(out)])
    assert checked.exit_code == 0, checked.output
    kb = load(out).kb
    assert kb.facts and all(DRAFT_TAG in f.tags and f.quiz is False for f in kb.facts)
    text = (out / "draft.yaml").read_text(encoding="utf-8")
    # Every fact says which line it came from.
    assert text.count("  # from line") == len(kb.facts)
    # And it builds: a deck of drafts, a quiz of none.
    built = CliRunner().invoke(main, ["build", str(out), "--out", str(tmp_path / "decks")])
    assert built.exit_code == 0, built.output


def test_what_the_chinese_notes_yield():
    d = draft((DRAFTS / "notes-zh.md").read_text(encoding="utf-8"), "notes")
    by_kind = {}
    for c in d.candidates:
        by_kind.setdefault(c.kind, []).append(c)
    terms = {c.fields["zh"]: c.fields for c in by_kind["term"]}
    assert terms["变换器"]["en"] == "Transformer"
    assert (terms["注意力机制"]["en"], terms["注意力机制"]["abbr"]) == ("Attention Mechanism", "AM")
    assert "自注意力" in terms  # 所谓“自注意力”
    (event,) = by_kind["event"]
    assert (event.fields["year"], event.fields["month"]) == (2017, 6)
    assert {c.fields["value"] for c in by_kind["figure"]} == {8, 12}
    assert [c.fields["name"]["zh"] for c in by_kind["person"]] == ["阿希什·瓦斯瓦尼"]
    assert [c.fields["name"]["zh"] for c in by_kind["work"]] == ["《深度学习》"]
    lists = {c.fields["prompt"]["zh"]: [i["zh"] for i in c.fields["items"]]
             for c in by_kind["list"]}
    assert lists["这种模型有三个关键部件"] == ["多头注意力", "位置编码", "前馈网络"]
    assert lists["下面是它带来的变化"] == ["训练可以并行", "长距离依赖更容易学到", "成为后来大模型的骨架"]
    # The same term found twice is one candidate, with both lines.
    assert terms["变换器"] is not None
    (transformer,) = [c for c in by_kind["term"] if c.fields["zh"] == "变换器"]
    assert transformer.lines == [5, 17]
    assert [title for _, title in d.sections] == ["背景", "要点"]


def test_what_the_english_notes_yield():
    d = draft((DRAFTS / "notes-en.md").read_text(encoding="utf-8"), "notes")
    terms = {c.fields["zh"]: c.fields["en"] for c in d.candidates if c.kind == "term"}
    assert terms == {"变换器": "Transformer", "注意力机制": "attention mechanism"}
    people = [c.fields["name"]["en"] for c in d.candidates if c.kind == "person"]
    assert people == ["Ashish Vaswani"]
    (parts,) = [c for c in d.candidates if c.kind == "list"]
    assert [i["en"] for i in parts.fields["items"]] == [
        "multi-head attention", "positional encoding", "feed-forward layers"]
    assert d.lang == "en"


def test_a_draft_never_overwrites(tmp_path):
    out = tmp_path / "kb"
    out.mkdir()
    (out / "mine.yaml").write_text("kept", encoding="utf-8")
    result = run_draft(DRAFTS / "notes-zh.md", out, code=1)
    assert result.stderr == (f"{out}:1:1: error: already exists and is not an empty folder: "
                             "choose a new one (nothing is overwritten)\n")
    assert (out / "mine.yaml").read_text(encoding="utf-8") == "kept"


def test_a_text_that_is_not_utf8_or_has_nothing_is_a_located_error(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00abc")
    result = run_draft(bad, tmp_path / "out", code=1)
    assert re.fullmatch(rf"{re.escape(str(bad))}:1:1: error: not UTF-8 text \(byte 0\)\n",
                        result.stderr)
    empty = tmp_path / "empty.txt"
    empty.write_text("nothing to see here\n", encoding="utf-8")
    result = run_draft(empty, tmp_path / "out2", code=1)
    assert "no candidate facts found" in result.stderr
    assert not (tmp_path / "out2").exists()
