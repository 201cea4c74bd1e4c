"""Anki decks from a knowledge base: quizgen's note types (frozen ids) and the .apkg writer.

Identity is what members care about: a note's GUID comes from the deck id, the fact's first
id and the note kind, never from its text, so after an edit Anki's importer updates the note
in place and keeps its review history. Anki only takes the incoming note when it is newer than
its own copy, so each note carries its fact's modification time, and each note type the time
its templates last changed (both kept by the build in a lock file, see `Stamps`). The bytes
written depend only on (kb, stamps): no clock, no temp files. docs/anki.md says how the note
types may evolve without freezing members' notes.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import sqlite3
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import genanki
import jinja2

from .errors import QuizgenError
from .fsutil import zip_bytes
from .model import (Claim, Event, Figure, KnowledgeBase, ListFact, ListItem, Named, Section,
                    Term, Text, Work)
from .hanzi import has_han
from .pinyin import pinyin_text, ruby_html
from .wording import event_date, figure_value, names_in

# -- note types ---------------------------------------------------------------------------------
#
# Members' collections hold these ids, field names and template names. Anki's default import
# takes a note type whose fields and templates match by name and order (then its templates and
# CSS update when its mtime is newer); any other change needs "Merge note types" once. So:
# fields and templates are only ever appended, never renamed, removed or reordered; text new to
# a card goes into an existing field (`Extra` is kept for it); a card type a note should not
# have is switched off by a field its front depends on (`Reverse`). docs/anki.md has the plan;
# tests/test_anki.py pins all of it.

_TAIL = ("ExplanationZh", "ExplanationEn", "Section", "Lead")
_NAMED_FIELDS = ("NameZh", "NameEn", "TypeZh", "TypeEn", "RoleZh", "RoleEn", "WhyZh", "WhyEn")
_NAMED_TEMPLATES = (("Name → description", "name"), ("Description → name", "who"))
# Appended in quizgen 0.2. `Section` stays, empty: cards show their subdeck instead, so that
# retitling a section or the deck changes no note.
_ADDED = ("Extra",)
_ADDED_TWO_WAY = ("Reverse", "Extra")


@dataclass(frozen=True)
class NoteType:
    """One quizgen note type: `templates` pairs each frozen template name with the macro
    prefix (`<prefix>_front`, `<prefix>_back`) in the Jinja file `source`."""

    kind: str
    model_id: int
    fields: tuple[str, ...]
    templates: tuple[tuple[str, str], ...]
    source: str
    cloze: bool = False
    sort_field: str | None = None  # the Browse window's "Sort Field" column (default: the first)

    @property
    def name(self) -> str:
        return f"quizgen {self.kind}"

    @property
    def template_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.templates)


NOTE_TYPES: dict[str, NoteType] = {nt.kind: nt for nt in (
    NoteType("term", 1582049534,
             ("Chinese", "Pinyin", "Ruby", "English", "Abbr", "DefinitionZh", "DefinitionEn")
             + _TAIL + _ADDED_TWO_WAY,
             (("Chinese → English", "zh_en"), ("English → Chinese", "en_zh")), "card-term.html"),
    NoteType("list", 1476885438, ("Text", "PromptZh", "PromptEn", "ItemNotes") + _TAIL + _ADDED,
             (("Cloze", "cloze"),), "card-list.html", cloze=True, sort_field="PromptZh"),
    NoteType("event", 1447172116,
             ("WhatZh", "WhatEn", "WhenZh", "WhenEn") + _TAIL + _ADDED_TWO_WAY,
             (("Event → date", "when"), ("Date → event", "what")), "card-event.html"),
    NoteType("figure", 1460587859,
             ("MeasuresZh", "MeasuresEn", "ValueZh", "ValueEn") + _TAIL + _ADDED_TWO_WAY,
             (("Measure → figure", "value"), ("Figure → measure", "measures")),
             "card-figure.html"),
    NoteType("person", 1301212540, _NAMED_FIELDS + _TAIL + _ADDED_TWO_WAY, _NAMED_TEMPLATES,
             "card-named.html"),
    NoteType("work", 1217708097, _NAMED_FIELDS + _TAIL + _ADDED_TWO_WAY, _NAMED_TEMPLATES,
             "card-named.html"),
    NoteType("org", 1832650011, _NAMED_FIELDS + _TAIL + _ADDED_TWO_WAY, _NAMED_TEMPLATES,
             "card-named.html"),
    NoteType("claim", 1754374524,
             ("QuestionZh", "QuestionEn", "AnswerZh", "AnswerEn", "Speaker") + _TAIL + _ADDED,
             (("Question → answer", "answer"),), "card-claim.html"),
)}
MODEL_IDS: dict[str, int] = {kind: nt.model_id for kind, nt in NOTE_TYPES.items()}

# What quizgen 0.1 gave members: its fields (those of today without the appended ones), its
# templates, and the one modification time of all its note types. A lock of that version
# records no note types; the build compares with this instead.
LEGACY_MTIME = 1795562527
LEGACY_FIELDS = {kind: tuple(f for f in nt.fields if f not in _ADDED_TWO_WAY)
                 for kind, nt in NOTE_TYPES.items()}


@dataclass(frozen=True)
class Schema:
    """A note type as the import sees it: its field and template names, and a hash of what
    the default import updates in place (templates, CSS, sort field)."""

    fields: tuple[str, ...]
    templates: tuple[str, ...]
    style: str

    def needs_merge(self, old: "Schema") -> bool:
        """True when members' copies of `old` cannot take this one by the default import."""
        return (self.fields, self.templates) != (old.fields, old.templates)


