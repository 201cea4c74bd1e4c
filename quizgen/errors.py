"""The one exception family quizgen raises, and the located problems it carries."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; line and column count from 1."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        if self.line <= 0:  # a whole file, or no file at all
            return self.path
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or suspicious) in the knowledge base, with where it is."""

    where: Location
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return printable(f"{self.where}: {self.severity}: {self.message}")


# What must not reach a terminal as it is: control characters (an escape sequence in a YAML
# key would drive the terminal), bidirectional overrides, and the lone surrogates that stand
# for the bytes of a file name that is not UTF-8 (printing those would fail).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069"
                     "\ud800-\udfff]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` safe to print on one line: what `_UNSAFE` matches written as an escape."""
    return _UNSAFE.sub(_escape, text)


class QuizgenError(Exception):
    """Raised for anything the user can fix: bad input, missing files, unwritable outputs."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(Location("quizgen", 0, 0), problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, path: str, line: int, col: int, message: str) -> "QuizgenError":
        return cls(Problem(Location(str(path), line, col), message))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]
