"""`ilp serve`: checks every configured store, then runs Rasa, the action server, the web app and the
alert delivery worker.

Fails loudly before starting anything when a configured database or Redis is unreachable (Rasa
itself would retry forever or fall back to memory), prints the URLs and demo sign-ins once the
three servers answer, and stops all four on Ctrl-C or when any one of them dies.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import redis
from sqlalchemy import inspect

from bot.alerts.webhook import AlertChannelNotConfigured
from bot.config import PROJECT_ROOT, Settings, get_settings
from bot.db.engine import check_reachable, get_engine
from bot.rasa_endpoints import render

START_TIMEOUT_S = 300
STOP_TIMEOUT_S = 15


class StartupError(RuntimeError):
    pass


@dataclass
class Child:
    name: str
    command: list[str]
    health_url: str | None  # None: nothing to wait for (the worker serves no HTTP)
    env: dict = field(default_factory=dict)
    process: subprocess.Popen | None = None
    log_path: Path | None = None


def preflight(settings: Settings) -> None:
    """Raises StartupError naming the first store that cannot be used."""
    for label, url in (("plan database", settings.database_url), ("tracker database", settings.tracker_database_url)):
        try:
            check_reachable(url)
        except Exception as error:
            raise StartupError(f"{label}: {error}") from error
    if "students" not in inspect(get_engine(settings.database_url)).get_table_names():
        raise StartupError("the plan database has no tables yet; run `ilp db upgrade` (make run does this)")
    if settings.redis_url:
        try:
            redis.Redis.from_url(settings.redis_url, socket_connect_timeout=5).ping()
        except redis.RedisError as error:
            raise StartupError(f"Redis lock store at {settings.redis_url}: {error}") from error
    if not model_path(settings).exists():
        raise StartupError(f"no trained model at {model_path(settings)}; run `make run` or `rasa train`")
    if not (settings.spacy_pipeline_dir / "meta.json").exists():
        raise StartupError(f"no spaCy pipeline at {settings.spacy_pipeline_dir}; run `ilp nlp build`")


def model_path(settings: Settings) -> Path:
    return settings.models_dir / "ilp-advisor.tar.gz"


def children(settings: Settings, endpoints_path: Path) -> list[Child]:
    bin_dir = Path(sys.executable).parent
    host = settings.host
    return [
        Child("actions", [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "-p", str(settings.action_port)],
              f"http://{host}:{settings.action_port}/health",
              # Rasa keeps idle connections to the action server for up to 15 s; Sanic closes them after
              # 5 s by default, and a request sent in between fails and comes back to the student as [].
              env={"SANIC_HOST": host, "SANIC_KEEP_ALIVE_TIMEOUT": "75"}),
        Child("rasa", [str(bin_dir / "rasa"), "run", "--model", str(model_path(settings)),
                       "--endpoints", str(endpoints_path), "--credentials", str(PROJECT_ROOT / "credentials.yml"),
                       "--interface", host, "--port", str(settings.rasa_port),
                       "--enable-api", "--auth-token", settings.rasa_token],
              f"{settings.rasa_url}/"),
        Child("web", [sys.executable, "-m", "uvicorn", "bot.web.app:create_app", "--factory",
                      "--host", host, "--port", str(settings.web_port), "--no-access-log",
                      "--ws", "none"],
              f"{settings.web_url}/healthz"),
        Child("alerts", [sys.executable, "-m", "bot.alerts.worker"], None),
    ]


def serve(settings: Settings | None = None) -> int:
    settings = settings or get_settings()
    try:
        preflight(settings)
    except StartupError as error:
        print(f"error: cannot start: {error}", file=sys.stderr)
        return 1
    run_dir = settings.var_dir / "run"
    log_dir = settings.var_dir / "log"
    run_dir.mkdir(parents=True, exist_ok=True)
    log_dir.mkdir(parents=True, exist_ok=True)
    endpoints_path = run_dir / "endpoints.yml"
    endpoints_path.write_text(render(settings))

    stopping = False

    def request_stop(_signum, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)

    processes = children(settings, endpoints_path)
    try:
        for child in processes:
            start(child, log_dir)
        deadline = time.monotonic() + START_TIMEOUT_S
        pending = list(processes)
        print("waiting for the servers to answer (Rasa takes 20-60 s to load its model)...", flush=True)
        while pending and not stopping:
            died = [child for child in processes if child.process.poll() is not None]
            if died:
                raise StartupError(f"{died[0].name} exited with code {died[0].process.returncode}; see {died[0].log_path}")
            pending = [child for child in pending if child.health_url and not answers(child.health_url)]
            if time.monotonic() > deadline:
                raise StartupError("timed out waiting for " + ", ".join(child.name for child in pending))
            time.sleep(0.5)
        if not stopping:
            print_welcome(settings, log_dir)
        while not stopping:
            died = [child for child in processes if child.process.poll() is not None]
            if died:
                raise StartupError(f"{died[0].name} exited with code {died[0].process.returncode}; see {died[0].log_path}")
            time.sleep(0.5)
        return 0
    except StartupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        stop_all(processes)


def start(child: Child, log_dir: Path) -> None:
    child.log_path = log_dir / f"{child.name}.log"
    log = open(child.log_path, "ab")
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2", **child.env}
    # Each child leads its own process group, so stopping it also stops the workers it forks.
    child.process = subprocess.Popen(child.command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
    log.close()


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def stop_all(processes: list[Child]) -> None:
    running = [child for child in processes if child.process and child.process.poll() is None]
    for child in running:
        _signal_group(child, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_S
    for child in running:
        try:
            child.process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            _signal_group(child, signal.SIGKILL)
            child.process.wait()
    if running:
        print("stopped " + ", ".join(child.name for child in running), flush=True)


def _signal_group(child: Child, signum: int) -> None:
    try:
        os.killpg(child.process.pid, signum)
    except ProcessLookupError:
        pass


def print_welcome(settings: Settings, log_dir: Path) -> None:
    from bot.demo import demo_sign_ins

    print(f"\nILP Advisor is running:\n"
          f"  web app (students)            {settings.web_url}/\n"
          f"  web app (staff)               {settings.web_url}/staff/sign-in\n"
          f"  Rasa server (loopback only)   {settings.rasa_url}  REST: /webhooks/rest/webhook\n"
          f"  action server                 http://{settings.host}:{settings.action_port}\n"
          f"  logs                          {_shown_path(log_dir)}/\n", flush=True)
    if settings.environment != "production":
        demo = demo_sign_ins()
        print(f"Demo sign-ins ({demo.school}, synthetic):")
        for role, email, password in demo.staff:
            print(f"  {role:<10} {email:<34} password {password}")
        for student_id, first, grade, code in demo.students[:4]:
            print(f"  student    {student_id:<12} {first:<10} grade {grade:<3} code {code}")
        print(f"  ... and {len(demo.students) - 4} more students in data/demo/school.yml")
    if not settings.alert_webhook_url:
        print(f"\nNote: {AlertChannelNotConfigured()}.")
    print("\nPress Ctrl-C to stop everything.", flush=True)


def _shown_path(path: Path) -> str:
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative
