"""Prints the intent scores from `rasa test nlu` on the held-out set and checks the macro-F1 floor.

Usage: python -m bot.nlp.report var/results/nlu/intent_report.json [--min-macro-f1 0.90]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

SUMMARY_ROWS = ("accuracy", "macro avg", "weighted avg", "micro avg")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("--min-macro-f1", type=float, default=0.0)
    args = parser.parse_args(argv)
    report = json.loads(args.report.read_text())
    print(f"{'intent':<22} {'precision':>9} {'recall':>7} {'f1':>6} {'n':>4}")
    for intent, scores in sorted(report.items()):
        if intent in SUMMARY_ROWS or not isinstance(scores, dict):
            continue
        print(f"{intent:<22} {scores['precision']:>9.3f} {scores['recall']:>7.3f} {scores['f1-score']:>6.3f} {scores['support']:>4}")
    macro_f1 = report["macro avg"]["f1-score"]
    print(f"held-out intent macro-F1: {macro_f1:.3f} (floor {args.min_macro_f1:.2f})")
    if macro_f1 < args.min_macro_f1:
        print("error: intent macro-F1 is below the floor", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
