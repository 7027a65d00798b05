"""A community advisor in a real browser, against the real bot: assigned students only, consent before a
session, a grade-8 script run to its end (typed answers, option buttons, Back, Skip-free branch, notes, a
reload that resumes the script), ending a grade-10 session early, a disclosure that flags the student,
and the pages an advisor may not open.

Students DEMO-1005, DEMO-1006 and DEMO-1008 are used here for advisor sessions (assigned to the demo
advisor in data/demo/school.yml). test_student_pages signs some of them in as students too, so every
database check here is scoped to the session's own conversation, never to the whole plan.
"""
from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from bot.data_files import load_yaml
from bot.db.tables import (
    AdvisorSession, Answer, CareerInterest, Flag, Plan, PlanNote, StaffUser, Student,
)
from bot.web.sessions import CSRF_FIELD
from tests.browser.conftest import STAFF, screenshot, unlabelled_controls
from tests.stack import rows, scalar

pytestmark = pytest.mark.browser

ADVISOR = STAFF["advisor"]
ASSIGNED = ("DEMO-1005", "DEMO-1006", "DEMO-1008", "DEMO-1009")
NAMES = {sid: f"{first} {last}" for sid, first, last, _grade, _code in load_yaml("demo/school.yml")["students"]}
GRADE8 = "8th grade: interests, careers and high school classes"
GRADE10 = "10th grade: career goal, plans after high school and trying out work"
START_PAYLOAD = "/start_advisor_session"
FLAG_WAIT_S = 10
SESSION_URL = re.compile(r"/advisor/sessions/(\d+)$")


# --- helpers -----------------------------------------------------------------------------------------

def advisor_signs_in(page: Page) -> None:
    email, password = ADVISOR
    page.goto("/staff/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/advisor$"))
    expect(page.get_by_role("heading", name="Students you meet")).to_be_visible()


def script_log(page: Page):
    return page.get_by_role("list", name="Session script")


def latest_bot(page: Page):
    return script_log(page).locator("li.bot").last


def latest_step(page: Page):
    """The newest bot message with buttons: the step being asked."""
    return script_log(page).locator("li.bot").filter(has=page.locator("button.choice")).last


def advisor_types(page: Page, text: str) -> None:
    """Types what the student said, clicks Send and waits for the box to empty (the reply is shown)."""
    box = page.get_by_label("What the student said")
    box.fill(text)
    page.get_by_role("button", name="Send", exact=True).click()
    expect(box).to_have_value("")


def click_choice(page: Page, name: str) -> None:
    latest_step(page).get_by_role("button", name=name, exact=True).click()
    expect(script_log(page).locator("li.student").last).to_contain_text(name)


def expect_step(page: Page, number: int, total: int, title: str) -> None:
    expect(latest_step(page)).to_contain_text(f"Step {number} of {total}: {title}")
    expect(latest_bot(page)).to_contain_text(f"Step {number} of {total}: {title}")


def open_student(page: Page, student_id: str) -> None:
    page.goto("/advisor")
    page.get_by_role("link", name=NAMES[student_id], exact=True).click()
    expect(page.get_by_role("heading", name=NAMES[student_id], exact=True)).to_be_visible()


def start_session(page: Page, student_id: str, script_title: str) -> int:
    """Opens the student, ticks consent, starts the (preselected) script, waits for step 1; returns the session id."""
    open_student(page, student_id)
    expect(page.get_by_role("radio", name=re.compile(re.escape(script_title)))).to_be_checked()
    page.get_by_label("The student agreed to this session").check()
    page.get_by_role("button", name="Start the session").click()
    expect(page).to_have_url(SESSION_URL)
    expect(latest_bot(page)).to_contain_text("Step 1 of ")
    return int(SESSION_URL.search(page.url).group(1))


def session_row(stack, session_id: int):
    [row] = rows(stack["plan_url"], select(AdvisorSession.conversation_id, AdvisorSession.status,
                                           AdvisorSession.current_step).where(AdvisorSession.id == session_id))
    return row


def session_answers(stack, student_id: str, conversation_id: str) -> list:
    """(author_role, author_staff_id, topic, text) of the answers the session's messages saved."""
    return rows(stack["plan_url"], select(Answer.author_role, Answer.author_staff_id, Answer.topic, Answer.text)
                .join(Plan, Answer.plan_id == Plan.id).join(Student, Plan.student_id == Student.id)
                .where(Student.external_id == student_id, Answer.source_event.like(f"{conversation_id}:%"))
                .order_by(Answer.id))


