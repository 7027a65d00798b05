"""Taking back a save on SQLite and PostgreSQL: the rows stay as history (retracted), reads leave them out,
updates are undone, the audit log has the retraction (ids only), and saving the same thing again works
where a table keeps one row per item."""
import datetime as dt

from sqlalchemy import func, inspect, select, text

from bot.db import engine as db_engine
from bot.db.migrate import downgrade, upgrade
from bot.db.tables import AuditEntry, BenchmarkCompletion, CareerInterest, Goal, GoalStep, WorkValue
from bot.plans import goals
from bot.plans.exploration import save_career
from bot.plans.postsecondary import record_postsecondary
from bot.plans.progress import complete_benchmark
from bot.plans.retraction import retract_saves
from bot.plans.services import record_career_goal, record_interest_statement, student_plan
from bot.plans.values import record_value_choice
from tests.builders import enrol


def test_a_retracted_career_goal_stays_as_history_and_the_audit_log_has_ids_only(uow_factory):
    enrol(uow_factory, "S1")
    record_career_goal(uow_factory(), "S1", "i want to be a nurse", "S1:m1")
    taken = retract_saves(uow_factory(), "S1", ["S1:m1"], "no thats wrong", "S1:m2")
    assert taken.taken_back == ["Registered Nurse as your career goal"]
    plan = student_plan(uow_factory(), "S1")
    assert plan["careers"] == [] and plan["goals"] == []
    assert [(item["topic"], item["text"]) for item in plan["taken_back"]] == [("career_goal", "i want to be a nurse")]
    with uow_factory() as uow:
        rows = uow.session.scalars(select(Goal)).all() + uow.session.scalars(select(CareerInterest)).all()
        assert len(rows) == 2 and all(row.retracted_at is not None for row in rows)
        [entry] = uow.session.scalars(select(AuditEntry)).all()
        assert (entry.action, entry.actor_role) == ("plan.retract", "student")
        assert "nurse" not in entry.detail.lower() and "career_interests:" in entry.detail


def test_a_retried_retraction_changes_nothing_twice(uow_factory):
    enrol(uow_factory, "S1")
    record_interest_statement(uow_factory(), "S1", "I love fixing engines", "S1:m1")
    first = retract_saves(uow_factory(), "S1", ["S1:m1"], "undo that", "S1:m2")
    retry = retract_saves(uow_factory(), "S1", ["S1:m1"], "undo that", "S1:m2")
    assert first.taken_back == ['"I love fixing engines" from the things you like'] and retry.already_done
    with uow_factory() as uow:
        assert uow.session.scalar(select(func.count(AuditEntry.id))) == 1
    assert student_plan(uow_factory(), "S1")["interests"]["code"] == ""


def test_the_path_after_high_school_goes_back_to_the_one_before(uow_factory):
    enrol(uow_factory, "S1", grade=9)
    record_postsecondary(uow_factory(), "S1", "two_year", "S1:m1")
    record_postsecondary(uow_factory(), "S1", "four_year", "S1:m2")
    retract_saves(uow_factory(), "S1", ["S1:m2"], "no", "S1:m3")
    plan = student_plan(uow_factory(), "S1")
    assert plan["postsecondary"] == "two_year"
    assert [entry["choice"] for entry in plan["postsecondary_history"]] == ["two_year"]
    # Choosing four-year again is a change again (the taken-back row is not the current choice).
    record_postsecondary(uow_factory(), "S1", "four_year", "S1:m4")
    assert student_plan(uow_factory(), "S1")["postsecondary"] == "four_year"


def test_items_a_table_keeps_once_can_be_saved_again_after_they_were_taken_back(uow_factory):
    enrol(uow_factory, "S1", grade=8)
    save_career(uow_factory(), "S1", "47-2111.00", "S1:m1")
    record_value_choice(uow_factory(), "S1", "independence", "S1:m2")
    complete_benchmark(uow_factory(), "S1", "g8_career_day", "S1:m3")
    retract_saves(uow_factory(), "S1", ["S1:m1", "S1:m2", "S1:m3"], "undo", "S1:m4")
    plan = student_plan(uow_factory(), "S1")
    assert plan["careers"] == [] and plan["values"] == []
    assert "g8_career_day" not in {b["id"] for b in plan["benchmarks"]["done"]}

    _, already = save_career(uow_factory(), "S1", "47-2111.00", "S1:m5")
    record_value_choice(uow_factory(), "S1", "independence", "S1:m6")
    _, retried = complete_benchmark(uow_factory(), "S1", "g8_career_day", "S1:m7")
    assert not already and not retried
    plan = student_plan(uow_factory(), "S1")
    assert [c["onet_soc"] for c in plan["careers"]] == ["47-2111.00"] and plan["values"] == ["independence"]
    assert "g8_career_day" in {b["id"] for b in plan["benchmarks"]["done"]}
    with uow_factory() as uow:  # one row each, live again and now from the later message
        for table, event in ((CareerInterest, "S1:m5"), (WorkValue, "S1:m6"), (BenchmarkCompletion, "S1:m7")):
            [row] = uow.session.scalars(select(table)).all()
            assert row.retracted_at is None and row.source_event == event


