"""The web app's chat API against a real database, with Rasa replaced by httpx.MockTransport."""
import json

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.config import Settings
from bot.db.tables import Student
from bot.rasa_client import RasaClient
from bot.security import hash_secret, normalize_sign_in_code
from bot.web.app import create_app
from bot.web.chat_relay import BOT_UNREACHABLE
from tests.builders import enrol
from tests.clock import Clock
from tests.web_clients import sign_in_student

# The apps here are built from Settings() read from the environment, as `python -m bot.web` builds its own.
pytestmark = pytest.mark.usefixtures("database_in_environment")

CODE = "TEST-CODE-42"


def rasa_answering(handler):
    seen = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return handler(request)

    return RasaClient("http://rasa.test", "token", transport=httpx.MockTransport(record)), seen


def signed_in_client(uow_factory, rasa, student_id="S1"):
    enrol(uow_factory, student_id)
    with uow_factory() as uow:
        uow.session.scalar(select(Student).where(Student.external_id == student_id)).sign_in_code_hash = \
            hash_secret(normalize_sign_in_code(CODE))
        uow.commit()
    client = TestClient(create_app(Settings(secret_key="k" * 32), rasa=rasa))
    response = sign_in_student(client, student_id, CODE.lower())
    assert response.status_code == 303 and response.headers["location"] == "/chat"
    return client


def test_the_app_closes_its_rasa_client_when_it_shuts_down():
    rasa, _ = rasa_answering(lambda request: httpx.Response(200, json=[]))
    with TestClient(create_app(Settings(secret_key="k" * 32), rasa=rasa)) as client:  # runs the lifespan
        assert client.get("/healthz").status_code == 200
        assert not rasa._client.is_closed
    assert rasa._client.is_closed


def test_sender_id_comes_from_the_session_not_the_request(uow_factory):
    rasa, seen = rasa_answering(lambda request: httpx.Response(200, json=[{"text": "Hi!", "buttons": [
        {"title": "Yes", "payload": "/affirm"}]}]))
    client = signed_in_client(uow_factory, rasa)
    response = client.post("/api/messages", json={"text": "hello", "sender": "SOMEONE-ELSE"})
    assert response.status_code == 200
    assert response.json() == {"messages": [{"text": "Hi!", "buttons": [{"title": "Yes", "payload": "/affirm"}]}]}
    assert seen == [{"sender": "S1", "message": "hello"}]


@pytest.mark.parametrize("handler", [
    lambda request: httpx.Response(200, json=[]),                      # Rasa's reply when the action server is down
    lambda request: httpx.Response(500, text="boom"),                  # Rasa failed
    lambda request: httpx.Response(200, text="<html>proxy</html>"),    # not JSON
    lambda request: (_ for _ in ()).throw(httpx.ConnectError("refused")),  # Rasa is down
    lambda request: (_ for _ in ()).throw(httpx.ReadTimeout("slow")),      # Rasa hangs
])
def test_empty_or_failed_replies_are_errors_the_student_sees(uow_factory, handler):
    rasa, _ = rasa_answering(handler)
    client = signed_in_client(uow_factory, rasa)
    response = client.post("/api/messages", json={"text": "i like drawing"})
    assert response.status_code == 502
    assert response.json() == {"error": BOT_UNREACHABLE, "retry": True}


@pytest.mark.parametrize("body, status", [
    ({"text": ""}, 422),            # empty
    ({"text": "   "}, 422),         # whitespace
    ({"text": 42}, 422),            # not text
    ({"text": "x" * 5001}, 413),    # huge
    ([1, 2, 3], 422),               # wrong shape
])
def test_bad_messages_get_a_clear_4xx_and_never_reach_rasa(uow_factory, body, status):
    rasa, seen = rasa_answering(lambda request: httpx.Response(200, json=[{"text": "?"}]))
    client = signed_in_client(uow_factory, rasa)
    response = client.post("/api/messages", json=body)
    assert response.status_code == status and response.json()["error"]
    assert seen == []


def test_malformed_json_is_a_400(uow_factory):
    rasa, seen = rasa_answering(lambda request: httpx.Response(200, json=[{"text": "?"}]))
    client = signed_in_client(uow_factory, rasa)
    response = client.post("/api/messages", content=b"\xff{not json", headers={"content-type": "application/json"})
    assert response.status_code == 400 and seen == []


def test_messages_need_a_signed_in_student(uow_factory):
    rasa, seen = rasa_answering(lambda request: httpx.Response(200, json=[{"text": "?"}]))
    client = TestClient(create_app(Settings(secret_key="k" * 32), rasa=rasa))
    assert client.post("/api/messages", json={"text": "hi"}).status_code == 401
    assert client.get("/chat", follow_redirects=False).headers["location"] == "/"
    assert seen == []


