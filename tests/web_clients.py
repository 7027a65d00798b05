"""Signing in to the web app from a test client (TestClient or httpx.Client) the way a browser does.

Each form carries the page's CSRF token, so the page is read first.
"""
from __future__ import annotations

import re

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
