"""How many technical words get their standard reading: pypinyin alone, and as quizgen reads
them (pypinyin with quizgen's field dictionary and corrections).

    python bench/bench_pinyin.py [LIST.tsv ...]   (default: the lists in tests/fixtures/pinyin/)

A list is one word per line: the word, a tab, its reading in tone marks. Prints the share right
for each, and the words still read wrong.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def words(path: Path) -> list[tuple[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [(w, unicodedata.normalize("NFC", r.strip())) for w, r in
            (line.split("\t") for line in lines if line.strip() and not line.startswith("#"))]


def main() -> None:
    import pypinyin

    lists = [Path(p) for p in sys.argv[1:]] or sorted((ROOT / "tests" / "fixtures" / "pinyin")
                                                       .glob("*.tsv"))
    # pypinyin as installed, before quizgen adds its words to pypinyin's dictionary.
    alone = {path: [(w, " ".join(r[0] for r in pypinyin.pinyin(w)), want)
                    for w, want in words(path)] for path in lists}
    from quizgen.pinyin import pinyin_text

    for path in lists:
        rows = words(path)
        ours = [(w, pinyin_text(w), want) for w, want in rows]
        for label, got in (("pypinyin alone", alone[path]), ("quizgen", ours)):
            wrong = [(w, g, want) for w, g, want in got if g != want]
            right = len(rows) - len(wrong)
            print(f"{path.name}: {label}: {right}/{len(rows)} right ({100 * right / len(rows):.1f}%)")
            for w, g, want in wrong:
                print(f"    {w}: {g} (standard: {want})")


if __name__ == "__main__":
    main()
