"""Counselor and admin pages against a real database: who may open what, CSRF, escaping, audit, throttling.

Rasa's tracker API is replaced by httpx.MockTransport (the real one is driven by the browser tests).
"""
from __future__ import annotations

import json
import re
import time

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot import audit
from bot import sign_in_throttle as throttle
from bot.config import Settings, get_settings
from bot.db.tables import AlertOutbox, AuditEntry, Flag, Student, utcnow
from bot.flags import raise_flag
from bot.rasa_client import RasaClient
from bot.roster.services import import_roster
from bot.staff import add_user
from bot.web.app import create_app
from bot.web.staff_routes import WRONG_PASSWORD
from tests.builders import give_sign_in_code, roster_csv
from tests.clock import Clock
from tests.web_clients import csrf_token, sign_in_staff, sign_in_student, visible_text

# The apps here are built from Settings() read from the environment, as `python -m bot.web` builds its own.
pytestmark = pytest.mark.usefixtures("database_in_environment")

PASSWORD = "a-long-test-password"
SCHOOL = "Test Middle School"
ALICE, BOB, ADMIN, ADVISOR = ("alice@school.example", "bob@school.example", "admin@school.example",
                              "advisor@school.example")
SCRIPT = '<script>alert("x")</script><b>bold</b>'


@pytest.fixture
def school(uow_factory):
    """Two counselors with a student each, an admin and an advisor; one flag on each student."""
    for email, role in ((ALICE, "counselor"), (BOB, "counselor"), (ADMIN, "admin"), (ADVISOR, "advisor")):
        add_user(uow_factory(), email=email, role=role, password=PASSWORD, school_name=SCHOOL)
    report = import_roster(uow_factory(), roster_csv(f"A1,Ana,Avila,8,{SCHOOL},{ALICE}",
                                                     f"A2,Abe,Arnold,10,{SCHOOL},{ALICE}",
                                                     f"B1,Ben,Brooks,8,{SCHOOL},{BOB}"))
    assert not report.errors
    flags = {
        "A1-normal": raise_flag(uow_factory(), "A1", category="academic", severity="normal", excerpt="failing math",
                                conversation_id="A1", event_id="A1:m1"),
        "A1-urgent": raise_flag(uow_factory(), "A1", category="self_harm", severity="urgent", excerpt=SCRIPT,
                                conversation_id="A1", event_id="A1:m2"),
        "A2-high": raise_flag(uow_factory(), "A2", category="bullying", severity="high", excerpt="they push me",
                              conversation_id="A2", event_id="A2:m1"),
        "B1": raise_flag(uow_factory(), "B1", category="dropout_risk", severity="high", excerpt="quitting school",
                         conversation_id="B1", event_id="B1:m1"),
    }
    return flags


def tracker_events(sender_id: str) -> list[dict]:
    now = time.time()
    return [
        {"event": "user", "text": "hi", "message_id": "m0", "timestamp": now - 60},
        {"event": "bot", "text": "Hi! Want to take the interest quiz?", "timestamp": now - 59,
         "data": {"buttons": [{"title": "Yes", "payload": "/affirm"}]}},
        {"event": "user", "text": SCRIPT, "message_id": "m2", "timestamp": now - 30},
        {"event": "action", "name": "action_listen", "timestamp": now - 29},
        {"event": "bot", "text": "You can call or text 988.", "timestamp": now - 28},
    ]


def rasa_with_tracker(seen: list[str] | None = None, down: bool = False) -> RasaClient:
    def handle(request: httpx.Request) -> httpx.Response:
        if down:
            raise httpx.ConnectError("refused")
        sender = request.url.path.split("/")[2]
        if seen is not None:
            seen.append(sender)
        return httpx.Response(200, json={"sender_id": sender, "events": tracker_events(sender)})
    return RasaClient("http://rasa.test", "token", transport=httpx.MockTransport(handle))


def client_for(email: str | None, rasa: RasaClient | None = None, clock: Clock | None = None,
               peer: str = "198.51.100.7", **settings) -> TestClient:
    app = create_app(Settings(secret_key="k" * 32, **settings), rasa=rasa or rasa_with_tracker(), clock=clock or utcnow)
    client = TestClient(app, client=(peer, 50000))
    if email:
        response = sign_in_staff(client, email, PASSWORD)
        assert response.status_code == 303 and response.headers["location"] in ("/staff/flags", "/advisor")
    return client


def pages_about(student_id: str, flag_id: int) -> list[str]:
    return [f"/staff/flags/{flag_id}", f"/staff/students/{student_id}", f"/staff/students/{student_id}/export",
            f"/staff/students/{student_id}/plan.pdf"]