@cache
def schema(kind: str) -> Schema:
    note_type = NOTE_TYPES[kind]
    style = hashlib.sha256(json.dumps(
        [card_templates(kind), card_css(), note_type.sort_field], ensure_ascii=False
    ).encode()).hexdigest()
    return Schema(note_type.fields, note_type.template_names, style)



@cache
def _jinja() -> jinja2.Environment:
    # Other delimiters than {{ }}, which belong to Anki's template language. No autoescape:
    # these are templates for Anki, with no data in them; field values are escaped when the
    # notes are built (below).
    return jinja2.Environment(
        loader=jinja2.PackageLoader("quizgen", "templates"),
        variable_start_string="[[", variable_end_string="]]",
        block_start_string="[%", block_end_string="%]",
        comment_start_string="[#", comment_end_string="#]",
        autoescape=False, undefined=jinja2.StrictUndefined, keep_trailing_newline=False)


@cache
def card_css() -> str:
    return (resources.files("quizgen") / "templates" / "card.css").read_text(encoding="utf-8")


@cache
def card_templates(kind: str) -> tuple[dict[str, str], ...]:
    """The Anki templates of a note type: name, qfmt (front) and afmt (back)."""
    note_type = NOTE_TYPES[kind]
    module = _jinja().get_template(note_type.source).module
    out = []
    for name, prefix in note_type.templates:
        sides = []
        for side in ("front", "back"):
            macro = getattr(module, f"{prefix}_{side}")
            sides.append(str(macro(kind) if macro.arguments else macro()).strip())
        out.append({"name": name, "qfmt": sides[0], "afmt": sides[1]})
    return tuple(out)


@cache
def model(kind: str) -> genanki.Model:
    """The genanki model of a note type (built once; genanki keeps its card rules cached)."""
    note_type = NOTE_TYPES[kind]
    sort = note_type.fields.index(note_type.sort_field) if note_type.sort_field else 0
    return genanki.Model(
        note_type.model_id, note_type.name,
        fields=[{"name": name} for name in note_type.fields],
        templates=[dict(t) for t in card_templates(kind)],
        css=card_css(),
        model_type=genanki.Model.CLOZE if note_type.cloze else genanki.Model.FRONT_BACK,
        sort_field_index=sort)


