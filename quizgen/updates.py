"""How a rebuilt deck meets members' collections: what the lock remembers and carries forward.

A member's Anki keeps a note's review history as long as its GUID stays, and a cloze card's
as long as its number stays; it takes an updated note or note type only when its time is
newer; it never deletes anything, and it never moves a card to another deck. From the lock
and the current knowledge base this works out, for the next deck, each fact's identity and
time (renamed facts keep theirs, see `formerly`), each list item's cloze number, each note
type's time, the facts retired from the deck, and what members must do by hand: delete
retired notes, rename a subdeck, or tick "Merge note types" once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

from .anki import (LEGACY_FIELDS, LEGACY_MTIME, NOTE_TYPES, CardNote, Schema, deck_name,
                   id_tag, notes, schema, tag_prefix)
from .lock import FactStamp, ItemNumbers, Lock, NoteTypeStamp, Retired
from .model import KnowledgeBase, ListFact


@dataclass(frozen=True)
class NoteTypeChange:
    kind: str
    added: tuple[str, ...]  # fields and card types members' copies do not have yet
    merge: bool  # True when the default import cannot take it: "Merge note types" once


@dataclass
class Updates:
    """The deck's notes and the lock's new tables, and what the change means for members."""

    notes: list[CardNote]
    stamps: dict[str, FactStamp]
    items: dict[str, ItemNumbers]
    notetypes: dict[str, NoteTypeStamp]
    retired: dict[str, Retired]
    decks: dict[str, str]
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (old id, new id)
    retired_now: list[str] = field(default_factory=list)
    retired_items: list[tuple[str, str]] = field(default_factory=list)  # (fact id, item)
    renamed_decks: list[tuple[str, str]] = field(default_factory=list)  # (old, new name)
    notetype_changes: list[NoteTypeChange] = field(default_factory=list)

    @property
    def searches(self) -> list[str]:
        """The Browse searches that find retired notes, as the deck description lists them."""
        return [self.retired[k].search for k in sorted(self.retired)]

    @property
    def needs_merge(self) -> list[NoteTypeChange]:
        return [c for c in self.notetype_changes if c.merge]

    def lock_tables(self) -> dict:
        """What the next build needs to remember of this one (the Lock's fields)."""
        return {"facts": self.stamps, "items": self.items, "notetypes": self.notetypes,
                "retired": self.retired, "decks": self.decks}


def item_key(text: str) -> str:
    """How the lock names an item: its text, or for a long one its start and a hash."""
    if len(text) <= 60:
        return text
    return f"{text[:48]}…{hashlib.sha256(text.encode()).hexdigest()[:8]}"


def number_items(fact: ListFact, old: ItemNumbers | None) -> tuple[ItemNumbers, list[str]]:
    """Cloze numbers for the list's items: each item found in the old list (same Chinese and
    English, else the same Chinese, else the same English) keeps its number; a new item gets
    one never given before. Also the keys of old items that are gone (their cards retire)."""
    keys = [(item_key(item.zh), item_key(item.en)) for item in fact.items]
    if old is None:
        return ItemNumbers([(zh, en, n) for n, (zh, en) in enumerate(keys, 2)],
                           len(keys) + 2), []
    numbers: list[int | None] = [None] * len(keys)
    unmatched = list(old.items)
    for same in (lambda a, b: a[:2] == b[:2], lambda a, b: a[0] == b[0],
                 lambda a, b: a[1] == b[1]):
        for i, key in enumerate(keys):
            if numbers[i] is None:
                match = next((o for o in unmatched if same(key, o)), None)
                if match is not None:
                    numbers[i] = match[2]
                    unmatched.remove(match)
    next_free = old.next
    for i in range(len(numbers)):
        if numbers[i] is None:
            numbers[i], next_free = next_free, next_free + 1
    return (ItemNumbers([(zh, en, n) for (zh, en), n in zip(keys, numbers)], next_free),
            [zh for zh, _, _ in unmatched])


def _former_stamp(fact, table: dict):
    """The lock's entry for a fact: under its id, or else under its latest former id."""
    if fact.id in table:
        return fact.id, table[fact.id]
    for old in reversed(fact.formerly):
        if old in table:
            return old, table[old]
    return None, None


def plan_updates(kb: KnowledgeBase, lock: Lock, now: int) -> Updates:
    """The notes the deck will hold, with their times, and the lock tables that go with them.
    Changed facts and note types get a time later than any the lock has seen, so members'
    imports take them even for two builds within one second."""
    fresh = max(now, lock.latest_mtime + 1)
    # Members' note types are at least quizgen 0.1's; the time of one that changes must pass it.
    fresh_notetype = max(fresh, LEGACY_MTIME + 1,
                         *(t.mtime + 1 for t in (lock.notetypes or {}).values()))
    legacy = lock.notetypes is None  # a lock of quizgen 0.1: members hold its note types

    items, retired_items = {}, []
    renamed = []
    earlier = {fact.id: _former_stamp(fact, lock.facts) for fact in kb.facts}
    for fact in kb.facts:
        old_id, _ = earlier[fact.id]
        if old_id is not None and old_id != fact.id:
            renamed.append((old_id, fact.id))
        if isinstance(fact, ListFact):
            # A list the lock has no numbers for (new, or from quizgen 0.1, which numbered
            # items in order) is numbered in order.
            _, old_items = _former_stamp(fact, lock.items)
            items[fact.id], gone = number_items(fact, old_items)
            retired_items.extend((fact.id, key) for key in gone)
    numbers = {k: [n for _, _, n in v.items] for k, v in items.items()}

    built = notes(kb, now=0, numbers=numbers)
    out_stamps: dict[str, FactStamp] = {}
    for note in built:
        _, old = earlier[note.fact_id]
        same = old is not None and old.hash == note.digest and old.guid == note.guid
        out_stamps[note.fact_id] = old if same else FactStamp(note.digest, fresh, note.guid)
    final = [replace(n, mtime=out_stamps[n.fact_id].mtime) for n in built]

    # Facts gone from the deck: members find their notes by the tag they carry.
    current = set(earlier) | {old for old, _ in renamed}
    retired = {k: v for k, v in lock.retired.items() if k not in current}
    retired_now = []
    prefix = tag_prefix(kb.deck.id)

    def search(fact_id: str) -> str:
        return f"tag:{'id::' + fact_id if legacy else id_tag(kb.deck.id, fact_id)}"

    for fact_id in lock.facts:
        if fact_id not in current:
            retired_now.append(fact_id)
            retired[fact_id] = Retired(search(fact_id), fresh)
    for note in built:
        old_id, old = earlier[note.fact_id]
        if old is not None and old.guid != note.guid:  # its kind changed: a new note
            kind_tag = next(t for t in note.tags if t.startswith(f"{prefix}kind::"))
            retired[f"{note.fact_id}.was"] = Retired(f"{search(old_id)} -tag:{kind_tag}", fresh)

    decks = {"": deck_name(kb), **{s.id: deck_name(kb, s) for s in kb.sections}}
    renamed_decks = [(lock.decks[k], name) for k, name in decks.items()
                     if lock.decks.get(k, name) != name]
    if lock.decks.get("", decks[""]) != decks[""]:
        renamed_decks = [(lock.decks[""], decks[""])]  # every subdeck's name follows it

    notetypes, changes = {}, []
    for kind in NOTE_TYPES:
        current_schema = schema(kind)
        old = (lock.notetypes or {}).get(kind)
        if old is None and legacy and lock.facts:
            old = NoteTypeStamp(list(LEGACY_FIELDS[kind]),
                                list(NOTE_TYPES[kind].template_names), "", LEGACY_MTIME)
        if old is not None and old.style == current_schema.style and (
                tuple(old.fields), tuple(old.templates)) == (current_schema.fields,
                                                             current_schema.templates):
            notetypes[kind] = old
            continue
        notetypes[kind] = NoteTypeStamp(list(current_schema.fields),
                                        list(current_schema.templates),
                                        current_schema.style, fresh_notetype)
        if old is not None and any(n.kind == kind for n in final):
            previous = Schema(tuple(old.fields), tuple(old.templates), old.style)
            added = tuple(n for n in (*current_schema.fields, *current_schema.templates)
                          if n not in (*previous.fields, *previous.templates))
            changes.append(NoteTypeChange(kind, added, current_schema.needs_merge(previous)))

    return Updates(notes=final, stamps=out_stamps, items=items, notetypes=notetypes,
                   retired=retired, decks=decks, renamed=renamed, retired_now=retired_now,
                   retired_items=retired_items, renamed_decks=renamed_decks,
                   notetype_changes=changes)
