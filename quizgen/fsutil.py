"""Files: finding a knowledge base's YAML files, and writing outputs safely (a temporary file
beside the target, renamed into place)."""

from __future__ import annotations

from collections.abc import Mapping

import errno
import os
import re
import stat
from pathlib import Path

from .errors import QuizgenError

YAML_SUFFIXES = (".yaml", ".yml")

# The mode open() would give a new file; mkstemp makes it private (0600) instead.
_UMASK = os.umask(0o022)
os.umask(_UMASK)
_FILE_MODE = 0o666 & ~_UMASK


# Temporary files of `write_atomic`: `.<name>.<8 random characters>.tmp`.
TEMP_FILE = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp")


class NotRegular(Exception):
    """What was found is not a regular file (a device, a FIFO, a folder, a link) or too big."""


def open_regular(path: Path, limit: int):
    """A binary file object for `path` if it is a regular file of at most `limit` bytes, never
    following a symbolic link and never blocking (a FIFO would); else NotRegular. OSError as
    the system raises it (FileNotFoundError, PermissionError, ...)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise NotRegular("a symbolic link") from None
        raise
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise NotRegular("not a regular file")
    if info.st_size > limit:
        os.close(fd)
        raise NotRegular(f"larger than {limit // 1048576} MiB")
    return os.fdopen(fd, "rb")


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of `path`, read as `open_regular` allows, at most `limit` of them."""
    with open_regular(path, limit) as f:
        data = f.read(limit + 1)
    if len(data) > limit:  # it grew while being read
        raise NotRegular(f"larger than {limit // 1048576} MiB")
    return data


def hash_regular(path: Path, limit: int) -> str | None:
    """The SHA-256 of `path` read as `open_regular` allows, in pieces; None if it is missing,
    unreadable, not a regular file or too big."""
    import hashlib

    digest = hashlib.sha256()
    try:
        with open_regular(path, limit) as f:
            read = 0
            while chunk := f.read(1 << 20):
                read += len(chunk)
                if read > limit:
                    return None
                digest.update(chunk)
    except (OSError, NotRegular):
        return None
    return digest.hexdigest()


def temp_files(folder: Path, names: set[str]) -> list[os.DirEntry]:
    """`write_atomic`'s temporary files of `names` in `folder`, by name."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    return sorted((e for e in entries
                   if (m := TEMP_FILE.fullmatch(e.name)) and m["name"] in names),
                  key=lambda e: e.name)


def clean_temp_files(folder: Path, names: set[str], older_than: float = 60.0) -> list[Path]:
    """Remove what `write_atomic` left behind when killed mid-write: temporary files of
    `names` in `folder` older than `older_than` seconds (a younger one may be another build's,
    still being written). The paths removed."""
    import time

    removed = []
    now = time.time()
    for entry in temp_files(folder, names):
        try:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > older_than:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            pass
    return removed


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never half of
    one. On any failure (or Ctrl-C) the temporary file is removed and `path` is untouched.
    An OS error becomes a QuizgenError naming `path`."""
    import tempfile  # only writers need it; `check` stays light

    path = Path(path)
    tmp = None
    try:
        try:
            existing = os.lstat(path)
        except FileNotFoundError:
            existing = None
        if existing is not None and not stat.S_ISREG(existing.st_mode):
            kind = ("a symbolic link" if stat.S_ISLNK(existing.st_mode) else "a folder"
                    if stat.S_ISDIR(existing.st_mode) else "a device, FIFO or socket")
            raise QuizgenError.at(str(path), 1, 1, f"is {kind}, not a regular file: quizgen "
                                  "replaces only files it could have written (remove it, or "
                                  "write elsewhere)")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            os.fchmod(f.fileno(), _FILE_MODE)
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as e:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        if isinstance(e, OSError):
            raise QuizgenError.at(str(path), 1, 1, f"cannot write: {e.strerror or e}") from None
        raise


def find_files(root: Path) -> list[Path]:
    """The YAML files of a knowledge base: `root` itself, or every regular *.yaml/*.yml file
    below it, leaving out hidden ones (editors' lock and backup files, .git)."""
    if root.is_file():
        return [root]
    if not root.exists():
        raise QuizgenError.at(str(root), 1, 1, "no such file or directory")
    if not root.is_dir():
        raise QuizgenError.at(str(root), 1, 1, "not a file or a directory")
    files = sorted(
        p for p in root.rglob("*")
        if p.suffix in YAML_SUFFIXES and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(root).parts))
    if not files:
        raise QuizgenError.at(str(root), 1, 1, "no YAML files (*.yaml, *.yml) found here")
    return files


_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def zip_bytes(entries: Mapping[str, bytes], level: int | None = None) -> bytes:
    """A zip archive of `entries` (name -> bytes) whose bytes depend on nothing else: every
    entry dated 1980-01-01, made "on Unix", readable by all. (`level`: deflate level.)"""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=level)
    return buffer.getvalue()
