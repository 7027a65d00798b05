"""Accessibility checks for the browser tests: axe-core, and what axe cannot see.

axe-core comes inside the `axe-playwright-python` wheel (pinned in constraints.txt), so nothing is downloaded
at run time. What axe cannot judge is measured here from the page itself: whether another element (the
sticky message box) covers an element, the focus indicator's contrast read from computed styles, and the
charts' colours and text sizes.
"""
from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page

from tests.contrast import contrast

# WCAG 2.0 and 2.1, levels A and AA, plus Deque's best practices (landmarks, one main, heading order...).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
               "resultTypes": ["violations"]}
WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 640}
PAGE_BACKGROUND = "#f7f8fa"  # --bg in site.css
MIN_NON_TEXT_CONTRAST = 3.0  # WCAG 1.4.11: focus indicators, chart series
MIN_FOCUS_WIDTH_PX = 2.0
MIN_CHART_TEXT_PX = 12.0  # the smallest chart text we call readable on a phone (a choice, not a WCAG number)

_axe = Axe()


def axe_violations(page: Page) -> list[str]:
    """One line per axe-core violation on the page as it is now: rule, impact, what it asks, where."""
    results = _axe.run(page, options=AXE_OPTIONS).response
    return [f"{violation['id']} ({violation['impact']}): {violation['help']} at "
            + "; ".join(" ".join(node["target"]) for node in violation["nodes"])
            for violation in results["violations"]]


COVERING = """el => {
    const describe = node => node ? node.tagName.toLowerCase() + (node.id ? '#' + node.id : '')
        + (typeof node.className === 'string' && node.className.trim()
           ? '.' + node.className.trim().split(/\\s+/).join('.') : '')
        : 'nothing (outside the window)';
    const r = el.getBoundingClientRect();
    const problems = [];
    if (r.width === 0 || r.height === 0) { return ['it has no size']; }
    // Wholly in the window when it fits; one taller or wider than the window must fill part of it.
    const fits = (start, end, size) => end - start <= size ? start >= -1 && end <= size + 1 : start < size && end > 0;
    if (!fits(r.top, r.bottom, window.innerHeight) || !fits(r.left, r.right, window.innerWidth)) {
        problems.push(`it is not in the window (top ${Math.round(r.top)}, bottom ${Math.round(r.bottom)} `
                      + `of ${window.innerHeight})`);
    }
    // Each of its boxes (a link that wraps has one per line), in its part in the window: the centre and the
    // middle of each edge, 3 px in (clear of rounded corners).
    for (const box of el.getClientRects()) {
        const top = Math.max(box.top, 0), bottom = Math.min(box.bottom, window.innerHeight);
        const left = Math.max(box.left, 0), right = Math.min(box.right, window.innerWidth);
        if (bottom - top < 1 || right - left < 1) { continue; }
        const inset = (low, high) => Math.min(3, (high - low) / 2);
        const dx = inset(left, right), dy = inset(top, bottom);
        const points = [[(left + right) / 2, (top + bottom) / 2], [(left + right) / 2, top + dy],
                        [(left + right) / 2, bottom - dy], [left + dx, (top + bottom) / 2],
                        [right - dx, (top + bottom) / 2]];
        for (const [x, y] of points) {
            const hit = document.elementFromPoint(x, y);
            if (hit !== el && !el.contains(hit)) {
                problems.push(`at (${Math.round(x)}, ${Math.round(y)}) ${describe(hit)} is on top`);
            }
        }
    }
    return problems;
}"""


def covered(locator: Locator) -> list[str]:
    """Why the element cannot be seen whole: outside the window, or another element on top of it ([] if seen)."""
    return locator.evaluate(COVERING)


def focused_covered(page: Page) -> list[str]:
    return page.evaluate(f"() => ({COVERING})(document.activeElement)")


