"""Accessibility (WCAG 2.1 AA) in a real browser, against the real bot.

axe-core runs on every page a student, counselor, advisor or admin can reach, at 1280×800 and at 360×640, and
fails on any violation. At both sizes each page is also walked with the keyboard (every focus indicator at 3:1
against what is behind it, nothing focused under another element); its charts are checked (series colours at
3:1 against the page and told apart by pattern, text at 12 px or more at 360 px), it must not scroll sideways at
360 px, and it is saved as var/artifacts/screenshots/a11y-<page>-360.png. Then what axe cannot see: the newest
reply and a focused reply button stay above the message box at both sizes, focus moves to the new reply after
a reply button, a conversation done with the keyboard alone, and what the live regions announce.

Students A11Y-01 to A11Y-10 are added to the demo school here, and a counselor issues their codes (the other
browser modules use the DEMO- students).
"""
from __future__ import annotations

import csv
import re
import time

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from bot.db.tables import InventoryResponse, Plan, Student
from bot.web.chat_relay import BOT_UNREACHABLE
from tests.browser.accessibility import (
    PHONE, WIDE, axe_violations, covered, focus_ring_problem, focused_covered, small_chart_text, tab_through,
    weak_chart_colours,
)
from tests.browser.conftest import STAFF, say, screenshot, sign_in
from tests.stack import ilp, rows

pytestmark = pytest.mark.browser

SCHOOL = "Cedar Ridge Demo School"
COUNSELOR, ADVISOR, ADMIN = STAFF["counselor"], STAFF["advisor"], STAFF["admin"]
ROSTER = [  # student_id, first name, last name, grade: one student per test, so no conversation leaks into another
    ("A11Y-01", "Robin", "Adeyemi", 7),      # the student's pages
    ("A11Y-02", "Sasha", "Ivanova", 9),      # a crisis message, for the counselor's flag pages
    ("A11Y-03", "Kai", "Moreno", 8),         # an advisor session
    ("A11Y-04", "Lee", "Fontaine", 6),       # the newest reply above the message box, 1280 px
    ("A11Y-05", "Noor", "Haddad", 6),        # the same at 360 px
    ("A11Y-06", "Ari", "Kowalski", 7),       # focus after a reply button, 1280 px
    ("A11Y-07", "Jules", "Mbeki", 7),        # the same at 360 px
    ("A11Y-08", "Remy", "Laurent", 9),       # a conversation with the keyboard alone
    ("A11Y-09", "Devon", "Park", 10),        # live regions on the chat
    ("A11Y-10", "Mika", "Sorensen", 8),      # live regions on an advisor session
]
SESSION_URL = re.compile(r"/advisor/sessions/(\d+)$")
FLAG_WAIT_S = 10


@pytest.fixture(scope="module")
def codes(stack, browser: Browser, tmp_path_factory) -> dict[str, str]:
    """Adds ROSTER to the demo school (the demo counselor's caseload; A11Y-03 and A11Y-10 assigned to the demo
    advisor) and issues their sign-in codes as the counselor does, from the printable cards."""
    roster = tmp_path_factory.mktemp("a11y-roster") / "roster.csv"
    with roster.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student_id", "first_name", "last_name", "grade", "school", "counselor_email"])
        writer.writerows([*row, SCHOOL, COUNSELOR[0]] for row in ROSTER)
    for command in (("roster", "import", str(roster)), ("advisors", "assign", ADVISOR[0], "A11Y-03", "A11Y-10")):
        done = ilp(stack["env"], *command)
        assert done.returncode == 0, done.stderr
    context = browser.new_context(base_url=stack["web"])
    try:
        page = context.new_page()
        staff_signs_in(page, *COUNSELOR)
        page.goto("/staff/students")
        page.get_by_role("button", name="Print sign-in codes for students who have none").click()
        cards = page.locator("#sign-in-codes [data-student-id]")
        expect(cards).to_have_count(len(ROSTER))
        return {cards.nth(index).get_attribute("data-student-id"): cards.nth(index).inner_text()
                for index in range(cards.count())}
    finally:
        context.close()


