"""Pinyin of the KB's terms, pinned: a pypinyin upgrade that changes a reading fails here first."""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizgen.model import HAN
from quizgen.pinyin import (PHRASE_OVERRIDES, pinyin_text, ruby_html, sort_key, syllables,
                            tone_of)

# Terms of the knowledge base (and its neighbourhood), with the readings a dictionary gives.
KB_TERMS = {
    "感知器": "gǎn zhī qì",
    "反向传播": "fǎn xiàng chuán bō",
    "临界质量": "lín jiè zhì liàng",
    "近端策略优化": "jìn duān cè lüè yōu huà",
    "硬编码": "yìng biān mǎ",
    "技术决定论": "jì shù jué dìng lùn",
    "心理史学": "xīn lǐ shǐ xué",
    "摩尔定律": "mó ěr dìng lǜ",
    "反乌托邦": "fǎn wū tuō bāng",
    "自我对弈": "zì wǒ duì yì",
    "可扩展性": "kě kuò zhǎn xìng",
    "泛化": "fàn huà",
    "能力": "néng lì",
    "通用人工智能": "tōng yòng rén gōng zhì néng",
    "强化学习": "qiáng huà xué xí",
    "神经网络": "shén jīng wǎng luò",
    "前馈神经网络": "qián kuì shén jīng wǎng luò",
    "线性分类器": "xiàn xìng fēn lèi qì",
    "大语言模型": "dà yǔ yán mó xíng",
    "对齐": "duì qí",
    "奇点": "qí diǎn",
    "梯度下降": "tī dù xià jiàng",
    "人工智能生成内容": "rén gōng zhì néng shēng chéng nèi róng",
    "二元线性分类器": "èr yuán xiàn xìng fēn lèi qì",
    "心理学史": "xīn lǐ xué shǐ",
    "语音识别": "yǔ yīn shí bié",
    "机器翻译": "jī qì fān yì",
    "计算机视觉": "jì suàn jī shì jué",
    "超级智能": "chāo jí zhì néng",
    "假新闻": "jiǎ xīn wén",
    "聊天机器人": "liáo tiān jī qì rén",
    "无监督模型": "wú jiān dū mó xíng",
    "分布式泛化": "fēn bù shì fàn huà",
    "策略梯度": "cè lüè tī dù",
    "自训练": "zì xùn liàn",
    "微调": "wēi tiáo",  # by the project's override table
    "AI 寒冬": "hán dōng",
    "GPT-20": "",
}

# The same character, read differently by the word around it.
HETERONYMS = {
    "重要": "zhòng yào",
    "重新": "chóng xīn",
    "长期": "cháng qī",
    "成长": "chéng zhǎng",
    "银行": "yín háng",
    "行为": "xíng wéi",
    "强化": "qiáng huà",
    "勉强": "miǎn qiǎng",
    "调整": "tiáo zhěng",
    "调查": "diào chá",
    "种类": "zhǒng lèi",
    "种植": "zhòng zhí",
    "还是": "hái shì",
    "还原": "huán yuán",
    "模型": "mó xíng",
    "模样": "mú yàng",
    "数量": "shù liàng",
    "测量": "cè liáng",
}


@pytest.mark.parametrize(("word", "reading"), sorted(KB_TERMS.items()))
def test_kb_terms(word, reading):
    assert pinyin_text(word) == reading


@pytest.mark.parametrize(("word", "reading"), sorted(HETERONYMS.items()))
def test_phrase_context_picks_the_reading(word, reading):
    assert pinyin_text(word) == reading


@pytest.mark.parametrize(("word", "reading"), sorted(PHRASE_OVERRIDES.items()))
def test_project_overrides_apply_alone_and_inside_longer_text(word, reading):
    assert pinyin_text(word) == reading
    assert pinyin_text(f"这个{word}") == f"zhè ge {reading}"
    assert len(reading.split()) == len(word)


def test_an_override_table_entry_fixes_a_real_mistake():
    assert PHRASE_OVERRIDES["东西"] == "dōng xi"
    assert pinyin_text("东西南北") == "dōng xī nán běi"  # the compass points keep their tone


