"""The database itself refuses a value outside the closed set a column may hold (bot.db.tables), on SQLite and
PostgreSQL; migration 0012, which adds most of these constraints, refuses a database holding other values."""
import re

import pytest
from sqlalchemy import CheckConstraint, inspect, text
from sqlalchemy.exc import IntegrityError

from bot.db import engine as db_engine
from bot.db import tables
from bot.db.migrate import downgrade, upgrade
from bot.db.tables import metadata

IN_CHECK = re.compile(r"(\w+) IN \((.*)\)")
NOT_IN_ANY_SET = "x"  # short enough for every column (riasec is one character), so only the CHECK refuses it


def closed_sets() -> dict[tuple[str, str], tuple[str, ...]]:
    """(table, column) -> the values it may hold, for every CHECK constraint of the models that is `column IN (...)`."""
    found = {}
    for table in metadata.sorted_tables:
        for constraint in table.constraints:
            match = IN_CHECK.fullmatch(str(constraint.sqltext)) if isinstance(constraint, CheckConstraint) else None
            if match:
                found[table.name, match[1]] = tuple(re.findall(r"'([^']*)'", match[2]))
    return found


def test_every_column_holding_a_closed_set_is_checked_against_its_values():
    sets = closed_sets()
    assert {(table, column): sets.get((table, column)) for table, column in [
        ("strengths", "kind"), ("activities", "kind"), ("activities", "status"), ("goals", "kind"),
        ("goals", "status"), ("interest_mentions", "kind"), ("postsecondary_choices", "choice"),
        ("audit_log", "actor_role"), ("staff_users", "role"), ("flags", "status")]} == {
        ("strengths", "kind"): tables.STRENGTH_KINDS, ("activities", "kind"): tables.ACTIVITY_KINDS,
        ("activities", "status"): tables.ACTIVITY_STATUSES, ("goals", "kind"): tables.GOAL_KINDS,
        ("goals", "status"): tables.GOAL_STATUSES, ("interest_mentions", "kind"): tables.MENTION_KINDS,
        ("postsecondary_choices", "choice"): tables.POSTSECONDARY_PATHS,
        ("audit_log", "actor_role"): tables.AUDIT_ACTOR_ROLES, ("staff_users", "role"): tables.STAFF_ROLES,
        ("flags", "status"): tables.FLAG_STATUSES}
    with_author = {table.name for table in metadata.tables.values() if "author_role" in table.columns}
    assert len(with_author) == 13  # the twelve kinds of plan item and the goal steps
    assert {table for table, column in sets if column == "author_role"} == with_author
    assert {sets[table, "author_role"] for table in with_author} == {tables.AUTHOR_ROLES}
    assert all(NOT_IN_ANY_SET not in values for values in sets.values())


def one_row_in_each_table(uow_factory) -> dict[str, int]:
    """Writes a valid row in every table that has a closed set; returns each one's id by table name."""
    with uow_factory() as uow:
        session = uow.session
        school = tables.School(name="North")
        staff = tables.StaffUser(email="c@north.example", role="counselor", password_hash="x", school=school)
        student = tables.Student(external_id="S1", school=school, first_name="A", last_name="B", grade=8)
        plan = tables.Plan(student=student)
        session.add_all([school, staff, student, plan])
        session.flush()
        by = {"plan_id": plan.id, "author_role": "student"}
        goal = tables.Goal(kind="personal", text="read more", status="active", **by)
        advisor_session = tables.AdvisorSession(conversation_id="advisor-1", student_id=student.id,
                                                advisor_id=staff.id, script_id="first", consent_at=tables.utcnow())
        rows = [staff, goal, advisor_session,
                tables.Answer(topic="strength", text="I can code", **by),
                tables.InterestMention(kind="activity", item_id="draw", label="draw", riasec="A", **by),
                tables.InventoryResponse(item_id="R1", riasec="R", response="like", **by),
                tables.WorkValue(value="achievement", rank=1, **by),
                tables.Strength(kind="skill", text="I can code", **by),
                tables.Activity(kind="club", name="robotics", status="doing", **by),
                tables.CareerInterest(title="Registered Nurse", onet_soc="29-1141.00", **by),
                tables.PostsecondaryChoice(choice="work", **by),
                tables.CoursePlanEntry(grade=9, course="Biology", **by),
                tables.BenchmarkCompletion(benchmark_id="grade8_quiz", **by),
                tables.PlanNote(text="met today", **by),
                tables.AuditEntry(actor_role="cli", action="plan.read"),
                tables.Flag(student_id=student.id, category="academic", severity="normal")]
        session.add_all(rows)
        session.flush()
        rows += [tables.GoalStep(goal_id=goal.id, text="go to the library", author_role="student"),
                 tables.AdvisorSessionStep(session_id=advisor_session.id, step_id="hello", outcome="answered")]
        session.add_all(rows[-2:])
        session.flush()
        ids = {row.__tablename__: row.id for row in rows}
        uow.commit()
    return ids


