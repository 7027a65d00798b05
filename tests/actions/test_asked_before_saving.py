"""Readings that ask before saving, added after regression set G was read (worded unlike its turns): a liking said in
Spanish, a plan for after high school read as something else, a job floated as a maybe, a liking said half-heartedly,
and a question inside a need for support. Real encoder and catalog, a real SQLite plan."""
from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.careers import ActionDescribeCareer, ActionSaveCareerGoal
from actions.interests import ActionSaveInterestStatement
from actions.knowledge import ActionAnswerQuestion
from actions.safety import ActionRaiseConcernFlag
from bot.plans.services import student_plan
from tests.actions.conftest import job_asked_about, make_tracker, responses, user_said
from tests.builders import enrol


def pending(events) -> dict:
    return next(event["value"] for event in events if event.get("event") == "slot" and event["name"] == "pending_save")


def save_buttons(dispatcher) -> list[str]:
    return [b["title"] for message in dispatcher.messages for b in message.get("buttons") or []
            if b["title"].startswith("Save")]


def nothing_saved(uow_factory) -> bool:
    plan = student_plan(uow_factory(), "S1")
    return not (plan["interests"]["statements"] or plan["goals"] or plan["postsecondary"] or plan["careers"])


async def run(action, text, intent, domain):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, make_tracker("S1", text=text, intent=intent), domain)
    return dispatcher, events


async def test_a_liking_said_in_spanish_is_asked_about_in_the_students_words(uow_factory, domain):
    enrol(uow_factory, "S1")
    said, events = await run(ActionAnswerQuestion(), "me encanta tocar la guitarra con mis primos", "speak_spanish",
                             domain)
    assert responses(said) == ["utter_confirm_liked"]
    assert pending(events) == {"kind": "interest", "text": "me encanta tocar la guitarra con mis primos"}
    assert nothing_saved(uow_factory)


async def test_a_spanish_path_read_as_off_topic_is_asked_about(uow_factory, domain):
    enrol(uow_factory, "S1")
    said, events = await run(ActionAnswerQuestion(), "cuando termine la high school voy a ir a la universidad",
                             "out_of_scope", domain)
    assert responses(said) == ["utter_confirm_postsecondary"]
    assert pending(events)["postsecondary"] == "four_year"
    assert nothing_saved(uow_factory)


async def test_a_plan_to_enlist_read_as_a_career_is_asked_about_as_the_path(uow_factory, domain):
    enrol(uow_factory, "S1")
    said, events = await run(ActionSaveCareerGoal(), "i plan to join the coast guard", "share_career_goal", domain)
    assert responses(said) == ["utter_confirm_postsecondary"]
    assert pending(events)["postsecondary"] == "military"
    assert nothing_saved(uow_factory)


async def test_a_job_floated_as_a_maybe_gets_its_profile_and_the_question(uow_factory, domain):
    enrol(uow_factory, "S1")
    said, events = await run(ActionDescribeCareer(), "maybe a pilot or something?", "ask_career_info", domain)
    assert responses(said) == ["utter_career_info", "utter_confirm_career_goal"]
    assert save_buttons(said) == []  # asked once, by the question, not also by the profile's button
    assert pending(events)["career"][1] == "Airline Pilot"
    assert nothing_saved(uow_factory)
    # A question about the same job is only answered, with the profile's own Save button.
    asked, _ = await run(ActionDescribeCareer(), "what do pilots do all day", "ask_career_info", domain)
    assert responses(asked) == ["utter_career_info"]
    assert save_buttons(asked) == ["Save Airline Pilot"]


async def test_a_liking_said_half_heartedly_is_asked_about(uow_factory, domain):
    enrol(uow_factory, "S1")
    said, events = await run(ActionSaveInterestStatement(), "art class i guess", "share_interest", domain)
    assert responses(said) == ["utter_confirm_liked"]
    assert nothing_saved(uow_factory)


async def test_the_job_just_described_is_what_be_one_means(uow_factory, domain):
    enrol(uow_factory, "S1")
    before = job_asked_about("what does a paramedic do")
    text = "ya i could see myself wanting to be one"
    now = user_said(text, "share_career_goal")
    dispatcher = CollectingDispatcher()
    events = await ActionSaveCareerGoal().run(dispatcher, make_tracker(
        "S1", text=text, intent="share_career_goal", events=[*before, now]), domain)
    assert responses(dispatcher) == ["utter_confirm_career_goal"]
    assert pending(events)["career"][1] == "Paramedic"
    assert nothing_saved(uow_factory)


async def test_a_need_for_support_that_asks_who_sees_the_plan_gets_the_answer_too(uow_factory, domain):
    enrol(uow_factory, "S1")
    said, _ = await run(ActionRaiseConcernFlag(), "my mom doesnt read english, can she see my goals",
                        "concern_accommodations", domain)
    assert responses(said) == ["utter_knowledge_answer"]


async def test_a_job_asked_about_in_spanish_gets_its_profile(uow_factory, domain):
    enrol(uow_factory, "S1")
    said, _ = await run(ActionAnswerQuestion(), "¿cuánto gana una diseñadora gráfica?", "speak_spanish", domain)
    assert responses(said) == ["utter_career_info", "utter_spanish_help"]
    assert said.messages[0]["title"] == "Graphic Designer"


async def test_a_job_said_as_what_i_want_read_as_a_question_is_asked_about(uow_factory, domain):
    enrol(uow_factory, "S1")
    said, events = await run(ActionAnswerQuestion(), "i already know what i want: welder", "ask_question", domain)
    assert responses(said) == ["utter_career_info", "utter_confirm_career_goal"]
    assert save_buttons(said) == []  # asked once, by the question, not also by the profile's button
    assert pending(events)["career"][1] == "Welder"
    assert nothing_saved(uow_factory)
    asked, _ = await run(ActionAnswerQuestion(), "what do welders earn", "ask_question", domain)
    assert responses(asked) == ["utter_career_info"]  # a question about the job is only answered
    assert save_buttons(asked) == ["Save Welder"]


async def test_a_job_floated_as_a_maybe_read_as_an_aim_gets_its_profile_and_the_question(uow_factory, domain):
    enrol(uow_factory, "S1")
    said, events = await run(ActionSaveCareerGoal(), "hmm maybe a plumber?", "share_career_goal", domain)
    assert responses(said) == ["utter_career_info", "utter_confirm_career_goal"]
    assert save_buttons(said) == []
    assert pending(events)["career"][1] == "Plumber"
    assert nothing_saved(uow_factory)
