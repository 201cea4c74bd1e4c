"""The lock file beside the outputs: what the last build saw and wrote.

It keeps, per fact, a content hash and the modification time Anki is given for that fact's
notes (moved forward exactly when the content changes), and per output file the hash of the
inputs that produced it and of its bytes. `quizgen build --check` decides staleness from it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from .errors import QuizgenError
from .fsutil import write_atomic

LOCK_NAME = "quizgen.lock"
FORMAT = 1


def sha256(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


@dataclass
class FactStamp:
    hash: str
    mtime: int


@dataclass
class OutputStamp:
    inputs: str  # hash of what produced it: KB content, settings, quizgen version
    sha256: str  # hash of the file's bytes as written


@dataclass
class Lock:
    quizgen: str = ""
    sources: str = ""  # hash of the source files' bytes, for the no-op fast path
    facts: dict[str, FactStamp] = field(default_factory=dict)
    outputs: dict[str, OutputStamp] = field(default_factory=dict)

    @property
    def latest_mtime(self) -> int:
        return max((f.mtime for f in self.facts.values()), default=0)

    @classmethod
    def read(cls, directory: Path) -> "Lock":
        path = directory / LOCK_NAME
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as e:
            raise QuizgenError.at(str(path), 0, 0, f"unreadable lock file ({e}); delete it to "
                                  "rebuild everything") from None
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            return cls()  # another format: start afresh (modification times restart from now)
        try:
            return cls(
                quizgen=raw["quizgen"],
                sources=raw["sources"],
                facts={k: FactStamp(**v) for k, v in raw["facts"].items()},
                outputs={k: OutputStamp(**v) for k, v in raw["outputs"].items()},
            )
        except (KeyError, TypeError, AttributeError) as e:
            raise QuizgenError.at(str(path), 0, 0, f"malformed lock file ({e}); delete it to "
                                  "rebuild everything") from None

    def to_bytes(self) -> bytes:
        data = {
            "format": FORMAT,
            "quizgen": self.quizgen,
            "sources": self.sources,
            "facts": {k: vars(v) for k, v in sorted(self.facts.items())},
            "outputs": {k: vars(v) for k, v in sorted(self.outputs.items())},
        }
        return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")

    def write(self, directory: Path) -> None:
        write_atomic(directory / LOCK_NAME, self.to_bytes())
