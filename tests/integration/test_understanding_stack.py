"""What students write, read by the real stack (issue 15): Spanish, ordinary turns, interests in their own words.

Each reply is what Rasa sends back through the REST channel with the trained model, the concern
reader and the interest reader; each flag and plan row is read from the stack's plan database.
"""
from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from bot.db.tables import Flag, InterestMention, Student
from tests.stack import rows, running_stack, say, scalar

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("understanding-var")) as running:
        yield running



def flags_of(stack, student_id: str, wait_s: float = 0.0) -> list[tuple]:
    query = select(Flag.category, Flag.severity).join(Student).where(Student.external_id == student_id)
    deadline = time.monotonic() + wait_s
    while not rows(stack["plan_url"], query) and time.monotonic() < deadline:
        time.sleep(0.2)
    return rows(stack["plan_url"], query)


def test_a_spanish_message_that_is_no_concern_gets_a_spanish_answer_and_no_crisis_script(stack):
    reply = say(stack, "DEMO-1011", "no hablo mucho inglés. ¿Puedes hablar en español?")
    assert "español" in reply and "consejero" in reply, reply
    assert "988" not in reply and "911" not in reply
    assert flags_of(stack, "DEMO-1011") == []


def test_a_spanish_crisis_is_answered_in_spanish_with_988_and_flagged_urgent(stack):
    reply = say(stack, "DEMO-1012", "ya no aguanto, todos estarian mejor sin mi")
    assert "988" in reply and "marca 2" in reply and "consejero" in reply, reply
    assert "I'm really glad" not in reply  # the Spanish variation, not the English one
    assert flags_of(stack, "DEMO-1012", wait_s=20) == [("self_harm", "urgent")]


@pytest.mark.parametrize("student, typed", [
    ("DEMO-1004", "nxt friday"),                            # a due date typed into a form
    ("DEMO-1007", "can you delete what i said earlier"),    # a request to delete an answer
    ("DEMO-1008", "go to tutoring with Mr. Lee"),           # a goal's step
])
def test_ordinary_turns_from_issue_15_raise_nothing(stack, student, typed):
    """One student each: three messages in a row the bot cannot place would raise `not_understood`."""
    reply = say(stack, student, typed)
    assert "988" not in reply and "911" not in reply, (typed, reply)
    assert flags_of(stack, student) == []


def test_an_interest_is_read_for_its_type_and_the_reply_says_which(stack):
    reply = say(stack, "DEMO-1003", "i like keeping track of the stats for our team")
    assert "saved" in reply and "organizing" in reply, reply
    organizing = select(func.count(InterestMention.id)).where(InterestMention.riasec == "C")
    assert scalar(stack["plan_url"], organizing) >= 1
