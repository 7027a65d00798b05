"""The servers under test, started as a user would, on free loopback ports in a temporary directory.

Ours is `python -m bot.cli serve` (Rasa, action server, web app) on a fresh plan database with
synthetic students; the baseline is a bare `rasa run` with an in-memory tracker store. Neither
touches the ports of a `make run` (5005, 5055, 8000) or the repo's var/.
"""
from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from bot import serve
from bot.bench.memory import descendants
from bot.config import PROJECT_ROOT
from bot.db.engine import get_session_factory
from bot.db.migrate import upgrade
from bot.db.tables import Answer, Plan, Student
from bot.db.unit_of_work import UnitOfWork
from bot.roster.services import import_roster
from bot.service_auth import bearer
from bot.staff import add_user
from bot.var_dir import ensure_folder

RESERVED_PORTS = {5005, 5055, 8000}
START_TIMEOUT_S = 300
STOP_TIMEOUT_S = 20
COUNSELOR = "counselor@bench.example"
SCHOOL = "Bench Middle and High School"
BIN_DIR = Path(sys.executable).parent


class StackError(RuntimeError):
    pass


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    rasa_url: str
    health_urls: list[str]
    log_paths: list[Path]
    rasa_headers: dict[str, str] = field(default_factory=dict)  # ours answers only callers with its token


def free_port() -> int:
    """A port the kernel says is free on loopback, never one a `make run` uses."""
    return serve.free_port("127.0.0.1", RESERVED_PORTS)


def student_ids(count: int) -> list[str]:
    return [f"BENCH-{number:04d}" for number in range(1, count + 1)]


def roster_csv(ids: list[str]) -> bytes:
    lines = ["student_id,first_name,last_name,grade,school,counselor_email"]
    lines += [f"{sid},Student,{sid.replace('-', '')},{6 + index % 7},{SCHOOL},{COUNSELOR}"
              for index, sid in enumerate(ids)]
    return ("\n".join(lines) + "\n").encode()


def postgres_database(admin_url: str, prefix: str) -> str:
    """A new, empty PostgreSQL database for one side of the bench; its URL."""
    name = f"{prefix}_{secrets.token_hex(4)}"
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


def seed_plan_database(url: str, ids: list[str]) -> None:
    """Migrates a fresh plan database and enrolls the given students under one counselor."""
    upgrade(url)
    sessions = get_session_factory(url)
    add_user(UnitOfWork(sessions), email=COUNSELOR, role="counselor", password=secrets.token_urlsafe(18),
             school_name=SCHOOL)
    report = import_roster(UnitOfWork(sessions), roster_csv(ids))
    if report.errors or report.added != len(ids):
        raise StackError(f"roster import added {report.added} of {len(ids)}: {report.errors[:3]}")


def stored_answers(url: str) -> Counter:
    """(student_id, topic) -> rows in the answers table."""
    query = (select(Student.external_id, Answer.topic, func.count(Answer.id))
             .join(Plan, Plan.student_id == Student.id).join(Answer, Answer.plan_id == Plan.id)
             .group_by(Student.external_id, Answer.topic))
    with UnitOfWork(get_session_factory(url)) as uow:
        return Counter({(sid, topic): count for sid, topic, count in uow.session.execute(query)})


