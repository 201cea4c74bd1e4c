"""The quiz files: PDFs read back as text, the HTML, byte-for-byte repeatability, the fonts and
the `quizgen quiz` command."""

from __future__ import annotations

import html
import io
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from quizgen.cli import main
from quizgen.errors import QuizgenError
from quizgen.load import load
from quizgen.pinyin import sort_key
from quizgen.quiz import QuizOptions, render_quiz_set
from quizgen.quiz.document import labels
from quizgen.quiz.fonts import find_cjk_font, has_glyphs
from quizgen.quiz.pdf import FontSet, render_pdf
from test_quiz import INJECTION, is_right, rich_kb

FIXTURE = Path(__file__).parent / "fixtures" / "valid"
CJK_FONT = find_cjk_font()
needs_font = pytest.mark.skipif(CJK_FONT is None, reason="needs a font with Chinese glyphs "
                                "(e.g. apt-get install fonts-noto-cjk)")
OPTIONS = QuizOptions(questions=30, variants=3, seed=7)


def squash(text: str) -> str:
    """Text without whitespace: line breaks fall wherever the layout puts them."""
    return re.sub(r"\s+", "", text)


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def kb():
    return rich_kb()


@pytest.fixture(scope="module")
def rendered(kb):
    return render_quiz_set(kb, OPTIONS)


@pytest.fixture(scope="module")
def quiz_pages(rendered):
    return pdf_pages(rendered.files["quiz.pdf"])


@needs_font
def test_writes_quiz_key_and_glossary_as_pdf_and_html(rendered):
    assert list(rendered.files) == ["quiz.json", "selftest.html", "answers.csv", "quiz.pdf",
                                    "quiz.html", "quiz-key.pdf", "quiz-key.html",
                                    "glossary.pdf", "glossary.html"]
    assert all(data.startswith(b"%PDF-") for name, data in rendered.files.items()
               if name.endswith(".pdf"))
    asked = len(rendered.quiz.questions)
    skipped = len(rendered.quiz.skipped)
    assert asked < OPTIONS.questions and skipped
    assert rendered.notes == [
        f"only {asked} questions can be made from the selected facts (asked for "
        f"{OPTIONS.questions}): a quiz asks each fact once at most, and none that another of "
        "its questions gives away",
        "5 facts yield no question (no good wrong options, or the answer stands in the "
        "question): term-4, work-4, work-5, work-6, claim-2",
        f"{skipped} questions not asked for want of good options or because the answer stands "
        "in the question (`quizgen quiz --review` lists them)"]


@needs_font
def test_pdf_holds_every_question_and_option_in_the_order_of_the_seed(rendered, quiz_pages):
    text = squash("".join(quiz_pages))
    position = 0
    for variant in rendered.quiz.variants:
        position = text.index(squash(f"试卷 {variant.label}"), position)
        for number, item in enumerate(variant.items, 1):
            for part in (f"{number}.{item.question.stem.zh}",
                         *(f"{'ABCD'[i]}.{c.show(item.question.option_lang or 'zh')}"
                           for i, c in enumerate(item.options))):
                found = text.find(squash(part), position)
                assert found >= 0, (variant.label, number, part)
                position = found + len(squash(part))


@needs_font
def test_every_page_has_title_variant_and_number_and_variants_start_new_pages(
        rendered, quiz_pages):
    labels = []
    for text in quiz_pages:
        assert text.startswith("测验 #*_ 示例")
        label = re.search(r"试卷 ([A-Z])", text).group(1)
        page, total = map(int, re.search(r"第 (\d+) 页，共 (\d+) 页", text).groups())
        labels.append((label, page, total))
        # The name and date lines: on the first page of a variant, and on its answer sheet,
        # its last page, which has a row of boxes per question.
        sheet = "答题卡" in text
        assert ("姓名" in text and "日期" in text) == (page == 1 or sheet)
        if sheet:
            assert page == total
            assert re.search(r"1\. A B C D", text)
    per_variant = Counter(label for label, _, _ in labels)
    assert list(per_variant) == ["A", "B", "C"]
    for label, page, total in labels:
        assert total == per_variant[label] and 1 <= page <= total
    assert all(total > 1 for _, _, total in labels)  # so that page breaks were tested


