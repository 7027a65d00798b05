"""Request bodies have a size limit on every route, checked before and while they are read.

The chunked cases call the app through ASGI with a hand-made `receive`, which counts how much of the
body the app pulled (a TestClient reads a whole body before the app sees it).
"""
from __future__ import annotations

import asyncio
import itertools
import json
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from bot.config import Settings
from bot.text import MAX_MESSAGE_CHARS
from bot.web.app import create_app
from bot.web.request_size import MAX_BODY_BYTES
from tests.builders import add_counselor, enrol, give_sign_in_code
from tests.integration.test_web_staff import rasa_with_tracker
from tests.web_clients import csrf_token, sign_in_staff, sign_in_student

# The apps here are built from Settings() read from the environment, as `python -m bot.web` builds its own.
pytestmark = pytest.mark.usefixtures("database_in_environment")

CHUNK = b"x" * 4096
FORM = {"content-type": "application/x-www-form-urlencoded"}


def new_client() -> TestClient:
    return TestClient(create_app(Settings(secret_key="k" * 32), rasa=rasa_with_tracker()))


def post_in_chunks(app, path: str, chunks, headers: dict[str, str]) -> tuple[int, str, int]:
    """POSTs `chunks` as one body through ASGI; returns the status, the response text and the chunks pulled."""
    pulled = 0
    sent: list[dict] = []

    async def receive() -> dict:
        nonlocal pulled
        chunk = next(chunks, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        pulled += 1
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(name.encode(), value.encode()) for name, value in headers.items()],
             "client": ("203.0.113.9", 50000), "server": ("testserver", 80)}
    asyncio.run(app(scope, receive, send))
    status = next(message["status"] for message in sent if message["type"] == "http.response.start")
    text = b"".join(message.get("body", b"") for message in sent if message["type"] == "http.response.body").decode()
    return status, text, pulled


def test_a_declared_length_over_the_limit_is_refused_before_a_byte_is_read(database_url):
    app = create_app(Settings(secret_key="k" * 32), rasa=rasa_with_tracker())
    huge = {**FORM, "content-length": str(32 * 1024 * 1024)}
    for path, status_code in [("/sign-in", 413), ("/staff/sign-in", 413), ("/staff/flags/1", 413),
                              ("/api/messages", 401)]:  # the chat asks who is signed in before it reads
        status, text, pulled = post_in_chunks(app, path, itertools.repeat(CHUNK, 8192), huge)
        assert (status, pulled) == (status_code, 0), path


def test_a_chunked_body_is_cut_off_once_it_passes_the_limit(database_url):
    app = create_app(Settings(secret_key="k" * 32), rasa=rasa_with_tracker())
    for path in ("/sign-in", "/staff/sign-in"):
        status, text, pulled = post_in_chunks(app, path, itertools.repeat(CHUNK, 8192), FORM)  # 32 MB, no length
        assert status == 413 and "too much to send" in text, path
        assert pulled * len(CHUNK) <= MAX_BODY_BYTES + len(CHUNK), path


def test_an_oversized_form_gets_a_413_page_and_an_oversized_chat_message_a_413_json_error(uow_factory):
    enrol(uow_factory, "S1")
    give_sign_in_code(uow_factory, "S1", "CODE1234")
    anonymous = new_client()
    page = anonymous.post("/sign-in", data={"student_id": "S1", "code": "x" * 100_000,
                                            "csrf_token": csrf_token(anonymous)})
    assert page.status_code == 413 and '<p class="error" role="alert">That is too much to send' in page.text
    student = new_client()
    assert sign_in_student(student, "S1", "CODE1234").status_code == 303
    response = student.post("/api/messages", json={"text": "x" * 100_000})
    assert response.status_code == 413 and response.json()["error"].startswith("That is too much to send")


def test_the_longest_chat_message_and_flag_note_fit_however_they_are_encoded(uow_factory):
    # Every character escaped (an emoji as two \uXXXX escapes): the most bytes a message can take.
    longest_message = json.dumps({"text": "\U0001F642" * MAX_MESSAGE_CHARS}, ensure_ascii=True)
    assert MAX_BODY_BYTES >= len(longest_message.encode())
    enrol(uow_factory, "S1")
    give_sign_in_code(uow_factory, "S1", "CODE1234")
    student = new_client()
    sign_in_student(student, "S1", "CODE1234")
    response = student.post("/api/messages", content=longest_message, headers={"content-type": "application/json"})
    assert response.status_code != 413
    longest_note = f"action=note&note={quote(chr(0x1F642) * 2000)}&csrf_token={'t' * 43}"  # percent-encoded UTF-8
    assert MAX_BODY_BYTES >= len(longest_note.encode())
    add_counselor(uow_factory, "pat@school.example")
    counselor = new_client()
    sign_in_staff(counselor, "pat@school.example", "a-long-test-password")
    response = counselor.post("/staff/flags/1", content=longest_note, headers=FORM)
    assert response.status_code == 403  # read in full, then refused for the made-up token
