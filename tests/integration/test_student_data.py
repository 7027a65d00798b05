"""Deleting a student everywhere, and transcript retention, on a real plan database and a real
Rasa SQL tracker store kept in a database of its own (SQLite, and PostgreSQL when configured)."""
import asyncio
import io
import time
import uuid

import pytest
from pydantic import ValidationError
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from bot.cli import main
from bot.config import Settings, get_settings
from bot.db import engine as db_engine
from bot.db.tables import AlertOutbox, Answer, AuditEntry, Flag, Goal, GoalStep, Plan, Strength, Student, metadata
from bot.errors import InvalidInput, UnknownStudent
from bot.flags import raise_flag
from bot.plans.goals import record_goal, record_goal_step
from bot.plans.self_exploration import record_strength
from bot.roster.services import import_roster
from bot.students.data_control import SECONDS_PER_DAY, apply_retention, delete_student
from tests.builders import COUNSELOR_EMAIL, add_counselor, roster_csv
from tests.conftest import throwaway_postgres_database

DAY = SECONDS_PER_DAY
# Tables the student's plan data lives in, counted for "none of theirs is left".
STUDENT_TABLES = (Plan, Answer, Goal, GoalStep, Strength, Flag, AlertOutbox)


@pytest.fixture(scope="session")
def postgres_tracker_url():
    """A second throwaway PostgreSQL database: the tracker store never shares the plan database."""
    with throwaway_postgres_database("ilp_tracker_test") as url:
        yield url


@pytest.fixture
def tracker_store(request, database_url, tmp_path, monkeypatch):
    """Rasa's own SQLTrackerStore on the same kind of database as the plan database, but another database."""
    if make_url(database_url).get_backend_name() == "sqlite":
        path = tmp_path / "tracker.db"
        url = f"sqlite:///{path}"
        store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(path))
    else:
        url = request.getfixturevalue("postgres_tracker_url")
        parsed = make_url(url)
        store = SQLTrackerStore(Domain.empty(), dialect="postgresql", host=parsed.host, port=parsed.port,
                                db=parsed.database, username=parsed.username, password=parsed.password)
        with store.engine.begin() as connection:
            connection.execute(text("DELETE FROM events"))
    assert url != database_url
    monkeypatch.setenv("ILP_TRACKER_DATABASE_URL", url)
    get_settings.cache_clear()
    yield store, url
    store.engine.dispose()
    get_settings.cache_clear()


def say(store, sender, text, seconds_ago=0.0, intent="share_interest"):
    tracker = asyncio.run(store.retrieve(sender)) or DialogueStateTracker(sender, slots=[])
    tracker.update(UserUttered(text, intent={"name": intent, "confidence": 1.0}, message_id=uuid.uuid4().hex,
                               timestamp=time.time() - seconds_ago))
    asyncio.run(store.save(tracker))


def events_of(url, sender=None):
    where, params = ("WHERE sender_id = :sender", {"sender": sender}) if sender else ("", {})
    with db_engine.get_engine(url).connect() as connection:
        return connection.execute(text(f"SELECT count(*) FROM events {where}"), params).scalar()


def rows_of(uow_factory, external_id):
    """How many rows of each student table belong to the student with this roster ID."""
    with uow_factory() as uow:
        session = uow.session
        student = session.scalar(select(Student).where(Student.external_id == external_id))
        if student is None:
            return {"students": 0, **{table.__tablename__: 0 for table in STUDENT_TABLES}}
        plan_ids = select(Plan.id).where(Plan.student_id == student.id)
        flag_ids = select(Flag.id).where(Flag.student_id == student.id)
        goal_ids = select(Goal.id).where(Goal.plan_id.in_(plan_ids))
        conditions = {Plan: Plan.student_id == student.id, Answer: Answer.plan_id.in_(plan_ids),
                      Goal: Goal.plan_id.in_(plan_ids), GoalStep: GoalStep.goal_id.in_(goal_ids),
                      Strength: Strength.plan_id.in_(plan_ids), Flag: Flag.student_id == student.id,
                      AlertOutbox: AlertOutbox.flag_id.in_(flag_ids)}
        return {"students": 1, **{table.__tablename__: session.scalar(select(func.count()).select_from(table)
                                                                       .where(conditions[table]))
                                  for table in STUDENT_TABLES}}


