"""A yes saves what the bot asked about, a no saves nothing, and a no right after a save takes it back
(kept in the plan's history as taken back, audited, and said back in exact words). Real plan database."""
import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.careers import ActionSaveCareerGoal
from actions.confirmations import ActionConfirmSave, ActionDeclineSave, ActionRetractLastSave
from actions.interests import ActionSaveInterestStatement
from actions.knowledge import ActionAnswerQuestion
from actions.planning import (
    ActionGoalSaved, ActionSaveCoursePlan, ActionSavePostsecondary, ActionSuggestCourses, ValidateGoalForm,
)
from actions.values import ActionAskValueChoice, ValidateValuesForm
from bot.db.tables import Answer, AuditEntry, CareerInterest
from bot.plans.services import student_plan
from tests.actions.conftest import make_tracker, responses
from tests.actions.conversation import Conversation
from tests.builders import enrol


def audit_actions(uow_factory) -> list[str]:
    with uow_factory() as uow:
        return list(uow.session.scalars(select(AuditEntry.action)))


async def test_a_yes_saves_exactly_the_career_the_question_named(uow_factory, domain):
    enrol(uow_factory, "S1")
    chat = Conversation(domain)
    await chat.say(ActionSaveCareerGoal(), "can i talk to my counselor about my schedule", "share_career_goal")
    yes = await chat.say(ActionConfirmSave(), "/affirm", "affirm")
    assert responses(yes) == ["utter_career_goal_saved"]
    assert [g["text"] for g in student_plan(uow_factory(), "S1")["goals"]] == ["Mental Health Counselor"]
    assert chat.slots["awaiting"] == "saved" and chat.slots["pending_save"] is None


async def test_a_no_to_the_question_saves_nothing_and_says_so(uow_factory, domain):
    enrol(uow_factory, "S1", grade=9)
    chat = Conversation(domain)
    await chat.say(ActionSavePostsecondary(), "after hs prob college or smth idk", "choose_postsecondary")
    no = await chat.say(ActionDeclineSave(), "/deny", "deny")
    assert responses(no) == ["utter_nothing_saved"]
    plan = student_plan(uow_factory(), "S1")
    assert plan["postsecondary"] is None and not plan["benchmarks"]["done"]


async def test_a_yes_to_the_hedged_path_saves_it_and_ticks_its_checklist_item(uow_factory, domain):
    enrol(uow_factory, "S1", grade=9)
    chat = Conversation(domain)
    await chat.say(ActionSavePostsecondary(), "after hs prob college or smth idk", "choose_postsecondary")
    yes = await chat.say(ActionConfirmSave(), "yeah", "affirm")
    assert responses(yes) == ["utter_postsecondary_saved"]
    plan = student_plan(uow_factory(), "S1")
    assert plan["postsecondary"] == "four_year"
    assert "g9_first_path" in {b["id"] for b in plan["benchmarks"]["done"]}


async def test_minecraft_cities_become_an_interest_only_after_a_yes(uow_factory, domain):
    enrol(uow_factory, "S1")
    chat = Conversation(domain)
    text = "i also like bulding stuff in minecraft like big citys"
    await chat.say(ActionSaveCareerGoal(), text, "share_career_goal")
    assert student_plan(uow_factory(), "S1")["interests"]["statements"] == []
    yes = await chat.say(ActionConfirmSave(), "/affirm", "affirm")
    assert responses(yes)[0] in {"utter_interest_saved", "utter_interest_unplaced"}
    assert [s["text"] for s in student_plan(uow_factory(), "S1")["interests"]["statements"]] == [text]


async def another_turn(chat: Conversation, kind: str) -> None:
    """A turn that answers something else and leaves `awaiting` as it was, so data/rules/confirm_and_undo.yml
    still runs action_confirm_save (or action_decline_save) on a later yes (or no)."""
    if kind == "thanks":  # "Anytime!" (utter_you_are_welcome): a response, no action events
        chat.events.append({"event": "user", "text": "thanks"})
    elif kind == "question":  # the knowledge base's answer (action_answer_question sets no slot)
        await chat.say(ActionAnswerQuestion(), "what is the fafsa", "ask_question")
    else:  # two turns: a question, then thanks
        await another_turn(chat, "question")
        await another_turn(chat, "thanks")


