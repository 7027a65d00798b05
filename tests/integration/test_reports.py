"""The Reports page's numbers on a real plan database (SQLite, and PostgreSQL when configured).

One district: counselors Ana and Ben share Maple Middle School; Ben also has a student at Birch High
School. Maple's admin sees Maple's four students; an advisor sees none here.
"""
import datetime as dt

import pytest
from sqlalchemy import update

from bot import reports
from bot.caseload import load_viewer
from bot.db.tables import Flag
from bot.flags import raise_flag
from bot.plans.activities import record_activity
from bot.plans.goals import record_goal
from bot.plans.progress import complete_benchmark
from bot.plans.self_exploration import record_strength
from bot.plans.services import student_plan
from bot.reports import GradeCompletion, WeekCount
from bot.roster.services import import_roster
from bot.safety.categories import CATEGORIES
from bot.staff import add_user
from tests.builders import roster_csv

PASSWORD = "a-long-test-password"
ANA, BEN = "ana.counselor@maple.example", "ben.counselor@maple.example"

# A Wednesday well before the real clock: rows written by the services now are "after today"
# until a test moves them to the date it needs.
TODAY = dt.date(2024, 3, 13)
THIS_WEEK = dt.date(2024, 3, 11)
LAST_WEEK = dt.date(2024, 3, 4)
FIRST_WEEK = dt.date(2023, 12, 25)  # the oldest of 12 weeks
THIRTEEN_WEEKS_AGO = dt.date(2023, 12, 18)


@pytest.fixture
def viewers(uow_factory):
    """Staff and roster of the district above; returns the four viewers by name."""
    ids = {
        "ana": add_user(uow_factory(), email=ANA, role="counselor", password=PASSWORD),
        "ben": add_user(uow_factory(), email=BEN, role="counselor", password=PASSWORD),
        "admin": add_user(uow_factory(), email="lee.admin@maple.example", role="admin", password=PASSWORD,
                          school_name="Maple Middle School"),
        "advisor": add_user(uow_factory(), email="kim.advisor@maple.example", role="advisor", password=PASSWORD),
    }
    report = import_roster(uow_factory(), roster_csv(
        f"S1,Avery,Stone,8,Maple Middle School,{ANA}",
        f"S2,Blake,Moss,8,Maple Middle School,{ANA}",
        f"S3,Casey,Reed,6,Maple Middle School,{ANA}",
        f"S4,Drew,Fern,8,Maple Middle School,{BEN}",
        f"S5,Emery,Vale,7,Birch High School,{BEN}",
    ))
    assert not report.errors, report.errors
    return {name: load_viewer(uow_factory(), staff_id) for name, staff_id in ids.items()}


def written_at(uow_factory, when: dt.datetime) -> None:
    """Moves every plan item written just now (after TODAY) to `when`."""
    cutoff = dt.datetime.combine(TODAY + dt.timedelta(days=1), dt.time())
    with uow_factory() as uow:
        for table in reports.PLAN_ITEM_TABLES:
            uow.session.execute(update(table).where(table.created_at >= cutoff).values(created_at=when))
        uow.commit()


def flag_at(uow_factory, student: str, category: str, when: dt.datetime) -> None:
    flag_id = raise_flag(uow_factory(), student, category=category, severity=CATEGORIES[category].severity)
    with uow_factory() as uow:
        uow.session.execute(update(Flag).where(Flag.id == flag_id).values(created_at=when))
        uow.commit()


