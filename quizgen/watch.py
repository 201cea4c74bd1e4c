"""`quizgen watch`: rebuild whenever a file of the knowledge base is saved."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

from .build import BuildOptions, Report, build
from .errors import QuizgenError
from .fsutil import YAML_SUFFIXES

POLL = 0.2  # seconds between looks for a knowledge base that is not there (yet)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def watch(options: BuildOptions, on_report: Callable[[Report], None],
          on_error: Callable[[QuizgenError], None], stop: threading.Event | None = None,
          on_ready: Callable[[], None] = lambda: None,
          rebuild: Callable[[], object] | None = None) -> None:
    """Build once, then again after every batch of saves, until `stop` is set (or Ctrl-C).
    A broken save reports its errors and the watch goes on. The watch follows the knowledge
    base, not the inode it started on: a folder deleted and made again, or a single file that
    an editor saves by renaming a new one over it, is watched anew. `rebuild` replaces the
    build of `options` (a project of several texts builds each); `options.source` is still
    what is watched."""
    from watchfiles import watch as watch_files

    stop = stop or threading.Event()
    source = Path(options.source)

    def run() -> None:
        try:
            on_report(rebuild() if rebuild is not None else build(options))
        except QuizgenError as e:
            on_error(e)

    run()
    on_ready()
    while not stop.is_set():
        started_on = _identity(source)
        if started_on is None:  # gone: wait for it to come back, then build what it holds
            while not stop.wait(POLL) and _identity(source) is None:
                pass
            if not stop.is_set():
                run()
            continue
        if source.is_dir():
            # The folder, recursively. (Its parent is not watched: that would watch every tree
            # beside it. A folder deleted or replaced is noticed by its identity instead.)
            paths, recursive = [source], True

            def relevant(change, path: str) -> bool:
                return path.endswith(YAML_SUFFIXES)
        else:
            # A single file: its folder, which sees a new file renamed over it.
            paths, recursive = [source.parent], False

            def relevant(change, path: str) -> bool:
                return Path(path) == source
        # Every POLL * 5 seconds without a change, the loop looks at the identity anyway.
        for changes in watch_files(*paths, watch_filter=relevant, stop_event=stop,
                                   debounce=200, step=50, raise_interrupt=False,
                                   recursive=recursive, yield_on_timeout=True,
                                   rust_timeout=int(POLL * 5000)):
            if stop.is_set():
                return
            now = _identity(source)
            if now != started_on:  # replaced or removed: watch whatever stands there now
                if now is not None:
                    run()
                break
            if changes:
                run()