def audit_entries(uow_factory, action):
    with uow_factory() as uow:
        return uow.session.execute(select(AuditEntry.actor_role, AuditEntry.actor_id, AuditEntry.student_id,
                                          AuditEntry.detail).where(AuditEntry.action == action)).all()


def student_with_everything(uow_factory, store, external_id, first_name, last_name):
    """A student with a plan (answers, a goal with a step, a strength), an urgent and a normal flag, and 5 events."""
    import_roster(uow_factory(), roster_csv(f"{external_id},{first_name},{last_name},9,West High,{COUNSELOR_EMAIL}"))
    goal_id = record_goal(uow_factory(), external_id, "become a nurse", f"{external_id}:m1")
    record_goal_step(uow_factory(), external_id, goal_id, "take biology", f"{external_id}:m2")
    record_strength(uow_factory(), external_id, "I am good at fixing bikes", f"{external_id}:m3")
    raise_flag(uow_factory(), external_id, category="self_harm", severity="urgent", excerpt="i feel hopeless",
               conversation_id=external_id, event_id=f"{external_id}:m4")
    raise_flag(uow_factory(), external_id, category="academic", severity="normal", excerpt="failing math")
    for number in range(5):
        say(store, external_id, f"message {number} from {first_name}")


@pytest.fixture
def two_students(uow_factory, tracker_store):
    store, url = tracker_store
    add_counselor(uow_factory)
    student_with_everything(uow_factory, store, "D100", "Zephyrine", "Quillfeather")
    student_with_everything(uow_factory, store, "K200", "Kept", "Student")
    return url


def test_deleting_a_student_leaves_none_of_theirs_and_all_of_another_students(uow_factory, two_students):
    tracker_url = two_students
    before = rows_of(uow_factory, "D100")
    assert all(before.values()) and before["alert_outbox"] == 1 and events_of(tracker_url, "D100") == 5
    kept_before = rows_of(uow_factory, "K200")

    report = delete_student(uow_factory(), tracker_url, "D100", actor_role="admin", actor_id=None)

    assert rows_of(uow_factory, "D100") == {table: 0 for table in before}
    assert events_of(tracker_url, "D100") == 0
    assert rows_of(uow_factory, "K200") == kept_before and events_of(tracker_url, "K200") == 5
    assert report.events == 5
    assert {table: report.plan_rows[table] for table in before} == before
    assert set(report.plan_rows) == {table.name for table in metadata.sorted_tables} - {
        "schools", "staff_users", "audit_log", "occupations", "occupation_pay",
        "sign_in_failures"}  # every table that can hold a student's rows (failures: hashed keys, gone in 15 min)


def test_the_deletion_is_audited_once_with_counts_but_without_who(uow_factory, two_students):
    delete_student(uow_factory(), two_students, "D100", actor_role="admin", actor_id=7)
    [(actor_role, actor_id, student_id, detail)] = audit_entries(uow_factory, "student.deleted")
    assert (actor_role, actor_id, student_id) == ("admin", 7, None)
    assert "students 1" in detail and "flags 2" in detail and "events 5" in detail
    for personal in ("D100", "Zephyrine", "Quillfeather", "nurse", "hopeless"):
        assert personal.lower() not in detail.lower()


def test_deleting_an_unknown_student_is_a_clear_error_and_deletes_nothing(uow_factory, two_students):
    with pytest.raises(UnknownStudent):
        delete_student(uow_factory(), two_students, "NOBODY", actor_role="admin", actor_id=None)
    assert events_of(two_students) == 10 and rows_of(uow_factory, "D100")["students"] == 1


