"""Property: whatever bytes a source file holds, quizgen either loads it or reports located
errors — it never raises anything else."""

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizgen.check import check
from quizgen.errors import QuizgenError
from quizgen.load import load

VALID = Path(__file__).parent / "fixtures" / "valid"
VALID_TEXT = (VALID / "deck.yaml").read_text(encoding="utf-8") + (
    VALID / "facts.yaml").read_text(encoding="utf-8")
LOCATED = re.compile(r"^\S.*?(:\d+:\d+)?: (error|warning): \S")


def outcome(data: bytes) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kb.yaml"
        path.write_bytes(data)
        try:
            return [str(p) for p in check(load(path))]
        except QuizgenError as e:
            assert e.problems
            return e.lines()


def assert_clean(lines: list[str]) -> None:
    for line in lines:
        assert "\n" not in line
        assert LOCATED.match(line), line


settings.register_profile("quizgen", deadline=None, max_examples=150,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("quizgen")


@given(st.text())
def test_arbitrary_text(text):
    assert_clean(outcome(text.encode("utf-8", "surrogatepass")))


@given(st.binary())
def test_arbitrary_bytes(data):
    assert_clean(outcome(data))


@st.composite
def mangled(draw):
    """The valid KB with lines dropped, duplicated or cut, and characters inserted."""
    lines = VALID_TEXT.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["drop", "dup", "cut", "insert", "indent"]))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "cut":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        elif op == "insert":
            at = draw(st.integers(0, len(lines[i])))
            junk = draw(st.sampled_from([":", "- ", "{", "]", "&a ", "*a", "!!str ", "\t", "'",
                                         "\"", "#", "? ", "|", "0x", "你", "\x00", "\ufeff"]))
            lines[i] = lines[i][:at] + junk + lines[i][at:]
        else:
            lines[i] = " " + lines[i]
        if not lines:
            break
    return "".join(lines)


@given(mangled())
def test_mangled_valid_kb(text):
    assert_clean(outcome(text.encode("utf-8")))


def test_unmangled_kb_is_clean():
    assert outcome(VALID_TEXT.encode("utf-8")) == []
