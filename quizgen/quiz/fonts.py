"""Finding a font with Chinese glyphs for the PDF: scan font folders, read each font's cmap."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from ..errors import QuizgenError

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")

# Characters a font must have to set Chinese quiz text: common ones from different blocks.
PROBE = "的是中国学问题答案选择"

# File name fragments of well-known fonts with Chinese glyphs, best first. Sans faces read
# better on a printed quiz; Simplified Chinese (SC) shapes are what the KB is written in.
PREFERRED = (
    "notosanscjksc-regular", "notosanssc-regular", "notosanscjk-regular",
    "sourcehansanssc-regular", "sourcehansanscn-regular", "sourcehansans-regular",
    "pingfang", "hiragino sans gb", "msyh.", "microsoftyahei", "notosanscjk",
    "sourcehansans", "wqy-microhei", "wqy-zenhei", "simhei", "notoserifcjksc-regular",
    "notoserifcjk-regular", "sourcehanserifsc-regular", "sourcehanserif", "notoserifcjk",
    "stheiti", "simsun", "droidsansfallback", "arplumingcn", "uming", "ukai",
)
# Faces of a collection to prefer, in order: Simplified Chinese first.
FAMILY_PREFERENCE = (" SC", " CN", " GB", "YaHei", "Hei", "Sans", "")


def system_font_dirs() -> tuple[Path, ...]:
    """The folders fonts are usually installed in on this platform."""
    home = Path.home()
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = os.environ.get("LOCALAPPDATA")
        dirs = [windir / "Fonts"]
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
        return tuple(dirs)
    if sys.platform == "darwin":
        return (Path("/System/Library/Fonts"), Path("/System/Library/AssetsV2"),
                Path("/Library/Fonts"), home / "Library" / "Fonts")
    data_home = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    data_dirs = os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share"
    dirs = [data_home / "fonts", home / ".fonts"]
    dirs += [Path(d) / "fonts" for d in data_dirs.split(":") if d]
    return tuple(dict.fromkeys(dirs))


def _font_files(dirs: Iterable[Path]) -> Iterator[Path]:
    for root in dirs:
        if not root.is_dir():
            continue
        # Linked folders are followed (font folders often are links), each real folder once:
        # a link back up the tree would otherwise be walked for ever.
        seen: set[tuple[int, int]] = set()
        for folder, subdirs, files in os.walk(root, followlinks=True):
            try:
                info = os.stat(folder)
            except OSError:
                subdirs.clear()
                continue
            if (info.st_dev, info.st_ino) in seen:
                subdirs.clear()
                continue
            seen.add((info.st_dev, info.st_ino))
            subdirs.sort()
            for name in sorted(files):
                if name.lower().endswith(FONT_SUFFIXES):
                    yield Path(folder) / name


_NOT_REGULAR = ("bold", "black", "heavy", "light", "thin", "medium", "italic", "oblique")


def _rank(path: Path) -> tuple[int, bool]:
    """Sort key: well-known names first, regular weights before bold or light ones."""
    name = path.name.lower().replace(" ", "").replace("_", "")
    weighted = any(w in name for w in _NOT_REGULAR)
    for i, fragment in enumerate(PREFERRED):
        if fragment.replace(" ", "") in name:
            return i, weighted
    return len(PREFERRED), weighted


def find_cjk_font(font: Path | None = None,
                  font_dirs: tuple[Path, ...] | None = None) -> Path | None:
    """The font file to set Chinese text with: `font` if given (an error if it has no Chinese
    glyphs), else the best one found in `font_dirs` (default: the system's font folders, then
    fontconfig). None if there is none."""
    if font is not None:
        font = Path(font)
        if not font.is_file():
            raise QuizgenError.at(str(font), 0, 0, "no such font file")
        if not has_glyphs(font, PROBE):
            raise QuizgenError.at(str(font), 0, 0, "this font has no Chinese glyphs; "
                                  "pick one such as Noto Sans CJK SC or Source Han Sans SC")
        return font
    system = font_dirs is None
    return _search(system_font_dirs() if system else tuple(Path(d) for d in font_dirs), system)


@lru_cache(maxsize=16)
def _search(dirs: tuple[Path, ...], use_fontconfig: bool) -> Path | None:
    found = sorted(_font_files(dirs), key=lambda p: (_rank(p), str(p)))
    # Well-known names are checked first; the rest only if none of those qualifies.
    for path in found:
        if has_glyphs(path, PROBE):
            return path
    if use_fontconfig:
        for path in _fontconfig_files():
            if has_glyphs(path, PROBE):
                return path
    return None


def _fontconfig_files() -> list[Path]:
    """Fonts fontconfig says cover Chinese; for folders it knows that the scan does not."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        out = subprocess.run([fc_list, ":lang=zh", "file"], capture_output=True, text=True,
                             timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    files = {Path(line.split(":")[0].strip()) for line in out.splitlines() if line.strip()}
    return sorted((p for p in files if p.suffix.lower() in FONT_SUFFIXES),
                  key=lambda p: (_rank(p), str(p)))