def start_ours(work_dir: Path, models_dir: Path, name: str = "ours", stores: dict[str, str] | None = None) -> Server:
    """`ilp serve` with its own var dir, ports and secrets; the plan database must already be seeded.

    `stores`: ILP_ settings for PostgreSQL, Redis and ILP_RASA_INSTANCES (default: SQLite in the var dir).
    """
    var_dir = work_dir / ("var" if name == "ours" else f"var-{name}")
    ports = {"ILP_RASA_PORT": free_port(), "ILP_ACTION_PORT": free_port(), "ILP_WEB_PORT": free_port()}
    env = {key: value for key, value in os.environ.items()
           if key not in ("ILP_DATABASE_URL", "ILP_TRACKER_DATABASE_URL", "ILP_REDIS_URL")}
    env.update({key: str(port) for key, port in ports.items()})
    rasa_token = secrets.token_urlsafe(24)
    env.update(ILP_VAR_DIR=str(var_dir), ILP_MODELS_DIR=str(models_dir), ILP_RASA_TOKEN=rasa_token,
               ILP_SECRET_KEY=secrets.token_urlsafe(24), RASA_TELEMETRY_ENABLED="false", **(stores or {}))
    log_path = work_dir / f"serve-{name}.log"
    process = _spawn([sys.executable, "-m", "bot.cli", "serve"], PROJECT_ROOT, env, log_path)
    rasa_url = f"http://127.0.0.1:{ports['ILP_RASA_PORT']}"
    return Server(name, process, rasa_url,
                  [f"{rasa_url}/", f"http://127.0.0.1:{ports['ILP_ACTION_PORT']}/health",
                   f"http://127.0.0.1:{ports['ILP_WEB_PORT']}/healthz"],
                  [log_path, var_dir / "log" / "rasa.log", var_dir / "log" / "actions.log", var_dir / "log" / "web.log"],
                  bearer(rasa_token))


def start_baseline(work_dir: Path, model: Path) -> Server:
    run_dir = work_dir / "baseline-run"
    ensure_folder(run_dir)
    credentials = run_dir / "credentials.yml"
    credentials.write_text("rest:\n")
    port = free_port()
    # Run from an empty directory: `rasa run` reads ./endpoints.yml when given none, and the repo's
    # would put the baseline's conversations in the repo's SQL tracker store.
    log_path = work_dir / "baseline.log"
    process = _spawn([str(BIN_DIR / "rasa"), "run", "--model", str(model.resolve()), "--interface", "127.0.0.1",
                      "--port", str(port), "--credentials", str(credentials)],
                     run_dir, {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}, log_path)
    url = f"http://127.0.0.1:{port}"
    return Server("baseline", process, url, [f"{url}/"], [log_path])


def _spawn(command: list[str], cwd: Path, env: dict, log_path: Path) -> subprocess.Popen:
    env = {**env, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONWARNINGS": "ignore"}
    with open(log_path, "ab") as log:
        # A session of its own: Ctrl-C reaches only the bench, which then stops the servers in order.
        return subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


def wait_healthy(server: Server, timeout_s: float = START_TIMEOUT_S) -> float:
    """Seconds until every health URL answers 200; raises StackError if the server dies or is too slow."""
    started = time.monotonic()
    pending = list(server.health_urls)
    with httpx.Client(timeout=2, trust_env=False) as client:
        while pending:
            if server.process.poll() is not None:
                raise StackError(f"{server.name} exited with code {server.process.returncode}\n{log_tails(server)}")
            if time.monotonic() - started > timeout_s:
                raise StackError(f"{server.name}: no answer from {', '.join(pending)} in {timeout_s} s\n{log_tails(server)}")
            pending = [url for url in pending if not _answers(client, url)]
            if pending:
                time.sleep(1)
    return time.monotonic() - started


def _answers(client: httpx.Client, url: str) -> bool:
    try:
        return client.get(url).status_code == 200
    except httpx.HTTPError:
        return False


def stop(server: Server, timeout_s: float = STOP_TIMEOUT_S) -> None:
    """SIGINT, then SIGKILL for it and anything it started if it has not exited after `timeout_s`."""
    # A second Ctrl-C must not leave the servers half stopped.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        process = server.process
        family = descendants(process.pid)
        if process.poll() is None:
            _signal(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                _signal(process.pid, signal.SIGKILL)
                process.wait()
        # `ilp serve` stops its servers itself; this only catches what it could not.
        deadline = time.monotonic() + 5
        while any(_alive(pid) for pid in family) and time.monotonic() < deadline:
            time.sleep(0.2)
        for pid in family:
            if _alive(pid):
                _signal(pid, signal.SIGKILL)
    finally:
        signal.signal(signal.SIGINT, previous)


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return state[state.rindex(")") + 2] != "Z"


def log_tails(server: Server, lines: int = 25) -> str:
    tails = []
    for path in server.log_paths:
        if path.exists():
            tail = path.read_text(errors="replace").splitlines()[-lines:]
            tails.append(f"--- {path.name} (last {len(tail)} lines) ---\n" + "\n".join(tail))
    return "\n".join(tails)
