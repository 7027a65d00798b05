"""Counselor and admin pages: flag queue, flag review with the transcript, students, reports, export, audit.

Every page is limited to the viewer's caseload (bot.caseload); every view of one student's plan or
conversation is audited by the service that reads it.
"""
from __future__ import annotations

import asyncio
import datetime as dt
from typing import Callable

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import RedirectResponse, Response

from bot import audit, reports
from bot import sign_in_throttle as throttle
from bot.advisors.access import advisors_of_student, assign_advisor, unassign_advisor
from bot.caseload import Viewer, caseload
from bot.db.tables import FLAG_STATUSES
from bot.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from bot.errors import InvalidInput
from bot.flag_queue import STATUS_FILTERS, UNRESOLVED, flag_queue, flags_of_student, review_flag, update_flag_in_view
from bot.flag_words import kind_words
from bot.plans.export_pdf import plan_pdf
from bot.plans.staff_reads import read_plan_view
from bot.plans.view import plan_json
from bot.rasa_client import RasaUnavailable
from bot.roster.sign_in_codes import issue_code, issue_missing_codes
from bot.safety.categories import CATEGORIES
from bot.sign_in_sessions import SignIn
from bot.staff import authenticate, set_disabled, staff_of_school
from bot.transcripts import transcript
from bot.web.charts import horizontal_bars, interest_chart, stacked_bars
from bot.web.client_address import client_address
from bot.web.plan_database import uow_factory_of
from bot.web.sessions import admin, check_csrf, counselor_or_admin, sign_in, signed_in_staff
from bot.web.templating import render

router = APIRouter(prefix="/staff")
GRADES = tuple(range(6, 13))
FLAG_ACTIONS = {"acknowledge": "acknowledged", "resolve": "resolved", "note": None}
WRONG_PASSWORD = "That email and password don't match."
FLAG_ID = Path(..., ge=1, le=2**31 - 1)  # a database integer; anything else is a 400, not a 500
STAFF_ID = Path(..., ge=1, le=2**31 - 1)  # its own: FastAPI names a Path after the first parameter using it
REPORTS: dict[str, Callable[[UnitOfWork, Viewer], list]] = {
    "benchmarks-by-grade": reports.benchmark_completion_by_grade,
    "plan-activity-by-week": reports.plan_activity_by_week,
    "flags-by-week": reports.flags_by_week,
}


@router.get("/sign-in")
async def staff_sign_in_page(request: Request):
    return render(request, "staff/sign_in.html", {"error": None})


@router.post("/sign-in", dependencies=[Depends(check_csrf)])
async def staff_sign_in(request: Request, email: str = Form(""), password: str = Form(""),
                        uow_factory: UnitOfWorkFactory = Depends(uow_factory_of)):
    def verify() -> SignIn | None:
        if email.strip() and password and len(email) <= 254 and len(password) <= 200:
            return authenticate(uow_factory(), email, password)
        return None

    try:
        signed_in = await asyncio.to_thread(throttle.attempt_sign_in, "staff", email, client_address(request), verify,
                                            uow_factory, request.app.state.clock)
    except throttle.Throttled as throttled:
        return render(request, "staff/sign_in.html", {"error": throttled.message}, status_code=429,
                      headers={"Retry-After": str(throttled.retry_after_s)})
    if signed_in is None:
        return render(request, "staff/sign_in.html", {"error": WRONG_PASSWORD}, status_code=401)
    sign_in(request, "staff_id", signed_in)
    viewer = await signed_in_staff(request)
    return RedirectResponse("/advisor" if viewer.role == "advisor" else "/staff/flags", status_code=303)


@router.get("", dependencies=[Depends(counselor_or_admin)])
async def staff_home():
    return RedirectResponse("/staff/flags", status_code=303)


@router.get("/flags")
async def flag_queue_page(request: Request, category: str = "", status: str = UNRESOLVED, grade: str = "",
                          viewer: Viewer = Depends(counselor_or_admin),
                          uow_factory: UnitOfWorkFactory = Depends(uow_factory_of)):
    grade_number = _grade(grade)
    queue = await asyncio.to_thread(flag_queue, uow_factory(), viewer, category=category or None, status=status,
                                    grade=grade_number)
    return render(request, "staff/flags.html", {
        "viewer": viewer, "queue": queue, "categories": [(name, kind_words(name).title) for name in CATEGORIES],
        "statuses": STATUS_FILTERS,
        "grades": GRADES, "selected": {"category": category, "status": status, "grade": grade_number}})


