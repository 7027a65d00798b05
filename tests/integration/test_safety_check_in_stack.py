"""The safety check-in through the real stack: a weak sign of a crisis is asked about; "I'm okay" lets the message
be handled as it would have been, and "not really" brings the crisis reply and an urgent flag."""
from __future__ import annotations

import pytest

from bot.flags import list_flags
from bot.plans.services import student_plan
from tests.stack import plan_uow, running_stack, say
from tests.weak_signs import value_read_as_a_weak_sign

pytestmark = pytest.mark.stack
ASKED = "Are you okay right now?"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("check-in-var")) as running:
        yield running



def flags(stack, student: str) -> list[dict]:
    return [flag for flag in list_flags(plan_uow(stack)) if flag["student_id"] == student]


def plan(stack, student: str) -> dict:
    return student_plan(plan_uow(stack), student)


@pytest.mark.parametrize(("student", "answer"), [("DEMO-1004", "/affirm"), ("DEMO-1006", "im fine")])
def test_im_okay_ends_the_check_in_and_the_message_is_then_handled_as_it_would_have_been(stack, student, answer):
    asked = say(stack, student, value_read_as_a_weak_sign())
    assert ASKED in asked and "988" not in asked
    answered = say(stack, student, answer)
    okay = "Okay, thanks for telling me. If that changes, you can call or text 988 any time, or ask me to get your counselor."
    assert answered.startswith(okay)
    assert "matters most to you in a job" in answered[len(okay):]  # the value statement's own reply follows
    assert flags(stack, student) == []


def test_not_really_gets_the_crisis_reply_and_an_urgent_flag_with_the_words(stack):
    student = "DEMO-1005"
    assert ASKED in say(stack, student, value_read_as_a_weak_sign())
    answered = say(stack, student, "not really")
    assert "988" in answered
    [flag] = flags(stack, student)
    assert (flag["category"], flag["severity"]) == ("self_harm", "urgent")
    assert value_read_as_a_weak_sign() in flag["excerpt"] and "not really" in flag["excerpt"]
    assert plan(stack, student)["values"] == []
