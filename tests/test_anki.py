"""The Anki deck, checked in real Anki: built .apkg files are imported with Anki's own importer
(the `anki` package from PyPI) and default import options, then rendered and re-imported."""

from __future__ import annotations

import hashlib
import html
import io
import re
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import genanki
import pytest
from anki.collection import Collection, ImportAnkiPackageRequest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen import anki as deck
from quizgen.errors import QuizgenError
from quizgen.load import load
from quizgen.model import Deck, KnowledgeBase, ListFact, ListItem, Section, Text
from quizgen.wording import event_date, figure_value

FIXTURE = Path(__file__).parent / "fixtures" / "valid"
T0 = 1_700_000_000  # the fixture's facts were last changed then
TOP = "示例卡组"
BASICS = f"{TOP}::01 基础"
HISTORY = f"{TOP}::02 历史"

# (notes, cards) per note type for the fixture KB.
FIXTURE_COUNTS = {
    "quizgen term": (3, 6),
    "quizgen list": (1, 4),  # 3 items + the whole list
    "quizgen event": (3, 6),
    "quizgen figure": (1, 1),  # no "what does this number measure?" card
    "quizgen person": (1, 2),
    "quizgen work": (1, 2),
    "quizgen org": (1, 2),
    "quizgen claim": (1, 1),
}


# -- helpers ------------------------------------------------------------------------------------

def kb_copy(tmp_path: Path, *edits: tuple[str, str], name: str = "kb") -> KnowledgeBase:
    """The fixture KB copied to tmp_path, with text replacements applied to its YAML."""
    root = tmp_path / name
    shutil.copytree(FIXTURE, root)
    for old, new in edits:
        for path in root.glob("*.yaml"):
            text = path.read_text(encoding="utf-8")
            if old in text:
                path.write_text(text.replace(old, new, 1), encoding="utf-8")
                break
        else:
            raise AssertionError(f"not in the fixture: {old!r}")
    return load(root).kb


def stamped(kb: KnowledgeBase, t: int = T0, **overrides: int) -> dict[str, int]:
    return {fact.id: overrides.get(fact.id.replace("-", "_"), t) for fact in kb.facts}


def new_collection(path: Path) -> Collection:
    path.parent.mkdir(parents=True, exist_ok=True)
    return Collection(str(path))


def import_apkg(col: Collection, data: bytes, path: Path):
    """Import like a user would: Anki's own importer with the options its import screen
    starts with (update notes and note types if newer, no merging, no scheduling)."""
    path.write_bytes(data)
    options = col._backend.get_import_anki_package_presets()
    assert (options.update_notes, options.update_notetypes, options.merge_notetypes,
            options.with_scheduling) == (0, 0, False, False)  # 0 = IF_NEWER
    return col.import_anki_package(
        ImportAnkiPackageRequest(package_path=str(path), options=options)).log


def notetype(col: Collection, name: str) -> dict:
    # The Python side caches note types and an import does not tell it: read them afresh.
    col.models._clear_cache()
    return col.models.by_name(name)


