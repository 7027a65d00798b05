"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium) against one real stack.

The stack is the same as the stack tests' (`ilp serve` on free ports, SQLite stores in a throwaway
var directory, the demo school seeded), started once per session. Playwright never downloads a
browser: `make browser` installs Debian's, and the tests fail with what to run when it is missing.
Each test gets a fresh browser context (no cookies shared), so every test signs in for itself.
"""
from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from bot.config import PROJECT_ROOT
from bot.demo import demo_sign_ins
from bot.var_dir import ensure_folder
from tests.stack import ilp, running_stack

CHROMIUM = Path("/usr/bin/chromium")
# Required on this machine: without the background-networking flags Chromium keeps dialling
# Google's hosts through a closed network at every start.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = PROJECT_ROOT / "var" / "artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 30_000  # a Rasa reply on a busy 2-core machine can take several seconds
STUDENT_CODES = {student_id: code for student_id, _first, _grade, code in demo_sign_ins().students}
STAFF = {role: (email, password) for role, email, password in demo_sign_ins().staff}


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("browser-stack-var")) as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (installs Debian's chromium)")
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(stack, browser: Browser) -> Page:
    context = browser.new_context(base_url=stack["web"], viewport={"width": 1024, "height": 768})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def new_page(browser: Browser, stack):
    """Opens pages in fresh browser contexts (one person each) at a given size; closes them all after the test."""
    contexts = []

    def open_page(viewport: dict = DESKTOP, **options) -> Page:
        """options: more of Playwright's context options (is_mobile=True, has_touch=True for a phone)."""
        context = browser.new_context(base_url=stack["web"], viewport=viewport, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def screenshot(page: Page, name: str, full_page: bool = True) -> Path:
    """Saves a PNG of the whole page (or of the window) as a test artifact: var/artifacts/screenshots/<name>.png."""
    ensure_folder(SCREENSHOTS)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


UNLABELLED_CONTROLS = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
    .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.textContent.trim())
    .map(el => el.outerHTML)"""


def unlabelled_controls(page: Page) -> list[str]:
    """Form controls a screen reader could not name (no label, no aria-label, no text)."""
    return page.evaluate(UNLABELLED_CONTROLS)


def sign_in(page: Page, student_id: str, code: str | None = None) -> None:
    """Signs a demo student in on the sign-in page (their own code unless another is given)."""
    page.goto("/")
    page.get_by_label("Student ID").fill(student_id)
    page.get_by_label("Sign-in code").fill(code or STUDENT_CODES[student_id])
    page.get_by_role("button", name="Sign in", exact=True).click()


def say(page: Page, text: str) -> None:
    """Types into the message box, clicks Send and waits for the reply: the box empties at once (the message is
    shown in the conversation), and the message box is no longer busy once the bot has answered."""
    box = page.get_by_label("Your message")
    box.fill(text)
    page.get_by_role("button", name="Send", exact=True).click()
    expect(box).to_have_value("")
    expect(page.locator("#composer[data-busy]")).to_have_count(0)


def enrol_students(stack, browser: Browser, folder: Path, roster: list[tuple[str, str, str, int]]) -> dict[str, str]:
    """Adds students (student_id, first name, last name, grade) to the demo school, in the demo counselor's caseload,
    and issues their sign-in codes as the counselor does, from the printable cards; returns the codes by student ID."""
    path = folder / "roster.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student_id", "first_name", "last_name", "grade", "school", "counselor_email"])
        writer.writerows([*row, demo_sign_ins().school, STAFF["counselor"][0]] for row in roster)
    done = ilp(stack["env"], "roster", "import", str(path))
    assert done.returncode == 0, done.stderr
    context = browser.new_context(base_url=stack["web"])
    try:
        page = context.new_page()
        page.goto("/staff/sign-in")
        page.get_by_label("Email").fill(STAFF["counselor"][0])
        page.get_by_label("Password").fill(STAFF["counselor"][1])
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.goto("/staff/students")
        page.get_by_role("button", name="Print sign-in codes for students who have none").click()
        cards = page.locator("#sign-in-codes [data-student-id]")
        expect(cards).to_have_count(len(roster))
        return {cards.nth(index).get_attribute("data-student-id"): cards.nth(index).inner_text()
                for index in range(cards.count())}
    finally:
        context.close()
