"""The typed plan view on a real plan database (SQLite, and PostgreSQL when configured): one query per kind of
item whatever the number of students, the JSON made from it, and the lean facts reports count with."""
import datetime as dt

import pytest
from sqlalchemy import event

from bot.interests.inventory import inventory_items
from bot.plans.benchmarks import PlanFacts
from bot.plans.services import student_plan
from bot.plans.view import facts_of, plan_facts, plan_json, plan_view, plan_views
from bot.roster.services import get_student, import_roster
from tests.builders import COUNSELOR_EMAIL, add_counselor, roster_csv, write_plan_rows

RICH = dict(
    quiz={"r01": "like", "i01": "unsure", "a01": "dislike", "s01": "like"},
    mentions=(("activity", "fixing bikes", "R"),),
    statements=(("I love fixing engines", ("R",)), ("stuff with my cousins", ())),
    values=("independence", "achievement", "support", "recognition", "relationships", "working_conditions"),
    strengths=(("skill", "Soldering small circuits"),),
    careers=(("Automotive Service Technician", "49-3023.00"), ("Mecánico", None), ("Nurse", "29-1141.00")),
    postsecondary=(("military", "2025-11-03T14:00:00"), ("two_year", "2026-01-20T09:30:00")),
    goals=({"kind": "education", "text": "Pass welding", "steps": [("Ask", "2026-04-15", False), ("Buy", None, True)]},
           {"kind": "career", "text": "Electrician", "status": "replaced"}),
    courses=((10, "English 10", "english"), (9, "Algebra I", "math")),
    activities=(("volunteering", "Shelter", None, "doing"), ("club", "Robotics", 8, "planned")),
    completed=("g8_career_day",),
    notes=("Talked with the family",),
    taken_back=(("career_goal", "idk"),),
)


@pytest.fixture
def students(uow_factory):
    """Students in grades 6-8: S6 with the whole quiz answered, S7 and S8 with a rich plan, N8 with no plan."""
    add_counselor(uow_factory)
    report = import_roster(uow_factory(), roster_csv(*(f"{sid},Sam,Lee,{grade},Test Middle School,{COUNSELOR_EMAIL}"
                                                       for sid, grade in (("S6", 6), ("S7", 7), ("S8", 8), ("N8", 8)))))
    assert not report.errors, report.errors
    write_plan_rows(uow_factory, "S6", **{**RICH, "quiz": {item.id: "like" for item in inventory_items()}})
    write_plan_rows(uow_factory, "S7", **RICH)
    write_plan_rows(uow_factory, "S8", **RICH)
    return ["S6", "S7", "S8", "N8"]


def count_queries(session, read):
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731 (conn, cursor, statement, ...)
    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", listener)
    try:
        read()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(statements)


def test_reads_many_plans_with_as_many_queries_as_one(uow_factory, students):
    counted = []
    for some in (students[:1], students):
        with uow_factory() as uow:
            rows = [get_student(uow.session, student_id) for student_id in some]
            counted.append(count_queries(uow.session, lambda: plan_views(uow.session, rows)))  # noqa: B023
    assert counted[0] == counted[1]


def test_a_view_holds_the_plan_typed_and_its_json_is_the_plans_json(uow_factory, students):
    with uow_factory() as uow:
        view = plan_view(uow.session, get_student(uow.session, "S8"))
    assert view.student.name == "Sam Lee" and view.student.grade == 8
    assert view.interests.code == "RSI" and view.interests.inventory.answered == 4
    assert [(s.text, s.riasec) for s in view.interests.statements] == [("I love fixing engines", ("R",)),
                                                                        ("stuff with my cousins", ())]
    assert view.postsecondary == "two_year"
    assert view.postsecondary_history[0].at == dt.datetime(2025, 11, 3, 14)
    assert view.goals[0].steps[0].due_date == dt.date(2026, 4, 15) and view.goals[0].steps[1].done
    assert [c.onet_soc for c in view.careers] == ["49-3023.00", None, "29-1141.00"]
    assert [b.id for b in view.benchmarks.done] == ["g8_course_plan", "g8_volunteer", "g8_career_day"]
    assert plan_json(view) == student_plan(uow_factory(), "S8")
    assert "notes" in plan_json(view) and "notes" not in plan_json(view.for_family())


def test_lean_facts_are_the_facts_the_plan_shows(uow_factory, students):
    with uow_factory() as uow:
        rows = [get_student(uow.session, student_id) for student_id in students]
        views = plan_views(uow.session, rows)
        ids = [row.id for row in rows]
        lean = plan_facts(uow.session, ids)
    for student_id, row_id in zip(students, ids, strict=True):
        assert lean[row_id] == facts_of(views[row_id], lean[row_id].completed), student_id
    assert lean[ids[0]].quiz_complete and not lean[ids[1]].quiz_complete
    assert lean[ids[1]].activity_kinds == {"volunteering", "club"} and lean[ids[1]].completed == {"g8_career_day"}
    assert lean[ids[3]] == PlanFacts()  # no plan yet
