"""Community advisors in the web app, against a real database: only assigned students, consent before a
session, only the plan sections the script touches, no transcripts, flags or exports, notes, audit,
and the session's chat relayed to Rasa under the session's own conversation ID.

Rasa is httpx.MockTransport here; the real bot runs the same session in the stack and browser tests.
"""
from __future__ import annotations

import io
import re

import httpx
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import func, select

from bot.config import Settings
from bot.db.tables import AdvisorAssignment, AdvisorSession, AuditEntry, PlanNote
from bot.flags import raise_flag
from bot.rasa_client import RasaClient
from bot.roster.services import import_roster
from bot.staff import add_user
from bot.web.app import create_app
from tests.builders import give_sign_in_code, roster_csv
from tests.web_clients import csrf_token, sign_in_staff, sign_in_student

# The apps here are built from Settings() read from the environment, as `python -m bot.web` builds its own.
pytestmark = pytest.mark.usefixtures("database_in_environment")

PASSWORD = "a-long-test-password"
SCHOOL, OTHER_SCHOOL = "Test Middle School", "Other High School"
ALICE, BOB, VOLUNTEER, OTHER_VOLUNTEER, FAR_VOLUNTEER = (
    "alice@school.example", "bob@school.example", "vol@business.example", "vol2@college.example",
    "vol3@elsewhere.example")