@pytest.mark.parametrize("between", ["thanks", "question", "two turns"])
async def test_an_ok_after_another_turn_is_an_ordinary_yes_and_saves_nothing(uow_factory, domain, between):
    enrol(uow_factory, "S1")
    chat = Conversation(domain)
    await chat.say(ActionSaveCareerGoal(), "can i talk to my counselor about my schedule", "share_career_goal")
    await another_turn(chat, between)
    assert chat.slots["awaiting"] == "confirm_save"  # the rule "a yes to 'save this?'" still matches
    ok = await chat.say(ActionConfirmSave(), "ok", "affirm")
    assert responses(ok) == ["utter_ask_start"]  # what a yes gets with no question asked (data/rules/conversation.yml)
    plan = student_plan(uow_factory(), "S1")
    assert plan["goals"] == [] and plan["careers"] == []
    assert chat.slots["pending_save"] is None and chat.slots["last_save"] == []  # a "no" next takes nothing back


async def test_a_no_after_another_turn_is_an_ordinary_no(uow_factory, domain):
    enrol(uow_factory, "S1", grade=9)
    chat = Conversation(domain)
    await chat.say(ActionSavePostsecondary(), "after hs prob college or smth idk", "choose_postsecondary")
    await another_turn(chat, "question")
    no = await chat.say(ActionDeclineSave(), "no", "deny")
    assert responses(no) == ["utter_no_problem"]  # what a no gets with no question asked
    assert student_plan(uow_factory(), "S1")["postsecondary"] is None
    assert chat.slots["awaiting"] is None and chat.slots["pending_save"] is None


async def test_no_right_after_a_save_takes_it_back_keeps_it_as_history_and_audits(uow_factory, domain):
    enrol(uow_factory, "S1")
    chat = Conversation(domain)
    await chat.say(ActionSaveCareerGoal(), "i want to be a nurse", "share_career_goal")
    no = await chat.say(ActionRetractLastSave(), "no thats wrong", "deny")
    assert responses(no) == ["utter_taken_back"]
    assert no.messages[0]["what"] == "Registered Nurse as your career goal"
    plan = student_plan(uow_factory(), "S1")
    assert plan["careers"] == [] and plan["goals"] == []
    assert [(item["topic"], item["text"]) for item in plan["taken_back"]] == [("career_goal", "i want to be a nurse")]
    with uow_factory() as uow:  # kept, marked retracted
        assert [row.retracted_at is not None for row in uow.session.scalars(select(CareerInterest))] == [True]
        assert uow.session.scalar(select(Answer.text).where(Answer.topic == "retraction")) == "no thats wrong"
    assert audit_actions(uow_factory) == ["plan.retract"]
    assert chat.slots["awaiting"] is None and chat.slots["last_save"] is None


async def test_undoing_a_new_career_goal_brings_back_the_one_it_replaced(uow_factory, domain):
    enrol(uow_factory, "S1")
    chat = Conversation(domain)
    await chat.say(ActionSaveCareerGoal(), "i want to be an electrician", "share_career_goal")
    await chat.say(ActionSaveCareerGoal(), "actually i want to be a chef now", "share_career_goal")
    undo = await chat.say(ActionRetractLastSave(), "undo that", "deny")
    assert responses(undo) == ["utter_taken_back", "utter_restored"]
    assert undo.messages[1]["what"] == "Electrician is your career goal again"
    goals = student_plan(uow_factory(), "S1")["goals"]
    assert [(g["text"], g["status"]) for g in goals] == [("Electrician", "active")]