@router.get("/flags/{flag_id}")
async def flag_review_page(request: Request, flag_id: int = FLAG_ID, viewer: Viewer = Depends(counselor_or_admin),
                           uow_factory: UnitOfWorkFactory = Depends(uow_factory_of)):
    review = await asyncio.to_thread(review_flag, uow_factory(), viewer, flag_id)
    turns, transcript_error = [], None
    try:
        events = await request.app.state.rasa.conversation_events(review.conversation_id)
        turns = transcript(review.conversation_id, events, review.event_id)
    except RasaUnavailable:
        transcript_error = "The conversation cannot be loaded right now (the chat server is not answering). Try again in a minute."
    return render(request, "staff/flag.html", {
        "viewer": viewer, "review": review, "turns": turns, "transcript_error": transcript_error,
        "statuses": FLAG_STATUSES})


@router.post("/flags/{flag_id}", dependencies=[Depends(counselor_or_admin), Depends(check_csrf)])
async def update_flag_page(flag_id: int = FLAG_ID, action: str = Form(...), note: str = Form(""),
                           viewer: Viewer = Depends(counselor_or_admin),
                           uow_factory: UnitOfWorkFactory = Depends(uow_factory_of)):
    if action not in FLAG_ACTIONS:
        raise InvalidInput(f"unknown action {action!r}")
    await asyncio.to_thread(update_flag_in_view, uow_factory(), viewer, flag_id, status=FLAG_ACTIONS[action],
                            note=note)
    return RedirectResponse(f"/staff/flags/{flag_id}", status_code=303)


@router.get("/students")
async def students_page(request: Request, grade: str = "", viewer: Viewer = Depends(counselor_or_admin),
                        uow_factory: UnitOfWorkFactory = Depends(uow_factory_of)):
    grade_number = _grade(grade)
    rows = await asyncio.to_thread(caseload, uow_factory(), viewer, grade_number)
    return render(request, "staff/students.html", {"viewer": viewer, "rows": rows, "grades": GRADES,
                                                   "selected_grade": grade_number})


@router.get("/students/{student_id}")
async def student_page(request: Request, student_id: str, viewer: Viewer = Depends(counselor_or_admin),
                       uow_factory: UnitOfWorkFactory = Depends(uow_factory_of)):
    view = await asyncio.to_thread(read_plan_view, uow_factory(), viewer, student_id)
    flags = await asyncio.to_thread(flags_of_student, uow_factory(), viewer, student_id)
    advisors = await asyncio.to_thread(advisors_of_student, uow_factory(), viewer, student_id)
    return render(request, "staff/student.html", {
        "viewer": viewer, "plan": plan_json(view), "student": view.student, "flags": flags, "advisors": advisors,
        "interest_chart": interest_chart(view.interests.riasec)})


@router.post("/students/{student_id}/advisors", dependencies=[Depends(counselor_or_admin), Depends(check_csrf)])
async def assign_advisor_page(student_id: str, advisor_id: int = Form(..., ge=1, le=2**31 - 1),
                              viewer: Viewer = Depends(counselor_or_admin),
                              uow_factory: UnitOfWorkFactory = Depends(uow_factory_of)):
    await asyncio.to_thread(assign_advisor, uow_factory(), advisor_id, student_id, by=viewer)
    return RedirectResponse(f"/staff/students/{student_id}#advisors-heading", status_code=303)


@router.post("/students/{student_id}/advisors/unassign",
             dependencies=[Depends(counselor_or_admin), Depends(check_csrf)])
async def unassign_advisor_page(student_id: str, advisor_id: int = Form(..., ge=1, le=2**31 - 1),
                                viewer: Viewer = Depends(counselor_or_admin),
                                uow_factory: UnitOfWorkFactory = Depends(uow_factory_of)):
    await asyncio.to_thread(unassign_advisor, uow_factory(), advisor_id, student_id, by=viewer)
    return RedirectResponse(f"/staff/students/{student_id}#advisors-heading", status_code=303)


@router.post("/students/{student_id}/sign-in-code", dependencies=[Depends(counselor_or_admin), Depends(check_csrf)])
async def new_sign_in_code(request: Request, student_id: str, viewer: Viewer = Depends(counselor_or_admin),
                           uow_factory: UnitOfWorkFactory = Depends(uow_factory_of)):
    issued = await asyncio.to_thread(issue_code, uow_factory(), viewer, student_id)
    return render(request, "staff/sign_in_codes.html", {"viewer": viewer, "issued": [issued]})


