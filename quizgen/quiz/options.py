"""What a quiz set is made of: the options the user chose, over the deck's quiz defaults."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from ..errors import QuizgenError
from ..model import Deck

LANGS = ("zh", "en", "both")


@dataclass(frozen=True)
class QuizOptions:
    questions: int = 40
    variants: int = 2
    seed: int = 1
    lang: str = "zh"
    options: int = 4  # options per question, one of them right
    sections: tuple[str, ...] = ()  # section ids or numbers; empty: all
    kinds: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()  # a fact qualifies with any one of them
    exclude_tags: tuple[str, ...] = ()  # a fact with any one of them is never asked
    exports: tuple[str, ...] = ()  # formats of quizgen.exports written with the quiz
    focus: str | None = None  # "review": the KB's review list is asked first
    font: Path | None = None  # a font file with Chinese glyphs
    # Where to look for such a font; None: the system's font folders (and fontconfig).
    font_dirs: tuple[Path, ...] | None = None

    def __post_init__(self) -> None:
        limits = {"questions": (1, 10_000), "variants": (1, 26), "options": (2, 6)}
        for name, (low, high) in limits.items():
            value = getattr(self, name)
            if not isinstance(value, int) or not low <= value <= high:
                raise QuizgenError(f"quiz {name} must be a whole number from {low} to {high}, "
                                   f"not {value!r}")
        if self.focus not in (None, "review"):
            raise QuizgenError(f"quiz focus must be 'review', not {self.focus!r}")
        if self.lang not in LANGS:
            raise QuizgenError(f"quiz language must be one of {', '.join(LANGS)}, "
                               f"not {self.lang!r}")
        for name in ("sections", "kinds", "tags", "exclude_tags", "exports"):
            object.__setattr__(self, name, tuple(str(v) for v in getattr(self, name)))
        if self.font_dirs is not None:
            object.__setattr__(self, "font_dirs", tuple(Path(d) for d in self.font_dirs))

    @classmethod
    def from_deck(cls, deck: Deck, **given) -> "QuizOptions":
        """Options from the command line; a value of None takes the deck's quiz default."""
        known = {f.name for f in fields(cls)}
        unknown = set(given) - known
        if unknown:
            raise TypeError(f"unknown quiz options: {', '.join(sorted(unknown))}")
        defaults = deck.quiz
        values = {name: getattr(defaults, name) for name in type(defaults).model_fields
                  if name in known}
        values.update({k: v for k, v in given.items() if v is not None})
        return cls(**values)
