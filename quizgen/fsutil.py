"""Writing outputs safely: a temporary file beside the target, renamed into place."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import QuizgenError

YAML_SUFFIXES = (".yaml", ".yml")


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never half of
    one. On any failure (or Ctrl-C) the temporary file is removed and `path` is untouched."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); give it the usual mode, as open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def find_files(root: Path) -> list[Path]:
    """The YAML files of a knowledge base: `root` itself, or every *.yaml/*.yml below it."""
    if root.is_file():
        return [root]
    if not root.exists():
        raise QuizgenError.at(str(root), 0, 0, "no such file or directory")
    if not root.is_dir():
        raise QuizgenError.at(str(root), 0, 0, "not a file or a directory")
    files = sorted(p for p in root.rglob("*") if p.suffix in YAML_SUFFIXES and not p.is_dir())
    if not files:
        raise QuizgenError.at(str(root), 0, 0, "no YAML files (*.yaml, *.yml) found here")
    return files