def visible(rendered: str) -> str:
    """What a card shows, as text: no CSS, ruby readings dropped, tags removed, unescaped."""
    text = re.sub(r"<style>.*?</style>", "", rendered, flags=re.S)
    text = re.sub(r"<rt>.*?</rt>", "", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def note_of(col: Collection, fact_id: str, kind: str, kb_deck: str = "sample-deck"):
    # GUIDs use Anki's base91 alphabet, which its search syntax would parse: ask the database.
    guid = deck.note_guid(kb_deck, fact_id, kind)
    nids = col.db.list("select id from notes where guid = ?", guid)
    assert len(nids) == 1, (fact_id, nids)
    return col.get_note(nids[0])


def cards_of(col: Collection, note) -> list:
    return sorted((col.get_card(cid) for cid in note.card_ids()), key=lambda c: c.ord)


# -- fixtures -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fixture_kb() -> KnowledgeBase:
    return load(FIXTURE).kb


@pytest.fixture(scope="module")
def imported(tmp_path_factory, fixture_kb):
    """The fixture deck imported into a fresh collection; read-only for the tests using it."""
    root = tmp_path_factory.mktemp("imported")
    col = new_collection(root / "col" / "c.anki2")
    log = import_apkg(col, deck.build_apkg(fixture_kb, stamped(fixture_kb)), root / "deck.apkg")
    assert len(log.new) == 12
    yield col
    col.close()


# -- frozen identity ----------------------------------------------------------------------------

def test_note_types_are_frozen():
    """Members' collections hold these. Fields and card types are only ever appended (then the
    build reports the one-time "Merge note types"); nothing is renamed, removed or moved."""
    frozen = {
        kind: (nt.model_id, nt.name, nt.fields, tuple(name for name, _ in nt.templates), nt.cloze)
        for kind, nt in deck.NOTE_TYPES.items()
    }
    tail = ("ExplanationZh", "ExplanationEn", "Section", "Lead")
    v1 = {kind: nt.fields[:len(deck.LEGACY_FIELDS[kind])] for kind, nt in deck.NOTE_TYPES.items()}
    assert v1 == deck.LEGACY_FIELDS  # quizgen 0.1's fields, still first and in order
    tail += ("Reverse", "Extra")  # appended in 0.2 to the two-way note types
    named = ("NameZh", "NameEn", "TypeZh", "TypeEn", "RoleZh", "RoleEn", "WhyZh", "WhyEn") + tail
    named_templates = ("Name → description", "Description → name")
    assert frozen == {
        "term": (1582049534, "quizgen term",
                 ("Chinese", "Pinyin", "Ruby", "English", "Abbr", "DefinitionZh", "DefinitionEn")
                 + tail, ("Chinese → English", "English → Chinese"), False),
        "list": (1476885438, "quizgen list",
                 ("Text", "PromptZh", "PromptEn", "ItemNotes") + tail[:4] + ("Extra",),
                 ("Cloze",), True),
        "event": (1447172116, "quizgen event", ("WhatZh", "WhatEn", "WhenZh", "WhenEn") + tail,
                  ("Event → date", "Date → event"), False),
        "figure": (1460587859, "quizgen figure",
                   ("MeasuresZh", "MeasuresEn", "ValueZh", "ValueEn") + tail,
                   ("Measure → figure", "Figure → measure"), False),
        "person": (1301212540, "quizgen person", named, named_templates, False),
        "work": (1217708097, "quizgen work", named, named_templates, False),
        "org": (1832650011, "quizgen org", named, named_templates, False),
        "claim": (1754374524, "quizgen claim",
                  ("QuestionZh", "QuestionEn", "AnswerZh", "AnswerEn", "Speaker") + tail[:4]
                  + ("Extra",),
                  ("Question → answer",), False),
    }
    assert deck.MODEL_IDS == {kind: v[0] for kind, v in frozen.items()}
    assert deck.LEGACY_MTIME == 1795562527  # what members' 0.1 note types carry


def test_deck_ids_are_a_pinned_hash_of_kb_deck_and_section():
    def derived(key: str) -> int:
        digest = hashlib.sha256(f"quizgen deck\x1f{key}".encode()).digest()
        return (1 << 32) + int.from_bytes(digest[:5], "big")

    assert deck.deck_id("sample-deck") == derived("sample-deck") == 334853924277
    assert deck.deck_id("sample-deck", "basics") == derived("sample-deck\x1fbasics")
    assert deck.deck_id("sample-deck", "basics") == 172374928045
    assert deck.deck_id("sample-deck", "history") == derived("sample-deck\x1fhistory")
    assert deck.deck_id("sample-deck", "history") == 422826027576
    assert {n.deck_id for n in deck.notes(load(FIXTURE).kb, now=T0)} == {172374928045, 422826027576}


def test_guid_comes_from_deck_fact_and_kind_not_text(tmp_path, fixture_kb):
    edited = kb_copy(tmp_path, ("en: perceptron", "en: the perceptron"))
    before = {n.fact_id: n for n in deck.notes(fixture_kb, now=T0)}
    after = {n.fact_id: n for n in deck.notes(edited, now=T0)}
    assert before["perceptron"].guid == genanki.guid_for("sample-deck", "perceptron", "term")
    assert before["perceptron"].fields != after["perceptron"].fields
    assert {k: n.guid for k, n in before.items()} == {k: n.guid for k, n in after.items()}
    assert len({n.guid for n in before.values()}) == len(before)


def digests(kb: KnowledgeBase) -> dict[str, str]:
    return {note.fact_id: note.digest for note in deck.notes(kb, now=0)}


def test_digests_move_when_a_note_would_change(tmp_path, fixture_kb):
    before = digests(fixture_kb)
    assert digests(load(FIXTURE).kb) == before
    edited = digests(kb_copy(tmp_path, ("en: perceptron", "en: the perceptron")))
    assert {k for k in before if before[k] != edited[k]} == {"perceptron"}
    # Retitling a section or the deck changes no note: cards show their subdeck instead.
    renamed = digests(kb_copy(tmp_path, ("{zh: 历史, en: History}", "{zh: 历史, en: Past}"),
                              ("title: {zh: 示例卡组", "title: {zh: 新卡组"), name="renamed"))
    assert renamed == before


def test_facts_without_an_mtime_get_the_current_time(fixture_kb):
    built = deck.notes(fixture_kb, {"perceptron": 5}, now=T0)
    assert {n.fact_id: n.mtime for n in built}["perceptron"] == 5
    assert {n.mtime for n in built if n.fact_id != "perceptron"} == {T0}


# -- what Anki shows ----------------------------------------------------------------------------

def test_note_and_card_counts_per_kind(imported):
    counts = {}
    for name in FIXTURE_COUNTS:
        query = f'"note:{name}"'
        counts[name] = (len(imported.find_notes(query)), len(imported.find_cards(query)))
    assert counts == FIXTURE_COUNTS
    assert imported.note_count() == 12
    assert imported.card_count() == 24


def test_every_card_renders_a_question_and_a_different_answer(imported):
    for cid in imported.find_cards(""):
        card = imported.get_card(cid)
        question, answer = visible(card.question()), visible(card.answer())
        assert question and answer, (card.note_type()["name"], card.ord)
        assert question != answer
        assert "front of this card is blank" not in question.lower()


def test_term_answers_show_tone_coloured_ruby(imported):
    note = note_of(imported, "perceptron", "term")
    zh_en, en_zh = cards_of(imported, note)
    ruby = ('<ruby class="tone3">感<rt>gǎn</rt></ruby><ruby class="tone1">知<rt>zhī</rt></ruby>'
            '<ruby class="tone4">器<rt>qì</rt></ruby>')
    assert "<ruby" not in zh_en.question() and "感知器" in visible(zh_en.question())
    assert ruby in zh_en.answer() and ruby in en_zh.answer()
    assert "<ruby" not in en_zh.question() and "感知器" not in visible(en_zh.question())
    assert "perceptron" in visible(en_zh.question())
    assert "perceptron" in visible(zh_en.answer())
    assert note["Pinyin"] == "gǎn zhī qì"
    # The KB's own reading wins.
    backprop = note_of(imported, "backprop", "term")
    assert backprop["Pinyin"] == "fǎn xiàng chuán bō"
    assert '<ruby class="tone3">反<rt>fǎn</rt></ruby>' in backprop["Ruby"]


def test_colours_live_in_the_note_type_css(imported):
    css = notetype(imported, "quizgen term")["css"]
    for tone in range(1, 6):
        assert re.search(rf"\.tone{tone}\s*\{{\s*color:", css)
        assert f".nightMode .tone{tone}" in css and f".night_mode .tone{tone}" in css
    for nid in imported.find_notes(""):
        for value in imported.get_note(nid).fields:
            assert "style=" not in value and "color" not in value


def test_subdecks_per_section_and_tags(imported):
    names = {d.name for d in imported.decks.all_names_and_ids()}
    assert {TOP, BASICS, HISTORY} <= names
    for nid in imported.find_notes(""):
        assert imported.get_note(nid)["Section"] == ""  # the subdeck says it (footer test)
    assert set(note_of(imported, "perceptron", "term").tags) == {
        "quizgen::sample-deck::kind::term", "quizgen::sample-deck::section::basics",
        "quizgen::sample-deck::id::perceptron", "quizgen::sample-deck::tag::neural-networks"}
    assert set(note_of(imported, "openai", "org").tags) == {
        "quizgen::sample-deck::kind::org", "quizgen::sample-deck::section::history",
        "quizgen::sample-deck::id::openai"}
    assert len(imported.find_notes("tag:quizgen::sample-deck::id::openai")) == 1
    assert len(imported.find_notes("tag:quizgen::sample-deck::kind::event")) == 3
    history = imported.find_cards("tag:quizgen::sample-deck::section::history")
    assert {imported.decks.name(imported.get_card(c).did) for c in history} == {HISTORY}
    basics = imported.find_cards("tag:quizgen::sample-deck::section::basics")
    assert {imported.decks.name(imported.get_card(c).did) for c in basics} == {BASICS}
    assert len(imported.find_notes("tag:quizgen::sample-deck::section::history")) == 5
    assert set(imported.find_notes("tag:quizgen::sample-deck::*")) == set(
        imported.find_notes(""))


def test_answers_show_explanation_and_section(imported):
    for cid in imported.find_cards(""):
        card = imported.get_card(cid)
        subdeck = imported.decks.name(card.did).split("::")[-1]
        assert visible(card.answer()).endswith(subdeck)
    ppo = note_of(imported, "ppo", "term")
    for card in cards_of(imported, ppo):
        answer = visible(card.answer())
        assert "Dota 项目大规模运行了它" in answer and "The Dota project ran it" in answer
        assert "Dota 项目" not in visible(card.question())


def test_kind_specific_questions(imported):
    def texts(fact_id, kind):
        return [(visible(c.question()), visible(c.answer()))
                for c in cards_of(imported, note_of(imported, fact_id, kind))]

    (when_q, when_a), (what_q, what_a) = texts("backprop-proposed", "event")
    assert "When was this?" in when_q and "1986" not in when_q and "1986" in when_a
    assert "1986" in what_q and "What happened?" in what_q
    assert "proposed" not in what_q and "backpropagation is proposed" in what_a
    (_, month_a), _ = texts("gpt-1-release", "event")
    assert "2018 年 6 月" in month_a and "June 2018" in month_a
    ((value_q, value_a),) = texts("compute-growth", "figure")
    assert "300,000" not in value_q and "over 300,000 times" in value_a
    assert "超过 300,000 倍" in value_a
    (name_q, name_a), (who_q, who_a) = texts("brockman", "person")
    assert "Greg Brockman" in name_q and "co-founder of OpenAI" in name_a
    assert "Brockman" not in who_q and "Greg Brockman" in who_a
    (work_q, work_a), _ = texts("her", "work")
    assert "What is this work?" in work_q and "film" in work_a
    ((claim_q, claim_a),) = texts("first-question", "claim")
    assert "— Greg Brockman" in claim_q and "How to keep the world" in claim_a
    assert "How to keep the world" not in claim_q
    # A name written the same in both languages is shown once.
    ((org_q, _), _) = texts("openai", "org")
    assert org_q.count("OpenAI") == 1


def test_list_cards_one_per_item_and_one_for_the_whole_list(imported):
    cards = cards_of(imported, note_of(imported, "dl-properties", "list"))
    assert [c.ord for c in cards] == [0, 1, 2, 3]
    whole = visible(cards[0].question())
    assert "All of them" in whole and "3 items, in order" in whole
    assert not {"泛化", "能力", "可扩展性"} & set(whole.split())
    assert re.search("泛化.*能力.*可扩展性", visible(cards[0].answer()))
    for card, hidden in zip(cards[1:], ("泛化", "能力", "可扩展性")):
        question = visible(card.question())
        assert hidden not in question and "[...]" in question
        assert "All of them" not in question
        assert hidden in visible(card.answer())


def test_the_deck_lang_decides_which_language_leads(tmp_path):
    kb = kb_copy(tmp_path, ("  lang: zh\n  quiz:", "  lang: en\n  quiz:"))
    built = deck.notes(kb, now=T0)
    assert {n.fields["Lead"] for n in built} == {"en"}
    assert {n.deck_name for n in built} == {"Sample deck::01 Basics", "Sample deck::02 History"}
    assert "lead-{{Lead}}" in deck.card_templates("term")[0]["qfmt"]


def test_dates_and_figures_read_naturally():
    from quizgen.model import Event, Figure

    def event(**kw):
        return Event(kind="event", id="e", section="s", what=Text(zh="事", en="thing"), **kw)

    def figure(**kw):
        return Figure(kind="figure", id="f", section="s", measures=Text(zh="量", en="amount"),
                      **kw)

    assert event_date(event(year=1986)) == Text(zh="1986 年", en="1986")
    assert event_date(event(year=1980, decade=True)) == Text(zh="1980 年代", en="the 1980s")
    assert event_date(event(year=2018, month=6)) == Text(zh="2018 年 6 月", en="June 2018")
    assert event_date(event(year=2018, month=6, day=11)) == Text(zh="2018 年 6 月 11 日",
                                                                 en="11 June 2018")
    times = Text(zh="倍", en="times")
    assert figure_value(figure(value=300000, qualifier="over", unit=times)) == Text(
        zh="超过 300,000 倍", en="over 300,000 times")
    assert figure_value(figure(value=5, upto=10, qualifier="about", unit=Text(
        zh="人", en="people"))) == Text(zh="约 5–10 人", en="about 5–10 people")
    assert figure_value(figure(value=0.5, unit=Text(zh="%", en="%"))) == Text(
        zh="0.5%", en="0.5%")


# -- the update story ---------------------------------------------------------------------------

def test_edit_rebuild_reimport_updates_in_place_and_keeps_history(tmp_path, fixture_kb):
    col = new_collection(tmp_path / "col" / "c.anki2")
    try:
        first = deck.build_apkg(fixture_kb, stamped(fixture_kb))
        log = import_apkg(col, first, tmp_path / "1.apkg")
        assert len(log.new) == 12
        note = note_of(col, "perceptron", "term")
        card = cards_of(col, note)[0]
        card.start_timer()
        col.sched.answerCard(card, 4)  # Easy: graduates to a review card with an interval
        card.load()
        reviewed = (card.id, card.type, card.queue, card.due, card.ivl, card.factor)
        assert card.ivl > 0
        revlog = col.db.all("select id, cid, ease, ivl from revlog")
        assert [row[1] for row in revlog] == [card.id]

        # Unchanged rebuild: nothing added, nothing updated.
        rebuilt = deck.build_apkg(load(FIXTURE).kb, stamped(fixture_kb))
        log = import_apkg(col, rebuilt, tmp_path / "2.apkg")
        assert (len(log.new), len(log.updated), len(log.duplicate)) == (0, 0, 12)

        # Edit the fact's text; the build moves its mtime forward.
        edited = kb_copy(tmp_path, ("en: perceptron", "en: the perceptron (Rosenblatt)"))
        # A fixed timestamp would silently skip the edit: Anki keeps its newer-or-equal note.
        log = import_apkg(col, deck.build_apkg(edited, stamped(edited)), tmp_path / "3.apkg")
        assert len(log.updated) == 0
        assert note_of(col, "perceptron", "term")["English"] == "perceptron"

        log = import_apkg(col, deck.build_apkg(edited, stamped(edited, perceptron=T0 + 60)),
                          tmp_path / "4.apkg")
        assert (len(log.new), len(log.updated), len(log.duplicate)) == (0, 1, 11)
        updated = note_of(col, "perceptron", "term")
        assert updated.id == note.id
        assert updated.mod == T0 + 60  # Anki keeps the incoming time: the next edit wins again
        assert updated["English"] == "the perceptron (Rosenblatt)"
        assert "the perceptron (Rosenblatt)" in visible(cards_of(col, updated)[0].answer())
        assert col.note_count() == 12 and col.card_count() == 24
        card = col.get_card(reviewed[0])
        assert (card.id, card.type, card.queue, card.due, card.ivl, card.factor) == reviewed
        assert col.db.all("select id, cid, ease, ivl from revlog") == revlog
    finally:
        col.close()


def test_items_added_to_a_list_keep_the_whole_list_card(tmp_path, fixture_kb):
    col = new_collection(tmp_path / "col" / "c.anki2")
    try:
        import_apkg(col, deck.build_apkg(fixture_kb, stamped(fixture_kb)), tmp_path / "1.apkg")
        before = [c.id for c in cards_of(col, note_of(col, "dl-properties", "list"))]
        edited = kb_copy(tmp_path, ("      - {zh: 可扩展性, en: scalability}\n",
                                    "      - {zh: 可扩展性, en: scalability}\n"
                                    "      - {zh: 效率, en: efficiency, explanation: "
                                    "{zh: 用更少的算力, en: with less compute}}\n"))
        log = import_apkg(col, deck.build_apkg(edited, stamped(edited, dl_properties=T0 + 60)),
                          tmp_path / "2.apkg")
        assert (len(log.new), len(log.updated)) == (0, 1)
        cards = cards_of(col, note_of(col, "dl-properties", "list"))
        assert [c.id for c in cards[:4]] == before and len(cards) == 5
        assert "4 items" in visible(cards[0].question())
        assert "效率" not in visible(cards[4].question()) and "效率" in visible(cards[4].answer())
        for card in cards:  # an item's own note: on every back, on no front
            assert "with less compute" in visible(card.answer())
            question = card.question()
            assert "with less compute" not in visible(question) or (
                re.search(r'<span class="item-note">.*with less compute', question)
                and '<div class="items asking">' in question)  # there, hidden by the CSS
        assert "with less compute" not in visible(cards[4].question())  # its own card hides it
        css = notetype(col, "quizgen list")["css"]
        assert re.search(r"\.asking \.item-note \{\s*display: none;", css)
    finally:
        col.close()


def test_note_types_update_when_their_mtime_moves(tmp_path, fixture_kb, monkeypatch):
    col = new_collection(tmp_path / "col" / "c.anki2")
    try:
        import_apkg(col, deck.build_apkg(fixture_kb, stamped(fixture_kb)), tmp_path / "1.apkg")
        restyled = deck.card_css() + "\n/* restyled */\n"
        monkeypatch.setattr(deck.model("term"), "css", restyled)
        built = deck.notes(fixture_kb, stamped(fixture_kb))
        first = deck.package(fixture_kb, built)  # what build_apkg gives every note type
        import_apkg(col, first, tmp_path / "2.apkg")
        assert "restyled" not in notetype(col, "quizgen term")["css"]  # same mtime: kept
        later = {"term": deck.LEGACY_MTIME + 2}
        import_apkg(col, deck.package(fixture_kb, built, later), tmp_path / "3.apkg")
        term = notetype(col, "quizgen term")
        assert term["id"] == deck.MODEL_IDS["term"] and "restyled" in term["css"]
        ours = [m.name for m in col.models.all_names_and_ids() if m.name.startswith("quizgen")]
        assert len(ours) == 8  # updated in place, not forked
    finally:
        col.close()


# -- escaping -----------------------------------------------------------------------------------

HOSTILE = "<script>alert(1)</script> a & b {{c1::x}} y::z }}"


def test_kb_text_is_escaped_everywhere(tmp_path):
    kb = kb_copy(
        tmp_path,
        ("en: perceptron", f"en: '{HOSTILE}'"),
        ("      - {zh: 能力, en: competence}", f"      - {{zh: '能力 {HOSTILE}', en: '{HOSTILE}'}}"),
        ("what: {zh: OpenAI 成立, en: OpenAI is founded}",
         f"what: {{zh: 'OpenAI 成立 a & b', en: '{HOSTILE}'}}"),
    )
    col = new_collection(tmp_path / "col" / "c.anki2")
    try:
        import_apkg(col, deck.build_apkg(kb, stamped(kb)), tmp_path / "x.apkg")
        assert col.card_count() == 24  # no stray cloze deletion from the KB text
        rendered = []
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            rendered += [card.question(), card.answer()]
        joined = "\n".join(rendered)
        assert "<script>" not in joined and "&lt;script&gt;" in joined
        assert "a &amp; b" in joined
        perceptron = cards_of(col, note_of(col, "perceptron", "term"))
        assert HOSTILE in visible(perceptron[0].answer())
        event = cards_of(col, note_of(col, "openai-founded", "event"))
        assert HOSTILE in visible(event[0].question()) and "a & b" in visible(event[0].question())
        items = cards_of(col, note_of(col, "dl-properties", "list"))
        assert len(items) == 4
        assert HOSTILE in visible(items[1].question())  # another item's card shows it whole
        assert HOSTILE not in visible(items[2].question())  # its own card hides it
        assert HOSTILE in visible(items[2].answer())
    finally:
        col.close()


def _one_list_kb(items: list[str]) -> KnowledgeBase:
    return KnowledgeBase(
        deck=Deck(id="d", title=Text(zh="卡组", en="Deck")),
        sections=[Section(id="s", number=1, title=Text(zh="部分", en="Part"))],
        facts=[ListFact(kind="list", id="l", section="s", prompt=Text(zh="清单", en="list"),
                        items=[ListItem(zh=f"项{i}", en=text) for i, text in enumerate(items)])])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=1).filter(lambda s: s.strip()), min_size=1, max_size=4))
