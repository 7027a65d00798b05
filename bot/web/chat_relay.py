"""Passing a typed message from a web page to Rasa: the student's chat and an advisor's session.

The caller has already decided whose conversation it is (the signed-in student, or the advisor's
session with a student); this checks the text, sends it, and turns a failed or empty reply into an
error the page shows while it keeps the text to send again.
"""
from __future__ import annotations

import asyncio
import logging

from fastapi import Request
from fastapi.responses import JSONResponse

from bot.advisors.conversation import is_advisor_conversation
from bot.rasa_client import EmptyReply, RasaUnavailable
from bot.safety.backstop import screen_unsent_message
from bot.text import MAX_MESSAGE_CHARS, is_encodable
from bot.web.plan_database import uow_factory_of

logger = logging.getLogger(__name__)

BOT_UNREACHABLE = "I can't reach the chat right now. Your message is still in the box; try sending it again in a minute."
CRISIS_HANDLED_HERE = "The chat is having trouble right now, but your counselor has been told about your message."
UNREADABLE = "The message could not be read. Please try again."
TOO_LONG = f"That message is very long. Please keep it under {MAX_MESSAGE_CHARS} characters."


async def relay_message(request: Request, conversation_id: str) -> JSONResponse | dict:
    """Passes the JSON body's text to Rasa as `conversation_id` and returns the bot's messages."""
    try:
        body = await request.json()
    except ValueError:
        return JSONResponse({"error": UNREADABLE}, status_code=400)
    text = body.get("text") if isinstance(body, dict) else None
    if not isinstance(text, str) or not text.strip():
        return JSONResponse({"error": "Type a message first."}, status_code=422)
    if not is_encodable(text):
        # JSON may escape half a surrogate pair ("\ud800"): no UTF-8 for it, and no way to pass it on.
        return JSONResponse({"error": UNREADABLE}, status_code=400)
    if len(text) > MAX_MESSAGE_CHARS:
        return await _unsent(request, conversation_id, text, TOO_LONG, status_code=413, retry=False)
    try:
        metadata = {"speaker": "advisor"} if is_advisor_conversation(conversation_id) else None
        messages = await request.app.state.rasa.send_message(conversation_id, text, metadata)
    except (RasaUnavailable, EmptyReply):
        return await _unsent(request, conversation_id, text, BOT_UNREACHABLE, status_code=502, retry=True)
    return {"messages": [{"text": m.text, "buttons": m.buttons} for m in messages]}


async def _unsent(request: Request, conversation_id: str, text: str, error: str, *, status_code: int,
                  retry: bool) -> JSONResponse:
    """A message the bot will not see is still screened here: a crisis gets its reply and its flag."""
    reply = None
    try:
        reply = await asyncio.to_thread(screen_unsent_message, uow_factory_of(request)(), conversation_id, text)
    except Exception:
        logger.exception("safety backstop failed")
    if reply is None:
        return JSONResponse({"error": error, "retry": retry}, status_code=status_code)
    return JSONResponse({"messages": [{"text": reply, "buttons": []}], "notice": CRISIS_HANDLED_HERE})
