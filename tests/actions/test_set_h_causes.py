"""Causes found when regression set H was read (issue 19), each tested in words unlike its turns: a maybe about a job
with a time in it ("someday"), a maybe about the job just described with no quiz question waiting, a question about
a job the student already aims at. Real encoder and catalog, a real SQLite plan."""
from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.careers import ActionDescribeCareer
from actions.inventory import ActionSaveInventoryAnswer
from bot.plans.services import student_plan
from tests.actions.conftest import job_asked_about, make_tracker, responses, user_said
from tests.actions.test_asked_before_saving import nothing_saved, pending
from tests.builders import enrol


async def test_a_job_floated_for_someday_gets_its_profile_and_the_question(uow_factory, domain):
    enrol(uow_factory, "S1")
    dispatcher = CollectingDispatcher()
    events = await ActionDescribeCareer().run(
        dispatcher, make_tracker("S1", text="a pilot someday i guess", intent="ask_career_info"), domain)
    assert responses(dispatcher) == ["utter_career_info", "utter_confirm_career_goal"]
    assert pending(events)["career"][1] == "Airline Pilot"
    assert nothing_saved(uow_factory)


async def test_a_maybe_about_the_job_just_described_is_asked_about_not_read_as_a_quiz_answer(uow_factory, domain):
    enrol(uow_factory, "S1")
    before = job_asked_about("what does a dental hygienist do")
    text = "idk that one maybe"
    now = user_said(text, "answer_inventory")
    dispatcher = CollectingDispatcher()
    events = await ActionSaveInventoryAnswer().run(dispatcher, make_tracker(
        "S1", text=text, intent="answer_inventory", events=[*before, now]), domain)
    assert responses(dispatcher) == ["utter_confirm_career_goal"]
    assert pending(events)["career"][1] == "Dental Hygienist"
    assert nothing_saved(uow_factory)


async def test_with_no_job_talked_about_a_maybe_gets_the_no_quiz_reply(uow_factory, domain):
    enrol(uow_factory, "S1")
    dispatcher = CollectingDispatcher()
    events = await ActionSaveInventoryAnswer().run(
        dispatcher, make_tracker("S1", text="maybe that", intent="answer_inventory"), domain)
    assert responses(dispatcher) == ["utter_answer_no_quiz_question"]
    assert events == []


async def test_a_question_about_what_a_job_needs_is_answered_not_offered_as_the_goal(uow_factory, domain):
    enrol(uow_factory, "S1")
    dispatcher = CollectingDispatcher()
    await ActionDescribeCareer().run(
        dispatcher, make_tracker("S1", text="do you need a degree to become a plumber", intent="ask_career_info"),
        domain)
    assert "utter_confirm_career_goal" not in responses(dispatcher)
    assert nothing_saved(uow_factory)


async def test_an_undo_said_in_spanish_right_after_a_save_takes_it_back(uow_factory, domain):
    from actions.knowledge import ActionAnswerQuestion
    from actions.planning import save_postsecondary

    enrol(uow_factory, "S1")
    saved = await save_postsecondary(CollectingDispatcher(), "S1", "two_year", "event-1")
    last = next(event["value"] for event in saved if event.get("name") == "last_save")
    dispatcher = CollectingDispatcher()
    await ActionAnswerQuestion().run(dispatcher, make_tracker(
        "S1", text="perdón, quítalo", intent="speak_spanish", slots={"awaiting": "saved", "last_save": last}), domain)
    assert responses(dispatcher) == ["utter_taken_back"]
    assert not student_plan(uow_factory(), "S1")["postsecondary"]