def test_cloze_field_has_exactly_its_own_deletions(items):
    (note,) = deck.notes(_one_list_kb(items), now=T0)
    text = note.fields["Text"]
    openings = re.findall(r"\{\{c(\d+)::", text)
    assert openings == [str(n) for n in range(1, len(items) + 2)]
    assert text.count("}}") == len(items) + 1
    assert "\x1f" not in "".join(note.field_list())  # Anki's field separator
    # Remove our own syntax: what is left has no braces, no "::" and no markup from the KB.
    bare = re.sub(r"\{\{c\d+::|::\d+ 项，按顺序 · \d+ items, in order\}\}|\}\}", "", text)
    assert "{" not in bare and "}" not in bare and "::" not in bare
    tags = re.findall(r"<[^>]*>", bare)
    assert set(tags) <= {"<ol>", "</ol>", "<li>", "</li>", "</span>", "<br>",
                         '<span class="bi">', '<span class="zh" lang="zh-Hans">',
                         '<span class="en" lang="en">'}
    shown = html.unescape(re.sub(r"<[^>]*>", "", bare))
    for item in items:  # shown whole, less line breaks and control characters
        assert re.sub(r"[\x00-\x08\x0a-\x1f\x7f]", "", item.strip()) in shown


# -- bytes --------------------------------------------------------------------------------------

