"""The stores failing under a running stack: a PostgreSQL restart, Redis stopped and started again, and a
slow plan database. The stack runs on its own throwaway PostgreSQL cluster (initdb/pg_ctl) and Redis
server, never the machine's. Each fault takes seconds; `make chaos` runs the same faults under load.

Every message gets a reply or an error (never a blank success); every answer the bot said it saved is
in the plan database afterwards; and the stack answers again soon after the store is back.
"""
from __future__ import annotations

import threading
import time

import httpx
import pytest
from sqlalchemy import func, select

from bot.bench.faults import FaultSetupError, SlowProxy, ThrowawayPostgres, ThrowawayRedis
from bot.db.migrate import create_database
from bot.db.tables import Answer, Plan, Student
from tests.stack import post_to_rest_channel, running_stack, scalar

pytestmark = pytest.mark.stack
RECOVERY_LIMIT_S = 90


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    try:
        with ThrowawayPostgres() as postgres, ThrowawayRedis(tmp_path_factory.mktemp("redis")) as redis_server, \
                SlowProxy(postgres.port) as proxy:
            for database in ("ilp_plan", "ilp_tracker"):
                create_database(postgres.url(database))
            with running_stack(tmp_path_factory.mktemp("faults-var"),
                               ILP_DATABASE_URL=postgres.url("ilp_plan", proxy.port),
                               ILP_TRACKER_DATABASE_URL=postgres.url("ilp_tracker"),
                               ILP_REDIS_URL=redis_server.url) as running:
                yield {**running, "postgres": postgres, "redis": redis_server, "proxy": proxy,
                       "direct_plan_url": postgres.url("ilp_plan")}
    except FaultSetupError as error:
        pytest.fail(f"cannot make the throwaway stores: {error}")


def send(stack, sender: str, message: str) -> tuple[bool, str]:
    """(answered, text): answered only for a 200 with at least one message, as the web app counts it."""
    try:
        response = post_to_rest_channel(stack, {"sender": sender, "message": message})
    except httpx.HTTPError as error:
        return False, type(error).__name__
    body = response.json() if response.headers.get("content-type", "").startswith("application/json") else None
    answered = response.status_code == 200 and isinstance(body, list) and len(body) > 0
    return answered, " ".join(m.get("text") or "" for m in body) if answered else f"HTTP {response.status_code}"


def saved_interests(stack, student: str) -> int:
    return scalar(stack["direct_plan_url"], select(func.count(Answer.id)).join(Plan).join(Student).where(
        Student.external_id == student, Answer.topic == "interest_statement"))


def under_fault(stack, fault, students: list[str]) -> dict[str, int]:
    """Each student sends interest answers while `fault` runs in a thread; returns answers acknowledged per student."""
    acknowledged = {student: 0 for student in students}
    thread = threading.Thread(target=fault)
    thread.start()
    number = 0
    while thread.is_alive() or number < 2:
        for student in students:
            answered, reply = send(stack, student, f"i love fixing engines and bikes {number}")
            acknowledged[student] += answered and "saved" in reply
        number += 1
    thread.join()
    return acknowledged


def wait_answering(stack, since: float) -> float:
    while time.monotonic() - since < RECOVERY_LIMIT_S:
        if send(stack, "DEMO-1012", "hi")[0]:
            return time.monotonic() - since
        time.sleep(0.5)
    raise AssertionError(f"the stack did not answer within {RECOVERY_LIMIT_S} s of the fault")


def check_nothing_lost(stack, acknowledged: dict[str, int], before: dict[str, int]) -> None:
    for student, count in acknowledged.items():
        assert saved_interests(stack, student) - before[student] >= count, (student, count)


@pytest.mark.parametrize("store", ["postgres", "redis"])
def test_a_store_restarted_under_load_loses_no_acknowledged_answer_and_the_stack_recovers(faulty, store):
    students = ["DEMO-1005", "DEMO-1006"] if store == "postgres" else ["DEMO-1007", "DEMO-1008"]
    before = {student: saved_interests(faulty, student) for student in students}
    started = time.monotonic()
    acknowledged = under_fault(faulty, lambda: faulty[store].restart(down_s=3), students)
    recovered_s = wait_answering(faulty, started)
    check_nothing_lost(faulty, acknowledged, before)
    assert send(faulty, students[0], "i love building robots")[0]
    print(f"{store} restart: {sum(acknowledged.values())} answers acknowledged, answering {recovered_s:.1f} s after")


def test_a_slow_plan_database_keeps_every_answer(faulty):
    student = "DEMO-1009"
    before = {student: saved_interests(faulty, student)}
    faulty["proxy"].delay_s = 0.05
    try:
        started = time.monotonic()
        answered, reply = send(faulty, student, "i love fixing engines on weekends")
        slow_s = time.monotonic() - started
    finally:
        faulty["proxy"].delay_s = 0.0
    assert answered and "saved" in reply
    check_nothing_lost(faulty, {student: 1}, before)
    print(f"a reply with the plan database 50 ms slower per read took {slow_s:.2f} s")
