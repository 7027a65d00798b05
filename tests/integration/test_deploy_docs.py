"""docs/deploy.md's production procedure, run as the document gives it.

Every block marked `<!-- deploy-test: NAME -->` is taken from the document at test time, never
copied here; only the first, the site's own values, is replaced by this test's (throwaway
PostgreSQL databases, free ports, a folder of its own). So when the document and the code part
ways, this fails. It then checks what a district cares about: a staff sign-in over https, a
student's crisis message reaching an https alert receiver whose link opens the flag for the
counselor, and a backup restored into a fresh database that holds every answer.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
import uuid

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot.alerts.signature import verify
from bot.bench.stack import drop_postgres_database, free_port
from bot.config import PROJECT_ROOT
from bot.db.migrate import create_database
from bot.db.tables import Answer, Flag
from tests.receivers import Receiver
from tests.stack import listening_addresses, scalar
from tests.web_clients import csrf_token, sign_in_staff, sign_in_student

pytestmark = pytest.mark.stack
DEPLOY_DOC = PROJECT_ROOT / "docs" / "deploy.md"
BLOCK = re.compile(r"<!-- deploy-test: ([a-z-]+) -->\n```sh\n(.*?)```", re.S)
STEPS = ["site", "secrets", "load", "trial-certificate", "build", "accounts", "tls-proxy", "start", "backup",
         "restore", "stop"]
SCHOOL, ADMIN, COUNSELOR, PASSWORD = "Deploy Test High School", "admin@deploy.example", "counselor@deploy.example", "a-long-password-2026"
STUDENT = "D23-0001"
CODE_CARD = re.compile(rf'data-student-id="{STUDENT}">([A-Z0-9]{{4}}-[A-Z0-9]{{4}})<')


def documented_steps() -> dict[str, str]:
    steps = dict(BLOCK.findall(DEPLOY_DOC.read_text()))
    assert list(steps) == STEPS, f"docs/deploy.md's deploy-test blocks changed: {list(steps)}"
    return steps


def run(steps: dict[str, str], names: list[str], env: dict[str, str]) -> None:
    """Runs the named blocks, in one bash, from the checkout, as a person pasting them would."""
    script = "set -euo pipefail\n" + "\n".join(steps[name] for name in names)
    result = subprocess.run(["bash", "-c", script], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                            timeout=900)
    assert result.returncode == 0, f"deploy.md steps {names} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"


def site_values(etc, admin_url: str, name: str, ports: dict[str, int], receiver_url: str) -> str:
    database = lambda kind: make_url(admin_url).set(database=f"{name}_{kind}").render_as_string(hide_password=False)
    return "\n".join([
        "ILP_ENVIRONMENT=production", f"ILP_DATABASE_URL={database('plan')}",
        f"ILP_TRACKER_DATABASE_URL={database('tracker')}",
        f"ILP_REDIS_URL={os.environ.get('ILP_TEST_REDIS_URL', 'redis://127.0.0.1:6379/0')}", "ILP_RASA_INSTANCES=2",
        f"ILP_VAR_DIR={etc / 'var'}", "ILP_HOST=127.0.0.1", f"ILP_WEB_PORT={ports['web']}",
        f"ILP_RASA_PORT={ports['rasa']}", f"ILP_ACTION_PORT={ports['action']}", "ILP_TRUSTED_PROXIES=127.0.0.1",
        f"ILP_ALERT_WEBHOOK_URL={receiver_url}", f"ILP_PUBLIC_URL=https://localhost:{ports['https']}",
        "SITE_NAME=localhost", f"SITE_HTTPS_PORT={ports['https']}", f"SITE_CERT={etc / 'tls' / 'cert.pem'}",
        f"SITE_KEY={etc / 'tls' / 'key.pem'}", f'SITE_SCHOOL="{SCHOOL}"', f"SITE_ADMIN_EMAIL={ADMIN}",
        f"SITE_COUNSELOR_EMAIL={COUNSELOR}", ""])


def stop_what_is_left(etc) -> None:
    """After a failed step: Ctrl-C to `ilp serve` and quit to the TLS proxy, if they were started."""
    for pid_file, signal_number in ((etc / "serve.pid", signal.SIGINT), (etc / "nginx" / "tls.pid", signal.SIGQUIT)):
        try:
            os.kill(int(pid_file.read_text()), signal_number)
        except (OSError, ValueError):
            pass  # never started, or stopped already


def wait_until(check, timeout_s: float, what: str):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            found = check()
        except httpx.HTTPError:
            found = None
        if found:
            return found
        time.sleep(1)
    raise AssertionError(f"{what} within {timeout_s} s")


def test_the_production_procedure_in_deploy_md_works_when_followed_literally(tmp_path):
    admin_url = os.environ.get("ILP_TEST_POSTGRES_URL")
    if not admin_url:
        pytest.skip("the procedure is for PostgreSQL: ILP_TEST_POSTGRES_URL is not set")
    steps = documented_steps()
    etc = tmp_path / "etc-ilp"
    etc.mkdir(mode=0o700)
    name = f"ilp_deploy_{uuid.uuid4().hex[:8]}"
    ports = {"web": free_port(), "rasa": free_port(), "action": free_port(), "https": free_port()}
    cert = etc / "tls" / "cert.pem"
    env = {key: value for key, value in os.environ.items() if not key.startswith("ILP_") or key.startswith("ILP_TEST_")}
    env.update(ILP_ETC=str(etc), SSL_CERT_FILE=str(cert))  # the alert worker trusts the trial certificate
    (etc / "admin-password").write_text(PASSWORD)
    (etc / "counselor-password").write_text(PASSWORD)
    (etc / "roster.csv").write_text("student_id,first_name,last_name,grade,school,counselor_email\n"
                                    f"{STUDENT},Dana,Doe,10,{SCHOOL},{COUNSELOR}\n")
    receiver = None
    try:
        # The site's values need the receiver's address, which needs the certificate the procedure makes.
        (etc / "ilp.env").write_text(site_values(etc, admin_url, name, ports, "https://localhost:1/alerts"))
        run(steps, ["secrets", "load", "trial-certificate"], env)
        receiver = Receiver(host="localhost", tls=(str(cert), str(etc / "tls" / "key.pem")))
        (etc / "ilp.env").write_text(site_values(etc, admin_url, name, ports, receiver.url))
        run(steps, ["load", "build", "accounts", "tls-proxy", "start"], env)
        site = f"https://localhost:{ports['https']}"
        wait_until(lambda: httpx.get(f"{site}/healthz", verify=str(cert), timeout=5).status_code == 200, 300,
                   "the web app did not answer over https")
        with httpx.Client(base_url=site, verify=str(cert), timeout=120) as counselor, \
                httpx.Client(base_url=site, verify=str(cert), timeout=120) as student:
            assert sign_in_staff(counselor, COUNSELOR, PASSWORD).headers["location"] == "/staff/flags"
            cards = counselor.post(f"/staff/students/{STUDENT}/sign-in-code",
                                   data={"csrf_token": csrf_token(counselor, f"/staff/students/{STUDENT}")})
            [code] = CODE_CARD.findall(cards.text)
            assert sign_in_student(student, STUDENT, code).status_code == 303
            wait_until(lambda: student.post("/api/messages", json={"text": "hi"}).status_code == 200, 240,
                       "both Rasa instances did not answer")
            saved = student.post("/api/messages", json={"text": "i love fixing engines"}).json()["messages"]
            assert "saved" in saved[0]["text"].lower()
            crisis = student.post("/api/messages", json={"text": "i want to kill myself tonight"}).json()["messages"]
            assert "988" in crisis[0]["text"]
            wait_until(lambda: receiver.requests, 60, "no alert reached the https receiver")
            [(headers, body)] = receiver.requests
            secret = dict(line.split("=", 1) for line in (etc / "secrets.env").read_text().split())["ILP_ALERT_WEBHOOK_SECRET"]
            assert verify(secret, headers, body)
            link = httpx.URL(json.loads(body)["url"])
            assert str(link).startswith(f"{site}/staff/flags/")
            flag_page = counselor.get(str(link))
            assert flag_page.status_code == 200 and "Dana Doe" in flag_page.text

        plan_url = dict(line.split("=", 1) for line in (etc / "ilp.env").read_text().split("\n") if "=" in line)["ILP_DATABASE_URL"]
        answers = scalar(plan_url, select(func.count(Answer.id)))
        restored = make_url(admin_url).set(database=f"{name}_restored").render_as_string(hide_password=False)
        create_database(restored)  # "a fresh database"
        run(steps, ["load", "backup", "restore"], {**env, "RESTORE_DATABASE_URL": restored})
        assert answers > 0 and scalar(restored, select(func.count(Answer.id))) == answers
        assert scalar(restored, select(func.count(Flag.id)).where(Flag.severity == "urgent")) == 1
        run(steps, ["load", "stop"], env)
    finally:
        stop_what_is_left(etc)
        if receiver:
            receiver.stop()
        for kind in ("plan", "tracker", "restored"):
            drop_postgres_database(admin_url, make_url(admin_url).set(database=f"{name}_{kind}").render_as_string(
                hide_password=False))
    wait_until(lambda: not any(listening_addresses(port) for port in ports.values()), 60,
               "the stack and the TLS proxy did not stop")
