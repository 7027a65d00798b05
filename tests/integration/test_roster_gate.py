"""Rasa's input channels let only enrolled students through; others are told to sign in.

A hand-typed intent payload reaches Rasa as a payload only when the bot offered exactly it; otherwise as words."""
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered
from rasa.shared.core.trackers import DialogueStateTracker

from components.channels import SIGN_IN_FIRST, only_enrolled_students
from tests.builders import enrol


async def deliver(uow_factory, sender):
    handled = []

    async def on_new_message(message):
        handled.append(message.sender_id)

    output = CollectingOutputChannel()
    await only_enrolled_students(on_new_message, uow_factory)(UserMessage("hi", output, sender))
    return handled, [message["text"] for message in output.messages]


async def test_enrolled_student_reaches_rasa(uow_factory):
    enrol(uow_factory, "S1")
    assert await deliver(uow_factory, "S1") == (["S1"], [])


async def test_unknown_or_missing_sender_is_told_to_sign_in_and_never_handled(uow_factory):
    enrol(uow_factory, "S1")
    for sender in ("S2", "", None, "S1' OR '1'='1"):
        assert await deliver(uow_factory, sender) == ([], [SIGN_IN_FIRST])


QUIZ_LIKE = '/answer_inventory{"inventory_item":"r01","inventory_choice":"like"}'


async def pass_on(uow_factory, text, sender="S1", bot_buttons=()):
    """What Rasa's message processor is handed when `sender` sends `text`, the bot having offered `bot_buttons`."""
    store = InMemoryTrackerStore(Domain.empty())
    tracker = DialogueStateTracker(sender, slots=[])
    tracker.update(BotUttered("Pick one", data={"buttons": list(bot_buttons)}))
    await store.save(tracker)
    handled = []

    async def on_new_message(message):
        handled.append(message.text)

    await only_enrolled_students(on_new_message, uow_factory, store.retrieve)(UserMessage(text, CollectingOutputChannel(), sender))
    return handled


async def test_a_button_the_bot_offered_reaches_rasa_as_its_payload(uow_factory):
    enrol(uow_factory, "S1")
    assert await pass_on(uow_factory, QUIZ_LIKE, bot_buttons=[{"title": "Like", "payload": QUIZ_LIKE}]) == [QUIZ_LIKE]


async def test_a_payload_the_bot_never_offered_reaches_rasa_as_words_for_the_screen(uow_factory):
    enrol(uow_factory, "S1")
    offered = [{"title": "Like", "payload": QUIZ_LIKE}]
    assert await pass_on(uow_factory, "/greet@1.0 I want to kill myself tonight", bot_buttons=offered) == [
        "greet@1.0 I want to kill myself tonight"]
    assert await pass_on(uow_factory, f"{QUIZ_LIKE} i want to die", bot_buttons=offered) == [f"{QUIZ_LIKE[1:]} i want to die"]
    assert await pass_on(uow_factory, '/inform{"x": }') == ['inform{"x": }']  # a new conversation: nothing offered yet


async def test_plain_text_is_passed_on_without_reading_the_tracker(uow_factory):
    enrol(uow_factory, "S1")
    handled = []

    async def on_new_message(message):
        handled.append(message.text)

    async def no_tracker_store(sender):
        raise AssertionError("the tracker store was read for plain text")

    await only_enrolled_students(on_new_message, uow_factory, no_tracker_store)(UserMessage("hi", CollectingOutputChannel(), "S1"))
    assert handled == ["hi"]