@pytest.mark.parametrize("student_id, code", [("S1", "WRONG"), ("S2", CODE), ("", ""), ("S1", "x" * 500)])
def test_wrong_sign_in_is_refused(uow_factory, student_id, code):
    rasa, _ = rasa_answering(lambda request: httpx.Response(200, json=[]))
    signed_in_client(uow_factory, rasa)
    client = TestClient(create_app(Settings(secret_key="k" * 32), rasa=rasa))
    response = sign_in_student(client, student_id, code)
    assert response.status_code == 401 and "match. Check the card" in response.text


def test_pages_render(uow_factory):
    rasa, _ = rasa_answering(lambda request: httpx.Response(200, json=[]))
    client = signed_in_client(uow_factory, rasa)
    page = client.get("/chat")
    assert page.status_code == 200 and 'aria-label="Conversation"' in page.text
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.parametrize("handler", [
    lambda request: (_ for _ in ()).throw(httpx.ConnectError("refused")),  # Rasa is down
    lambda request: httpx.Response(200, json=[]),                          # Rasa answered nothing
])
def test_a_crisis_the_bot_never_saw_still_gets_988_and_an_urgent_flag(uow_factory, handler):
    from bot.flags import list_flags
    from bot.web.chat_relay import CRISIS_HANDLED_HERE

    rasa, _ = rasa_answering(handler)
    client = signed_in_client(uow_factory, rasa)
    response = client.post("/api/messages", json={"text": "i want to kill myself"})
    assert response.status_code == 200
    assert "988" in response.json()["messages"][0]["text"] and response.json()["notice"] == CRISIS_HANDLED_HERE
    [flag] = list_flags(uow_factory())
    assert (flag["student_id"], flag["category"], flag["severity"]) == ("S1", "self_harm", "urgent")


def test_a_crisis_in_a_message_too_long_to_send_is_still_screened(uow_factory):
    from bot.flags import list_flags

    rasa, seen = rasa_answering(lambda request: httpx.Response(200, json=[{"text": "unused"}]))
    client = signed_in_client(uow_factory, rasa)
    response = client.post("/api/messages", json={"text": "i like art. " * 600 + "my dad hits me"})
    assert response.status_code == 200 and "988" in response.json()["messages"][0]["text"]
    assert seen == [] and [f["category"] for f in list_flags(uow_factory())] == ["abuse"]


def test_an_ordinary_message_that_cannot_be_sent_raises_no_flag(uow_factory):
    from bot.flags import list_flags

    rasa, _ = rasa_answering(lambda request: httpx.Response(500))
    client = signed_in_client(uow_factory, rasa)
    assert client.post("/api/messages", json={"text": "this homework is killing me"}).status_code == 502
    assert list_flags(uow_factory()) == []


def test_a_message_without_the_pages_csrf_token_is_refused(uow_factory):
    rasa, seen = rasa_answering(lambda request: httpx.Response(200, json=[{"text": "?"}]))
    client = signed_in_client(uow_factory, rasa)
    del client.headers["X-CSRF-Token"]
    assert client.post("/api/messages", json={"text": "hi"}).status_code == 403
    assert client.post("/api/messages", json={"text": "hi"}, headers={"X-CSRF-Token": "guess"}).status_code == 403
    assert seen == []


def test_my_plan_shows_the_students_own_plan_with_the_interest_chart(uow_factory):
    from bot.plans.services import Author, record_interest_statement

    rasa, _ = rasa_answering(lambda request: httpx.Response(200, json=[]))
    client = signed_in_client(uow_factory, rasa)
    enrol(uow_factory, "S2")
    record_interest_statement(uow_factory(), "S1", "i love drawing comics", "S1:m1", Author("student"))
    page = client.get("/plan")
    assert page.status_code == 200 and "<h1>My plan</h1>" in page.text and 'id="interest-chart"' in page.text
    assert 'aria-label="Your points for each kind of work: Realistic 0, Investigative 0, Artistic 1' in page.text
    assert "No goals yet." in page.text
    assert TestClient(create_app(Settings(secret_key="k" * 32), rasa=rasa)).get(
        "/plan", follow_redirects=False).headers["location"] == "/"


