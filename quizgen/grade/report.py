"""The grading report: HTML with charts drawn as inline SVG, the same as PDF through Typst,
and the tables as CSV. Nothing in it fetches anything."""

from __future__ import annotations

import csv
import io

from .stats import Grades

BAR_W, BAR_H = 320, 14


def _svg_histogram(counts: list[int]) -> str:
    """Members per score, 0 … questions."""
    top = max(counts) or 1
    width, height, gap = 560, 160, 2
    bar = width / len(counts)
    bars = "".join(
        f'<rect x="{i * bar + gap / 2:.1f}" y="{height - c / top * (height - 20):.1f}" '
        f'width="{bar - gap:.1f}" height="{c / top * (height - 20):.1f}" class="bar">'
        f"<title>{i}: {c}</title></rect>"
        for i, c in enumerate(counts))
    ticks = "".join(f'<text x="{i * bar + bar / 2:.1f}" y="{height + 14}" class="tick">{i}</text>'
                    for i in range(0, len(counts), max(1, len(counts) // 10)))
    return (f'<svg viewBox="0 0 {width} {height + 20}" role="img" class="chart" '
            f'aria-label="score histogram">{bars}{ticks}</svg>')


def _svg_bar(share: float, cls: str = "bar") -> str:
    return (f'<svg viewBox="0 0 {BAR_W} {BAR_H}" class="minibar" aria-hidden="true">'
            f'<rect x="0" y="0" width="{BAR_W}" height="{BAR_H}" class="track"/>'
            f'<rect x="0" y="0" width="{share * BAR_W:.1f}" height="{BAR_H}" class="{cls}"/>'
            "</svg>")


def report_data(grades: Grades, quiz: dict, lang: str) -> dict:
    """Everything the report shows, as plain values (for the HTML and the PDF alike)."""
    from ..exports import text as in_lang

    def text(value: dict) -> str:
        return in_lang(value, lang)

    sections = {s["id"]: f"{s['number']}. {text(s['title'])}" for s in quiz["sections"]}
    n = len(grades.members)
    return {
        "title": text(quiz["deck"]["title"]),
        "members": n, "questions": grades.questions,
        "mean": round(grades.mean, 2), "sd": round(grades.sd, 2),
        "kr20": None if grades.kr20 is None else round(grades.kr20, 3),
        "reading": grades.reading,
        "histogram": [sum(1 for m in grades.members if m.score == s)
                      for s in range(grades.questions + 1)],
        "scores": [{"name": m.name, "variant": m.variant, "score": m.score, "total": m.total,
                    "sections": [f"{sections[s]}: {r}/{a}" for s, (r, a) in
                                 m.by_section.items()]}
                   for m in sorted(grades.members, key=lambda m: (-m.score, m.name))],
        "items": [{"id": i.id, "stem": text(i.stem), "section": sections[i.section],
                   "difficulty": round(i.difficulty, 3),
                   "point_biserial": None if i.point_biserial is None
                   else round(i.point_biserial, 3),
                   "upper_lower": None if i.upper_lower is None else round(i.upper_lower, 3),
                   "options": [{"letter": chr(65 + j), "text": text(o), "key": j == i.answer,
                                "chosen": i.chosen[j],
                                "share": i.chosen[j] / n if n else 0}
                               for j, o in enumerate(i.options)],
                   "flags": i.flags, "reading": "; ".join(i.reading)}
                  for i in grades.items],
    }


def report_html(data: dict) -> bytes:
    import json

    from ..site.selftest import environment

    data = json.loads(json.dumps(data))  # the bars are the HTML's own
    for item in data["items"]:
        item["bar"] = _svg_bar(item["difficulty"])
        for option in item["options"]:
            option["bar"] = _svg_bar(option["share"], "key" if option["key"] else "wrong")
    page = environment().get_template("grade.html.j2").render(
        data=data, histogram=_svg_histogram(data["histogram"]))
    return page.encode("utf-8")


def report_pdf(data: dict) -> bytes | None:
    """The report as PDF, or None without a font for Chinese (the HTML is still written)."""
    from ..quiz.fonts import find_cjk_font
    from ..quiz.pdf import font_set, needs_cjk, render_pdf

    font = find_cjk_font(None, None) if needs_cjk(data) else None
    if needs_cjk(data) and font is None:
        return None
    return render_pdf("grade.typ", {**data, "lang": "zh"}, font_set(font))


def tables_csv(data: dict) -> dict[str, bytes]:
    def as_csv(rows: list[list]) -> bytes:
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(rows)
        return "\ufeff".encode() + out.getvalue().encode("utf-8")

    scores = [["name", "variant", "score", "questions", "by section"]] + [
        [s["name"], s["variant"], s["score"], s["total"], "; ".join(s["sections"])]
        for s in data["scores"]]
    items = [["question", "section", "difficulty", "point-biserial (corrected)",
              "upper-lower 27%", "chosen A–F", "key", "flags", "in plain words"]] + [
        [i["id"], i["section"], i["difficulty"], i["point_biserial"], i["upper_lower"],
         " ".join(str(o["chosen"]) for o in i["options"]),
         next(o["letter"] for o in i["options"] if o["key"]), " ".join(i["flags"]),
         i["reading"]] for i in data["items"]]
    return {"scores.csv": as_csv(scores), "items.csv": as_csv(items)}
