"""Signing in to the web app from a test client (TestClient or httpx.Client) the way a browser does.

Each form carries the page's CSRF token, so the page is read first.
"""
from __future__ import annotations

import html
import re
from typing import Callable

import httpx

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


def csrf_token(client: httpx.Client, page: str = "/") -> str:
    match = CSRF_META.search(client.get(page).text)
    assert match, f"no CSRF token on {page}"
    return match.group(1)


def sign_in_student(client: httpx.Client, student_id: str, code: str):
    token = csrf_token(client, "/")
    response = client.post("/sign-in", data={"student_id": student_id, "code": code, "csrf_token": token},
                           follow_redirects=False)
    client.headers["X-CSRF-Token"] = csrf_token(client, "/chat") if response.status_code == 303 else token
    return response


def sign_in_staff(client: httpx.Client, email: str, password: str):
    token = csrf_token(client, "/staff/sign-in")
    return client.post("/staff/sign-in", data={"email": email, "password": password, "csrf_token": token},
                       follow_redirects=False)


def start_advisor_session(web: httpx.Client, student_id: str, script_id: str = "grade10_session") -> Callable[[str], str]:
    """Starts a guided session as the signed-in advisor (the student agreed) and returns `say`: it sends
    what the advisor types and returns the bot's replies as one text."""
    token = csrf_token(web, f"/advisor/students/{student_id}")
    started = web.post(f"/advisor/students/{student_id}/sessions",
                       data={"script_id": script_id, "consent": "yes", "csrf_token": token}, follow_redirects=True)
    assert started.status_code == 200 and "Script" in started.text
    session_url = str(started.url)
    web.headers["X-CSRF-Token"] = token

    def say(text: str) -> str:
        response = web.post(f"{session_url}/messages", json={"text": text})
        assert response.status_code == 200, response.text
        return "\n".join(m["text"] for m in response.json()["messages"])

    return say


BLOCK_TAG = re.compile(r"</?(li|p|h[1-6]|ul|ol|tr|td|th|div|section|figcaption|nav|header|br|button)\b[^>]*>")


def visible_text(page: str) -> str:
    """The page's text as a person reads it: tags dropped (a block's end is a space), entities decoded, spaces
    collapsed."""
    text = re.sub(r"<[^>]+>", "", BLOCK_TAG.sub(" ", page))
    return re.sub(r"\s+", " ", html.unescape(text)).strip()