def test_builds_are_byte_identical_and_zip_dates_fixed(fixture_kb):
    mtimes = stamped(fixture_kb)
    first = deck.build_apkg(fixture_kb, mtimes)
    assert deck.build_apkg(load(FIXTURE).kb, dict(mtimes)) == first
    assert deck.build_apkg(fixture_kb, stamped(fixture_kb, perceptron=T0 + 1)) != first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == ["collection.anki2", "media"]
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.read("media") == b"{}"


def test_no_temp_file_is_left_behind(tmp_path, monkeypatch, fixture_kb):
    import tempfile

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    for var in ("TMPDIR", "TEMP", "TMP", "SQLITE_TMPDIR"):
        monkeypatch.setenv(var, str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    deck.build_apkg(fixture_kb, stamped(fixture_kb))
    deck.build_apkg(fixture_kb)
    assert list(scratch.iterdir()) == []


def test_line_breaks_stay_and_control_characters_go(tmp_path):
    kb = kb_copy(tmp_path, ("      en: the simplest feed-forward neural network, a binary linear "
                            "classifier\n",
                            '      en: "the simplest\\nneural network\\x1f\\x00"\n'))
    (note,) = [n for n in deck.notes(kb, now=T0) if n.fact_id == "perceptron"]
    assert note.fields["DefinitionEn"] == "the simplest<br>neural network"


def test_a_list_without_items_is_an_error_not_an_empty_card():
    kb = _one_list_kb(["x"])
    empty = kb.model_copy(update={"facts": [kb.facts[0].model_copy(update={"items": []})]})
    with pytest.raises(QuizgenError, match="'l'"):
        deck.build_apkg(empty, {"l": T0})


# -- edges of the package -----------------------------------------------------------------------

def test_cli_deck_writes_an_importable_package(tmp_path):
    from click.testing import CliRunner

    from quizgen.cli import main

    out = tmp_path / "out" / "sample.apkg"
    result = CliRunner().invoke(main, ["deck", str(FIXTURE), "--out", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist() == ["collection.anki2", "media"]
    assert [p.name for p in out.parent.iterdir()] == ["sample.apkg"]


def test_notes_as_data_match_what_anki_imports(fixture_kb):
    built = Counter(f"quizgen {n.kind}" for n in deck.notes(fixture_kb, now=T0))
    assert dict(built) == {name: n for name, (n, _) in FIXTURE_COUNTS.items()}


def test_an_unordered_list_asks_for_its_items_in_no_order(tmp_path):
    kb = kb_copy(tmp_path, ("    items:\n", "    ordered: false\n    items:\n"))
    (note,) = [n for n in deck.notes(kb, now=T0) if n.kind == "list"]
    assert note.fields["Text"].endswith("::3 项 · 3 items}}")
    (ordered,) = [n for n in deck.notes(load(FIXTURE).kb, now=T0) if n.kind == "list"]
    assert ordered.fields["Text"].endswith("::3 项，按顺序 · 3 items, in order}}")
