"""The one exception family quizgen raises, and the located problems it carries."""

from __future__ import annotations

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
        return f"{self.where}: {self.severity}: {self.message}"


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
