"""`quizgen watch`: rebuild whenever a file of the knowledge base is saved."""

from __future__ import annotations

import threading
from collections.abc import Callable

from .build import BuildOptions, Report, build
from .errors import QuizgenError
from .fsutil import YAML_SUFFIXES


def _is_source(change, path: str) -> bool:
    return path.endswith(YAML_SUFFIXES)


def watch(options: BuildOptions, on_report: Callable[[Report], None],
          on_error: Callable[[QuizgenError], None], stop: threading.Event | None = None,
          on_ready: Callable[[], None] = lambda: None) -> None:
    """Build once, then again after every batch of saves, until `stop` is set (or Ctrl-C).
    A broken save reports its errors and the watch goes on."""
    from watchfiles import watch as watch_files

    def run() -> None:
        try:
            on_report(build(options))
        except QuizgenError as e:
            on_error(e)

    run()
    on_ready()
    for _ in watch_files(options.source, watch_filter=_is_source, stop_event=stop,
                         debounce=200, step=50, raise_interrupt=False):
        run()