def test_ruby_html():
    assert ruby_html("感知器") == (
        '<ruby class="tone3">感<rt>gǎn</rt></ruby>'
        '<ruby class="tone1">知<rt>zhī</rt></ruby>'
        '<ruby class="tone4">器<rt>qì</rt></ruby>')


def test_neutral_tone_is_tone5():
    assert ruby_html("东西") == ('<ruby class="tone1">东<rt>dōng</rt></ruby>'
                                 '<ruby class="tone5">西<rt>xi</rt></ruby>')


def test_non_chinese_text_gets_no_ruby_and_is_escaped():
    assert ruby_html("GPT-1 <发布> & a") == (
        'GPT-1 &lt;<ruby class="tone1">发<rt>fā</rt></ruby>'
        '<ruby class="tone4">布<rt>bù</rt></ruby>&gt; &amp; a')
    assert pinyin_text("OpenAI 成立") == "chéng lì"


def test_the_terms_own_override_wins():
    assert pinyin_text("重要", "chóng yào") == "chóng yào"
    assert ruby_html("重要", "chóng yào").startswith('<ruby class="tone2">重<rt>chóng</rt>')
    # Syllables go to the Chinese characters only, in order.
    assert [(s.char, s.pinyin) for s in syllables("A重B要", "zhòng yào")] == [
        ("A", None), ("重", "zhòng"), ("B", None), ("要", "yào")]


def test_a_short_override_leaves_the_rest_without_ruby():
    assert ruby_html("反向传播", "fǎn xiàng") == (
        '<ruby class="tone3">反<rt>fǎn</rt></ruby><ruby class="tone4">向<rt>xiàng</rt></ruby>传播')


def test_characters_without_a_reading_get_no_ruby():
    rare = "\U0002a6d6"  # in the CJK extension B block, unknown to pypinyin
    assert [s.pinyin for s in syllables(f"好{rare}")] == ["hǎo", None]
    assert ruby_html(rare) == rare


def test_compatibility_ideographs_are_normalised():
    assert pinyin_text("\uf900") == "qǐ"  # U+F900 is U+8C48 豈


def test_tone_of():
    assert [tone_of(s) for s in ("ā", "lüè", "mǎ", "lǜ", "de", "Ā")] == [1, 4, 3, 4, 5, 1]


def test_sort_key_orders_by_pinyin():
    words = ["重新", "阿", "长期", "吧", "爸"]
    assert sorted(words, key=sort_key) == ["阿", "爸", "吧", "长期", "重新"]
    assert sort_key("abc") < sort_key("abd")


COMMON = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过"


@given(st.text(alphabet=st.sampled_from(COMMON + "ab <>&\"'1-·《》，。"), max_size=30))
def test_one_ruby_per_chinese_character_and_the_text_survives(text):
    rendered = ruby_html(text)
    assert rendered.count("<ruby") == len(HAN.findall(text))
    assert all(s.pinyin for s in syllables(text) if HAN.fullmatch(s.char))
    assert not any(s.pinyin for s in syllables(text) if not HAN.fullmatch(s.char))
    shown = html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<rt>.*?</rt>", "", rendered)))
    assert shown == unicodedata.normalize("NFC", text)
    assert len(pinyin_text(text).split()) == len(HAN.findall(text))


def test_readings_are_remembered_across_processes(tmp_path):
    """The second process gives the same pinyin without loading pypinyin's dictionaries; a
    damaged cache file is read afresh, never trusted."""
    import json
    import os
    import subprocess
    import sys

    code = ("import sys; from quizgen.pinyin import ruby_html, pinyin_text; "
            "print(ruby_html('反向传播'), pinyin_text('东西与朋友'), 'pypinyin' in sys.modules)")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}

    def run() -> list[str]:
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, check=True).stdout
        return out.rsplit(" ", 1)

    first, loaded = run()
    assert loaded.strip() == "True"
    (cache,) = (tmp_path / "quizgen").glob("pinyin-*.json")
    assert json.loads(cache.read_text(encoding="utf-8"))["东西与朋友"] == [
        "dōng", "xi", "yǔ", "péng", "you"]
    second, loaded = run()
    assert (second, loaded.strip()) == (first, "False")
    assert 'class="tone3">反<rt>fǎn</rt>' in first and "dōng xi yǔ péng you" in first

    cache.write_text('{"东西与朋友": ["x"], "反向传播": 7}', encoding="utf-8")
    third, loaded = run()
    assert (third, loaded.strip()) == (first, "True")