# -- decks --------------------------------------------------------------------------------------

def deck_id(kb_deck_id: str, section_id: str | None = None) -> int:
    """A stable Anki deck id for the KB's deck, or for one of its sections' subdecks.
    (Anki matches decks by name on import; the id only has to be stable and unique.)"""
    key = kb_deck_id if section_id is None else f"{kb_deck_id}\x1f{section_id}"
    digest = hashlib.sha256(f"quizgen deck\x1f{key}".encode()).digest()
    return (1 << 32) + int.from_bytes(digest[:5], "big")


def _lead(kb: KnowledgeBase) -> str:
    return "en" if kb.deck.lang == "en" else "zh"


def _deck_part(name: str) -> str:
    return _DECK_SEPARATOR.sub(":", name)  # "::" (or ":::") would nest decks


_DECK_SEPARATOR = re.compile(r":{2,}")


def deck_name(kb: KnowledgeBase, section: Section | None = None) -> str:
    """`示例卡组`, and `示例卡组::01 基础` for a section, in the lead language only: titles
    are long, and the cards themselves say both."""
    lead = _lead(kb)
    top = _deck_part(kb.deck.title.get(lead))
    if section is None:
        return top
    return f"{top}::{section.number:02d} {_deck_part(section.title.get(lead))}"


# -- notes --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CardNote:
    """One note of the deck, as data: field values are HTML, ready for Anki."""

    guid: str
    fact_id: str
    kind: str  # the note type's kind, a key of NOTE_TYPES
    fields: dict[str, str]
    tags: tuple[str, ...]
    deck_id: int
    deck_name: str
    mtime: int

    def field_list(self) -> list[str]:
        return [self.fields[name] for name in NOTE_TYPES[self.kind].fields]

    @property
    def digest(self) -> str:
        """A fingerprint of what a member's copy of the note holds: kind, tags and fields. It
        also moves when the fact did not but its card did (the deck's lang, a pinyin fix).
        Not the deck: an import never moves a member's cards, so a renamed section or deck
        changes no note."""
        h = hashlib.sha256()
        for part in (self.kind, *self.tags, *self.field_list()):
            h.update(part.encode() + b"\x00")
        return h.hexdigest()


def note_guid(kb_deck_id: str, identity: str, kind: str) -> str:
    """The GUID of a fact's note: from the deck id, the fact's first id and the note kind.
    genanki joins the parts with "__", which is unambiguous while no part holds "__" (every
    note quizgen 0.1 made); a part that does gets a hash of the parts length-prefixed."""
    parts = (kb_deck_id, identity, kind)
    if not any("__" in part for part in parts):
        return genanki.guid_for(*parts)
    return genanki.guid_for("quizgen", *(f"{len(part)}:{part}" for part in parts))


def identity(fact) -> str:
    """The id a fact's notes are known by: the first it ever had."""
    return fact.formerly[0] if fact.formerly else fact.id


def tag_prefix(kb_deck_id: str) -> str:
    return f"quizgen::{kb_deck_id}::"


def id_tag(kb_deck_id: str, fact_id: str) -> str:
    """The tag members search for to find a fact's notes: `quizgen::<deck>::id::<fact>`."""
    return f"{tag_prefix(kb_deck_id)}id::{fact_id}"


