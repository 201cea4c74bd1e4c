"""The lock file beside the outputs: what the last build saw and wrote.

It keeps, per fact, a content hash, the note identity Anki knows it by, and the modification
time Anki is given for its notes (moved forward exactly when the content changes); per list,
the cloze number each item was given; per note type, its schema and when its templates last
changed; the facts retired from the deck and the deck names members' cards live in; and per
output file the hash of the inputs that produced it and of its bytes. `quizgen build --check`
decides staleness from it. A lock of an earlier format is read and carried forward: it holds
members' note identities and times, which must outlive any quizgen upgrade.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from .errors import QuizgenError
from .fsutil import NotRegular, read_regular, write_atomic

LOCK_NAME = "quizgen.lock"
FORMAT = 3


def sha256(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")  # file names that are not UTF-8
    return hashlib.sha256(data).hexdigest()


@dataclass
class FactStamp:
    hash: str  # of everything the fact's notes hold
    mtime: int  # whole seconds: Anki updates a note only from a newer one
    guid: str  # the note's identity in Anki


@dataclass
class ItemNumbers:
    """The cloze numbers of a list's items, in the list's order, and the next free one (a
    retired item's number is never given again: its card's history is its own)."""

    items: list[tuple[str, str, int]]  # (key of the Chinese, key of the English, number)
    next: int


@dataclass
class NoteTypeStamp:
    fields: list[str]
    templates: list[str]
    style: str  # hash of the templates, CSS and sort field: what the default import updates
    mtime: int  # moved forward when `style` changes, so that members' copies update


@dataclass
class Retired:
    search: str  # what finds members' copies of its notes in Anki's Browse window
    since: int  # the build time it left the deck


@dataclass
class OutputStamp:
    inputs: str  # hash of what produced it: KB content, settings, quizgen's code
    sha256: str  # hash of the file's bytes as written


@dataclass
class Lock:
    sources: str = ""  # hash of the source files' bytes, settings and code: the no-op fast path
    deck: str = ""  # the id of the deck whose outputs these are
    facts: dict[str, FactStamp] = field(default_factory=dict)
    outputs: dict[str, OutputStamp] = field(default_factory=dict)
    items: dict[str, ItemNumbers] = field(default_factory=dict)
    # None: a lock from before note types were recorded (quizgen 0.1), whose members hold the
    # note types of that version.
    notetypes: dict[str, NoteTypeStamp] | None = field(default_factory=dict)
    retired: dict[str, Retired] = field(default_factory=dict)
    decks: dict[str, str] = field(default_factory=dict)  # "" or a section id -> deck name

    @property
    def latest_mtime(self) -> int:
        return max((f.mtime for f in self.facts.values()), default=0)

    @classmethod
    def read(cls, directory: Path) -> "Lock":
        path = directory / LOCK_NAME
        try:
            text = read_regular(path, MAX_LOCK_BYTES).decode("utf-8")
        except FileNotFoundError:
            return cls()
        except NotADirectoryError:
            raise QuizgenError.at(str(directory), 1, 1, "not a folder: cannot write outputs "
                                  "here") from None
        except NotRegular as e:
            raise QuizgenError.at(str(path), 1, 1, f"the lock file is {e}: delete it to "
                                  "rebuild everything from scratch") from None
        except (OSError, UnicodeDecodeError) as e:
            raise QuizgenError.at(str(path), 1, 1, f"cannot read the lock file ({e})") from None
        try:
            raw = json.loads(text)
            version = raw.get("format") if isinstance(raw, dict) else None
            if version not in (2, FORMAT):
                return cls()  # no lock quizgen wrote: start afresh (times restart from now)
            sources = _typed(raw["sources"], str)
            if len(sources) > 128:
                raise ValueError("sources is too long")
            lock = cls(sources=sources,
                       facts=_stamps(raw["facts"], FactStamp),
                       outputs=_stamps(raw["outputs"], OutputStamp))
            if version == 2:
                lock.notetypes = None
                # The deck is the one whose .apkg the lock records.
                decks = [n.removesuffix(".apkg") for n in lock.outputs if n.endswith(".apkg")]
                lock.deck = decks[0] if len(decks) == 1 else ""
                return lock
            lock.deck = _text(raw.get("deck", ""), 80)
            lock.items = {name: _item_numbers(v) for name, v in _names(raw["items"])}
            lock.notetypes = {name: _notetype(v) for name, v in _names(raw["notetypes"])}
            lock.retired = _stamps(raw["retired"], Retired)
            lock.decks = {name: _text(v, 400) for name, v in _names(raw["decks"], blank=True)}
            return lock
        except (ValueError, KeyError, TypeError) as e:
            raise QuizgenError.at(str(path), 1, 1, f"malformed lock file ({e}); delete it to "
                                  "rebuild everything from scratch") from None

    def to_bytes(self) -> bytes:
        def table(stamps) -> dict:
            return {k: asdict(v) for k, v in sorted(stamps.items())}

        data = {
            "format": FORMAT,
            "deck": self.deck,
            "sources": self.sources,
            "facts": table(self.facts),
            "items": table(self.items),
            "notetypes": table(self.notetypes or {}),
            "retired": table(self.retired),
            "decks": dict(sorted(self.decks.items())),
            "outputs": table(self.outputs),
        }
        return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")

    def write(self, directory: Path) -> None:
        write_atomic(directory / LOCK_NAME, self.to_bytes())


def _typed(value, kind: type):
    if type(value) is not kind:
        raise TypeError(f"expected {kind.__name__}, got {value!r}")
    return value


# What a lock may hold: names of facts and outputs that are plain names (never a path, so a
# lock from elsewhere cannot make a build read or report outside its folder), times a deck can
# carry, hashes and note ids of bounded length.
_SLUG = re.compile(r"[a-z0-9][a-z0-9._-]{0,79}")
_NAMES = {FactStamp: _SLUG, Retired: _SLUG,
          OutputStamp: re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")}
MAX_MTIME = 2 ** 33  # the year 2242: Anki's seconds, far from any overflow
MAX_LOCK_BYTES = 64 * 1024 * 1024


def _stamps(raw, cls):
    """A {name: stamp} table, each stamp's fields checked against the dataclass's types, and
    every name and value against what a build can have written."""
    types = {f.name: {"str": str, "int": int}[f.type] for f in fields(cls)}
    out = {}
    for name, stamp in _names(raw, _NAMES[cls]):
        if _typed(stamp, dict).keys() != types.keys():
            raise KeyError(f"{name}: expected the keys {', '.join(types)}")
        values = {k: _typed(v, types[k]) for k, v in stamp.items()}
        for key, value in values.items():
            if isinstance(value, int) and not 0 <= value <= MAX_MTIME:
                raise ValueError(f"{name}: {key} {value} is out of range")
            if isinstance(value, str) and len(value) > 400:
                raise ValueError(f"{name}: {key} is too long")
        out[name] = cls(**values)
    return out


def _names(raw, pattern: re.Pattern = _SLUG, blank: bool = False):
    """The (name, value) pairs of a table whose names are fact, section or kind ids."""
    for name, value in _typed(raw, dict).items():
        if not (pattern.fullmatch(name) or (blank and name == "")) or ".." in name:
            raise ValueError(f"{name!r} is not a name a build writes")
        yield name, value


def _text(value, limit: int) -> str:
    if len(_typed(value, str)) > limit:
        raise ValueError(f"{value[:20]!r}... is too long")
    return value


def _number(value) -> int:
    if not 0 <= _typed(value, int) <= MAX_MTIME:
        raise ValueError(f"{value} is out of range")
    return value


def _item_numbers(raw) -> ItemNumbers:
    if _typed(raw, dict).keys() != {"items", "next"}:
        raise KeyError("expected the keys items, next")
    items = []
    for entry in _typed(raw["items"], list):
        zh, en, number = _typed(entry, list) if len(entry) == 3 else (None, None, None)
        items.append((_text(zh, 64), _text(en, 64), _number(number)))
    if len(items) > MAX_ITEMS:
        raise ValueError("too many items")
    return ItemNumbers(items, _number(raw["next"]))


def _notetype(raw) -> NoteTypeStamp:
    if _typed(raw, dict).keys() != {"fields", "templates", "style", "mtime"}:
        raise KeyError("expected the keys fields, templates, style, mtime")
    names = [[_text(n, 100) for n in _typed(raw[k], list)][:100] for k in ("fields", "templates")]
    return NoteTypeStamp(*names, _text(raw["style"], 128), _number(raw["mtime"]))


MAX_ITEMS = 10_000
