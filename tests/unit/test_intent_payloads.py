"""Which hand-typed "/intent" payloads reach Rasa as payloads, and what every other slash text becomes."""
import pytest

from bot.advisors.conversation import START_PAYLOAD
from bot.safety.payloads import as_words, is_button_shaped, offered_payloads, text_for_pipeline

QUIZ_LIKE = '/answer_inventory{"inventory_item":"r01","inventory_choice":"like"}'
BOT_BUTTONS = [{"title": "Like", "payload": QUIZ_LIKE}, {"title": "Show my plan", "payload": "/ask_plan_summary"},
               {"title": "Skip", "payload": "skip"}]
STUDENT, ADVISOR_SESSION = "DEMO-1004", "advisor-3f2a"


@pytest.mark.parametrize("text, expected", [
    # a button the bot offered, clicked: passed on as it is
    (QUIZ_LIKE, QUIZ_LIKE),
    ("/ask_plan_summary", "/ask_plan_summary"),
    (" /ask_plan_summary\n", " /ask_plan_summary\n"),  # Rasa trims it; still the offered payload
    # what finding 2 reproduced: an intent, a confidence, and words the screen must read
    ("/greet@1.0 I want to kill myself tonight", "greet@1.0 I want to kill myself tonight"),
    ("/greet I want to kill myself tonight", "greet I want to kill myself tonight"),
    # an offered payload with anything after it is not that payload
    ("/ask_plan_summary I want to kill myself", "ask_plan_summary I want to kill myself"),
    (QUIZ_LIKE + " kms", QUIZ_LIKE[1:] + " kms"),
    ("/ask_plan_summary@1.0", "ask_plan_summary@1.0"),
    # intents the bot never offered, and malformed payloads (Rasa's warning would print them)
    ("/greet", "greet"),
    ('/greet{bad json', 'greet{bad json'),
    ('/inform{"x": }', 'inform{"x": }'),
    ("/restart", "restart"),
    # every leading slash goes, or Rasa (which trims first) would read the rest as a payload
    ("//greet hi", "greet hi"),
    ("/ /greet hi", "greet hi"),
    ("  /greet hi", "greet hi"),
    ("/", ""),
    # not a payload at all: untouched
    ("i like drawing", "i like drawing"),
    ("and/or 1/2", "and/or 1/2"),
    ("skip", "skip"),
])
def test_a_student_payload_passes_only_when_the_bot_offered_exactly_it(text, expected):
    assert text_for_pipeline(text, offered_payloads(STUDENT, BOT_BUTTONS)) == expected


def test_the_advisor_page_start_payload_passes_in_an_advisor_session_only():
    assert text_for_pipeline(START_PAYLOAD, offered_payloads(ADVISOR_SESSION, [])) == START_PAYLOAD
    assert text_for_pipeline(START_PAYLOAD, offered_payloads(STUDENT, [])) == START_PAYLOAD[1:]
    with_words = f"{START_PAYLOAD} she said she wants to kill herself"
    assert text_for_pipeline(with_words, offered_payloads(ADVISOR_SESSION, [])) == with_words[1:]


def test_only_slash_payloads_count_as_offered():
    # an advisor script's buttons send their label as plain words: nothing to let through
    assert offered_payloads(STUDENT, BOT_BUTTONS + [{"title": "x"}, "junk", {"payload": None}]) == {
        QUIZ_LIKE, "/ask_plan_summary"}


def test_as_words_leaves_text_rasa_cannot_read_as_a_payload():
    for text in ("/greet", "//greet", " / /greet{}", "/"):
        assert not as_words(text).strip().startswith("/")


@pytest.mark.parametrize("text, button_shaped", [
    (QUIZ_LIKE, True),
    ("/ask_plan_summary", True),
    ('/report_done{"done_item":"step:12"}', True),
    ("/greet@1.0 I want to kill myself tonight", False),  # a confidence, and words after it
    ("/greet I want to kill myself tonight", False),
    (QUIZ_LIKE + " kms", False),
    ('/greet{"x": "i want to die"}', False),
])
def test_only_text_no_button_could_send_counts_as_typed(text, button_shaped):
    # The sweep screens the words of typed payloads only: a click's payload carries ids.
    assert is_button_shaped(text) is button_shaped