def notes(kb: KnowledgeBase, mtimes: Mapping[str, int] | None = None,
          now: int | None = None,
          numbers: Mapping[str, Sequence[int]] | None = None) -> list[CardNote]:
    """The deck's notes in KB order. A fact missing from `mtimes` gets `now` (default: the
    current time). `numbers` gives a list's items their cloze numbers (default: 2, 3, ... in
    order; the build keeps them in its lock so that each item keeps its card). Raises
    QuizgenError for what would make a broken deck (duplicate fact ids, unknown sections,
    empty lists); `quizgen check` reports those first."""
    mtimes = mtimes or {}
    numbers = numbers or {}
    now = int(time.time()) if now is None else now
    lead = _lead(kb)
    prefix = tag_prefix(kb.deck.id)
    sections = {s.id: (deck_id(kb.deck.id, s.id), deck_name(kb, s)) for s in kb.sections}
    crowded = _crowded_dates([f for f in kb.facts if isinstance(f, Event)])
    review = set(kb.review)
    out: list[CardNote] = []
    seen: set[str] = set()
    for fact in kb.facts:
        if fact.id in seen:
            raise QuizgenError(f"duplicate fact id '{fact.id}': each fact needs its own id")
        seen.add(fact.id)
        if fact.section not in sections:
            raise QuizgenError(f"fact '{fact.id}': unknown section '{fact.section}'")
        section_deck_id, section_deck_name = sections[fact.section]
        if isinstance(fact, ListFact):
            fields = _list_fields(fact, lead, numbers.get(fact.id))
        else:
            fields = _FIELDS[fact.kind](fact, lead)
        fields.update(_pair("Explanation", fact.explanation))
        fields["Section"] = ""
        fields["Lead"] = lead
        fields["Extra"] = ""
        if "Reverse" in NOTE_TYPES[fact.kind].fields:
            fields["Reverse"] = "y" if _reverse_card(fact, crowded) else ""
        # Every tag under quizgen::<deck>:: so that no other deck's notes share it; the id
        # tag lets members find a removed fact's notes (an import never deletes).
        tags = dict.fromkeys([f"{prefix}kind::{fact.kind}", f"{prefix}section::{fact.section}",
                              id_tag(kb.deck.id, fact.id),
                              *(f"{prefix}tag::{tag}" for tag in fact.tags),
                              *([f"{prefix}review"] if fact.id in review else [])])
        out.append(CardNote(
            guid=note_guid(kb.deck.id, identity(fact), fact.kind), fact_id=fact.id,
            kind=fact.kind, fields=fields, tags=tuple(tags), deck_id=section_deck_id,
            deck_name=section_deck_name, mtime=int(mtimes.get(fact.id, now))))
    return out


def _reverse_card(fact, crowded: set[str]) -> bool:
    """Whether a fact gets its second card, the one asking back from the answer: not where its
    front would show the answer, could as well mean another fact (a date another event shares
    or falls within), or would show a bare number (a figure)."""
    if isinstance(fact, Term):
        return has_han(fact.zh) and fact.zh != fact.en
    if isinstance(fact, Event):
        return fact.id not in crowded
    if isinstance(fact, Named):
        return not any(_shares_name(text, fact.name) for text in (fact.role, fact.why))
    return False


_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9+.-]*[A-Za-z0-9+]|[A-Za-z0-9]")
_MINOR_WORDS = frozenset("the and for with from into of on in to an at by its".split())


def _shares_name(text: Text, name: Text) -> bool:
    """True when `text` gives the name away: the whole name, a distinctive word of it (GPT-2,
    CNN, Poetry), or two Chinese characters of it in a row."""
    if names_in(text, name):
        return True
    words = {w.casefold() for w in _WORD.findall(name.en)
             if len(w) >= 2 and w.casefold() not in _MINOR_WORDS}
    if words & {w.casefold() for w in _WORD.findall(f"{text.en} {text.zh}")}:
        return True
    han = "".join(ch if has_han(ch) else " " for ch in name.zh).split()
    return any(run[i:i + 2] in text.zh for run in han for i in range(len(run) - 1))


