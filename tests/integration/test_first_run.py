"""`make run` as the first command on a checkout where nothing has run: no var folder, no database.

Set-up and training are shared with the rest of `make test` (they are what `make test` does first);
everything after them, which a newcomer's first `make run` does for the first time, starts here
from nothing: the var folder does not exist, no secret is given, and on PostgreSQL neither
database exists yet.
"""
from __future__ import annotations

import os
import queue
import signal
import stat
import subprocess
import threading
import time
import uuid

import httpx
import pytest
from sqlalchemy.engine import make_url

from bot.bench.stack import drop_postgres_database
from bot.config import PROJECT_ROOT
from bot.demo import demo_sign_ins
from tests.stack import MODEL, SERVER_PORTS, listening_addresses, stack_env
from tests.web_clients import sign_in_student

RUNNING = "ILP Advisor is running"
START_TIMEOUT_S = 400


class MakeRun:
    """`make run` in its own process group, its output read line by line in a thread."""

    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(["make", "--no-print-directory", "run"], cwd=PROJECT_ROOT, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        start_new_session=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, text: str, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                if self.process.poll() is not None and self.lines.empty():
                    break
                continue
            self.output.append(line)
            if text in line:
                return
        raise AssertionError(f"`make run` never said {text!r}:\n{''.join(self.output[-60:])}")

    def stop(self) -> None:
        """Ctrl-C, as a person at the terminal would (to the whole process group)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def first_run_env(var_dir, **stores: str) -> dict[str, str]:
    env = stack_env(var_dir, **stores)
    for secret in ("ILP_SECRET_KEY", "ILP_RASA_TOKEN", "ILP_ACTION_TOKEN", "ILP_ALERT_WEBHOOK_SECRET"):
        env.pop(secret, None)  # a newcomer gives none: the first start makes them
    return env


def postgres_stores() -> dict[str, str]:
    admin_url = os.environ.get("ILP_TEST_POSTGRES_URL")
    if not admin_url:
        pytest.skip("ILP_TEST_POSTGRES_URL is not set")
    name = f"ilp_first_run_{uuid.uuid4().hex[:8]}"
    url = lambda database: make_url(admin_url).set(database=database).render_as_string(hide_password=False)
    return {"ILP_DATABASE_URL": url(f"{name}_plan"), "ILP_TRACKER_DATABASE_URL": url(f"{name}_tracker")}


@pytest.mark.stack
@pytest.mark.parametrize("stores", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_make_run_works_on_a_checkout_where_nothing_has_run(tmp_path, stores):
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make test` (it trains first)")
    var_dir = tmp_path / "not-made-yet" / "var"
    extra = postgres_stores() if stores == "postgres" else {}
    env = first_run_env(var_dir, **extra)
    run = MakeRun(env)
    try:
        run.wait_for(RUNNING, START_TIMEOUT_S)
        student_id, _first, _grade, code = demo_sign_ins().students[0]
        with httpx.Client(base_url=f"http://127.0.0.1:{env['ILP_WEB_PORT']}", timeout=60) as student:
            assert sign_in_student(student, student_id, code).status_code == 303
            reply = student.post("/api/messages", json={"text": "hi"})
        assert reply.status_code == 200, reply.text
        assert reply.json()["messages"][0]["text"]
    finally:
        run.stop()
        for url in extra.values():
            drop_postgres_database(os.environ["ILP_TEST_POSTGRES_URL"], url)
    for port in SERVER_PORTS:
        assert not listening_addresses(int(env[port])), f"{port} still listening after Ctrl-C"
    # What the first run wrote holds student data and secrets: the owner's only.
    for path in [var_dir, *var_dir.rglob("*")]:
        if path.is_file() or path.is_dir():
            assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, f"{path} is readable by others"