@needs_font
def test_no_question_is_split_across_pages(rendered, quiz_pages):
    pages = [squash(p) for p in quiz_pages]
    for variant in rendered.quiz.variants:
        runs = [p for p in pages if squash(f"试卷 {variant.label}") in p[:40]]
        for number, item in enumerate(variant.items, 1):
            stem = squash(f"{number}.{item.question.stem.zh}")
            page = next(p for p in runs if stem in p)
            tail = page[page.index(stem):]
            for i, choice in enumerate(item.options):
                assert squash(f"{'ABCD'[i]}.{choice.show(item.question.option_lang or 'zh')}") \
                    in tail, (variant.label, number)


@needs_font
def test_answer_key_letters_are_right_balanced_and_explained(kb, rendered):
    text = squash("".join(pdf_pages(rendered.files["quiz-key.pdf"])))
    position = 0
    for variant in rendered.quiz.variants:
        grid = "".join(f"{n}{item.letter}" for n, item in enumerate(variant.items, 1))
        position = text.index(grid, position)
        counts = Counter(item.letter for item in variant.items)
        assert max(counts.values()) - min(counts.values()) <= 1
        for number, item in enumerate(variant.items, 1):
            question = item.question
            assert is_right(kb, question, item.options[item.answer])
            section = kb.section(question.section)
            shown = question.answer.show(question.option_lang or "zh")
            entry = squash(f"{number}.{item.letter}{shown}")
            position = text.index(entry, position)
            position = text.index(squash(f"章节: {section.number}. {section.title.zh}"), position)


@needs_font
def test_all_variants_hold_the_same_questions(rendered, quiz_pages):
    text = squash("".join(quiz_pages))
    stems = Counter(squash(item.question.stem.zh) for v in rendered.quiz.variants
                    for item in v.items)
    assert set(stems.values()) == {3}
    for stem in stems:
        assert text.count(stem) >= 3


@needs_font
def test_markup_characters_print_literally(rendered, quiz_pages):
    literal = squash(INJECTION)
    for name in ("quiz.pdf", "quiz-key.pdf", "glossary.pdf"):
        pages = quiz_pages if name == "quiz.pdf" else pdf_pages(rendered.files[name])
        assert literal in squash("".join(pages)), name
        assert squash("测验 #*_ 示例") in squash(pages[0])
    for name in ("quiz.html", "quiz-key.html", "glossary.html"):
        source = rendered.files[name].decode()
        assert "<l>" not in source and "&lt;l&gt;" in source
        assert INJECTION in html.unescape(source)


def test_html_is_escaped_and_has_print_css(kb):
    result = render_quiz_set(kb, QuizOptions(questions=10, variants=2, seed=1,
                                             font_dirs=()))
    page = result.files["quiz.html"].decode()
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-Hans">' in page
    assert "@media print" in page and "break-inside: avoid" in page
    assert page.count('<section class="run') == 2
    # The title goes into CSS as escapes only: nothing in it can end the <style> element.
    style = page[page.index("<style>"):page.index("</style>")]
    assert "测验" not in style and r"\006d4b\009a8c" in style
    # The quiz itself gives no answer away; the key does.
    assert "章节" not in page and "章节" in result.files["quiz-key.html"].decode()


@pytest.mark.parametrize("lang, stem, label", [
    ("en", "In which year did this happen", "Version A"),
    ("both", "是在哪一年？\nIn which year did this happen", "试卷 Version A"),
])
def test_languages(kb, lang, stem, label):
    result = render_quiz_set(kb, QuizOptions(questions=40, variants=1, lang=lang, seed=2,
                                             kinds=("event",), font_dirs=()))
    page = result.files["quiz.html"].decode()
    assert stem in page and label in page
    assert ('lang="en"' in page) == (lang == "en")


@needs_font
def test_glossary_is_sorted_by_pinyin(kb, rendered):
    text = squash("".join(pdf_pages(rendered.files["glossary.pdf"])))
    terms = sorted((f for f in kb.facts if f.kind == "term"), key=lambda t: sort_key(t.zh))
    positions = [text.index(squash(f"{t.zh}")) for t in terms]
    assert positions == sorted(positions)
    assert "fǎnxiàngchuánbō" in text  # pinyin with tone marks
    assert "backpropagation(BP)" in text


@needs_font
def test_same_seed_same_bytes_across_processes(tmp_path):
    args = ["quiz", str(FIXTURE), "--questions", "8", "--variants", "2", "--seed", "4"]
    subprocess.run([sys.executable, "-m", "quizgen", *args, "--out", str(tmp_path)],
                   check=True, capture_output=True)
    kb = load(FIXTURE).kb
    result = render_quiz_set(kb, QuizOptions.from_deck(kb.deck, questions=8, variants=2,
                                                       seed=4))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(result.files)
    for name, data in result.files.items():
        assert (tmp_path / name).read_bytes() == data, name
    other = render_quiz_set(kb, QuizOptions.from_deck(kb.deck, questions=8, variants=2,
                                                      seed=5))
    assert other.files["quiz.pdf"] != result.files["quiz.pdf"]


