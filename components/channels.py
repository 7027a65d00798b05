"""Input channels that only let students on the roster through.

A sender the roster does not know gets one polite message and is never handed to Rasa's
message processor, so no tracker, no events and no plan rows are stored for it.
"""
from __future__ import annotations

import asyncio
from typing import Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput

from bot.db.unit_of_work import UnitOfWork
from bot.roster.services import is_enrolled

SIGN_IN_FIRST = ("Hi! I can only chat with students who are signed in. Please open ILP Advisor through "
                 "your school's website and sign in with the code from your counselor.")

OnNewMessage = Callable[[UserMessage], Awaitable[None]]


def only_enrolled_students(on_new_message: OnNewMessage) -> OnNewMessage:
    async def handle(message: UserMessage) -> None:
        sender = message.sender_id
        if isinstance(sender, str) and sender and await asyncio.to_thread(is_enrolled, UnitOfWork(), sender):
            await on_new_message(message)
        else:
            await message.output_channel.send_text_message(str(sender or ""), SIGN_IN_FIRST)

    return handle


class RosterRestInput(RestInput):
    """Rasa's REST channel (/webhooks/rest/webhook) for enrolled students only."""

    def blueprint(self, on_new_message: OnNewMessage):
        return super().blueprint(only_enrolled_students(on_new_message))


class RosterSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel for enrolled students only."""

    def blueprint(self, on_new_message: OnNewMessage):
        return super().blueprint(only_enrolled_students(on_new_message))
