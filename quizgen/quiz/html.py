"""Self-contained HTML pages with print CSS, rendered by Jinja2 with autoescape."""

from __future__ import annotations

from functools import lru_cache

import jinja2
from markupsafe import Markup


def css_string(text: str) -> Markup:
    """`text` as a quoted CSS string, every character but letters, digits and spaces written
    as a hex escape: nothing in it can close the string or the <style> element."""
    body = "".join(c if c.isascii() and (c.isalnum() or c == " ") else f"\\{ord(c):06x}"
                   for c in text)
    return Markup(f'"{body}"')


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("quizgen", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["css_string"] = css_string
    return env


def render_html(template: str, data: dict) -> bytes:
    return environment().get_template(template).render(data).encode("utf-8")
