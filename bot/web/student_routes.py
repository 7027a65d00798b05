"""Student pages: sign-in with a counselor's code, the chat and its message API, "my plan", and the careers
to browse and search, each with its profile.

The server sets the Rasa sender ID from the signed-in session, so a student can only ever read or
write their own conversation. An empty or failed reply from Rasa is an error the student sees, and
the page keeps their text to send again.
"""
from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse

from bot import sign_in_throttle as throttle
from bot.careers.profiles import browse_clusters, career_profile, search_careers
from bot.chat_history import recent_conversation
from bot.db.unit_of_work import UnitOfWorkFactory
from bot.errors import InvalidInput
from bot.plans.services import student_plan_view
from bot.roster.services import authenticate_student
from bot.sign_in_sessions import SignIn
from bot.web.charts import interest_chart
from bot.web.chat_relay import relay_message
from bot.web.client_address import client_address
from bot.web.my_plan_view import my_plan
from bot.web.plan_database import uow_factory_of
from bot.web.sessions import SignInRequired, check_csrf, sign_in, sign_out, signed_in_student
from bot.web.templating import render
from bot.web.welcome_back import PAYLOAD_TITLES, welcome_back

router = APIRouter()

WRONG_CODE = "That student ID and code don't match. Check the card from your counselor."


@router.get("/")
async def sign_in_page(request: Request):
    if "student_id" in request.session:
        try:
            await signed_in_student(request)
            return RedirectResponse("/chat", status_code=303)
        except SignInRequired:
            pass  # the session has ended: sign in again here
    return render(request, "sign_in.html", {"error": None})


@router.post("/sign-in", dependencies=[Depends(check_csrf)])
async def student_sign_in(request: Request, student_id: str = Form(""), code: str = Form(""),
                          uow_factory: UnitOfWorkFactory = Depends(uow_factory_of)):
    def verify() -> SignIn | None:
        if student_id.strip() and code.strip() and len(student_id) <= 64 and len(code) <= 64:
            return authenticate_student(uow_factory(), student_id, code)
        return None

    try:
        signed_in = await asyncio.to_thread(throttle.attempt_sign_in, "student", student_id,
                                            client_address(request), verify, uow_factory,
                                            request.app.state.clock)
    except throttle.Throttled as throttled:
        return render(request, "sign_in.html", {"error": throttled.message}, status_code=429,
                      headers={"Retry-After": str(throttled.retry_after_s)})
    if signed_in is None:
        return render(request, "sign_in.html", {"error": WRONG_CODE}, status_code=401)
    sign_in(request, "student_id", signed_in)
    return RedirectResponse("/chat", status_code=303)


@router.post("/sign-out", dependencies=[Depends(check_csrf)])
async def sign_out_page(request: Request):
    return RedirectResponse(await sign_out(request), status_code=303)


@router.get("/chat")
async def chat_page(request: Request, student_id: str = Depends(signed_in_student),
                    uow_factory: UnitOfWorkFactory = Depends(uow_factory_of)):
    """The chat; a returning student sees their recent messages and a greeting that says where they left off."""
    today = request.app.state.clock().date()

    def earlier():
        conversation = recent_conversation(request.app.state.tracker_url, student_id, PAYLOAD_TITLES)
        if not conversation.returning:
            return conversation, None
        return conversation, welcome_back(uow_factory, student_id, conversation.last_intent, today)

    conversation, greeting = await asyncio.to_thread(earlier)
    return render(request, "chat.html", {"history": conversation.messages, "greeting": greeting})


@router.get("/plan")
async def my_plan_page(request: Request, student_id: str = Depends(signed_in_student),
                       uow_factory: UnitOfWorkFactory = Depends(uow_factory_of)):
    """My plan in plain words (bot/web/my_plan_view.py); staff and advisors' notes are not part of it."""
    plan = await asyncio.to_thread(student_plan_view, uow_factory(), student_id)
    return render(request, "my_plan.html", {"view": my_plan(plan, request.app.state.clock().date()),
                                            "interest_chart": interest_chart(plan.interests.riasec)})


@router.get("/careers", dependencies=[Depends(signed_in_student)])
async def careers_page(request: Request, q: str = "", cluster: str = "",
                       uow_factory: UnitOfWorkFactory = Depends(uow_factory_of)):
    """Search careers by words, browse them by cluster (the 2024 framework), or both."""
    found = await asyncio.to_thread(search_careers, uow_factory(), q, cluster)
    return render(request, "careers.html", {"search": found, "clusters": browse_clusters(),
                                            "searched": bool(found.query or found.cluster)})


@router.get("/careers/{onet_soc}", dependencies=[Depends(signed_in_student)])
async def career_page(request: Request, onet_soc: str, uow_factory: UnitOfWorkFactory = Depends(uow_factory_of)):
    try:
        profile = await asyncio.to_thread(career_profile, uow_factory(), onet_soc)
    except InvalidInput:
        raise HTTPException(status_code=404) from None
    return render(request, "career.html", {"profile": profile})


@router.post("/api/messages", dependencies=[Depends(signed_in_student), Depends(check_csrf)])
async def send_message(request: Request, student_id: str = Depends(signed_in_student)):
    return await relay_message(request, student_id)