def test_without_a_chinese_font_the_html_is_written_and_the_pdf_is_not(kb, tmp_path):
    result = render_quiz_set(kb, QuizOptions(questions=5, variants=1, font_dirs=(tmp_path,)))
    assert sorted(result.files) == ["answers.csv", "glossary.html", "quiz-key.html",
                                    "quiz.html", "quiz.json", "selftest.html"]
    font_notes = [n for n in result.notes if "font" in n]
    assert font_notes == ["no font with Chinese glyphs found, so the PDFs were not written "
                          "(the HTML files were): install one (e.g. `apt-get install "
                          "fonts-noto-cjk`) or pass --font PATH"]


def test_a_font_without_chinese_glyphs_is_refused(kb, tmp_path):
    fake = tmp_path / "latin.ttf"
    fake.write_bytes(b"\x00\x01\x00\x00" + bytes(60))
    assert not has_glyphs(fake, "中")
    with pytest.raises(QuizgenError, match="this font has no Chinese glyphs"):
        render_quiz_set(kb, QuizOptions(questions=5, variants=1, font=fake))


@needs_font
def test_the_font_search_finds_a_chinese_font_in_a_given_folder(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "latin.ttf").write_bytes(b"\x00\x01\x00\x00" + bytes(60))
    (tmp_path / "sub" / "cjk.ttc").symlink_to(CJK_FONT)
    assert find_cjk_font(font_dirs=(tmp_path,)) == tmp_path / "sub" / "cjk.ttc"
    assert find_cjk_font(font_dirs=(tmp_path / "nowhere",)) is None


@needs_font
def test_pdf_embeds_only_the_chosen_chinese_font(rendered):
    reader = pypdf.PdfReader(io.BytesIO(rendered.files["quiz.pdf"]))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    chinese = {n for n in names if "CJK" in n or "SourceHan" in n}
    assert chinese and names - chinese <= {n for n in names if "Libertinus" in n}


@needs_font
def test_pdf_gets_its_chinese_glyphs_where_fonts_cannot_be_linked(kb, monkeypatch):
    def refuse(*args):
        raise OSError("no links here")

    monkeypatch.setattr(os, "symlink", refuse)
    monkeypatch.setattr(os, "link", refuse)
    fonts = FontSet(CJK_FONT)  # the font files are copied instead
    data = {"title": "标题", "lang": "zh", "labels": labels("zh"), "runs": ["术语表"],
            "terms": [{"term": "感知器", "abbr": "", "pinyin": "gǎn zhī qì",
                       "english": "perceptron", "definition": "定义"}]}
    pdf = render_pdf("glossary.typ", data, fonts)
    assert "感知器" in pdf_pages(pdf)[0]
    fonts_used = {str(f.get_object()["/BaseFont"]) for f in
                  pypdf.PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"].values()}
    assert any("CJK" in f or "SourceHan" in f for f in fonts_used)


def test_importing_the_quiz_package_loads_no_renderer():
    code = ("import sys, quizgen.quiz; "
            "print(sorted(m for m in ('typst', 'jinja2', 'pypinyin') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out == "[]\n"


# -- the command line ----------------------------------------------------------------------------

@needs_font
def test_cli_quiz_writes_the_files(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["quiz", str(FIXTURE), "--out", str(out), "-n", "4",
                                       "-k", "2", "--seed", "9"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote 9 files to {out}\n"
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["quiz.json", "selftest.html", "answers.csv", "quiz.pdf", "quiz.html", "quiz-key.pdf",
         "quiz-key.html", "glossary.pdf", "glossary.html"])


def test_cli_quiz_reports_a_filter_that_leaves_nothing(tmp_path):
    result = CliRunner().invoke(main, ["quiz", str(FIXTURE), "--out", str(tmp_path / "o"),
                                       "--kind", "evnt"])
    assert result.exit_code == 1
    assert result.stderr == ("quizgen: error: unknown kind 'evnt' (did you mean 'event'?) "
                             "(kinds: term, list, event, figure, person, work, org, claim)\n")
    assert not (tmp_path / "o").exists()
