"""Measures how well free-text interest statements raise the RIASEC type a counselor would assign.

Usage: python -m bot.nlp.interest_report [--figures-only] tests/interests/statements.yml

--figures-only leaves out the statements that missed: for a blind set, whose statements must stay
unread by whoever tunes the reader.

Each statement is read as the bot reads it (bot.plans.services.record_interest_statement): the catalog
items it mentions (bot.nlp.mentions) and the type the interest reader places it in (bot.interests.reader,
only when it is sure enough). A statement is a hit when its expected type is among the types saved; it
is wrong-only when types were saved but not the expected one; otherwise nothing was saved but its words.
Its top-1 type is the reader's placed type, else the type most of its liked mentions carry ("-" for
none, "tie" when two lead); the confusion matrix counts expected against top-1. The reader's own top
type, sure or not, is scored too ("reader top-1").
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import yaml

from bot.interests.reader import read_interests
from bot.nlp.mentions import find_mentions

RIASEC = "RIASEC"


def load_statements(path: Path | str) -> list[dict]:
    statements = yaml.safe_load(Path(path).read_text())["statements"]
    for statement in statements:
        if statement.get("riasec") not in RIASEC or len(statement["riasec"]) != 1:
            raise ValueError(f"statement {statement.get('text')!r} has no single RIASEC type")
    return statements


def classify(statement: dict, reading) -> dict:
    mentions = find_mentions(statement["text"])
    liked = [m for m in mentions if not m.disliked]
    saved_types = sorted({m.riasec for m in liked} | ({reading.placed} if reading.placed else set()))
    expected = statement["riasec"]
    outcome = "hit" if expected in saved_types else "wrong_only" if saved_types else "nothing"
    return {"text": statement["text"], "expected": expected, "about": statement.get("about", ""),
            "outcome": outcome, "liked_types": saved_types,
            "top1": reading.placed or top_type([m.riasec for m in liked]), "reader_top1": reading.top,
            "reader": f"reader {reading.top} {reading.confidence:.2f}",
            "mentions": [f"{m.kind}:{m.item_id}={m.riasec}{' (disliked)' if m.disliked else ''} [{m.text}]"
                         for m in mentions]}


def top_type(types: list[str]) -> str:
    ranked = Counter(types).most_common()
    if not ranked:
        return "-"
    return "tie" if len(ranked) > 1 and ranked[0][1] == ranked[1][1] else ranked[0][0]


def measure(path: Path | str) -> dict:
    """Recall per type and overall, the wrong-only rate, and every statement that was not a hit."""
    statements = load_statements(path)
    readings = read_interests([statement["text"] for statement in statements])
    results = [classify(statement, reading) for statement, reading in zip(statements, readings, strict=True)]
    per_type = {}
    for riasec in RIASEC:
        rows = [r for r in results if r["expected"] == riasec]
        if not rows:
            continue
        hits = sum(r["outcome"] == "hit" for r in rows)
        wrong_only = sum(r["outcome"] == "wrong_only" for r in rows)
        per_type[riasec] = {"n": len(rows), "hits": hits, "recall": hits / len(rows),
                            "wrong_only": wrong_only, "nothing": len(rows) - hits - wrong_only}
    n = len(results)
    hits = sum(r["outcome"] == "hit" for r in results)
    wrong_only = sum(r["outcome"] == "wrong_only" for r in results)
    top1 = sum(r["top1"] == r["expected"] for r in results)
    reader_top1 = sum(r["reader_top1"] == r["expected"] for r in results)
    confusion = Counter((r["expected"], r["top1"]) for r in results)
    return {"n": n, "hits": hits, "recall": hits / n if n else 0.0, "top1_accuracy": top1 / n if n else 0.0,
            "reader_top1_accuracy": reader_top1 / n if n else 0.0,
            "confusion": confusion,
            "wrong_only": wrong_only, "wrong_only_rate": wrong_only / n if n else 0.0,
            "per_type": per_type, "misses": [r for r in results if r["outcome"] != "hit"]}


def table(figures: dict) -> str:
    lines = [f"{'type':<6} {'n':>4} {'hits':>5} {'recall':>7} {'wrong-only':>11} {'nothing':>8}"]
    for riasec, row in figures["per_type"].items():
        lines.append(f"{riasec:<6} {row['n']:>4} {row['hits']:>5} {row['recall']:>7.3f} "
                     f"{row['wrong_only']:>11} {row['nothing']:>8}")
    lines.append(f"{'all':<6} {figures['n']:>4} {figures['hits']:>5} {figures['recall']:>7.3f} "
                 f"{figures['wrong_only']:>11} {figures['n'] - figures['hits'] - figures['wrong_only']:>8}")
    lines.append(f"interest statement recall {figures['recall']:.3f}, top-1 accuracy {figures['top1_accuracy']:.3f}, "
                 f"wrong-type-only rate {figures['wrong_only_rate']:.3f}, "
                 f"reader top-1 (sure or not) {figures['reader_top1_accuracy']:.3f}")
    columns = [*RIASEC, "tie", "-"]
    lines.append("confusion (rows: expected, columns: top-1 found; -: nothing)")
    lines.append("      " + "".join(f"{column:>5}" for column in columns))
    for expected in RIASEC:
        lines.append(f"{expected:<6}" + "".join(f"{figures['confusion'][(expected, column)]:>5}" for column in columns))
    return "\n".join(lines)


def misses_report(figures: dict) -> str:
    lines = []
    for outcome, title in (("nothing", "found nothing"), ("wrong_only", "found only a wrong type")):
        rows = [r for r in figures["misses"] if r["outcome"] == outcome]
        if not rows:
            continue
        lines.append(f"{title} ({len(rows)}):")
        for r in sorted(rows, key=lambda r: (r["about"], r["expected"])):
            found = f"  -> {', '.join([*r['mentions'], r['reader']])}"
            lines.append(f"  {r['expected']} {r['about']:<14} {r['text']}{found}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    figures_only = "--figures-only" in argv
    paths = [arg for arg in argv if arg != "--figures-only"]
    if len(paths) != 1:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    figures = measure(paths[0])
    print(table(figures))
    misses = misses_report(figures)
    if misses and not figures_only:
        print(misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