def sessions_of(stack, student_id: str) -> int:
    return scalar(stack["plan_url"], select(func.count(AdvisorSession.id))
                  .join(Student, AdvisorSession.student_id == Student.id).where(Student.external_id == student_id))


def advisor_staff_id(stack) -> int:
    return scalar(stack["plan_url"], select(StaffUser.id).where(StaffUser.email == ADVISOR[0]))


# --- tests -------------------------------------------------------------------------------------------

def test_an_advisor_runs_a_grade_8_session_to_its_end(new_page, stack):
    page = new_page()
    advisor_signs_in(page)

    # Only the assigned students are listed.
    table = page.locator("#assigned-students")
    for student_id in ASSIGNED:
        expect(table.get_by_role("link", name=NAMES[student_id], exact=True)).to_be_visible()
    for student_id, name in NAMES.items():
        if student_id not in ASSIGNED:
            expect(table).not_to_contain_text(name)
    screenshot(page, "advisor-students")
    assert unlabelled_controls(page) == []

    # No session starts without the student's agreement: the browser refuses, and so does the server.
    open_student(page, "DEMO-1005")
    expect(page.get_by_role("radio", name=re.compile(re.escape(GRADE8)))).to_be_checked()
    before = sessions_of(stack, "DEMO-1005")
    consent = page.get_by_label("The student agreed to this session")
    expect(consent).not_to_be_checked()
    page.get_by_role("button", name="Start the session").click()
    expect(page).to_have_url(re.compile(r"/advisor/students/DEMO-1005$"))
    assert consent.evaluate("el => el.validity.valueMissing")
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    refused = page.request.post("/advisor/students/DEMO-1005/sessions",
                                form={"script_id": "grade8_session", CSRF_FIELD: token}, max_redirects=0)
    assert refused.status == 400
    assert "Tick the box" in refused.text()
    assert sessions_of(stack, "DEMO-1005") == before
    screenshot(page, "advisor-start-session")

    consent.check()
    page.get_by_role("button", name="Start the session").click()
    expect(page).to_have_url(SESSION_URL)
    session_id = int(SESSION_URL.search(page.url).group(1))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Morgan Achebe")
    expect(script_log(page).locator("li.bot").first).to_contain_text(f'Starting "{GRADE8}" with Morgan Achebe')
    expect_step(page, 1, 9, "Say hello")
    expect(latest_step(page).locator("button.choice")).to_have_text(["Skip", "Back", "End session"])
    conversation_id, status, _ = session_row(stack, session_id)
    assert conversation_id.startswith("advisor-") and status == "open"

    advisor_types(page, "Pretty good, my science class is fun")
    expect(script_log(page)).to_contain_text("Saved. Answer: Pretty good, my science class is fun")
    expect_step(page, 2, 9, "What you enjoy")

    advisor_types(page, "I love drawing and playing soccer")
    expect(script_log(page).locator("li.bot").filter(has_text="Saved. Interests:")).to_contain_text(
        re.compile(r"Interests: .*draw.*soccer", re.IGNORECASE))
    expect_step(page, 3, 9, "A career in mind?")
    expect(latest_step(page).locator("button.choice")).to_have_text(
        ["Yes, I have an idea", "Maybe one or two", "No idea yet", "Skip", "Back", "End session"])
    screenshot(page, "advisor-session")
    assert unlabelled_controls(page) == []

    # "No idea yet" branches to the exploration step; Back returns to the question.
    click_choice(page, "No idea yet")
    expect_step(page, 4, 9, "Where you'd like to work")
    click_choice(page, "Back")
    expect_step(page, 3, 9, "A career in mind?")
    click_choice(page, "Yes, I have an idea")
    expect_step(page, 4, 9, "Careers to explore")

    advisor_types(page, "maybe a nurse or an electrician")
    expect(script_log(page).locator("li.bot").filter(has_text="Saved. Careers to explore:")).to_contain_text(
        "Registered Nurse")
    expect_step(page, 5, 9, "High school classes")
    # The plan beside the chat is rendered again after each answer...
    expect(page.locator("#plan-panel section[aria-labelledby=careers-heading]")).to_contain_text("Registered Nurse")
    expect(latest_step(page).locator("button.choice")).to_have_text(
        ["Add these courses", "Not now", "Skip", "Back", "End session"])

    # ...and by the server on a reload, which also resumes the script where it was.
    page.reload()
    expect(page.locator("section[aria-labelledby=careers-heading]")).to_contain_text("Registered Nurse")
    expect(page.locator("section[aria-labelledby=interests-heading]")).to_contain_text(
        re.compile(r"draw.*soccer", re.IGNORECASE))
    expect(script_log(page).locator("li.bot").first).to_contain_text(
        f'Back to "{GRADE8}" with Morgan Achebe. We were at step 5 of 9.')
    expect_step(page, 5, 9, "High school classes")
    _, status, current_step = session_row(stack, session_id)
    assert (status, current_step) == ("open", "high_school_classes"), "the reload moved the script on"

    click_choice(page, "Add these courses")
    expect(script_log(page).locator("li.bot").filter(has_text="Saved. Course plan:")).to_contain_text("courses added")
    expect_step(page, 6, 9, "One thing to try")

    # A note beside the script: saved, listed after the redirect, and the script resumes again.
    page.get_by_label("Add a note for the student's plan (the counselor sees it)").fill("Ask about the robotics club")
    page.get_by_role("button", name="Save note").click()
    expect(page).to_have_url(re.compile(rf"/advisor/sessions/{session_id}#notes-heading$"))
    expect(page.locator("#session-notes")).to_contain_text("Ask about the robotics club")
    expect(script_log(page).locator("li.bot").first).to_contain_text("We were at step 6 of 9.")
    expect_step(page, 6, 9, "One thing to try")

    advisor_types(page, "look up what an electrician does")
    expect(script_log(page)).to_contain_text("Saved. Goal: look up what an electrician does")
    expect_step(page, 7, 9, "Note for the counselor")

    advisor_types(page, "She wants to know about summer programs")
    summary = latest_bot(page)
    expect(summary).to_contain_text(f'The session "{GRADE8}" with Morgan Achebe is complete.')
    for saved in ("Saved to the plan:", "- Answer: Pretty good, my science class is fun", "- Interests:",
                  "- Answer: Yes, I have an idea", "- Careers to explore: Registered Nurse", "- Course plan:",
                  "- Goal: look up what an electrician does", "- Note: She wants to know about summer programs",
                  "Notes added: 2."):
        expect(summary).to_contain_text(saved)
    expect(summary).not_to_contain_text("No idea yet")  # answered again after Back: the newest answer counts
    expect(summary.locator("button")).to_have_count(0)
    screenshot(page, "advisor-session-summary")

    # The finished session: no message box any more, its summary and notes on the page.
    page.reload()
    expect(page.locator("#session-summary-intro")).to_have_text("This session is complete.")
    expect(page.locator("#session-summary")).to_contain_text("Careers to explore: Registered Nurse")
    expect(page.get_by_label("What the student said")).to_have_count(0)
    expect(page.locator("#session-notes li")).to_have_text(
        ["Ask about the robotics club", "She wants to know about summer programs"])
    assert unlabelled_controls(page) == []

    # The database: every answer the session saved is the advisor's, the session finished, the notes exist.
    _, status, current_step = session_row(stack, session_id)
    assert (status, current_step) == ("finished", None)
    answers = session_answers(stack, "DEMO-1005", conversation_id)
    assert answers, "the session saved no answers"
    assert {(role, staff) for role, staff, _topic, _text in answers} == {("advisor", advisor_staff_id(stack))}
    assert START_PAYLOAD not in [text for *_rest, text in answers], "the start payload was saved as an answer"
    careers = rows(stack["plan_url"], select(CareerInterest.title, CareerInterest.author_role)
                   .where(CareerInterest.source_event.like(f"{conversation_id}:%")))
    assert ("Registered Nurse", "advisor") in careers
    notes = rows(stack["plan_url"], select(PlanNote.text, PlanNote.author_role)
                 .where(PlanNote.advisor_session_id == session_id).order_by(PlanNote.id))
    assert notes == [("Ask about the robotics club", "advisor"), ("She wants to know about summer programs", "advisor")]


