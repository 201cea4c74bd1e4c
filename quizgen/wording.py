"""How dates and figures read in both languages: one wording for cards and quizzes alike."""

from __future__ import annotations

import re

from .model import Event, Figure, Text

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
_IRREGULAR = {"people": "person", "children": "child", "men": "man", "women": "woman"}
_QUALIFIERS = {"exact": ("", ""), "about": ("约 ", "about "), "over": ("超过 ", "over ")}


def date_text(year: int, month: int | None = None, day: int | None = None,
              decade: bool = False) -> Text:
    """`2018 年 6 月` / `June 2018`, as precise as given; a decade reads `1980 年代` / `the 1980s`."""
    if decade:
        return Text(zh=f"{year} 年代", en=f"the {year}s")
    if month is None:
        return Text(zh=f"{year} 年", en=str(year))
    if day is None:
        return Text(zh=f"{year} 年 {month} 月", en=f"{MONTHS[month - 1]} {year}")
    return Text(zh=f"{year} 年 {month} 月 {day} 日", en=f"{day} {MONTHS[month - 1]} {year}")


def event_date(event: Event) -> Text:
    return date_text(event.year, event.month, event.day, event.decade)


def format_number(value: float) -> str:
    """300000 -> '300,000'; 3.4 -> '3.4'; 0.1 + 0.2 -> '0.3'."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.15g}"


def figure_text(value: float, upto: float | None, qualifier: str, unit: Text) -> Text:
    """`超过 300,000 倍` / `over 300,000 times`; `约 5–10 人`; `0.5%`; `1 year`."""
    number = format_number(value)
    if upto is not None:
        number += f"–{format_number(upto)}"
    unit_zh, unit_en = unit.zh, unit.en
    if value == 1 and upto is None:  # 1 year, 2 years; 1 person, 2 people
        if unit_en in _IRREGULAR:
            unit_en = _IRREGULAR[unit_en]
        elif unit_en.endswith("s") and not unit_en.endswith("ss"):
            unit_en = unit_en[:-1]
    prefix_zh, prefix_en = _QUALIFIERS[qualifier]
    # Words take a space after the number; signs such as % and × do not.
    zh = prefix_zh + number + (" " if unit_zh[:1].isalnum() else "") + unit_zh
    en = prefix_en + number + (" " if unit_en[:1].isalnum() else "") + unit_en
    return Text(zh=zh, en=en)


def figure_value(figure: Figure) -> Text:
    return figure_text(figure.value, figure.upto, figure.qualifier, figure.unit)


def names_in(text: Text, name: Text) -> bool:
    """True when `text` mentions the name: its Chinese anywhere, its English as a word."""
    if name.zh in text.zh:
        return True
    # The substring test first: a pattern per name would be compiled for every fact.
    return name.en in text.en and re.search(rf"(?<!\w){re.escape(name.en)}(?!\w)",
                                            text.en) is not None