class Audit:
    """Checks pages one by one and keeps every problem, so one run lists all of them."""

    def __init__(self) -> None:
        self.problems: dict[str, list[str]] = {}

    def check(self, page: Page, name: str) -> None:
        """axe and a Tab through the page at 1280×800 and at 360×640, chart colours and chart text, no sideways
        scrolling at 360 px; a screenshot at 360 px."""
        page.set_viewport_size(WIDE)
        found = [f"axe at 1280 px: {violation}" for violation in axe_violations(page)]
        found += [f"Tab at 1280 px: {problem}" for problem in tab_through(page)]
        found += [f"chart colours: {problem}" for problem in weak_chart_colours(page)]
        page.set_viewport_size(PHONE)
        found += [f"axe at 360 px: {violation}" for violation in axe_violations(page)]
        found += [f"Tab at 360 px: {problem}" for problem in tab_through(page)]
        found += [f"chart text at 360 px: {problem}" for problem in small_chart_text(page)]
        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            found.append("at 360 px the page scrolls sideways")
        page.evaluate("() => document.activeElement && document.activeElement.blur()")  # no ring left from the walk
        screenshot(page, f"a11y-{name}-360")
        page.set_viewport_size(WIDE)
        if found:
            self.problems[name] = found

    def assert_clean(self) -> None:
        report = "\n".join(f"{name}:\n  " + "\n  ".join(found) for name, found in self.problems.items())
        assert not self.problems, f"accessibility problems on {len(self.problems)} page(s):\n{report}"


# --- helpers -----------------------------------------------------------------------------------------

