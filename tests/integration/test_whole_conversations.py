"""Issue 19: the blind whole conversations through the real stack, judged on the plan after every turn.

Plays tests/whole_conversations/blind_2026_12.yml once (a stack on free ports, one new student per
conversation; about 6 minutes with the stack's start on 2 shared cores) and fails when a kind of
expectation passes fewer times than its floor in tests/whole_conversations/floors.yml, when the bot
says "saved" with nothing saved, or writes to the plan when asked a question, more often than that
file allows. The floors are the counts measured on main's model when the runner was written; raise
them as fixes land, never lower them to make a test pass.
`python -m tests.whole_conversations.report` prints the same run with every failure.
"""
from __future__ import annotations

import pytest
import yaml

from tests.whole_conversations.report import format_report
from tests.whole_conversations.runner import EXPECTATION_KINDS, HERE, judge, load_conversations, play_all, stack_for

pytestmark = pytest.mark.stack
FLOORS = HERE / "floors.yml"


@pytest.fixture(scope="module")
def judged():
    conversations = load_conversations()
    with stack_for() as stack:
        played = play_all(stack, conversations)
    judgement = judge(played)
    return judgement, format_report(judgement, len(played), sum(len(p.turns) for p in played))


@pytest.fixture(scope="module")
def floors() -> dict:
    return yaml.safe_load(FLOORS.read_text())


def test_every_message_got_a_reply(judged):
    judgement, report = judged
    assert not [line for line in judgement.errors if "HTTP" in line], report


@pytest.mark.parametrize("kind", EXPECTATION_KINDS)
def test_no_kind_of_expectation_passes_less_often_than_its_floor(judged, floors, kind):
    judgement, report = judged
    passed, total = judgement.counts()[kind]
    assert passed >= floors["passed"][kind], (
        f"{kind}: {passed}/{total} passed, below the floor of {floors['passed'][kind]}\n{report}")


def test_no_more_false_saved_replies_than_before(judged, floors):
    judgement, report = judged
    assert len(judgement.false_saved) <= floors["max_false_saved"], (
        f'{len(judgement.false_saved)} replies say "saved" with nothing saved '
        f"(at most {floors['max_false_saved']})\n{report}")


def test_no_more_writes_on_questions_than_before(judged, floors):
    judgement, report = judged
    assert len(judgement.writes_on_questions) <= floors["max_writes_on_questions"], (
        f"{len(judgement.writes_on_questions)} questions got a write to the plan "
        f"(at most {floors['max_writes_on_questions']})\n{report}")