CASELOAD_PAGES = ["/staff/flags", "/staff/students", "/staff/reports", "/staff/reports/flags-by-week.csv",
                  "/staff/reports/benchmarks-by-grade.csv", "/staff/reports/plan-activity-by-week.csv"]


def audit_count(uow_factory, action: str | None = None) -> int:
    query = select(func.count(AuditEntry.id))
    if action:
        query = query.where(AuditEntry.action == action)
    with uow_factory() as uow:
        return uow.session.scalar(query)


def test_every_staff_page_needs_a_staff_sign_in(uow_factory, school):
    anonymous = client_for(None)
    for path in CASELOAD_PAGES + ["/staff/audit"] + pages_about("A1", school["A1-normal"]):
        response = anonymous.get(path, follow_redirects=False)
        if path.endswith((".csv", ".pdf")):
            assert response.status_code == 401, path
        else:
            assert (response.status_code, response.headers["location"]) == (303, "/staff/sign-in"), path
    assert anonymous.post(f"/staff/flags/{school['A1-normal']}", data={"action": "resolve"},
                          follow_redirects=False).status_code == 303
    assert audit_count(uow_factory) == 0


def test_a_signed_in_student_is_not_staff(uow_factory, school):
    give_sign_in_code(uow_factory, "A1", "CODE1234")
    client = client_for(None)
    assert sign_in_student(client, "A1", "code1234").status_code == 303
    for path in ["/staff/flags", f"/staff/students/A1", f"/staff/flags/{school['A1-urgent']}"]:
        assert client.get(path, follow_redirects=False).headers["location"] == "/staff/sign-in"
    assert client.get("/chat", follow_redirects=False).status_code == 200  # and is still signed in as the student


def test_an_advisor_opens_no_counselor_page(uow_factory, school):
    advisor = client_for(ADVISOR)
    for path in CASELOAD_PAGES + ["/staff/audit"] + pages_about("A1", school["A1-normal"]):
        assert advisor.get(path).status_code == 403, path
    token = csrf_token(advisor, "/")
    response = advisor.post(f"/staff/flags/{school['A1-normal']}", data={"action": "resolve", "csrf_token": token})
    assert response.status_code == 403
    assert audit_count(uow_factory, "conversation.read") == audit_count(uow_factory, "plan.read") == 0


def test_a_counselor_sees_only_their_own_caseload(uow_factory, school):
    seen_by_rasa: list[str] = []
    bob = client_for(BOB, rasa_with_tracker(seen_by_rasa))
    for path in pages_about("A1", school["A1-urgent"]) + pages_about("NOPE", 999_999):
        response = bob.get(path)
        assert response.status_code == 403, path
        assert "Ana" not in response.text and "failing math" not in response.text
    queue = bob.get("/staff/flags").text
    assert "quitting school" in queue and "failing math" not in queue and "Ana Avila" not in queue
    assert "Ana" not in bob.get("/staff/students").text
    flags_csv = bob.get("/staff/reports/flags-by-week.csv").text
    assert sum(int(cell) for line in flags_csv.splitlines()[1:] for cell in line.split(",")[1:] if cell.isdigit()) == 1
    reports = bob.get("/staff/reports")  # that flag in the chart, drawn with its series' pattern, and in the table
    assert reports.status_code == 200 and 'id="flags-table"' in reports.text and "<pattern" in reports.text
    token = csrf_token(bob, "/staff/flags")
    assert bob.post(f"/staff/flags/{school['A1-urgent']}", data={"action": "resolve", "csrf_token": token}).status_code == 403
    with uow_factory() as uow:
        assert uow.session.get(Flag, school["A1-urgent"]).status == "open"
    assert seen_by_rasa == []  # a refused view never asks Rasa for the transcript
    assert audit_count(uow_factory, "plan.read") == audit_count(uow_factory, "conversation.read") == 0


def test_the_queue_is_urgent_first_then_oldest_with_filters_and_counts(uow_factory, school):
    alice = client_for(ALICE)
    page = alice.get("/staff/flags").text
    order = [page.index(f'data-flag-id="{school[key]}"') for key in ("A1-urgent", "A2-high", "A1-normal")]
    assert order == sorted(order)
    assert 'data-flag-id="%d"' % school["B1"] not in page
    counts = page[page.index('id="flag-counts"'):page.index("</ul>", page.index('id="flag-counts"'))]
    assert "<strong>1</strong> urgent" in counts and "<strong>1</strong> high" in counts and "<strong>3</strong> open" in counts
    by_category = alice.get("/staff/flags", params={"category": "bullying"}).text
    assert f'data-flag-id="{school["A2-high"]}"' in by_category and f'data-flag-id="{school["A1-urgent"]}"' not in by_category
    by_grade = alice.get("/staff/flags", params={"grade": "10"}).text
    assert f'data-flag-id="{school["A2-high"]}"' in by_grade and f'data-flag-id="{school["A1-normal"]}"' not in by_grade
    assert "No flags match." in alice.get("/staff/flags", params={"status": "resolved"}).text
    for bad in ({"category": "nonsense"}, {"status": "maybe"}, {"grade": "13"}, {"grade": "x'; drop table flags;--"}):
        response = alice.get("/staff/flags", params=bad)
        assert response.status_code == 400 and "Sorry" in response.text, bad


