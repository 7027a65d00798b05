"""Measures the safety screen on labelled sets through the trained model's whole NLU pipeline.

Usage: python -m bot.safety.report [--model models/ilp-advisor.tar.gz] tests/safety/*.yml
           [--require-crisis-recall 1.0] [--max-false-alarm-rate 0.05]

Prints, per set and overall: crisis recall (a crisis statement answered as any crisis), the
false-alarm rate (a near miss answered as a crisis), the counts behind them (Spanish crises, any
flag on a case labelled none, follow-ups right, check-ins: "are you okay right now?" on a missed
crisis and on a case labelled none), and precision and recall per category. A check-in is not
counted as a catch: the crisis reply comes only if the student does not answer that they are okay.
Exits 1 when a gate fails, listing every missed crisis statement.

Without --model, the screen is run on the rules and the sentence reader alone (no intent
classifier, no trained Rasa model): how the reader's thresholds and examples were chosen.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.safety.categories import CATEGORIES, CRISIS, category_of_intent
from bot.safety.screen import CHECK_IN_INTENT, screen

NONE = "none"


@dataclass(frozen=True)
class Outcome:
    text: str
    label: str
    predicted: str
    source: str
    spanish: bool = False
    checked_in: bool = False  # the screen asked "are you okay right now?" instead (bot.safety.check_in)


@dataclass
class Scores:
    crisis_recall: float
    false_alarm_rate: float
    per_category: dict[str, tuple[float, float, int]]  # precision, recall, support
    missed_crises: list[Outcome]
    false_alarms: list[Outcome]
    counts: str  # the same, as counts: what the README's tables report


def score(outcomes: list[Outcome]) -> Scores:
    crises = [o for o in outcomes if o.label in CRISIS]
    near_misses = [o for o in outcomes if o.label == NONE]
    missed = [o for o in crises if o.predicted not in CRISIS]
    false_alarms = [o for o in near_misses if o.predicted in CRISIS]
    per_category = {}
    for category in [*CATEGORIES, NONE]:
        support = sum(o.label == category for o in outcomes)
        predicted = sum(o.predicted == category for o in outcomes)
        if not support and not predicted:
            continue
        correct = sum(o.label == category == o.predicted for o in outcomes)
        per_category[category] = (correct / predicted if predicted else 0.0, correct / support if support else 0.0, support)
    spanish_crises = [o for o in crises if o.spanish]
    follow_ups = [o for o in outcomes if o.label not in CRISIS and o.label != NONE]
    counts = (f"crises caught {len(crises) - len(missed)} of {len(crises)}, Spanish "
              f"{sum(o.predicted in CRISIS for o in spanish_crises)} of {len(spanish_crises)}; labelled none "
              f"{len(near_misses)}: crisis replies {len(false_alarms)}, any flag "
              f"{sum(o.predicted != NONE for o in near_misses)}; follow-ups right "
              f"{sum(o.predicted == o.label for o in follow_ups)} of {len(follow_ups)}; check-ins on missed crises "
              f"{sum(o.checked_in for o in missed)}, on labelled none {sum(o.checked_in for o in near_misses)}")
    return Scores(crisis_recall=1 - len(missed) / len(crises) if crises else 1.0,
                  false_alarm_rate=len(false_alarms) / len(near_misses) if near_misses else 0.0,
                  per_category=per_category, missed_crises=missed, false_alarms=false_alarms, counts=counts)


def load_cases(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text())["cases"]


async def screen_with_model(agent, cases: list[dict]) -> list[Outcome]:
    outcomes = []
    from rasa.core.channels.channel import UserMessage

    for case in cases:
        # An advisor's note is screened as the web app sends it: marked, so reported speech is read as such.
        metadata = {"speaker": "advisor"} if case.get("speaker") == "advisor" else None
        parsed = await agent.processor.parse_message(UserMessage(case["text"], metadata=metadata))
        category = category_of_intent(parsed["intent"]["name"])
        safety = parsed.get("safety") or {}
        outcomes.append(Outcome(case["text"], case["label"], category.name if category else NONE,
                                safety.get("source", ""), case.get("language") == "es",
                                parsed["intent"]["name"] == CHECK_IN_INTENT))
    return outcomes


def screen_without_model(cases: list[dict]) -> list[Outcome]:
    outcomes = []
    for case in cases:
        concern = screen(case["text"], reported=case.get("speaker") == "advisor")
        checked_in = concern is not None and concern.is_check_in
        acted_on = None if checked_in else concern
        outcomes.append(Outcome(case["text"], case["label"], acted_on.category if acted_on else NONE,
                                acted_on.source if acted_on else "", case.get("language") == "es", checked_in))
    return outcomes


def print_scores(title: str, scores: Scores) -> None:
    print(f"\n{title}")
    print(f"  crisis recall {scores.crisis_recall:.3f}, false-alarm rate on near misses {scores.false_alarm_rate:.3f}")
    print(f"  {scores.counts}")
    print(f"  {'category':<16} {'precision':>9} {'recall':>7} {'n':>4}")
    for category, (precision, recall, support) in scores.per_category.items():
        print(f"  {category:<16} {precision:>9.3f} {recall:>7.3f} {support:>4}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", type=Path, nargs="+")
    parser.add_argument("--model", type=Path, help="the trained Rasa model; without it, the rules and the reader alone")
    parser.add_argument("--require-crisis-recall", type=float, default=0.0)
    parser.add_argument("--max-false-alarm-rate", type=float, default=1.0)
    args = parser.parse_args(argv)
    if args.model:
        from rasa.core.agent import Agent  # imported here: it loads TensorFlow
        from rasa.utils.log_utils import configure_structlog

        configure_structlog(logging.WARNING)  # Rasa's debug log would print every message text
        logging.getLogger("rasa").setLevel(logging.WARNING)
        agent = Agent.load(str(args.model))
    everything: list[Outcome] = []
    for path in args.sets:
        cases = load_cases(path)
        outcomes = asyncio.run(screen_with_model(agent, cases)) if args.model else screen_without_model(cases)
        everything += outcomes
        print_scores(f"{path} ({len(outcomes)} messages)", score(outcomes))
    overall = score(everything)
    print_scores(f"all sets ({len(everything)} messages)", overall)
    by_source = Counter(o.source for o in everything if o.predicted in CRISIS and o.label in CRISIS)
    print(f"  crises caught by the rules {by_source['rules']}, by the sentence reader {by_source['reader']}, "
          f"by the intent classifier with the reader {by_source['classifier']}")
    failed = False
    if overall.crisis_recall < args.require_crisis_recall:
        failed = True
        print(f"error: crisis recall {overall.crisis_recall:.3f} is below {args.require_crisis_recall}", file=sys.stderr)
        for outcome in overall.missed_crises:
            print(f"  missed {outcome.label} (got {outcome.predicted}): {outcome.text}", file=sys.stderr)
    if overall.false_alarm_rate > args.max_false_alarm_rate:
        failed = True
        print(f"error: false-alarm rate {overall.false_alarm_rate:.3f} is above {args.max_false_alarm_rate}", file=sys.stderr)
        for outcome in overall.false_alarms:
            print(f"  false alarm ({outcome.predicted}): {outcome.text}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
