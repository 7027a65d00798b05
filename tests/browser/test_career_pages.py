"""The Careers pages in a real browser, on a 360 px phone and a 1366×768 Chromebook: reached from the student's
navigation, searched and browsed with the keyboard alone, one career's profile opened; axe-core finds no
violation, every focus indicator shows and nothing is covered (a Tab through each page), and nothing scrolls
sideways. Screenshots: var/artifacts/screenshots/careers-*.png."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import PHONE, axe_violations, tab_through
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.browser

CHROMEBOOK = {"width": 1366, "height": 768}
SIZES = [pytest.param(PHONE, id="phone-360"), pytest.param(CHROMEBOOK, id="chromebook-1366")]


def problems_on(page: Page) -> list[str]:
    found = axe_violations(page) + tab_through(page)
    if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
        found.append("the page scrolls sideways")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    return found


@pytest.mark.parametrize("viewport", SIZES)
def test_a_student_searches_browses_and_reads_a_career_with_the_keyboard(new_page, viewport):
    page = new_page(viewport)
    width = viewport["width"]
    sign_in(page, "DEMO-1007")
    expect(page).to_have_url(re.compile(r"/chat$"))
    page.get_by_role("navigation", name="Student").get_by_role("link", name="Careers").click()
    expect(page.get_by_role("heading", name="Careers", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Careers")).to_have_attribute("aria-current", "page")
    assert problems_on(page) == []
    screenshot(page, f"careers-all-{width}", full_page=False)

    # search by words: typed, then Enter
    page.get_by_label("Words to look for").fill("teeth")
    page.get_by_label("Words to look for").press("Enter")
    expect(page.get_by_role("heading", name=re.compile(r"careers? for “teeth”"))).to_be_visible()
    results = page.get_by_role("list", name=re.compile("teeth"))
    expect(results.get_by_role("link", name="Dental Hygienist")).to_be_visible()
    expect(results.get_by_role("link", name="Electrician")).to_have_count(0)
    assert problems_on(page) == []
    screenshot(page, f"careers-search-{width}")

    # browse by cluster: the words cleared, a cluster chosen with the keyboard
    page.get_by_label("Words to look for").fill("")
    page.get_by_label("Career cluster").select_option(label="Healthcare & Human Services")
    page.get_by_label("Career cluster").focus()
    page.keyboard.press("Tab")  # to the Search button
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("in Healthcare & Human Services"))).to_be_visible()
    nurse = page.get_by_role("link", name="Registered Nurse", exact=True)
    expect(nurse).to_be_visible()
    expect(page.get_by_role("link", name="Electrician", exact=True)).to_have_count(0)

    # one career's profile, opened from the keyboard
    nurse.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Registered Nurse")).to_be_visible()
    for heading in ("What it takes", "Who it suits", "Pay", "Career cluster", "Careers like this one"):
        expect(page.get_by_role("heading", level=2, name=heading, exact=True)).to_be_visible()
    expect(page.get_by_text("It usually takes a two-year associate degree.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Half of U\.S\. workers in this job earned more than \$[\d,]+ a year"))).to_be_visible()
    assert problems_on(page) == []
    screenshot(page, f"careers-profile-{width}")

    # a related career is one click away, and the way back to the list is a link
    page.get_by_role("region", name="Careers like this one").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=2, name="What it takes")).to_be_visible()
    page.get_by_role("link", name="All careers").click()
    expect(page.get_by_role("heading", name=re.compile(r"^All \d+ careers$"))).to_be_visible()
