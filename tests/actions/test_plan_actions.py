"""Actions against a real plan database and the real spaCy pipeline."""
import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

from actions.careers import ActionSaveCareerGoal
from actions import common
from actions.common import event_key
from actions.interests import ActionSaveInterestStatement
from actions.plan import ActionSummarizePlan
from bot.config import Settings
from bot.db.tables import Answer
from bot.db.unit_of_work import units_of_work
from bot.plans.services import student_plan
from tests.actions.conftest import make_tracker, responses
from tests.builders import enrol


def answers(uow_factory) -> int:
    with uow_factory() as uow:
        return uow.session.scalar(select(func.count(Answer.id)))


async def test_interest_is_saved_and_acknowledged_with_its_type(uow_factory, dispatcher, domain):
    enrol(uow_factory, "S1")
    tracker = make_tracker(text="I love fixing engines")
    events = await ActionSaveInterestStatement().run(dispatcher, tracker, domain)
    # The quiz waits no more; a "no" now takes this save back.
    assert [(e["name"], e["value"]) for e in events] == [("awaiting", "saved"), ("last_save", [event_key(tracker)]),
                                                         ("pending_save", None)]
    assert responses(dispatcher) == ["utter_interest_saved"]
    assert "hands-on" in dispatcher.messages[0]["interest_types"]
    assert student_plan(uow_factory(), "S1")["interests"]["code"] == "R"


async def test_retried_action_saves_once_and_says_so(uow_factory, domain):
    enrol(uow_factory, "S1")
    tracker = make_tracker(text="I draw all weekend", message_id="m-1")
    first, retry = CollectingDispatcher(), CollectingDispatcher()
    await ActionSaveInterestStatement().run(first, tracker, domain)
    await ActionSaveInterestStatement().run(retry, tracker, domain)
    assert responses(first) == ["utter_interest_saved"]
    assert responses(retry) == ["utter_already_saved"]
    assert answers(uow_factory) == 1


async def test_words_nothing_can_be_read_from_are_kept_and_the_bot_asks_for_something_concrete(
        uow_factory, dispatcher, domain, monkeypatch):
    import functools

    import actions.interests
    from bot.interests.reader import InterestReading
    from bot.plans.services import record_interest_statement

    unsure = InterestReading({"R": 0.2, "I": 0.2, "A": 0.2, "S": 0.2, "E": 0.1, "C": 0.1})
    monkeypatch.setattr(actions.interests, "record_interest_statement",
                        functools.partial(record_interest_statement, read=lambda text: unsure))
    enrol(uow_factory, "S1")
    await ActionSaveInterestStatement().run(dispatcher, make_tracker(text="stuff with my cousins"), domain)
    assert responses(dispatcher) == ["utter_interest_unplaced"]
    assert "saved" not in domain["responses"]["utter_interest_unplaced"][0]["text"]
    assert student_plan(uow_factory(), "S1")["interests"]["statements"] == [{"text": "stuff with my cousins", "riasec": []}]


@pytest.mark.parametrize("text, response", [
    ("", "utter_answer_empty"),               # empty
    ("🎸🎸🎸", "utter_answer_no_words"),       # emoji only
    ("engines " * 200, "utter_answer_too_long"),  # over 1,000 characters
])
async def test_unusable_input_gets_a_reprompt_and_loses_nothing(uow_factory, dispatcher, domain, text, response):
    enrol(uow_factory, "S1")
    await ActionSaveInterestStatement().run(CollectingDispatcher(), make_tracker(text="I like cooking"), domain)
    await ActionSaveInterestStatement().run(dispatcher, make_tracker(text=text), domain)
    assert responses(dispatcher) == [response]
    assert answers(uow_factory) == 1


async def test_unknown_sender_is_told_to_sign_in(uow_factory, dispatcher, domain):
    await ActionSaveInterestStatement().run(dispatcher, make_tracker("GHOST", text="I draw"), domain)
    assert responses(dispatcher) == ["utter_sign_in_first"]
    assert answers(uow_factory) == 0


async def test_database_failure_never_claims_the_answer_was_saved(uow_factory, dispatcher, domain, monkeypatch):
    enrol(uow_factory, "S1")
    monkeypatch.setattr(common, "_uow_factory", units_of_work(Settings(database_url="postgresql://nobody@127.0.0.1:1/none")))
    await ActionSaveInterestStatement().run(dispatcher, make_tracker(text="I draw"), domain)
    assert responses(dispatcher) == ["utter_not_saved"]


async def test_career_goal_is_saved_from_the_catalog(uow_factory, dispatcher, domain):
    enrol(uow_factory, "S1")
    await ActionSaveCareerGoal().run(dispatcher, make_tracker(text="i want to be an electrician", intent="share_career_goal"), domain)
    assert responses(dispatcher) == ["utter_career_goal_saved"]
    plan = student_plan(uow_factory(), "S1")
    assert [career["onet_soc"] for career in plan["careers"]] == ["47-2111.00"]
    assert [(goal["kind"], goal["text"], goal["status"]) for goal in plan["goals"]] == [("career", "Electrician", "active")]


async def test_an_unknown_career_is_not_saved_without_a_yes_and_the_bot_says_it_does_not_know_it(uow_factory, dispatcher,
                                                                                            domain):
    enrol(uow_factory, "S1")
    await ActionSaveCareerGoal().run(dispatcher, make_tracker(text="i want to be a blorbmaster",
                                                              intent="share_career_goal"), domain)
    # Offered as the career goal in the student's words (issue 19): a question, nothing written yet.
    assert responses(dispatcher) == ["utter_confirm_career_goal_words"]
    assert dispatcher.messages[0]["career"] == "blorbmaster"
    assert "don't know" in domain["responses"]["utter_confirm_career_goal_words"][0]["text"]
    assert answers(uow_factory) == 0


async def test_summary_reads_back_the_plan(uow_factory, dispatcher, domain):
    enrol(uow_factory, "S1")
    await ActionSummarizePlan().run(dispatcher, make_tracker(intent="ask_plan_summary"), domain)
    assert responses(dispatcher) == ["utter_plan_empty"]
    await ActionSaveInterestStatement().run(CollectingDispatcher(), make_tracker(text="I play guitar"), domain)
    summary = CollectingDispatcher()
    await ActionSummarizePlan().run(summary, make_tracker(intent="ask_plan_summary"), domain)
    assert responses(summary) == ["utter_plan_summary"]
    assert summary.messages[0]["code"] == "A: Artistic (creative)"  # the code explained, never bare


def test_every_response_an_action_uses_is_in_the_domain(domain):
    import re
    from pathlib import Path

    used = set()
    for path in Path("actions").glob("*.py"):
        used |= set(re.findall(r'"(utter_[a-z_]+)"', path.read_text()))
    used |= {f"utter_answer_{reason}" for reason in ("empty", "too_long", "no_words")}
    assert used <= set(domain["responses"])