def staff_signs_in(page: Page, email: str, password: str) -> None:
    page.goto("/staff/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("navigation")).to_be_visible()


def conversation(page: Page):
    return page.get_by_role("list", name="Conversation")


def newest_reply(page: Page):
    return conversation(page).locator("li.bot").last


def first_new_reply(page: Page):
    """The bot's first message after the student's last one (a reply can be several messages)."""
    return conversation(page).locator("li.student + li.bot").last


def chat_ready(page: Page) -> None:
    """chat.js has run (it enables Send)."""
    expect(page.get_by_role("button", name="Send", exact=True)).to_be_enabled()


def focused_text(page: Page) -> str:
    return page.evaluate("document.activeElement.textContent.trim()")


def focused_id(page: Page) -> str:
    return page.evaluate("document.activeElement.id")


def press_until(page: Page, key: str, reached, *, most: int) -> None:
    """Presses `key` until `reached()` holds, at most `most` times; the caller asserts where focus is."""
    for _ in range(most):
        page.keyboard.press(key)
        if reached():
            return


def advisor_answers(page: Page, text: str) -> None:
    box = page.get_by_label("What the student said")
    box.fill(text)
    page.get_by_role("button", name="Send", exact=True).click()
    expect(box).to_have_value("")


def inventory_responses(stack, student_id: str) -> list[str]:
    return [response for (response,) in rows(stack["plan_url"], select(InventoryResponse.response)
                                             .join(Plan, InventoryResponse.plan_id == Plan.id)
                                             .join(Student, Plan.student_id == Student.id)
                                             .where(Student.external_id == student_id))]


# --- every page, with axe ----------------------------------------------------------------------------

def test_every_student_page_passes_axe_at_1280_and_360_px(new_page, codes):
    page, audit = new_page(WIDE), Audit()
    # The web app's answer when Rasa is down, for the chat's error state. One route, set before the first page
    # loads (see test_student_pages): it passes messages on until the fault is switched on.
    fault = {"on": False}

    def relay(route):
        if fault["on"]:
            route.fulfill(status=502, json={"error": BOT_UNREACHABLE, "retry": True})
        else:
            route.continue_()

    page.route("**/api/messages", relay)
    page.goto("/")
    audit.check(page, "student-sign-in")
    sign_in(page, "A11Y-01", "NOT-THE-CODE")
    expect(page.get_by_role("alert")).to_be_visible()
    audit.check(page, "student-sign-in-wrong-code")

    sign_in(page, "A11Y-01", codes["A11Y-01"])
    chat_ready(page)
    audit.check(page, "student-chat-empty")
    say(page, "hi")
    expect(newest_reply(page).locator("button.choice").first).to_be_visible()
    audit.check(page, "student-chat-buttons")
    newest_reply(page).get_by_role("button", name="Take the interest quiz").click()
    expect(newest_reply(page)).to_contain_text("Question 1 of ")
    newest_reply(page).get_by_role("button", name="Not sure").click()
    expect(newest_reply(page)).to_contain_text("Question 2 of ")
    audit.check(page, "student-chat-quiz")

    fault["on"] = True
    page.get_by_label("Your message").fill("are you there?")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text(BOT_UNREACHABLE)
    audit.check(page, "student-chat-error")

    page.goto("/plan")
    expect(page.get_by_role("heading", name="My plan", exact=True)).to_be_visible()
    audit.check(page, "student-my-plan")
    assert page.goto("/no-such-page").status == 404
    audit.check(page, "not-found")
    audit.assert_clean()


def test_every_counselor_and_admin_page_passes_axe_at_1280_and_360_px(new_page, codes):
    student = new_page(WIDE)
    sign_in(student, "A11Y-02", codes["A11Y-02"])
    say(student, "i dont want to be alive anymore")
    expect(newest_reply(student)).to_contain_text("988")

    page, audit = new_page(WIDE), Audit()
    page.goto("/staff/sign-in")
    audit.check(page, "staff-sign-in")
    page.get_by_label("Email").fill(COUNSELOR[0])
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    audit.check(page, "staff-sign-in-wrong-password")

    staff_signs_in(page, *COUNSELOR)
    expect(page.get_by_role("heading", name="Flags for follow-up")).to_be_visible()
    row = page.locator("#flag-queue tr[data-flag-id]").filter(has_text="A11Y-02")
    deadline = time.monotonic() + FLAG_WAIT_S
    while not row.count() and time.monotonic() < deadline:
        time.sleep(0.5)
        page.goto("/staff/flags")
    expect(row).to_have_count(1)
    audit.check(page, "counselor-flag-queue")
    row.get_by_role("link").click()
    expect(page.locator("#flagged-turn")).to_be_visible()
    audit.check(page, "counselor-flag-review")
    page.get_by_role("link", name="Students", exact=True).click()
    audit.check(page, "counselor-students")
    page.get_by_role("link", name="Sasha Ivanova").click()
    expect(page.get_by_role("heading", name="Sasha Ivanova")).to_be_visible()
    audit.check(page, "counselor-student")
    page.get_by_role("link", name="Printable plan").click()
    expect(page.get_by_role("heading", name="Individualized Learning Plan")).to_be_visible()
    audit.check(page, "counselor-printable-plan")
    page.goto("/staff/students/A11Y-02")
    page.get_by_role("button", name="New sign-in code").click()
    expect(page.locator("#sign-in-codes")).to_contain_text("A11Y-02")
    audit.check(page, "counselor-sign-in-codes")
    page.goto("/staff/reports")
    expect(page.locator("#flags-chart")).to_be_visible()
    audit.check(page, "counselor-reports")
    assert page.goto("/staff/audit").status == 403
    audit.check(page, "counselor-forbidden")

    admin = new_page(WIDE)
    staff_signs_in(admin, *ADMIN)
    admin.get_by_role("link", name="Staff", exact=True).click()
    expect(admin.locator("#staff-users")).to_be_visible()
    audit.check(admin, "admin-staff")
    admin.get_by_role("link", name="Audit log").click()
    expect(admin.locator("#audit-log")).to_be_visible()
    audit.check(admin, "admin-audit-log")
    audit.assert_clean()


def test_every_advisor_page_passes_axe_at_1280_and_360_px(new_page, codes):
    page, audit = new_page(WIDE), Audit()
    staff_signs_in(page, *ADVISOR)
    expect(page.get_by_role("heading", name="Students you meet")).to_be_visible()
    audit.check(page, "advisor-students")
    page.get_by_role("link", name="Kai Moreno", exact=True).click()
    audit.check(page, "advisor-student")
    page.get_by_label("The student agreed to this session").check()
    page.get_by_role("button", name="Start the session").click()
    expect(page).to_have_url(SESSION_URL)
    log = page.get_by_role("list", name="Session script")
    expect(log.locator("li.bot").last).to_contain_text("Step 1 of ")
    audit.check(page, "advisor-session-step-1")
    advisor_answers(page, "Good, I like art class")
    expect(log.locator("li.bot").last).to_contain_text("Step 2 of ")
    audit.check(page, "advisor-session-step-2")

    log.locator("li.bot").last.get_by_role("button", name="End session").click()
    expect(log.locator("li.bot").last).to_contain_text("ended early")
    page.reload()
    expect(page.locator("#session-summary-intro")).to_have_text("This session ended early.")
    audit.check(page, "advisor-session-ended")
    assert page.goto("/staff/flags").status == 403
    audit.check(page, "advisor-forbidden")
    audit.assert_clean()


# --- what axe cannot see -----------------------------------------------------------------------------

@pytest.mark.parametrize("student_id, viewport", [("A11Y-04", WIDE), ("A11Y-05", PHONE)], ids=["1280x800", "360x640"])
def test_the_newest_reply_and_a_focused_reply_button_stay_above_the_message_box(new_page, codes, student_id, viewport):
    page = new_page(viewport)
    sign_in(page, student_id, codes[student_id])
    say(page, "hi")
    expect(newest_reply(page).locator("button.choice").first).to_be_visible()
    assert covered(newest_reply(page)) == []
    say(page, "take the interest quiz")
    expect(newest_reply(page)).to_contain_text("Question 1 of ")
    assert covered(newest_reply(page)) == []
    for number in (2, 3):
        newest_reply(page).get_by_role("button", name="Not sure").click()
        expect(newest_reply(page)).to_contain_text(f"Question {number} of ")
        assert covered(newest_reply(page)) == [], f"after question {number - 1}"
    screenshot(page, f"a11y-newest-reply-{viewport['width']}", full_page=False)  # the window, message box and all

    # From the message box, Shift+Tab walks back through the newest reply's buttons, then the older ones.
    page.get_by_label("Your message").focus()
    hidden = {}
    for _ in range(12):
        page.keyboard.press("Shift+Tab")
        if not page.evaluate("document.activeElement.matches('#log button')"):
            break
        if problems := focused_covered(page):
            hidden[focused_text(page)] = problems
    assert hidden == {}, f"focused reply buttons hidden at {viewport['width']} px: {hidden}"


@pytest.mark.parametrize("student_id, viewport", [("A11Y-06", WIDE), ("A11Y-07", PHONE)], ids=["1280x800", "360x640"])
def test_after_a_reply_button_focus_moves_to_the_new_reply(new_page, codes, student_id, viewport):
    page = new_page(viewport)
    sign_in(page, student_id, codes[student_id])
    say(page, "hi")
    expect(newest_reply(page).get_by_role("button", name="Take the interest quiz")).to_be_visible()
    page.get_by_label("Your message").focus()
    press_until(page, "Shift+Tab", lambda: focused_text(page) == "Take the interest quiz", most=4)
    assert focused_text(page) == "Take the interest quiz"
    page.keyboard.press("Enter")
    expect(newest_reply(page)).to_contain_text("Question 1 of ")
    expect(first_new_reply(page)).to_be_focused()
    assert focused_covered(page) == []
    assert focus_ring_problem(page) is None

    page.keyboard.press("Tab")  # into the new reply's buttons
    expect(newest_reply(page).locator("button.choice").first).to_be_focused()
    assert focused_covered(page) == []
    page.keyboard.press("Space")
    expect(newest_reply(page)).to_contain_text("Question 2 of ")
    expect(first_new_reply(page)).to_be_focused()
    assert focused_covered(page) == []


def test_a_whole_conversation_with_the_keyboard_alone(new_page, codes, stack):
    page = new_page(WIDE)
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    press_until(page, "Tab", lambda: focused_id(page) == "student_id", most=6)
    page.keyboard.type("A11Y-08")
    page.keyboard.press("Tab")
    page.keyboard.type(codes["A11Y-08"])
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/chat$"))
    chat_ready(page)

    box = page.get_by_label("Your message")
    press_until(page, "Tab", lambda: focused_id(page) == "text", most=12)
    expect(box).to_be_focused()
    page.keyboard.type("hi")
    page.keyboard.press("Enter")
    expect(newest_reply(page).get_by_role("button", name="Take the interest quiz")).to_be_visible()
    expect(box).to_be_focused()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert focused_text(page) == "Take the interest quiz"
    page.keyboard.press("Enter")
    expect(newest_reply(page)).to_contain_text("Question 1 of ")
    expect(first_new_reply(page)).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # Like, then Not sure
    assert "Not sure" in focused_text(page)
    page.keyboard.press("Enter")
    expect(newest_reply(page)).to_contain_text("Question 2 of ")
    expect(first_new_reply(page)).to_be_focused()

    press_until(page, "Tab", lambda: focused_id(page) == "text", most=8)  # past this reply's buttons
    expect(box).to_be_focused()
    page.keyboard.type("like")
    page.keyboard.press("Enter")
    expect(newest_reply(page)).to_contain_text("Question 3 of ")
    expect(box).to_have_value("")
    expect(box).to_be_focused()
    assert sorted(inventory_responses(stack, "A11Y-08")) == ["like", "unsure"]

    # Back up past every reply button to the navigation, and on to My plan.
    press_until(page, "Shift+Tab", lambda: focused_text(page) == "My plan", most=40)
    assert focused_text(page) == "My plan"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="My plan", exact=True)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Interest quiz: 2 of ")


