"""The real stack (`ilp serve`: Rasa, action server, web app) on free ports, against the trained model.

Runs on SQLite, and again with the PostgreSQL tracker store and the Redis lock store when
ILP_TEST_POSTGRES_URL is set (Redis: ILP_TEST_REDIS_URL, default the local one).
"""
from __future__ import annotations

import json
import stat
import time
import uuid

import httpx
import pytest
from sqlalchemy import func, select, text

from bot.bench import memory
from bot.db.migrate import upgrade
from bot.service_auth import bearer
from bot.db.tables import Answer, Goal, GoalStep, InterestMention, InventoryResponse
from bot.alerts.signature import verify
from bot.db.tables import AlertOutbox, Flag, Student
from components.channels import SIGN_IN_FIRST
from tests.receivers import Receiver
from tests.web_clients import sign_in_student
from tests.stack import (LOOPBACK, free_port, ilp, listening_addresses, post_to_rest_channel, rows, running_stack,
                         scalar, stack_env)

pytestmark = pytest.mark.stack
DEMO_STUDENT, DEMO_CODE = "DEMO-1005", "WILLOW-2605"
QUIZ_STUDENT, GOAL_STUDENT = "DEMO-1009", "DEMO-1010"
ALERT_SECRET = "stack-test-alert-secret-0123456789"
STORES = ["sqlite", pytest.param("postgres+redis", marks=pytest.mark.postgres)]


@pytest.fixture(scope="module", params=STORES)
def stack(request, tmp_path_factory):
    receiver = Receiver()
    request.addfinalizer(receiver.stop)
    with running_stack(tmp_path_factory.mktemp("stack-var"), request.param,
                       ILP_ALERT_WEBHOOK_URL=receiver.url, ILP_ALERT_WEBHOOK_SECRET=ALERT_SECRET,
                       ILP_ALERT_POLL_INTERVAL_S="0.5") as running:
        yield {**running, "receiver": receiver}


def rest(stack, sender: str, message: str) -> list[dict]:
    response = post_to_rest_channel(stack, {"sender": sender, "message": message})
    assert response.status_code == 200
    return response.json()


def test_demo_student_chats_over_rest_and_answers_land_in_the_plan_database(stack):
    assert [m["text"] for m in rest(stack, DEMO_STUDENT, "hi")][0].startswith(("Hi!", "Hey!", "Welcome back"))
    reply = rest(stack, DEMO_STUDENT, "i love fixing engines")
    assert "saved" in reply[0]["text"] and "hands-on" in reply[0]["text"]
    assert scalar(stack["plan_url"], select(func.count(Answer.id))) >= 1
    assert scalar(stack["plan_url"], select(func.count(InterestMention.id)).where(InterestMention.riasec == "R")) >= 1


def test_quiz_question_buttons_save_the_answer_through_the_whole_stack(stack):
    student = QUIZ_STUDENT
    question = next(m for m in rest(stack, student, "can i take the interest quiz") if m.get("buttons"))
    assert question["text"].startswith("Question 1 of ")
    like = next(b for b in question["buttons"] if "like" in b["payload"] and "dislike" not in b["payload"])
    second = next(m for m in rest(stack, student, like["payload"]) if m.get("buttons"))
    assert second["text"].startswith("Question 2 of ")
    assert scalar(stack["plan_url"], select(func.count(InventoryResponse.id))) == 1


def test_a_goal_is_asked_for_step_by_step_and_bad_answers_are_asked_again(stack):
    student = GOAL_STUDENT

    def say(message: str) -> str:
        return " ".join(m.get("text") or "" for m in rest(stack, student, message))

    assert "goal" in say("i want to set a goal").lower()
    too_long = say("draw a comic every week " * 50)
    assert "shorter parts" in too_long and "goal" in too_long.lower()
    assert "first step" in say("get a B in algebra this semester")
    assert "by?" in say("go to tutoring on tuesdays")
    assert "Try a date" in say("someday maybe")
    assert "Saved to your plan" in say("in 2 weeks")
    assert scalar(stack["plan_url"], select(Goal.text).where(Goal.text.like("get a B%"))) == "get a B in algebra this semester"
    assert scalar(stack["plan_url"], select(func.count(GoalStep.id)).where(GoalStep.due_date.isnot(None))) == 1


def test_unknown_sender_is_told_to_sign_in_and_nothing_is_stored(stack):
    sender = f"STRANGER-{uuid.uuid4().hex[:6]}"
    assert rest(stack, sender, "hi, i love drawing") == [{"recipient_id": sender, "text": SIGN_IN_FIRST}]
    stored = scalar(stack["tracker_url"], text("SELECT COUNT(*) FROM events WHERE sender_id = :s").bindparams(s=sender))
    assert stored == 0


def test_rasa_http_api_needs_the_token(stack):
    url = f"{stack['rasa']}/conversations/{DEMO_STUDENT}/tracker"
    assert httpx.get(url, timeout=10).status_code == 401
    assert httpx.get(url, params={"token": stack["env"]["ILP_RASA_TOKEN"]}, timeout=10).status_code == 200


