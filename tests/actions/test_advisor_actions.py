"""Both shipped advisor scripts driven through the real custom actions, with real trackers and a real database:
branches, Back, Skip, End session, retries, bad input, concerns, and who is recorded as the author."""
from __future__ import annotations

import uuid

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

from actions.advisor import (
    ActionAskScriptAnswer,
    ActionFinishAdvisorSession,
    ActionStartAdvisorSession,
    ValidateAdvisorScriptForm,
)
from actions.conversation import ActionRespondNotUnderstood
from actions.safety import ActionRaiseConcernFlag
from bot.advisors.access import assign_advisor, start_session
from bot.caseload import load_viewer
from bot.db.tables import AdvisorSession, AdvisorSessionStep, AlertOutbox, Answer, Flag, PlanNote
from bot.plans.services import student_plan
from bot.staff import add_user
from tests.actions.conftest import make_tracker, responses
from tests.builders import enrol

SCHOOL = "Test Middle School"


class AdvisorConversation:
    """An advisor's session as Rasa would run it: each message goes through the form's validation, then the ask."""

    def __init__(self, uow_factory, domain, *, grade: int, script_id: str, student_id: str = "S1") -> None:
        enrol(uow_factory, student_id, grade=grade, school=SCHOOL)
        self.advisor_id = add_user(uow_factory(), email="vol@business.example", role="advisor",
                                   password="a-long-test-password", school_name=SCHOOL)
        assign_advisor(uow_factory(), self.advisor_id, student_id, by=None)
        viewer = load_viewer(uow_factory(), self.advisor_id)
        self.session_id = start_session(uow_factory(), viewer, student_id, script_id, consent=True)
        with uow_factory() as uow:
            self.sender = uow.session.get(AdvisorSession, self.session_id).conversation_id
        self.uow_factory, self.domain, self.student_id = uow_factory, domain, student_id

    def tracker(self, text: str, intent: str = "share_interest", message_id: str | None = None):
        return make_tracker(self.sender, text=text, intent=intent, message_id=message_id or uuid.uuid4().hex,
                            active_loop="advisor_script_form",
                            slots={"requested_slot": "script_answer", "script_answer": text},
                            events=[{"event": "user", "text": text},
                                    {"event": "slot", "name": "script_answer", "value": text}])

    async def start(self) -> CollectingDispatcher:
        dispatcher = CollectingDispatcher()
        await ActionStartAdvisorSession().run(dispatcher, make_tracker(self.sender, intent="start_advisor_session"),
                                              self.domain)
        return dispatcher

    async def ask(self) -> dict | None:
        dispatcher = CollectingDispatcher()
        await ActionAskScriptAnswer().run(dispatcher, make_tracker(self.sender), self.domain)
        return dispatcher.messages[0] if dispatcher.messages else None

    async def say(self, text: str, intent: str = "share_interest", message_id: str | None = None):
        """Returns (what the bot said, the form's events)."""
        dispatcher = CollectingDispatcher()
        events = await ValidateAdvisorScriptForm().run(dispatcher, self.tracker(text, intent, message_id), self.domain)
        return dispatcher.messages, events

    async def finish(self) -> str:
        dispatcher = CollectingDispatcher()
        await ActionFinishAdvisorSession().run(dispatcher, make_tracker(self.sender), self.domain)
        return dispatcher.messages[0]["text"]

    def state(self) -> AdvisorSession:
        with self.uow_factory() as uow:
            advisor_session = uow.session.get(AdvisorSession, self.session_id)
            uow.session.expunge(advisor_session)
            return advisor_session

    def plan(self) -> dict:
        return student_plan(self.uow_factory(), self.student_id)


def requested(events: list[dict]) -> str | None:
    """The slot the form asks for next: None ends the form; "unset" means the form left it to Rasa."""
    return next((e["value"] for e in events if e.get("event") == "slot" and e["name"] == "requested_slot"), "unset")


def step_title(message: dict) -> str:
    return message["text"].splitlines()[0]