async def test_a_no_later_on_takes_nothing_back(uow_factory, domain):
    enrol(uow_factory, "S1")
    chat = Conversation(domain)
    await chat.say(ActionSaveInterestStatement(), "i love fixing engines", "share_interest")
    chat.events.append({"event": "user", "text": "thanks"})  # "Anytime! Want to tell me more?"
    no = await chat.say(ActionRetractLastSave(), "no", "deny")
    assert responses(no) == ["utter_no_problem"]
    assert len(student_plan(uow_factory(), "S1")["interests"]["statements"]) == 1
    assert audit_actions(uow_factory) == []


@pytest.mark.parametrize("typed, taken", [("wait no thats wrong", True), ("undo that", True), ("no", False)])
async def test_undo_words_after_a_yes_to_the_save_still_take_it_back_a_plain_no_does_not(uow_factory, domain, typed,
                                                                                           taken):
    enrol(uow_factory, "S1")
    chat = Conversation(domain)
    await chat.say(ActionSaveCareerGoal(), "i want to be a lawyer", "share_career_goal")
    chat.events.append({"event": "user", "text": "yes"})  # "Great! What else?": a rule's reply, the save still last
    undo = await chat.say(ActionRetractLastSave(), typed, "deny")
    assert responses(undo) == (["utter_taken_back"] if taken else ["utter_no_problem"])
    assert [goal["text"] for goal in student_plan(uow_factory(), "S1")["goals"]] == ([] if taken else ["Lawyer"])


async def test_undo_after_the_goal_summary_takes_back_the_whole_goal(uow_factory, domain):
    enrol(uow_factory, "S1")
    chat, form = Conversation(domain), ValidateGoalForm()
    chat.active_loop = "goal_form"
    await chat.answer(form, "goal_text", "learn to code")
    await chat.answer(form, "goal_step", "watch a scratch tutorial")
    await chat.answer(form, "goal_due", "next friday")
    chat.active_loop = None
    chat.record(await ActionGoalSaved().run(CollectingDispatcher(), make_tracker(slots=chat.slots), domain))
    undo = await chat.say(ActionRetractLastSave(), "nvm delete that", "deny")
    assert responses(undo) == ["utter_taken_back"]
    assert undo.messages[0]["what"] == 'your goal "learn to code"'
    assert student_plan(uow_factory(), "S1")["goals"] == []


async def test_thats_wrong_inside_the_goal_questions_asks_the_answer_before_again(uow_factory, domain):
    enrol(uow_factory, "S1")
    chat, form = Conversation(domain), ValidateGoalForm()
    chat.active_loop = "goal_form"
    await chat.answer(form, "goal_text", "learn to code")
    await chat.answer(form, "goal_step", "make a game")
    said, result = await chat.answer(form, "goal_due", "thats wrong")
    assert result == {"goal_due": None, "goal_step": None, "step_id": None}  # the form asks for the step again
    assert responses(said) == ["utter_taken_back"] and said.messages[0]["what"] == 'the step "make a game"'
    assert student_plan(uow_factory(), "S1")["goals"][0]["steps"] == []


async def test_typing_a_values_buttons_words_picks_that_value_and_the_rounds_go_on(uow_factory, domain):
    enrol(uow_factory, "S1", grade=9)
    chat, form = Conversation(domain), ValidateValuesForm()
    chat.active_loop = "values_form"
    await chat.say(ActionAskValueChoice(), "rank my values", "start_values")
    said, result = await chat.answer(form, "value_choice", "doing things my own way", intent="report_done")
    assert result["value_choice"] is None  # emptied: the form asks the next round
    assert responses(said) == ["utter_value_saved"] and said.messages[0]["value"] == "Independence"
    plan = student_plan(uow_factory(), "S1")
    assert plan["values"] == ["independence"] and not plan["benchmarks"]["done"]
    undo, result = await chat.answer(form, "value_choice", "wait thats wrong", intent="deny")
    assert responses(undo) == ["utter_taken_back"]
    assert undo.messages[0]["what"] == "Independence from what matters to you"
    assert student_plan(uow_factory(), "S1")["values"] == []
    again, result = await chat.answer(form, "value_choice", "/choose_value", intent="choose_value",
                                      entities=[{"entity": "work_value", "value": "independence"}])
    assert responses(again) == ["utter_value_saved"]  # picked again after it was taken back
    assert student_plan(uow_factory(), "S1")["values"] == ["independence"]


