"""Members keep their Anki work across months of edits and quizgen upgrades.

Every scenario is a member's collection: decks built by `quizgen build` (or, in the property
test, by the same planning the build uses), imported with Anki's own importer, studied between
imports. What must hold: a surviving fact keeps its notes, cards and review history; no import
adds a second note for one fact; what a member must do by hand is said, by the build and in
the deck itself.
"""

from __future__ import annotations

import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import genanki
import pytest
from anki.collection import Collection, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizgen import anki as deck
from quizgen.build import BuildOptions, build
from quizgen.cli import main
from quizgen.load import load
from quizgen.lock import LOCK_NAME, Lock
from quizgen.model import Deck, KnowledgeBase, ListFact, ListItem, Section, Term, Text
from quizgen.updates import plan_updates
from test_anki import FIXTURE, notetype, visible

UPGRADE = Path(__file__).parent / "fixtures" / "upgrade"
T0 = 1_700_000_000  # the maintainer's builds start in the past
ALWAYS = ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS


# -- a member and a maintainer ------------------------------------------------------------------

class Member:
    """One member's Anki collection."""

    def __init__(self, path: Path):
        path.mkdir(parents=True, exist_ok=True)
        self.col = Collection(str(path / "collection.anki2"))
        self.folder = path

    def close(self) -> None:
        self.col.close()

    def import_(self, apkg: Path | bytes, merge: bool = False, always: bool = False):
        """(new, updated, duplicate, conflicting) of one import. Default options unless told:
        the one-time step the build asks for after a note type change is merge + always."""
        if isinstance(apkg, bytes):
            path = self.folder / "incoming.apkg"
            path.write_bytes(apkg)
            apkg = path
        options = self.col._backend.get_import_anki_package_presets()
        options.merge_notetypes = merge
        if always:
            options.update_notes = ALWAYS
        log = self.col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(apkg), options=options)).log
        return len(log.new), len(log.updated), len(log.duplicate), len(log.conflicting)

    def study(self, card_ids, ease: int = 3) -> None:
        for cid in card_ids:
            card = self.col.get_card(cid)
            card.start_timer()
            self.col.sched.answerCard(card, ease)

    def history(self) -> dict:
        """Every card with its note, card type, scheduling state and review log."""
        cards = {}
        for cid in self.col.find_cards(""):
            c = self.col.get_card(cid)
            cards[cid] = (c.nid, c.ord, c.type, c.queue, c.ivl, c.due, c.factor, c.reps)
        return {"cards": cards, "revlog": self.col.db.all("select * from revlog order by id")}

    def notes_of(self, kb_deck: str, fact_id: str) -> list:
        return self.col.find_notes(f"tag:{deck.id_tag(kb_deck, fact_id)}")

    def empty_cards(self) -> set[int]:
        return {cid for note in self.col.get_empty_cards().notes for cid in note.card_ids}

    def deck_of(self, cid: int) -> str:
        return self.col.decks.name(self.col.get_card(cid).did)

    def notetype_names(self) -> list[str]:
        self.col.models._clear_cache()
        return sorted(m.name for m in self.col.models.all_names_and_ids()
                      if m.name.startswith("quizgen"))


@pytest.fixture
def member(tmp_path):
    m = Member(tmp_path / "member")
    yield m
    m.close()