def test_wrong_codes_slow_that_student_id_down_for_seconds_then_the_right_code_works(uow_factory):
    rasa, _ = rasa_answering(lambda request: httpx.Response(200, json=[]))
    signed_in_client(uow_factory, rasa)
    clock = Clock()
    client = TestClient(create_app(Settings(secret_key="k" * 32), rasa=rasa, clock=clock))
    for _ in range(5):
        assert sign_in_student(client, "S1", "WRONG").status_code == 401
    response = sign_in_student(client, "S1", CODE)
    assert response.status_code == 429 and "Too many sign-in attempts. Wait 2 seconds" in response.text
    clock.advance(2)
    assert sign_in_student(client, "S1", CODE).status_code == 303


def test_a_student_deleted_while_signed_in_is_told_and_signed_out(uow_factory, tmp_path):
    from bot.students.data_control import delete_student
    from bot.web.app import NO_STUDENT_RECORD

    rasa, _ = rasa_answering(lambda request: httpx.Response(200, json=[]))
    client = signed_in_client(uow_factory, rasa)
    delete_student(uow_factory(), f"sqlite:///{tmp_path / 'tracker.db'}", "S1", actor_role="admin", actor_id=None)
    page = client.get("/plan")
    assert page.status_code == 401 and NO_STUDENT_RECORD.replace("'", "&#39;") in page.text
    assert client.get("/plan", follow_redirects=False).headers["location"] == "/"


def copy_of(client: TestClient, rasa) -> TestClient:
    """Another browser holding a copy of the client's session cookie and CSRF token."""
    copied = TestClient(create_app(Settings(secret_key="k" * 32), rasa=rasa))
    copied.cookies.update(client.cookies)
    copied.headers["X-CSRF-Token"] = client.headers["X-CSRF-Token"]
    return copied


def test_signing_out_ends_a_copied_student_session_too(uow_factory):
    rasa, seen = rasa_answering(lambda request: httpx.Response(200, json=[{"text": "Hi!"}]))
    client = signed_in_client(uow_factory, rasa)
    copied = copy_of(client, rasa)
    assert copied.get("/chat", follow_redirects=False).status_code == 200
    client.post("/sign-out", data={"csrf_token": client.headers["X-CSRF-Token"]})
    assert copied.get("/chat", follow_redirects=False).headers["location"] == "/"
    assert copied.post("/api/messages", json={"text": "hello"}).status_code == 401
    assert seen == []


def test_a_new_sign_in_code_ends_the_students_open_sessions(uow_factory):
    from bot.caseload import load_viewer
    from bot.roster.sign_in_codes import issue_code
    from tests.builders import add_counselor

    rasa, _ = rasa_answering(lambda request: httpx.Response(200, json=[]))
    client = signed_in_client(uow_factory, rasa)
    counselor = load_viewer(uow_factory(), add_counselor(uow_factory))
    issued = issue_code(uow_factory(), counselor, "S1")
    assert client.get("/plan", follow_redirects=False).headers["location"] == "/"
    assert client.get("/", follow_redirects=False).status_code == 200  # the sign-in page, not a loop to /chat
    del client.headers["X-CSRF-Token"]  # the old session's token; the sign-in form carries the page's own
    assert sign_in_student(client, "S1", issued.code).status_code == 303
    assert client.get("/plan", follow_redirects=False).status_code == 200


def test_a_student_session_ends_eight_hours_after_sign_in_however_often_it_is_used(uow_factory, monkeypatch):
    import time

    signed_in_at = time.time()
    rasa, _ = rasa_answering(lambda request: httpx.Response(200, json=[]))
    client = signed_in_client(uow_factory, rasa)
    for hours in (2, 4, 6, 7.9):  # each response re-signs the cookie with a fresh timestamp
        monkeypatch.setattr(time, "time", lambda at=signed_in_at + 3600 * hours: at)
        assert client.get("/chat", follow_redirects=False).status_code == 200, hours
    monkeypatch.setattr(time, "time", lambda at=signed_in_at + 3600 * 8 + 60: at)
    assert client.get("/chat", follow_redirects=False).headers["location"] == "/"


def test_signing_out_of_an_ended_session_leaves_the_new_one_alone(uow_factory):
    rasa, _ = rasa_answering(lambda request: httpx.Response(200, json=[]))
    client = signed_in_client(uow_factory, rasa)
    old_copy = copy_of(client, rasa)  # a cookie copied before the student signed out
    client.post("/sign-out", data={"csrf_token": client.headers["X-CSRF-Token"]})
    del client.headers["X-CSRF-Token"]
    assert sign_in_student(client, "S1", CODE).status_code == 303
    assert old_copy.post("/sign-out", data={"csrf_token": old_copy.headers["X-CSRF-Token"]},
                         follow_redirects=False).headers["location"] == "/"
    assert client.get("/chat", follow_redirects=False).status_code == 200