@router.post("/sign-in-codes", dependencies=[Depends(counselor_or_admin), Depends(check_csrf)])
async def missing_sign_in_codes(request: Request, viewer: Viewer = Depends(counselor_or_admin),
                                uow_factory: UnitOfWorkFactory = Depends(uow_factory_of)):
    issued = await asyncio.to_thread(issue_missing_codes, uow_factory(), viewer)
    return render(request, "staff/sign_in_codes.html", {"viewer": viewer, "issued": issued})


# The printable plan and its PDF are for the family: no staff or advisor notes.
@router.get("/students/{student_id}/export")
async def printable_plan(request: Request, student_id: str, viewer: Viewer = Depends(counselor_or_admin),
                         uow_factory: UnitOfWorkFactory = Depends(uow_factory_of)):
    read = await asyncio.to_thread(read_plan_view, uow_factory(), viewer, student_id, action="plan.export")
    view = read.for_family()
    return render(request, "staff/export.html", {
        "plan": plan_json(view), "student": view.student, "interest_chart": interest_chart(view.interests.riasec),
        "today": dt.date.today()})


@router.get("/students/{student_id}/plan.pdf")
async def plan_as_pdf(student_id: str, viewer: Viewer = Depends(counselor_or_admin),
                      uow_factory: UnitOfWorkFactory = Depends(uow_factory_of)):
    plan = await asyncio.to_thread(read_plan_view, uow_factory(), viewer, student_id, action="plan.export_pdf")
    pdf = await asyncio.to_thread(plan_pdf, plan.for_family(), generated_on=dt.date.today())
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="ilp-{plan.student.external_id}.pdf"',
        "Cache-Control": "no-store"})


@router.get("/reports")
async def reports_page(request: Request, viewer: Viewer = Depends(counselor_or_admin),
                       uow_factory: UnitOfWorkFactory = Depends(uow_factory_of)):
    by_grade, activity, flags = await asyncio.gather(*(
        asyncio.to_thread(report, uow_factory(), viewer) for report in REPORTS.values()))
    # Each kind of flag by its name in words (the CSV keeps the category codes).
    flags = [{kind_words(name).title if name != "week_start" else name: value for name, value in row.items()}
             for row in flags]
    return render(request, "staff/reports.html", {
        "viewer": viewer, "by_grade": by_grade, "activity": activity, "flags": flags,
        "grade_chart": horizontal_bars([(f"Grade {row.grade}", row.percent_done, f"{row.percent_done:g}%")
                                        for row in by_grade], maximum=100),
        "activity_chart": stacked_bars([(f"{row.week_start:%b} {row.week_start.day}", {"plan items": row.plan_items})
                                        for row in activity], ["plan items"]),
        "flags_chart": stacked_bars([(f"{row['week_start']:%b} {row['week_start'].day}",
                                      {name: count for name, count in row.items() if name != "week_start"})
                                     for row in flags], [kind_words(name).title for name in CATEGORIES])})


@router.get("/reports/{name}.csv")
async def report_csv(name: str, viewer: Viewer = Depends(counselor_or_admin),
                     uow_factory: UnitOfWorkFactory = Depends(uow_factory_of)):
    if name not in REPORTS:
        raise InvalidInput(f"no report named {name!r}; the reports are {', '.join(REPORTS)}")
    rows = await asyncio.to_thread(REPORTS[name], uow_factory(), viewer)
    return Response(reports.report_csv(rows), media_type="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}.csv"', "Cache-Control": "no-store"})


@router.get("/users")
async def staff_accounts_page(request: Request, viewer: Viewer = Depends(admin),
                              uow_factory: UnitOfWorkFactory = Depends(uow_factory_of)):
    rows = await asyncio.to_thread(staff_of_school, uow_factory(), viewer.school_id)
    return render(request, "staff/users.html", {"viewer": viewer, "rows": rows})


@router.post("/users/{staff_id}/disable", dependencies=[Depends(admin), Depends(check_csrf)])
async def disable_staff_page(staff_id: int = STAFF_ID, viewer: Viewer = Depends(admin),
                             uow_factory: UnitOfWorkFactory = Depends(uow_factory_of)):
    await asyncio.to_thread(set_disabled, uow_factory(), staff_id, True, by=viewer)
    return RedirectResponse("/staff/users", status_code=303)


@router.get("/audit")
async def audit_page(request: Request, action: str = "", viewer: Viewer = Depends(admin),
                     uow_factory: UnitOfWorkFactory = Depends(uow_factory_of)):
    entries = await asyncio.to_thread(audit.school_entries, uow_factory(), viewer.school_id, action=action or None)
    return render(request, "staff/audit.html", {"viewer": viewer, "entries": entries, "action": action})


def _grade(value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit() or int(value) not in GRADES:
        raise InvalidInput("grade must be a number from 6 to 12")
    return int(value)
