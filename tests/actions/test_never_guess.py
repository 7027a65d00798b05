"""Never act on a guess (issue 19), action by action, against a real plan database.

The student's words come from the issue's walk-through. Each test checks what the bot said and what the
plan holds afterwards: nothing written from an uncertain reading until the student says yes.
"""
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

import pytest

from actions.careers import ActionSaveCareerGoal
from actions.interests import ActionSaveInterestStatement
from actions.planning import ActionSavePostsecondary, ValidateGoalForm
from actions.progress import ActionReportDone
from actions.safety import ActionRaiseConcernFlag
from bot.db.tables import Answer, BenchmarkCompletion, Goal, GoalStep
from bot.plans.services import student_plan
from tests.actions.conftest import job_asked_about, make_tracker, responses
from tests.builders import enrol


def count(uow_factory, table) -> int:
    with uow_factory() as uow:
        return uow.session.scalar(select(func.count(table.id)))


def slots(events) -> dict:
    return {event["name"]: event["value"] for event in events if event.get("event") == "slot"}


def buttons(dispatcher) -> list[tuple[str, str]]:
    return [(b["title"], b["payload"]) for message in dispatcher.messages for b in message.get("buttons") or []]


def answer_to_the_question(text: str, pending: dict, intent: str = "affirm"):
    """The tracker for a reply to "Save ... ?" asked in the bot's last turn (ask_to_confirm's slots)."""
    asked = {"awaiting": "confirm_save", "pending_save": pending}
    return make_tracker(text=text, intent=intent, slots=asked, events=[
        {"event": "user", "text": "the words the bot asked about"},
        *({"event": "slot", "name": name, "value": value} for name, value in asked.items()),
        {"event": "user", "text": text}])


def pending_done(plan: dict) -> set[str]:
    return {benchmark["id"] for benchmark in plan["benchmarks"]["done"]}


async def test_asking_for_the_counselor_saves_no_career_and_asks_first(uow_factory, dispatcher, domain):
    enrol(uow_factory, "S1")
    events = await ActionSaveCareerGoal().run(dispatcher, make_tracker(
        text="can i talk to my counselor about my schedule", intent="share_career_goal"), domain)
    assert responses(dispatcher) == ["utter_confirm_career_goal"]
    assert dispatcher.messages[0]["career"] == "Mental Health Counselor"
    assert buttons(dispatcher) == [("Yes, save it", "/affirm"), ("No", "/deny")]
    assert slots(events)["awaiting"] == "confirm_save"
    plan = student_plan(uow_factory(), "S1")
    assert plan["careers"] == [] and plan["goals"] == []
    assert count(uow_factory, Answer) == 0


async def test_the_same_words_as_a_concern_flag_it_and_save_no_career(uow_factory, dispatcher, domain):
    enrol(uow_factory, "S1")
    await ActionRaiseConcernFlag().run(dispatcher, make_tracker(
        text="can i talk to my counselor about my schedule", intent="concern_human_request"), domain)
    assert responses(dispatcher) == []
    plan = student_plan(uow_factory(), "S1")
    assert plan["careers"] == [] and plan["goals"] == []


async def test_a_career_said_as_an_aim_is_saved_at_once(uow_factory, dispatcher, domain):
    enrol(uow_factory, "S1")
    events = await ActionSaveCareerGoal().run(dispatcher, make_tracker(
        text="i want to be an electrician", intent="share_career_goal"), domain)
    assert responses(dispatcher) == ["utter_career_goal_saved"]
    assert slots(events)["awaiting"] == "saved"
    assert [goal["text"] for goal in student_plan(uow_factory(), "S1")["goals"]] == ["Electrician"]


async def test_a_hedged_path_after_high_school_is_not_saved_and_ticks_nothing(uow_factory, dispatcher, domain):
    enrol(uow_factory, "S1", grade=9)
    events = await ActionSavePostsecondary().run(dispatcher, make_tracker(
        text="after hs prob college or smth idk", intent="choose_postsecondary"), domain)
    assert responses(dispatcher) == ["utter_confirm_postsecondary"]
    assert dispatcher.messages[0]["path"] == "Four-year college or university"
    assert slots(events)["pending_save"]["postsecondary"] == "four_year"
    plan = student_plan(uow_factory(), "S1")
    assert plan["postsecondary"] is None
    assert "g9_first_path" not in pending_done(plan)  # the checklist item is still open