@dataclass
class Maintainer:
    """The group's maintainer: a KB under source/, built into decks/ by `quizgen build`."""

    root: Path
    clock: int = T0
    reports: list = field(default_factory=list)

    @property
    def source(self) -> Path:
        return self.root / "source"

    @property
    def out(self) -> Path:
        return self.root / "decks"

    @property
    def apkg(self) -> Path:
        return self.out / "sample-deck.apkg"

    def edit(self, old: str, new: str) -> None:
        for path in sorted(self.source.glob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            if old in text:
                path.write_text(text.replace(old, new, 1), encoding="utf-8")
                return
        raise AssertionError(f"not in the KB: {old!r}")

    def build(self, force: bool = False):
        self.clock += 60
        report = build(BuildOptions(source=self.source, out=self.out, force=force),
                       clock=lambda: self.clock)
        self.reports.append(report)
        return report

    def cli_build(self) -> str:
        result = CliRunner().invoke(main, ["build", str(self.source), "--out", str(self.out)],
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.stdout


@pytest.fixture
def maintainer(tmp_path):
    m = Maintainer(tmp_path / "project")
    shutil.copytree(FIXTURE, m.source)
    m.build()
    return m


def list_cards(member: Member, kb_deck: str = "sample-deck",
               fact_id: str = "dl-properties") -> dict[str, int]:
    """The item cards of a list note: {the Chinese of the item its front hides: card id}.
    A card whose cloze is gone hides nothing and is left out."""
    (nid,) = member.notes_of(kb_deck, fact_id)
    out = {}
    for card in member.col.get_note(nid).cards():
        if card.ord == 0:
            continue
        asked = re.findall(r"<li>(.*?)</li>", card.question(), flags=re.S)
        shown = re.findall(r"<li>(.*?)</li>", card.answer(), flags=re.S)
        hidden = [visible(a).split(" ")[0] for q, a in zip(asked, shown)
                  if "[...]" in visible(q)]
        if hidden:
            (zh,) = hidden
            out[zh] = card.id
    return out


# -- 1. restamp only what members see change ----------------------------------------------------

def test_retitling_sections_and_the_deck_restamps_no_note(maintainer, member):
    assert member.import_(maintainer.apkg) == (12, 0, 0, 0)
    history_cards = member.col.find_cards("tag:quizgen::sample-deck::section::history")
    member.study(history_cards[:2])
    before = member.history()

    maintainer.edit("{zh: 历史, en: History}", "{zh: 往事, en: Past}")
    report = maintainer.build()
    assert (report.changed, report.overwrites) == ([], 0)
    assert report.renamed_decks == [("示例卡组::02 历史", "示例卡组::02 往事")]
    assert member.import_(maintainer.apkg) == (0, 0, 12, 0)
    assert member.history() == before
    # An import never moves a member's cards, and their cards say the subdeck they are in.
    assert {member.deck_of(c) for c in history_cards} == {"示例卡组::02 历史"}
    assert visible(member.col.get_card(history_cards[0]).answer()).endswith("02 历史")

    maintainer.edit("title: {zh: 示例卡组, en: Sample deck}",
                    "title: {zh: 新示例卡组, en: New sample deck}")
    out = maintainer.cli_build()
    assert "For members: importing the new deck updates 0 notes" in out
    assert 'deck renamed: members\' cards stay in "示例卡组"; new cards go to "新示例卡组"' in out
    assert member.import_(maintainer.apkg) == (0, 0, 12, 0)
    assert member.history() == before


def test_the_report_counts_the_notes_an_import_overwrites(maintainer, member):
    member.import_(maintainer.apkg)
    maintainer.edit("en: perceptron", "en: the perceptron")
    maintainer.edit("en: OpenAI is founded", "en: OpenAI is set up")
    out = maintainer.cli_build()
    assert "2 changed" in out.splitlines()[0]
    assert "For members: importing the new deck updates 2 notes in place" in out
    assert member.import_(maintainer.apkg) == (0, 2, 10, 0)


def test_a_members_own_tags_survive_where_the_fact_did_not_change(maintainer, member):
    member.import_(maintainer.apkg)
    (ppo,) = member.notes_of("sample-deck", "ppo")
    (perceptron,) = member.notes_of("sample-deck", "perceptron")
    for nid in (ppo, perceptron):
        note = member.col.get_note(nid)
        note.add_tag("marked")
        member.col.update_note(note)
    maintainer.edit("en: perceptron", "en: the perceptron")
    maintainer.clock = max(maintainer.clock, int(time.time()))  # built after their edit
    maintainer.build()
    assert member.import_(maintainer.apkg) == (0, 1, 11, 0)
    assert "marked" in member.col.get_note(ppo).tags  # untouched: kept
    assert "marked" not in member.col.get_note(perceptron).tags  # Anki's rule on an update


# -- 2. list items keep their own cards ---------------------------------------------------------

def test_list_items_keep_their_cards_through_removal_insertion_and_reordering(
        maintainer, member):
    member.import_(maintainer.apkg)
    first = list_cards(member)
    assert set(first) == {"泛化", "能力", "可扩展性"}
    member.study(first.values())
    studied = member.history()

    # Remove the second item, insert one at the front, move the last to the middle.
    maintainer.edit("      - {zh: 能力, en: competence}\n", "")
    maintainer.edit("      - {zh: 泛化, en: generality}\n",
                    "      - {zh: 数据, en: data}\n      - {zh: 泛化, en: generality}\n")
    report = maintainer.build()
    assert report.retired_items == [("dl-properties", "能力")]
    assert member.import_(maintainer.apkg) == (0, 1, 11, 0)
    now = list_cards(member)
    assert set(now) == {"数据", "泛化", "可扩展性"}
    for item in ("泛化", "可扩展性"):  # the same card, with its own history
        assert now[item] == first[item]
        assert member.history()["cards"][now[item]] == studied["cards"][first[item]]
    assert now["数据"] not in first.values()  # a new card, not a removed item's
    # The removed item's card is blank; Anki's Empty Cards finds exactly it.
    assert member.empty_cards() == {first["能力"]}
    assert member.history()["revlog"] == studied["revlog"]

    # Reordering alone moves no history either.
    maintainer.edit("      - {zh: 数据, en: data}\n      - {zh: 泛化, en: generality}\n",
                    "      - {zh: 泛化, en: generality}\n      - {zh: 数据, en: data}\n")
    maintainer.build()
    assert member.import_(maintainer.apkg) == (0, 1, 11, 0)
    assert list_cards(member) == now


def test_an_item_edited_in_one_language_keeps_its_card(maintainer, member):
    member.import_(maintainer.apkg)
    first = list_cards(member)
    maintainer.edit("{zh: 能力, en: competence}", "{zh: 能力, en: capability}")
    maintainer.build()
    member.import_(maintainer.apkg)
    assert list_cards(member)["能力"] == first["能力"]
    maintainer.edit("{zh: 能力, en: capability}", "{zh: 本领, en: capability}")
    report = maintainer.build()
    assert report.retired_items == []
    member.import_(maintainer.apkg)
    assert list_cards(member)["本领"] == first["能力"]


def test_the_build_says_how_members_remove_retired_item_cards(maintainer):
    maintainer.edit("      - {zh: 能力, en: competence}\n", "")
    out = maintainer.cli_build()
    assert ("1 list item left their lists (dl-properties: 能力): their cards go blank; "
            "Tools → Empty Cards deletes them") in out


# -- 3. renames keep identity -------------------------------------------------------------------

def test_a_renamed_fact_keeps_its_notes_and_history(maintainer, member):
    member.import_(maintainer.apkg)
    (nid,) = member.notes_of("sample-deck", "perceptron")
    member.study(member.col.get_note(nid).card_ids())
    before = member.history()
    maintainer.edit("  - id: perceptron\n", "  - id: rosenblatt-perceptron\n"
                    "    formerly: [perceptron]\n")
    report = maintainer.build()
    assert report.renamed == [("perceptron", "rosenblatt-perceptron")]
    assert (report.added, report.removed) == ([], [])
    assert member.import_(maintainer.apkg) == (0, 1, 11, 0)  # its id tag changed
    assert member.notes_of("sample-deck", "rosenblatt-perceptron") == [nid]
    assert member.history() == before
    assert member.col.note_count() == 12
    # A second rename, and a lost lock: the identity comes from the first id alone.
    maintainer.edit("  - id: rosenblatt-perceptron\n    formerly: [perceptron]\n",
                    "  - id: single-layer-perceptron\n"
                    "    formerly: [perceptron, rosenblatt-perceptron]\n")
    (maintainer.out / LOCK_NAME).unlink()
    maintainer.build()
    counts = member.import_(maintainer.apkg)
    assert counts[0] == 0 and counts[3] == 0
    assert member.notes_of("sample-deck", "single-layer-perceptron") == [nid]
    assert member.col.note_count() == 12


# -- 4. note types evolve without freezing members' notes ---------------------------------------

def upgrade_from_0_1(maintainer: Maintainer, member: Member) -> dict:
    """A member with quizgen 0.1's deck, studied; the maintainer upgrades and rebuilds."""
    assert member.import_(UPGRADE / "sample-deck-0.1.0.apkg") == (12, 0, 0, 0)
    member.study(member.col.find_cards("")[::2])
    shutil.rmtree(maintainer.out, ignore_errors=True)
    maintainer.out.mkdir(parents=True)
    shutil.copy(UPGRADE / "quizgen-0.1.0.lock", maintainer.out / LOCK_NAME)
    return member.history()


def test_upgrading_from_0_1_says_the_one_time_step_and_it_keeps_everything(tmp_path, member):
    maintainer = Maintainer(tmp_path / "project")
    shutil.copytree(FIXTURE, maintainer.source)
    studied = upgrade_from_0_1(maintainer, member)
    out = maintainer.cli_build()
    assert "12 changed" in out.splitlines()[0]
    assert ('for this import only, members tick "Merge note types" and set "Update notes" to '
            '"Always"') in out
    assert "new: Extra, Reverse" in out

    # Without the step: Anki refuses the notes (and copies the note types), losing nothing.
    assert member.import_(maintainer.apkg) == (0, 0, 0, 12)
    assert member.history() == studied
    # (The merge stamps members' notes with the time of the import, which is always later
    # than the build; a test that imports within the build's second must wait for the next.)
    time.sleep(1.1)
    # With it: every note updated in place, the copies merged away, history kept.
    assert member.import_(maintainer.apkg, merge=True, always=True) == (0, 12, 0, 0)
    assert member.notetype_names() == sorted(nt.name for nt in deck.NOTE_TYPES.values())
    after = member.history()
    assert after["revlog"] == studied["revlog"]
    for cid, state in studied["cards"].items():
        assert after["cards"][cid] == state
    # The one card type no note wants any more (a bare number to explain) is blank.
    (figure,) = member.notes_of("sample-deck", "compute-growth")
    assert member.empty_cards() == {c.id for c in member.col.get_note(figure).cards()
                                    if c.ord == 1}
    # From then on the default import works.
    assert member.import_(maintainer.apkg) == (0, 0, 12, 0)
    maintainer.edit("en: perceptron", "en: the perceptron")
    maintainer.build()
    assert member.import_(maintainer.apkg) == (0, 1, 11, 0)


def test_upgrading_straight_with_the_step_works_too(tmp_path, member):
    maintainer = Maintainer(tmp_path / "project")
    shutil.copytree(FIXTURE, maintainer.source)
    studied = upgrade_from_0_1(maintainer, member)
    maintainer.build()
    assert member.import_(maintainer.apkg, merge=True, always=True) == (0, 12, 0, 0)
    assert member.history()["revlog"] == studied["revlog"]
    assert member.col.note_count() == 12


def test_a_layout_change_reaches_members_by_the_default_import(maintainer, member, monkeypatch):
    member.import_(maintainer.apkg)
    studied = member.history()
    lock = Lock.read(maintainer.out)
    restyled = deck.card_css() + "\n/* a later quizgen's layout */\n"
    monkeypatch.setattr(deck, "card_css", lambda: restyled)
    deck.schema.cache_clear()
    monkeypatch.setattr(deck.model("term"), "css", restyled)
    try:
        report = maintainer.build(force=True)  # the code's files did not change: force
    finally:
        deck.schema.cache_clear()
    changes = {c.kind: c for c in report.notetype_changes}
    assert set(changes) == set(deck.NOTE_TYPES) and not any(c.merge for c in changes.values())
    assert Lock.read(maintainer.out).notetypes["term"].mtime > lock.notetypes["term"].mtime
    assert member.import_(maintainer.apkg) == (0, 0, 12, 0)
    assert "a later quizgen's layout" in notetype(member.col, "quizgen term")["css"]
    assert member.notetype_names() == sorted(nt.name for nt in deck.NOTE_TYPES.values())
    assert member.history() == studied


def test_a_note_type_change_the_default_import_cannot_take_is_detected():
    old = deck.schema("term")
    appended = deck.Schema(old.fields + ("Source",), old.templates, old.style)
    restyled = deck.Schema(old.fields, old.templates, "another style")
    assert appended.needs_merge(old) and not restyled.needs_merge(old)


# -- 5. identity hygiene ------------------------------------------------------------------------

def test_guid_inputs_cannot_collide():
    assert deck.note_guid("x", "y__term", "term") != deck.note_guid("x__y", "term", "term")
    assert deck.note_guid("x", "y", "term") == genanki.guid_for("x", "y", "term")


def test_0_1_guids_are_kept(tmp_path):
    shutil.copy(UPGRADE / "quizgen-0.1.0.lock", tmp_path / LOCK_NAME)
    old = Lock.read(tmp_path)
    kb = load(FIXTURE).kb
    now = {n.fact_id: n.guid for n in deck.notes(kb, now=T0)}
    assert now == {k: v.guid for k, v in old.facts.items()}


def test_the_same_fact_id_in_two_decks_stays_apart(tmp_path, member):
    kb = load(FIXTURE).kb
    other = kb.model_copy(update={"deck": kb.deck.model_copy(update={
        "id": "other-deck", "title": Text(zh="另一卡组", en="Other deck")})})
    member.import_(deck.build_apkg(kb, {}))
    member.import_(deck.build_apkg(other, {}))
    assert member.col.note_count() == 24
    assert len(member.notes_of("sample-deck", "perceptron")) == 1
    assert len(member.notes_of("other-deck", "perceptron")) == 1
    assert member.notes_of("sample-deck", "perceptron") != member.notes_of("other-deck",
                                                                          "perceptron")


def test_retired_facts_are_listed_in_the_deck_for_members_to_delete(maintainer, member):
    member.import_(maintainer.apkg)
    maintainer.edit("  - id: openai\n    kind: org\n", "  - id: openai\n    kind: person\n")
    maintainer.edit("  - id: ppo\n", "  - id: proximal-policy-optimization\n")
    report = maintainer.build()
    assert report.removed == ["ppo"] and report.reidentified == ["openai"]
    assert member.import_(maintainer.apkg)[0] == 2  # two notes new to Anki
    description = member.col.decks.by_name("示例卡组")["desc"]
    assert "2 notes retired from this deck" in description
    search = re.search(r"<code>(.*?)</code>", description).group(1)
    found = member.col.find_notes(visible(search))
    old_ppo = list(member.notes_of("sample-deck", "ppo"))
    old_openai = [n for n in member.notes_of("sample-deck", "openai")
                  if "quizgen::sample-deck::kind::org" in member.col.get_note(n).tags]
    assert sorted(found) == sorted(old_ppo + old_openai) and len(found) == 2
    member.col.remove_notes(found)
    assert member.col.note_count() == 12
    # A later build still lists them, for members who skipped a version.
    maintainer.edit("en: perceptron", "en: the perceptron")
    maintainer.build()
    fresh = Member(member.folder.parent / "another")
    try:
        fresh.import_(maintainer.apkg)
        assert "2 notes retired" in fresh.col.decks.by_name("示例卡组")["desc"]
    finally:
        fresh.close()


# -- 6. cards a member would not report ---------------------------------------------------------

@pytest.fixture(scope="module")
def real_deck(tmp_path_factory):
    """The real knowledge base's deck, imported."""
    root = tmp_path_factory.mktemp("real")
    kb = load(Path(__file__).parent.parent / "source" / "brockman").kb
    m = Member(root / "member")
    m.import_(deck.build_apkg(kb, {}))
    yield kb, m
    m.close()


def test_no_two_cards_share_a_front_with_different_answers(real_deck):
    _, member = real_deck
    answers: dict[str, set[str]] = {}
    for cid in member.col.find_cards(""):
        card = member.col.get_card(cid)
        front = visible(card.question())
        answers.setdefault(front, set()).add(visible(card.answer())[len(front):])
    assert {f: a for f, a in answers.items() if len(a) > 1} == {}


def test_no_front_shows_its_answer(real_deck):
    kb, member = real_deck
    for fact in kb.facts:
        (nid,) = member.notes_of(kb.deck.id, fact.id)
        for card in member.col.get_note(nid).cards():
            front = visible(card.question())
            if fact.kind == "term" and card.ord == 1:
                assert fact.zh not in front, fact.id
            if fact.kind in ("person", "work", "org") and card.ord == 1:
                assert fact.name.zh not in front and fact.name.en not in front, fact.id
            if fact.kind == "event" and card.ord == 0:
                assert visible(member.col.get_note(nid)["WhenEn"]) not in front, fact.id


def test_a_date_another_event_overlaps_asks_nothing_back():
    from quizgen.model import Event

    def event(id_, year, **kw):
        return Event(kind="event", id=id_, section="s", year=year,
                     what=Text(zh=f"事件{id_}", en=f"event {id_}"), **kw)

    events = [event("a", 1950, decade=True), event("b", 1957), event("c", 2018, month=6),
              event("d", 2018, month=6, day=28), event("e", 2015), event("f", 2016),
              event("g", 2019, month=2), event("h", 2019, month=4)]
    assert deck._crowded_dates(events) == {"a", "b", "c", "d"}


def test_the_date_sweep_agrees_with_comparing_every_pair():
    import random

    from quizgen.model import Event

    def pairwise(events):
        def span(e):
            last = e.year + 9 if e.decade else e.year
            return (e.year, e.month or 1, e.day or 1), (last, e.month or 12, e.day or 31)
        spans = {e.id: span(e) for e in events}
        return {a for a, (a0, a1) in spans.items() for b, (b0, b1) in spans.items()
                if a != b and a0 <= b1 and b0 <= a1}

    rng = random.Random(3)
    for _ in range(300):
        events = []
        for i in range(rng.randint(0, 12)):
            year, extra, roll = rng.randint(1990, 2005), {}, rng.random()
            if roll < 0.15:
                year, extra["decade"] = year // 10 * 10, True
            elif roll < 0.6:
                extra["month"] = rng.randint(1, 12)
                if rng.random() < 0.5:
                    extra["day"] = rng.randint(1, 28)
            events.append(Event(kind="event", id=f"e{i}", section="s", year=year,
                                what=Text(zh="事件", en="event"), **extra))
        assert deck._crowded_dates(events) == pairwise(events)


@pytest.mark.parametrize("name, role, gives_away", [
    (("GPT-2 诗歌", "GPT-2 Poetry"), ("用 GPT-2 写诗的应用", "an app that writes poems with GPT-2"),
     True),
    (("美国有线电视新闻网", "CNN"), ("新闻网站", "the CNN news site"), True),
    (("数据集名", "Data Set"), ("一个新闻数据集", "a news dataset"), True),
    (("格雷格·布罗克曼", "Greg Brockman"), ("OpenAI 联合创始人", "co-founder of OpenAI"), False),
])
def test_a_description_that_shares_the_name_asks_nothing_back(name, role, gives_away):
    assert deck._shares_name(Text(zh=role[0], en=role[1]),
                             Text(zh=name[0], en=name[1])) is gives_away


def test_names_appear_once_per_language(real_deck):
    kb, member = real_deck
    for fact in kb.facts:
        if fact.kind in ("person", "work", "org") and fact.name.en != fact.name.zh:
            assert fact.name.en.casefold() not in fact.name.zh.casefold(), fact.id
            (nid,) = member.notes_of(kb.deck.id, fact.id)
            front = visible(member.col.get_note(nid).cards()[0].question())
            assert front.count(fact.name.en) == 1, fact.id


def test_browse_columns_read_cleanly(real_deck):
    _, member = real_deck
    col = member.col
    col.set_browser_card_columns(["noteFld", "question", "answer"])
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        sort_field, question, answer = (cell[0] for cell in col.browser_row_for_id(cid)[0])
        assert sort_field and "{{c" not in sort_field and "<" not in sort_field, sort_field
        if card.note_type()["type"] == 1:
            # Cloze: Anki's own convention is the whole text again, filled in.
            assert sort_field == card.note()["PromptZh"] and "[...]" not in answer
        else:  # only what the back adds to the front
            assert answer and not answer.startswith(question[:20]), (question, answer)


def test_term_backs_speak_the_chinese(real_deck):
    kb, member = real_deck
    term = next(f for f in kb.facts if f.kind == "term" and f.zh != f.en)
    (nid,) = member.notes_of(kb.deck.id, term.id)
    for card in member.col.get_note(nid).cards():
        assert card.question_av_tags() == []
        (tag,) = card.answer_av_tags()
        assert (tag.lang, tag.field_text) == ("zh_CN", term.zh)


# -- 7. the property: random months of edits lose nothing ---------------------------------------

DIGITS = "零一二三四五六七八九"


def han(n: int) -> str:
    return "词" + "".join(DIGITS[int(d)] for d in str(n))


@dataclass
class Story:
    """A KB as the property test edits it: terms and one list, each with a hidden identity."""

    terms: dict[int, dict] = field(default_factory=dict)  # identity -> id, formerly, version
    items: list[list] = field(default_factory=list)  # [identity, zh, en]
    title: int = 0
    counter: int = 0

    def new(self) -> int:
        self.counter += 1
        return self.counter

    def kb(self) -> KnowledgeBase:
        facts = [Term(kind="term", id=t["id"], formerly=t["formerly"], section="s1",
                      zh=han(i), en=f"term {i} v{t['version']}",
                      definition=Text(zh=f"定义{han(i)}", en=f"definition {i}"))
                 for i, t in sorted(self.terms.items())]
        facts.append(ListFact(kind="list", id="the-list", section="s2",
                              prompt=Text(zh="清单", en="the list"),
                              items=[ListItem(zh=zh, en=en) for _, zh, en in self.items]))
        return KnowledgeBase(
            deck=Deck(id="story", title=Text(zh="故事", en="Story")),
            sections=[Section(id="s1", number=1, title=Text(zh=f"第一{self.title}",
                                                            en=f"One {self.title}")),
                      Section(id="s2", number=2, title=Text(zh="第二", en="Two"))],
            facts=facts)


def apply(story: Story, kind: str, n: int) -> None:
    terms = sorted(story.terms)
    if kind == "add" or not terms:
        i = story.new()
        story.terms[i] = {"id": f"t{i}", "formerly": [], "version": 0}
    elif kind == "edit":
        story.terms[terms[n % len(terms)]]["version"] += 1
    elif kind == "remove":
        if len(terms) > 1:
            del story.terms[terms[n % len(terms)]]
    elif kind == "rename":
        t = story.terms[terms[n % len(terms)]]
        t["formerly"].append(t["id"])
        t["id"] = f"{t['id']}-r{story.new()}"
    elif kind == "retitle":
        story.title += 1
    elif kind == "item-remove":
        if len(story.items) > 2:
            del story.items[n % len(story.items)]
    elif kind == "item-insert":
        i = story.new()
        story.items.insert(n % (len(story.items) + 1), [i, han(i), f"item {i}"])
    elif kind == "item-move":
        story.items.append(story.items.pop(n % len(story.items)))
    elif kind == "item-edit":
        item = story.items[n % len(story.items)]
        item[2] = f"{item[2]}+"  # one language at a time keeps an item's identity
    else:
        raise AssertionError(f"no such edit: {kind}")


OPS = st.tuples(st.sampled_from(["add", "edit", "remove", "rename", "retitle", "item-remove",
                                 "item-insert", "item-move", "item-edit"]),
                st.integers(0, 50))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.lists(OPS, min_size=1, max_size=3), min_size=1, max_size=5),
       picks=st.lists(st.integers(0, 10_000), min_size=6, max_size=6))
