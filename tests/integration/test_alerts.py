"""Urgent alerts end to end: the outbox on a real database, delivery to real local HTTP receivers."""
from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from bot.alerts.delivery import RetryPolicy, deliver_pending
from bot.alerts.outbox import count_pending, list_alerts
from bot.alerts.signature import DELIVERY_ID_HEADER, verify
from bot.alerts.webhook import AlertWebhook
from bot.alerts.worker import run_worker
from bot.cli import main
from bot.config import PROJECT_ROOT, Settings, get_settings
from bot.db import engine as db_engine
from bot.db.tables import AlertOutbox, Flag, metadata, utcnow
from bot.db.unit_of_work import UnitOfWork
from bot.flags import list_flags, raise_flag
from tests.builders import COUNSELOR_EMAIL, enrol
from tests.receivers import Receiver

SECRET = "test-alert-secret-0123456789"
WORDS = "I don't want to be here anymore"  # synthetic; must never leave the database in an alert
FAST_RETRY = RetryPolicy(base_s=0.01, max_s=0.05)
PAYLOAD_KEYS = {"delivery_id", "flag_id", "category", "severity", "repeat", "student_id", "student_name", "grade",
                "school", "counselor_email", "created_at", "url"}


@pytest.fixture
def start_receiver():
    started = []

    def start(**options) -> Receiver:
        started.append(Receiver(**options))
        return started[-1]

    yield start
    for receiver in started:
        receiver.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def webhook(url: str, read_timeout_s: float = 2.0) -> AlertWebhook:
    return AlertWebhook(url, SECRET, connect_timeout_s=1.0, read_timeout_s=read_timeout_s)


def deliver(uow_factory, url: str, **options):
    with webhook(url, options.pop("read_timeout_s", 2.0)) as channel:
        return deliver_pending(uow_factory(), channel, options.pop("retry", FAST_RETRY), **options)


def urgent(uow_factory, student="S1", category="self_harm", event_id=None) -> int:
    return raise_flag(uow_factory(), student, category=category, severity="urgent", excerpt=WORDS, event_id=event_id)


def outbox_rows(uow_factory) -> int:
    with uow_factory() as uow:
        return uow.session.scalar(select(func.count(AlertOutbox.id)))


def test_urgent_flag_reaches_the_receiver_signed_with_only_what_a_counselor_needs(uow_factory, start_receiver,
                                                                                   monkeypatch):
    monkeypatch.setenv("ILP_PUBLIC_URL", "https://ilp.school.example/")
    get_settings.cache_clear()
    enrol(uow_factory, "S1", grade=9)
    flag_id = urgent(uow_factory)
    receiver = start_receiver()

    report = deliver(uow_factory, receiver.url)

    assert (report.delivered, report.failed, report.pending) == (1, 0, 0)
    [(headers, body)] = receiver.requests
    assert verify(SECRET, headers, body)
    assert not verify("some-other-secret-value", headers, body)
    payload = json.loads(body)
    assert set(payload) == PAYLOAD_KEYS
    assert payload == {**payload, "flag_id": flag_id, "category": "self_harm", "severity": "urgent", "repeat": False,
                       "student_id": "S1", "student_name": "Sam Lee", "grade": 9, "school": "Test Middle School",
                       "counselor_email": COUNSELOR_EMAIL, "url": f"https://ilp.school.example/staff/flags/{flag_id}#flagged-turn"}
    assert headers[DELIVERY_ID_HEADER] == payload["delivery_id"]
    assert WORDS.encode() not in body and b"excerpt" not in body
    assert deliver(uow_factory, receiver.url).delivered == 0  # delivered once, not again
    assert len(receiver.requests) == 1


def test_only_urgent_flags_queue_an_alert(uow_factory):
    enrol(uow_factory, "S1")
    raise_flag(uow_factory(), "S1", category="academic", severity="normal", excerpt="failing math")
    raise_flag(uow_factory(), "S1", category="bullying", severity="high", excerpt="they push me")
    assert list_alerts(uow_factory()) == []


def test_an_urgent_event_beside_an_open_flag_is_a_flag_of_its_own_with_an_alert_marked_repeat(uow_factory,
                                                                                              start_receiver):
    enrol(uow_factory, "S1")
    first = raise_flag(uow_factory(), "S1", category="self_harm", severity="high", excerpt="...", event_id="S1:m1")
    again = urgent(uow_factory, event_id="S1:m2")
    receiver = start_receiver()
    deliver(uow_factory, receiver.url)
    [(_, body)] = receiver.requests
    assert first != again  # never folded into the open flag's notes, where a counselor would not see it
    assert json.loads(body)["repeat"] is True and json.loads(body)["severity"] == "urgent"
    queue = list_flags(uow_factory())
    assert [(flag["id"], flag["severity"], flag["excerpt"]) for flag in queue][0] == (again, "urgent", WORDS)