def test_a_tracker_store_without_an_events_table_counts_as_no_events(uow_factory, tmp_path):
    add_counselor(uow_factory)
    import_roster(uow_factory(), roster_csv(f"N1,Nia,Vale,9,West High,{COUNSELOR_EMAIL}"))
    report = delete_student(uow_factory(), f"sqlite:///{tmp_path / 'empty-tracker.db'}", "N1",
                            actor_role="admin", actor_id=None)
    assert report.events == 0 and report.plan_rows["students"] == 1


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.usefixtures("database_in_environment")  # the command reads its settings from the environment
def test_cli_delete_asks_for_the_id_again_and_a_wrong_answer_deletes_nothing(uow_factory, two_students, capsys,
                                                                             monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("K200\n"))
    code, out, err = run(capsys, "students", "delete", "D100")
    assert code == 1 and "Type the student ID again" in err and "not deleted" in err and out == ""
    assert rows_of(uow_factory, "D100")["students"] == 1 and events_of(two_students, "D100") == 5

    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no answer at all (end of input)
    code, _, _ = run(capsys, "students", "delete", "D100")
    assert code == 1 and rows_of(uow_factory, "D100")["students"] == 1

    monkeypatch.setattr("sys.stdin", io.StringIO("D100\n"))
    code, out, _ = run(capsys, "students", "delete", "D100")
    assert code == 0 and "deleted student D100:" in out and "events 5" in out
    assert rows_of(uow_factory, "D100")["students"] == 0 and events_of(two_students, "D100") == 0


