"""Misunderstandings: rephrase, then buttons, then a not_understood flag for the counselor."""
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import ActionRespondNotUnderstood
from bot.conversation_events import consecutive_user_intents
from bot.flags import list_flags
from tests.actions.conftest import make_tracker, responses
from tests.builders import enrol


def user(intent, text="..."):
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": 0.3}}}


def bot_says():
    return {"event": "bot", "text": "..."}


def test_counts_only_the_latest_run_of_misses():
    events = [user("nlu_fallback"), user("greet"), bot_says(), user("nlu_fallback"), bot_says(), user("nlu_fallback")]
    assert consecutive_user_intents(events, "nlu_fallback") == 2
    assert consecutive_user_intents(events[:2], "nlu_fallback") == 0
    assert consecutive_user_intents([], "nlu_fallback") == 0


async def run_after(misses, domain, text="asdf qwer"):
    events = [user("greet", "hi")] + [user("nlu_fallback", text) for _ in range(misses)]
    dispatcher = CollectingDispatcher()
    await ActionRespondNotUnderstood().run(dispatcher, make_tracker(text=text, intent="nlu_fallback", events=events), domain)
    return dispatcher


async def test_first_miss_asks_to_rephrase(uow_factory, domain):
    enrol(uow_factory, "S1")
    assert responses(await run_after(1, domain)) == ["utter_default"]
    assert list_flags(uow_factory()) == []


async def test_second_miss_in_a_row_offers_buttons(uow_factory, domain):
    enrol(uow_factory, "S1")
    assert responses(await run_after(2, domain)) == ["utter_offer_choices"]
    assert domain["responses"]["utter_offer_choices"][0]["buttons"]
    assert list_flags(uow_factory()) == []


async def test_third_miss_flags_not_understood_and_tells_the_student(uow_factory, domain):
    enrol(uow_factory, "S1")
    assert responses(await run_after(3, domain, "zzzz")) == ["utter_counselor_will_check_in", "utter_offer_choices"]
    [flag] = list_flags(uow_factory())
    assert (flag["category"], flag["severity"], flag["excerpt"]) == ("not_understood", "normal", "zzzz")
    await run_after(4, domain)
    assert len(list_flags(uow_factory())) == 1  # later misses attach to the open flag


async def test_a_goal_stated_plainly_starts_the_goal_questions_instead_of_a_miss(uow_factory, domain):
    enrol(uow_factory, "S1")
    dispatcher = CollectingDispatcher()
    events = await ActionRespondNotUnderstood().run(dispatcher, make_tracker(
        text="goal: finish my essay before break", intent="nlu_fallback"), domain)
    assert events == [{"event": "followup", "name": "goal_form", "timestamp": None}]
    assert responses(dispatcher) == []


async def test_a_plan_for_after_high_school_nlu_did_not_place_is_asked_about_never_saved(uow_factory, domain):
    from bot.plans.services import student_plan

    enrol(uow_factory, "S1")
    said = await run_after(1, domain, text="after hs i want to go to a trade school for plumbing")
    assert responses(said) == ["utter_confirm_postsecondary"]
    assert said.messages[0]["path"] == "Apprenticeship or certificate program"
    assert student_plan(uow_factory(), "S1")["postsecondary"] is None  # only after a yes
    # Hedged, or another person's plan: the usual reply.
    assert responses(await run_after(1, domain, text="maybe a trade school after hs idk")) == ["utter_default"]
    assert responses(await run_after(1, domain, text="my brother is going to go to trade school")) == ["utter_default"]
