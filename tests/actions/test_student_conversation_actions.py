"""The student conversation's actions against a real plan database: what they say, what they save."""
import json

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

from actions.careers import ActionDescribeCareer, ActionSaveCareerGoal, ActionSuggestCareers
from actions.interests import ActionSaveInterestStatement
from actions.inventory import ActionAskInventoryItem, ActionSaveInventoryAnswer
from actions.planning import ActionSavePostsecondary, ActionSaveCoursePlan, ActionSuggestCourses, ValidateGoalForm
from actions.progress import ActionGreet, ActionProposeNextStep, ActionReportDone
from actions.self_exploration import ActionSaveStrength
from actions.values import ActionAskValueChoice, ValidateValuesForm
from bot.db.tables import Answer, Flag, InventoryResponse
from bot.interests.inventory import inventory_items
from bot.plans.services import student_plan
from tests.actions.conftest import make_tracker, responses
from tests.builders import enrol


def count(uow_factory, table) -> int:
    with uow_factory() as uow:
        return uow.session.scalar(select(func.count(table.id)))


def slots(events) -> dict:
    return {event["name"]: event["value"] for event in events if event.get("event") == "slot"}


def payloads(dispatcher) -> list[str]:
    return [button["payload"] for message in dispatcher.messages for button in message.get("buttons") or []]


async def test_quiz_asks_with_three_buttons_and_a_typed_yes_answers_the_waiting_question(uow_factory, dispatcher, domain):
    enrol(uow_factory, "S1")
    events = await ActionAskInventoryItem().run(dispatcher, make_tracker(text="take the quiz", intent="start_inventory"), domain)
    first = inventory_items()[0]
    assert responses(dispatcher) == ["utter_inventory_intro", "utter_inventory_item"]
    assert slots(events) == {"awaiting": "inventory_item", "inventory_item": first.id}
    assert [json.loads("{" + p.split("{", 1)[1])["inventory_choice"]
            for p in payloads(dispatcher)] == ["like", "unsure", "dislike"]

    answered = CollectingDispatcher()
    asked = [{"event": "user", "text": "take the quiz"}, *events]
    events = await ActionSaveInventoryAnswer().run(answered, make_tracker(
        text="yes", intent="affirm", slots={"inventory_item": first.id},
        events=[*asked, {"event": "user", "text": "yes"}]), domain)
    assert responses(answered) == ["utter_inventory_item"]
    assert slots(events)["inventory_item"] == inventory_items()[1].id
    assert student_plan(uow_factory(), "S1")["interests"]["riasec"][first.riasec] == 2


async def test_a_typed_yes_turns_after_the_quiz_question_asks_it_again_and_saves_nothing(uow_factory, dispatcher,
                                                                                          domain):
    enrol(uow_factory, "S1")
    events = await ActionAskInventoryItem().run(dispatcher, make_tracker(text="take the quiz", intent="start_inventory"), domain)
    first = inventory_items()[0]
    # The knowledge base answered a question in between and set no slot, so `awaiting` still says inventory_item.
    between = [{"event": "user", "text": "take the quiz"}, *events, {"event": "user", "text": "what is the fafsa"},
               {"event": "bot", "text": "The FAFSA is..."}]
    for text, intent in (("yes", "affirm"), ("nah", "deny")):
        again = CollectingDispatcher()
        events_after = await ActionSaveInventoryAnswer().run(again, make_tracker(
            text=text, intent=intent, slots={"awaiting": "inventory_item", "inventory_item": first.id},
            events=[*between, {"event": "user", "text": text}]), domain)
        assert responses(again) == ["utter_inventory_item"] and again.messages[0]["number"] == 1
        assert slots(events_after) == {"awaiting": "inventory_item", "inventory_item": first.id}
    assert count(uow_factory, InventoryResponse) == 0
    # A tapped button carries its question, so it still counts after any number of turns.
    tapped = CollectingDispatcher()
    await ActionSaveInventoryAnswer().run(tapped, make_tracker(
        text="/answer_inventory", intent="answer_inventory", events=[*between, {"event": "user", "text": "Like"}],
        entities=[{"entity": "inventory_item", "value": first.id}, {"entity": "inventory_choice", "value": "like"}]),
        domain)
    assert count(uow_factory, InventoryResponse) == 1


async def test_unclear_quiz_answer_is_asked_again_and_nothing_is_saved(uow_factory, dispatcher, domain):
    enrol(uow_factory, "S1")
    events = await ActionSaveInventoryAnswer().run(
        dispatcher, make_tracker(text="purple monkey", intent="answer_inventory", slots={"inventory_item": "r01"}), domain)
    assert responses(dispatcher) == ["utter_answer_unclear_choice"] and events == []
    assert count(uow_factory, InventoryResponse) == 0


