"""Student pages: sign-in with a counselor's code, the chat and its message API, and "my plan".

The server sets the Rasa sender ID from the signed-in session, so a student can only ever read or
write their own conversation. An empty or failed reply from Rasa is an error the student sees, and
the page keeps their text to send again.
"""
from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from bot import sign_in_throttle as throttle
from bot.db.unit_of_work import UnitOfWork
from bot.plans.services import family_view, student_plan
from bot.roster.services import authenticate_student
from bot.sign_in_sessions import SignIn
from bot.web.charts import interest_chart
from bot.web.chat_relay import relay_message
from bot.web.client_address import client_address
from bot.web.sessions import SignInRequired, check_csrf, sign_in, sign_out, signed_in_student
from bot.web.templating import render

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
async def student_sign_in(request: Request, student_id: str = Form(""), code: str = Form("")):
    def verify() -> SignIn | None:
        if student_id.strip() and code.strip() and len(student_id) <= 64 and len(code) <= 64:
            return authenticate_student(UnitOfWork(), student_id, code)
        return None

    try:
        signed_in = await asyncio.to_thread(throttle.attempt_sign_in, "student", student_id,
                                            client_address(request), verify, clock=request.app.state.clock)
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
async def chat_page(request: Request, student_id: str = Depends(signed_in_student)):
    return render(request, "chat.html", {"student_id": student_id})


@router.get("/plan")
async def my_plan_page(request: Request, student_id: str = Depends(signed_in_student)):
    plan = family_view(await asyncio.to_thread(student_plan, UnitOfWork(), student_id))
    return render(request, "my_plan.html", {"plan": plan, "interest_chart": interest_chart(plan["interests"]["riasec"])})


@router.post("/api/messages", dependencies=[Depends(signed_in_student), Depends(check_csrf)])
async def send_message(request: Request, student_id: str = Depends(signed_in_student)):
    return await relay_message(request, student_id)
