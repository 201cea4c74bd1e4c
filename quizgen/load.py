"""Read YAML files under source/ into a KnowledgeBase, keeping where every key came from.

The YAML is read event by event with libyaml and composed here, iteratively, into plain
Python values. That keeps line and column for every key, and it refuses what a knowledge
base never needs and an attacker might send: tags (so nothing is ever constructed from
YAML), anchors and aliases (so no "billion laughs"), duplicate keys and absurd nesting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import ValidationError

from .errors import Location, Problem, QuizgenError
from .fsutil import find_files
from .model import Deck, Fact, KnowledgeBase, Section, SourceFile

try:  # libyaml is ~10x faster; the pure-Python parser gives the same events and marks.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 32

PathKey = tuple[str | int, ...]
# The parser's marks (0-based line and column) of every key and list item, by path.
Positions = dict[PathKey, Any]

_INT = re.compile(r"[-+]?(0|[1-9][0-9_]*)")
_FLOAT = re.compile(r"[-+]?([0-9][0-9_]*)?\.[0-9]+([eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+")
_NULLS = {"", "~", "null", "Null", "NULL"}
# First characters of every plain scalar that resolves to something other than text.
_MAYBE_NOT_TEXT = frozenset("-+.0123456789~nNtTfF")
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}


@dataclass
class SourceMap:
    """Where each part of a merged KnowledgeBase was written."""

    positions: dict[str, Positions] = field(default_factory=dict)
    deck_file: str = ""
    sections: list[tuple[str, int]] = field(default_factory=list)
    facts: list[tuple[str, int]] = field(default_factory=list)

    def locate(self, file: str, path: PathKey) -> Location:
        """The deepest recorded node on `path` (a missing key points at its parent)."""
        positions = self.positions.get(file, {})
        found = positions.get(())
        current: PathKey = ()
        for part in path:
            candidate = current + (part,)
            if candidate in positions:
                current = candidate
                found = positions[candidate]
        return Location(file, *_line_col_of(found))

    def deck(self, *path: str | int) -> Location:
        return self.locate(self.deck_file, ("deck", *path))

    def section(self, index: int, *path: str | int) -> Location:
        file, i = self.sections[index]
        return self.locate(file, ("sections", i, *path))

    def fact(self, index: int, *path: str | int) -> Location:
        file, i = self.facts[index]
        return self.locate(file, ("facts", i, *path))


@dataclass
class Loaded:
    kb: KnowledgeBase
    source_map: SourceMap
    files: list[Path]
    # Each file's bytes exactly as read, so a build records what it really built from.
    file_bytes: dict[str, bytes] = field(default_factory=dict)


def load(root: Path | str) -> Loaded:
    """Load and merge every YAML file under `root`; raise QuizgenError listing all problems."""
    root = Path(root)
    files = find_files(root)
    problems: list[Problem] = []
    source_map = SourceMap()
    parsed: list[tuple[str, SourceFile]] = []
    raw_files: dict[str, bytes] = {}
    for path in files:
        name = str(path)
        try:
            raw = raw_files[name] = read_bytes(path)
            data, positions = parse_yaml(decode(raw, name), name)
        except QuizgenError as e:
            problems.extend(e.problems)
            continue
        source_map.positions[name] = positions
        if not isinstance(data, dict):
            problems.append(
                Problem(Location(name, *_line_col_of(positions[()])), "expected a mapping with the keys "
                        "deck, sections and facts at the top of the file")
            )
            continue
        try:
            parsed.append((name, SourceFile.model_validate(data)))
        except ValidationError as e:
            problems.extend(_explain(e, name, source_map))
    if problems:
        raise QuizgenError(problems)
    loaded = _merge(parsed, source_map, root, files)
    loaded.file_bytes = raw_files
    return loaded


def _merge(parsed: list[tuple[str, SourceFile]], source_map: SourceMap, root: Path,
           files: list[Path]) -> Loaded:
    deck: Deck | None = None
    sections: list[Section] = []
    facts: list[Fact] = []
    review: list[str] = []
    problems: list[Problem] = []
    for name, doc in parsed:
        review.extend(doc.review)
        if doc.deck is not None:
            if deck is not None:
                problems.append(Problem(source_map.locate(name, ("deck",)),
                                        f"a second deck header (the first is in {source_map.deck_file})"))
            else:
                deck, source_map.deck_file = doc.deck, name
        sections.extend(doc.sections)
        source_map.sections.extend((name, i) for i in range(len(doc.sections)))
        facts.extend(doc.facts)
        source_map.facts.extend((name, i) for i in range(len(doc.facts)))
    if deck is None:
        problems.append(Problem(Location(str(root), 1, 1),
                                "no deck header: one file needs a top-level 'deck:' key"))
    if problems:
        raise QuizgenError(problems)
    kb = KnowledgeBase.model_construct(deck=deck, sections=sections, facts=facts,
                                       review=list(dict.fromkeys(review)))
    return Loaded(kb, source_map, files)


def read_bytes(path: Path) -> bytes:
    """A source file's bytes, or a located error if it is too large or unreadable."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise QuizgenError.at(name, 1, 1, f"file is {size / 1048576:.1f} MiB; a source "
                                  f"file may be at most {MAX_FILE_BYTES // 1048576} MiB")
        return path.read_bytes()
    except OSError as e:
        raise QuizgenError.at(name, 1, 1, f"cannot read: {e.strerror or e}") from None