def _crowded_dates(events: list[Event]) -> set[str]:
    """Events whose date another event shares or overlaps (a year and a month in it, a decade
    and a year in it): "what happened then?" would have more than one answer."""
    def span(e: Event) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
        last = e.year + 9 if e.decade else e.year
        return ((e.year, e.month or 1, e.day or 1),
                (last, e.month or 12, e.day or 31))

    # One sweep in order of start: an event overlaps an earlier one when it starts before
    # the latest end so far, and a later one when the next start comes before its own end.
    spans = sorted((span(e), e.id) for e in events)
    crowded: set[str] = set()
    latest = None
    for i, ((start, end), fact_id) in enumerate(spans):
        if latest is not None and start <= latest:
            crowded.add(fact_id)
        if i + 1 < len(spans) and spans[i + 1][0][0] <= end:
            crowded.add(fact_id)
        latest = end if latest is None else max(latest, end)
    return crowded


# Field values. Each is a small HTML fragment in which every piece of KB text is escaped where
# it is put in; Jinja would add nothing for fragments this size, and the cloze field needs
# escaping Jinja does not know about.

# Field text is element content, never an attribute value: <, > and & are what matter. A line
# break the KB writes (a YAML `|` block) stays a line break on the card. Other control
# characters have no place in a card, and \x1f is Anki's field separator.
_ESCAPES = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord("\n"): "<br>",
            **dict.fromkeys([*range(0x00, 0x09), *range(0x0b, 0x20), 0x7f])}
_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x1f\x7f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _esc(text: str) -> str:
    # Most text needs nothing: a search is much cheaper than a translate.
    return text.translate(_ESCAPES) if _NEEDS_ESCAPE.search(text) else text


def _cloze_esc(text: str) -> str:
    """Escaped for a cloze field, where `{{`, `}}` and `::` are syntax: braces and colons
    become character references, which the card shows as the characters themselves."""
    return _esc(text).replace("{", "&#123;").replace("}", "&#125;").replace(":", "&#58;")


def _pair(name: str, text: Text | None) -> dict[str, str]:
    """`<name>Zh` and `<name>En`; the English is left empty when it only repeats the Chinese
    (a name such as OpenAI), and the templates then show one line."""
    if text is None:
        return {f"{name}Zh": "", f"{name}En": ""}
    return {f"{name}Zh": _esc(text.zh), f"{name}En": "" if text.en == text.zh else _esc(text.en)}


def _bi_span(item: ListItem | Text, esc=_esc) -> str:
    en = "" if item.en == item.zh else f'<span class="en" lang="en">{esc(item.en)}</span>'
    return f'<span class="bi"><span class="zh" lang="zh-Hans">{esc(item.zh)}</span>{en}</span>'


def _term_fields(term: Term, lead: str) -> dict[str, str]:
    return {
        "Chinese": _esc(term.zh),
        "Pinyin": _esc(pinyin_text(term.zh, term.pinyin)),
        "Ruby": _CONTROL.sub("", ruby_html(term.zh, term.pinyin)),  # ruby_html escapes
        "English": _esc(term.en),
        "Abbr": _esc(term.abbr or ""),
        **_pair("Definition", term.definition),
    }


def _list_fields(fact: ListFact, lead: str, numbers: Sequence[int] | None = None
                 ) -> dict[str, str]:
    if not fact.items:
        raise QuizgenError(f"fact '{fact.id}': a list needs items to make cards")
    # c1 hides the whole list (asked in order); every item its own number from 2 up, which
    # stays with the item when others are added, removed or moved (the build's lock keeps
    # them), so that each card's review history stays with its item.
    numbers = range(2, len(fact.items) + 2) if numbers is None else numbers
    if len(numbers) != len(fact.items) or len(set(numbers)) != len(numbers) or min(numbers) < 2:
        raise QuizgenError(f"fact '{fact.id}': cloze numbers {list(numbers)} do not fit its "
                           f"{len(fact.items)} items")
    # An item's own note rides inside its deletion: hidden with it, shown beside it on the
    # back (and kept off every front by the note type's CSS).
    items = "".join(f"<li>{{{{c{i}::{_bi_span(item, _cloze_esc)}{_item_note(item)}}}}}</li>"
                    for i, item in zip(numbers, fact.items))
    n = len(fact.items)
    zh, en = (f"{n} 项，按顺序", f"{n} items, in order") if fact.ordered else (f"{n} 项", f"{n} items")
    hint = f"{zh} · {en}" if lead == "zh" else f"{en} · {zh}"
    return {
        "Text": f"{{{{c1::<ol>{items}</ol>::{hint}}}}}",
        **_pair("Prompt", fact.prompt),
        "ItemNotes": "",  # quizgen 0.1's place for item notes, which now sit by their items
    }


