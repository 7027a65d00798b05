"""The numbers behind the counselor dashboard's Reports page, each limited to the students the viewer may see.

Weeks are ISO weeks (Monday to Sunday) of the UTC timestamps the database keeps. Rows are bucketed in
Python, so SQLite and PostgreSQL give the same answer.
"""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from bot.caseload import Viewer, visible_students
from bot.db.tables import Flag, Plan, PlanItem, Student, utcnow
from bot.db.unit_of_work import UnitOfWork
from bot.plans.benchmarks import benchmark_status
from bot.plans.view import plan_facts
from bot.safety.categories import CATEGORIES

# Every table of plan items (answers, interests, values, ... benchmark completions), found once.
PLAN_ITEM_TABLES = tuple(PlanItem.__subclasses__())


@dataclass(frozen=True)
class GradeCompletion:
    grade: int
    students: int
    benchmarks_due: int  # this grade's benchmarks, summed over its students
    benchmarks_done: int
    percent_done: float


@dataclass(frozen=True)
class WeekCount:
    week_start: dt.date  # a Monday
    plan_items: int
    students: int  # distinct students who wrote at least one item that week


def benchmark_completion_by_grade(uow: UnitOfWork, viewer: Viewer) -> list[GradeCompletion]:
    """Per grade with students in view: how many of the grade's benchmarks are done, as on each student's plan
    (judged from the plan's facts, counted in the database, not from whole plans)."""
    students: Counter[int] = Counter()
    due: Counter[int] = Counter()
    done: Counter[int] = Counter()
    with uow:
        in_view = dict(uow.session.execute(select(Student.id, Student.grade).where(visible_students(viewer))).all())
        facts = plan_facts(uow.session, list(in_view))
    for student_id, grade in in_view.items():
        done_here, pending = benchmark_status(facts[student_id], grade)
        students[grade] += 1
        done[grade] += len(done_here)
        due[grade] += len(done_here) + len(pending)
    return [GradeCompletion(grade, students[grade], due[grade], done[grade],
                            round(100 * done[grade] / due[grade], 1) if due[grade] else 0.0)
            for grade in sorted(students)]


def plan_activity_by_week(uow: UnitOfWork, viewer: Viewer, weeks: int = 12,
                          today: dt.date | None = None) -> list[WeekCount]:
    """Per week, oldest first, zero-filled: plan items written and distinct students who wrote them."""
    starts = week_starts(weeks, today)
    items: Counter[dt.date] = Counter()
    writers: defaultdict[dt.date, set[int]] = defaultdict(set)
    with uow:
        for table in PLAN_ITEM_TABLES:
            query = (select(table.created_at, Plan.student_id).join(Plan, table.plan_id == Plan.id)
                     .join(Student, Plan.student_id == Student.id)
                     .where(visible_students(viewer), *_in_window(table.created_at, starts)))
            for created_at, student_id in uow.session.execute(query):
                week = week_start(created_at.date())
                items[week] += 1
                writers[week].add(student_id)
    return [WeekCount(week, items[week], len(writers[week])) for week in starts]


def flags_by_week(uow: UnitOfWork, viewer: Viewer, weeks: int = 12, today: dt.date | None = None) -> list[dict]:
    """Per week, oldest first, zero-filled: flags raised in each category (categories outside CATEGORIES last)."""
    starts = week_starts(weeks, today)
    query = (select(Flag.created_at, Flag.category).join(Student, Flag.student_id == Student.id)
             .where(visible_students(viewer), *_in_window(Flag.created_at, starts)))
    with uow:
        counts = Counter((week_start(created_at.date()), category)
                         for created_at, category in uow.session.execute(query))
    categories = list(CATEGORIES) + sorted({category for _, category in counts} - set(CATEGORIES))
    return [{"week_start": week, **{category: counts[week, category] for category in categories}} for week in starts]


def report_csv(rows: list) -> str:
    """CSV text with a header line, for any of the lists above (dataclass rows or dicts)."""
    records = [dataclasses.asdict(row) if dataclasses.is_dataclass(row) else dict(row) for row in rows]
    out = io.StringIO()
    if records:
        writer = csv.DictWriter(out, fieldnames=list(records[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
    return out.getvalue()


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_starts(weeks: int, today: dt.date | None = None) -> list[dt.date]:
    """The Mondays of the last `weeks` weeks, the current one last."""
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    current = week_start(today or utcnow().date())
    return [current - dt.timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]


def _in_window(column, starts: list[dt.date]) -> tuple:
    first = dt.datetime.combine(starts[0], dt.time())
    after = dt.datetime.combine(starts[-1] + dt.timedelta(weeks=1), dt.time())
    return column >= first, column < after
