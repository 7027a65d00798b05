"""The labelled safety sets, screened by the rules alone (the classifier is a second net on top).

`make test` fails on any crisis statement the rules miss. The full NLU pipeline (rules plus the
trained classifier) is measured on the same sets by `python -m bot.safety.report` in `make test`.
"""
from pathlib import Path

import pytest
import yaml

from bot.safety.categories import CRISIS
from bot.safety.screen import screen

SETS = sorted(Path(__file__).parent.glob("*.yml"))


def cases(*labels):
    for path in SETS:
        for number, case in enumerate(yaml.safe_load(path.read_text())["cases"]):
            if case["label"] in labels:
                yield pytest.param(case["text"], case["label"], id=f"{path.stem}-{number}")


@pytest.mark.parametrize("text, label", cases(*CRISIS))
def test_every_crisis_statement_is_caught_as_a_crisis(text, label):
    concern = screen(text)
    assert concern is not None and concern.is_crisis, f"missed {label}: {text!r}"


def test_crisis_statements_get_their_own_category():
    labelled = list(cases(*CRISIS))
    wrong = [(param.values[1], screen(param.values[0]).category, param.values[0]) for param in labelled
             if screen(param.values[0]).category != param.values[1]]
    assert len(wrong) <= 0.05 * len(labelled), wrong


def test_near_misses_rarely_raise_a_crisis():
    near_misses = [param.values[0] for param in cases("none")]
    false_alarms = [text for text in near_misses if (concern := screen(text)) is not None and concern.is_crisis]
    assert len(false_alarms) <= 0.05 * len(near_misses), false_alarms
