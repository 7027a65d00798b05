"""What an answer to "are you okay right now?" says, and that a check-in is never taken for a crisis later."""
import pytest

from bot.safety.check_in import CheckInAnswer, read_check_in_answer
from bot.safety.sweep import stored_crisis


@pytest.mark.parametrize("typed", ["im ok", "I'm okay", "yeah im good", "no im fine", "nah i'm good", "yes", "ya",
                                   "its fine lol", "i was just joking", "estoy bien", "sí", "all good", "im safe"])
def test_answers_that_say_the_student_is_okay(typed):
    assert read_check_in_answer(typed) is CheckInAnswer.OKAY


@pytest.mark.parametrize("typed", ["no", "nope", "not really", "i'm not okay", "not good", "idk", "kinda",
                                   "yes i need help", "i need someone to talk to", "no estoy bien", "no se",
                                   "honestly no", "not sure", "no good"])
def test_answers_that_do_not(typed):
    assert read_check_in_answer(typed) is CheckInAnswer.NOT_OKAY


@pytest.mark.parametrize("typed", ["what jobs fit me", "whatever", "how many questions are left"])
def test_words_that_answer_nothing(typed):
    assert read_check_in_answer(typed) is CheckInAnswer.UNCLEAR


def test_a_buttons_payload_is_read_by_its_intent():
    assert read_check_in_answer("", "affirm") is CheckInAnswer.OKAY
    assert read_check_in_answer("", "deny") is CheckInAnswer.NOT_OKAY
    assert read_check_in_answer("", "greet") is CheckInAnswer.UNCLEAR


def test_the_crisis_sweep_does_not_take_a_stored_check_in_for_a_crisis():
    check_in = {"parse_data": {"safety": {"category": "self_harm", "severity": "check_in", "source": "reader"}}}
    crisis = {"parse_data": {"safety": {"category": "self_harm", "severity": "urgent", "source": "reader"}}}
    assert stored_crisis("safety_check_in", check_in) is None
    assert stored_crisis("safety_check_in", crisis).name == "self_harm"
