"""A counselor reviews a flag in a long conversation, in a real browser against the real bot: the page opens at the
flagged message (through the link's #flagged-turn with and without JavaScript, and by flag.js without the
fragment), highlighted and focused; the quiz buttons the student tapped show as their titles; a note is signed
with the counselor's name; the page passes axe at both sizes. And an advisor hears, during the session, of a
career goal the path after high school does not reach. Students sign in with their ID in lower case.

Students FLAG-01 and FLAG-02 are added to the demo school here (the other browser modules use their own).
"""
from __future__ import annotations

import csv
import re
import time

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import create_engine, select, update

from bot.db.tables import Flag, Student
from bot.security import hash_secret
from tests.browser.accessibility import PHONE, WIDE, axe_violations, tab_through
from tests.browser.conftest import STAFF, TIMEOUT_MS, screenshot, sign_in
from tests.stack import ilp, post_to_rest_channel, rows

pytestmark = pytest.mark.browser

SCHOOL = "Cedar Ridge Demo School"
COUNSELOR, ADVISOR = STAFF["counselor"], STAFF["advisor"]
COUNSELOR_NAME = "Ms. Demo Counselor"  # data/demo/school.yml
LONG, SESSION = "FLAG-01", "FLAG-02"
CODES = {LONG: "FLAGCODE1", SESSION: "FLAGCODE2"}
QUIZ_ANSWERS = 30  # with the bot's questions, a conversation many times the height of its box
CRISIS = "i dont want to be alive anymore"
FLAG_WAIT_S = 10


@pytest.fixture(scope="module")
def students(stack, tmp_path_factory) -> None:
    """FLAG-01 (grade 9) and FLAG-02 (grade 10, assigned to the demo advisor) in the demo counselor's caseload,
    with known sign-in codes."""
    roster = tmp_path_factory.mktemp("flag-roster") / "roster.csv"
    with roster.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student_id", "first_name", "last_name", "grade", "school", "counselor_email"])
        writer.writerows([[LONG, "Lane", "Ortiz", 9, SCHOOL, COUNSELOR[0]],
                          [SESSION, "Sam", "Whitfield", 10, SCHOOL, COUNSELOR[0]]])
    for command in (("roster", "import", str(roster)), ("advisors", "assign", ADVISOR[0], SESSION)):
        done = ilp(stack["env"], *command)
        assert done.returncode == 0, done.stderr
    engine = create_engine(stack["plan_url"], future=True)
    try:
        with engine.begin() as connection:
            for student_id, code in CODES.items():
                connection.execute(update(Student).where(Student.external_id == student_id)
                                   .values(sign_in_code_hash=hash_secret(code)))
    finally:
        engine.dispose()


def student_sends(stack, text: str) -> list[dict]:
    """What the chat page sends for FLAG-01 (typed words, or a tapped button's payload); the bot's replies."""
    response = post_to_rest_channel(stack, {"sender": LONG, "message": text})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module")
def long_conversation(stack, students) -> dict:
    """FLAG-01 answers 30 quiz questions with the buttons, writes something that raises an urgent flag, then a
    little more: returns the flag's id and the titles of the buttons tapped."""
    replies = student_sends(stack, "can i take the interest quiz")
    tapped = []
    for number in range(QUIZ_ANSWERS):
        buttons = [b for m in replies for b in m.get("buttons") or [] if b["payload"].startswith("/answer_inventory")]
        assert buttons, f"no quiz buttons after {number} answers: {replies}"
        button = buttons[number % len(buttons)]
        tapped.append(button["title"])
        replies = student_sends(stack, button["payload"])
    student_sends(stack, CRISIS)
    for text in ("ok", "thanks"):
        student_sends(stack, text)
    deadline = time.monotonic() + FLAG_WAIT_S
    while time.monotonic() < deadline:
        flags = rows(stack["plan_url"], select(Flag.id).join(Student).where(Student.external_id == LONG,
                                                                           Flag.severity == "urgent"))
        if flags:
            return {"flag_id": flags[0][0], "tapped": tapped}
        time.sleep(0.5)
    raise AssertionError(f"no urgent flag for {LONG} after {FLAG_WAIT_S} s")


