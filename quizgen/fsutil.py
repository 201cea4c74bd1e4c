"""Files: finding a knowledge base's YAML files, and writing outputs safely (a temporary file
beside the target, renamed into place)."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import QuizgenError

YAML_SUFFIXES = (".yaml", ".yml")

# The mode open() would give a new file; mkstemp makes it private (0600) instead.
_UMASK = os.umask(0o022)
os.umask(_UMASK)
_FILE_MODE = 0o666 & ~_UMASK


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never half of
    one. On any failure (or Ctrl-C) the temporary file is removed and `path` is untouched.
    An OS error becomes a QuizgenError naming `path`."""
    import tempfile  # only writers need it; `check` stays light

    path = Path(path)
    tmp = None
    try:
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