async def test_typed_plan_step_words_do_not_tick_a_step_proposed_earlier(uow_factory, dispatcher, domain):
    enrol(uow_factory, "S1", grade=9)
    # The welcome back proposed the job shadow; two turns later the student types a values button's words.
    tracker = make_tracker(text="doing things my own way", intent="report_done",
                           slots={"proposed_item": "benchmark:g9_job_shadow"},
                           events=[{"event": "user", "text": "hi"},
                                   {"event": "slot", "name": "proposed_item", "value": "benchmark:g9_job_shadow"},
                                   {"event": "user", "text": "rank my values"},
                                   {"event": "user", "text": "doing things my own way"}])
    await ActionReportDone().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_confirm_done"]
    assert dispatcher.messages[0]["item"] == "Shadow someone at work for a day"
    assert count(uow_factory, BenchmarkCompletion) == 0


async def test_a_career_typed_without_a_job_name_is_not_called_saved(uow_factory, dispatcher, domain):
    enrol(uow_factory, "S1")
    await ActionSaveCareerGoal().run(dispatcher, make_tracker(
        text="i also like bulding stuff in minecraft like big citys", intent="share_career_goal"), domain)
    assert responses(dispatcher) == ["utter_confirm_interest"]
    assert "saved" not in domain["responses"]["utter_confirm_interest"][0]["text"].lower()
    assert count(uow_factory, Answer) == 0


async def test_idk_as_a_goal_step_gets_ideas_and_is_not_saved(uow_factory, domain):
    enrol(uow_factory, "S1")
    form = ValidateGoalForm()
    goal = await form.validate_goal_text("learn to code", CollectingDispatcher(), make_tracker(message_id="g1"), domain)
    unsure = CollectingDispatcher()
    result = await form.validate_goal_step("idk", unsure, make_tracker(
        text="idk", message_id="g2", slots={"goal_id": goal["goal_id"]}), domain)
    assert result == {"goal_step": None}
    assert responses(unsure) == ["utter_step_ideas"] and len(buttons(unsure)) == 3
    assert count(uow_factory, GoalStep) == 0


@pytest.mark.parametrize("text", [
    "ok nvm back to my goal",       # issue 19: was saved as the step
    "nvm",
    "never mind",
    "wait hold on",
    "actually forget it",
    "lets go back to the goal",
    "i dont want to do this",
])
async def test_a_change_of_mind_is_not_saved_as_the_step_and_the_bot_says_so(uow_factory, domain, text):
    enrol(uow_factory, "S1")
    form = ValidateGoalForm()
    goal = await form.validate_goal_text("learn to code", CollectingDispatcher(), make_tracker(message_id="g1"), domain)
    said = CollectingDispatcher()
    result = await form.validate_goal_step(text, said, make_tracker(
        text=text, message_id="g2", slots={"goal_id": goal["goal_id"]}), domain)
    assert result == {"goal_step": None}  # the form asks for the step again
    assert responses(said) == ["utter_nothing_saved"]
    assert student_plan(uow_factory(), "S1")["goals"][0]["steps"] == [] and count(uow_factory, GoalStep) == 0


@pytest.mark.parametrize("text", [
    "wait for my counselor to email me back",   # a step that starts like a change of mind
    "go back to the library after school",
])
async def test_a_step_that_starts_like_a_change_of_mind_is_still_the_step(uow_factory, domain, text):
    enrol(uow_factory, "S1")
    form = ValidateGoalForm()
    goal = await form.validate_goal_text("learn to code", CollectingDispatcher(), make_tracker(message_id="g1"), domain)
    result = await form.validate_goal_step(text, CollectingDispatcher(), make_tracker(
        text=text, message_id="g2", slots={"goal_id": goal["goal_id"]}), domain)
    assert result["goal_step"] == text
    assert [s["text"] for s in student_plan(uow_factory(), "S1")["goals"][0]["steps"]] == [text]


