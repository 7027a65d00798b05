"""Community advisor pages: assigned students, starting a session with consent, and the session itself.

The session page shows the plan sections the script touches beside the chat. The chat goes through
this app to Rasa under the session's own conversation ID (never the student's), set by the server.
"""
from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import RedirectResponse

from bot.advisors.access import (
    add_session_note,
    advisor_caseload,
    advisor_student,
    open_session_conversation,
    session_page,
    start_session,
)
from bot.advisors.conversation import START_PAYLOAD
from bot.caseload import Viewer
from bot.db.unit_of_work import UnitOfWorkFactory
from bot.web.charts import interest_chart
from bot.web.chat_relay import relay_message
from bot.web.plan_database import uow_factory_of
from bot.web.sessions import advisor, check_csrf
from bot.web.templating import render

router = APIRouter(prefix="/advisor")
SESSION_ID = Path(..., ge=1, le=2**31 - 1)


@router.get("")
async def assigned_students_page(request: Request, viewer: Viewer = Depends(advisor),
                                 uow_factory: UnitOfWorkFactory = Depends(uow_factory_of)):
    rows = await asyncio.to_thread(advisor_caseload, uow_factory(), viewer)
    return render(request, "advisor/students.html", {"viewer": viewer, "rows": rows})


@router.get("/students/{student_id}")
async def student_page(request: Request, student_id: str, viewer: Viewer = Depends(advisor),
                       uow_factory: UnitOfWorkFactory = Depends(uow_factory_of)):
    student = await asyncio.to_thread(advisor_student, uow_factory(), viewer, student_id)
    return render(request, "advisor/student.html", {"viewer": viewer, "student": student, "error": None})


@router.post("/students/{student_id}/sessions", dependencies=[Depends(check_csrf)])
async def new_session(request: Request, student_id: str, script_id: str = Form(""), consent: str = Form(""),
                      viewer: Viewer = Depends(advisor), uow_factory: UnitOfWorkFactory = Depends(uow_factory_of)):
    session_id = await asyncio.to_thread(start_session, uow_factory(), viewer, student_id, script_id,
                                         consent=consent == "yes")
    return RedirectResponse(f"/advisor/sessions/{session_id}", status_code=303)


@router.get("/sessions/{session_id}")
async def session_view(request: Request, session_id: int = SESSION_ID, viewer: Viewer = Depends(advisor),
                       uow_factory: UnitOfWorkFactory = Depends(uow_factory_of)):
    return await _session_template(request, uow_factory, viewer, session_id, "advisor/session.html")


@router.get("/sessions/{session_id}/plan")
async def session_plan_panel(request: Request, session_id: int = SESSION_ID, viewer: Viewer = Depends(advisor),
                             uow_factory: UnitOfWorkFactory = Depends(uow_factory_of)):
    """The plan beside the chat, fetched again by chat.js after each answer (each fetch is an audited read)."""
    return await _session_template(request, uow_factory, viewer, session_id, "advisor/plan_panel.html")


async def _session_template(request: Request, uow_factory: UnitOfWorkFactory, viewer: Viewer, session_id: int,
                            template: str):
    page = await asyncio.to_thread(session_page, uow_factory(), viewer, session_id)
    plan = {**page.sections, "grade": page.grade}
    chart = interest_chart(plan["interests"]["riasec"]) if "interests" in plan else None
    return render(request, template, {
        "viewer": viewer, "page": page, "plan": plan, "interest_chart": chart, "student_view": False,
        "start_payload": START_PAYLOAD})


@router.post("/sessions/{session_id}/messages", dependencies=[Depends(check_csrf)])
async def session_message(request: Request, session_id: int = SESSION_ID, viewer: Viewer = Depends(advisor),
                          uow_factory: UnitOfWorkFactory = Depends(uow_factory_of)):
    conversation_id = await asyncio.to_thread(open_session_conversation, uow_factory(), viewer, session_id)
    return await relay_message(request, conversation_id)


@router.post("/sessions/{session_id}/notes", dependencies=[Depends(check_csrf)])
async def session_note(session_id: int = SESSION_ID, note: str = Form(""), viewer: Viewer = Depends(advisor),
                       uow_factory: UnitOfWorkFactory = Depends(uow_factory_of)):
    await asyncio.to_thread(add_session_note, uow_factory(), viewer, session_id, note)
    return RedirectResponse(f"/advisor/sessions/{session_id}#notes-heading", status_code=303)