def test_retried_action_with_the_same_event_writes_nothing_twice(uow_factory):
    enrol(uow_factory, "S1")
    new = urgent(uow_factory, event_id="S1:m1")
    assert urgent(uow_factory, event_id="S1:m1") == new
    second = urgent(uow_factory, event_id="S1:m2")
    assert urgent(uow_factory, event_id="S1:m2") == second != new
    assert outbox_rows(uow_factory) == 2
    with uow_factory() as uow:
        assert uow.session.scalar(select(func.count(Flag.id))) == 2
        assert "repeated" not in uow.session.get(Flag, new).counselor_notes


def test_flag_and_alert_are_written_in_one_transaction(uow_factory, database_url):
    enrol(uow_factory, "S1")
    seen_before_commit = {}

    class CommitFails(UnitOfWork):
        def commit(self) -> None:
            self.session.flush()
            seen_before_commit["alerts"] = self.session.scalar(select(func.count(AlertOutbox.id)))
            raise RuntimeError("the database went away during commit")

    with pytest.raises(RuntimeError):
        urgent(lambda: CommitFails(db_engine.get_session_factory(database_url)))
    assert seen_before_commit == {"alerts": 1}
    assert list_flags(uow_factory()) == [] and outbox_rows(uow_factory) == 0


def test_failing_receiver_keeps_the_alert_and_backs_off(uow_factory, start_receiver):
    enrol(uow_factory, "S1")
    urgent(uow_factory)
    receiver = start_receiver(status=500)
    retry = RetryPolicy(base_s=10, max_s=600, jitter=0)
    start = utcnow()

    report = deliver(uow_factory, receiver.url, retry=retry, now=lambda: start)
    assert (report.delivered, report.failed, report.pending) == (0, 1, 1)
    [alert] = list_alerts(uow_factory())
    assert alert["attempts"] == 1 and alert["last_error"] == "receiver answered HTTP 500"
    assert alert["next_attempt_at"] == (start + dt.timedelta(seconds=10)).isoformat() + "Z"

    assert deliver(uow_factory, receiver.url, retry=retry, now=lambda: start).failed == 0  # not due yet
    later = start + dt.timedelta(seconds=11)
    assert deliver(uow_factory, receiver.url, retry=retry, now=lambda: later).failed == 1
    [alert] = list_alerts(uow_factory())
    assert alert["attempts"] == 2
    assert alert["next_attempt_at"] == (later + dt.timedelta(seconds=20)).isoformat() + "Z"
    assert len(set(receiver.delivery_ids)) == 1 and len(receiver.requests) == 2  # same delivery id on each retry


def test_hanging_receiver_fails_the_attempt_within_the_timeout(uow_factory, start_receiver):
    enrol(uow_factory, "S1")
    urgent(uow_factory)
    receiver = start_receiver(delay_s=30)
    started = time.monotonic()
    report = deliver(uow_factory, receiver.url, read_timeout_s=0.3)
    assert time.monotonic() - started < 2
    assert report.failed == 1 and report.pending == 1
    assert list_alerts(uow_factory())[0]["last_error"] == "timed out (ReadTimeout)"


def test_receiver_that_comes_back_later_gets_exactly_the_pending_alerts(uow_factory, start_receiver):
    enrol(uow_factory, "S1")
    urgent(uow_factory, category="self_harm")
    assert deliver(uow_factory, start_receiver().url).delivered == 1
    urgent(uow_factory, category="abuse")
    urgent(uow_factory, category="violence")
    pending = {alert["delivery_id"] for alert in list_alerts(uow_factory(), pending_only=True)}
    port = free_port()

    down = deliver(uow_factory, f"http://127.0.0.1:{port}/alerts", retry_all=True)
    assert (down.delivered, down.failed, down.pending) == (0, 2, 2)
    assert {alert["last_error"] for alert in list_alerts(uow_factory(), pending_only=True)} == {
        "request failed (ConnectError)"}

    back = start_receiver(port=port)
    report = deliver(uow_factory, back.url, retry_all=True)
    assert (report.delivered, report.failed, report.pending) == (2, 0, 0)
    assert sorted(back.delivery_ids) == sorted(pending)


def test_alert_raised_by_a_process_that_dies_before_delivery_is_not_lost(uow_factory, database_url, start_receiver):
    enrol(uow_factory, "S1")
    script = textwrap.dedent(f"""
        import os
        from bot.config import Settings
        from bot.db.unit_of_work import units_of_work
        from bot.flags import raise_flag
        uow = units_of_work(Settings(database_url={database_url!r}))()
        raise_flag(uow, "S1", category="self_harm", severity="urgent", excerpt={WORDS!r}, event_id="S1:m9")
        os._exit(3)  # dies at once: no cleanup, no delivery
    """)
    died = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, env=os.environ,
                          capture_output=True, text=True)
    assert died.returncode == 3, died.stderr
    receiver = start_receiver()
    assert deliver(uow_factory, receiver.url).delivered == 1
    [flag] = list_flags(uow_factory())
    assert json.loads(receiver.requests[0][1])["flag_id"] == flag["id"]