async def test_a_question_mid_goal_is_not_saved_as_the_step(uow_factory, domain):
    enrol(uow_factory, "S1")
    form = ValidateGoalForm()
    goal = await form.validate_goal_text("learn to code", CollectingDispatcher(), make_tracker(message_id="g1"), domain)
    asked = CollectingDispatcher()
    result = await form.validate_goal_step("actually what jobs fit me?", asked, make_tracker(
        text="actually what jobs fit me?", intent="share_interest", message_id="g2",
        slots={"goal_id": goal["goal_id"]}), domain)
    assert result == {"goal_step": None} and responses(asked) == ["utter_answer_is_question"]
    assert student_plan(uow_factory(), "S1")["goals"][0]["steps"] == []


async def test_a_question_mid_goal_that_the_knowledge_base_answers_gets_the_answer_and_saves_nothing(
        uow_factory, domain):
    enrol(uow_factory, "S1")
    form = ValidateGoalForm()
    goal = await form.validate_goal_text("pass my permit test", CollectingDispatcher(), make_tracker(message_id="g1"),
                                         domain)
    text = "hold on can my dad read this"
    asked = CollectingDispatcher()
    result = await form.validate_goal_step(text, asked, make_tracker(
        text=text, intent="ask_question", message_id="g2", slots={"goal_id": goal["goal_id"]}), domain)
    assert result == {"goal_step": None} and responses(asked) == ["utter_knowledge_answer"]
    assert student_plan(uow_factory(), "S1")["goals"][0]["steps"] == []


async def test_wait_no_my_step_is_replaces_the_step_just_given(uow_factory, domain):
    enrol(uow_factory, "S1")
    form = ValidateGoalForm()
    goal = await form.validate_goal_text("learn to code", CollectingDispatcher(), make_tracker(message_id="g1"), domain)
    step = await form.validate_goal_step("make a game", CollectingDispatcher(), make_tracker(
        message_id="g2", slots={"goal_id": goal["goal_id"]}), domain)
    fixed = CollectingDispatcher()
    result = await form.validate_goal_due("wait no my step is watch a scratch tutorial", fixed, make_tracker(
        text="wait no my step is watch a scratch tutorial", message_id="g3",
        slots={"goal_id": goal["goal_id"], **step}), domain)
    assert result["goal_due"] is None and result["goal_step"] == "watch a scratch tutorial"
    assert responses(fixed) == ["utter_step_replaced"] and fixed.messages[0]["old"] == "make a game"
    [saved] = student_plan(uow_factory(), "S1")["goals"]
    assert [s["text"] for s in saved["steps"]] == ["watch a scratch tutorial"]
    assert count(uow_factory, GoalStep) == 2  # the first step is kept, as taken back


async def test_the_same_goal_again_is_one_goal(uow_factory, domain):
    enrol(uow_factory, "S1")
    form = ValidateGoalForm()
    first = await form.validate_goal_text("make honor roll", CollectingDispatcher(), make_tracker(message_id="g1"),
                                          domain)
    again = CollectingDispatcher()
    second = await form.validate_goal_text("Make honor roll!", again, make_tracker(message_id="g9"), domain)
    assert second["goal_id"] == first["goal_id"] and responses(again) == ["utter_goal_already_there"]
    assert count(uow_factory, Goal) == 1


@pytest.mark.parametrize("text, intent", [
    ("idk what i want to do", "share_interest"),   # the vague 9th grader
    ("stuff i guess", "share_interest"),           # got two replies, one of them "saved"
    ("ugh idk", "share_interest"),
    ("idk", "share_career_goal"),
])
async def test_not_knowing_yet_gets_help_and_nothing_is_kept(uow_factory, dispatcher, domain, text, intent):
    enrol(uow_factory, "S1")
    action = ActionSaveInterestStatement() if intent == "share_interest" else ActionSaveCareerGoal()
    await action.run(dispatcher, make_tracker(text=text, intent=intent), domain)
    assert responses(dispatcher) == ["utter_answer_unsure"]
    assert "saved" not in domain["responses"]["utter_answer_unsure"][0]["text"]
    assert count(uow_factory, Answer) == 0


def form_turn(text: str, intent: str, form: str, slot: str, slots=None, entities=None):
    """The tracker a form's validation action gets for a message Rasa has filled `slot` from."""
    return make_tracker(text=text, intent=intent, entities=entities, active_loop=form,
                        slots={"requested_slot": slot, slot: text, **(slots or {})},
                        events=[{"event": "user", "text": text}, {"event": "action", "name": form},
                                {"event": "slot", "name": slot, "value": text}])