def test_an_advisor_ends_a_grade_10_session_early(new_page, stack):
    page = new_page()
    advisor_signs_in(page)
    session_id = start_session(page, "DEMO-1008", GRADE10)
    expect_step(page, 1, 10, "Say hello")

    advisor_types(page, "Good, I joined the basketball team")
    expect(script_log(page)).to_contain_text("Saved. Answer: Good, I joined the basketball team")
    expect_step(page, 2, 10, "Career goal check")
    click_choice(page, "End session")
    summary = latest_bot(page)
    expect(summary).to_contain_text(f'The session "{GRADE10}" with Skyler Dubois ended early.')
    expect(summary).to_contain_text("- Answer: Good, I joined the basketball team")
    screenshot(page, "advisor-session-ended-early")

    page.reload()
    expect(page.locator("#session-summary-intro")).to_have_text("This session ended early.")
    expect(page.locator("#session-summary")).to_contain_text("Answer: Good, I joined the basketball team")
    expect(page.get_by_label("What the student said")).to_have_count(0)
    expect(page.get_by_role("list", name="Session script")).to_have_count(0)

    conversation_id, status, current_step = session_row(stack, session_id)
    assert (status, current_step) == ("ended_early", None)
    answers = session_answers(stack, "DEMO-1008", conversation_id)
    assert [(role, text) for role, _staff, _topic, text in answers] == [
        ("advisor", "Good, I joined the basketball team")]

    # The student's page lists the session as ended early; messages to it are refused.
    open_student(page, "DEMO-1008")
    expect(page.locator("section[aria-labelledby=sessions-heading]")).to_contain_text(GRADE10)
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    late = page.request.post(f"/advisor/sessions/{session_id}/messages", data={"text": "hello"},
                             headers={"X-CSRF-Token": token})
    assert late.status == 400 and "This session has ended" in late.json()["error"]


