"""The chat and My plan where students use them: on 360 px and 390 px phones and a 1366×768 Chromebook, with the
real bot (issue 19).

The newest reply and its last button end above the sticky message box (the real bot's career matches, and a
canned reply taller than the window, as long as the issue's walk-through met); the student's own message shows
the moment it is sent, before the reply (held back here), and one that cannot be sent stays, marked, with a way
to try again; a returning student opens the chat on their recent messages and a greeting that says where they
left off. Each size is saved as var/artifacts/screenshots/student-*-<width>.png.

Students CHAT-01 to CHAT-07 are added to the demo school here, one per test, so no conversation leaks into another.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from bot.web.chat_relay import BOT_UNREACHABLE
from tests.browser.accessibility import covered
from tests.browser.conftest import enrol_students, say, screenshot, sign_in

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 640}
PHONE = {"width": 390, "height": 844}
CHROMEBOOK = {"width": 1366, "height": 768}
SIZES = [SMALL_PHONE, PHONE, CHROMEBOOK]
SIZE_IDS = ["360x640", "390x844", "1366x768"]
ROSTER = [  # student_id, first name, last name, grade
    ("CHAT-01", "Ana", "Reyes", 11),        # career matches at 360 px
    ("CHAT-02", "Diego", "Morales", 11),    # the same at 390 px
    ("CHAT-03", "Valeria", "Cruz", 11),     # the same at 1366 px
    ("CHAT-04", "Luis", "Herrera", 9),      # the student's message before the reply
    ("CHAT-05", "Sofia", "Ramos", 9),       # a message that cannot be sent
    ("CHAT-06", "Mateo", "Flores", 8),      # a returning student
    ("CHAT-07", "Camila", "Ortiz", 10),     # a reply taller than the window (canned: Rasa is not asked)
]
# Career matches as long as the walk-through met them (raw O*NET prose), each with Save and Tell me more.
TALL_REPLY = [{"text": "Here are some careers that fit you:", "buttons": []}] + [
    {"text": f"{title}: Pilot and navigate the flight of fixed-wing aircraft on nonscheduled air carrier routes, or "
             "aircraft that carry cargo. Includes charter pilots with similar certification. Excludes regional, "
             "national and international airline pilots. Why: it fits your hands-on side.",
     "buttons": [{"title": f"Save {title}", "payload": "/share_career_goal"},
                 {"title": "Tell me more", "payload": "/ask_career_info"}]}
    for title in ("Commercial Pilots", "Fish and Game Wardens", "Dentists", "Electricians", "Surveyors")]
STUDENT_FOR_SIZE = {360: "CHAT-01", 390: "CHAT-02", 1366: "CHAT-03"}


@pytest.fixture(scope="module")
def codes(stack, browser: Browser, tmp_path_factory) -> dict[str, str]:
    return enrol_students(stack, browser, tmp_path_factory.mktemp("chat-roster"), ROSTER)


def open_at(new_page, size: dict) -> Page:
    phone = size["width"] < 600
    return new_page(size, is_mobile=phone, has_touch=phone)


def conversation(page: Page):
    return page.get_by_role("list", name="Conversation")


def newest_reply(page: Page):
    return conversation(page).locator("li.bot").last


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_the_newest_reply_and_its_last_button_end_above_the_message_box(new_page, codes, size):
    student_id = STUDENT_FOR_SIZE[size["width"]]
    page = open_at(new_page, size)
    sign_in(page, student_id, codes[student_id])
    say(page, "i love fixing engines and building robots")
    say(page, "what jobs fit me?")
    # Career matches: several messages, each with its Save and Tell me more buttons: taller than a phone's window.
    expect(newest_reply(page).get_by_role("button", name="Tell me more")).to_be_visible()
    assert conversation(page).locator("li.bot").count() >= 4
    assert covered(newest_reply(page)) == []
    last_button = newest_reply(page).get_by_role("button").last
    assert covered(last_button) == [], f"the newest reply's last button ({last_button.inner_text()}) is hidden"
    screenshot(page, f"student-chat-newest-reply-{size['width']}", full_page=False)  # the window, box and all


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_a_reply_taller_than_the_window_ends_with_its_last_button_above_the_box(new_page, codes, size):
    page = open_at(new_page, size)
    page.route("**/api/messages", lambda route: route.fulfill(json={"messages": TALL_REPLY}))
    sign_in(page, "CHAT-07", codes["CHAT-07"])
    say(page, "what jobs fit me")
    expect(conversation(page).locator("li.bot")).to_have_count(len(TALL_REPLY))
    assert covered(newest_reply(page)) == []
    last_button = newest_reply(page).get_by_role("button").last
    assert covered(last_button) == [], "the last Save / Tell me more button is hidden"
    screenshot(page, f"student-chat-tall-reply-{size['width']}", full_page=False)


def test_the_students_message_shows_at_once_and_the_reply_after_it(new_page, codes):
    page = open_at(new_page, PHONE)
    held = []
    page.route("**/api/messages", lambda route: held.append(route))  # held back until the test lets it through
    sign_in(page, "CHAT-04", codes["CHAT-04"])
    box = page.get_by_label("Your message")
    box.fill("hi there")
    page.get_by_role("button", name="Send", exact=True).click()
    mine = conversation(page).locator("li.student").last
    expect(mine).to_contain_text("hi there")
    expect(mine).to_contain_text("Sending…")
    expect(box).to_have_value("")
    expect(conversation(page).locator("li.bot")).to_have_count(0)
    assert covered(mine) == []
    screenshot(page, "student-chat-sending-390", full_page=False)
    assert len(held) == 1
    held[0].continue_()
    expect(newest_reply(page)).to_be_visible()
    expect(mine).not_to_contain_text("Sending")
    expect(conversation(page).locator("li.student")).to_have_count(1)
    assert covered(newest_reply(page)) == []


def test_a_message_that_cannot_be_sent_stays_marked_and_is_sent_again_once(new_page, codes):
    page = open_at(new_page, SMALL_PHONE)
    fault = {"on": True}

    def reply(route):
        if fault["on"]:
            route.fulfill(status=502, json={"error": BOT_UNREACHABLE, "retry": True})
        else:
            route.continue_()

    page.route("**/api/messages", reply)
    sign_in(page, "CHAT-05", codes["CHAT-05"])
    box = page.get_by_label("Your message")
    box.fill("hello")
    page.get_by_role("button", name="Send", exact=True).click()
    mine = conversation(page).locator("li.student")
    expect(page.get_by_role("alert")).to_have_text(BOT_UNREACHABLE)
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text("Not sent")
    expect(box).to_have_value("hello")  # nothing lost: the text is back in the box too
    assert covered(mine) == []
    screenshot(page, "student-chat-not-sent-360", full_page=False)
    fault["on"] = False
    mine.get_by_role("button", name="Try again").click()
    expect(newest_reply(page)).to_be_visible()
    expect(mine).to_have_count(1)  # sent once, in its own place
    expect(mine).not_to_contain_text("Not sent")
    expect(box).to_have_value("")


def test_a_returning_student_sees_their_recent_messages_and_where_they_left_off(new_page, codes):
    first_visit = open_at(new_page, PHONE)
    sign_in(first_visit, "CHAT-06", codes["CHAT-06"])
    say(first_visit, "hi")
    newest_reply(first_visit).get_by_role("button", name="Take the interest quiz").click()
    expect(newest_reply(first_visit)).to_contain_text("Question 1 of ")
    newest_reply(first_visit).get_by_role("button", name="Not sure").click()
    expect(newest_reply(first_visit)).to_contain_text("Question 2 of ")

    for size in (PHONE, CHROMEBOOK, SMALL_PHONE):  # another day, another device: a fresh sign-in
        page = open_at(new_page, size)
        sign_in(page, "CHAT-06", codes["CHAT-06"])
        expect(page).to_have_url(re.compile(r"/chat$"))
        earlier = conversation(page).locator("li.earlier")
        expect(earlier.filter(has_text="Take the interest quiz")).to_have_count(1)  # what was tapped, not a payload
        expect(earlier.filter(has_text="Not sure")).to_have_count(1)
        expect(earlier.filter(has_text="Question 2 of ")).to_have_count(1)
        expect(conversation(page)).not_to_contain_text("/answer_inventory")
        greeting = conversation(page).locator("li.greeting")
        expect(greeting).to_contain_text("Welcome back, Mateo! Last time you were taking the interest quiz: "
                                         "1 of 42 questions answered.")
        assert covered(greeting) == []
        assert covered(greeting.get_by_role("button", name="Finish the quiz")) == []
        screenshot(page, f"student-chat-returning-{size['width']}", full_page=False)

    greeting.get_by_role("button", name="Finish the quiz").click()
    expect(newest_reply(page)).to_contain_text("Question 2 of ")
    assert covered(newest_reply(page)) == []
    page.goto("/plan")
    main = page.locator("main")
    expect(main).to_contain_text("Interest quiz: 1 of 42 questions answered.")
    expect(main).not_to_contain_text("UTC")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "student-my-plan-360")