async def test_button_answer_for_the_last_item_finishes_the_quiz(uow_factory, dispatcher, domain):
    enrol(uow_factory, "S1")
    items = inventory_items()
    for number, item in enumerate(items):
        last = CollectingDispatcher()
        events = await ActionSaveInventoryAnswer().run(last, make_tracker(
            text=f"/answer_inventory", intent="answer_inventory", message_id=f"m{number}",
            entities=[{"entity": "inventory_item", "value": item.id},
                      {"entity": "inventory_choice", "value": "like" if item.riasec == "A" else "dislike"}]), domain)
    assert responses(last) == ["utter_inventory_done"] and last.messages[0]["code"] == "A: Artistic (creative)"
    assert last.messages[0]["types"] == "creative (making art, music, stories) most of all"
    assert slots(events) == {"awaiting": None, "inventory_item": None}


async def test_values_are_ranked_from_buttons(uow_factory, dispatcher, domain):
    enrol(uow_factory, "S1")
    await ActionAskValueChoice().run(dispatcher, make_tracker(text="rank my values", intent="start_values"), domain)
    assert responses(dispatcher) == ["utter_values_intro", "utter_values_first"] and len(payloads(dispatcher)) == 6
    chosen, asked = CollectingDispatcher(), CollectingDispatcher()
    tracker = make_tracker(text="/choose_value", intent="choose_value", active_loop="values_form",
                           entities=[{"entity": "work_value", "value": "support"}])
    result = await ValidateValuesForm().validate_value_choice("support", chosen, tracker, domain)
    assert result["value_choice"] is None  # emptied, so the form asks the next round
    await ActionAskValueChoice().run(asked, tracker, domain)
    assert responses(chosen) == ["utter_value_saved"]
    assert responses(asked) == ["utter_values_next"] and len(payloads(asked)) == 5
    assert student_plan(uow_factory(), "S1")["values"] == ["support"]


async def test_career_suggestions_need_interests_first_then_come_with_save_buttons(uow_factory, domain):
    enrol(uow_factory, "S1")
    empty = CollectingDispatcher()
    await ActionSuggestCareers().run(empty, make_tracker(text="what jobs fit me", intent="ask_career_suggestions"), domain)
    assert responses(empty) == ["utter_no_suggestions_yet"]
    for number, item in enumerate(inventory_items()):
        await ActionSaveInventoryAnswer().run(CollectingDispatcher(), make_tracker(
            intent="answer_inventory", message_id=f"m{number}",
            entities=[{"entity": "inventory_item", "value": item.id},
                      {"entity": "inventory_choice", "value": "like" if item.riasec in "SE" else "dislike"}]), domain)
    suggested = CollectingDispatcher()
    await ActionSuggestCareers().run(suggested, make_tracker(text="what jobs fit me", intent="ask_career_suggestions"), domain)
    # the intro is built by the service: what the matches rest on and the interest code in words
    assert responses(suggested) == [None] + ["utter_suggestion"] * 5
    assert suggested.messages[0]["text"].startswith("Here are some careers that fit you, based on all 42 quiz answers.")
    assert "Social (helping)" in suggested.messages[0]["text"]
    assert len({m["reasons"] for m in suggested.messages[1:]}) == 5
    assert all("helping" in m["reasons"] or "leading" in m["reasons"] for m in suggested.messages[1:])
    save = next(p for p in payloads(suggested) if p.startswith("/share_career_goal"))
    career_id = json.loads("{" + save.split("{", 1)[1])["career_id"]
    saved = CollectingDispatcher()
    await ActionSaveCareerGoal().run(saved, make_tracker(text=save, intent="share_career_goal",
                                                         entities=[{"entity": "career_id", "value": career_id}]), domain)
    assert responses(saved) == ["utter_career_saved"]
    assert [c["onet_soc"] for c in student_plan(uow_factory(), "S1")["careers"]] == [career_id]


async def test_career_info_and_unknown_careers(uow_factory, domain):
    known, unknown = CollectingDispatcher(), CollectingDispatcher()
    await ActionDescribeCareer().run(known, make_tracker(text="what does an electrician do", intent="ask_career_info"), domain)
    await ActionDescribeCareer().run(unknown, make_tracker(text="what does a snorkmaster do", intent="ask_career_info"), domain)
    assert responses(known) == ["utter_career_info"] and known.messages[0]["title"] == "Electrician"
    assert "apprenticeship" in known.messages[0]["education"]
    assert "$61,590 a year" in known.messages[0]["pay"]  # BLS OEWS May 2023, data/careers/pay.yml
    assert responses(unknown) == ["utter_answer_unknown_career"]


