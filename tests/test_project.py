"""A project of several texts: each its own knowledge base, lock and output folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizgen.cli import main
from quizgen.lock import LOCK_NAME, Lock
from quizgen.project import new_text, project_texts
from test_anki import FIXTURE
from test_anki_updates import Member

UPGRADE = Path(__file__).parent / "fixtures" / "upgrade"


def run(*args: str, cwd: Path, code: int = 0):
    import os

    here = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(here)
    assert result.exit_code == code, result.output
    return result


@pytest.fixture
def project(tmp_path) -> Path:
    """Two texts: the fixture KB as `sample`, and a new one from `quizgen new`."""
    shutil.copytree(FIXTURE, tmp_path / "source" / "sample")
    run("new", "transformer-2017", cwd=tmp_path)
    return tmp_path


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_each_text_builds_into_its_own_folder_and_both_decks_import_whole(project, tmp_path):
    result = run("build", cwd=project)
    assert "sample: source/sample → decks/sample" in result.stdout
    assert "transformer-2017: source/transformer-2017 → decks/transformer-2017" in result.stdout
    sample, transformer = project / "decks" / "sample", project / "decks" / "transformer-2017"
    assert (sample / "sample-deck.apkg").is_file()
    assert (transformer / "transformer-2017.apkg").is_file()
    assert Lock.read(sample).deck == "sample-deck"
    assert Lock.read(transformer).deck == "transformer-2017"
    names = {p.name for p in (project / "decks").iterdir()}
    # Nothing shared; at the top only the group's page, which links both.
    assert names == {"sample", "transformer-2017", "index.html"}
    page = (project / "decks" / "index.html").read_text(encoding="utf-8")
    assert 'href="sample/sample-deck.apkg"' in page
    assert 'href="transformer-2017/selftest.html"' in page

    again = run("build", cwd=project)
    assert again.stdout.count("up to date:") == 2
    run("build", "--check", cwd=project)

    member = Member(tmp_path / "member")
    try:
        assert member.import_(sample / "sample-deck.apkg") == (12, 0, 0, 0)
        assert member.import_(transformer / "transformer-2017.apkg") == (8, 0, 0, 0)
        assert member.col.note_count() == 20
        decks = {d.name for d in member.col.decks.all_names_and_ids()}
        assert {"示例卡组", "新卡组"} <= decks
        # Both texts have a fact "example-…"/"perceptron": each deck keeps its own.
        assert len(member.col.find_notes("tag:quizgen::sample-deck::*")) == 12
        assert len(member.col.find_notes("tag:quizgen::transformer-2017::*")) == 8
    finally:
        member.close()


def test_texts_are_built_by_name(project):
    result = run("build", "transformer-2017", cwd=project)
    assert "sample" not in result.stdout
    assert not (project / "decks" / "sample").exists()
    unknown = run("build", "brockman", "transformer", cwd=project, code=1)
    assert unknown.stderr == ("source:1:1: error: no text named 'brockman' (texts: sample, "
                              "transformer-2017)\n")
    run("check", "sample", "transformer-2017", cwd=project)
    one = run("quiz", "--out", "q", cwd=project, code=2)
    assert "2 texts here (sample, transformer-2017): name one" in one.stderr


def test_a_deck_is_never_written_over_another_decks_outputs(project):
    run("build", "sample", cwd=project)
    sample = project / "decks" / "sample"
    before = outputs(sample)
    result = run("build", "source/transformer-2017", "--out", "decks/sample", cwd=project,
                 code=1)
    assert result.stderr == (
        f"decks/sample/{LOCK_NAME}:1:1: error: decks/sample holds the outputs of deck "
        "'sample-deck', not of 'transformer-2017': give this text a folder of its own (--out, "
        f"or a folder per text under source/); if the deck id was changed on purpose, delete "
        f"decks/sample/{LOCK_NAME} (members then get every card anew, without their history)\n")
    assert outputs(sample) == before
    run("build", "source/transformer-2017", "--out", "decks/sample", "--check", cwd=project,
        code=1)


def test_a_lock_of_quizgen_0_1_names_its_deck_too(tmp_path):
    out = tmp_path / "decks"
    out.mkdir()
    shutil.copy(UPGRADE / "quizgen-0.1.0.lock", out / LOCK_NAME)
    assert Lock.read(out).deck == "sample-deck"


def test_two_texts_with_one_deck_id_are_refused(project):
    path = project / "source" / "transformer-2017" / "transformer-2017.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: transformer-2017",
                                                              "id: sample-deck"),
                    encoding="utf-8")
    for command in ("check", "build"):
        result = run(command, cwd=project, code=1)
        assert ("source/transformer-2017: deck id 'sample-deck' is already the id of "
                "source/sample: every text needs its own deck id") in result.stderr


def test_moving_a_one_text_project_into_a_folder_keeps_every_identity(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "source")
    run("build", cwd=tmp_path)
    member = Member(tmp_path / "member")
    try:
        assert member.import_(tmp_path / "decks" / "sample-deck.apkg") == (12, 0, 0, 0)
        member.study(member.col.find_cards(""))
        studied = member.history()
        # The move the README describes.
        (tmp_path / "source" / "sample").mkdir()
        for path in (tmp_path / "source").glob("*.yaml"):
            path.rename(tmp_path / "source" / "sample" / path.name)
        (tmp_path / "decks" / "sample").mkdir()
        for path in (tmp_path / "decks").iterdir():
            if path.is_file():
                path.rename(tmp_path / "decks" / "sample" / path.name)
        result = run("build", cwd=tmp_path)
        assert result.stdout.startswith("up to date: 12 facts, nothing changed")
        assert member.import_(tmp_path / "decks" / "sample" / "sample-deck.apkg") == \
            (0, 0, 12, 0)
        assert member.history() == studied
    finally:
        member.close()


def test_new_writes_a_template_that_checks_clean_and_builds(tmp_path):
    (tmp_path / "source").mkdir()
    result = run("new", "my-text", cwd=tmp_path)
    path = tmp_path / "source" / "my-text" / "my-text.yaml"
    assert result.stdout == (f"wrote source/my-text/my-text.yaml: replace the examples with the "
                             "text's facts, then `quizgen check my-text` and `quizgen build "
                             "my-text`\n")
    text = path.read_text(encoding="utf-8")
    assert "id: my-text" in text and text.count("kind:") == 8
    assert run("check", "--strict", cwd=tmp_path).stdout == \
        "source/my-text: 8 facts in 1 section, 0 errors, 0 warnings\n"
    run("build", cwd=tmp_path)
    assert (tmp_path / "decks" / "my-text" / "my-text.apkg").is_file()
    again = run("new", "my-text", cwd=tmp_path, code=1)
    assert again.stderr == ("source/my-text:1:1: error: already exists: choose another deck "
                            "id\n")
    bad = run("new", "My Text", cwd=tmp_path, code=1)
    assert "a deck id is lower-case letters" in bad.stderr


def test_new_in_a_project_of_one_text_says_how_to_move_it_first(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "source")
    result = run("new", "second", cwd=tmp_path, code=1)
    assert result.stderr.startswith("source:1:1: error: source/ holds one text at its top: "
                                    "give it a folder of its own first")
    assert not (tmp_path / "source" / "second").exists()


def test_new_outside_a_project_starts_one(tmp_path):
    run("new", "first-text", cwd=tmp_path)
    assert [t.name for t in project_texts(tmp_path / "source")] == ["first-text"]
    with pytest.raises(Exception):
        new_text("../escape", tmp_path / "source")


def test_a_filter_that_matches_only_facts_kept_out_of_quizzes_says_so(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "source")
    facts = tmp_path / "source" / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace("    kind: list\n", "    kind: list\n    quiz: false\n"),
                     encoding="utf-8")
    result = run("quiz", "--out", "q", "--kind", "list", cwd=tmp_path, code=1)
    assert "1 fact matches kind list, but all are kept out of quizzes (quiz: false" in \
        result.stderr