def rejected(events) -> bool:
    return any(event.get("event") == "action_execution_rejected" for event in events)


@pytest.mark.parametrize("text, intent, slot", [
    ("actually what jobs fit me?", "ask_career_suggestions", "goal_step"),  # was saved as the step
    ("show me my plan", "ask_plan_summary", "goal_text"),
    ("ok sure lets do the quiz thing", "start_inventory", "goal_due"),
])
async def test_a_question_or_another_activity_pauses_the_goal_questions(uow_factory, dispatcher, domain, text,
                                                                        intent, slot):
    from actions.planning import ValidateGoalForm

    enrol(uow_factory, "S1")
    events = await ValidateGoalForm().run(dispatcher, form_turn(text, intent, "goal_form", slot), domain)
    assert rejected(events) and {"event": "slot", "name": slot, "value": None, "timestamp": None} in events
    assert count(uow_factory, Answer) == 0


async def test_a_step_that_reads_as_a_request_for_help_is_still_the_step(uow_factory, dispatcher, domain):
    from actions.planning import ValidateGoalForm

    enrol(uow_factory, "S1")
    goal = await ValidateGoalForm().validate_goal_text("raise my math grade", CollectingDispatcher(),
                                                        make_tracker(message_id="g1"), domain)
    events = await ValidateGoalForm().run(dispatcher, form_turn(
        "ask my counselor for help", "ask_help", "goal_form", "goal_step", slots={"goal_id": goal["goal_id"]}), domain)
    assert not rejected(events)
    assert [s["text"] for s in student_plan(uow_factory(), "S1")["goals"][0]["steps"]] == ["ask my counselor for help"]


async def test_the_values_buttons_words_are_a_pick_even_when_read_as_a_question_for_the_bot(uow_factory, dispatcher,
                                                                                          domain):
    from actions.values import ValidateValuesForm

    enrol(uow_factory, "S1", grade=9)
    # The intent classifier reads "doing things my own way" as ask_help (0.95).
    events = await ValidateValuesForm().run(dispatcher, form_turn(
        "doing things my own way", "ask_help", "values_form", "value_choice"), domain)
    assert not rejected(events) and responses(dispatcher) == ["utter_value_saved"]
    plan = student_plan(uow_factory(), "S1")
    assert plan["values"] == ["independence"] and not plan["benchmarks"]["done"]


async def test_a_question_in_the_values_rounds_pauses_them_and_coming_back_asks_again(uow_factory, domain):
    from actions.values import ValidateValuesForm

    enrol(uow_factory, "S1")
    paused = await ValidateValuesForm().run(CollectingDispatcher(), form_turn(
        "what jobs fit me?", "ask_career_suggestions", "values_form", "value_choice"), domain)
    assert rejected(paused)
    # Back from answering it: nothing new to validate, so the form just asks again (no second rejection).
    back = make_tracker(text="what jobs fit me?", intent="ask_career_suggestions", active_loop="values_form",
                        slots={"requested_slot": "value_choice"},
                        events=[{"event": "user", "text": "what jobs fit me?"},
                                {"event": "action", "name": "action_suggest_careers"},
                                {"event": "action", "name": "values_form"}])
    assert not rejected(await ValidateValuesForm().run(CollectingDispatcher(), back, domain))
    assert student_plan(uow_factory(), "S1")["values"] == []


# --- saving what the student clearly said: a goal stated with the request, labelled steps, dates given with them --

async def test_a_goal_stated_with_the_request_is_the_answer_to_the_first_question(uow_factory, dispatcher, domain):
    enrol(uow_factory, "S1")
    # The form is being activated: Rasa names the loop active already, but no slot is requested yet.
    tracker = make_tracker(text="my goal is to make my own game this year", intent="start_goal",
                           active_loop="goal_form", slots={"requested_slot": None},
                           events=[{"event": "user", "text": "my goal is to make my own game this year"}])
    events = await ValidateGoalForm().run(dispatcher, tracker, domain)
    assert slots(events)["goal_text"] == "make my own game this year"
    assert [goal["text"] for goal in student_plan(uow_factory(), "S1")["goals"]] == ["make my own game this year"]


