"""A member's upgrade, measured on the real deck: an earlier committed deck, studied, then the
deck in decks/ now, imported with Anki's own importer.

    python bench/anki_upgrade.py [GIT_REV]      (default: the commit before decks/ last changed)

Prints each import's log counts (new, updated, duplicate, conflicting), the note types members
end with, and whether every card's scheduling and every review survived.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizgen.load import load  # noqa: E402


def git(*args: str) -> bytes:
    return subprocess.run(["git", "-C", str(ROOT), *args], check=True,
                          capture_output=True).stdout


def main() -> None:
    deck_id = load(ROOT / "source" / "brockman").kb.deck.id
    apkg = f"decks/brockman/{deck_id}.apkg"
    earlier = (apkg, f"decks/{deck_id}.apkg")  # where it was before source/ held several texts
    rev = sys.argv[1] if len(sys.argv) > 1 else \
        git("log", "-2", "--format=%H", "--", *earlier).split()[-1].decode()
    folder = Path(tempfile.mkdtemp())
    old, new = folder / "old.apkg", ROOT / apkg
    for path in earlier:
        try:
            old.write_bytes(git("show", f"{rev}:{path}"))
            break
        except subprocess.CalledProcessError:
            continue
    col = Collection(str(folder / "collection.anki2"))

    def import_(path: Path, merge: bool = False, always: bool = False) -> tuple:
        options = col._backend.get_import_anki_package_presets()
        options.merge_notetypes = merge
        if always:
            options.update_notes = \
                ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS
        log = col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(path), options=options)).log
        return len(log.new), len(log.updated), len(log.duplicate), len(log.conflicting)

    def state() -> tuple:
        cards = {c: col.db.first("select nid, ord, type, queue, ivl, due, factor, reps "
                                 "from cards where id = ?", c) for c in col.find_cards("")}
        return cards, col.db.all("select * from revlog order by id")

    print(f"old deck: at {rev[:10]}; new deck: {apkg}")
    print("import old deck            (new, updated, duplicate, conflicting):", import_(old))
    cards = col.find_cards("")
    for cid in cards[::3]:  # a third of the cards studied
        card = col.get_card(cid)
        card.start_timer()
        col.sched.answerCard(card, 3)
    before = state()
    print(f"studied {len(cards[::3])} of {len(cards)} cards")
    print("import new deck, defaults  :", import_(new))
    time.sleep(1.1)
    print("again, merge + always      :", import_(new, merge=True, always=True))
    print("again, defaults            :", import_(new))
    after = state()
    col.models._clear_cache()
    names = sorted(m.name for m in col.models.all_names_and_ids() if m.name.startswith("quizgen"))
    print("note types:", ", ".join(names))
    kept = all(after[0].get(c) == s for c, s in before[0].items())
    print(f"notes {col.note_count()}, cards {col.card_count()}; every studied card's state kept: "
          f"{kept}; review log kept: {after[1] == before[1]}")
    empty = sum(len(n.card_ids) for n in col.get_empty_cards().notes)
    print(f"blank cards (Tools → Empty Cards): {empty}")
    col.close()


if __name__ == "__main__":
    main()