def test_student_signs_in_on_the_web_app_and_chats(stack):
    with httpx.Client(base_url=stack["web"], timeout=60) as web:
        assert sign_in_student(web, DEMO_STUDENT, DEMO_CODE).status_code == 303
        reply = web.post("/api/messages", json={"text": "i want to be a nurse"})
        assert reply.status_code == 200
        assert "Registered Nurse" in reply.json()["messages"][0]["text"]


def test_a_crisis_gets_988_at_once_an_urgent_flag_and_a_signed_alert_then_the_chat_goes_on(stack):
    student = "DEMO-1006"
    reply = rest(stack, student, "honestly i want to kms")
    assert "988" in reply[0]["text"] and "counselor" in reply[0]["text"]
    assert scalar(stack["plan_url"], select(Flag.severity).where(Flag.category == "self_harm")) == "urgent"
    deadline = time.monotonic() + 30
    while not stack["receiver"].requests and time.monotonic() < deadline:
        time.sleep(0.2)
    [(headers, body)] = stack["receiver"].requests
    assert verify(ALERT_SECRET, headers, body) and b"kms" not in body
    # The receiver answers before the worker commits delivered_at: wait for the commit too.
    delivered = select(func.count(AlertOutbox.id)).where(AlertOutbox.delivered_at.isnot(None))
    while scalar(stack["plan_url"], delivered) == 0 and time.monotonic() < deadline + 10:
        time.sleep(0.2)
    assert scalar(stack["plan_url"], delivered) == 1
    assert "saved" in rest(stack, student, "i like drawing")[0]["text"]


def test_an_idiom_is_not_a_crisis(stack):
    reply = rest(stack, "DEMO-1007", "this homework is killing me")
    assert "988" not in " ".join(message.get("text", "") for message in reply)
    assert scalar(stack["plan_url"], select(func.count(Flag.id)).join(Student).where(
        Student.external_id == "DEMO-1007")) == 0


@pytest.mark.parametrize("headers", [
    {},                                                  # no credential: anyone who reaches the port
    {"Authorization": "Bearer not-the-rasa-token-0000"},  # a wrong one
    {"Authorization": "not-a-bearer-header"},
])
def test_rasa_rest_channel_answers_only_the_web_app_and_stores_nothing_for_others(stack, headers):
    sender = "DEMO-1004"
    before = scalar(stack["tracker_url"], text("SELECT COUNT(*) FROM events WHERE sender_id = :s").bindparams(s=sender))
    response = httpx.post(f"{stack['rasa']}/webhooks/rest/webhook", json={"sender": sender, "message": "hi"},
                          headers=headers, timeout=30)
    assert response.status_code == 401
    after = scalar(stack["tracker_url"], text("SELECT COUNT(*) FROM events WHERE sender_id = :s").bindparams(s=sender))
    assert after == before


def test_socket_io_channel_is_gone(stack):
    assert httpx.get(f"{stack['rasa']}/socket.io/", params={"EIO": "4", "transport": "polling"},
                     timeout=10).status_code == 404


@pytest.mark.parametrize("method, path", [("post", "/webhook"), ("get", "/actions")])
def test_action_server_answers_only_rasa(stack, method, path):
    action_server = f"http://127.0.0.1:{stack['env']['ILP_ACTION_PORT']}"
    call = {"next_action": "action_greet", "sender_id": DEMO_STUDENT, "version": "3.6.21",
            "tracker": {"sender_id": DEMO_STUDENT, "slots": {}, "events": [], "latest_message": {}}, "domain": {}}
    for headers in ({}, {"Authorization": "Bearer not-the-action-token-0000"}):
        response = httpx.request(method, f"{action_server}{path}", json=call if method == "post" else None,
                                 headers=headers, timeout=30)
        assert response.status_code == 401, (headers, response.text)
    assert httpx.get(f"{action_server}/health", timeout=10).status_code == 200  # says only "ok"


@pytest.mark.parametrize("server, path, token, megabytes", [
    ("ILP_RASA_PORT", "/webhooks/rest/webhook", "rasa_token", 2),  # the web app sends a few kB
    ("ILP_ACTION_PORT", "/webhook", "action_token", 32),           # Rasa sends tens of kB
])
def test_internal_servers_stop_reading_a_flood_of_a_body(stack, server, path, token, megabytes):
    # With the caller's own token, so that the size limit, not the credential check, is what refuses it.
    secret = (stack["env"].get(f"ILP_{token.upper()}")
              or json.loads((stack["var_dir"] / "secrets.json").read_text())[token])
    response = httpx.post(f"http://127.0.0.1:{stack['env'][server]}{path}", content=b"x" * (megabytes << 20),
                          headers={"content-type": "application/json", **bearer(secret)}, timeout=60)
    assert response.status_code == 413


