"""Rasa's input channels let only enrolled students through; others are told to sign in."""
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from components.channels import SIGN_IN_FIRST, only_enrolled_students
from tests.builders import enrol


async def deliver(sender):
    handled = []

    async def on_new_message(message):
        handled.append(message.sender_id)

    output = CollectingOutputChannel()
    await only_enrolled_students(on_new_message)(UserMessage("hi", output, sender))
    return handled, [message["text"] for message in output.messages]


async def test_enrolled_student_reaches_rasa(uow_factory):
    enrol(uow_factory, "S1")
    assert await deliver("S1") == (["S1"], [])


async def test_unknown_or_missing_sender_is_told_to_sign_in_and_never_handled(uow_factory):
    enrol(uow_factory, "S1")
    for sender in ("S2", "", None, "S1' OR '1'='1"):
        assert await deliver(sender) == ([], [SIGN_IN_FIRST])