@pytest.fixture
def grade8(uow_factory, domain):
    return AdvisorConversation(uow_factory, domain, grade=8, script_id="grade8_session")


@pytest.fixture
def grade10(uow_factory, domain):
    return AdvisorConversation(uow_factory, domain, grade=10, script_id="grade10_session")


async def test_grade8_script_runs_to_its_end_and_saves_each_answer_as_the_advisor(grade8, uow_factory):
    start = await grade8.start()
    assert responses(start) == ["utter_advisor_session_started"]
    prompt = await grade8.ask()
    assert step_title(prompt) == "Step 1 of 9: Say hello"
    assert [b["title"] for b in prompt["buttons"]] == ["Skip", "Back", "End session"]
    await grade8.say("Going fine, I like science class")
    said, _ = await grade8.say("I love drawing and I play soccer every weekend")
    assert "Interests:" in said[0]["text"]
    prompt = await grade8.ask()
    assert [b["title"] for b in prompt["buttons"]][:3] == ["Yes, I have an idea", "Maybe one or two", "No idea yet"]
    await grade8.say("Yes, I have an idea", intent="affirm")
    assert grade8.state().current_step == "career_ideas"
    said, _ = await grade8.say("maybe a nurse or an electrician")
    assert said[0]["text"] == "Saved. Careers to explore: Registered Nurse, Electrician"
    # The branch for a student with ideas skips the exploration steps.
    assert grade8.state().current_step == "high_school_classes"
    prompt = await grade8.ask()
    assert "Add these courses" in [b["title"] for b in prompt["buttons"]] and "Grade 9" in prompt["text"]
    await grade8.say("Add these courses", intent="affirm")
    await grade8.say("Ask my science teacher about the robotics club")
    _, events = await grade8.say("Very curious about health careers; talk about the health science pathway")
    assert requested(events) is None  # the last step was answered: the form ends
    summary = await grade8.finish()
    assert "is complete" in summary and "Careers to explore" in summary and "courses added" in summary

    plan = grade8.plan()
    assert [c["title"] for c in plan["careers"]] == ["Registered Nurse", "Electrician"]
    assert [m["label"] for m in plan["interests"]["mentions"]] == ["draw", "soccer"] and plan["courses"]
    # Careers to explore do not become the career goal: the only goal is the one typed at its step.
    assert [g["text"] for g in plan["goals"]] == ["Ask my science teacher about the robotics club"]
    assert [n["text"] for n in plan["notes"]] == ["Very curious about health careers; talk about the health science pathway"]
    assert grade8.state().status == "finished"
    with uow_factory() as uow:
        authors = set(uow.session.execute(select(Answer.author_role, Answer.author_staff_id)).all())
        assert authors == {("advisor", grade8.advisor_id)}
        assert uow.session.scalar(select(func.count(Answer.id))) == 7  # one per answered step


async def test_grade8_a_student_with_no_career_idea_gets_the_exploration_steps(grade8):
    await grade8.say("hi")
    await grade8.say("I like video games and cooking")
    await grade8.say("No idea yet", intent="deny")
    assert grade8.state().current_step == "work_setting"
    await grade8.say("outside, with my hands, with a small team")
    assert grade8.state().current_step == "pick_careers"


async def test_grade8_careers_answer_that_names_no_known_career_branches_to_exploration(grade8):
    await grade8.say("hi")
    await grade8.say("I like music")
    await grade8.say("Maybe one or two")
    said, _ = await grade8.say("something where I make lots of money")
    assert grade8.state().current_step == "work_setting"
    assert grade8.plan()["careers"] == []


async def test_back_returns_to_the_step_before_and_a_new_answer_keeps_the_first(grade8, uow_factory):
    said, _ = await grade8.say("back")
    assert responses_or_texts(said) == ["utter_advisor_first_step"]
    assert grade8.state().current_step == "welcome"
    await grade8.say("good")
    await grade8.say("I like drawing")
    await grade8.say("back")
    assert grade8.state().current_step == "free_time"
    prompt = await grade8.ask()
    assert step_title(prompt) == "Step 2 of 9: What you enjoy"
    await grade8.say("actually I like building robots")
    assert grade8.state().current_step == "career_in_mind"
    with uow_factory() as uow:
        kept = list(uow.session.scalars(select(Answer.text).where(Answer.topic == "interest_statement").order_by(Answer.id)))
    assert kept == ["I like drawing", "actually I like building robots"]


