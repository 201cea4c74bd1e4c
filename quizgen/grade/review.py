"""The facts a group missed most, back into the knowledge base: review.yaml in the text's
folder, which the next build reads like any source file."""

from __future__ import annotations

from pathlib import Path

import yaml

from ..fsutil import write_atomic

REVIEW_NAME = "review.yaml"


def write_review(source: Path, quiz: dict, facts: list[str], answers_name: str) -> Path | None:
    """Write (or replace) review.yaml beside the text's facts; None when the knowledge base is
    a single file (there is no folder to put it in)."""
    if not source.is_dir():
        return None
    deck = quiz["deck"]["id"]
    body = yaml.safe_dump({"review": facts}, allow_unicode=True, sort_keys=False,
                          default_flow_style=False)
    text = (f"# The facts the group missed most, from grading {answers_name}: their cards get\n"
            f"# the tag quizgen::{deck}::review in the next deck (in Anki, a filtered deck on\n"
            f"# `tag:quizgen::{deck}::review` gathers them), and `quizgen build --focus review`\n"
            "# asks them first. `quizgen grade` replaces this file; edit it freely.\n" + body)
    path = source / REVIEW_NAME
    write_atomic(path, text.encode("utf-8"))
    return path