def choose_family(families: Iterable[str]) -> str:
    """The face of a font collection to use for Simplified Chinese text."""
    names = sorted(set(families))
    for marker in FAMILY_PREFERENCE:
        for name in names:
            if marker in name and "Mono" not in name:
                return name
    return names[0]


def bold_sibling(path: Path) -> Path | None:
    """The bold file of the same family next to `path`, by the usual naming, if it exists."""
    for regular, bold in (("Regular", "Bold"), ("regular", "bold"), ("-R.", "-B.")):
        if regular in path.name:
            candidate = path.with_name(path.name.replace(regular, bold))
            if candidate != path and candidate.is_file():
                return candidate
    return None


# -- reading an OpenType cmap ------------------------------------------------------------------

def has_glyphs(path: Path, chars: str) -> bool:
    """True if the font (the first face of a collection) maps every character in `chars` to a
    glyph. Unreadable or unknown files count as not having them."""
    from ..fsutil import NotRegular, open_regular

    try:
        # Through a link to the real file (fonts are often links), but only to a regular
        # file: a FIFO named like a font would block the build for ever.
        with open_regular(Path(os.path.realpath(path)), MAX_FONT_BYTES) as f:
            return _has_glyphs(f, chars)
    except (OSError, struct.error, ValueError, NotRegular):
        return False


MAX_FONT_BYTES = 512 * 1024 * 1024  # the largest CJK collections are ~100 MB


def _read(f, offset: int, size: int) -> bytes:
    # A corrupt table may claim billions of entries: nothing larger than the file is read.
    if size > os.fstat(f.fileno()).st_size:
        raise ValueError("a table larger than the font file")
    f.seek(offset)
    data = f.read(size)
    if len(data) != size:
        raise ValueError("truncated font file")
    return data


def _has_glyphs(f, chars: str) -> bool:
    base = 0
    tag = _read(f, 0, 4)
    if tag == b"ttcf":
        (base,) = struct.unpack(">I", _read(f, 12, 4))
        tag = _read(f, base, 4)
    if tag not in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        return False
    (num_tables,) = struct.unpack(">H", _read(f, base + 4, 2))
    directory = _read(f, base + 12, 16 * num_tables)
    cmap = None
    for i in range(num_tables):
        table_tag, _, offset, length = struct.unpack(">4sIII", directory[16 * i:16 * i + 16])
        if table_tag == b"cmap":
            cmap = (offset, length)
    if cmap is None:
        return False
    offset, _ = cmap
    version, count = struct.unpack(">HH", _read(f, offset, 4))
    records = _read(f, offset + 4, 8 * count)
    subtables: dict[int, int] = {}  # format -> offset, Unicode encodings only
    for i in range(count):
        platform, encoding, sub = struct.unpack(">HHI", records[8 * i:8 * i + 8])
        if platform == 0 or (platform == 3 and encoding in (1, 10)):
            (fmt,) = struct.unpack(">H", _read(f, offset + sub, 2))
            subtables.setdefault(fmt, offset + sub)
    codes = [ord(c) for c in chars]
    if 12 in subtables:
        return _format12_has(f, subtables[12], codes)
    if 4 in subtables:
        return _format4_has(f, subtables[4], codes)
    return False


def _format12_has(f, at: int, codes: list[int]) -> bool:
    _, _, length, _, groups = struct.unpack(">HHIII", _read(f, at, 16))
    data = _read(f, at + 16, 12 * groups)
    ranges = [struct.unpack(">III", data[12 * i:12 * i + 12]) for i in range(groups)]
    return all(any(start <= c <= end and glyph + c - start != 0 for start, end, glyph in ranges)
               for c in codes)


def _format4_has(f, at: int, codes: list[int]) -> bool:
    _, length = struct.unpack(">HH", _read(f, at, 4))
    data = _read(f, at, length)
    seg_count = struct.unpack(">H", data[6:8])[0] // 2
    ends = struct.unpack(f">{seg_count}H", data[14:14 + 2 * seg_count])
    start_at = 16 + 2 * seg_count
    starts = struct.unpack(f">{seg_count}H", data[start_at:start_at + 2 * seg_count])
    delta_at = start_at + 2 * seg_count
    deltas = struct.unpack(f">{seg_count}h", data[delta_at:delta_at + 2 * seg_count])
    range_at = delta_at + 2 * seg_count
    range_offsets = struct.unpack(f">{seg_count}H", data[range_at:range_at + 2 * seg_count])
    for c in codes:
        if c > 0xFFFF:
            return False
        for i, end in enumerate(ends):
            if end >= c:
                break
        else:
            return False
        if starts[i] > c:
            return False
        if range_offsets[i] == 0:
            glyph = (c + deltas[i]) & 0xFFFF
        else:
            where = range_at + 2 * i + range_offsets[i] + 2 * (c - starts[i])
            (glyph,) = struct.unpack(">H", data[where:where + 2])
            if glyph:
                glyph = (glyph + deltas[i]) & 0xFFFF
        if glyph == 0:
            return False
    return True
