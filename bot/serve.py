"""`ilp serve`: checks every configured store, then runs Rasa, the action server, the web app and the
alert delivery worker; with ILP_RASA_INSTANCES above 1, that many Rasa servers behind nginx.

Fails loudly before starting anything when a configured database or Redis is unreachable (Rasa
itself would retry forever or fall back to memory), prints the URLs and demo sign-ins once the
three servers answer, and stops them all on Ctrl-C. A server that dies after the start is started
again (a Rasa instance behind nginx meanwhile leaves the others to answer); one that dies
MAX_RESTARTS times within RESTART_WINDOW_S stops them all. Each child's pid is in var/run/<name>.pid.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import httpx
import redis
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from bot import var_dir
from bot.alerts.webhook import AlertChannelNotConfigured
from bot.config import PROJECT_ROOT, MissingSecret, Settings, get_settings, require_secrets
from bot.db.engine import check_reachable, get_engine
from bot.db.unit_of_work import units_of_work
from bot.demo import DEMO_ACCOUNTS_IN_PRODUCTION, holds_demo_accounts
from bot.rasa_endpoints import render
from bot.var_dir import ensure_folder

START_TIMEOUT_S = 300
STOP_TIMEOUT_S = 15
MAX_RESTARTS = 5
RESTART_WINDOW_S = 120


class StartupError(RuntimeError):
    pass


# Every server answers one message at a time per worker: a numpy product there is small, and OpenBLAS's own worker
# threads, woken for it, spin on the other core for about 80 ms after each call (measured on the knowledge matcher
# and career matching: 20 calls 100 ms apart used 1.6-2.0 s of CPU for 2 s of wall time, almost all in those threads).
CHILD_ENV = {"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2", "OPENBLAS_NUM_THREADS": "1"}


@dataclass
class Child:
    name: str
    command: list[str]
    health_url: str | None  # None: nothing to wait for (the worker serves no HTTP)
    env: dict = field(default_factory=dict)
    process: subprocess.Popen | None = None
    log_path: Path | None = None
    restarts: list[float] = field(default_factory=list)  # monotonic times of restarts after the start
    # Started only once every other child answers: the load balancer, so that its URL answering means
    # every Rasa instance behind it has loaded its model, not just the first one.
    starts_last: bool = False


def preflight(settings: Settings) -> None:
    """Raises StartupError naming the first secret missing or store that cannot be used."""
    try:
        require_secrets(settings, "secret_key", "rasa_token", "action_token",
                        *(("alert_webhook_secret",) if settings.alert_webhook_url else ()))
    except MissingSecret as error:
        raise StartupError(str(error)) from error
    refuse_a_second_stack(settings)
    for label, url in (("plan database", settings.database_url), ("tracker database", settings.tracker_database_url)):
        try:
            check_reachable(url)
        except Exception as error:
            raise StartupError(f"{label}: {error}") from error
    if "students" not in inspect(get_engine(settings.database_url)).get_table_names():
        raise StartupError("the plan database has no tables yet; run `ilp db upgrade` (make run does this)")
    if settings.environment == "production" and holds_demo_accounts(units_of_work(settings)()):
        raise StartupError(DEMO_ACCOUNTS_IN_PRODUCTION)
    if settings.redis_url:
        try:
            redis.Redis.from_url(settings.redis_url, socket_connect_timeout=5).ping()
        except redis.RedisError as error:
            raise StartupError(f"Redis lock store at {settings.redis_url}: {error}") from error
    if settings.rasa_instances > 1:
        if make_url(settings.tracker_database_url).get_backend_name() == "sqlite":
            raise StartupError("several Rasa instances need one shared tracker store: set ILP_TRACKER_DATABASE_URL "
                               "to a PostgreSQL database (make run-scaled does)")
        if not settings.redis_url:
            raise StartupError("several Rasa instances need the Redis lock store: set ILP_REDIS_URL")
        if not os.access(settings.nginx_bin, os.X_OK):
            raise StartupError(f"no nginx at {settings.nginx_bin}: run `make nginx` (installs Debian's package)")
    if not model_path(settings).exists():
        raise StartupError(f"no trained model at {model_path(settings)}; run `make run` or `rasa train`")
    if not (settings.spacy_pipeline_dir / "meta.json").exists():
        raise StartupError(f"no spaCy pipeline at {settings.spacy_pipeline_dir}; run `ilp nlp build`")


def refuse_a_second_stack(settings: Settings) -> None:
    """Raises StartupError, before anything is written, when a stack already runs from this var
    folder or another program holds a port this one would bind."""
    run = settings.var_dir / "run"
    for pid_file in sorted(run.glob("*.pid")) if run.is_dir() else []:
        pid = pid_file.read_text().strip()
        if pid.isdigit() and _is_ours(int(pid)):
            raise StartupError(f"another `ilp serve` is running from {settings.var_dir} ({pid_file.stem} has pid {pid}); "
                               "stop it first (Ctrl-C where it runs), or give this one its own ILP_VAR_DIR")
    for host, port, variable in ((settings.host, settings.web_port, "ILP_WEB_PORT"),
                                 (settings.internal_host, settings.rasa_port, "ILP_RASA_PORT"),
                                 (settings.internal_host, settings.action_port, "ILP_ACTION_PORT")):
        if _port_taken(host, port):
            raise StartupError(f"{host}:{port} ({variable}) is already in use, perhaps by another `make run`; "
                               f"stop that, or set {variable} to a free port")


def _is_ours(pid: int) -> bool:
    """A live process started by `ilp serve` (a pid file left by a killed stack may name someone else's)."""
    return server_role(command_line(pid)) is not None


def command_line(pid: int) -> list[str]:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def server_role(argv: list[str]) -> str | None:
    """Which of `ilp serve`'s children a command line is: rasa, actions, web, alerts or nginx."""
    if "components.action_server" in argv:
        return "actions"
    if "bot.web" in argv:
        return "web"
    if "bot.alerts.worker" in argv:
        return "alerts"
    if "run" in argv and any(arg == "components.rasa_server" or Path(arg).name == "rasa" for arg in argv):
        return "rasa"
    # nginx rewrites its command line to "nginx: master process /usr/sbin/nginx -p ...".
    if argv and (Path(argv[0]).name == "nginx" or argv[0].startswith("nginx:")):
        return "nginx"
    return None


def _port_taken(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def model_path(settings: Settings) -> Path:
    return settings.models_dir / "ilp-advisor.tar.gz"


def children(settings: Settings, endpoints_path: Path, run_dir: Path | None = None,
             log_dir: Path | None = None) -> list[Child]:
    internal_host = settings.internal_host

    def rasa(name: str, port: int) -> Child:
        return Child(name, [sys.executable, "-m", "components.rasa_server", "run", "--model", str(model_path(settings)),
                            "--endpoints", str(endpoints_path), "--credentials", str(PROJECT_ROOT / "credentials.yml"),
                            "--interface", internal_host, "--port", str(port), "--enable-api"],
                     f"http://{internal_host}:{port}/")

    if settings.rasa_instances == 1:
        servers = [rasa("rasa", settings.rasa_port)]
    else:
        ports: list[int] = []
        for _ in range(settings.rasa_instances):
            # Not one the web app or action server binds a moment later, nor one picked already.
            ports.append(free_port(internal_host, {settings.rasa_port, settings.action_port, settings.web_port, *ports}))
        servers = [rasa(f"rasa-{number}", port) for number, port in enumerate(ports, start=1)]
        config = run_dir / "nginx.conf"
        config.write_text(nginx_config(settings, ports, run_dir, log_dir))
        servers.append(Child("nginx", [str(settings.nginx_bin), "-p", str(run_dir), "-c", str(config),
                                       "-e", str(log_dir / "nginx-error.log")], f"{settings.rasa_url}/",
                             starts_last=True))
    return [
        Child("actions", [sys.executable, "-m", "components.action_server"],
              f"http://{internal_host}:{settings.action_port}/health"),
        *servers,
        Child("web", [sys.executable, "-m", "bot.web"], f"{settings.web_url}/healthz"),
        Child("alerts", [sys.executable, "-m", "bot.alerts.worker"], None),
    ]


def nginx_config(settings: Settings, ports: list[int], run_dir: Path, log_dir: Path) -> str:
    """nginx in front of the Rasa instances on rasa_port: the least busy instance gets each request.

    A message is never sent twice: nginx passes a POST to another instance only when the first could
    not be reached, and there are no kept-alive upstream connections, so a request to a killed
    instance fails at connect (and goes to another) rather than after being sent. A request in
    flight when an instance dies is a 502, which the web app shows the student as an error to retry.
    The access log holds which instance answered and the status, never a URL.
    """
    upstreams = "\n".join(f"    server {settings.internal_host}:{port} max_fails=1 fail_timeout=5s;" for port in ports)
    temp = ensure_folder(run_dir / "nginx-temp")
    return f"""# Written by `ilp serve` for ILP_RASA_INSTANCES={settings.rasa_instances}; edit the settings, not this file.
daemon off;
worker_processes 1;
pid {run_dir / "nginx.pid"};
events {{ worker_connections 1024; }}
http {{
  log_format upstream '$time_iso8601 $upstream_addr $status $request_time';
  access_log {log_dir / "nginx-access.log"} upstream;
  client_body_temp_path {temp}/body;
  proxy_temp_path {temp}/proxy;
  fastcgi_temp_path {temp}/fastcgi;
  uwsgi_temp_path {temp}/uwsgi;
  scgi_temp_path {temp}/scgi;
  client_max_body_size 1m;
  client_body_buffer_size 1m;  # kept in memory: the workers may not write to var/ when nginx starts as root
  proxy_buffering off;
  upstream rasa {{
    least_conn;
{upstreams}
  }}
  server {{
    listen {settings.internal_host}:{settings.rasa_port};
    location / {{
      proxy_pass http://rasa;
      proxy_read_timeout 120s;
      proxy_next_upstream error timeout;
    }}
  }}
}}
"""


def free_port(host: str = "127.0.0.1", avoid: set[int] | frozenset[int] = frozenset()) -> int:
    """A port the kernel says is free on `host`, none of `avoid` (ports a server is about to bind)."""
    for _ in range(100):
        with socket.socket() as sock:
            sock.bind((host, 0))
            port = sock.getsockname()[1]
        if port not in avoid:
            return port
    raise StartupError("no free port")


def serve(settings: Settings | None = None) -> int:
    settings = settings or get_settings()
    try:
        preflight(settings)
    except StartupError as error:
        print(f"error: cannot start: {error}", file=sys.stderr)
        return 1
    run_dir, log_dir = var_dir.run_dir(settings), var_dir.log_dir(settings)
    endpoints_path = run_dir / "endpoints.yml"
    endpoints_path.write_text(render(settings))

    stopping = False

    def request_stop(_signum, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)

    processes = children(settings, endpoints_path, run_dir, log_dir)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        print("waiting for the servers to answer (Rasa takes 20-60 s to load its model)...", flush=True)
        for group in ([child for child in processes if not child.starts_last],
                      [child for child in processes if child.starts_last]):
            for child in group:
                start(child, log_dir, run_dir)
            if not wait_answering(group, processes, deadline, lambda: stopping):
                break
        if not stopping:
            print_welcome(settings, log_dir)
        while not stopping:
            for child in processes:
                if child.process.poll() is not None and not stopping:
                    restart(child, log_dir, run_dir)
            time.sleep(0.5)
        return 0
    except StartupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        stop_all(processes)


def wait_answering(group: list[Child], started: list[Child], deadline: float, stopping: Callable[[], bool]) -> bool:
    """Waits until every child in `group` answers its health URL; False if asked to stop first.

    Raises StartupError when any started child dies or the deadline passes.
    """
    pending = list(group)
    while pending:
        if stopping():
            return False
        died = [child for child in started if child.process and child.process.poll() is not None]
        if died:
            raise StartupError(f"{died[0].name} exited with code {died[0].process.returncode}; see {died[0].log_path}")
        pending = [child for child in pending if child.health_url and not answers(child.health_url)]
        if time.monotonic() > deadline:
            raise StartupError("timed out waiting for " + ", ".join(child.name for child in pending))
        if pending:
            time.sleep(0.5)
    return not stopping()


def restart(child: Child, log_dir: Path, run_dir: Path) -> None:
    """Starts a child that died again; raises StartupError when it keeps dying."""
    now = time.monotonic()
    child.restarts = [at for at in child.restarts if now - at < RESTART_WINDOW_S] + [now]
    code = child.process.returncode
    if len(child.restarts) > MAX_RESTARTS:
        raise StartupError(f"{child.name} exited with code {code} {MAX_RESTARTS} times in {RESTART_WINDOW_S} s; "
                           f"see {child.log_path}")
    print(f"{child.name} exited with code {code}; starting it again "
          f"({len(child.restarts)} of {MAX_RESTARTS} in {RESTART_WINDOW_S} s)", file=sys.stderr, flush=True)
    start(child, log_dir, run_dir)


def start(child: Child, log_dir: Path, run_dir: Path | None = None) -> None:
    child.log_path = log_dir / f"{child.name}.log"
    log = open(child.log_path, "ab")
    env = {**os.environ, **CHILD_ENV, **child.env}
    # Each child leads its own process group, so stopping it also stops the workers it forks.
    child.process = subprocess.Popen(child.command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
    log.close()
    if run_dir is not None:
        (run_dir / f"{child.name}.pid").write_text(f"{child.process.pid}\n")


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
          f"  Rasa server (web app only)    {settings.rasa_url}  REST: /webhooks/rest/webhook"
          f"{f'  ({settings.rasa_instances} instances behind nginx)' if settings.rasa_instances > 1 else ''}\n"
          f"  action server (Rasa only)     http://{settings.internal_host}:{settings.action_port}\n"
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
