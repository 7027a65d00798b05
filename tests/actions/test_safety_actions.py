"""The concern flag action and the safety screen component, on a real database and the real pipeline."""
import pytest
from rasa.shared.nlu.training_data.message import Message
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.safety import ActionAnswerSafetyCheckIn, ActionRaiseConcernFlag, ActionSafetyCheckIn
from bot.db.tables import AlertOutbox
from bot.flags import list_flags
from components.safety_screen import SafetyScreen
from tests.actions.conftest import make_tracker
from tests.actions.conversation import Conversation
from tests.builders import enrol
from tests.weak_signs import value_read_as_a_weak_sign


async def test_a_crisis_raises_one_urgent_flag_with_an_alert_even_when_the_action_is_retried(uow_factory, domain):
    enrol(uow_factory, "S1")
    tracker = make_tracker(text="i want to kill myself", intent="concern_self_harm", message_id="m-1")
    dispatcher = CollectingDispatcher()
    await ActionRaiseConcernFlag().run(dispatcher, tracker, domain)
    await ActionRaiseConcernFlag().run(dispatcher, tracker, domain)
    [flag] = list_flags(uow_factory())
    assert (flag["student_id"], flag["category"], flag["severity"], flag["status"]) == ("S1", "self_harm", "urgent", "open")
    assert flag["excerpt"] == "i want to kill myself"
    with uow_factory() as uow:
        assert len(uow.session.scalars(select(AlertOutbox)).all()) == 1
    assert dispatcher.messages == []  # the reply with crisis resources comes from a rule, before this action


async def test_a_follow_up_raises_a_flag_without_an_alert(uow_factory, domain):
    enrol(uow_factory, "S1")
    await ActionRaiseConcernFlag().run(CollectingDispatcher(), make_tracker(text="i want to drop out",
                                                                          intent="concern_dropout_risk"), domain)
    [flag] = list_flags(uow_factory())
    assert (flag["category"], flag["severity"]) == ("dropout_risk", "high")
    with uow_factory() as uow:
        assert uow.session.scalars(select(AlertOutbox)).all() == []


async def test_no_concern_no_flag(uow_factory, domain):
    enrol(uow_factory, "S1")
    await ActionRaiseConcernFlag().run(CollectingDispatcher(), make_tracker(text="hi", intent="greet"), domain)
    assert list_flags(uow_factory()) == []


def screened(text, intent, confidence, *ranking):
    message = Message(data={"text": text, "intent": {"name": intent, "confidence": confidence},
                            "intent_ranking": [{"name": name, "confidence": conf} for name, conf in ranking]})
    SafetyScreen(SafetyScreen.get_default_config()).process([message])
    return message


def test_the_component_turns_a_crisis_into_its_concern_intent_whatever_the_classifier_said():
    message = screened("ok so i like art but honestly i want to die", "share_interest", 0.9,
                       ("share_interest", 0.9), ("greet", 0.1))
    assert message.get("intent") == {"name": "concern_self_harm", "confidence": 1.0}
    assert message.get("safety")["source"] == "rules"
    assert "safety" in message.as_dict(only_output_properties=True)


def test_the_component_overrides_a_fallback_when_the_rules_see_a_crisis():
    message = screened("kms", "nlu_fallback", 0.4, ("nlu_fallback", 0.4), ("greet", 0.3))
    assert message.get("intent")["name"] == "concern_self_harm"


def test_the_component_replaces_a_crisis_guess_the_screen_does_not_back():
    message = screened("this homework is killing me", "concern_self_harm", 0.7,
                       ("concern_self_harm", 0.7), ("out_of_scope", 0.2))
    assert message.get("intent") == {"name": "nlu_fallback", "confidence": 0.4}
    assert message.get("safety") is None
    message = screened("i killed it at tryouts and i like basketball", "concern_violence", 0.5,
                       ("concern_violence", 0.5), ("share_interest", 0.45))
    assert message.get("intent") == {"name": "share_interest", "confidence": 0.45}


def test_the_component_leaves_ordinary_messages_alone():
    message = screened("i like fixing engines", "share_interest", 0.95, ("share_interest", 0.95))
    assert message.get("intent") == {"name": "share_interest", "confidence": 0.95}
    assert message.get("safety") is None


async def test_a_money_worry_that_names_a_career_keeps_the_career_too(uow_factory, domain):
    from bot.plans.services import student_plan

    enrol(uow_factory, "S1")
    dispatcher = CollectingDispatcher()
    await ActionRaiseConcernFlag().run(dispatcher, make_tracker(
        text="i want to be a nurse but we cant afford college", intent="concern_financial"), domain)
    [flag] = list_flags(uow_factory())
    assert flag["category"] == "financial"
    assert [c["title"] for c in student_plan(uow_factory(), "S1")["careers"]] == ["Registered Nurse"]
    assert [m["response"] for m in dispatcher.messages] == ["utter_also_saved_career"]