def test_a_disclosure_typed_by_the_advisor_flags_the_student_at_once(new_page, stack):
    page = new_page()
    advisor_signs_in(page)
    session_id = start_session(page, "DEMO-1006", GRADE8)
    expect_step(page, 1, 9, "Say hello")
    conversation_id, _, _ = session_row(stack, session_id)

    advisor_types(page, "Good, I like art class")
    expect_step(page, 2, 9, "What you enjoy")

    disclosure = "she told me her stepdad hits her when he is drunk"
    advisor_types(page, disclosure)
    reply = latest_bot(page).locator("p")
    expect(reply).to_have_text(re.compile(r"^Pause the script\."))
    expect(reply).to_contain_text("abuse")
    expect(reply).to_contain_text("911")
    screenshot(page, "advisor-session-disclosure")

    query = (select(Flag.category, Flag.severity, Flag.conversation_id, Flag.excerpt).join(Student)
             .where(Student.external_id == "DEMO-1006", Flag.conversation_id == conversation_id))
    deadline = time.monotonic() + FLAG_WAIT_S
    flags = rows(stack["plan_url"], query)
    while not flags and time.monotonic() < deadline:
        time.sleep(0.25)
        flags = rows(stack["plan_url"], query)
    assert flags, f"no flag for DEMO-1006 from {conversation_id} after {FLAG_WAIT_S} s"
    assert [(category, severity) for category, severity, _conv, _excerpt in flags] == [("abuse", "urgent")]
    assert flags[0][2].startswith("advisor-")
    assert "stepdad" in flags[0][3]
    # The disclosure is not an answer to the step, and nothing moved.
    assert disclosure not in [text for *_rest, text in session_answers(stack, "DEMO-1006", conversation_id)]
    _, status, current_step = session_row(stack, session_id)
    assert (status, current_step) == ("open", "free_time")

    # Going on: Continue sends the start payload again and the script is back at the step it paused on.
    page.get_by_role("button", name="Continue the script").click()
    expect(script_log(page).locator("li.bot").last).to_contain_text("What you enjoy")
    expect(script_log(page)).to_contain_text(f'Back to "{GRADE8}" with Taylor Nakamura. We were at step 2 of 9.')
    expect_step(page, 2, 9, "What you enjoy")
    assert [text for *_rest, text in session_answers(stack, "DEMO-1006", conversation_id)] == ["Good, I like art class"]


def test_an_advisor_cannot_open_other_students_or_staff_pages(new_page, stack):
    page = new_page()
    advisor_signs_in(page)

    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    response = page.goto("/advisor/students/DEMO-1001")
    assert response.status == 403
    expect(page.get_by_role("alert")).to_have_text("That student is not in your caseload.")
    expect(page.locator("main")).not_to_contain_text(NAMES["DEMO-1001"])
    before = sessions_of(stack, "DEMO-1001")
    refused = page.request.post("/advisor/students/DEMO-1001/sessions", max_redirects=0,
                                form={"script_id": "grade8_session", "consent": "yes", CSRF_FIELD: token})
    assert refused.status == 403
    assert sessions_of(stack, "DEMO-1001") == before

    for path in ("/staff/flags", "/staff/students/DEMO-1005", "/staff/students/DEMO-1005/export"):
        response = page.goto(path)
        assert response.status == 403, path
        expect(page.get_by_role("alert")).to_have_text("Your account cannot open this page.")
        expect(page.locator("main")).not_to_contain_text("Achebe")
    pdf = page.request.get("/staff/students/DEMO-1005/plan.pdf", max_redirects=0)
    assert pdf.status == 403 and not pdf.body().startswith(b"%PDF")