async def test_asking_for_a_goal_without_one_saves_nothing(uow_factory, dispatcher, domain):
    enrol(uow_factory, "S1")
    tracker = make_tracker(text="add a goal", intent="start_goal", active_loop="goal_form",
                           events=[{"event": "user", "text": "add a goal"}])
    events = await ValidateGoalForm().run(dispatcher, tracker, domain)
    assert "goal_text" not in slots(events) and count(uow_factory, Goal) == 0


async def test_labelled_steps_are_saved_without_their_labels_and_the_next_one_is_another_step(uow_factory, domain):
    enrol(uow_factory, "S1")
    form = ValidateGoalForm()
    goal = await form.validate_goal_text("make my own game", CollectingDispatcher(), make_tracker(message_id="g1"),
                                         domain)
    first = await form.validate_goal_step("step 1 watch a scratch tutorial", CollectingDispatcher(), make_tracker(
        text="step 1 watch a scratch tutorial", message_id="g2", slots={"goal_id": goal["goal_id"]}), domain)
    assert first["goal_step"] == "watch a scratch tutorial" and "goal_due" not in first  # no date given: asked
    second = await form.validate_goal_due("step 2 make a platformer", CollectingDispatcher(), make_tracker(
        text="step 2 make a platformer", message_id="g3", slots={"goal_id": goal["goal_id"], **first}), domain)
    assert second["goal_due"] is None and second["goal_step"] == "make a platformer"
    [saved] = student_plan(uow_factory(), "S1")["goals"]
    assert [step["text"] for step in saved["steps"]] == ["watch a scratch tutorial", "make a platformer"]


async def test_a_step_given_with_its_date_needs_no_question_about_the_date(uow_factory, domain):
    enrol(uow_factory, "S1")
    form = ValidateGoalForm()
    goal = await form.validate_goal_text("finish my applications", CollectingDispatcher(),
                                         make_tracker(message_id="g1"), domain)
    step = await form.validate_goal_step("step get my transcript tonight", CollectingDispatcher(), make_tracker(
        text="step get my transcript tonight", message_id="g2", slots={"goal_id": goal["goal_id"]}), domain)
    [saved] = student_plan(uow_factory(), "S1")["goals"]
    assert step["goal_due"] == saved["steps"][0]["due_date"] is not None
    vague = await form.validate_goal_step("practice by like whenever", CollectingDispatcher(), make_tracker(
        text="practice by like whenever", message_id="g3", slots={"goal_id": goal["goal_id"]}), domain)
    assert "goal_due" not in vague  # words that name no date: the form asks for it


async def test_a_career_said_outright_in_the_goal_questions_pauses_them(uow_factory, dispatcher, domain):
    enrol(uow_factory, "S1")
    events = await ValidateGoalForm().run(dispatcher, form_turn(
        "i want to be a welder", "share_career_goal", "goal_form", "goal_step", slots={"goal_id": 1}), domain)
    assert rejected(events) and count(uow_factory, GoalStep) == 0
    kept = await ValidateGoalForm().run(CollectingDispatcher(), form_turn(
        "i want to be a welder", "share_career_goal", "goal_form", "goal_text"), domain)
    assert not rejected(kept)  # asked for a goal, a career is a fine one


async def test_a_career_named_in_the_values_rounds_pauses_them(uow_factory, dispatcher, domain):
    from actions.values import ValidateValuesForm

    enrol(uow_factory, "S1")
    events = await ValidateValuesForm().run(dispatcher, form_turn(
        "i want to be a nurse", "share_career_goal", "values_form", "value_choice"), domain)
    assert rejected(events) and responses(dispatcher) == []
    assert student_plan(uow_factory(), "S1")["values"] == []


async def test_a_question_button_in_the_values_rounds_pauses_them(uow_factory, dispatcher, domain):
    from actions.values import ValidateValuesForm

    enrol(uow_factory, "S1")
    events = await ValidateValuesForm().run(dispatcher, form_turn(
        '/ask_career_info{"career_id":"29-1141.00"}', "ask_career_info", "values_form", "value_choice",
        entities=[{"entity": "career_id", "value": "29-1141.00"}]), domain)
    assert rejected(events)