async def test_a_crisis_message_saves_nothing_but_the_flag(uow_factory, domain):
    from bot.plans.services import student_plan

    enrol(uow_factory, "S1")
    await ActionRaiseConcernFlag().run(CollectingDispatcher(), make_tracker(
        text="my dad hits me and i want to be a nurse someday", intent="concern_abuse"), domain)
    assert student_plan(uow_factory(), "S1")["careers"] == []


def test_a_weak_sign_of_a_crisis_becomes_a_check_in_not_a_concern():
    message = screened(value_read_as_a_weak_sign(), "share_interest", 0.5, ("share_interest", 0.5), ("greet", 0.2))
    assert message.get("intent")["name"] == "safety_check_in"
    assert message.get("safety")["severity"] == "check_in"
    assert message.get("safety")["category"] == "self_harm"


def test_an_advisors_note_is_never_a_check_in():
    message = Message(data={"text": value_read_as_a_weak_sign(), "intent": {"name": "share_interest", "confidence": 0.5},
                            "intent_ranking": [{"name": "share_interest", "confidence": 0.5}],
                            "metadata": {"speaker": "advisor"}})
    SafetyScreen(SafetyScreen.get_default_config()).process([message])
    assert message.get("intent")["name"] != "safety_check_in"


async def check_in(domain) -> Conversation:
    chat = Conversation(domain)
    chat.events.append({"event": "user", "text": value_read_as_a_weak_sign()})
    tracker = make_tracker(text=value_read_as_a_weak_sign(), intent="safety_check_in", events=list(chat.events))
    tracker.latest_message["safety"] = {"category": "self_harm", "severity": "check_in",
                                        "otherwise": {"name": "share_interest", "confidence": 0.8}}
    dispatcher = CollectingDispatcher()
    chat.record(await ActionSafetyCheckIn().run(dispatcher, tracker, domain))
    assert [message["response"] for message in dispatcher.messages] == ["utter_safety_check_in"]
    return chat


@pytest.mark.parametrize(("typed", "intent"), [("", "deny"), ("not really", "deny"), ("idk", "answer_inventory"),
                                               ("yes i need help", "affirm"), ("no estoy bien", "speak_spanish")])
async def test_an_answer_that_is_not_im_okay_gets_the_crisis_reply_and_an_urgent_flag(uow_factory, domain, typed,
                                                                                     intent):
    enrol(uow_factory, "S1")
    chat = await check_in(domain)
    said = await chat.say(ActionAnswerSafetyCheckIn(), typed or f"/{intent}", intent)
    assert [message["response"] for message in said.messages] == ["utter_crisis_self_harm"]
    [flag] = list_flags(uow_factory())
    assert (flag["category"], flag["severity"]) == ("self_harm", "urgent")
    assert flag["excerpt"].startswith(value_read_as_a_weak_sign())
    with uow_factory() as uow:
        assert len(uow.session.scalars(select(AlertOutbox)).all()) == 1
    assert chat.slots["awaiting"] is None and chat.slots["check_in"] is None


@pytest.mark.parametrize(("typed", "intent"), [("", "affirm"), ("no im fine", "deny"), ("yeah im good", "affirm"),
                                               ("im fine", "share_strength"), ("estoy bien", "speak_spanish")])
async def test_im_okay_ends_the_check_in_with_no_flag_and_replays_the_message(uow_factory, domain, typed, intent):
    enrol(uow_factory, "S1")
    chat = await check_in(domain)
    said = await chat.say(ActionAnswerSafetyCheckIn(), typed or f"/{intent}", intent)
    assert [message["response"] for message in said.messages] == ["utter_check_in_okay"]
    assert list_flags(uow_factory()) == []
    assert chat.slots["awaiting"] is None
    listen, replayed = chat.events[-2:]
    assert (listen["event"], listen["name"]) == ("action", "action_listen")
    assert (replayed["event"], replayed["text"], replayed["parse_data"]["intent"]["name"]) == (
        "user", value_read_as_a_weak_sign(), "share_interest")


async def test_a_no_long_after_a_check_in_is_handled_as_an_ordinary_no(uow_factory, domain):
    enrol(uow_factory, "S1")
    chat = await check_in(domain)
    chat.events.append({"event": "user", "text": "what jobs fit me"})
    said = await chat.say(ActionAnswerSafetyCheckIn(), "no", "deny")
    assert said.messages == [] and list_flags(uow_factory()) == []
    replayed = chat.events[-1]
    assert (replayed["text"], replayed["parse_data"]["intent"]["name"]) == ("no", "deny")  # the usual rules answer it


async def test_words_that_answer_nothing_are_handled_as_usual(uow_factory, domain):
    enrol(uow_factory, "S1")
    chat = await check_in(domain)
    said = await chat.say(ActionAnswerSafetyCheckIn(), "whatever lets do the quiz", "nlu_fallback")
    assert said.messages == [] and list_flags(uow_factory()) == []
    assert chat.events[-1]["text"] == "whatever lets do the quiz" and chat.slots["awaiting"] is None
