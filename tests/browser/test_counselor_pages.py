"""Counselors and admins in a real browser, against the real bot: a student's crisis reaches the queue,
is read in context and resolved; other caseloads are refused; student text never runs as script.

Students DEMO-1009 to DEMO-1012 are used here only (test_student_pages uses the others).
"""
from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from bot.db.tables import Flag, Student
from tests.browser.conftest import STAFF, say, screenshot, sign_in, unlabelled_controls
from tests.stack import ilp, rows

pytestmark = pytest.mark.browser

COUNSELOR, ADMIN = STAFF["counselor"], STAFF["admin"]
OTHER_COUNSELOR = ("other.counselor@elm-valley.example", "another-counselor-pass-1")
QUEUE_WAIT_S = 10


def student_says(page: Page, student_id: str, text: str) -> None:
    sign_in(page, student_id)
    say(page, text)


def staff_signs_in(page: Page, email: str, password: str) -> None:
    page.goto("/staff/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", name="Flags for follow-up")).to_be_visible()


def queue_row(page: Page, student_id: str):
    return page.locator("#flag-queue tr[data-flag-id]").filter(has_text=student_id)


def flags_of(stack, student_id: str) -> list[tuple[int, str]]:
    """(id, status) of the student's flags, read from the stack's plan database."""
    return rows(stack["plan_url"], select(Flag.id, Flag.status).join(Student).where(Student.external_id == student_id))


def test_a_crisis_reaches_the_counselors_queue_within_seconds_and_is_resolved(new_page, stack):
    student, counselor = new_page(), new_page()
    staff_signs_in(counselor, *COUNSELOR)
    expect(queue_row(counselor, "DEMO-1009")).to_have_count(0)

    sent_at = time.monotonic()
    student_says(student, "DEMO-1009", "i dont want to be alive anymore")
    expect(student.locator("#log li.bot").last).to_contain_text("988")
    seen_after = None
    while time.monotonic() - sent_at < QUEUE_WAIT_S:
        counselor.goto("/staff/flags")
        if queue_row(counselor, "DEMO-1009").count():
            seen_after = time.monotonic() - sent_at
            break
        time.sleep(0.5)
    assert seen_after is not None, f"the crisis was not in the counselor's queue after {QUEUE_WAIT_S} s"
    print(f"crisis visible in the queue {seen_after:.1f} s after the student pressed Send")
    row = queue_row(counselor, "DEMO-1009")
    expect(row.locator(".badge")).to_have_text("Urgent")
    screenshot(counselor, "counselor-flag-queue")
    assert unlabelled_controls(counselor) == []

    row.get_by_role("link").click()
    flagged = counselor.locator("#flagged-turn")
    expect(flagged).to_contain_text("i dont want to be alive anymore")
    expect(counselor.locator(".transcript li.bot").first).to_be_visible()
    screenshot(counselor, "counselor-flag-review")
    assert unlabelled_controls(counselor) == []
    counselor.get_by_label("Note (optional)").fill("Met with the student; family informed.")
    counselor.get_by_role("button", name="Acknowledge").click()
    expect(counselor.locator("#flag-status")).to_have_text("acknowledged")
    counselor.get_by_role("button", name="Resolve").click()
    expect(counselor.locator("#flag-status")).to_have_text("resolved")
    expect(counselor.locator("#flag-notes")).to_contain_text("family informed")
    assert [status for _, status in flags_of(stack, "DEMO-1009")] == ["resolved"]


def test_markup_in_a_students_message_shows_as_text_to_the_counselor(new_page, stack):
    typed = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned=2\"> my dad hits me"
    student, counselor = new_page(), new_page()
    student_says(student, "DEMO-1010", typed)
    expect(student.locator("#log li.bot").last).to_contain_text("988")
    [(flag_id, _)] = flags_of(stack, "DEMO-1010")
    staff_signs_in(counselor, *COUNSELOR)
    expect(queue_row(counselor, "DEMO-1010")).to_contain_text("<script>window.__pwned = 1</script>")
    counselor.goto(f"/staff/flags/{flag_id}")
    expect(counselor.locator("#flagged-turn")).to_contain_text(typed)
    expect(counselor.locator("main script, main img")).to_have_count(0)
    assert counselor.evaluate("typeof window.__pwned") == "undefined"


def test_a_counselor_of_another_caseload_gets_403(new_page, stack):
    student = new_page()
    student_says(student, "DEMO-1011", "my stepdad hurts me when he drinks")
    expect(student.locator("#log li.bot").last).to_contain_text("988")
    flags = flags_of(stack, "DEMO-1011")
    assert flags
    added = ilp(stack["env"], "users", "add", "--role", "counselor", "--school", "Elm Valley Demo School",
                "--password-stdin", OTHER_COUNSELOR[0], input=OTHER_COUNSELOR[1] + "\n")
    assert added.returncode == 0, added.stderr
    other = new_page()
    staff_signs_in(other, *OTHER_COUNSELOR)
    expect(other.locator("#flag-queue-empty")).to_be_visible()
    for path in ["/staff/students/DEMO-1011", "/staff/students/DEMO-1011/export"] + [
            f"/staff/flags/{flag_id}" for flag_id, _ in flags]:
        response = other.goto(path)
        assert response.status == 403, path
        expect(other.get_by_role("alert")).to_have_text("That student is not in your caseload.")
        expect(other.locator("main")).not_to_contain_text("Dakota")
    assert other.request.get("/staff/students/DEMO-1011/plan.pdf").status == 403


def test_student_page_reports_export_and_the_audit_log(new_page, stack):
    student = new_page()
    student_says(student, "DEMO-1012", "i love building robots and i want to be an engineer")
    counselor = new_page()
    staff_signs_in(counselor, *COUNSELOR)
    counselor.get_by_role("link", name="Students").click()
    counselor.get_by_role("link", name="Emerson Vasquez").click()
    expect(counselor.get_by_role("heading", name="Emerson Vasquez")).to_be_visible()
    expect(counselor.locator("#interest-chart svg")).to_have_attribute("aria-label", re.compile(r"^Interest profile.*Realistic \d"))
    expect(counselor.locator("#benchmark-progress")).to_contain_text("of")
    screenshot(counselor, "counselor-student-page")

    counselor.get_by_role("link", name="Printable plan").click()
    expect(counselor.get_by_role("heading", name="Individualized Learning Plan")).to_be_visible()
    screenshot(counselor, "counselor-printable-plan")
    pdf = counselor.request.get("/staff/students/DEMO-1012/plan.pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")

    counselor.get_by_role("link", name="Back").click()
    counselor.get_by_role("link", name="Reports").click()
    for chart in ("#benchmarks-chart", "#activity-chart", "#flags-chart"):
        expect(counselor.locator(f"{chart} svg[role=img]")).to_be_visible()
    csv = counselor.request.get("/staff/reports/benchmarks-by-grade.csv")
    assert csv.status == 200 and csv.text().startswith("grade,students,")
    screenshot(counselor, "counselor-reports")
    assert counselor.goto("/staff/audit").status == 403

    admin = new_page()
    staff_signs_in(admin, *ADMIN)
    admin.get_by_role("link", name="Audit log").click()
    log = admin.locator("#audit-log")
    for action in ("plan.read", "plan.export", "plan.export_pdf"):
        expect(log.locator("tr").filter(has_text=action).filter(has_text="DEMO-1012").first).to_be_visible()
    screenshot(admin, "admin-audit-log")