@pytest.mark.parametrize("form, slots_before, response, button_payload, cleared", [
    # the values: the picks stay, a button starts the ranking again where it stopped
    ("values_form", {}, "utter_come_back_to_values", "/start_values", {"value_choice"}),
    # a goal with no step yet stays in the slots, so coming back asks for its step
    ("goal_form", {"goal_text": "make a game", "goal_id": 3}, "utter_come_back_to_goal", "/start_goal",
     {"goal_step", "goal_due", "step_id"}),
    # a goal with its step: nothing left to come back to, every slot emptied
    ("goal_form", {"goal_text": "make a game", "goal_id": 3, "goal_step": "watch a tutorial", "step_id": 4},
     "utter_goal_kept", None, {"goal_text", "goal_id", "goal_step", "goal_due", "step_id"}),
])
async def test_a_paused_form_says_what_it_kept_and_offers_a_way_back(dispatcher, domain, form, slots_before, response,
                                                                      button_payload, cleared):
    from actions.planning import ActionOfferToComeBack

    tracker = make_tracker(text="i want to be a nurse", intent="share_career_goal", slots=slots_before, events=[
        {"event": "active_loop", "name": form}, {"event": "user", "text": "i want to be a nurse"},
        {"event": "action", "name": "action_deactivate_loop"}, {"event": "active_loop", "name": None}])
    events = await ActionOfferToComeBack().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == [response]
    assert [payload for _, payload in buttons(dispatcher)] == ([button_payload] if button_payload else [])
    assert set(slots(events)) == cleared and not any(slots(events).values())
    assert "saved" not in domain["responses"][response][0]["text"]  # a pause saves nothing itself


@pytest.mark.parametrize("text, confidence, asks", [
    ("i got accepted to a state university in october", 0.99, True),  # names no kind of activity
    ("i joined the robotics club this year", 0.99, False),             # a club, said plainly
    ("maybe i'll join the swim team", 0.99, True),                     # hedged
    ("i work at the pizza place on weekends", 0.4, True),              # the classifier was unsure
])
async def test_an_activity_is_saved_when_the_words_name_one_plainly(uow_factory, dispatcher, domain, text,
                                                                   confidence, asks):
    from actions.planning import ActionSaveActivity

    enrol(uow_factory, "S1")
    tracker = make_tracker(text=text, intent="share_activity")
    tracker.latest_message["intent"]["confidence"] = confidence
    events = await ActionSaveActivity().run(dispatcher, tracker, domain)
    activities = student_plan(uow_factory(), "S1")["activities"]
    if asks:
        assert responses(dispatcher) == ["utter_confirm_activity"] and activities == []
        assert slots(events)["pending_save"] == {"kind": "activity", "text": text}
    else:
        assert responses(dispatcher) == ["utter_activity_saved"] and len(activities) == 1


async def test_a_yes_saves_the_activity_the_bot_asked_about(uow_factory, dispatcher, domain):
    from actions.confirmations import ActionConfirmSave

    enrol(uow_factory, "S1")
    text = "i help at my church food pantry"
    await ActionConfirmSave().run(dispatcher, answer_to_the_question("yes", {"kind": "activity", "text": text}),
                                  domain)
    assert responses(dispatcher) == ["utter_activity_saved"]
    assert len(student_plan(uow_factory(), "S1")["activities"]) == 1


@pytest.mark.parametrize("text, words", [
    # A job the catalog does not know in either language (a Spanish word it knows, "mecánico", is asked about by
    # the catalog's name: test_a_spanish_job_word_in_an_english_aim_is_asked_about_by_its_catalog_name).
    ("quiero ser youtuber", "youtuber"),
    ("i wanna make video games when im older", "make video games when im older"),
])
async def test_a_career_aim_the_catalog_does_not_know_is_kept_in_the_students_words_after_a_yes(
        uow_factory, domain, text, words):
    from actions.confirmations import ActionConfirmSave

    enrol(uow_factory, "S1")
    asked = CollectingDispatcher()
    events = await ActionSaveCareerGoal().run(asked, make_tracker(text=text, intent="share_career_goal"), domain)
    assert responses(asked) == ["utter_confirm_career_goal_words"] and asked.messages[0]["career"] == words
    assert student_plan(uow_factory(), "S1")["goals"] == []  # nothing before the yes
    confirmed = CollectingDispatcher()
    await ActionConfirmSave().run(confirmed, answer_to_the_question("si", slots(events)["pending_save"]), domain)
    assert responses(confirmed) == ["utter_career_goal_words_saved"]
    [goal] = student_plan(uow_factory(), "S1")["goals"]
    assert (goal["kind"], goal["text"], goal["status"]) == ("career", words, "active")
    assert student_plan(uow_factory(), "S1")["careers"] == []  # no occupation to point to