FOCUS_RING = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const opaque = colour => colour !== 'transparent' && !/^rgba\\(.*,\\s*0\\)$/.test(colour);
    let behind = 'rgb(255, 255, 255)';  // the canvas
    for (let node = el.parentElement; node; node = node.parentElement) {
        const colour = getComputedStyle(node).backgroundColor;
        if (opaque(colour)) { behind = colour; break; }
    }
    return {element: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "'
                     + (el.textContent || el.value || '').trim().slice(0, 30) + '"',
            style: style.outlineStyle, width: parseFloat(style.outlineWidth), colour: style.outlineColor,
            offset: parseFloat(style.outlineOffset), behind: behind,
            own: opaque(style.backgroundColor) ? style.backgroundColor : behind};
}"""


def focus_ring_problem(page: Page) -> str | None:
    """Why the focused element's indicator fails (None when it passes): an outline at least 2 px wide with 3:1
    against the colour behind it (and against the element's own colour when the outline touches it)."""
    ring = page.evaluate(FOCUS_RING)
    if ring["style"] in ("none", "hidden") or ring["width"] < MIN_FOCUS_WIDTH_PX:
        return f"{ring['element']}: no focus outline of {MIN_FOCUS_WIDTH_PX:g} px ({ring['style']} {ring['width']} px)"
    neighbours = [ring["behind"]] + ([ring["own"]] if ring["offset"] < 1 else [])
    ratio = min(contrast(ring["colour"], neighbour) for neighbour in neighbours)
    if ratio < MIN_NON_TEXT_CONTRAST:
        return (f"{ring['element']}: focus outline {ring['colour']} on {' / '.join(neighbours)} is {ratio:.2f}:1, "
                f"under {MIN_NON_TEXT_CONTRAST:g}:1")
    return None


AT_BODY = "() => document.activeElement === document.body || document.activeElement === null"


def tab_through(page: Page, limit: int = 80) -> list[str]:
    """Walks the page with the keyboard, as a keyboard user does (Shift+Tab up to its top, then Tab through it);
    returns each focused element whose focus indicator fails, and each one that another element covers."""
    problems, seen = [], set()

    def check_focused() -> int | None:
        """Checks the focused element (once); returns its place in the page, None when focus is off the page."""
        if page.evaluate(AT_BODY):
            return None
        key = page.evaluate("() => [...document.querySelectorAll('*')].indexOf(document.activeElement)")
        if key not in seen:
            seen.add(key)
            problem = focus_ring_problem(page)
            if problem:
                problems.append(problem)
            hidden = focused_covered(page)
            if hidden:
                problems.append(f"{page.evaluate('document.activeElement.outerHTML.slice(0, 80)')}: "
                                + "; ".join(hidden))
        return key

    page.evaluate("() => window.scrollTo(0, 0)")
    page.mouse.click(2, 2)  # the header's padding: focus leaves any control, and the keyboard drives from here on
    for _ in range(limit):
        page.keyboard.press("Shift+Tab")
        if check_focused() is None:
            break
    tabbed = set()
    for _ in range(limit):
        page.keyboard.press("Tab")
        key = check_focused()
        if key is None or key in tabbed:
            break
        tabbed.add(key)
    if not seen:
        problems.append("Tab reached no control")
    return problems


CHART_TEXT = """() => [...document.querySelectorAll('.chart svg text')].map(text => {
    const matrix = text.getScreenCTM();
    return [text.textContent.trim(), parseFloat(getComputedStyle(text).fontSize) * (matrix ? matrix.a : 1)];
})"""


def small_chart_text(page: Page) -> list[str]:
    """Chart text drawn smaller than MIN_CHART_TEXT_PX on the screen (the SVG's scaling included)."""
    return [f"{text!r} at {size:.1f} px" for text, size in page.evaluate(CHART_TEXT) if size < MIN_CHART_TEXT_PX]


CHART_SERIES = """() => [...document.querySelectorAll('.chart svg rect:not(pattern *)')].map(rect => {
    const fill = rect.getAttribute('fill') || '';
    const pattern = (fill.match(/url\\(["']?#([^"')]+)/) || [])[1];
    const colour = pattern ? document.getElementById(pattern).dataset.colour : getComputedStyle(rect).fill;
    return [rect.closest('figure').id, colour, pattern ? document.getElementById(pattern).dataset.kind : null];
})"""


def weak_chart_colours(page: Page) -> list[str]:
    """Chart series drawn in a colour under 3:1 against the page, or told apart by colour alone (two series of
    one chart drawn with the same pattern)."""
    problems, styles = set(), {}
    for figure, colour, pattern in page.evaluate(CHART_SERIES):
        ratio = contrast(colour, PAGE_BACKGROUND)
        if ratio < MIN_NON_TEXT_CONTRAST:
            problems.add(f"{figure}: {colour} is {ratio:.2f}:1 against the page")
        styles.setdefault(figure, {}).setdefault(pattern, set()).add(colour)
    for figure, by_pattern in styles.items():
        for pattern, colours in by_pattern.items():
            if len(colours) > 1:
                problems.add(f"{figure}: {len(colours)} series drawn {pattern or 'plain'}, told apart by colour alone")
    return sorted(problems)