def test_the_conversation_view_highlights_the_flagged_turn_escapes_text_and_is_audited(uow_factory, school):
    alice = client_for(ALICE)
    page = alice.get(f"/staff/flags/{school['A1-urgent']}")
    assert page.status_code == 200
    flagged = page.text[page.text.index('id="flagged-turn"'):]
    flagged = flagged[:flagged.index("</li>")]
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in flagged
    assert "<script>alert" not in page.text and "<b>bold</b>" not in page.text
    assert page.text.count('class="student flagged"') == 1
    assert re.search(r'class="shown-buttons"><span class="muted">Buttons:</span>\s*<ul><li>Yes</li></ul>', page.text)
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert audit_count(uow_factory, "conversation.read") == 1


def test_the_link_in_an_urgent_alert_opens_the_flag_for_a_counselor_and_asks_others_to_sign_in(uow_factory, school):
    with uow_factory() as uow:
        payload = json.loads(uow.session.scalar(select(AlertOutbox.payload)
                                                .where(AlertOutbox.flag_id == school["A1-urgent"])))
    link = httpx.URL(payload["url"])
    assert str(link).startswith(get_settings().staff_url)
    assert link.fragment == "flagged-turn"  # the page opens at the flagged message
    page = client_for(ALICE).get(link.path)
    assert page.status_code == 200 and 'id="flagged-turn"' in page.text
    assert "Possible self-harm or suicide risk: Ana Avila" in page.text
    anonymous = client_for(None).get(link.path, follow_redirects=False)
    assert (anonymous.status_code, anonymous.headers["location"]) == (303, "/staff/sign-in")


def test_a_conversation_view_with_rasa_down_still_shows_the_flag(uow_factory, school):
    alice = client_for(ALICE, rasa_with_tracker(down=True))
    page = alice.get(f"/staff/flags/{school['A1-normal']}")
    assert page.status_code == 200 and "cannot be loaded right now" in page.text and "failing math" in page.text


def test_acknowledge_note_and_resolve_need_the_csrf_token(uow_factory, school):
    alice = client_for(ALICE)
    flag_id = school["A1-urgent"]
    forged = alice.post(f"/staff/flags/{flag_id}", data={"action": "resolve"})
    assert forged.status_code == 403
    wrong = alice.post(f"/staff/flags/{flag_id}", data={"action": "resolve", "csrf_token": "guess"})
    assert wrong.status_code == 403
    with uow_factory() as uow:
        assert uow.session.get(Flag, flag_id).status == "open"
    token = csrf_token(alice, f"/staff/flags/{flag_id}")
    alice.post(f"/staff/flags/{flag_id}", data={"action": "acknowledge", "csrf_token": token})
    page = alice.post(f"/staff/flags/{flag_id}", data={"action": "note", "note": "Called home <b>today</b>",
                                                       "csrf_token": token}).text
    assert "Called home &lt;b&gt;today&lt;/b&gt;" in page and 'id="flag-status">acknowledged' in page
    page = alice.post(f"/staff/flags/{flag_id}", data={"action": "resolve", "csrf_token": token}).text
    assert 'id="flag-status">resolved' in page
    with uow_factory() as uow:
        assert uow.session.get(Flag, flag_id).status == "resolved"
    assert alice.post(f"/staff/flags/{flag_id}", data={"action": "reopen", "csrf_token": token}).status_code == 400
    assert alice.post(f"/staff/flags/{flag_id}", data={"action": "note", "note": "x" * 2001,
                                                       "csrf_token": token}).status_code == 400