async def test_words_that_aim_at_no_job_are_not_offered_as_a_career_goal(uow_factory, dispatcher, domain):
    enrol(uow_factory, "S1")
    await ActionSaveCareerGoal().run(dispatcher, make_tracker(text="i want to go to the game friday",
                                                              intent="share_career_goal"), domain)
    assert responses(dispatcher) == ["utter_confirm_interest"]


@pytest.mark.parametrize("text, pauses", [
    ("ok put plumber", True),              # a catalog career by name: another subject
    ("i want to work from home", False),   # read as sharing a career, but no career in it: an answer to the question
])
async def test_only_a_career_in_the_words_pauses_the_values_rounds(uow_factory, dispatcher, domain, text, pauses):
    from actions.values import ValidateValuesForm

    enrol(uow_factory, "S1")
    events = await ValidateValuesForm().run(dispatcher, form_turn(text, "share_career_goal", "values_form",
                                                                  "value_choice"), domain)
    assert rejected(events) is pauses


@pytest.mark.parametrize("text, asks", [
    ("electrician", True),                      # just the name: what it is, then "Save ... as your career goal?"
    ("what does an electrician do", False),     # a question: the answer and a Save button, nothing asked
])
async def test_a_career_typed_by_name_alone_is_described_then_offered_as_the_goal(uow_factory, dispatcher, domain,
                                                                                 text, asks):
    from actions.careers import ActionDescribeCareer

    enrol(uow_factory, "S1")
    events = await ActionDescribeCareer().run(dispatcher, make_tracker(text=text, intent="ask_career_info"), domain)
    assert responses(dispatcher) == (["utter_career_info", "utter_confirm_career_goal"] if asks
                                     else ["utter_career_info"])
    assert (slots(events).get("awaiting") == "confirm_save") is asks
    assert student_plan(uow_factory(), "S1")["goals"] == []  # nothing before a yes


@pytest.mark.parametrize("text, saves", [
    ("lmaooo", False),           # read as a yes, but it says none
    ("yes eso", True),
    ("ya replace the vet one", True),
    ("/affirm", True),           # the Yes button
])
async def test_a_yes_must_say_yes_before_the_pending_save_is_written(uow_factory, dispatcher, domain, text, saves):
    from actions.confirmations import ActionConfirmSave

    enrol(uow_factory, "S1")
    pending = {"kind": "career_goal_words", "text": "i want to be a professional napper", "words": "professional napper"}
    events = await ActionConfirmSave().run(dispatcher, answer_to_the_question(text, pending), domain)
    goals = student_plan(uow_factory(), "S1")["goals"]
    assert [goal["text"] for goal in goals] == (["professional napper"] if saves else [])
    assert responses(dispatcher) == (["utter_career_goal_words_saved"] if saves else ["utter_nothing_saved"])
    assert slots(events)["awaiting"] == "saved" and slots(events)["pending_save"] is None  # as the rule says


async def test_a_parents_wish_for_a_career_is_asked_about_not_saved(uow_factory, dispatcher, domain):
    enrol(uow_factory, "S1")
    events = await ActionSaveCareerGoal().run(dispatcher, make_tracker(
        text="my grandpa keeps saying i should be a lawyer", intent="share_career_goal"), domain)
    assert responses(dispatcher) == ["utter_confirm_career_goal"]
    assert slots(events)["pending_save"]["kind"] == "career_goal"
    plan = student_plan(uow_factory(), "S1")
    assert plan["careers"] == [] and plan["goals"] == []


async def test_a_friends_path_after_high_school_is_asked_about_not_saved(uow_factory, dispatcher, domain):
    enrol(uow_factory, "S1", grade=11)
    events = await ActionSavePostsecondary().run(dispatcher, make_tracker(
        text="my older sister is going to community college next year", intent="choose_postsecondary"), domain)
    assert responses(dispatcher) == ["utter_confirm_postsecondary"]
    assert slots(events)["awaiting"] == "confirm_save"
    plan = student_plan(uow_factory(), "S1")
    assert plan["postsecondary"] is None and plan["postsecondary_history"] == []


