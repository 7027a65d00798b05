"""`python -m bot.bench.staff_pages`: how fast the counselor pages are for a caseload of 400 students.

Builds a throwaway plan database (SQLite, or PostgreSQL with --postgres ADMIN_URL) holding one
counselor with N synthetic students, each with a few plan items and one in ten with a flag, then
times every staff page in-process (FastAPI's TestClient, Rasa's tracker API answered by a stub) and
prints p50/p95 per page with the ratio to /healthz measured in the same run.
"""
from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.bench.stats import percentile
from bot.config import Settings
from bot.db import engine as db_engine
from bot.db.migrate import upgrade
from bot.db.unit_of_work import UnitOfWorkFactory, units_of_work
from bot.flags import raise_flag
from bot.plans.postsecondary import record_postsecondary
from bot.plans.services import Author, record_career_goal
from bot.rasa_client import RasaClient
from bot.roster.services import import_roster
from bot.staff import add_user

COUNSELOR, PASSWORD, SCHOOL = "bench.counselor@bench.example", "bench-counselor-password", "Bench High School"
CAREERS = ("registered nurse", "electrician", "graphic designer", "software developer", "chef", "teacher")
PATHS = ("four_year", "two_year", "apprenticeship", "military", "work")


def seed(uow_factory: UnitOfWorkFactory, students: int) -> None:
    add_user(uow_factory(), email=COUNSELOR, role="counselor", password=PASSWORD, school_name=SCHOOL)
    rows = "".join(f"B{n:04d},Student{n},Bench,{6 + n % 7},{SCHOOL},{COUNSELOR}\n" for n in range(students))
    report = import_roster(uow_factory(), ("student_id,first_name,last_name,grade,school,counselor_email\n" + rows).encode())
    assert not report.errors, report.errors[:3]
    for n in range(students):
        student = f"B{n:04d}"
        record_career_goal(uow_factory(), student, CAREERS[n % len(CAREERS)], f"{student}:c", Author("student"))
        record_postsecondary(uow_factory(), student, PATHS[n % len(PATHS)], f"{student}:p", Author("student"))
        if n % 10 == 0:
            raise_flag(uow_factory(), student, category="academic", severity="normal", excerpt="failing a class",
                       conversation_id=student, event_id=f"{student}:f")


def timed(client: TestClient, path: str, repeats: int) -> list[float]:
    client.get(path)  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return times


def signed_in_client(settings: Settings) -> TestClient:
    from bot.web.app import create_app

    tracker = httpx.MockTransport(lambda request: httpx.Response(200, json={"events": []}))
    client = TestClient(create_app(settings,
                                   rasa=RasaClient("http://rasa.bench", "token", transport=tracker)))
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/staff/sign-in").text).group(1)
    response = client.post("/staff/sign-in", data={"email": COUNSELOR, "password": PASSWORD, "csrf_token": token},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


def run(settings: Settings, students: int, repeats: int) -> None:
    started = time.perf_counter()
    seed(units_of_work(settings), students)
    print(f"seeded {students} students in {time.perf_counter() - started:.0f} s; {repeats} timed requests per page")
    client = signed_in_client(settings)
    pages = {"/healthz (baseline)": "/healthz", "flag queue": "/staff/flags", "students": "/staff/students",
             "student page": "/staff/students/B0000", "printable plan": "/staff/students/B0000/export",
             "plan PDF": "/staff/students/B0000/plan.pdf", "flag review": "/staff/flags/1",
             "reports": "/staff/reports", "reports CSV": "/staff/reports/benchmarks-by-grade.csv"}
    baseline = None
    print(f"{'page':<22}{'p50 ms':>10}{'p95 ms':>10}{'p50 / baseline':>16}")
    for name, path in pages.items():
        times = timed(client, path, repeats)
        p50, p95 = statistics.median(times), percentile(times, 0.95)
        baseline = baseline or p50
        print(f"{name:<22}{p50:>10.1f}{p95:>10.1f}{p50 / baseline:>16.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.bench.staff_pages", description=__doc__)
    parser.add_argument("--students", type=int, default=400)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--postgres", metavar="ADMIN_URL", help="run on a throwaway PostgreSQL database")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ilp-bench-staff-") as scratch:
        url = f"sqlite:///{Path(scratch) / 'plan.db'}"
        if args.postgres:
            name = f"ilp_bench_staff_{uuid.uuid4().hex[:8]}"
            admin = create_engine(args.postgres, future=True, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            url = make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
        try:
            upgrade(url)
            print(f"plan database: {make_url(url).get_backend_name()}")
            run(Settings(database_url=url, var_dir=Path(scratch), secret_key="b" * 32), args.students, args.repeats)
        finally:
            db_engine.dispose_all()
            if args.postgres:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
