"""Credits on the pages: the counselor's student page and the printable plan, and the student's My plan, against a
real plan database with synthetic transcripts. Earned, planned and still needed show where a transcript exists;
without one, only what is planned, and no number still needed."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot.config import Settings
from bot.db.tables import AuditEntry
from bot.earned_credits.services import import_transcripts
from bot.plans.courses import save_course_plan
from bot.roster.services import import_roster
from bot.staff import add_user
from bot.web.app import create_app
from tests.builders import give_sign_in_code, roster_csv
from tests.clock import Clock
from tests.integration.test_transcript_import import transcript_csv, twelfth_grader_rows
from tests.integration.test_web_student_pages import TODAY, nothing_from_rasa, tracker, visible_text  # noqa: F401
from tests.web_clients import sign_in_staff, sign_in_student

# The apps here are built from Settings() read from the environment, as `python -m bot.web` builds its own.
pytestmark = pytest.mark.usefixtures("database_in_environment")

PASSWORD = "a-long-test-password"
SCHOOL = "Test High School"
ALICE, BOB = "alice@school.example", "bob@school.example"


def school_with_transcripts(uow_factory) -> None:
    """Alice counsels T12 (a transcript of 20 credits) and N12 (none); Bob counsels B1."""
    for email in (ALICE, BOB):
        add_user(uow_factory(), email=email, role="counselor", password=PASSWORD, school_name=SCHOOL)
    report = import_roster(uow_factory(), roster_csv(f"T12,Tess,Ames,12,{SCHOOL},{ALICE}",
                                                     f"N12,Noor,Bell,12,{SCHOOL},{ALICE}",
                                                     f"B1,Ben,Cole,12,{SCHOOL},{BOB}"))
    assert not report.errors
    assert import_transcripts(uow_factory(), transcript_csv(*twelfth_grader_rows("T12"))).written
    save_course_plan(uow_factory(), "N12", "N12:m1")


def web(tracker_url: str) -> TestClient:
    app = create_app(Settings(secret_key="k" * 32, tracker_database_url=tracker_url), rasa=nothing_from_rasa(),
                     clock=Clock(TODAY))
    return TestClient(app)


def plan_reads(uow_factory) -> int:
    with uow_factory() as uow:
        return uow.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "plan.read"))


def test_the_counselor_sees_earned_planned_and_needed_by_subject_and_term(uow_factory, tracker):
    school_with_transcripts(uow_factory)
    client = web(tracker[1])
    assert sign_in_staff(client, ALICE, PASSWORD).status_code == 303
    page = visible_text(client.get("/staff/students/T12").text)
    assert "Earned 20 of 24 credits; 0 more planned; 4 still needed after the plan." in page
    assert "English 4 3 0 1" in page  # needed, earned, planned, still needed
    assert "9 S1 2023-24 3 English 9, Algebra I, Biology, World History, PE and Health 1, Art 1" in page
    assert plan_reads(uow_factory) == 1  # the read is audited


def test_without_a_transcript_the_counselor_sees_only_what_is_planned(uow_factory, tracker):
    school_with_transcripts(uow_factory)
    client = web(tracker[1])
    sign_in_staff(client, ALICE, PASSWORD)
    page = visible_text(client.get("/staff/students/N12").text)
    assert "No transcript has been imported for this student, so earned credits are not known" in page
    assert "Planned: 4 credits." in page
    assert "Still needed" not in page and "still needed after" not in page


def test_another_counselors_student_stays_hidden(uow_factory, tracker):
    school_with_transcripts(uow_factory)
    client = web(tracker[1])
    sign_in_staff(client, BOB, PASSWORD)
    response = client.get("/staff/students/T12")
    assert response.status_code in (403, 404) and "Earned 20" not in response.text


def test_the_printable_plan_carries_the_credits(uow_factory, tracker):
    school_with_transcripts(uow_factory)
    client = web(tracker[1])
    sign_in_staff(client, ALICE, PASSWORD)
    assert "Earned 20 of 24 credits" in visible_text(client.get("/staff/students/T12/export").text)


def test_my_plan_shows_earned_credits_when_the_school_shared_them(uow_factory, tracker):
    school_with_transcripts(uow_factory)
    client = web(tracker[1])
    assert sign_in_student(client, "T12", give_sign_in_code(uow_factory, "T12")).status_code == 303
    page = visible_text(client.get("/plan").text)
    assert "Credits to graduate Earned 20 of 24 credits" in page
    assert "Math 4 3 0 1" in page


def test_my_plan_without_a_transcript_says_so_and_invents_no_number(uow_factory, tracker):
    school_with_transcripts(uow_factory)
    client = web(tracker[1])
    assert sign_in_student(client, "N12", give_sign_in_code(uow_factory, "N12")).status_code == 303
    page = visible_text(client.get("/plan").text)
    assert "Your school hasn't shared the credits you've already earned yet, so this shows only what's planned: " \
           "4 credits of classes." in page
    assert "still needed" not in page.lower() and "Earned" not in page