async def test_unsure_words_about_which_goal_get_ideas_and_save_no_goal(uow_factory, domain):
    enrol(uow_factory, "S1")
    unsure = CollectingDispatcher()
    result = await ValidateGoalForm().validate_goal_text("not sure which goal tbh", unsure, make_tracker(
        text="not sure which goal tbh", message_id="g1"), domain)
    assert result == {"goal_text": None}
    assert responses(unsure) == ["utter_goal_ideas"]
    assert count(uow_factory, Goal) == 0


async def test_one_activity_named_twice_in_a_message_is_saved_once(uow_factory, dispatcher, domain):
    # "cooking" and "make dinner" name the same catalog activity: one row, and "saved", not a failed write.
    enrol(uow_factory, "S1")
    await ActionSaveInterestStatement().run(dispatcher, make_tracker(
        text="i like cooking and i make dinner for my family", intent="share_interest"), domain)
    assert "utter_not_saved" not in responses(dispatcher)
    labels = [mention["label"] for mention in student_plan(uow_factory(), "S1")["interests"]["mentions"]]
    assert len(labels) == len(set(labels)) >= 1


async def test_a_message_that_ends_by_asking_what_the_chat_is_for_saves_no_strength(uow_factory, dispatcher, domain):
    from actions.self_exploration import ActionSaveStrength

    enrol(uow_factory, "S1")
    await ActionSaveStrength().run(dispatcher, make_tracker(
        text="i just started 7th grade, what is this for", intent="share_strength"), domain)
    assert responses(dispatcher) == ["utter_help"]
    assert student_plan(uow_factory(), "S1")["strengths"] == []
    kept = CollectingDispatcher()
    await ActionSaveStrength().run(kept, make_tracker(text="i never give up on a hard problem", intent="share_strength"),
                                   domain)
    assert responses(kept) == ["utter_strength_saved"]


async def test_a_spanish_job_word_in_an_english_aim_is_asked_about_by_its_catalog_name(uow_factory, domain):
    enrol(uow_factory, "S1")
    asked = CollectingDispatcher()
    text = "i really wanna be a maestra like my grandma"
    await ActionSaveCareerGoal().run(asked, make_tracker(text=text, intent="share_career_goal"), domain)
    assert responses(asked) == ["utter_confirm_career_goal"]
    assert "Teacher" in asked.messages[0]["career"]
    assert student_plan(uow_factory(), "S1")["goals"] == []  # only after a yes


async def test_an_aim_that_points_back_is_asked_about_as_the_job_just_talked_about(uow_factory, domain):
    enrol(uow_factory, "S1")
    before = job_asked_about("what does a dental hygienist do")
    text = "i think thats what i want to be"
    asked = CollectingDispatcher()
    await ActionSaveCareerGoal().run(asked, make_tracker(text=text, intent="share_career_goal",
                                                         events=[*before, {"event": "user", "text": text}]), domain)
    assert responses(asked) == ["utter_confirm_career_goal"]
    assert asked.messages[0]["career"] == "Dental Hygienist"  # not "be" saved in the student's words
    alone = CollectingDispatcher()
    await ActionSaveCareerGoal().run(alone, make_tracker(text=text, intent="share_career_goal"), domain)
    assert responses(alone) == ["utter_unknown_career_named"]  # no job talked about: none guessed


async def test_another_persons_words_passed_on_are_asked_about_not_saved(uow_factory, domain):
    enrol(uow_factory, "S1")
    text = "my grandpa always says plumbers never run out of work"
    asked = CollectingDispatcher()
    await ActionSaveInterestStatement().run(asked, make_tracker(text=text, intent="share_interest"), domain)
    assert responses(asked) == ["utter_confirm_interest"]
    assert student_plan(uow_factory(), "S1")["interests"]["statements"] == []
    own = CollectingDispatcher()
    await ActionSaveInterestStatement().run(own, make_tracker(text="i fix stuff with my grandpa", message_id="m2",
                                                              intent="share_interest"), domain)
    assert responses(own) != ["utter_confirm_interest"]  # the student's own doing, with someone, is saved as said