def test_no_secret_on_any_command_line_and_stored_files_are_the_owners_only(stack):
    secrets = [stack["env"]["ILP_RASA_TOKEN"], stack["env"]["ILP_SECRET_KEY"],
               *json.loads((stack["var_dir"] / "secrets.json").read_text()).values()]
    for pid in memory.descendants(stack["process"].pid):
        command_line = " ".join(memory.command_line(pid))
        assert not any(secret in command_line for secret in secrets), command_line
    written = [path for path in stack["var_dir"].rglob("*") if path.is_file() and path.suffix in (".db", ".log", ".json", ".yml")]
    assert any(path.name == "rasa.log" for path in written) and any(path.name == "endpoints.yml" for path in written)
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, f"{path} is readable by others"


def test_a_second_serve_by_mistake_says_why_and_leaves_the_running_stack_alone(stack):
    run_dir = stack["var_dir"] / "run"
    before = {path.name: path.read_text() for path in run_dir.iterdir() if path.is_file()}
    again = ilp(stack["env"], "serve", timeout=60)  # the same var folder and ports
    assert again.returncode == 1 and "another `ilp serve` is running" in again.stderr, again.stderr
    other_var = {**stack["env"], "ILP_VAR_DIR": str(stack["var_dir"].parent / "second-var")}
    again = ilp(other_var, "serve", timeout=60)  # its own var folder, but make run's ports
    assert again.returncode == 1 and "ILP_WEB_PORT) is already in use" in again.stderr, again.stderr
    assert {path.name: path.read_text() for path in run_dir.iterdir() if path.is_file()} == before
    assert rest(stack, DEMO_STUDENT, "hi")  # still answering


def test_servers_listen_on_loopback_only(stack):
    for key in ("ILP_RASA_PORT", "ILP_ACTION_PORT", "ILP_WEB_PORT"):
        addresses = listening_addresses(int(stack["env"][key]))
        assert addresses and addresses <= LOOPBACK, (key, addresses)


def test_serve_refuses_to_start_when_a_store_is_unreachable(tmp_path):
    # Free ports: a `make run` left running holds the default ones.
    env = stack_env(tmp_path, ILP_REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    upgrade(f"sqlite:///{tmp_path / 'plan.db'}")
    result = ilp(env, "serve", timeout=60)
    assert result.returncode == 1 and "Redis lock store" in result.stderr
    env["ILP_TRACKER_DATABASE_URL"] = f"postgresql://nobody@127.0.0.1:{free_port()}/tracker"
    result = ilp(env, "serve", timeout=60)
    assert result.returncode == 1 and "tracker database" in result.stderr


def test_an_advisor_runs_a_session_through_the_web_app_and_the_real_bot(stack):
    """Grade 10 script with DEMO-1008: answers, a branch, Back, a disclosure that pauses it, Continue, End."""
    from bot.demo import demo_sign_ins
    from bot.db.tables import AdvisorSession
    from tests.web_clients import sign_in_staff, start_advisor_session

    email, password = next((e, p) for role, e, p in demo_sign_ins().staff if role == "advisor")
    with httpx.Client(base_url=stack["web"], timeout=90) as web:
        assert sign_in_staff(web, email, password).headers["location"] == "/advisor"
        say = start_advisor_session(web, "DEMO-1008")
        first = say("/start_advisor_session")
        assert "Starting" in first and "Step 1 of 10: Say hello" in first
        assert "Step 2 of 10" in say("good, nice to meet you")
        assert "Step 3" in say("Changed my mind")
        assert "Step 2 of 10" in say("back")
        reply = say("Not sure yet")
        assert "Careers to explore" in reply or "explore" in reply.lower()
        reply = say("maybe a nurse")
        assert "Saved. Careers to explore: Registered Nurse" in reply and "After high school" in reply
        crisis = say("she said her dad hits her when he is drunk")
        assert crisis.startswith("Pause the script.") and "911" in crisis
        resumed = say("/start_advisor_session")
        assert "Back to" in resumed and "After high school" in resumed
        summary = say("end session")
        assert "ended early" in summary and "Registered Nurse" in summary

    plan = stack["plan_url"]
    deadline = time.monotonic() + 20
    while scalar(plan, select(func.count(Flag.id)).where(Flag.category == "abuse")) == 0 and time.monotonic() < deadline:
        time.sleep(0.2)
    flag = rows(plan, select(Flag.severity, Flag.conversation_id, Student.external_id).join(Student)
                .where(Flag.category == "abuse"))
    assert [(severity, student) for severity, _conversation, student in flag] == [("urgent", "DEMO-1008")]
    assert flag[0][1].startswith("advisor-")
    assert scalar(plan, select(AdvisorSession.status)) == "ended_early"
    authors = rows(plan, select(Answer.author_role).where(Answer.source_event.like("advisor-%")))
    assert authors and {role for (role,) in authors} == {"advisor"}