def _item_note(item: ListItem) -> str:
    if item.explanation is None:
        return ""
    return f'<span class="item-note">{_bi_span(item.explanation, _cloze_esc)}</span>'



def _event_fields(event: Event, lead: str) -> dict[str, str]:
    date = event_date(event)
    return {**_pair("What", event.what), "WhenZh": _esc(date.zh), "WhenEn": _esc(date.en)}


def _figure_fields(figure: Figure, lead: str) -> dict[str, str]:
    value = figure_value(figure)
    return {**_pair("Measures", figure.measures), "ValueZh": _esc(value.zh),
            "ValueEn": _esc(value.en)}


def _named_fields(named: Named, lead: str) -> dict[str, str]:
    return {
        **_pair("Name", named.name),
        **_pair("Type", named.type if isinstance(named, Work) else None),
        **_pair("Role", named.role),
        **_pair("Why", named.why),
    }


def _claim_fields(claim: Claim, lead: str) -> dict[str, str]:
    # The speaker line only where the question does not already say who speaks.
    speaker = claim.speaker or ""
    named = speaker and any(part and part in f"{claim.question.zh} {claim.question.en}"
                            for part in (speaker, speaker.split()[-1]))
    return {**_pair("Question", claim.question), **_pair("Answer", claim.answer),
            "Speaker": "" if named else _esc(speaker)}


_FIELDS = {"term": _term_fields, "list": _list_fields, "event": _event_fields,
           "figure": _figure_fields, "person": _named_fields, "work": _named_fields,
           "org": _named_fields, "claim": _claim_fields}


# -- the package --------------------------------------------------------------------------------

_CLOZE_OPENING = re.compile(r"\{\{c(\d+)::")


class _ClozeNote(genanki.Note):
    """genanki finds cloze numbers with a regex that skips a deletion nested inside another
    ({{c1::<ol><li>{{c2::…}}…}}), which is how a list asks for all its items at once; here
    every opening counts. The field is quizgen's own, so its syntax is known to be whole."""

    @property
    def cards(self) -> list[genanki.Card]:
        # Only the cloze field: text elsewhere (a prompt that reads "{{c9::x}}") is the
        # author's, shown as it is, and must not make cards.
        names = [f["name"] for f in self.model.fields]
        text = self.fields[names.index("Text")]
        numbers = {int(n) for n in _CLOZE_OPENING.findall(text)}
        return [genanki.Card(n - 1) for n in sorted(numbers) if n > 0]


def build_apkg(kb: KnowledgeBase, mtimes: Mapping[str, int] | None = None) -> bytes:
    """The .apkg of the knowledge base. `mtimes` maps fact id -> modification time (seconds);
    a fact without one gets the current time. Same (kb, mtimes), same bytes."""
    return package(kb, notes(kb, mtimes))


def package(kb: KnowledgeBase, built: Sequence[CardNote],
            notetype_mtimes: Mapping[str, int] | None = None,
            retired: Sequence[str] = ()) -> bytes:
    """Write notes made by `notes()` into an .apkg, through genanki's own writers. Each note
    type gets its time from `notetype_mtimes` (the build keeps them in its lock; default: just
    after quizgen 0.1's, or the newest note's time). `retired` are the Browse searches that find
    the notes of facts gone from the deck, which its description lists for members."""
    collection = _collection(kb, built, notetype_mtimes or {}, retired)
    # Level 1 keeps nearly all of the size gain at well under half the time of level 6.
    return zip_bytes({"collection.anki2": collection, "media": b"{}"}, level=1)