@pytest.mark.parametrize("text, intent, reply", [
    ("idk", "nlu_fallback", "utter_values_help"),  # a hint, and the question again
    # a question the knowledge base clearly answers: its answer, and the question again
    ("hmm does my counselor see what i pick", "ask_help", "utter_knowledge_answer"),
])
async def test_idk_or_a_question_in_the_values_rounds_saves_nothing(uow_factory, domain, text, intent, reply):
    enrol(uow_factory, "S1")
    chat, form = Conversation(domain), ValidateValuesForm()
    chat.active_loop = "values_form"
    said, result = await chat.answer(form, "value_choice", text, intent=intent)
    assert result == {"value_choice": None, "last_save": None} and responses(said) == [reply]
    assert student_plan(uow_factory(), "S1")["values"] == []


async def test_an_ok_to_the_class_plan_after_another_turn_adds_no_classes(uow_factory, domain):
    enrol(uow_factory, "S1", grade=9)
    chat = Conversation(domain)
    await chat.say(ActionSuggestCourses(), "what classes should i take", "plan_courses")
    await another_turn(chat, "question")
    assert chat.slots["awaiting"] == "course_plan"  # the rule "a yes to the class plan saves it" still matches
    ok = await chat.say(ActionSaveCoursePlan(), "ok", "affirm")
    assert responses(ok) == ["utter_ask_start"]
    assert student_plan(uow_factory(), "S1")["courses"] == []
    assert chat.slots["awaiting"] == "saved" and chat.slots["last_save"] == []


async def test_a_no_right_after_the_class_plan_was_added_takes_the_classes_back(uow_factory, domain):
    enrol(uow_factory, "S1", grade=9)
    chat = Conversation(domain)
    await chat.say(ActionSuggestCourses(), "what classes should i take", "plan_courses")
    await chat.say(ActionSaveCoursePlan(), "/affirm", "affirm")
    assert chat.slots["awaiting"] == "saved"  # as the rule "a yes to the class plan saves it" says
    added = len(student_plan(uow_factory(), "S1")["courses"])
    no = await chat.say(ActionRetractLastSave(), "nah undo that", "deny")
    assert no.messages[0]["what"] == f"the {added} classes added to your class plan"
    assert student_plan(uow_factory(), "S1")["courses"] == []


async def test_quiero_ser_enfermera_is_asked_about_and_a_si_saves_the_nurse(uow_factory, domain):
    enrol(uow_factory, "S1")
    chat = Conversation(domain)
    asked = await chat.say(ActionAnswerQuestion(), "quiero ser enfermera, como mi tía", "speak_spanish")
    assert responses(asked) == ["utter_confirm_career_goal"] and asked.messages[0]["career"] == "Registered Nurse"
    assert student_plan(uow_factory(), "S1")["goals"] == []  # only asked
    await chat.say(ActionConfirmSave(), "sí", "affirm")
    assert [goal["text"] for goal in student_plan(uow_factory(), "S1")["goals"]] == ["Registered Nurse"]


async def test_a_spanish_path_is_asked_about_and_a_spanish_message_with_no_aim_gets_the_spanish_help(uow_factory,
                                                                                                      domain):
    enrol(uow_factory, "S1")
    chat = Conversation(domain)
    asked = await chat.say(ActionAnswerQuestion(), "después de la prepa voy a ir a un colegio comunitario",
                           "speak_spanish")
    assert responses(asked) == ["utter_confirm_postsecondary"]
    no = await chat.say(ActionDeclineSave(), "no", "deny")
    assert responses(no) == ["utter_nothing_saved"] and student_plan(uow_factory(), "S1")["postsecondary"] is None
    plain = await chat.say(ActionAnswerQuestion(), "hola, no hablo mucho inglés", "speak_spanish")
    assert responses(plain) == ["utter_spanish_help"]
