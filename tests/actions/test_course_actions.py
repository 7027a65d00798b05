"""Course plans counted from real credits, and questions about a course answered about that course: the actions
against a real plan database, the real catalog, spaCy pipeline and knowledge base. Transcripts are synthetic."""
from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import ActionRespondNotUnderstood
from actions.knowledge import ActionAnswerQuestion
from actions.planning import ActionSuggestCourses
from bot.earned_credits.services import import_transcripts
from bot.plans.services import record_career_goal, student_plan
from tests.actions.conftest import make_tracker, responses
from tests.builders import enrol
from tests.integration.test_transcript_import import transcript_csv, twelfth_grader_rows


def slots(events) -> dict:
    return {event["name"]: event["value"] for event in events if event.get("event") == "slot"}


async def say(action, text: str, intent: str, domain, sender: str = "S1"):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, make_tracker(sender, text=text, intent=intent), domain)
    return dispatcher, events


async def test_a_twelfth_grader_without_a_transcript_is_told_earned_credits_are_unknown(uow_factory, domain):
    enrol(uow_factory, "S1", grade=12, school="Test High School")
    said, events = await say(ActionSuggestCourses(), "what classes should i take", "plan_courses", domain)
    assert responses(said) == ["utter_courses_proposal_no_career"]
    check = said.messages[0]["check"]
    assert check.startswith("Your school hasn't shared the credits you've already earned with me yet")
    assert "more credits in all" not in check and "Still needed" not in check
    assert slots(events) == {"awaiting": "course_plan"}


async def test_with_a_transcript_the_plan_counts_the_20_credits_earned(uow_factory, domain):
    enrol(uow_factory, "T12", grade=12, school="Test High School")
    assert import_transcripts(uow_factory(), transcript_csv(*twelfth_grader_rows("T12"))).written
    said, _ = await say(ActionSuggestCourses(), "help me plan my classes", "plan_courses", domain, sender="T12")
    assert said.messages[0]["check"] == ("You've earned 20 of 24 credits. With your plan, that covers every "
                                         "graduation requirement.")
    assert said.messages[0]["schedule"] == "Grade 12: English 12, Precalculus, US Government and Economics, Personal Finance"


async def test_do_i_need_chemistry_for_nursing_is_answered_about_chemistry_and_nursing(uow_factory, domain):
    enrol(uow_factory, "S1", grade=10, school="Test High School")
    said, events = await say(ActionSuggestCourses(), "do i need chemistry for nursing school?", "plan_courses", domain)
    assert responses(said) == ["utter_knowledge_answer"]
    answer = said.messages[0]["answer"]
    assert answer.startswith("Chemistry (usually grades 10-11, counts as Science): What everything is made of")
    assert "It's not in your plan yet." in answer
    assert "core classes in every student's plan, so it's part of the path to Registered Nurse" in answer
    assert "Ask your counselor whether your school offers it" in said.messages[0]["source"]
    assert slots(events) == {"awaiting": None}  # no offer to save, so a "yes" next saves nothing
    assert student_plan(uow_factory(), "S1")["courses"] == []


async def test_what_is_ap_bio_is_answered_about_ap_biology(uow_factory, domain):
    enrol(uow_factory, "S1", grade=10, school="Test High School")
    said, _ = await say(ActionAnswerQuestion(), "what is ap bio", "ask_question", domain)
    assert responses(said) == ["utter_knowledge_answer"]
    assert said.messages[0]["answer"].startswith("AP Biology (usually grades 11-12, counts as Science):")
    # No career saved yet, so the answer asks for one instead of guessing a pathway.
    assert "Tell me a career you're curious about" in said.messages[0]["answer"]


async def test_a_course_on_the_career_goals_pathway_and_one_off_it(uow_factory, domain):
    enrol(uow_factory, "S1", grade=10, school="Test High School")
    record_career_goal(uow_factory(), "S1", "i want to be a nurse", "S1:m1")
    on_path, _ = await say(ActionAnswerQuestion(), "is medical terminology a hard class", "ask_question", domain)
    assert "It's on the Health Science pathway, one of the classes suggested for Registered Nurse." \
           in on_path.messages[0]["answer"]
    off_path, _ = await say(ActionRespondNotUnderstood(), "should i take welding", "nlu_fallback", domain)
    assert "It isn't one of the classes suggested for Registered Nurse; the Health Science pathway suggests " \
           "Principles of Health Science, Medical Terminology" in off_path.messages[0]["answer"]


async def test_a_course_in_the_plan_or_on_the_transcript_is_said_to_be(uow_factory, domain):
    enrol(uow_factory, "T12", grade=12, school="Test High School")
    import_transcripts(uow_factory(), transcript_csv(*twelfth_grader_rows("T12")))
    said, _ = await say(ActionSuggestCourses(), "should i take chemistry or precalc", "plan_courses", domain,
                        sender="T12")
    chemistry, precalculus = said.messages[0]["answer"].split("\n")
    assert said.messages[0]["source"] == "Ask your counselor whether your school offers them and what they're called there."
    assert "Your transcript shows you earned 1 credit for it in grade 10." in chemistry
    assert "It's not in your plan yet." in precalculus


async def test_a_request_for_a_schedule_that_names_a_course_still_gets_the_plan(uow_factory, domain):
    enrol(uow_factory, "S1", grade=9, school="Test High School")
    said, events = await say(ActionSuggestCourses(), "which art classes should i take for graphic design",
                             "plan_courses", domain)
    assert responses(said) == ["utter_courses_proposal_no_career"] and slots(events) == {"awaiting": "course_plan"}


async def test_a_course_asked_about_like_a_job_is_answered_about_the_course(uow_factory, domain):
    from actions.careers import ActionDescribeCareer

    enrol(uow_factory, "S1", grade=10, school="Test High School")
    said, _ = await say(ActionDescribeCareer(), "what is apush", "ask_career_info", domain)
    assert responses(said) == ["utter_knowledge_answer"]
    assert said.messages[0]["answer"].startswith("AP US History (usually grade 11, counts as Social Studies):")


async def test_a_testing_question_read_as_a_course_plan_request_gets_the_knowledge_base_answer(uow_factory, domain):
    enrol(uow_factory, "S1", grade=11, school="Test High School")
    said, events = await say(ActionSuggestCourses(), "SAT or ACT this year?", "plan_courses", domain)
    assert responses(said)[0] == "utter_knowledge_answer"
    assert "ACT" in said.messages[0]["answer"] and slots(events) == {"awaiting": None}
