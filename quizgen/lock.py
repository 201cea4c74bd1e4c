"""The lock file beside the outputs: what the last build saw and wrote.

It keeps, per fact, a content hash, the note identity Anki knows it by, and the modification
time Anki is given for its notes (moved forward exactly when the content changes); and per
output file the hash of the inputs that produced it and of its bytes. `quizgen build --check`
decides staleness from it.
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
FORMAT = 2


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
class OutputStamp:
    inputs: str  # hash of what produced it: KB content, settings, quizgen's code
    sha256: str  # hash of the file's bytes as written


@dataclass
class Lock:
    sources: str = ""  # hash of the source files' bytes, settings and code: the no-op fast path
    facts: dict[str, FactStamp] = field(default_factory=dict)
    outputs: dict[str, OutputStamp] = field(default_factory=dict)

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
            if not isinstance(raw, dict) or raw.get("format") != FORMAT:
                return cls()  # another format: start afresh (times restart from now)
            sources = _typed(raw["sources"], str)
            if len(sources) > 128:
                raise ValueError("sources is too long")
            return cls(sources=sources,
                       facts=_stamps(raw["facts"], FactStamp),
                       outputs=_stamps(raw["outputs"], OutputStamp))
        except (ValueError, KeyError, TypeError) as e:
            raise QuizgenError.at(str(path), 1, 1, f"malformed lock file ({e}); delete it to "
                                  "rebuild everything from scratch") from None

    def to_bytes(self) -> bytes:
        data = {
            "format": FORMAT,
            "sources": self.sources,
            "facts": {k: asdict(v) for k, v in sorted(self.facts.items())},
            "outputs": {k: asdict(v) for k, v in sorted(self.outputs.items())},
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
_NAMES = {FactStamp: re.compile(r"[a-z0-9][a-z0-9._-]{0,79}"),
          OutputStamp: re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")}
MAX_MTIME = 2 ** 33  # the year 2242: Anki's seconds, far from any overflow
MAX_LOCK_BYTES = 64 * 1024 * 1024


def _stamps(raw, cls):
    """A {name: stamp} table, each stamp's fields checked against the dataclass's types, and
    every name and value against what a build can have written."""
    types = {f.name: {"str": str, "int": int}[f.type] for f in fields(cls)}
    out = {}
    for name, stamp in _typed(raw, dict).items():
        if not _NAMES[cls].fullmatch(name) or ".." in name:
            raise ValueError(f"{name!r} is not a name a build writes")
        if _typed(stamp, dict).keys() != types.keys():
            raise KeyError(f"{name}: expected the keys {', '.join(types)}")
        values = {k: _typed(v, types[k]) for k, v in stamp.items()}
        for key, value in values.items():
            if isinstance(value, int) and not 0 <= value <= MAX_MTIME:
                raise ValueError(f"{name}: {key} {value} is out of range")
            if isinstance(value, str) and len(value) > 128:
                raise ValueError(f"{name}: {key} is too long")
        out[name] = cls(**values)
    return out