def test_live_regions_announce_the_replies_and_the_status_but_not_the_students_own_words(new_page, codes):
    page = new_page(WIDE)
    sign_in(page, "A11Y-09", codes["A11Y-09"])
    chat_ready(page)
    live = "[aria-live]:not([aria-live=off]), [role=log], [role=status], [role=alert]"
    # The status areas are in the page from the start (a live region that appears is often not read).
    for area in ("#typing", "#status"):
        assert page.evaluate(f"""() => {{ const el = document.querySelector('{area}');
            return !el.hidden && getComputedStyle(el).display !== 'none' && el.matches('{live}'); }}""")
    say(page, "hi")
    expect(newest_reply(page)).to_be_visible()
    # What the student typed is not inside a live region, so it is not read back to them...
    assert page.evaluate(f"document.querySelector('#log li.student').closest('{live}')") is None
    # ...and the bot's reply is announced by one.
    reply = newest_reply(page).locator("p").inner_text()
    announced = page.evaluate(f"[...document.querySelectorAll('{live}')].map(el => el.textContent).join(' ')")
    assert reply in announced


def test_the_advisor_hears_that_the_plan_changed_not_the_whole_plan(new_page, codes):
    page = new_page(WIDE)
    staff_signs_in(page, *ADVISOR)
    page.get_by_role("link", name="Mika Sorensen", exact=True).click()
    page.get_by_label("The student agreed to this session").check()
    page.get_by_role("button", name="Start the session").click()
    log = page.get_by_role("list", name="Session script")
    expect(log.locator("li.bot").last).to_contain_text("Step 1 of ")
    # The plan beside the script is rebuilt after every answer: as a live region it would be read out whole.
    live = "[aria-live]:not([aria-live=off]), [role=status], [role=log], [role=alert]"
    assert page.evaluate(f"document.getElementById('plan-panel').closest('{live}')") is None
    advisor_answers(page, "Good, my science class is fun")
    expect(log.locator("li.bot").last).to_contain_text("Step 2 of ")
    advisor_answers(page, "I love drawing and playing soccer")  # interests: the panel changes
    expect(log.locator("li.bot").last).to_contain_text("Step 3 of ")
    expect(page.locator("#plan-panel section[aria-labelledby=interests-heading]")).to_contain_text(
        re.compile(r"draw", re.IGNORECASE))
    expect(page.get_by_role("status").filter(has_text="Plan updated")).to_have_count(1)
    # What the advisor typed is not read back to them either.
    assert page.evaluate(f"document.querySelector('#log li.student').closest('{live}')") is None
