"""The input channel that only lets the web app, and in it students on the roster (and open advisor
sessions), through.

Every request must carry `Authorization: Bearer <ILP_RASA_TOKEN>`, which only the web app holds:
it sets the sender from the signed-in session, so no one who merely reaches Rasa's port can chat
as a student.

A sender the roster does not know gets one polite message and is never handed to Rasa's
message processor, so no tracker, no events and no plan rows are stored for it. Nor is a message
longer than the web app sends: the screen's rules read it, and the student is asked for shorter parts.

A message Rasa fails on is logged here by its sender and the error's type only: Rasa's own log of
that failure carries the message text (and its structured traceback every local variable).

A hand-typed intent payload ("/greet ...") the bot did not offer in the conversation is passed on as
words, without its slash, so Rasa's own payload handler cannot replace the safety screen's verdict
(the rule and why: bot.safety.payloads).
"""
from __future__ import annotations

import asyncio
import logging
import traceback
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.shared.core.events import BotUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Sanic
from sanic.exceptions import InvalidUsage, Unauthorized
from sanic.request import Request

from bot.advisors.conversation import is_advisor_conversation, is_open_conversation
from bot.config import get_settings
from bot.db.unit_of_work import UnitOfWorkFactory, units_of_work
from bot.plans.answers import MAX_ANSWER_CHARS
from bot.roster.services import is_enrolled
from bot.safety.backstop import screen_unsent_message
from bot.safety.payloads import is_intent_payload, offered_payloads, text_for_pipeline
from bot.service_auth import has_bearer_token
from bot.text import MAX_MESSAGE_CHARS, is_encodable

logger = logging.getLogger(__name__)

SIGN_IN_FIRST = ("Hi! I can only chat with students who are signed in. Please open ILP Advisor through "
                 "your school's website and sign in with the code from your counselor.")
# Said to a message over MAX_MESSAGE_CHARS (5,000), which never reaches the pipeline. The parts it asks
# for are the length a plan answer may have (MAX_ANSWER_CHARS, 1,000), the same as utter_answer_too_long.
TOO_LONG = (f"That's a lot to read! Please send it in shorter parts (under {MAX_ANSWER_CHARS:,} characters). "
            "Nothing you sent before is lost.")

OnNewMessage = Callable[[UserMessage], Awaitable[None]]
TrackerOf = Callable[[str], Awaitable[Optional[DialogueStateTracker]]]


async def stored_tracker(sender: str) -> Optional[DialogueStateTracker]:
    """The conversation's current session from Rasa's tracker store; None for a new conversation."""
    return await Sanic.get_app().ctx.agent.tracker_store.retrieve(sender)


def only_enrolled_students(on_new_message: OnNewMessage, uow_factory: UnitOfWorkFactory,
                           tracker_of: TrackerOf = stored_tracker) -> OnNewMessage:
    async def handle(message: UserMessage) -> None:
        sender = message.sender_id
        try:
            # Inside the try: a roster check that fails (the plan database down) must not reach Rasa's
            # own failure log, which prints the message text among the traceback's local variables.
            if not (isinstance(sender, str) and sender and await asyncio.to_thread(may_chat, uow_factory, sender)):
                await message.output_channel.send_text_message(str(sender or ""), SIGN_IN_FIRST)
                return
            if len(message.text or "") > MAX_MESSAGE_CHARS:
                # Never handed to the pipeline (see bot.text); the screen's rules still read it, as in the web app.
                reply = await asyncio.to_thread(screen_unsent_message, uow_factory(), sender, message.text)
                await message.output_channel.send_text_message(sender, reply or TOO_LONG)
            else:
                if is_intent_payload(message.text or ""):
                    message.text = text_for_pipeline(message.text, await _payloads_offered(tracker_of, sender))
                await on_new_message(message)
        except (Exception, asyncio.CancelledError) as error:
            # What Rasa's REST channel would do (it swallows both), minus the text in the log.
            stack = "".join(traceback.format_tb(error.__traceback__))
            logger.error("message from %s not handled: %s\n%s", sender, type(error).__name__, stack)

    return handle


async def _payloads_offered(tracker_of: TrackerOf, sender: str) -> set[str]:
    tracker = await tracker_of(sender)
    events = tracker.events if tracker is not None else []
    return offered_payloads(sender, [button for event in events if isinstance(event, BotUttered)
                                     for button in (event.data or {}).get("buttons") or []])


def may_chat(uow_factory: UnitOfWorkFactory, sender: str) -> bool:
    """An enrolled student's own conversation, or an advisor session still open."""
    if is_advisor_conversation(sender):
        return is_open_conversation(uow_factory(), sender)
    return is_enrolled(uow_factory(), sender)


def readable_request(body: Any) -> str:
    """Why a REST channel request body is not one Rasa can read; "" when it is.

    Rasa reads the body with `.get` and hands any type on: a list answered 500, a number or a
    missing "message" an empty 200 and an error log with the text.
    """
    if not isinstance(body, dict):
        return 'The body must be a JSON object like {"sender": "...", "message": "..."}.'
    for key, required in (("sender", False), ("message", True), ("input_channel", False)):
        value = body.get(key)
        if value is None and not required:
            continue
        if not isinstance(value, str):
            return f'"{key}" must be a string.'
        if not is_encodable(value):
            return f'"{key}" is not valid text.'
    if body.get("metadata") is not None and not isinstance(body["metadata"], dict):
        return '"metadata" must be a JSON object.'
    return ""


class RosterRestInput(RestInput):
    """Rasa's REST channel (/webhooks/rest/webhook) for the web app, and through it enrolled students only."""

    async def _extract_sender(self, req: Request) -> Optional[str]:
        # Rasa reads the sender first, so the caller and the whole body are checked here.
        if not has_bearer_token(req.headers.get("authorization"), get_settings().rasa_token):
            raise Unauthorized("Rasa's REST channel answers the web app only.")  # a 401
        problem = readable_request(req.json)
        if problem:
            raise InvalidUsage(problem)  # a 400
        return await super()._extract_sender(req)

    def blueprint(self, on_new_message: OnNewMessage):
        # Built once, when Rasa starts the channel.
        return super().blueprint(only_enrolled_students(on_new_message, units_of_work(get_settings())))