def test_student_page_export_and_pdf_are_audited_reads(uow_factory, school):
    alice = client_for(ALICE)
    page = alice.get("/staff/students/A1")
    assert page.status_code == 200 and "Ana Avila" in page.text and 'id="interest-chart"' in page.text
    assert "Flag history" in page.text and "failing math" in page.text
    printable = alice.get("/staff/students/A1/export")
    assert printable.status_code == 200 and "Individualized Learning Plan" in printable.text
    pdf = alice.get("/staff/students/A1/plan.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and pdf.headers["content-type"] == "application/pdf"
    assert [audit_count(uow_factory, action) for action in ("plan.read", "plan.export", "plan.export_pdf")] == [1, 1, 1]


def test_an_admin_sees_the_school_and_the_audit_log_a_counselor_does_not(uow_factory, school):
    admin = client_for(ADMIN)
    students = admin.get("/staff/students").text
    assert "Ana Avila" in students and "Ben Brooks" in students
    admin.get("/staff/students/B1")
    log = admin.get("/staff/audit")
    assert log.status_code == 200 and "plan.read" in log.text and "B1" in log.text
    assert client_for(ALICE).get("/staff/audit").status_code == 403


def test_an_admin_without_a_school_sees_no_schools_audit_entries(uow_factory, school):
    add_user(uow_factory(), email="floating.admin@district.example", role="admin", password=PASSWORD)
    client_for(ALICE).get("/staff/students/A1")
    with uow_factory() as uow:  # a CLI action about a student of the school (no staff actor)
        a1 = uow.session.scalar(select(Student.id).where(Student.external_id == "A1"))
        audit.record(uow.session, actor_role="cli", action="plan.export", student_id=a1)
        uow.commit()
    log = client_for("floating.admin@district.example").get("/staff/audit")
    assert log.status_code == 200 and "<tbody></tbody>" in log.text
    students = client_for("floating.admin@district.example").get("/staff/students")
    assert "0 students" in students.text and "belongs to no school" in students.text and "--school" in students.text
    assert "belongs to no school" not in client_for(ADMIN).get("/staff/students").text


def test_viewing_the_flag_queue_audits_which_flags_were_shown_without_their_text(uow_factory, school):
    client_for(ALICE).get("/staff/flags", params={"category": "bullying"})
    with uow_factory() as uow:
        entries = uow.session.execute(select(AuditEntry.actor_role, AuditEntry.student_id, AuditEntry.detail)
                                      .where(AuditEntry.action == "flag_queue.read")).all()
        a2 = uow.session.scalar(select(Student.id).where(Student.external_id == "A2"))
    assert entries == [("counselor", a2, f"flag #{school['A2-high']}")]
    client_for(ALICE).get("/staff/flags", params={"status": "resolved"})  # nothing shown, nothing audited
    assert audit_count(uow_factory, "flag_queue.read") == 1


def test_wrong_passwords_slow_that_account_down_for_seconds_not_minutes(uow_factory, school):
    clock = Clock()
    client = client_for(None, clock=clock)
    for _ in range(5):
        assert sign_in_staff(client, ALICE, "wrong-password-123").status_code == 401
    response = sign_in_staff(client, ALICE, PASSWORD)
    assert response.status_code == 429 and "Too many sign-in attempts. Wait 2 seconds" in response.text
    assert response.headers["retry-after"] == "2"
    assert sign_in_staff(client_for(None, clock=clock), BOB, PASSWORD).status_code == 303  # another account waits not
    clock.advance(2)
    assert sign_in_staff(client, ALICE, PASSWORD).status_code == 303


def test_x_forwarded_for_is_believed_only_from_a_trusted_proxy(uow_factory, school):
    clock = Clock()
    for number in range(throttle.ADDRESS_BACKOFF["staff"].free_failures):  # someone at 198.51.100.7 guessing
        throttle.attempt_sign_in("staff", f"guess{number}@school.example", "198.51.100.7", lambda: None,
                                 uow_factory=uow_factory, clock=clock)
    direct = client_for(None, clock=clock)  # the guesser, naming another address
    direct.headers["X-Forwarded-For"] = "203.0.113.1"
    assert sign_in_staff(direct, ALICE, PASSWORD).status_code == 429
    behind_proxy = client_for(None, clock=clock, peer="10.0.0.5", trusted_proxies=["10.0.0.5"])
    behind_proxy.headers["X-Forwarded-For"] = "198.51.100.7"
    assert sign_in_staff(behind_proxy, ALICE, PASSWORD).status_code == 429
    behind_proxy.headers["X-Forwarded-For"] = "198.51.100.8"  # a counselor elsewhere
    assert sign_in_staff(behind_proxy, ALICE, PASSWORD).status_code == 303


def test_a_sign_in_without_the_pages_token_is_refused(uow_factory, school):
    client = client_for(None)
    response = client.post("/staff/sign-in", data={"email": ALICE, "password": PASSWORD}, follow_redirects=False)
    assert response.status_code == 403


@pytest.mark.parametrize("path", ["/staff/flags/not-a-number", "/staff/flags/99999999999999999999999",
                                  "/staff/reports/nothing.csv", "/staff/nowhere"])
def test_odd_urls_get_a_clear_4xx(uow_factory, school, path):
    response = client_for(ALICE).get(path)
    assert 400 <= response.status_code < 500 and ("Sorry" in response.text or "error" in response.text)


PUBLIC_ROUTES = {"/", "/sign-in", "/staff/sign-in", "/healthz", "/static"}
STUDENT_ROUTES = {"/chat", "/plan", "/careers", "/careers/{onet_soc}", "/api/messages", "/sign-out"}


def staff_routes(app) -> dict[str, set[str]]:
    """Every route of the app that is not public or a student's: path -> methods."""
    routes = {}
    for route in app.routes:
        if route.path not in PUBLIC_ROUTES | STUDENT_ROUTES:
            routes.setdefault(route.path, set()).update(getattr(route, "methods", None) or {"GET"})
    return routes


def test_every_route_not_public_or_a_students_is_a_staff_route_that_refuses_the_anonymous(uow_factory, school):
    client = client_for(None)
    routes = staff_routes(client.app)
    assert routes and all(path.startswith(("/staff", "/advisor")) for path in routes), routes
    for path, methods in routes.items():
        concrete = path.replace("{flag_id}", str(school["A1-urgent"])).replace("{student_id}", "A1") \
                       .replace("{name}", "flags-by-week").replace("{session_id}", "1") \
                       .replace("{staff_id}", "1")
        for method in methods - {"HEAD"}:
            response = client.request(method, concrete, follow_redirects=False)
            assert response.status_code in (303, 401, 403), (method, path, response.status_code)
            if response.status_code == 303:
                assert response.headers["location"] == "/staff/sign-in"
    assert audit_count(uow_factory) == 0


CODE_ON_CARD = re.compile(r'data-student-id="([^"]+)">([A-Z0-9]{4}-[A-Z0-9]{4})<')


def test_a_counselor_issues_sign_in_codes_that_work_once_shown_and_replace_old_ones(uow_factory, school):
    alice = client_for(ALICE)
    token = csrf_token(alice, "/staff/students")
    cards = dict(CODE_ON_CARD.findall(alice.post("/staff/sign-in-codes", data={"csrf_token": token}).text))
    assert set(cards) == {"A1", "A2"}  # Alice's students, none of Bob's
    assert "already has a code" in alice.post("/staff/sign-in-codes", data={"csrf_token": token}).text
    assert sign_in_student(client_for(None), "A1", cards["A1"].lower()).status_code == 303

    replaced = dict(CODE_ON_CARD.findall(alice.post("/staff/students/A1/sign-in-code",
                                                    data={"csrf_token": token}).text))
    assert set(replaced) == {"A1"} and replaced["A1"] != cards["A1"]
    assert sign_in_student(client_for(None), "A1", cards["A1"]).status_code == 401
    assert sign_in_student(client_for(None), "A1", replaced["A1"]).status_code == 303
    assert audit_count(uow_factory, "sign_in_code.issued") == 3

    bob = client_for(BOB)
    bob_token = csrf_token(bob, "/staff/students")
    assert bob.post("/staff/students/A1/sign-in-code", data={"csrf_token": bob_token}).status_code == 403
    assert alice.post("/staff/students/A1/sign-in-code", data={}).status_code == 403  # no CSRF token
    assert sign_in_student(client_for(None), "A1", replaced["A1"]).status_code == 303


def test_a_sign_in_card_names_the_address_students_open_not_the_servers_own(uow_factory, school):
    # Behind a TLS proxy the web app itself answers on a loopback http address no student can open.
    alice = client_for(ALICE, public_url="https://ilp.school.example")
    cards = alice.post("/staff/sign-in-codes", data={"csrf_token": csrf_token(alice, "/staff/students")}).text
    assert "Go to <strong>https://ilp.school.example/</strong>" in cards and "testserver" not in cards


def copy_of(client: TestClient) -> TestClient:
    """Another browser holding a copy of the client's session cookie."""
    copied = client_for(None)
    copied.cookies.update(client.cookies)
    return copied


def test_signing_out_ends_a_copied_staff_session_too(uow_factory, school):
    alice = client_for(ALICE)
    copied = copy_of(alice)
    assert copied.get("/staff/flags", follow_redirects=False).status_code == 200
    alice.post("/sign-out", data={"csrf_token": csrf_token(alice, "/staff/flags")})
    assert copied.get("/staff/flags", follow_redirects=False).headers["location"] == "/staff/sign-in"
    assert copied.get("/staff/reports/flags-by-week.csv").status_code == 401


def test_a_new_password_ends_the_staff_members_open_sessions(uow_factory, school):
    alice = client_for(ALICE)
    add_user(uow_factory(), email=ALICE, role="counselor", password="another-long-password")
    assert alice.get("/staff/flags", follow_redirects=False).headers["location"] == "/staff/sign-in"
    assert sign_in_staff(alice, ALICE, "another-long-password").status_code == 303
    assert alice.get("/staff/flags", follow_redirects=False).status_code == 200


def test_a_staff_session_ends_eight_hours_after_sign_in_however_often_it_is_used(uow_factory, school, monkeypatch):
    signed_in_at = time.time()
    alice = client_for(ALICE)
    for hours in (2, 4, 6, 7.9):  # each response re-signs the cookie with a fresh timestamp
        monkeypatch.setattr(time, "time", lambda at=signed_in_at + 3600 * hours: at)
        assert alice.get("/staff/flags", follow_redirects=False).status_code == 200, hours
    monkeypatch.setattr(time, "time", lambda at=signed_in_at + 3600 * 8 + 60: at)
    assert alice.get("/staff/flags", follow_redirects=False).headers["location"] == "/staff/sign-in"


def staff_id_of(uow_factory, email: str) -> int:
    from bot.db.tables import StaffUser

    with uow_factory() as uow:
        return uow.session.scalar(select(StaffUser.id).where(StaffUser.email == email))


def test_an_admin_disables_a_staff_account_its_sessions_end_and_it_cannot_sign_in(uow_factory, school):
    advisor, admin = client_for(ADVISOR), client_for(ADMIN)
    advisor_id, admin_id = staff_id_of(uow_factory, ADVISOR), staff_id_of(uow_factory, ADMIN)
    page = admin.get("/staff/users")
    assert page.status_code == 200 and ADVISOR in page.text and ALICE in page.text
    token = csrf_token(admin, "/staff/users")
    assert admin.post(f"/staff/users/{advisor_id}/disable", data={}).status_code == 403  # no CSRF token
    assert admin.post(f"/staff/users/{admin_id}/disable", data={"csrf_token": token}).status_code == 400  # not oneself
    elsewhere_id = add_user(uow_factory(), email="far@elsewhere.example", role="counselor", password=PASSWORD,
                            school_name="Other High School")
    assert admin.post(f"/staff/users/{elsewhere_id}/disable", data={"csrf_token": token}).status_code == 400
    assert "far@elsewhere.example" not in admin.get("/staff/users").text
    response = admin.post(f"/staff/users/{advisor_id}/disable", data={"csrf_token": token}, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/staff/users")
    assert re.search(rf"<td>{re.escape(ADVISOR)}</td><td>advisor</td>\s*<td>disabled</td>", admin.get("/staff/users").text)

    assert advisor.get("/advisor", follow_redirects=False).headers["location"] == "/staff/sign-in"
    refused = sign_in_staff(client_for(None), ADVISOR, PASSWORD)
    assert refused.status_code == 401 and WRONG_PASSWORD.replace("'", "&#39;") in refused.text  # no more than that
    with uow_factory() as uow:
        [(actor_id, detail, student_id)] = uow.session.execute(
            select(AuditEntry.actor_id, AuditEntry.detail, AuditEntry.student_id)
            .where(AuditEntry.action == "staff.disable")).all()
    assert (actor_id, detail, student_id) == (admin_id, f"staff user #{advisor_id}", None)


def test_only_an_admin_disables_staff(uow_factory, school):
    alice = client_for(ALICE)
    bob_id = staff_id_of(uow_factory, BOB)
    assert alice.get("/staff/users").status_code == 403
    assert alice.post(f"/staff/users/{bob_id}/disable",
                      data={"csrf_token": csrf_token(alice, "/staff/flags")}).status_code == 403
    assert sign_in_staff(client_for(None), BOB, PASSWORD).status_code == 303
    assert audit_count(uow_factory, "staff.disable") == 0


# --- student IDs in any case -----------------------------------------------------------------------------

def rasa_recording_senders(senders: list[str]) -> RasaClient:
    def handle(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        senders.append(body["sender"])
        return httpx.Response(200, json=[{"recipient_id": body["sender"], "text": "Hi!"}])
    return RasaClient("http://rasa.test", "token", transport=httpx.MockTransport(handle))


def test_a_student_signs_in_on_the_web_with_their_id_in_lower_case_and_chats_as_the_rosters_id(uow_factory, school):
    give_sign_in_code(uow_factory, "A1", "CODE1234")
    senders: list[str] = []
    student = client_for(None, rasa_recording_senders(senders))
    assert sign_in_student(student, " a1 ", "code1234").status_code == 303
    assert student.post("/api/messages", json={"text": "hi"}).status_code == 200
    assert senders == ["A1"]  # the same conversation (and flags, and plan) as "A1" typed in capitals


def test_a_counselor_opens_a_student_by_id_in_any_case_only_in_their_caseload_and_it_is_audited(uow_factory, school):
    alice = client_for(ALICE)
    for typed in ("a1", "A1"):
        page = alice.get(f"/staff/students/{typed}")
        assert page.status_code == 200 and "Ana Avila" in page.text and "failing math" in page.text, typed
    assert "A1 · grade 8" in page.text  # shown as the roster has it
    assert alice.get("/staff/students/a1/plan.pdf").status_code == 200
    token = csrf_token(alice, "/staff/students")
    assert dict(CODE_ON_CARD.findall(alice.post("/staff/students/a1/sign-in-code",
                                                data={"csrf_token": token}).text)).keys() == {"A1"}
    assert client_for(BOB).get("/staff/students/a1").status_code == 403
    assert [audit_count(uow_factory, action) for action in ("plan.read", "plan.export_pdf")] == [2, 1]


# --- what the student saw and tapped; the flagged message; notes by name; flags in plain words -----------------

LIKE = '/answer_inventory{"inventory_item":"r01","answer":"like"}'
NOT_SURE = '/answer_inventory{"inventory_item":"r01","answer":"not_sure"}'


def rasa_with_events(events: list[dict]) -> RasaClient:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"sender_id": request.url.path.split("/")[2], "events": events})
    return RasaClient("http://rasa.test", "token", transport=httpx.MockTransport(handle))


def quiz_then_flag_events() -> list[dict]:
    """A quiz question answered with a button, then a button press whose question has gone, then the flagged message."""
    now = time.time()
    return [
        {"event": "bot", "text": "Would you like to build kitchen cabinets?", "timestamp": now - 90,
         "data": {"buttons": [{"title": "Like", "payload": LIKE}, {"title": "Not sure", "payload": NOT_SURE},
                              {"title": "Dislike", "payload": LIKE.replace('"like"', '"dislike"')}]}},
        {"event": "user", "text": LIKE, "message_id": "q1", "timestamp": now - 80,
         "parse_data": {"intent": {"name": "answer_inventory"}, "entities": [
             {"entity": "inventory_item", "value": "r01"}, {"entity": "answer", "value": "like"}]}},
        {"event": "user", "text": '/answer_inventory{"inventory_item":"r02","answer":"dislike"}', "message_id": "q2",
         "timestamp": now - 70, "parse_data": {"intent": {"name": "answer_inventory"}, "entities": [
             {"entity": "inventory_item", "value": "r02"}, {"entity": "answer", "value": "dislike"}]}},
        {"event": "user", "text": SCRIPT, "message_id": "m2", "timestamp": now - 30},
        {"event": "bot", "text": "You can call or text 988.", "timestamp": now - 28},
    ]


def test_a_transcript_shows_the_title_of_the_button_tapped_never_its_payload(uow_factory, school):
    alice = client_for(ALICE, rasa_with_events(quiz_then_flag_events()))
    page = alice.get(f"/staff/flags/{school['A1-urgent']}").text
    assert "answer_inventory" not in page and "inventory_item" not in page
    # "r01" as a token of its own: the page's random CSRF token may hold those letters inside it.
    assert "r01" not in visible_text(page) and not re.search(r"(?<![\w-])r01(?![\w-])", page)
    student_turns = re.findall(r'<li class="student[^"]*"[^>]*>(.*?)</li>', page, re.S)
    assert re.search(r'<span class="tap-label">Tapped</span> <span class="tapped-title">Like</span>', student_turns[0])
    # The question's buttons are shown, the one tapped marked.
    assert re.search(r'<ul><li class="tapped">Like <span class="tapped-mark">\(tapped\)</span></li><li>Not sure</li>'
                     r'<li>Dislike</li></ul>', page)
    # A press whose buttons are no longer stored: what it asked for in words.
    assert "Tapped a button (answer inventory: dislike)" in student_turns[1]


def test_an_advisor_sessions_start_shows_as_what_the_page_did(uow_factory, school):
    now = time.time()
    events = [{"event": "user", "text": "/start_advisor_session", "message_id": "s1", "timestamp": now - 9},
              {"event": "bot", "text": "Step 1 of 9: Say hello", "timestamp": now - 8,
               "data": {"buttons": [{"title": "Skip", "payload": "skip"}]}},
              {"event": "user", "text": "skip", "message_id": "s2", "timestamp": now - 7}]
    page = client_for(ALICE, rasa_with_events(events)).get(f"/staff/flags/{school['A1-normal']}").text
    assert "/start_advisor_session" not in page and "started the script" in page
    assert '<span class="tapped-title">Skip</span>' in page


def test_links_to_a_flag_open_it_at_the_flagged_message_which_is_marked_and_focusable(uow_factory, school):
    alice = client_for(ALICE, rasa_with_events(quiz_then_flag_events()))
    flag_id = school["A1-urgent"]
    assert f'href="/staff/flags/{flag_id}#flagged-turn"' in alice.get("/staff/flags").text
    assert f'href="/staff/flags/{flag_id}#flagged-turn"' in alice.get("/staff/students/A1").text
    page = alice.get(f"/staff/flags/{flag_id}").text
    assert '<a href="#flagged-turn" id="to-flagged-turn">Go to the flagged message</a>' in page
    assert re.search(r'<li class="student flagged" id="flagged-turn" tabindex="-1">', page)
    box = page[page.index('class="transcript-scroll"'):]
    assert 'role="region"' in box[:200] and 'tabindex="0"' in box[:200] and 'id="flagged-turn"' in box
    assert page.index('<script src="/static/flag.js" defer></script>') > page.index("</main>")  # none in main
    assert "flagged-turn" in alice.get("/static/flag.js").text
    # A flag whose message is not in the stored conversation says so, and offers no link to nowhere.
    other = alice.get(f"/staff/flags/{school['A2-high']}").text
    assert "The flagged message is not in the stored conversation." in other and "to-flagged-turn" not in other


def test_notes_are_signed_with_the_staff_members_name_old_ones_too(uow_factory, school):
    add_user(uow_factory(), email=ALICE, role="counselor", password=PASSWORD, display_name="Alice Nguyen",
             school_name=SCHOOL)
    alice_id = staff_id_of(uow_factory, ALICE)
    flag_id = school["A1-normal"]
    with uow_factory() as uow:  # a note written before notes were signed by name
        uow.session.get(Flag, flag_id).counselor_notes = f"[2026-11-30 14:05] counselor #{alice_id}: Spoke with Ana.\n"
        uow.commit()
    alice = client_for(ALICE)
    page = alice.post(f"/staff/flags/{flag_id}", data={"action": "note", "note": "Tutor booked.",
                                                      "csrf_token": csrf_token(alice, "/staff/flags")}).text
    notes = page[page.index('id="flag-notes"'):page.index("</ol>", page.index('id="flag-notes"'))]
    assert re.findall(r'<strong class="note-author">([^<]+)</strong>', notes) == ["Alice Nguyen (counselor)"] * 2
    assert "Spoke with Ana." in notes and "Tutor booked." in notes and "#" not in notes
    with uow_factory() as uow:
        assert "] Alice Nguyen (counselor): Tutor booked.\n" in uow.session.get(Flag, flag_id).counselor_notes


def test_every_kind_and_severity_of_flag_reads_in_plain_words(uow_factory, school):
    from bot.safety.categories import CATEGORIES

    for number, (category, kind) in enumerate(CATEGORIES.items()):
        raise_flag(uow_factory(), "A2", category=category, severity=kind.severity, excerpt=f"words {number}",
                   event_id=f"A2:k{number}")
    queue = client_for(ALICE).get("/staff/flags", params={"grade": "10"}).text
    table = queue[queue.index('id="flag-queue"'):]
    cells = re.findall(r'<td><span class="badge sev-\w+" title="([^"]+)">(\w+)</span></td>.*?<td>(\d+)</td>\s*'
                       r'<td>([^<]+)</td>', table, re.S)
    assert len(cells) == len(CATEGORIES)  # (bullying joined the fixture's open bullying flag)
    assert {title for _, title, _, _ in cells} == {"Urgent", "High", "Normal"}
    for meaning, _, _, kind in cells:
        assert "_" not in kind and kind[0].isupper() and meaning.endswith(".")
    assert "Career goal and plan don&#39;t match" in table and "Possible self-harm or suicide risk" in table
    options = re.findall(r'<option value="(\w+)"[^>]*>([^<]+)</option>', queue[:queue.index('name="status"')])
    assert len(options) == len(CATEGORIES) and all("_" not in title for _, title in options)


def test_a_plan_misalignment_flag_says_what_does_not_fit_in_words(uow_factory, school):
    from bot.plans.postsecondary import record_postsecondary
    from bot.plans.services import record_career_goal

    record_career_goal(uow_factory(), "A2", "i want to be a dentist", "A2:e1")
    record_postsecondary(uow_factory(), "A2", "two_year", "A2:e2")
    # and one raised before flags were worded, still in the database
    raise_flag(uow_factory(), "A1", category="plan_misalignment", severity="normal",
               excerpt="Career goal Dentist (job zone 5) with postsecondary plan two_year", event_id="A1:e9")
    alice = client_for(ALICE)
    queue = alice.get("/staff/flags", params={"category": "plan_misalignment"}).text
    sentence = "Dentist usually needs a doctoral or professional degree; the plan says a 2-year college."
    assert queue.count(sentence) == 2 and "job zone" not in queue and "two_year" not in queue
    with uow_factory() as uow:
        flag_id = uow.session.scalar(select(Flag.id).join(Student).where(Student.external_id == "A2",
                                                                          Flag.category == "plan_misalignment"))
    page = alice.get(f"/staff/flags/{flag_id}").text
    assert "What the bot found" in page and sentence in page and "“" + sentence not in page
    assert "usually needs more school than their plan for after high school gives" in page
