"""Issue 19: the whole conversations through the real stack, judged on the plan after every turn.

Plays each set once (one stack on free ports for all the sets, one new student per conversation, three
conversations at a time) and fails when a kind of expectation passes fewer times
than its floor, when the bot says "saved" with nothing saved, or writes to the plan when asked a
question, more often than the set's floors file allows:
- blind_2026_12.yml (floors.yml): the first blind set, read and fixed against since: a regression set;
- blind_2026_12b.yml (floors_b.yml): the second blind set, written 2026-12-06 by a helper who read no
  project data, fixed against that evening: a regression set now;
- blind_2026_12c.yml (floors_c.yml): the third blind set, written 2026-12-06 (evening) the same way; its
  failures were read on 2026-12-07: a regression set now;
- blind_2026_12d.yml (floors_d.yml): the fourth blind set, written 2026-12-07 the same way; its failures were
  read on 2026-12-07 (evening session): a regression set now;
- blind_2026_12e.yml (floors_e.yml): the fifth blind set, written 2026-12-07 (afternoon) the same way; its
  failures were read on 2026-12-07 (evening session): a regression set now;
- blind_2026_12f.yml (floors_f.yml): the sixth blind set, written 2026-12-07 (evening) the same way; its
  failures were read on 2026-12-07 (night session): a regression set now;
- blind_2026_12g.yml (floors_g.yml): the seventh blind set, written 2026-12-07 (night) the same way; its
  failures were read on 2026-12-07 (late night): a regression set now;
- blind_2026_12h.yml (floors_h.yml): the eighth blind set, written 2026-12-07 (late night) the same way; its
  failures were read on 2026-12-08: a regression set now;
- blind_2026_12i.yml (floors_i.yml): the ninth blind set, written 2026-12-08 the same way; nobody has read its
  failures or tuned on it.
Raise a floor as fixes land, never lower one to make a change pass. A training of unchanged inputs elsewhere
can give other turns: a floor is one below the lowest such training seen, and each floors file says which.
`python -m tests.whole_conversations.report --set FILE` prints the same run with every failure.
"""
from __future__ import annotations

import pytest
import yaml

from tests.whole_conversations.report import format_report
from tests.whole_conversations.runner import EXPECTATION_KINDS, HERE, judge, load_conversations, play_all, stack_for

pytestmark = pytest.mark.stack
SETS = {"blind_2026_12.yml": "floors.yml", "blind_2026_12b.yml": "floors_b.yml",
        "blind_2026_12c.yml": "floors_c.yml", "blind_2026_12d.yml": "floors_d.yml",
        "blind_2026_12e.yml": "floors_e.yml", "blind_2026_12f.yml": "floors_f.yml",
        "blind_2026_12g.yml": "floors_g.yml",
        "blind_2026_12h.yml": "floors_h.yml", "blind_2026_12i.yml": "floors_i.yml"}  # set -> its floors


@pytest.fixture(scope="module")
def stack():
    with stack_for() as running:
        yield running


@pytest.fixture(scope="module", params=sorted(SETS))
def judged(request, stack):
    conversations = load_conversations(HERE / request.param)
    played = play_all(stack, conversations, prefix=str(sorted(SETS).index(request.param)))
    judgement = judge(played)
    return judgement, f"{request.param}\n" + format_report(judgement, len(played), sum(len(p.turns) for p in played)), \
        yaml.safe_load((HERE / SETS[request.param]).read_text())


def test_every_message_got_a_reply(judged):
    judgement, report, _ = judged
    assert not [line for line in judgement.errors if "HTTP" in line], report


@pytest.mark.parametrize("kind", EXPECTATION_KINDS)
def test_no_kind_of_expectation_passes_less_often_than_its_floor(judged, kind):
    judgement, report, floors = judged
    passed, total = judgement.counts()[kind]
    assert passed >= floors["passed"][kind], (
        f"{kind}: {passed}/{total} passed, below the floor of {floors['passed'][kind]}\n{report}")


def test_no_more_false_saved_replies_than_before(judged):
    judgement, report, floors = judged
    assert len(judgement.false_saved) <= floors["max_false_saved"], (
        f'{len(judgement.false_saved)} replies say "saved" with nothing saved '
        f"(at most {floors['max_false_saved']})\n{report}")


def test_no_more_writes_on_questions_than_before(judged):
    judgement, report, floors = judged
    assert len(judgement.writes_on_questions) <= floors["max_writes_on_questions"], (
        f"{len(judgement.writes_on_questions)} questions got a write to the plan "
        f"(at most {floors['max_writes_on_questions']})\n{report}")
