"""Recall and precision of `quizgen draft` against facts a person picked.

    python bench/draft_eval.py TEXT KB_FOLDER        a text and its hand-written knowledge base
    python bench/draft_eval.py TEXT GOLD.tsv         a text and a list of its key facts

GOLD.tsv lines: `term<TAB>中文<TAB>English`, `event<TAB>YEAR[-MM]<TAB>…`, `figure<TAB>number<TAB>…`,
`person|work|org<TAB>name`, `list<TAB>item|item|…`. A candidate matches a picked fact of the kind
it can stand for: a term by its Chinese or English, an event by its year (and month), a figure by
its number, a person, work or organisation by its name (either contains the other), a list by two
items. Recall: picked facts matched, of those of a kind the draft makes (claims it never makes).
Precision: candidates matching a picked fact — a lower bound, since the picked facts are not all
the text's facts.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizgen.draft import draft  # noqa: E402

NAMED = ("person", "work", "org")


def norm(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def picked_from_kb(folder: Path) -> list[tuple[str, dict]]:
    from quizgen.load import load

    out = []
    for f in load(folder).kb.facts:
        if f.kind == "term":
            out.append(("term", {"zh": f.zh, "en": f.en}))
        elif f.kind == "event":
            out.append(("event", {"year": f.year, "month": f.month}))
        elif f.kind == "figure":
            out.append(("figure", {"values": {f.value, f.upto}}))
        elif f.kind in NAMED:
            out.append(("named", {"names": {f.name.zh, f.name.en}}))
        elif f.kind == "list":
            out.append(("list", {"items": [i.zh for i in f.items]}))
    return out


def picked_from_tsv(path: Path) -> list[tuple[str, dict]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2 or line.startswith("#"):
            continue
        kind = parts[0]
        if kind == "term":
            out.append(("term", {"zh": parts[1], "en": parts[2] if len(parts) > 2 else ""}))
        elif kind == "event":
            year, _, month = parts[1].partition("-")
            out.append(("event", {"year": int(year), "month": int(month) if month else None}))
        elif kind == "figure":
            out.append(("figure", {"values": {float(parts[1].replace(",", ""))}}))
        elif kind in NAMED:
            out.append(("named", {"names": {parts[1]}}))
        elif kind == "list":
            out.append(("list", {"items": parts[1].split("|")}))
    return out


def matches(kind: str, picked: dict, candidate) -> bool:
    f = candidate.fields
    if kind == "term" and candidate.kind == "term":
        return norm(f["zh"]) == norm(picked["zh"]) or (
            bool(norm(picked["en"])) and norm(f["en"]) == norm(picked["en"]))
    if kind == "event" and candidate.kind == "event":
        return f["year"] == picked["year"] and (picked["month"] is None
                                                or f.get("month") in (None, picked["month"]))
    if kind == "figure" and candidate.kind == "figure":
        return float(f["value"]) in {float(v) for v in picked["values"] if v is not None}
    if kind == "named" and candidate.kind in NAMED:
        names = {norm(n) for n in (f["name"]["zh"], f["name"]["en"]) if len(norm(n)) >= 2}
        return any(a in b or b in a for a in names for b in map(norm, picked["names"]) if b)
    if kind == "list" and candidate.kind == "list":
        items = [norm(i["zh"]) for i in f["items"]] + [norm(i["en"]) for i in f["items"]]
        hits = sum(any(norm(p) and (norm(p) in i or i in norm(p)) for i in items if i)
                   for p in picked["items"])
        return hits >= 2
    return False


def main() -> None:
    text, facts = Path(sys.argv[1]), Path(sys.argv[2])
    picked = picked_from_tsv(facts) if facts.suffix == ".tsv" else picked_from_kb(facts)
    d = draft(text.read_text(encoding="utf-8"), text.stem)
    cands = d.candidates
    found = [any(matches(k, p, c) for c in cands) for k, p in picked]
    useful = [any(matches(k, p, c) for k, p in picked) for c in cands]
    kinds = sorted({k for k, _ in picked})
    print(f"{text.name}: {len(cands)} candidates; {len(picked)} picked facts of the kinds a "
          "draft makes")
    for kind in kinds:
        n = [f for (k, _), f in zip(picked, found) if k == kind]
        c = [u for u, cand in zip(useful, cands)
             if (cand.kind in NAMED and kind == "named") or cand.kind == kind]
        print(f"  {kind:7} recall {sum(n)}/{len(n)} = {sum(n) / max(len(n), 1):.0%}   "
              f"precision {sum(c)}/{len(c)} = {sum(c) / max(len(c), 1):.0%}")
    print(f"  all     recall {sum(found)}/{len(found)} = {sum(found) / max(len(found), 1):.0%}   "
          f"precision {sum(useful)}/{len(useful)} = {sum(useful) / max(len(useful), 1):.0%}")


if __name__ == "__main__":
    main()