@pytest.mark.usefixtures("database_in_environment")
def test_cli_delete_with_yes_does_not_ask(uow_factory, two_students, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, out, err = run(capsys, "students", "delete", "D100", "--yes")
    assert code == 0 and "students 1" in out and "plans 1" in out and "events 5" in out and err == ""
    assert rows_of(uow_factory, "D100")["students"] == 0 and rows_of(uow_factory, "K200")["students"] == 1


@pytest.mark.usefixtures("database_in_environment")
def test_cli_delete_of_an_unknown_id_exits_1_without_asking(uow_factory, two_students, capsys):
    code, out, err = run(capsys, "students", "delete", "NOBODY", "--yes")
    assert code == 1 and out == "" and "no student with ID 'NOBODY' is on the roster" in err
    assert events_of(two_students) == 10


def test_retention_deletes_only_events_older_than_the_period_and_keeps_plan_data(uow_factory, tracker_store):
    store, url = tracker_store
    add_counselor(uow_factory)
    student_with_everything(uow_factory, store, "R1", "Rae", "Ono")  # 5 events from just now
    say(store, "R1", "an old message", seconds_ago=31 * DAY)
    say(store, "R2", "another old message", seconds_ago=40 * DAY)
    say(store, "R2", "a message just inside the period", seconds_ago=29 * DAY)
    plan_rows = rows_of(uow_factory, "R1")

    assert apply_retention(url, 30, plan_uow=uow_factory()) == 2

    assert events_of(url, "R1") == 5 and events_of(url, "R2") == 1
    assert rows_of(uow_factory, "R1") == plan_rows
    [(_, _, student_id, detail)] = audit_entries(uow_factory, "transcripts.retention")
    assert detail == "deleted 2 events older than 30 days" and student_id is None


def test_retention_counts_days_from_now_given(uow_factory, tracker_store):
    store, url = tracker_store
    say(store, "R1", "hello", seconds_ago=0)
    assert apply_retention(url, 1, now=time.time() + DAY - 60, plan_uow=uow_factory()) == 0
    assert apply_retention(url, 1, now=time.time() + DAY + 60, plan_uow=uow_factory()) == 1


@pytest.mark.usefixtures("database_in_environment")
def test_cli_retention_uses_the_setting_and_the_days_option(uow_factory, tracker_store, capsys, monkeypatch):
    store, url = tracker_store
    say(store, "R1", "very old", seconds_ago=400 * DAY)
    say(store, "R1", "old", seconds_ago=100 * DAY)
    say(store, "R1", "new", seconds_ago=DAY)
    code, out, _ = run(capsys, "retention", "apply")  # default 365 days
    assert code == 0 and out.strip() == "deleted 1 conversation events older than 365 days"
    monkeypatch.setenv("ILP_TRANSCRIPT_RETENTION_DAYS", "90")
    get_settings.cache_clear()
    code, out, _ = run(capsys, "retention", "apply")
    assert code == 0 and out.strip() == "deleted 1 conversation events older than 90 days"
    code, out, _ = run(capsys, "retention", "apply", "--days", "2")
    assert code == 0 and out.strip() == "deleted 0 conversation events older than 2 days"
    assert events_of(url) == 1


@pytest.mark.parametrize("days", [0, -5])
@pytest.mark.usefixtures("database_in_environment")
def test_a_retention_period_under_one_day_is_refused(uow_factory, tracker_store, capsys, monkeypatch, days):
    store, url = tracker_store
    say(store, "R1", "hello", seconds_ago=2 * DAY)
    with pytest.raises(InvalidInput):
        apply_retention(url, days, plan_uow=uow_factory())
    code, _, err = run(capsys, "retention", "apply", "--days", str(days))
    assert code == 1 and "at least 1 day" in err
    monkeypatch.setenv("ILP_TRANSCRIPT_RETENTION_DAYS", str(days))
    with pytest.raises(ValidationError, match="transcript_retention_days"):
        Settings()
    get_settings.cache_clear()
    code, _, err = run(capsys, "retention", "apply")
    assert code == 1 and "ILP_TRANSCRIPT_RETENTION_DAYS" in err
    assert events_of(url) == 1


def test_a_failure_on_the_tracker_side_deletes_nothing_from_the_plan_database(uow_factory, two_students, monkeypatch):
    def tracker_down(*_args):
        raise RuntimeError("tracker store unreachable")

    monkeypatch.setattr("bot.students.data_control._delete_events", tracker_down)
    with pytest.raises(RuntimeError):
        delete_student(uow_factory(), two_students, "D100", actor_role="admin", actor_id=None)
    assert all(rows_of(uow_factory, "D100").values()) and audit_entries(uow_factory, "student.deleted") == []


def test_deleting_a_student_deletes_their_advisor_sessions_and_those_conversations(uow_factory, tracker_store,
                                                                                 two_students):
    from bot.advisors.access import assign_advisor, start_session
    from bot.caseload import load_viewer
    from bot.db.tables import AdvisorAssignment, AdvisorSession, PlanNote
    from bot.staff import add_user

    tracker_url = two_students
    advisor_id = add_user(uow_factory(), email="vol@business.example", role="advisor",
                          password="a-long-test-password", school_name="West High")
    viewer = load_viewer(uow_factory(), advisor_id)
    conversations = {}
    for external_id in ("D100", "K200"):
        assign_advisor(uow_factory(), advisor_id, external_id, by=None)
        session_id = start_session(uow_factory(), viewer, external_id, "grade8_session", consent=True)
        with uow_factory() as uow:
            conversations[external_id] = uow.session.get(AdvisorSession, session_id).conversation_id
        say(tracker_store[0], conversations[external_id], f"she said {external_id} likes art")
    report = delete_student(uow_factory(), tracker_url, "D100", actor_role="admin", actor_id=None)
    assert events_of(tracker_url, conversations["D100"]) == 0 and events_of(tracker_url, conversations["K200"]) == 1
    assert report.events == 6 and report.plan_rows["advisor_sessions"] == 1
    assert report.plan_rows["advisor_assignments"] == 1
    with uow_factory() as uow:
        assert uow.session.scalar(select(func.count(AdvisorSession.id))) == 1
        assert uow.session.scalar(select(func.count(AdvisorAssignment.id))) == 1
        assert uow.session.scalar(select(func.count(PlanNote.id))) == 0
