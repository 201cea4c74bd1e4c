"""PDFs through Typst: the template reads the data as JSON, so KB text is never markup."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
import weakref
from functools import lru_cache
from importlib import resources
from pathlib import Path

import typst

from ..errors import QuizgenError
from ..model import has_han
from .fonts import bold_sibling, choose_family

# Typst's own fonts; they set Latin text and symbols the CJK font lacks, never Chinese.
BUILTIN_FAMILY = "Libertinus Serif"

_lock = threading.Lock()


class FontSet:
    """The fonts Typst may use: its own, plus one CJK font (and its bold) found beforehand.
    The font files are linked into a folder of their own, so Typst loads those and nothing
    else: no system fonts, no other CJK font to fall back on. Typst reads a font's glyphs
    only when a document first needs them, so the folder lives as long as this object."""

    def __init__(self, cjk: Path | None):
        self.families = [BUILTIN_FAMILY]
        paths: list[str] = []
        if cjk is not None:
            _remove_folders_of_dead_builds()
            folder = tempfile.mkdtemp(prefix=f"{_FOLDER_PREFIX}{os.getpid()}-")
            weakref.finalize(self, shutil.rmtree, folder, ignore_errors=True)
            for i, path in enumerate(p for p in (cjk, bold_sibling(cjk)) if p is not None):
                _link(path, Path(folder) / f"{i}{path.suffix.lower()}")
            paths.append(folder)
        self.fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True,
                                 font_paths=paths)
        if cjk is not None:
            # Typst's own fonts have no path; with system fonts off, the rest are ours.
            cjk_families = [f.family for f in self.fonts.fonts() if f.path]
            if not cjk_families:
                raise QuizgenError.at(str(cjk), 0, 0, "Typst cannot read this font")
            self.families = [choose_family(cjk_families), BUILTIN_FAMILY]


_FOLDER_PREFIX = "quizgen-fonts-"


def _remove_folders_of_dead_builds() -> None:
    """A build killed outright (SIGKILL, power loss) cannot remove its font folder: the next
    one removes those whose process is gone. Only folders of this user's own, by name."""
    base = Path(tempfile.gettempdir())
    try:
        entries = list(base.glob(f"{_FOLDER_PREFIX}*-*"))
    except OSError:
        return
    for entry in entries:
        pid = entry.name[len(_FOLDER_PREFIX):].split("-", 1)[0]
        try:
            if not pid.isdigit() or entry.is_symlink() or entry.stat().st_uid != os.getuid():
                continue
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(entry, ignore_errors=True)
        except (OSError, ValueError):
            continue


def _link(source: Path, target: Path) -> None:
    try:
        os.symlink(source.resolve(), target)
    except OSError:  # no symlinks (e.g. Windows without the privilege): a hard link or a copy
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)


@lru_cache(maxsize=4)
def font_set(cjk: Path | None) -> FontSet:
    return FontSet(cjk)


def _template(name: str) -> Path:
    return Path(str(resources.files("quizgen") / "templates" / name))


def render_pdf(template: str, data: dict, fonts: FontSet) -> bytes:
    """Compile templates/`template` with `data`. Output depends on nothing but its inputs:
    no creation date, and ids derived from the content."""
    payload = json.dumps({**data, "fonts": fonts.families}, ensure_ascii=False,
                         separators=(",", ":"))
    path = _template(template)
    try:
        with _lock:  # one compile at a time: the Fonts object is shared
            compiler = typst.Compiler(path, root=path.parent, font_paths=fonts.fonts,
                                      ignore_system_fonts=True)
            return compiler.compile(sys_inputs={"data": payload}, timestamp=0, pdf_tags=False)
    except typst.TypstError as e:  # a template bug, not the user's; keep Typst's own words
        raise RuntimeError(f"Typst failed on {template}: {e.message}\n{e.diagnostic}") from e


def needs_cjk(data: dict) -> bool:
    return has_han(json.dumps(data, ensure_ascii=False))