class FakeRasa:
    """Records what the web app sends and answers like the REST channel."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.transcripts_read: list[str] = []

    def client(self) -> RasaClient:
        def handle(request: httpx.Request) -> httpx.Response:
            if request.url.path == "/webhooks/rest/webhook":
                body = httpx.Response(200, content=request.content).json()
                self.sent.append((body["sender"], body["message"]))
                return httpx.Response(200, json=[{"recipient_id": body["sender"], "text": "Step 1 of 9: Say hello",
                                                  "buttons": [{"title": "Skip", "payload": "skip"}]}])
            self.transcripts_read.append(request.url.path)
            return httpx.Response(200, json={"events": []})
        return RasaClient("http://rasa.test", "token", transport=httpx.MockTransport(handle))


@pytest.fixture
def school(uow_factory):
    for email, role, school in ((ALICE, "counselor", SCHOOL), (BOB, "counselor", SCHOOL), (VOLUNTEER, "advisor", SCHOOL),
                                (OTHER_VOLUNTEER, "advisor", SCHOOL), (FAR_VOLUNTEER, "advisor", OTHER_SCHOOL)):
        add_user(uow_factory(), email=email, role=role, password=PASSWORD, school_name=school)
    report = import_roster(uow_factory(), roster_csv(f"A1,Ana,Avila,8,{SCHOOL},{ALICE}",
                                                     f"A2,Abe,Arnold,10,{SCHOOL},{ALICE}",
                                                     f"B1,Ben,Brooks,8,{SCHOOL},{BOB}"))
    assert not report.errors
    flag = raise_flag(uow_factory(), "A1", category="bullying", severity="high", excerpt="they push me",
                      conversation_id="A1", event_id="A1:m1")
    return {"flag": flag, "advisor_ids": advisor_ids(uow_factory)}


def advisor_ids(uow_factory) -> dict[str, int]:
    from bot.db.tables import StaffUser
    with uow_factory() as uow:
        return dict(uow.session.execute(select(StaffUser.email, StaffUser.id).where(StaffUser.role == "advisor")).all())


def client_for(email: str | None, rasa: FakeRasa | None = None) -> TestClient:
    client = TestClient(create_app(Settings(secret_key="k" * 32), rasa=(rasa or FakeRasa()).client()))
    if email:
        assert sign_in_staff(client, email, PASSWORD).status_code == 303
        client.headers["X-CSRF-Token"] = csrf_token(client, "/advisor" if "example" in email and "vol" in email else "/staff/flags")
    return client


def assign(counselor: TestClient, student_id: str, advisor_id: int):
    return counselor.post(f"/staff/students/{student_id}/advisors",
                          data={"advisor_id": str(advisor_id), "csrf_token": counselor.headers["X-CSRF-Token"]},
                          follow_redirects=False)


def start(advisor: TestClient, student_id: str, script_id: str = "grade8_session", consent: bool = True):
    data = {"script_id": script_id, "csrf_token": advisor.headers["X-CSRF-Token"]}
    if consent:
        data["consent"] = "yes"
    return advisor.post(f"/advisor/students/{student_id}/sessions", data=data, follow_redirects=False)


def audit(uow_factory, action: str | None = None) -> list[tuple]:
    with uow_factory() as uow:
        query = select(AuditEntry.actor_role, AuditEntry.action, AuditEntry.detail)
        if action:
            query = query.where(AuditEntry.action == action)
        return uow.session.execute(query.order_by(AuditEntry.id)).all()


@pytest.fixture
def assigned(uow_factory, school):
    """Alice assigns the volunteer to her student A1."""
    alice = client_for(ALICE)
    response = assign(alice, "A1", school["advisor_ids"][VOLUNTEER])
    assert response.status_code == 303
    return school


def test_an_advisor_signs_in_to_their_students_and_sees_only_those_assigned(uow_factory, assigned):
    advisor = TestClient(create_app(Settings(secret_key="k" * 32), rasa=FakeRasa().client()))
    response = sign_in_staff(advisor, VOLUNTEER, PASSWORD)
    assert response.headers["location"] == "/advisor"
    page = advisor.get("/advisor").text
    assert "Ana Avila" in page and "Abe Arnold" not in page and "Ben Brooks" not in page
    assert advisor.get("/advisor/students/A2").status_code == 403
    assert advisor.get("/advisor/students/B1").status_code == 403
    assert advisor.get("/advisor/students/NOPE").status_code == 403
    assert audit(uow_factory, "advisor.assign") == [("counselor", "advisor.assign",
                                                      f"advisor #{assigned['advisor_ids'][VOLUNTEER]}")]


def test_a_session_needs_the_students_agreement_and_a_known_script(uow_factory, assigned):
    advisor = client_for(VOLUNTEER)
    refused = start(advisor, "A1", consent=False)
    assert refused.status_code == 400 and "agreed" in refused.text
    assert start(advisor, "A1", script_id="no_such_script").status_code == 400
    assert start(advisor, "A2").status_code == 403  # not assigned
    with uow_factory() as uow:
        assert uow.session.scalar(select(func.count(AdvisorSession.id))) == 0
    response = start(advisor, "A1")
    assert response.status_code == 303 and re.fullmatch(r"/advisor/sessions/\d+", response.headers["location"])
    with uow_factory() as uow:
        advisor_session = uow.session.scalar(select(AdvisorSession))
        assert advisor_session.consent_at is not None and advisor_session.conversation_id.startswith("advisor-")
        assert advisor_session.current_step == "welcome"


def test_the_session_page_shows_only_the_sections_the_script_touches_and_is_audited(uow_factory, assigned):
    advisor = client_for(VOLUNTEER)
    page = advisor.get(start(advisor, "A1").headers["location"])
    assert page.status_code == 200
    for shown in ("interests-heading", "careers-heading", "courses-heading", "goals-heading"):
        assert shown in page.text
    for hidden in ("values-heading", "strengths-heading", "activities-heading", "benchmarks-heading",
                   "flag-history", "they push me"):
        assert hidden not in page.text
    assert 'data-start="/start_advisor_session"' in page.text
    reads = audit(uow_factory, "plan.read")
    assert reads == [("advisor", "plan.read", "advisor session #1: interests, careers, courses, goals")]
    panel = advisor.get("/advisor/sessions/1/plan")  # what the page fetches again after each answer
    assert panel.status_code == 200 and "careers-heading" in panel.text and "values-heading" not in panel.text
    assert len(audit(uow_factory, "plan.read")) == 2
    assert client_for(OTHER_VOLUNTEER).get("/advisor/sessions/1/plan").status_code == 403


def test_the_chat_goes_to_rasa_as_the_sessions_own_conversation_never_the_students(uow_factory, assigned):
    rasa = FakeRasa()
    advisor = client_for(VOLUNTEER, rasa)
    location = start(advisor, "A1").headers["location"]
    reply = advisor.post(f"{location}/messages", json={"text": "/start_advisor_session"})
    assert reply.status_code == 200 and reply.json()["messages"][0]["text"].startswith("Step 1")
    advisor.post(f"{location}/messages", json={"text": "she likes drawing"})
    with uow_factory() as uow:
        conversation_id = uow.session.scalar(select(AdvisorSession.conversation_id))
    assert rasa.sent == [(conversation_id, "/start_advisor_session"), (conversation_id, "she likes drawing")]
    assert rasa.transcripts_read == []
    assert advisor.post(f"{location}/messages", json={"text": ""}).status_code == 422
    assert advisor.post(f"{location}/messages", json={"text": "x" * 6000}).status_code == 413


def test_a_crisis_typed_while_rasa_is_down_is_flagged_for_the_student_with_advisor_words(uow_factory, assigned):
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")
    advisor = TestClient(create_app(Settings(secret_key="k" * 32),
                                    rasa=RasaClient("http://rasa.test", "t", transport=httpx.MockTransport(down))))
    sign_in_staff(advisor, VOLUNTEER, PASSWORD)
    advisor.headers["X-CSRF-Token"] = csrf_token(advisor, "/advisor")
    location = start(advisor, "A1").headers["location"]
    reply = advisor.post(f"{location}/messages", json={"text": "he said he wants to kill himself"})
    assert reply.status_code == 200 and reply.json()["messages"][0]["text"].startswith("Pause the script.")
    from bot.db.tables import Flag
    with uow_factory() as uow:
        flag = uow.session.scalar(select(Flag).where(Flag.category == "self_harm"))
        assert flag.severity == "urgent" and flag.student.external_id == "A1"
        assert flag.conversation_id.startswith("advisor-")


def test_another_advisor_opens_neither_the_session_nor_its_chat(uow_factory, assigned):
    location = start(client_for(VOLUNTEER), "A1").headers["location"]
    other = client_for(OTHER_VOLUNTEER)
    assert other.get(location).status_code == 403
    assert other.post(f"{location}/messages", json={"text": "hi"}).status_code == 403
    assert other.post(f"{location}/notes", data={"note": "x", "csrf_token": other.headers["X-CSRF-Token"]}).status_code == 403
    assert other.get("/advisor/sessions/99999").status_code == 403
    assert other.get("/advisor/sessions/abc").status_code in (400, 404, 422)


def test_an_advisor_opens_no_flag_transcript_export_or_counselor_page(uow_factory, assigned):
    rasa = FakeRasa()
    advisor = client_for(VOLUNTEER, rasa)
    for path in ("/staff/flags", f"/staff/flags/{assigned['flag']}", "/staff/students", "/staff/students/A1",
                 "/staff/students/A1/export", "/staff/students/A1/plan.pdf", "/staff/reports",
                 "/staff/reports/flags-by-week.csv", "/staff/audit"):
        assert advisor.get(path).status_code == 403, path
    assert assign(advisor, "A1", assigned["advisor_ids"][VOLUNTEER]).status_code == 403
    assert rasa.transcripts_read == [] and audit(uow_factory, "conversation.read") == []


def test_a_student_opens_no_advisor_page(uow_factory, assigned):
    student = client_for(None)
    assert sign_in_student(student, "A1", give_sign_in_code(uow_factory, "A1")).status_code == 303
    for path in ("/advisor", "/advisor/students/A1", "/advisor/sessions/1"):
        assert student.get(path, follow_redirects=False).headers["location"] == "/staff/sign-in"


def test_notes_are_saved_as_the_advisor_and_bad_ones_refused(uow_factory, assigned):
    advisor = client_for(VOLUNTEER)
    location = start(advisor, "A1").headers["location"]
    token = advisor.headers["X-CSRF-Token"]
    assert advisor.post(f"{location}/notes", data={"note": "🙂🙂", "csrf_token": token}).status_code == 400
    assert advisor.post(f"{location}/notes", data={"note": "n" * 2001, "csrf_token": token}).status_code == 400
    forged = advisor.post(f"{location}/notes", data={"note": "<b>Loves</b> robotics", "csrf_token": "forged"},
                          headers={"X-CSRF-Token": ""})
    assert forged.status_code == 403
    saved = advisor.post(f"{location}/notes", data={"note": "<b>Loves</b> robotics", "csrf_token": token})
    assert saved.status_code == 200 and "&lt;b&gt;Loves&lt;/b&gt; robotics" in saved.text
    with uow_factory() as uow:
        note = uow.session.scalar(select(PlanNote))
        assert (note.text, note.author_role, note.author_staff_id) == (
            "<b>Loves</b> robotics", "advisor", assigned["advisor_ids"][VOLUNTEER])


def test_the_counselor_sees_advisor_sessions_and_notes_and_only_in_their_caseload(uow_factory, assigned):
    advisor = client_for(VOLUNTEER)
    location = start(advisor, "A1").headers["location"]
    advisor.post(f"{location}/notes", data={"note": "Ask about the robotics club", "csrf_token": advisor.headers["X-CSRF-Token"]})
    page = client_for(ALICE).get("/staff/students/A1").text
    assert "8th grade: interests, careers and high school classes" in page and "Ask about the robotics club" in page
    assert "Vol" in page or "vol" in page  # the advisor's name
    bob = client_for(BOB)
    assert assign(bob, "A1", assigned["advisor_ids"][OTHER_VOLUNTEER]).status_code == 403
    # An advisor of another school cannot be assigned, and an ended session takes no more messages.
    assert assign(client_for(ALICE), "A1", assigned["advisor_ids"][FAR_VOLUNTEER]).status_code == 400
    with uow_factory() as uow:
        assert uow.session.scalar(select(func.count(AdvisorAssignment.id))) == 1
        uow.session.scalar(select(AdvisorSession)).status = "ended_early"
        uow.commit()
    ended = advisor.post(f"{location}/messages", json={"text": "hello"})
    assert ended.status_code == 400 and "ended" in ended.json()["error"]
    assert "ended early" in advisor.get(location).text


def test_the_student_does_not_see_advisor_notes_on_my_plan(uow_factory, assigned):
    advisor = client_for(VOLUNTEER)
    location = start(advisor, "A1").headers["location"]
    advisor.post(f"{location}/notes", data={"note": "Seemed tired today", "csrf_token": advisor.headers["X-CSRF-Token"]})
    student = client_for(None)
    sign_in_student(student, "A1", give_sign_in_code(uow_factory, "A1"))
    assert "Seemed tired today" not in student.get("/plan").text


def unassign(counselor: TestClient, student_id: str, advisor_id: int, token: str | None = None):
    token = token or counselor.headers["X-CSRF-Token"]
    return counselor.post(f"/staff/students/{student_id}/advisors/unassign",
                          data={"advisor_id": str(advisor_id), "csrf_token": token}, headers={"X-CSRF-Token": token},
                          follow_redirects=False)


def test_a_counselor_unassigns_an_advisor_who_loses_the_student_and_the_open_session(uow_factory, assigned):
    volunteer_id = assigned["advisor_ids"][VOLUNTEER]
    advisor = client_for(VOLUNTEER)
    location = start(advisor, "A1").headers["location"]
    alice, bob = client_for(ALICE), client_for(BOB)
    assert f'name="advisor_id" value="{volunteer_id}"' in alice.get("/staff/students/A1").text  # the remove button
    assert unassign(alice, "A1", volunteer_id, token="forged").status_code == 403
    assert unassign(bob, "A1", volunteer_id).status_code == 403  # not Bob's student
    response = unassign(alice, "A1", volunteer_id)
    assert (response.status_code, response.headers["location"]) == (303, "/staff/students/A1#advisors-heading")

    assert "Ana Avila" not in advisor.get("/advisor").text
    assert advisor.get("/advisor/students/A1").status_code == 403
    assert advisor.get(location).status_code == 403
    assert advisor.post(f"{location}/messages", json={"text": "hello"}).status_code == 403
    with uow_factory() as uow:
        assert uow.session.scalar(select(func.count(AdvisorAssignment.id))) == 0
        assert uow.session.scalar(select(AdvisorSession.status)) == "ended_early"
    assert audit(uow_factory, "advisor.unassign") == [("counselor", "advisor.unassign", f"advisor #{volunteer_id}")]
    assert unassign(alice, "A1", volunteer_id).status_code == 303  # already gone: nothing more to do
    assert len(audit(uow_factory, "advisor.unassign")) == 1


def test_the_printable_plan_and_pdf_for_the_family_leave_out_notes_the_student_page_keeps_them(uow_factory, assigned):
    advisor = client_for(VOLUNTEER)
    location = start(advisor, "A1").headers["location"]
    advisor.post(f"{location}/notes", data={"note": "Parents are divorcing", "csrf_token": advisor.headers["X-CSRF-Token"]})
    alice = client_for(ALICE)
    assert "Parents are divorcing" in alice.get("/staff/students/A1").text
    printable = alice.get("/staff/students/A1/export")
    assert printable.status_code == 200 and "Individualized Learning Plan" in printable.text
    assert "Parents are divorcing" not in printable.text and 'id="notes-heading"' not in printable.text
    pdf = PdfReader(io.BytesIO(alice.get("/staff/students/A1/plan.pdf").content))
    pdf_text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Individualized Learning Plan" in pdf_text and "divorcing" not in pdf_text


def test_an_advisor_opens_an_assigned_student_by_id_in_any_case(uow_factory, assigned):
    advisor = client_for(VOLUNTEER)
    page = advisor.get("/advisor/students/a1")
    assert page.status_code == 200 and "Ana Avila" in page.text
    assert start(advisor, "a1").status_code == 303
    assert advisor.get("/advisor/students/b1").status_code == 403  # another counselor's, not assigned


def test_the_session_page_tells_the_advisor_of_a_career_goal_the_path_does_not_reach(uow_factory, school):
    from bot.plans.postsecondary import record_postsecondary
    from bot.plans.services import record_career_goal

    assert assign(client_for(ALICE), "A2", school["advisor_ids"][VOLUNTEER]).status_code == 303
    advisor = client_for(VOLUNTEER)
    grade10 = start(advisor, "A2", script_id="grade10_session").headers["location"]
    grade8 = start(advisor, "A2", script_id="grade8_session").headers["location"]  # shows no path after high school
    sentence = "Dentist usually needs a doctoral or professional degree; the plan says a 2-year college."
    assert "plan-misalignment" not in advisor.get(grade10).text  # nothing chosen yet
    record_career_goal(uow_factory(), "A2", "i want to be a dentist", "A2:e1")
    record_postsecondary(uow_factory(), "A2", "two_year", "A2:e2")
    for page in (advisor.get(grade10).text, advisor.get(f"{grade10}/plan").text):  # the page, and the panel chat.js
        warning = page[page.index('id="plan-misalignment"'):]                    # fetches after each answer
        assert sentence in warning[:warning.index("</div>")] and "Talk this over with Abe" in warning
    for page in (advisor.get(grade8).text, advisor.get(f"{grade8}/plan").text):  # its advisor may not see the path
        assert "plan-misalignment" not in page and "usually needs" not in page
    record_postsecondary(uow_factory(), "A2", "four_year", "A2:e3")  # a path that leads there: nothing to say
    assert "plan-misalignment" not in advisor.get(f"{grade10}/plan").text
