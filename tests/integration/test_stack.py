"""The real stack (`ilp serve`: Rasa, action server, web app) on free ports, against the trained model.

Runs on SQLite, and again with the PostgreSQL tracker store and the Redis lock store when
ILP_TEST_POSTGRES_URL is set (Redis: ILP_TEST_REDIS_URL, default the local one).
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid

import httpx
import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from bot.config import PROJECT_ROOT
from bot.db.migrate import upgrade
from bot.db.tables import Answer, Goal, GoalStep, InterestMention, InventoryResponse
from bot.alerts.signature import verify
from bot.db.tables import AlertOutbox, Flag, Student
from components.channels import SIGN_IN_FIRST
from tests.receivers import Receiver

pytestmark = pytest.mark.stack
MODEL = PROJECT_ROOT / "models" / "ilp-advisor.tar.gz"
DEMO_STUDENT, DEMO_CODE = "DEMO-1005", "WILLOW-2605"
QUIZ_STUDENT, GOAL_STUDENT = "DEMO-1009", "DEMO-1010"
ALERT_SECRET = "stack-test-alert-secret-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, timeout_s: float = 240) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"ilp serve exited early with {process.returncode}:\n{process.stdout.read()}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise AssertionError(f"{url} did not answer within {timeout_s} s")


def ilp(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], env=env, cwd=PROJECT_ROOT,
                          capture_output=True, text=True, **kwargs)


def postgres_database(admin_url: str, prefix: str) -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(admin_url: str, url: str) -> None:
    admin = create_engine(admin_url, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


STORES = ["sqlite", pytest.param("postgres+redis", marks=pytest.mark.postgres)]


@pytest.fixture(scope="module", params=STORES)
def stack(request, tmp_path_factory):
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make test` (it trains first)")
    var_dir = tmp_path_factory.mktemp("stack-var")
    receiver = Receiver()
    request.addfinalizer(receiver.stop)
    env = {**os.environ, "ILP_VAR_DIR": str(var_dir), "ILP_RASA_PORT": str(free_port()),
           "ILP_ACTION_PORT": str(free_port()), "ILP_WEB_PORT": str(free_port()),
           "ILP_RASA_TOKEN": uuid.uuid4().hex, "ILP_SECRET_KEY": uuid.uuid4().hex,
           "ILP_ALERT_WEBHOOK_URL": receiver.url, "ILP_ALERT_WEBHOOK_SECRET": ALERT_SECRET,
           "ILP_ALERT_POLL_INTERVAL_S": "0.5", "RASA_TELEMETRY_ENABLED": "false"}
    env.pop("ILP_DATABASE_URL", None)
    env.pop("ILP_TRACKER_DATABASE_URL", None)
    env.pop("ILP_REDIS_URL", None)
    created = []
    if request.param == "postgres+redis":
        admin_url = os.environ.get("ILP_TEST_POSTGRES_URL")
        if not admin_url:
            pytest.skip("ILP_TEST_POSTGRES_URL is not set")
        env["ILP_DATABASE_URL"] = postgres_database(admin_url, "ilp_stack_plan")
        env["ILP_TRACKER_DATABASE_URL"] = postgres_database(admin_url, "ilp_stack_tracker")
        env["ILP_REDIS_URL"] = os.environ.get("ILP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
        created = [env["ILP_DATABASE_URL"], env["ILP_TRACKER_DATABASE_URL"]]
    plan_url = env.get("ILP_DATABASE_URL", f"sqlite:///{var_dir / 'plan.db'}")
    tracker_url = env.get("ILP_TRACKER_DATABASE_URL", f"sqlite:///{var_dir / 'tracker.db'}")
    upgrade(plan_url)
    assert ilp(env, "demo", "seed").returncode == 0
    process = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve"], env=env, cwd=PROJECT_ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for(f"http://127.0.0.1:{env['ILP_WEB_PORT']}/healthz", process)
        wait_for(f"http://127.0.0.1:{env['ILP_RASA_PORT']}/", process)
        wait_for(f"http://127.0.0.1:{env['ILP_ACTION_PORT']}/health", process)
        yield {"env": env, "process": process, "plan_url": plan_url, "tracker_url": tracker_url, "receiver": receiver,
               "rasa": f"http://127.0.0.1:{env['ILP_RASA_PORT']}", "web": f"http://127.0.0.1:{env['ILP_WEB_PORT']}"}
    finally:
        stopped_cleanly = stop(process)
        for url in created:
            drop_postgres_database(os.environ["ILP_TEST_POSTGRES_URL"], url)
    # Ctrl-C stops all three servers and frees their ports.
    assert stopped_cleanly, "ilp serve did not exit 0 within 30 s of SIGINT"
    for key in ("ILP_RASA_PORT", "ILP_ACTION_PORT", "ILP_WEB_PORT"):
        assert not listening_addresses(int(env[key])), f"{key} still listening after Ctrl-C"


def stop(process: subprocess.Popen) -> bool:
    if process.poll() is not None:
        return False
    process.send_signal(signal.SIGINT)
    try:
        return process.wait(timeout=30) == 0
    except subprocess.TimeoutExpired:
        process.kill()
        return False


def rest(stack, sender: str, message: str) -> list[dict]:
    response = httpx.post(f"{stack['rasa']}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60)
    assert response.status_code == 200
    return response.json()


def scalar(url: str, query):
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            return connection.execute(query).scalar()
    finally:
        engine.dispose()


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
        assert web.post("/sign-in", data={"student_id": DEMO_STUDENT, "code": DEMO_CODE}).status_code in (200, 303)
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
    assert scalar(stack["plan_url"], select(func.count(AlertOutbox.id)).where(AlertOutbox.delivered_at.isnot(None))) == 1
    assert "saved" in rest(stack, student, "i like drawing")[0]["text"]


def test_an_idiom_is_not_a_crisis(stack):
    reply = rest(stack, "DEMO-1007", "this homework is killing me")
    assert "988" not in " ".join(message.get("text", "") for message in reply)
    assert scalar(stack["plan_url"], select(func.count(Flag.id)).join(Student).where(
        Student.external_id == "DEMO-1007")) == 0


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a TCP socket listening on the port, read from /proc/net/tcp{,6}."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as handle:
            for line in handle.readlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                address, port_hex = local.split(":")
                if state == "0A" and int(port_hex, 16) == port:
                    found.add(address)
    return found


LOOPBACK = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1 and ::1 as the kernel prints them


def test_servers_listen_on_loopback_only(stack):
    for key in ("ILP_RASA_PORT", "ILP_ACTION_PORT", "ILP_WEB_PORT"):
        addresses = listening_addresses(int(stack["env"][key]))
        assert addresses and addresses <= LOOPBACK, (key, addresses)


def test_serve_refuses_to_start_when_a_store_is_unreachable(tmp_path):
    env = {**os.environ, "ILP_VAR_DIR": str(tmp_path), "ILP_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}
    env.pop("ILP_DATABASE_URL", None)
    upgrade(f"sqlite:///{tmp_path / 'plan.db'}")
    result = ilp(env, "serve", timeout=60)
    assert result.returncode == 1 and "Redis lock store" in result.stderr
    env["ILP_TRACKER_DATABASE_URL"] = f"postgresql://nobody@127.0.0.1:{free_port()}/tracker"
    result = ilp(env, "serve", timeout=60)
    assert result.returncode == 1 and "tracker database" in result.stderr