async def test_skip_moves_on_and_is_shown_in_the_summary(grade8):
    said, _ = await grade8.say("Skip")
    assert said[0]["text"] == "Skipped."
    assert grade8.state().current_step == "free_time"
    await grade8.say("end session")
    summary = await grade8.finish()
    assert "ended early" in summary and "Skipped: Say hello" in summary


async def test_end_session_early_keeps_what_was_saved_and_ends_the_form(grade8, uow_factory):
    await grade8.say("fine")
    await grade8.say("I like soccer")
    _, events = await grade8.say("End session")
    assert requested(events) is None
    state = grade8.state()
    assert state.status == "ended_early" and state.current_step is None and state.ended_at is not None
    assert grade8.plan()["interests"]["mentions"]
    # A later message to the ended session moves nothing.
    _, events = await grade8.say("one more thing")
    assert requested(events) is None and grade8.state().status == "ended_early"


async def test_a_retried_message_is_saved_once_and_moves_the_script_once(grade8, uow_factory):
    await grade8.say("hello", message_id="m1")
    await grade8.say("hello", message_id="m1")
    assert grade8.state().current_step == "free_time"
    await grade8.say("I like drawing", message_id="m2")
    await grade8.say("I like drawing", message_id="m2")
    assert grade8.state().current_step == "career_in_mind"
    with uow_factory() as uow:
        assert uow.session.scalar(select(func.count(AdvisorSessionStep.id))) == 2


@pytest.mark.parametrize("bad", ["", "   ", "🎯🎯🎯", "x" * 1001])
async def test_a_bad_answer_is_re_asked_and_the_script_stays(grade8, bad):
    await grade8.say("hello")
    said, events = await grade8.say(bad)
    assert said and said[0].get("response", "").startswith("utter_answer_"), (said, events)
    assert grade8.state().current_step == "free_time" and requested(events) in ("script_answer", "unset")


async def test_a_typed_answer_that_is_no_option_is_kept_and_the_options_asked_again(grade8, uow_factory):
    await grade8.say("hello")
    await grade8.say("I like drawing")
    said, _ = await grade8.say("hmm, she shrugged")
    assert responses_or_texts(said) == ["utter_advisor_pick_option"]
    assert grade8.state().current_step == "career_in_mind"
    with uow_factory() as uow:
        assert uow.session.scalar(select(Answer.text).where(Answer.topic == "advisor:grade8_session:career_in_mind")) \
            == "hmm, she shrugged"


async def test_markup_and_sql_in_an_answer_are_taken_as_an_answer_and_the_script_moves_on(grade8):
    await grade8.say("hello")
    await grade8.say("x")  # one letter is an answer too
    await grade8.say("No idea yet")
    text = "<script>alert(1)</script>'; DROP TABLE answers; --"
    await grade8.say(text)
    await grade8.say("Nurse")
    assert grade8.state().current_step == "high_school_classes"


async def test_grade10_changed_goal_postsecondary_goal_step_and_work_based_learning(grade10, uow_factory):
    await grade10.start()
    await grade10.say("good to meet you")
    await grade10.say("Changed my mind")
    assert grade10.state().current_step == "new_goal"
    said, _ = await grade10.say("now I want to be an electrician")
    assert "Career goal: Electrician" in said[0]["text"]
    said, _ = await grade10.say("an apprenticeship after graduation")
    assert "Apprenticeship" in said[0]["text"]
    await grade10.say("pass algebra 2 with a B")
    await grade10.say("go to tutoring on Tuesdays")
    await grade10.say("a job shadow with an electrician this spring")
    _, events = await grade10.say("Talk to him about the CTE electrical program at the career center")
    assert requested(events) is None
    summary = await grade10.finish()
    assert "After high school" in summary and "Suggested next steps" in summary
    plan = grade10.plan()
    assert plan["postsecondary"] == "apprenticeship"
    goals = {goal["text"]: goal for goal in plan["goals"]}
    assert goals["Electrician"]["kind"] == "career" and goals["Electrician"]["status"] == "active"
    assert [step["text"] for step in goals["pass algebra 2 with a B"]["steps"]] == ["go to tutoring on Tuesdays"]
    assert plan["activities"] and plan["activities"][0]["kind"] == "job_shadowing"