# -- the field's words, and readings to confirm --------------------------------------------------

FIELD_WORDS = Path(__file__).parent / "fixtures" / "pinyin"


def _word_list(name: str) -> list[tuple[str, str]]:
    lines = (FIELD_WORDS / name).read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t")) for line in lines if line.strip() and not line.startswith("#")]


def test_the_field_dictionary_is_well_formed():
    from quizgen.hanzi import HAN
    from quizgen.pinyin import field_phrases, written_syllable

    words = field_phrases()
    assert len(words) > 300
    for word, reading in words.items():
        parts = reading.split()
        assert len(parts) == len(HAN.findall(word)) == len(word), word
        assert all(written_syllable(p) == p for p in parts), word


@pytest.mark.parametrize("name", ["field-words.tsv", "heldout-b.tsv", "heldout-c.tsv"])
def test_technical_words_read_right(name):
    """bench/bench_pinyin.py prints the same figure with the words it gets wrong."""
    words = _word_list(name)
    wrong = [(w, pinyin_text(w), want) for w, want in words
             if pinyin_text(w) != unicodedata.normalize("NFC", want)]
    assert len(wrong) <= len(words) * 0.02, wrong


def test_overrides_take_tone_numbers_and_any_normal_form():
    from quizgen.pinyin import written_syllable

    assert written_syllable("gan3") == "gǎn"
    assert written_syllable("lv4") == written_syllable("lü4") == "lǜ"
    assert written_syllable(unicodedata.normalize("NFD", "lǜ")) == "lǜ"
    assert written_syllable("zi5") == "zi"
    assert written_syllable("xyz") is None and written_syllable("gan9") is None
    assert pinyin_text("感知器", "gan3 zhi1 qi4") == "gǎn zhī qì"


def test_the_kbs_readings_to_confirm_are_pinned():
    """Regenerate after a deliberate change: quizgen pinyin brockman >
    tests/fixtures/pinyin/brockman-readings.txt"""
    from click.testing import CliRunner

    from quizgen.cli import main

    root = Path(__file__).parent.parent
    import os

    here = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(main, ["pinyin", "brockman"], catch_exceptions=False)
    finally:
        os.chdir(here)
    assert result.exit_code == 0
    assert result.stdout == (FIELD_WORDS / "brockman-readings.txt").read_text(encoding="utf-8")


def test_the_syllable_list_is_pypinyins():
    from pypinyin.contrib.tone_convert import to_normal
    from pypinyin.pinyin_dict import pinyin_dict

    from quizgen.hanzi import mandarin_syllables

    readings = {r for value in pinyin_dict.values() for r in value.split(",")}
    assert mandarin_syllables() == {to_normal(r) for r in readings}


def test_pinyin_lists_an_override_no_dictionary_has(tmp_path):
    from click.testing import CliRunner

    from quizgen.cli import main

    kb = tmp_path / "kb.yaml"
    kb.write_text(
        "deck: {id: p, title: {zh: 拼音, en: Pinyin}}\n"
        "sections: [{id: s, number: 1, title: {zh: 一, en: One}}]\n"
        "facts:\n"
        "  - {id: t, kind: term, section: s, zh: 感知器, en: perceptron, pinyin: gan3 zhi1 qu4,\n"
        "     definition: {zh: 模型, en: a model}}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["pinyin", str(kb)], catch_exceptions=False)
    assert f"{kb}:4:62: 感知器: its pinyin gives 器 'qù', a reading no dictionary has for it (qì): check it" \
        in result.stdout