async def test_a_postsecondary_plan_that_does_not_reach_the_career_goal_flags_the_counselor(uow_factory, domain):
    enrol(uow_factory, "S1", grade=11)
    await ActionSaveCareerGoal().run(CollectingDispatcher(), make_tracker(text="i want to be a pharmacist",
                                                                          intent="share_career_goal"), domain)
    dispatcher = CollectingDispatcher()
    await ActionSavePostsecondary().run(dispatcher, make_tracker(
        text="/choose_postsecondary", intent="choose_postsecondary",
        entities=[{"entity": "postsecondary", "value": "work"}]), domain)
    assert responses(dispatcher) == ["utter_postsecondary_saved", "utter_postsecondary_mismatch"]
    with uow_factory() as uow:
        flags = uow.session.execute(select(Flag.category, Flag.severity)).all()
    assert flags == [("plan_misalignment", "normal")]
    unclear = CollectingDispatcher()
    await ActionSavePostsecondary().run(unclear, make_tracker(text="after high school i want to be happy",
                                                              intent="choose_postsecondary"), domain)
    assert responses(unclear) == ["utter_answer_unclear_postsecondary", "utter_ask_postsecondary"]
    assert len(payloads(unclear)) == 5


async def test_goal_form_saves_each_answer_and_reprompts_bad_ones(uow_factory, domain):
    enrol(uow_factory, "S1")
    form = ValidateGoalForm()
    too_long = CollectingDispatcher()
    assert await form.validate_goal_text("a" * 1001, too_long, make_tracker(intent="share_interest"), domain) == {"goal_text": None}
    assert responses(too_long) == ["utter_answer_too_long"]
    emoji = CollectingDispatcher()
    assert await form.validate_goal_text("🎯🎯", emoji, make_tracker(intent="share_interest"), domain) == {"goal_text": None}
    assert responses(emoji) == ["utter_answer_no_words"]
    result = await form.validate_goal_text("make honor roll", CollectingDispatcher(), make_tracker(message_id="g1"), domain)
    assert result["goal_text"] == "make honor roll"
    step = await form.validate_goal_step("study 30 minutes every night", CollectingDispatcher(),
                                         make_tracker(message_id="g2", slots={"goal_id": result["goal_id"]}), domain)
    bad_date = CollectingDispatcher()
    assert await form.validate_goal_due("someday", bad_date, make_tracker(
        message_id="g3", slots={"step_id": step["step_id"]}), domain) == {"goal_due": None}
    assert responses(bad_date) == ["utter_answer_unclear_date"]
    due = await form.validate_goal_due("next friday", CollectingDispatcher(), make_tracker(
        message_id="g4", slots={"step_id": step["step_id"]}), domain)
    assert due["goal_due"]
    goal = student_plan(uow_factory(), "S1")["goals"][0]
    assert goal["text"] == "make honor roll" and goal["steps"][0]["due_date"] == due["goal_due"]
    # The step, proposed in the bot's last turn, is what "I finished that" means now.
    proposed = f"step:{step['step_id']}"
    done = CollectingDispatcher()
    await ActionReportDone().run(done, make_tracker(text="i finished that step", intent="report_done",
                                                    slots={"proposed_item": proposed},
                                                    events=[{"event": "user", "text": "next friday"},
                                                            {"event": "slot", "name": "proposed_item", "value": proposed},
                                                            {"event": "user", "text": "i finished that step"}]), domain)
    assert responses(done) == ["utter_marked_done"]
    assert student_plan(uow_factory(), "S1")["goals"][0]["steps"][0]["done"] is True


async def test_course_plan_is_proposed_then_saved_once(uow_factory, domain):
    enrol(uow_factory, "S1", grade=9)
    proposed = CollectingDispatcher()
    events = await ActionSuggestCourses().run(proposed, make_tracker(text="what classes should i take", intent="plan_courses"), domain)
    assert responses(proposed) == ["utter_courses_proposal_no_career"] and slots(events) == {"awaiting": "course_plan"}
    # A 9th grader's earned credits are unknown without a transcript: no number still needed, only what is planned.
    assert proposed.messages[0]["check"].startswith("Your school hasn't shared the credits you've already earned")
    assert "Your plan has 20 credits of classes planned" in proposed.messages[0]["check"]
    tracker = make_tracker(text="/affirm", intent="affirm", message_id="yes-1", slots={"awaiting": "course_plan"},
                           events=[{"event": "user", "text": "what classes should i take"}, *events,
                                   {"event": "user", "text": "/affirm"}])
    first, retry = CollectingDispatcher(), CollectingDispatcher()
    await ActionSaveCoursePlan().run(first, tracker, domain)
    await ActionSaveCoursePlan().run(retry, tracker, domain)
    assert responses(first) == ["utter_courses_saved"] and responses(retry) == ["utter_already_saved"]
    assert len(student_plan(uow_factory(), "S1")["courses"]) == first.messages[0]["count"] > 0