async def test_grade10_a_path_that_does_not_reach_the_career_goal_is_told_to_the_advisor_and_flagged_there(
        grade10, uow_factory):
    await grade10.start()
    await grade10.say("good to meet you")
    await grade10.say("Changed my mind")
    await grade10.say("now I want to be a dentist")
    said, _ = await grade10.say("community college first", message_id="path-1")
    sentence = "Dentist usually needs a doctoral or professional degree; the plan says a 2-year college."
    assert said[0]["text"] == f"Saved. After high school: Two-year college (note: {sentence})"
    with uow_factory() as uow:
        flag = uow.session.scalar(select(Flag).where(Flag.category == "plan_misalignment"))
        # the flag opens the session's own conversation, at this message
        assert (flag.excerpt, flag.conversation_id, flag.event_id) == (sentence, grade10.sender,
                                                                        f"{grade10.sender}:path-1")


async def test_grade10_a_career_goal_beyond_the_path_already_chosen_is_told_to_the_advisor(grade10, uow_factory):
    from bot.plans.postsecondary import record_postsecondary

    record_postsecondary(uow_factory(), grade10.student_id, "two_year", "S1:own-chat-1")  # said in their own chat
    await grade10.start()
    await grade10.say("good to meet you")
    await grade10.say("Changed my mind")
    said, _ = await grade10.say("now I want to be a dentist")
    assert said[0]["text"] == ("Saved. Career goal: Dentist (note: Dentist usually needs a doctoral or professional "
                               "degree; the plan says a 2-year college.)")


async def test_grade10_not_sure_branches_to_careers_to_explore(grade10):
    await grade10.say("hey")
    await grade10.say("Not sure yet")
    assert grade10.state().current_step == "explore_careers"
    await grade10.say("maybe a nurse")
    assert grade10.state().current_step == "after_high_school"
    assert not [goal for goal in grade10.plan()["goals"] if goal["kind"] == "career"]


async def test_grade10_unclear_postsecondary_answer_is_re_asked(grade10):
    await grade10.say("hi")
    await grade10.say("Same goal")
    await grade10.say("still a nurse")
    said, _ = await grade10.say("no clue")
    assert responses_or_texts(said) == ["utter_answer_unclear_postsecondary"]
    assert grade10.state().current_step == "after_high_school"


async def test_a_follow_up_concern_in_an_answer_is_flagged_on_the_student_and_saved(grade8, uow_factory):
    await grade8.say("hello")
    await grade8.say("she says kids at school push her around every day but she likes art", intent="concern_bullying")
    with uow_factory() as uow:
        flag = uow.session.scalar(select(Flag))
        assert (flag.category, flag.conversation_id) == ("bullying", grade8.sender)
        assert flag.student.external_id == "S1"
    assert grade8.state().current_step == "career_in_mind"


async def test_a_crisis_typed_by_the_advisor_raises_the_urgent_flag_and_alert_for_the_student(grade8, uow_factory, domain):
    text = "she told me she wants to kill herself"
    await ActionRaiseConcernFlag().run(CollectingDispatcher(), make_tracker(grade8.sender, text=text,
                                                                            intent="concern_self_harm"), domain)
    with uow_factory() as uow:
        flag = uow.session.scalar(select(Flag))
        assert (flag.category, flag.severity, flag.conversation_id) == ("self_harm", "urgent", grade8.sender)
        assert flag.student.external_id == "S1"
        assert uow.session.scalar(select(func.count(AlertOutbox.id))) == 1
    # The script waits where it was; Continue (start) resumes it.
    assert grade8.state().current_step == "welcome"
    assert responses(await grade8.start()) == ["utter_advisor_session_started"]


