"""Synthetic knowledge bases of any size, for the benchmarks: `python bench/synth.py N DIR`."""

from __future__ import annotations

import random
import sys
from pathlib import Path

HANZI = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"


def _zh(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(HANZI) for _ in range(n))


def _en(rng: random.Random, n: int) -> str:
    words = ["model", "network", "scale", "policy", "safety", "learning", "system", "data",
             "compute", "agent", "game", "language", "reason", "value", "law", "team"]
    return " ".join(rng.choice(words) for _ in range(n))


def _text(rng: random.Random, zh: int, en: int) -> str:
    return f"{{zh: {_zh(rng, zh)}, en: {_en(rng, en)}}}"


def fact_yaml(i: int, rng: random.Random, section: str) -> str:
    kind = ("term", "term", "term", "event", "figure", "person", "claim", "list")[i % 8]
    head = f"  - id: f{i:06d}\n    kind: {kind}\n    section: {section}\n"
    if kind == "term":
        body = (f"    zh: {_zh(rng, 2)}{i}\n    en: {_en(rng, 2)} {i}\n"
                f"    definition: {_text(rng, 14, 10)}\n")
    elif kind == "event":
        body = f"    year: {rng.randint(1900, 2030)}\n    what: {_text(rng, 10, 8)}\n"
    elif kind == "figure":
        body = (f"    value: {rng.randint(2, 100000)}\n    unit: {{zh: 倍, en: times}}\n"
                f"    measures: {_text(rng, 10, 8)}\n")
    elif kind == "person":
        body = (f"    name: {{zh: {_zh(rng, 3)}{i}, en: Person {i}}}\n"
                f"    role: {_text(rng, 8, 5)}\n    why: {_text(rng, 10, 8)}\n")
    elif kind == "claim":
        body = (f"    question: {_text(rng, 12, 9)}\n    answer: {_text(rng, 12, 9)}\n"
                f"    wrong:\n      - {_text(rng, 12, 9)}\n      - {_text(rng, 12, 9)}\n")
    else:
        items = "".join(f"      - {_text(rng, 3, 2)}\n" for _ in range(3))
        body = f"    prompt: {_text(rng, 8, 6)}\n    items:\n{items}"
    return head + body + f"    explanation: {_text(rng, 16, 12)}\n"


def write_synthetic(n_facts: int, out: Path, per_file: int = 2000, seed: int = 0) -> Path:
    """A valid KB of `n_facts` facts in three sections, split into files of `per_file` facts."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "deck.yaml").write_text(
        "deck:\n  id: synthetic\n  title: {zh: 合成卡组, en: Synthetic deck}\n"
        "  quiz: {questions: 40, variants: 4, seed: 1}\n"
        "sections:\n" + "".join(
            f"  - id: s{n}\n    number: {n}\n    title: {{zh: 第{n}部分, en: Part {n}}}\n"
            for n in (1, 2, 3)),
        encoding="utf-8")
    for start in range(0, n_facts, per_file):
        lines = ["facts:\n"]
        for i in range(start, min(n_facts, start + per_file)):
            lines.append(fact_yaml(i, rng, f"s{i % 3 + 1}"))
        (out / f"facts-{start // per_file:03d}.yaml").write_text("".join(lines), encoding="utf-8")
    return out


if __name__ == "__main__":
    write_synthetic(int(sys.argv[1]), Path(sys.argv[2]))