async def test_first_visit_explains_and_a_returning_student_gets_the_plan_and_next_step(uow_factory, domain):
    enrol(uow_factory, "S1", grade=8)
    first = CollectingDispatcher()
    await ActionGreet().run(first, make_tracker(text="hi", intent="greet"), domain)
    assert responses(first) == ["utter_greet", "utter_ask_start"]
    await ActionSaveStrength().run(CollectingDispatcher(), make_tracker(text="im a good listener", intent="share_strength"), domain)
    back = CollectingDispatcher()
    events = await ActionGreet().run(back, make_tracker(text="hi", intent="greet"), domain)
    assert responses(back) == ["utter_welcome_back", "utter_next_benchmark"]
    assert back.messages[0]["name"] == "Sam" and slots(events)["proposed_item"].startswith("benchmark:g8_")
    next_step = CollectingDispatcher()
    await ActionProposeNextStep().run(next_step, make_tracker(text="whats next", intent="ask_next_step"), domain)
    assert responses(next_step) == ["utter_next_benchmark"]


async def test_a_retried_strength_is_saved_once(uow_factory, domain):
    enrol(uow_factory, "S1")
    tracker = make_tracker(text="I earned my black belt", intent="share_strength", message_id="m-9")
    first, retry = CollectingDispatcher(), CollectingDispatcher()
    await ActionSaveStrength().run(first, tracker, domain)
    await ActionSaveStrength().run(retry, tracker, domain)
    assert responses(first) == ["utter_strength_saved"] and first.messages[0]["kind"] == "an accomplishment"
    assert responses(retry) == ["utter_already_saved"] and count(uow_factory, Answer) == 1


async def test_a_goal_answer_read_as_academic_trouble_is_saved_and_flagged(uow_factory, domain):
    enrol(uow_factory, "S1")
    # Rasa has filled the requested slot from the message; the validation action sees that slot event.
    tracker = make_tracker(text="stop failing math", intent="concern_academic", message_id="g1",
                           slots={"requested_slot": "goal_text", "goal_text": "stop failing math"},
                           active_loop="goal_form",
                           events=[{"event": "user", "text": "stop failing math"},
                                   {"event": "slot", "name": "goal_text", "value": "stop failing math"}])
    events = await ValidateGoalForm().run(CollectingDispatcher(), tracker, domain)
    assert any(e.get("name") == "goal_text" and e.get("value") == "stop failing math" for e in events)
    assert student_plan(uow_factory(), "S1")["goals"][0]["text"] == "stop failing math"
    with uow_factory() as uow:
        assert uow.session.execute(select(Flag.category, Flag.severity)).all() == [("academic", "normal")]


async def test_tell_me_more_says_what_the_career_page_says(uow_factory, domain):
    # issue 19: the suggestion list and "tell me more" must not read a dentist two ways
    from bot.careers.profiles import career_profile

    said = CollectingDispatcher()
    await ActionDescribeCareer().run(said, make_tracker(text="/ask_career_info", intent="ask_career_info",
                                                        entities=[{"entity": "career_id", "value": "29-1021.00"}]),
                                     domain)
    profile = career_profile(uow_factory(), "29-1021.00")
    message = said.messages[0]
    assert (message["title"], message["description"], message["education"]) == (
        "Dentist", profile.summary, "many years of college: a doctoral or professional degree")
    assert message["education"] == profile.education and message["types"] == "curious and hands-on"


async def test_suggestions_from_a_few_quiz_answers_say_so_and_offer_the_rest_of_the_quiz(uow_factory, domain):
    enrol(uow_factory, "S1")
    for number, item in enumerate(inventory_items()[:6]):
        await ActionSaveInventoryAnswer().run(CollectingDispatcher(), make_tracker(
            intent="answer_inventory", message_id=f"m{number}",
            entities=[{"entity": "inventory_item", "value": item.id}, {"entity": "inventory_choice", "value": "like"}]),
            domain)
    suggested = CollectingDispatcher()
    await ActionSuggestCareers().run(suggested, make_tracker(text="what jobs fit me", intent="ask_career_suggestions"), domain)
    intro, thin = suggested.messages[:2]
    assert intro["text"].startswith("Here are some careers that fit you, based on 6 of 42 quiz answers.")
    assert "first look" in thin["text"] and [b["payload"] for b in thin["buttons"]] == ["/start_inventory"]
    assert responses(suggested)[2:] == ["utter_suggestion"] * 5


async def test_a_returning_student_hears_their_interest_code_in_words(uow_factory, domain):
    enrol(uow_factory, "S1")
    await ActionSaveInterestStatement().run(CollectingDispatcher(), make_tracker(text="I play guitar"), domain)
    back = CollectingDispatcher()
    await ActionGreet().run(back, make_tracker(text="hi", intent="greet"), domain)
    assert back.messages[0]["code"] == "A: Artistic (creative)"