def staff_signs_in(page: Page, email: str, password: str) -> None:
    page.goto("/staff/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("navigation")).to_be_visible()


SHOWN = """() => {
    const turn = document.getElementById('flagged-turn'), box = turn.closest('.transcript-scroll');
    const t = turn.getBoundingClientRect(), b = box.getBoundingClientRect();
    return {inBox: t.top >= b.top - 1 && t.bottom <= b.bottom + 1,
            inWindow: t.top >= 0 && t.bottom <= window.innerHeight,
            boxScrolled: box.scrollTop, boxTall: box.scrollHeight / box.clientHeight,
            pageScrolled: window.scrollY, focused: document.activeElement === turn};
}"""


def test_the_flag_page_opens_at_the_flagged_message_of_a_long_conversation(new_page, stack, long_conversation):
    flag_id = long_conversation["flag_id"]
    page = new_page(WIDE)
    staff_signs_in(page, *COUNSELOR)
    row = page.locator(f'#flag-queue tr[data-flag-id="{flag_id}"]')
    expect(row.locator(".badge")).to_have_text("Urgent")
    expect(row).to_contain_text("Possible self-harm or suicide risk")
    row.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/staff/flags/{flag_id}#flagged-turn$"))
    flagged = page.locator("#flagged-turn")
    expect(flagged).to_contain_text(CRISIS)
    expect(flagged).to_be_in_viewport()
    expect(flagged).to_be_focused()
    shown = page.evaluate(SHOWN)
    assert shown["boxTall"] > 3 and shown["boxScrolled"] > 0 and shown["inBox"] and shown["inWindow"], shown
    # Highlighted: its own colour, unlike the student's other messages.
    colours = page.evaluate("""() => [...document.querySelectorAll('.transcript li.student')]
        .map(li => [li.id, getComputedStyle(li).backgroundColor])""")
    others = {colour for turn_id, colour in colours if turn_id != "flagged-turn"}
    assert dict(colours)["flagged-turn"] not in others, colours
    screenshot(page, "counselor-flag-review-long", full_page=False)

    # What the student saw and tapped: each press as its button's title, never the payload.
    transcript = page.locator(".transcript")
    expect(transcript).not_to_contain_text("/answer_inventory")
    expect(transcript).not_to_contain_text("inventory_item")
    presses = transcript.locator("li.student .tapped-title")
    expect(presses).to_have_count(QUIZ_ANSWERS)
    assert presses.all_inner_texts() == long_conversation["tapped"]
    expect(transcript.locator(".shown-buttons li.tapped")).to_have_count(QUIZ_ANSWERS)

    # A note is signed with the counselor's name.
    page.get_by_label("Note (optional)").fill("Checked in with Lane; family called.")
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.locator("#flag-notes .note-author")).to_have_text(f"{COUNSELOR_NAME} (counselor)")
    expect(page.locator("#flag-notes")).to_contain_text("family called")

    # Opened without the fragment (a bookmark, the URL typed): the page stays at its top, the box at the message.
    page.goto(f"/staff/flags/{flag_id}")
    expect(flagged).to_be_visible()
    shown = page.evaluate(SHOWN)
    assert shown["pageScrolled"] == 0 and shown["boxScrolled"] > 0 and shown["inBox"] and shown["inWindow"], shown
    for size in (WIDE, PHONE):
        page.set_viewport_size(size)
        assert axe_violations(page) == [], size
        assert tab_through(page) == [], size
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scroll at 360


def test_without_javascript_the_link_still_opens_at_the_flagged_message(browser: Browser, stack, long_conversation):
    context = browser.new_context(base_url=stack["web"], viewport=WIDE, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        staff_signs_in(page, *COUNSELOR)
        page.locator(f'#flag-queue tr[data-flag-id="{long_conversation["flag_id"]}"]').get_by_role("link").click()
        expect(page.locator("#flagged-turn")).to_be_in_viewport()
        shown = page.evaluate(SHOWN)  # Playwright evaluates even where the page's own scripts may not run
        assert shown["boxScrolled"] > 0 and shown["inBox"] and shown["inWindow"], shown
        screenshot(page, "counselor-flag-review-no-javascript", full_page=False)
    finally:
        context.close()


def test_a_student_signs_in_with_their_id_in_lower_case(new_page, students):
    page = new_page(WIDE)
    sign_in(page, LONG.lower(), CODES[LONG].lower())
    expect(page).to_have_url(re.compile(r"/chat$"))


def test_the_advisor_is_told_during_the_session_when_the_path_does_not_reach_the_career_goal(new_page, stack, students):
    page = new_page(WIDE)
    staff_signs_in(page, *ADVISOR)
    page.get_by_role("link", name="Sam Whitfield", exact=True).click()
    page.get_by_role("radio", name=re.compile("10th grade")).check()
    page.get_by_label("The student agreed to this session").check()
    page.get_by_role("button", name="Start the session").click()
    log = page.get_by_role("list", name="Session script")
    expect(log.locator("li.bot").last).to_contain_text("Step 1 of ")
    for answer in ("good to meet you", None, "now I want to be a dentist", "a community college first"):
        if answer is None:
            step = log.locator("li.bot").filter(has=page.locator("button.choice")).last
            step.get_by_role("button", name="Changed my mind", exact=True).click()
            expect(log.locator("li.student").last).to_contain_text("Changed my mind")
            continue
        box = page.get_by_label("What the student said")
        box.fill(answer)
        page.get_by_role("button", name="Send", exact=True).click()
        expect(box).to_have_value("")
    sentence = "Dentist usually needs a doctoral or professional degree; the plan says a 2-year college."
    expect(log.locator("li.bot").filter(has_text="Saved. After high school")).to_contain_text(sentence)
    warning = page.locator("#plan-panel #plan-misalignment")  # the panel chat.js fetches again after each answer
    expect(warning).to_contain_text(sentence)
    expect(page.get_by_role("status").filter(has_text="Plan updated")).to_have_count(1)
    screenshot(page, "advisor-session-misalignment")
    for size in (WIDE, PHONE):
        page.set_viewport_size(size)
        assert axe_violations(page) == [], size