async def test_a_third_miss_in_a_row_flags_not_understood_for_the_student_the_session_is_with(grade8, uow_factory,
                                                                                               domain):
    events = [{"event": "user", "text": "zzzz", "parse_data": {"intent": {"name": "nlu_fallback"}}}] * 3
    dispatcher = CollectingDispatcher()
    await ActionRespondNotUnderstood().run(dispatcher, make_tracker(grade8.sender, text="zzzz", intent="nlu_fallback",
                                                                    events=events), domain)
    assert responses(dispatcher) == ["utter_counselor_will_check_in", "utter_offer_choices"]
    with uow_factory() as uow:
        flag = uow.session.scalar(select(Flag))
        assert (flag.category, flag.excerpt, flag.conversation_id) == ("not_understood", "zzzz", grade8.sender)
        assert flag.student.external_id == "S1"


async def test_a_student_conversation_never_reaches_an_advisor_session(uow_factory, domain):
    enrol(uow_factory, "S9")
    dispatcher = CollectingDispatcher()
    events = await ActionStartAdvisorSession().run(dispatcher, make_tracker("S9", intent="start_advisor_session"), domain)
    assert responses(dispatcher) == ["utter_help"] and events == []
    form_events = await ValidateAdvisorScriptForm().run(CollectingDispatcher(), make_tracker(
        "S9", text="hi", active_loop="advisor_script_form", slots={"requested_slot": "script_answer"},
        events=[{"event": "user", "text": "hi"}]), domain)
    assert requested(form_events) is None


async def test_a_note_step_saves_a_plan_note_with_the_session(grade10, uow_factory):
    for answer in ("hi", "Same goal", "a nurse", "four year college", "get a B in biology", "study on Sundays",
                   "volunteer at the hospital"):
        await grade10.say(answer)
    await grade10.say("Interested in the CNA course next year")
    with uow_factory() as uow:
        note = uow.session.scalar(select(PlanNote))
        assert (note.advisor_session_id, note.author_role, note.author_staff_id) == \
            (grade10.session_id, "advisor", grade10.advisor_id)


def responses_or_texts(messages: list[dict]) -> list[str]:
    return [message.get("response") or message.get("text") for message in messages]


async def test_opening_the_page_again_mid_script_is_not_an_answer(grade8, uow_factory):
    """The page sends /start_advisor_session on every load; with the form running it must not be saved."""
    await grade8.say("hello")
    said, events = await grade8.say("/start_advisor_session", intent="start_advisor_session")
    assert responses_or_texts(said) == ["utter_advisor_session_resumed"]
    assert grade8.state().current_step == "free_time"
    with uow_factory() as uow:
        assert uow.session.scalar(select(func.count(Answer.id))) == 1
        assert uow.session.scalar(select(func.count(Answer.id)).where(Answer.text.like("/start%"))) == 0
    # Words the classifier may read as that intent are still an answer, or a command.
    await grade8.say("she wants to start a session band", intent="start_advisor_session")
    assert grade8.state().current_step == "career_in_mind"
    _, events = await grade8.say("end session", intent="start_advisor_session")
    assert requested(events) is None and grade8.state().status == "ended_early"


async def test_a_course_question_in_an_advisor_session_is_answered_for_the_student_the_session_is_with(grade8, domain):
    from actions.knowledge import ActionAnswerQuestion

    await grade8.start()
    dispatcher = CollectingDispatcher()
    await ActionAnswerQuestion().run(dispatcher, make_tracker(grade8.sender, text="what is apush", intent="ask_question"),
                                     domain)
    assert responses(dispatcher) == ["utter_knowledge_answer"]
    assert dispatcher.messages[0]["answer"].startswith("AP US History (usually grade 11, counts as Social Studies):")