def test_random_edit_sequences_never_lose_history_or_duplicate_notes(tmp_path_factory, steps,
                                                                     picks):
    story = Story()
    for _ in range(2):
        apply(story, "add", 0)
    for _ in range(3):
        apply(story, "item-insert", 99)
    member = Member(tmp_path_factory.mktemp("member"))
    lock = Lock()
    seen: set[int] = set()  # identities of every fact a member ever got
    owner: dict[int, tuple] = {}  # card id -> ("term", identity, ord) / ("item", identity)
    clock = T0
    try:
        for step, ops in enumerate([[]] + steps):
            for op, n in ops:
                apply(story, op, n)
            kb = story.kb()
            clock += 60
            updates = plan_updates(kb, lock, clock)
            lock = Lock(**updates.lock_tables())
            apkg = deck.package(kb, updates.notes,
                                {k: v.mtime for k, v in updates.notetypes.items()},
                                updates.searches)
            before = member.history()
            new, updated, duplicate, conflicting = member.import_(apkg)
            assert conflicting == 0
            seen |= set(story.terms) | {"list"}
            # Never a duplicate: one note per fact ever imported, each found by its own tag.
            assert member.col.note_count() == len(seen)
            for i, term in story.terms.items():
                assert len(member.notes_of("story", term["id"])) == 1
            # Never lost: every review, every card's state, on the same fact and item.
            after = member.history()
            assert after["revlog"] == before["revlog"]
            assert {c: s for c, s in after["cards"].items() if c in before["cards"]} == \
                before["cards"]
            items = {zh: identity for identity, zh, _ in story.items}
            current_items = list_cards(member, "story", "the-list")
            for cid, who in owner.items():
                if who[0] == "item" and who[1] in items.values():
                    zh = next(z for z, i in items.items() if i == who[1])
                    assert current_items.get(zh) == cid, (step, who)
                elif who[0] == "term" and who[1] in story.terms:
                    (nid,) = member.notes_of("story", story.terms[who[1]]["id"])
                    assert member.col.get_card(cid).nid == nid
            # Study a card, as members do between imports.
            live = [c for c in member.col.find_cards("") if c not in member.empty_cards()]
            cid = live[picks[step % len(picks)] % len(live)]
            card = member.col.get_card(cid)
            tags = card.note().tags
            if any(t.endswith("kind::list") for t in tags):
                hidden = [zh for zh, c in current_items.items() if c == cid]
                if hidden:
                    owner[cid] = ("item", items[hidden[0]])
            else:  # (a retired fact's note is studied too, but nothing is owed to it)
                for identity, term in story.terms.items():
                    if deck.id_tag("story", term["id"]) in tags:
                        owner[cid] = ("term", identity, card.ord)
            member.study([cid])
    finally:
        member.close()