def test_process_dying_mid_send_leaves_the_alert_leased_then_retried(uow_factory, start_receiver):
    enrol(uow_factory, "S1")
    urgent(uow_factory)

    class DiesWhileSending(AlertWebhook):
        def send(self, delivery_id, body):
            raise SystemExit("killed mid-send")

    with DiesWhileSending("http://127.0.0.1:9/", SECRET, connect_timeout_s=1, read_timeout_s=1) as dying:
        with pytest.raises(SystemExit):
            deliver_pending(uow_factory(), dying, FAST_RETRY)
    receiver = start_receiver()
    assert deliver(uow_factory, receiver.url).delivered == 0  # still leased: no second sender meanwhile
    after_lease = utcnow() + dt.timedelta(minutes=5)
    assert deliver(uow_factory, receiver.url, now=lambda: after_lease).delivered == 1


def test_concurrent_deliveries_send_each_alert_once(uow_factory, start_receiver):
    enrol(uow_factory, "S1")
    for number in range(8):
        urgent(uow_factory, category=f"category_{number}")
    receiver = start_receiver(delay_s=0.05)
    reports = []
    workers = [threading.Thread(target=lambda: reports.append(deliver(uow_factory, receiver.url))) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sum(report.delivered for report in reports) == 8
    assert len(receiver.delivery_ids) == len(set(receiver.delivery_ids)) == 8


def test_a_row_another_worker_has_locked_is_skipped_on_postgres(uow_factory, database_url, start_receiver):
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite has no row locks; the compare-and-set covers it (see the concurrency test)")
    enrol(uow_factory, "S1")
    urgent(uow_factory)
    receiver = start_receiver()
    with uow_factory() as other_worker:
        other_worker.session.scalars(select(AlertOutbox).with_for_update()).all()
        assert deliver(uow_factory, receiver.url).delivered == 0
    assert deliver(uow_factory, receiver.url).delivered == 1


def test_worker_delivers_new_alerts_until_stopped(uow_factory, start_receiver, database_url):
    enrol(uow_factory, "S1")
    receiver = start_receiver()
    settings = Settings(database_url=database_url, alert_webhook_url=receiver.url, alert_webhook_secret=SECRET,
                        alert_poll_interval_s=0.05)
    stop = threading.Event()
    worker = threading.Thread(target=run_worker, args=(settings, stop, uow_factory))
    worker.start()
    try:
        urgent(uow_factory)
        deadline = time.monotonic() + 5
        while not receiver.requests and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        stop.set()
        worker.join(timeout=5)
    assert not worker.is_alive()
    assert len(receiver.requests) == 1 and count_pending(uow_factory()) == 0


def test_worker_without_a_url_warns_once_and_keeps_the_alerts(uow_factory, database_url, caplog):
    enrol(uow_factory, "S1")
    urgent(uow_factory)
    stop = threading.Event()
    worker = threading.Thread(target=run_worker, args=(Settings(database_url=database_url), stop, uow_factory))
    worker.start()
    time.sleep(0.2)
    assert worker.is_alive()
    stop.set()
    worker.join(timeout=5)
    warnings = [record.getMessage() for record in caplog.records if record.name == "bot.alerts.worker"]
    assert len(warnings) == 1 and "ILP_ALERT_WEBHOOK_URL is not set" in warnings[0]
    assert count_pending(uow_factory()) == 1


def cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def alerts_env(monkeypatch):
    def point_at(url: str | None) -> None:
        if url is None:
            monkeypatch.delenv("ILP_ALERT_WEBHOOK_URL", raising=False)
        else:
            monkeypatch.setenv("ILP_ALERT_WEBHOOK_URL", url)
        monkeypatch.setenv("ILP_ALERT_WEBHOOK_SECRET", SECRET)
        monkeypatch.setenv("ILP_ALERT_READ_TIMEOUT_S", "0.5")
        get_settings.cache_clear()

    return point_at


@pytest.mark.usefixtures("database_in_environment")  # the command reads its settings from the environment
def test_cli_deliver_reports_counts_and_exits_1_while_alerts_are_pending(uow_factory, start_receiver, alerts_env,
                                                                        capsys):
    enrol(uow_factory, "S1")
    urgent(uow_factory)

    alerts_env(None)
    code, _, err = cli(capsys, "alerts", "deliver")
    assert code == 1 and "ILP_ALERT_WEBHOOK_URL is not set" in err and "(1 pending)" in err

    alerts_env(start_receiver(status=503).url)
    code, out, _ = cli(capsys, "alerts", "deliver")
    assert code == 1 and "delivered 0, failed 1, pending 1" in out

    receiver = start_receiver()
    alerts_env(receiver.url)
    code, out, _ = cli(capsys, "alerts", "deliver")  # ignores the backoff the failure set
    assert code == 0 and "delivered 1, failed 0, pending 0" in out
    assert verify(SECRET, *receiver.requests[0])

    code, out, _ = cli(capsys, "alerts", "list", "--json")
    [alert] = json.loads(out)
    assert code == 0 and alert["attempts"] == 2 and alert["delivered_at"] and alert["last_error"] == ""
    assert set(alert) == {"delivery_id", "flag_id", "attempts", "created_at", "next_attempt_at", "delivered_at",
                          "last_error"}


def test_outbox_migration_matches_the_model(database_url):
    with db_engine.get_engine(database_url).connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert [change for change in diff if "alert_outbox" in repr(change)] == []
