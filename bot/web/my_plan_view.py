"""My plan as the student reads it: the plan's view (`bot.plans.view.PlanView`) in plain words.

Nothing here changes what the plan stores. Ids become the words the student saw (a work value's button, the
path's name), the interest code is spelled out, statuses become where the student is ("doing now"), dates
become words, and career codes are left out. Counselors' pages read the plan itself
(templates/partials/plan_sections.html).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.interests.catalog import RIASEC_SHORT
from bot.plans.content import graduation_requirements
from bot.plans.credit_count import CreditCount
from bot.plans.view import PlanView
from bot.web.plain_words import (
    InterestType,
    activity_words,
    goal_kind_words,
    interest_types,
    plain_date,
    postsecondary_words,
    strength_words,
    value_words,
)

# Goals the student moved on from: listed apart, not as live goals.
EARLIER_GOAL_STATUSES = ("replaced", "dropped")


@dataclass(frozen=True)
class Said:
    """Something the student said, with a short note on what it shows (empty when nothing is known)."""
    text: str
    note: str = ""


@dataclass(frozen=True)
class Step:
    text: str
    due: str  # "Friday, December 19", or "" with no due date
    done: bool


@dataclass(frozen=True)
class GoalView:
    kind: str  # "School goal"
    text: str
    done: bool
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class CourseView:
    grade: int
    course: str
    area: str


@dataclass(frozen=True)
class MyPlan:
    grade: int
    school: str
    last_changed: str  # "" before the first answer
    interest_code: str
    interest_types: tuple[InterestType, ...]
    quiz_answered: int
    quiz_total: int
    riasec: dict
    own_words: tuple[Said, ...]
    values: tuple[str, ...]
    strengths: tuple[Said, ...]
    careers: tuple[str, ...]
    career_goal: str
    postsecondary: tuple[str, str] | None
    goals: tuple[GoalView, ...]
    earlier_goals: tuple[str, ...]
    courses: tuple[CourseView, ...]
    credits: CreditCount  # earned, planned and still needed
    activities: tuple[Said, ...]
    checklist_done: tuple[str, ...]
    checklist_pending: tuple[str, ...]


def my_plan(plan: PlanView, today: dt.date) -> MyPlan:
    interests = plan.interests
    goals = plan.goals
    career_goals = [goal.text for goal in goals if goal.kind == "career" and goal.status == "active"]
    areas = graduation_requirements(plan.student.school).area_names
    return MyPlan(
        grade=plan.student.grade, school=plan.student.school,
        last_changed=plain_date(plan.updated_at, today=today),
        interest_code=interests.code, interest_types=tuple(interest_types(interests.code)),
        quiz_answered=interests.inventory.answered, quiz_total=interests.inventory.total,
        riasec=dict(interests.riasec),
        own_words=tuple(Said(statement.text, _kinds_of_work(statement.riasec)) for statement in interests.statements),
        values=tuple(value_words(value) for value in plan.values),
        strengths=tuple(Said(item.text, strength_words(item.kind)) for item in plan.strengths),
        careers=tuple(career.title for career in plan.careers),
        career_goal=career_goals[-1] if career_goals else "",
        postsecondary=postsecondary_words(plan.postsecondary),
        goals=tuple(GoalView(goal_kind_words(goal.kind), goal.text, goal.status == "done",
                             tuple(Step(step.text, plain_date(step.due_date, today=today), step.done)
                                   for step in goal.steps))
                    for goal in goals if goal.status not in EARLIER_GOAL_STATUSES),
        earlier_goals=tuple(goal.text for goal in goals if goal.status in EARLIER_GOAL_STATUSES),
        courses=tuple(CourseView(course.grade, course.course, _area_words(course.subject_area, areas))
                      for course in plan.courses),
        credits=plan.credits,
        activities=tuple(Said(activity.name, activity_words(activity.kind, activity.status, activity.grade))
                         for activity in plan.activities),
        checklist_done=tuple(benchmark.text for benchmark in plan.benchmarks.done),
        checklist_pending=tuple(benchmark.text for benchmark in plan.benchmarks.pending),
    )


def _area_words(area: str | None, names: dict[str, str]) -> str:
    """The school's name of a subject area; one the school does not have, in words; none: an empty cell."""
    return names.get(area or "", (area or "").replace("_", " "))


def _kinds_of_work(letters: tuple[str, ...]) -> str:
    if not letters:
        return "I'm not sure yet what kind of work this points to"
    return "shows your " + " and ".join(RIASEC_SHORT[letter] for letter in letters if letter in RIASEC_SHORT) + " side"
