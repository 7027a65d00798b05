"""Hand-typed intent payloads through the web app against the real stack (issue 16, finding 2).

A payload the bot never offered cannot turn a crisis into a greeting: a student or an advisor who
types "/greet I want to kill myself tonight" gets the crisis reply and an urgent flag. Clicking a
button the bot offered, and the advisor page's start and Continue payloads, still work. The stack's
teardown checks that no log holds the words typed here (tests.stack.STUDENT_WORDS).
"""
from __future__ import annotations

import time

import httpx
import pytest
from sqlalchemy import select

from bot.advisors.conversation import START_PAYLOAD
from bot.db.tables import Flag, Student
from bot.demo import demo_sign_ins
from tests.stack import rows, running_stack
from tests.web_clients import sign_in_staff, sign_in_student, start_advisor_session

pytestmark = pytest.mark.stack

CRISIS_PAYLOADS = ["/greet@1.0 I want to kill myself tonight", "/greet I want to kill myself tonight"]
SPANISH_CRISIS = "quiero matarme esta noche"  # a crisis to the screen's Spanish phrases; its words stay out of logs
MALFORMED_PAYLOADS = ["/greet{bad json about glimmerquartz", '/inform{"x": } glimmerquartz']


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("payload-var")) as running:
        yield running


def code_of(student_id: str) -> str:
    return next(code for sid, _first, _grade, code in demo_sign_ins().students if sid == student_id)


def urgent_flags(stack, student_id: str, wait_s: float = 20) -> list[tuple]:
    """The student's urgent flags (category, conversation); waits a little for the action server's write."""
    query = (select(Flag.category, Flag.conversation_id).join(Student)
             .where(Student.external_id == student_id, Flag.severity == "urgent"))
    deadline = time.monotonic() + wait_s
    while not rows(stack["plan_url"], query) and time.monotonic() < deadline:
        time.sleep(0.2)
    return rows(stack["plan_url"], query)


@pytest.mark.parametrize("student_id, typed", [("DEMO-1001", CRISIS_PAYLOADS[0]), ("DEMO-1002", CRISIS_PAYLOADS[1])],
                         ids=["with-confidence", "bare-intent"])
def test_a_student_typing_a_payload_before_a_crisis_gets_988_and_an_urgent_flag(stack, student_id, typed):
    with httpx.Client(base_url=stack["web"], timeout=90) as web:
        assert sign_in_student(web, student_id, code_of(student_id)).status_code == 303
        response = web.post("/api/messages", json={"text": typed})
        assert response.status_code == 200, response.text
        reply = " ".join(m["text"] for m in response.json()["messages"])
        assert "988" in reply and "counselor" in reply, reply
    assert urgent_flags(stack, student_id) == [("self_harm", student_id)]


def test_a_student_clicking_an_offered_button_still_answers_the_quiz(stack):
    student_id = "DEMO-1003"
    with httpx.Client(base_url=stack["web"], timeout=90) as web:
        assert sign_in_student(web, student_id, code_of(student_id)).status_code == 303
        quiz = web.post("/api/messages", json={"text": "can i take the interest quiz"}).json()["messages"]
        question = next(m for m in quiz if m["buttons"])
        assert question["text"].startswith("Question 1 of ")
        like = next(b["payload"] for b in question["buttons"] if '"like"' in b["payload"])
        assert like.startswith("/")
        clicked = web.post("/api/messages", json={"text": like}).json()["messages"]
        assert any(m["text"].startswith("Question 2 of ") for m in clicked), clicked
        # The same payload with words after it is not the button: the screen reads it, and the words are kept.
        typed = web.post("/api/messages", json={"text": f"{like} {SPANISH_CRISIS}"})
        assert typed.status_code == 200 and not any(
            m["text"].startswith("Question 3 of ") for m in typed.json()["messages"])
        for text in [SPANISH_CRISIS, *MALFORMED_PAYLOADS]:
            response = web.post("/api/messages", json={"text": text})
            assert response.status_code == 200 and response.json()["messages"], (text, response.text)
    # The Spanish crisis, typed twice (after the payload and alone), is two urgent flags; the rest is no crisis.
    assert urgent_flags(stack, student_id) == [("self_harm", student_id)] * 2


def test_an_advisor_typing_a_payload_before_a_disclosure_pauses_the_script_and_flags_the_student(stack):
    student_id = "DEMO-1008"
    email, password = next((e, p) for role, e, p in demo_sign_ins().staff if role == "advisor")
    with httpx.Client(base_url=stack["web"], timeout=90) as web:
        assert sign_in_staff(web, email, password).headers["location"] == "/advisor"
        say = start_advisor_session(web, student_id)
        assert "Step 1 of 10" in say(START_PAYLOAD)  # what the page sends on load
        for typed in CRISIS_PAYLOADS:
            crisis = say(typed)
            assert crisis.startswith("Pause the script.") and "988" in crisis, crisis
        assert "Step 1 of 10" in say(START_PAYLOAD)  # Continue the script: nothing answered yet, so step 1 again
    flags = urgent_flags(stack, student_id)
    # Each crisis typed is an urgent flag of its own (never folded into an open one).
    assert [(category, conversation.startswith("advisor-")) for category, conversation in flags] == [
        ("self_harm", True)] * len(CRISIS_PAYLOADS)
