"""Student pages: sign-in with a counselor's code, the chat and its message API, and "my plan".

The server sets the Rasa sender ID from the signed-in session, so a student can only ever read or
write their own conversation. An empty or failed reply from Rasa is an error the student sees, and
the page keeps their text to send again.
"""
from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse

from bot import sign_in_throttle as throttle
from bot.advisors.conversation import is_advisor_conversation
from bot.db.unit_of_work import UnitOfWork
from bot.plans.services import student_plan
from bot.rasa_client import EmptyReply, RasaUnavailable
from bot.roster.services import authenticate_student
from bot.safety.backstop import screen_unsent_message
from bot.text import MAX_MESSAGE_CHARS, is_encodable
from bot.web.charts import interest_chart
from bot.web.sessions import check_csrf, sign_in, signed_in_student
from bot.web.templating import render

logger = logging.getLogger(__name__)
router = APIRouter()

BOT_UNREACHABLE = "I can't reach the chat right now. Your message is still in the box; try sending it again in a minute."
CRISIS_HANDLED_HERE = "The chat is having trouble right now, but your counselor has been told about your message."
UNREADABLE = "The message could not be read. Please try again."
TOO_LONG = f"That message is very long. Please keep it under {MAX_MESSAGE_CHARS} characters."
WRONG_CODE = "That student ID and code don't match. Check the card from your counselor."


@router.get("/")
async def sign_in_page(request: Request):
    if request.session.get("student_id"):
        return RedirectResponse("/chat", status_code=303)
    return render(request, "sign_in.html", {"error": None})


@router.post("/sign-in", dependencies=[Depends(check_csrf)])
async def student_sign_in(request: Request, student_id: str = Form(""), code: str = Form("")):
    def verify() -> str | None:
        if student_id.strip() and code.strip() and len(student_id) <= 64 and len(code) <= 64:
            return authenticate_student(UnitOfWork(), student_id, code)
        return None

    try:
        external_id = await asyncio.to_thread(throttle.attempt_sign_in, "student", student_id,
                                              client_address(request), verify)
    except throttle.Throttled:
        return render(request, "sign_in.html", {"error": throttle.THROTTLED}, status_code=429)
    if external_id is None:
        return render(request, "sign_in.html", {"error": WRONG_CODE}, status_code=401)
    sign_in(request, student_id=external_id)
    return RedirectResponse("/chat", status_code=303)


@router.post("/sign-out", dependencies=[Depends(check_csrf)])
async def sign_out(request: Request):
    staff = "staff_id" in request.session
    request.session.clear()
    return RedirectResponse("/staff/sign-in" if staff else "/", status_code=303)


@router.get("/chat")
async def chat_page(request: Request, student_id: str = Depends(signed_in_student)):
    return render(request, "chat.html", {"student_id": student_id})


@router.get("/plan")
async def my_plan_page(request: Request, student_id: str = Depends(signed_in_student)):
    plan = await asyncio.to_thread(student_plan, UnitOfWork(), student_id)
    plan.pop("notes")  # notes are for staff; a counselor decides what to share from them
    return render(request, "my_plan.html", {"plan": plan, "interest_chart": interest_chart(plan["interests"]["riasec"])})


@router.post("/api/messages", dependencies=[Depends(signed_in_student), Depends(check_csrf)])
async def send_message(request: Request, student_id: str = Depends(signed_in_student)):
    return await relay_message(request, student_id)


async def relay_message(request: Request, conversation_id: str) -> JSONResponse | dict:
    """Passes the JSON body's text to Rasa as `conversation_id` and returns the bot's messages.

    Shared by the student's chat and an advisor's session: both are checked and screened the same way.
    """
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
        return await _unsent(conversation_id, text, TOO_LONG, status_code=413, retry=False)
    try:
        metadata = {"speaker": "advisor"} if is_advisor_conversation(conversation_id) else None
        messages = await request.app.state.rasa.send_message(conversation_id, text, metadata)
    except (RasaUnavailable, EmptyReply):
        return await _unsent(conversation_id, text, BOT_UNREACHABLE, status_code=502, retry=True)
    return {"messages": [{"text": m.text, "buttons": m.buttons} for m in messages]}


async def _unsent(conversation_id: str, text: str, error: str, *, status_code: int, retry: bool) -> JSONResponse:
    """A message the bot will not see is still screened here: a crisis gets its reply and its flag."""
    reply = None
    try:
        reply = await asyncio.to_thread(screen_unsent_message, UnitOfWork(), conversation_id, text)
    except Exception:
        logger.exception("safety backstop failed")
    if reply is None:
        return JSONResponse({"error": error, "retry": retry}, status_code=status_code)
    return JSONResponse({"messages": [{"text": reply, "buttons": []}], "notice": CRISIS_HANDLED_HERE})


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