def _collection(kb: KnowledgeBase, built: Sequence[CardNote],
                notetype_mtimes: Mapping[str, int], retired: Sequence[str]) -> bytes:
    """The collection.anki2 database of the package, as bytes. It is built in memory
    (sqlite3 serialize), so no temporary file is ever left behind."""
    models = {kind: model(kind) for kind in NOTE_TYPES}
    top = genanki.Deck(deck_id(kb.deck.id), deck_name(kb),
                       description=_description(kb, retired))
    decks = {top.deck_id: top}
    for note in built:
        if note.deck_id not in decks:
            decks[note.deck_id] = genanki.Deck(note.deck_id, note.deck_name)
        top.add_model(models[note.kind])
    # Note and card ids only have to be unique within the package (the importer renumbers
    # clashes); counting from the newest modification time keeps them plausible dates.
    newest = max((note.mtime for note in built), default=LEGACY_MTIME)
    default_mtime = max(LEGACY_MTIME + 1, newest)
    ids = itertools.count(newest * 1000)
    db = sqlite3.connect(":memory:")
    try:
        cursor = db.cursor()
        # Schema, collection row, decks and note types: genanki's Package with note-less decks.
        genanki.Package(list(decks.values())).write_to_db(cursor, default_mtime, ids)
        _set_notetype_mtimes(cursor, {MODEL_IDS[kind]: notetype_mtimes.get(kind, default_mtime)
                                      for kind in NOTE_TYPES})
        for position, note in enumerate(built):
            note_class = _ClozeNote if NOTE_TYPES[note.kind].cloze else genanki.Note
            anki_note = note_class(model=models[note.kind], fields=note.field_list(),
                                   tags=list(note.tags), guid=note.guid, due=position)
            if not anki_note.cards:
                raise QuizgenError(f"fact '{note.fact_id}' makes no Anki card")
            # Per note, so that each carries its own fact's modification time.
            anki_note.write_to_db(cursor, note.mtime, note.deck_id, ids)
        db.commit()
        return db.serialize()
    finally:
        db.close()


def _set_notetype_mtimes(cursor: sqlite3.Cursor, mtimes: Mapping[int, int]) -> None:
    """genanki gives every note type one time; members' copies update only from a newer one,
    so each gets the time its own templates last changed."""
    (raw,) = cursor.execute("SELECT models FROM col").fetchone()
    models = json.loads(raw)
    for model_id, model_json in models.items():
        model_json["mod"] = mtimes[int(model_id)]
    cursor.execute("UPDATE col SET models = ?", (json.dumps(models),))


def _description(kb: KnowledgeBase, retired: Sequence[str] = ()) -> str:
    """The deck's description, which Anki shows on the deck's overview screen and updates on
    every import: the KB's own, then how to find the notes of facts retired from the deck."""
    out = []
    if kb.deck.description is not None:
        out += [f'<div lang="zh-Hans">{_esc(kb.deck.description.zh)}</div>',
                f'<div lang="en">{_esc(kb.deck.description.en)}</div>']
    if retired:
        search = " or ".join(f"({s})" if " " in s else s for s in retired)
        out.append(f'<div class="retired"><p lang="zh-Hans">已从卡组中移除的 {len(retired)} 条笔记：'
                   f'在“浏览”中搜索下面这行，选中结果后删除。</p>'
                   f'<p lang="en">{len(retired)} note{"s" * (len(retired) != 1)} retired from '
                   'this deck: search Browse for the line below, select what it finds and '
                   f'delete it.</p><p><code>{_esc(search)}</code></p></div>')
    return "".join(out)