def test_the_database_refuses_a_value_outside_each_closed_set_and_takes_every_value_in_it(database_url, uow_factory):
    ids = one_row_in_each_table(uow_factory)
    engine = db_engine.get_engine(database_url)
    sets = closed_sets()
    assert {table for table, _ in sets} <= set(ids)
    for (table, column), values in sets.items():
        update = text(f"UPDATE {table} SET {column} = :value WHERE id = :id")
        with pytest.raises(IntegrityError, match=f"ck_{table}_{column}"), engine.begin() as connection:
            connection.execute(update, {"value": NOT_IN_ANY_SET, "id": ids[table]})
        with engine.begin() as connection:
            for value in values:
                connection.execute(update, {"value": value, "id": ids[table]})


def test_0012_refuses_a_database_holding_other_values_names_them_and_changes_nothing(database_url):
    engine = db_engine.get_engine(database_url)
    downgrade(database_url, "0011")
    assert "ck_strengths_kind" not in {check["name"] for check in inspect(engine).get_check_constraints("strengths")}
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO schools (name, created_at) VALUES ('North', CURRENT_TIMESTAMP)"))
        connection.execute(text("INSERT INTO students (external_id, school_id, first_name, last_name, grade, "
                                "created_at, updated_at) VALUES ('S1', (SELECT id FROM schools), 'A', 'B', 8, "
                                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        connection.execute(text("INSERT INTO plans (student_id, created_at, updated_at) "
                                "VALUES ((SELECT id FROM students), CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        for kind in ("talent", "talent", "skill"):
            connection.execute(text("INSERT INTO strengths (plan_id, kind, text, author_role, created_at) "
                                    "VALUES ((SELECT id FROM plans), :kind, 'x', 'student', CURRENT_TIMESTAMP)"),
                               {"kind": kind})
        connection.execute(text("INSERT INTO audit_log (actor_role, action, detail, created_at) "
                                "VALUES ('web', 'plan.read', '', CURRENT_TIMESTAMP)"))
    with pytest.raises(RuntimeError, match=r"^values outside the set their column may hold: strengths\.kind: "
                                           r"'talent' \(2 rows\); audit_log\.actor_role: 'web' \(1 row\)\. "
                                           r"Correct these rows .* nothing was changed\.$"):
        upgrade(database_url)
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == "0011"
    assert "ck_strengths_kind" not in {check["name"] for check in inspect(engine).get_check_constraints("strengths")}
    with engine.begin() as connection:
        connection.execute(text("UPDATE strengths SET kind = 'strength' WHERE kind = 'talent'"))
        connection.execute(text("UPDATE audit_log SET actor_role = 'system' WHERE actor_role = 'web'"))
    upgrade(database_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT kind, count(*) FROM strengths GROUP BY kind ORDER BY kind")).all() == [
            ("skill", 1), ("strength", 2)]
    assert "ck_strengths_kind" in {check["name"] for check in inspect(engine).get_check_constraints("strengths")}
