"""Starts the real stack (`ilp serve`: Rasa, action server, web app) on free ports for tests.

A plain module, not a conftest: the stack tests and the browser tests each start their own stack
with `running_stack`, in their own throwaway var directory, so a running `make run` is not disturbed.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx
import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection

from bot.bench.stack import drop_postgres_database, free_port, postgres_database
from bot.config import PROJECT_ROOT
from bot.db.engine import get_session_factory
from bot.db.unit_of_work import UnitOfWork
from bot.service_auth import bearer

MODEL = PROJECT_ROOT / "models" / "ilp-advisor.tar.gz"
SERVER_PORTS = ("ILP_RASA_PORT", "ILP_ACTION_PORT", "ILP_WEB_PORT")
LOOPBACK = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1 and ::1 as the kernel prints them


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


def stack_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment for `ilp serve`: SQLite stores in var_dir, free ports, fresh secrets, plus `extra`."""
    env = {**os.environ, "ILP_VAR_DIR": str(var_dir), "ILP_RASA_PORT": str(free_port()),
           "ILP_ACTION_PORT": str(free_port()), "ILP_WEB_PORT": str(free_port()),
           "ILP_RASA_TOKEN": uuid.uuid4().hex, "ILP_SECRET_KEY": uuid.uuid4().hex,
           "RASA_TELEMETRY_ENABLED": "false"}
    env.pop("ILP_DATABASE_URL", None)
    env.pop("ILP_TRACKER_DATABASE_URL", None)
    env.pop("ILP_REDIS_URL", None)
    env.update(extra)
    return env


def start(env: dict) -> subprocess.Popen:
    """Starts `ilp serve` and waits until the web app, Rasa and the action server all answer."""
    process = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve"], env=env, cwd=PROJECT_ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for(f"http://127.0.0.1:{env['ILP_WEB_PORT']}/healthz", process)
        wait_for(f"http://127.0.0.1:{env['ILP_RASA_PORT']}/", process)
        wait_for(f"http://127.0.0.1:{env['ILP_ACTION_PORT']}/health", process)
    except BaseException:
        stop(process)
        raise
    return process


def stop(process: subprocess.Popen) -> bool:
    """Ctrl-C for `ilp serve`; True when it exited 0 within 30 s."""
    if process.poll() is not None:
        return False
    process.send_signal(signal.SIGINT)
    try:
        return process.wait(timeout=30) == 0
    except subprocess.TimeoutExpired:
        process.kill()
        return False


@contextmanager
def running_stack(var_dir: Path, stores: str = "sqlite", **extra_env: str) -> Iterator[dict]:
    """The migrated, seeded demo school behind a running `ilp serve`; stopped with Ctrl-C afterwards.

    stores is "sqlite" (both databases in var_dir) or "postgres+redis" (throwaway databases on
    ILP_TEST_POSTGRES_URL, dropped afterwards, and the Redis lock store; skips without PostgreSQL).
    On a clean exit it also checks that Ctrl-C stopped all three servers and freed their ports.
    """
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make test` (it trains first)")
    if stores not in ("sqlite", "postgres+redis"):
        raise ValueError(f"unknown stores {stores!r}")
    admin_url = os.environ.get("ILP_TEST_POSTGRES_URL")
    if stores == "postgres+redis" and not admin_url:
        pytest.skip("ILP_TEST_POSTGRES_URL is not set")
    env = stack_env(var_dir, **extra_env)
    created = []
    stopped_cleanly = False
    try:
        if stores == "postgres+redis":
            env["ILP_DATABASE_URL"] = postgres_database(admin_url, "ilp_stack_plan")
            created.append(env["ILP_DATABASE_URL"])
            env["ILP_TRACKER_DATABASE_URL"] = postgres_database(admin_url, "ilp_stack_tracker")
            created.append(env["ILP_TRACKER_DATABASE_URL"])
            env["ILP_REDIS_URL"] = os.environ.get("ILP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
        plan_url = env.get("ILP_DATABASE_URL", f"sqlite:///{var_dir / 'plan.db'}")
        tracker_url = env.get("ILP_TRACKER_DATABASE_URL", f"sqlite:///{var_dir / 'tracker.db'}")
        migrated = ilp(env, "db", "upgrade")  # as `make run` does, so what it writes is as a person's run writes it
        assert migrated.returncode == 0, migrated.stderr
        seeded = ilp(env, "demo", "seed")
        assert seeded.returncode == 0, seeded.stderr
        process = start(env)
        try:
            yield {"env": env, "process": process, "plan_url": plan_url, "tracker_url": tracker_url,
                   "var_dir": var_dir, "rasa": f"http://127.0.0.1:{env['ILP_RASA_PORT']}",
                   "web": f"http://127.0.0.1:{env['ILP_WEB_PORT']}"}
        finally:
            stopped_cleanly = stop(process)
    finally:
        for url in created:
            drop_postgres_database(admin_url, url)
    # Ctrl-C stops all three servers and frees their ports.
    assert stopped_cleanly, "ilp serve did not exit 0 within 30 s of SIGINT"
    for key in SERVER_PORTS:
        assert not listening_addresses(int(env[key])), f"{key} still listening after Ctrl-C"
    leaks = student_words_in_logs(var_dir / "log")
    assert not leaks, f"the servers' logs hold what students wrote: {leaks}"


def post_to_rest_channel(stack: dict, body: dict | None = None, *, content: bytes | None = None,
                        timeout: float = 60, **headers: str) -> httpx.Response:
    """POSTs to Rasa's REST channel as the web app does: with the Rasa token."""
    headers = {**bearer(stack["env"]["ILP_RASA_TOKEN"]), **headers}
    return httpx.post(f"{stack['rasa']}/webhooks/rest/webhook", json=body, content=content, headers=headers,
                      timeout=timeout)


def say(stack: dict, sender: str, message: str) -> str:
    """What the bot answers `message` from `sender`, through Rasa's REST channel, as one string."""
    response = post_to_rest_channel(stack, {"sender": sender, "message": message})
    assert response.status_code == 200, response.text
    return " ".join(reply.get("text") or "" for reply in response.json())


def plan_uow(stack: dict) -> UnitOfWork:
    """A unit of work on the running stack's plan database."""
    return UnitOfWork(get_session_factory(stack["plan_url"]))


# Words the stack and browser tests send as students (or advisors about students). No server log may
# hold them: Rasa's own failure log prints a message's text, and the project's code must keep it out.
STUDENT_WORDS = ("fixing engines", "want to kms", "varsity soccer", "painting murals", "building robots",
                 "drawing comics", "dad hits her", "nurse or an electrician", "a B in algebra",
                 "homework is killing me", "basketball team", "I love drawing", "fixing her bike",
                 "kill myself tonight", "matarme esta noche", "glimmerquartz")


def student_words_in_logs(log_dir: Path) -> list[str]:
    """`file: words` for every log line that holds one of STUDENT_WORDS (case-insensitive)."""
    found = []
    for path in sorted(log_dir.glob("*.log")):
        text = path.read_text(errors="replace").lower()
        found += [f"{path.name}: {words!r}" for words in STUDENT_WORDS if words.lower() in text]
    return found


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


@contextmanager
def connected(url: str) -> Iterator[Connection]:
    """A fresh connection to one of the stack's databases (the servers hold their own), closed after use."""
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def scalar(url: str, query):
    with connected(url) as connection:
        return connection.execute(query).scalar()


def rows(url: str, query) -> list:
    with connected(url) as connection:
        return connection.execute(query).all()