def test_a_step_marked_done_and_a_changed_due_date_are_undone(uow_factory):
    enrol(uow_factory, "S1")
    today = dt.date.today()
    goal_id = goals.record_goal(uow_factory(), "S1", "learn to code", "S1:m1")
    step_id = goals.record_goal_step(uow_factory(), "S1", goal_id, "watch a scratch tutorial", "S1:m2")
    first = goals.set_step_due_date(uow_factory(), "S1", step_id, "in 2 weeks", "S1:m3", today=today)
    goals.set_step_due_date(uow_factory(), "S1", step_id, "tomorrow", "S1:m4", today=today)
    goals.complete_step(uow_factory(), "S1", step_id, "S1:m5")
    done = retract_saves(uow_factory(), "S1", ["S1:m5"], "undo", "S1:m6")
    due = retract_saves(uow_factory(), "S1", ["S1:m4"], "undo", "S1:m7")
    assert done.taken_back == ['"watch a scratch tutorial" marked done']
    assert due.taken_back == ['the due date for "watch a scratch tutorial"']
    [step] = student_plan(uow_factory(), "S1")["goals"][0]["steps"]
    assert step["done"] is False and step["due_date"] == first.isoformat()


def test_replacing_a_step_keeps_the_first_one_as_taken_back(uow_factory):
    enrol(uow_factory, "S1")
    goal_id = goals.record_goal(uow_factory(), "S1", "learn to code", "S1:m1")
    old = goals.record_goal_step(uow_factory(), "S1", goal_id, "idk", "S1:m2")
    new = goals.record_goal_step(uow_factory(), "S1", goal_id, "watch a scratch tutorial", "S1:m3", replacing=old)
    assert [s["text"] for s in student_plan(uow_factory(), "S1")["goals"][0]["steps"]] == ["watch a scratch tutorial"]
    with uow_factory() as uow:
        assert uow.session.get(GoalStep, old).retracted_at is not None
        assert uow.session.get(GoalStep, new).source_event == "S1:m3"
    assert [i["text"] for i in student_plan(uow_factory(), "S1")["taken_back"]] == ["idk"]


def test_one_goal_for_the_same_words(uow_factory):
    enrol(uow_factory, "S1")
    first = goals.save_goal(uow_factory(), "S1", "make honor roll", "S1:m1")
    again = goals.save_goal(uow_factory(), "S1", "Make honor roll!", "S1:m2")
    assert again.id == first.id and again.already_a_goal
    assert [g["text"] for g in student_plan(uow_factory(), "S1")["goals"]] == ["make honor roll"]


def test_0009_keeps_plan_items_and_downgrades(database_url):
    engine = db_engine.get_engine(database_url)
    downgrade(database_url, "0008")
    assert "retracted_at" not in {c["name"] for c in inspect(engine).get_columns("goals")}
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO schools (name, created_at) VALUES ('S', CURRENT_TIMESTAMP)"))
        connection.execute(text("INSERT INTO students (external_id, school_id, first_name, last_name, grade, "
                                "created_at, updated_at) VALUES ('S1', 1, 'A', 'B', 9, CURRENT_TIMESTAMP, "
                                "CURRENT_TIMESTAMP)"))
        connection.execute(text("INSERT INTO plans (student_id, created_at, updated_at) "
                                "VALUES (1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        connection.execute(text("INSERT INTO goals (plan_id, kind, text, status, author_role, created_at) "
                                "VALUES (1, 'personal', 'read more', 'active', 'student', CURRENT_TIMESTAMP)"))
    upgrade(database_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT text, retracted_at FROM goals")).one() == ("read more", None)
    for table in ("answers", "goals", "goal_steps", "work_values", "career_interests", "benchmark_completions"):
        assert "retracted_at" in {c["name"] for c in inspect(engine).get_columns(table)}
    assert "source_event" in {c["name"] for c in inspect(engine).get_columns("goal_steps")}


def test_0009_matches_the_model(database_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from bot.db.tables import metadata

    with db_engine.get_engine(database_url).connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert [change for change in diff if "retracted_at" in repr(change) or "goal_steps" in repr(change)] == []
