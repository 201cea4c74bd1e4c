"""The texts of a project: which knowledge bases live under source/, and where each one's
outputs go.

A `source/` with YAML files directly in it is one text, built into `decks/` (the layout of a
project with a single text). Otherwise every folder directly under `source/` that holds YAML
files is one text, built into a folder of the same name under `decks/`, so no two texts ever
share an output folder or file. Nothing below this module knows there are several texts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from importlib import resources
from dataclasses import dataclass
from pathlib import Path

from .errors import QuizgenError
from .fsutil import YAML_SUFFIXES, write_atomic

DEFAULT_SOURCE = Path("source")
DEFAULT_OUT = Path("decks")
NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,79}")


@dataclass(frozen=True)
class ProjectText:
    """One text of the project: its knowledge base and its output folder."""

    name: str  # the folder's name under source/, or "" when source/ is the one text
    source: Path
    out: Path


def _holds_yaml(folder: Path, recursive: bool) -> bool:
    pattern = folder.rglob("*") if recursive else folder.iterdir()
    return any(p.suffix in YAML_SUFFIXES and p.is_file()
               and not any(part.startswith(".") for part in p.relative_to(folder).parts)
               for p in pattern)


def project_texts(source: Path = DEFAULT_SOURCE, out: Path = DEFAULT_OUT) -> list[ProjectText]:
    """The texts under `source`, in name order, each with its output folder under `out`."""
    if not source.exists():
        if source == DEFAULT_SOURCE:
            raise QuizgenError.at(
                str(source), 1, 1, "no source/ folder here: run quizgen in the project's folder "
                "(the one that holds source/ and decks/), or give the knowledge base's path; "
                "`quizgen new DECK-ID` starts a project")
        raise QuizgenError.at(str(source), 1, 1, "no such file or directory")
    if source.is_file() or _holds_yaml(source, recursive=False):
        return [ProjectText("", source, out)]
    if not source.is_dir():
        raise QuizgenError.at(str(source), 1, 1, "not a file or a directory")
    texts = [ProjectText(folder.name, folder, out / folder.name)
             for folder in sorted(source.iterdir(), key=lambda p: p.name)
             if folder.is_dir() and not folder.name.startswith(".")
             and _holds_yaml(folder, recursive=True)]
    if not texts:
        raise QuizgenError.at(str(source), 1, 1, "no YAML files (*.yaml, *.yml) found here; "
                              "`quizgen new DECK-ID` starts a text")
    for text in texts:
        if not NAME.fullmatch(text.name):
            raise QuizgenError.at(str(text.source), 1, 1,
                                  f"a text's folder name becomes its output folder: "
                                  f"'{text.name}' must be lower-case letters, digits, '.', '_' "
                                  "or '-' (rename the folder)")
    return texts


def select(texts: list[ProjectText], names: Sequence[str], source: Path) -> list[ProjectText]:
    """The texts named (all when none is), in the order named."""
    if not names:
        return texts
    by_name = {t.name: t for t in texts if t.name}
    known = ", ".join(by_name) or f"{source} is one text, with no name"
    chosen = []
    for name in names:
        if name not in by_name:
            raise QuizgenError.at(str(source), 1, 1, f"no text named '{name}' (texts: {known})")
        chosen.append(by_name[name])
    return chosen


def duplicate_deck_ids(decks: dict[ProjectText, str]) -> list[str]:
    """Messages for deck ids two texts share: members' Anki would mix their notes."""
    seen: dict[str, ProjectText] = {}
    problems = []
    for text, deck_id in decks.items():
        if deck_id in seen:
            problems.append(f"{text.source}: deck id '{deck_id}' is already the id of "
                            f"{seen[deck_id].source}: every text needs its own deck id (in its "
                            "deck header), or members' Anki mixes their notes")
        seen.setdefault(deck_id, text)
    return problems


def new_text(deck_id: str, source: Path = DEFAULT_SOURCE) -> Path:
    """Start a text: `source/<deck id>/<deck id>.yaml` from the commented template, which
    passes `quizgen check` and builds as written. Returns the file written."""
    if not NAME.fullmatch(deck_id) or ".." in deck_id:
        raise QuizgenError.at(deck_id, 1, 1, "a deck id is lower-case letters, digits, '.', '_' "
                              "and '-', starting with a letter or digit (e.g. transformer-2017)")
    if source.exists() and not source.is_dir():
        raise QuizgenError.at(str(source), 1, 1, "not a folder")
    if source.is_dir() and _holds_yaml(source, recursive=False):
        one = source.name
        raise QuizgenError.at(
            str(source), 1, 1, f"{one}/ holds one text at its top: give it a folder of its "
            f"own first, and its outputs too, e.g. `mkdir {one}/first decks/first && git mv "
            f"{one}/*.yaml {one}/first/ && git mv decks/* decks/first/` (its Anki identity "
            "stays: it comes from the deck id)")
    folder = source / deck_id
    if folder.exists():
        raise QuizgenError.at(str(folder), 1, 1, "already exists: choose another deck id")
    template = (resources.files("quizgen") / "templates" / "new-text.yaml").read_text(
        encoding="utf-8")
    folder.mkdir(parents=True)
    path = folder / f"{deck_id}.yaml"
    write_atomic(path, template.replace("DECK_ID", deck_id).encode("utf-8"))
    return path


PAGE_NAME = "index.html"


def group_page(texts: list[ProjectText], out_root: Path) -> tuple[Path, bytes]:
    """The group's page over the texts' outputs as their locks record them: where it goes
    (the output root, or the one text's folder) and its bytes."""
    import json

    from .lock import Lock
    from .site.page import TextOutputs, group_page as render

    entries = []
    for text in texts:
        outputs = tuple(sorted(Lock.read(text.out).outputs))
        try:
            title = json.loads((text.out / "quiz.json").read_text(encoding="utf-8"))["deck"][
                "title"]
        except (OSError, ValueError, KeyError, TypeError):
            title = {"zh": text.name or text.source.name, "en": text.name or text.source.name}
        folder = f"{text.out.relative_to(out_root).as_posix()}/" if text.out != out_root else ""
        entries.append(TextOutputs(title, folder, outputs))
    return out_root / PAGE_NAME, render(entries)