def at(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def test_benchmark_completion_counts_each_viewers_students_and_moves_with_a_completed_benchmark(uow_factory, viewers):
    # The shipped data/plan/benchmarks.yml has five benchmarks in each of grades 6, 7 and 8.
    assert reports.benchmark_completion_by_grade(uow_factory(), viewers["ana"]) == [
        GradeCompletion(grade=6, students=1, benchmarks_due=5, benchmarks_done=0, percent_done=0.0),
        GradeCompletion(grade=8, students=2, benchmarks_due=10, benchmarks_done=0, percent_done=0.0),
    ]
    complete_benchmark(uow_factory(), "S1", "g8_career_day", "e-1")  # a manual benchmark, ticked off
    assert reports.benchmark_completion_by_grade(uow_factory(), viewers["ana"])[1].percent_done == 10.0
    record_activity(uow_factory(), "S2", "I volunteer at the animal shelter", "e-2")  # done from the plan itself
    assert reports.benchmark_completion_by_grade(uow_factory(), viewers["ana"]) == [
        GradeCompletion(grade=6, students=1, benchmarks_due=5, benchmarks_done=0, percent_done=0.0),
        GradeCompletion(grade=8, students=2, benchmarks_due=10, benchmarks_done=2, percent_done=20.0),
    ]
    # "Done" is what each student's plan shows.
    assert sum(len(student_plan(uow_factory(), s)["benchmarks"]["done"]) for s in ("S1", "S2")) == 2

    assert reports.benchmark_completion_by_grade(uow_factory(), viewers["ben"]) == [
        GradeCompletion(grade=7, students=1, benchmarks_due=5, benchmarks_done=0, percent_done=0.0),
        GradeCompletion(grade=8, students=1, benchmarks_due=5, benchmarks_done=0, percent_done=0.0),
    ]
    assert reports.benchmark_completion_by_grade(uow_factory(), viewers["admin"]) == [
        GradeCompletion(grade=6, students=1, benchmarks_due=5, benchmarks_done=0, percent_done=0.0),
        GradeCompletion(grade=8, students=3, benchmarks_due=15, benchmarks_done=2, percent_done=13.3),
    ]
    assert reports.benchmark_completion_by_grade(uow_factory(), viewers["advisor"]) == []


def test_plan_activity_is_zero_filled_by_week_and_limited_to_the_window_and_the_viewer(uow_factory, viewers):
    # Each service call writes the answer as given plus what it derives: two plan items.
    record_activity(uow_factory(), "S1", "I joined the robotics club", "e-1")
    written_at(uow_factory, at(THIS_WEEK + dt.timedelta(days=1)))
    record_strength(uow_factory(), "S2", "I am patient with little kids", "e-2")
    written_at(uow_factory, at(THIS_WEEK - dt.timedelta(days=1), 23, 30))  # Sunday night: last week
    complete_benchmark(uow_factory(), "S1", "g8_career_day", "e-3")
    written_at(uow_factory, at(LAST_WEEK, 0, 0))  # Monday midnight: last week
    record_goal(uow_factory(), "S3", "I want to make the honor roll", "e-4")
    written_at(uow_factory, at(FIRST_WEEK, 0, 0))  # the window's first instant
    record_strength(uow_factory(), "S3", "I can speak two languages", "e-5")
    written_at(uow_factory, at(THIRTEEN_WEEKS_AGO))  # outside a 12-week window
    record_activity(uow_factory(), "S4", "I play on the soccer team", "e-6")
    written_at(uow_factory, at(THIS_WEEK))

    def expected(counts: dict) -> list[WeekCount]:
        weeks = [FIRST_WEEK + dt.timedelta(weeks=n) for n in range(12)]
        return [WeekCount(week, *counts.get(week, (0, 0))) for week in weeks]

    activity = reports.plan_activity_by_week(uow_factory(), viewers["ana"], today=TODAY)
    assert activity == expected({FIRST_WEEK: (2, 1), LAST_WEEK: (4, 2), THIS_WEEK: (2, 1)})
    assert reports.plan_activity_by_week(uow_factory(), viewers["ana"], weeks=13, today=TODAY)[0] == \
        WeekCount(THIRTEEN_WEEKS_AGO, 2, 1)
    assert reports.plan_activity_by_week(uow_factory(), viewers["ben"], today=TODAY) == expected({THIS_WEEK: (2, 1)})
    assert reports.plan_activity_by_week(uow_factory(), viewers["admin"], today=TODAY) == \
        expected({FIRST_WEEK: (2, 1), LAST_WEEK: (4, 2), THIS_WEEK: (4, 2)})
    assert reports.plan_activity_by_week(uow_factory(), viewers["advisor"], today=TODAY) == expected({})

    text = reports.report_csv(activity)
    lines = text.splitlines()
    assert lines[0] == "week_start,plan_items,students" and len(lines) == 1 + 12
    assert lines[1] == "2023-12-25,2,1" and lines[-2] == "2024-03-04,4,2" and lines[-1] == "2024-03-11,2,1"


def test_flags_are_counted_per_week_and_category_for_the_viewers_students(uow_factory, viewers):
    flag_at(uow_factory, "S1", "academic", at(THIS_WEEK + dt.timedelta(days=2)))  # TODAY
    flag_at(uow_factory, "S2", "academic", at(THIS_WEEK, 8))
    flag_at(uow_factory, "S2", "bullying", at(LAST_WEEK + dt.timedelta(days=6), 23, 59))
    flag_at(uow_factory, "S3", "self_harm", at(THIRTEEN_WEEKS_AGO))  # outside the window
    flag_at(uow_factory, "S4", "financial", at(THIS_WEEK))
    flag_at(uow_factory, "S5", "academic", at(LAST_WEEK))

    def expected(counts: dict) -> list[dict]:
        weeks = [FIRST_WEEK + dt.timedelta(weeks=n) for n in range(12)]
        return [{"week_start": week, **{name: counts.get((week, name), 0) for name in CATEGORIES}} for week in weeks]

    ana = reports.flags_by_week(uow_factory(), viewers["ana"], today=TODAY)
    assert ana == expected({(THIS_WEEK, "academic"): 2, (LAST_WEEK, "bullying"): 1})
    assert reports.flags_by_week(uow_factory(), viewers["ben"], today=TODAY) == \
        expected({(THIS_WEEK, "financial"): 1, (LAST_WEEK, "academic"): 1})
    assert reports.flags_by_week(uow_factory(), viewers["admin"], today=TODAY) == \
        expected({(THIS_WEEK, "academic"): 2, (THIS_WEEK, "financial"): 1, (LAST_WEEK, "bullying"): 1})
    assert reports.flags_by_week(uow_factory(), viewers["advisor"], today=TODAY) == expected({})

    lines = reports.report_csv(ana).splitlines()
    assert lines[0] == "week_start," + ",".join(CATEGORIES) and len(lines) == 1 + 12
    assert lines[-1].startswith("2024-03-11,0,0,0,0,0,0,2,")


def test_grade_completion_csv_has_a_header_and_a_line_per_grade(uow_factory, viewers):
    text = reports.report_csv(reports.benchmark_completion_by_grade(uow_factory(), viewers["admin"]))
    assert text == ("grade,students,benchmarks_due,benchmarks_done,percent_done\n"
                    "6,1,5,0,0.0\n"
                    "8,3,15,0,0.0\n")