def decode(data: bytes, name: str) -> str:
    """The bytes as text, or a located error for anything that is not UTF-8 YAML text."""
    nul = data.find(b"\x00")
    if nul >= 0:
        line, col = _line_col(data, nul)
        raise QuizgenError.at(name, line, col, "binary data (a NUL byte): not a YAML text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line, col = _line_col(data, e.start)
        raise QuizgenError.at(name, line, col,
                              f"not UTF-8: byte 0x{data[e.start]:02x} cannot be decoded") from None


def _line_col_of(mark) -> tuple[int, int]:
    return (1, 1) if mark is None else (mark.line + 1, mark.column + 1)


def _line_col(data: bytes | str, offset: int) -> tuple[int, int]:
    newline = b"\n" if isinstance(data, bytes) else "\n"
    line = data.count(newline, 0, offset) + 1
    col = offset - (data.rfind(newline, 0, offset) + 1) + 1
    return line, col


def _resolve(value: str) -> Any:
    """YAML 1.2 core-schema scalars, minus the surprises: no yes/no booleans, no octal."""
    if value in _NULLS:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if len(value) <= 40:
        if _INT.fullmatch(value):
            return int(value.replace("_", ""))
        if _FLOAT.fullmatch(value):
            return float(value.replace("_", ""))
    return value


def parse_yaml(text: str, name: str) -> tuple[Any, Positions]:
    """Compose one YAML document into plain values and the (line, col) of every key and item."""
    loader = _Loader(text)
    positions: Positions = {}

    def fail(mark, message: str) -> QuizgenError:
        return QuizgenError.at(name, mark.line + 1, mark.column + 1, message)

    try:
        loader.get_event()  # StreamStart
        if loader.check_event(yaml.StreamEndEvent):
            raise QuizgenError.at(name, 1, 1, "file is empty: expected deck, sections or facts")
        loader.get_event()  # DocumentStart
        # Each frame: [container, path, pending mapping key or None]
        stack: list[list[Any]] = []
        root: Any = None
        get_event = loader.get_event
        Scalar, MappingStart = yaml.ScalarEvent, yaml.MappingStartEvent
        Ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
        while True:
            event = get_event()
            cls = type(event)
            if cls in Ends:
                stack.pop()
                if not stack:
                    break
                continue
            if cls is yaml.AliasEvent:
                raise fail(event.start_mark, f"aliases (*{event.anchor}) are not supported: "
                                             "write the value out")
            if event.anchor is not None:
                raise fail(event.start_mark, f"anchors (&{event.anchor}) are not supported")
            if event.tag is not None:  # only explicit tags are reported; nothing is constructed
                raise fail(event.start_mark, f"YAML tags ({event.tag}) are not supported")
            mark = event.start_mark
            if cls is Scalar:
                value: Any = event.value
                if event.implicit[0] and (not value or value[0] in _MAYBE_NOT_TEXT):
                    value = _resolve(value)
                if not stack:
                    root = value
                    positions[()] = mark
                    break
                frame = stack[-1]
                container = frame[0]
                if frame[2] is None and type(container) is dict:  # this scalar is a key
                    if not isinstance(value, str):
                        value = str(value)  # `2019:` as a key is still the text 2019
                    key_path = frame[1] + (value,)
                    if value in container:
                        hint = ""
                        if value in ("id", "kind") and frame[1][:1] == ("facts",):
                            hint = ("; each fact starts with '- ' (a dash and a space): the "
                                    "'- ' before this fact is probably missing")
                        raise fail(mark, f"duplicate key '{value}' (first at line "
                                         f"{positions[key_path].line + 1}){hint}")
                    frame[2] = value
                    positions[key_path] = mark
                    container[value] = None
                elif type(container) is dict:
                    container[frame[2]] = value
                    frame[2] = None
                else:
                    positions[frame[1] + (len(container),)] = mark
                    container.append(value)
                continue
            # A mapping or sequence starts.
            new: Any = {} if cls is MappingStart else []
            if len(stack) >= MAX_DEPTH:
                raise fail(mark, f"nested more than {MAX_DEPTH} levels deep")
            if not stack:
                root, path = new, ()
                positions[()] = mark
            else:
                frame = stack[-1]
                container = frame[0]
                if type(container) is dict:
                    if frame[2] is None:
                        raise fail(mark, "a mapping or list cannot be a key")
                    path = frame[1] + (frame[2],)
                    container[frame[2]] = new
                    frame[2] = None
                else:
                    path = frame[1] + (len(container),)
                    positions[path] = mark
                    container.append(new)
            stack.append([new, path, None])
        loader.get_event()  # DocumentEnd
        if not loader.check_event(yaml.StreamEndEvent):
            raise fail(loader.peek_event().start_mark,
                       "more than one YAML document: keep one per file")
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        message = e.problem or "invalid YAML"
        if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
            message += " (indent with spaces, not tabs)"
        elif mark is not None:
            message += _yaml_hint(message, text, mark)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise QuizgenError.at(name, line, col, f"invalid YAML: {message}") from None
    except yaml.YAMLError as e:  # reader errors: characters YAML does not allow
        position = getattr(e, "position", 0)
        line, col = _line_col(text, min(position, len(text)))
        reason = getattr(e, "reason", None) or "invalid YAML"
        raise QuizgenError.at(name, line, col, f"invalid YAML: {reason}") from None
    finally:
        loader.dispose()
    return root, positions


_KEY_VALUE = re.compile(r"\s*(?:-\s+)?[^\s:#'\"]+:\s+\S")


def _yaml_hint(problem: str, text: str, mark) -> str:
    """How to fix the YAML mistakes authors make most, from the line the parser stopped at."""
    lines = text.splitlines()
    if not 0 <= mark.line < len(lines):
        return ""
    line = lines[mark.line]
    if "mapping values are not allowed" in problem:
        previous = next((lines[i] for i in range(mark.line - 1, -1, -1) if lines[i].strip()
                         and not lines[i].lstrip().startswith("#")), "")
        indent = len(line) - len(line.lstrip())
        if previous and indent > len(previous) - len(previous.lstrip()) \
                and _KEY_VALUE.match(previous) and mark.column >= indent \
                and ": " not in line[:indent].strip():
            return ("; this line is indented more than the one above, which already has its "
                    "value: indent it like the line above")
        return ("; a text that contains ': ' needs quotes around it: write it as 'text' or "
                "\"text\"")
    if "found character '#'" in problem or "could not find expected ':'" in problem:
        return "; a text with ': ', ' #' or a comma in { } needs quotes around it"
    if "did not find expected ',' or '}'" in problem or "expected ',' or '}'" in problem:
        return ("; inside { }, a text with ': ', ' #' or a comma needs quotes around it: "
                "{zh: '…', en: '…, …'}")
    return ""


# -- pydantic errors -> located, readable messages ---------------------------------------------

@cache
def _field_names() -> frozenset[str]:
    from . import model

    names: set[str] = set()
    for obj in vars(model).values():
        if isinstance(obj, type) and issubclass(obj, model.BaseModel):
            names.update(obj.model_fields)
    return frozenset(names)


def _unknown_key_hint(key: str, loc: tuple, value: Any) -> str:
    """Why a key is not taken: a typo, a key of another kind of fact, or the rest of a text
    that a comma cut off inside { } (a "key" without a value)."""
    import difflib

    from . import model

    if value is None or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
        return (" (it looks like the end of a text cut at a comma: inside { }, a text with a "
                "comma or ': ' needs quotes, as in {zh: '…', en: 'a, b'})")
    kinds = [kind for kind, cls in zip(model.KINDS, get_args(get_args(model.Fact)[0]))
             if key in cls.model_fields]
    here = next((p for p in loc if isinstance(p, str) and p in model.KINDS), None)
    if kinds and here and here not in kinds:
        return f" ('{key}' is a key of {_kinds_text(kinds)}, not of a {here})"
    close = difflib.get_close_matches(key, _field_names(), n=1)
    if close and close[0] != key:
        return f" (did you mean '{close[0]}'?)"
    return ""


def _kinds_text(kinds: list[str]) -> str:
    names = [f"a {k}" for k in kinds]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _yaml_repr(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


# Our words for the checks a KB meets most (by pydantic's stable error type, not its text).
_TYPE_MESSAGES = {
    "string_type": "should be text",
    "int_type": "should be a whole number",
    "int_from_float": "should be a whole number",
    "float_type": "should be a number",
    "finite_number": "should be a finite number",
    "bool_type": "should be true or false",
    "list_type": "should be a list",
    "dict_type": "should be a mapping of keys to values",
    "model_type": "should be a mapping of keys to values",
    "model_attributes_type": "should be a mapping of keys to values",
    "too_short": "should have at least {min_length} item(s)",
    "too_long": "should have at most {max_length} item(s)",
    "string_too_long": "should be at most {max_length} characters long",
    "greater_than_equal": "should be at least {ge}",
    "less_than_equal": "should be at most {le}",
    "greater_than": "should be more than {gt}",
    "less_than": "should be less than {lt}",
    "literal_error": "should be one of {expected}",
}


def _explain(error: ValidationError, name: str, source_map: SourceMap) -> list[Problem]:
    problems = []
    for err in error.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        # The innermost key the author wrote (pydantic adds the names of union members).
        key = next((p for p in reversed(loc) if isinstance(p, str) and p in _field_names()), "")
        if kind == "extra_forbidden":
            key = next((p for p in reversed(loc) if isinstance(p, str)), "")
            message = f"unknown key '{key}'" + _unknown_key_hint(key, loc, err.get("input"))
        elif kind == "missing":
            message = f"missing required key '{key}'"
        elif kind == "union_tag_not_found":
            message = "missing required key 'kind'"
        elif kind == "union_tag_invalid":
            loc = loc + ("kind",)
            message = (f"unknown kind {err['ctx']['tag']!r} (expected one of "
                       f"{err['ctx']['expected_tags']})")
        elif kind == "string_too_short":
            message = f"'{key}' must not be empty"
        elif kind == "string_pattern_mismatch":
            message = (f"'{key}': {err['input']!r} is not a valid id (use lowercase letters, "
                       "digits, '-', '.' and '_')")
        else:
            text = _TYPE_MESSAGES.get(kind, "").format(**err.get("ctx", {}))
            if not text and kind == "value_error":  # our own validators' messages
                text = str(err.get("ctx", {}).get("error", "")) or err["msg"]
            if not text:  # a rarer check: pydantic's own words
                text = err["msg"][0].lower() + err["msg"][1:]
            message = f"'{key}': {text}" if key else text
            value = err.get("input")
            if key == "section" and kind == "string_type":
                message = (f"'section': should be the id of a section (got {_yaml_repr(value)}):"
                           " write the `id` of one of the sections under `sections:`, "
                           "e.g. section: s01, not its number")
            elif kind == "list_type" and isinstance(value, dict) and loc[-1] in (
                    "facts", "sections", "items"):
                message += ("; each entry starts with '- ' (a dash and a space), as in "
                            f"\"  - id: ...\" (the '- ' before the first of the {loc[-1]} "
                            "is probably missing)")
            elif isinstance(value, (str, int, float, bool)) or value is None:
                message += f" (got {_yaml_repr(value)})"
                if kind == "string_type" and value is not None:
                    message += "; put quotes around it to make it text"
        problem = Problem(source_map.locate(name, loc), message)
        if not any(p.where == problem.where for p in problems):  # one per place (unions)
            problems.append(problem)
    return sorted(problems, key=lambda p: p.where)
