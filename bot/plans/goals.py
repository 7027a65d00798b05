"""Goals (career, education, personal) with concrete steps and due dates; steps are marked done later."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.tables import Goal, GoalStep, Plan, utcnow
from bot.db.unit_of_work import UnitOfWork
from bot.errors import InvalidAnswer
from bot.nlp.mentions import find_mentions
from bot.plans.answers import clean_answer
from bot.plans.dates import parse_due_date
from bot.plans.services import ALREADY_SAVED, STUDENT, Author, authored, save_once
from bot.roster.services import get_student

_EDUCATION = re.compile(r"\b(grade|grades|gpa|class|classes|course|college|school|study|studying|test|sat|act|psat|"
                        r"honor roll|homework|math|english|science|reading|graduate|scholarship|fafsa|credits?)\b")
_CAREER = re.compile(r"\b(job|career|work as|become|internship|shadow|apprentice|resume|hired)\b")


def kind_of_goal(text: str) -> str:
    words = text.lower()
    kinds = {mention.kind for mention in find_mentions(text)}
    if _CAREER.search(words) or "career" in kinds:
        return "career"
    if _EDUCATION.search(words) or "school_subject" in kinds:
        return "education"
    return "personal"


@dataclass(frozen=True)
class OpenStep:
    id: int
    text: str
    goal: str
    due_date: dt.date | None


def record_goal(uow: UnitOfWork, external_id: str, text: str | None, source_event: str,
                author: Author = STUDENT) -> int:
    """Saves a new goal at once and returns its id (the same id when the event is retried)."""
    text = clean_answer(text)

    def write(session: Session, plan: Plan) -> None:
        session.add(Goal(plan_id=plan.id, kind=kind_of_goal(text), text=text, **authored(author, source_event)))

    save_once(uow, external_id, "goal", text, source_event, author, write)
    return _item_id(uow, external_id, Goal, source_event)


def record_goal_step(uow: UnitOfWork, external_id: str, goal_id: int, text: str | None, source_event: str,
                     author: Author = STUDENT) -> int:
    text = clean_answer(text)

    def write(session: Session, plan: Plan) -> None:
        goal = session.get(Goal, goal_id)
        if goal is None or goal.plan_id != plan.id:
            raise InvalidAnswer("no_goal", "the goal this step belongs to was not found")
        goal.steps.append(GoalStep(text=text, author_role=author.role, author_staff_id=author.staff_id))

    save_once(uow, external_id, f"goal_step:{goal_id}", text, source_event, author, write)
    with uow:
        goal = uow.session.get(Goal, goal_id)
        return next(step.id for step in reversed(goal.steps) if step.text == text)


def set_step_due_date(uow: UnitOfWork, external_id: str, step_id: int, text: str | None, source_event: str,
                      today: dt.date | None = None, author: Author = STUDENT) -> dt.date:
    text = clean_answer(text)
    due = parse_due_date(text, today or dt.date.today())
    if due is None:
        raise InvalidAnswer("unclear_date", "the answer is not a date between today and two years from now")

    def write(session: Session, plan: Plan) -> None:
        _step_of_plan(session, plan, step_id).due_date = due

    save_once(uow, external_id, f"goal_step_due:{step_id}", f"{text} -> {due.isoformat()}", source_event, author, write)
    return due


def open_steps_of_plan(session: Session, plan: Plan | None) -> list[OpenStep]:
    """Steps of active goals not done yet, soonest due first (undated last)."""
    if plan is None:
        return []
    rows = session.execute(
        select(GoalStep, Goal.text).join(Goal, GoalStep.goal_id == Goal.id)
        .where(Goal.plan_id == plan.id, Goal.status == "active", GoalStep.done_at.is_(None))
        .order_by(GoalStep.due_date.is_(None), GoalStep.due_date, GoalStep.id))
    return [OpenStep(step.id, step.text, goal_text, step.due_date) for step, goal_text in rows]


def complete_step(uow: UnitOfWork, external_id: str, step_id: int, source_event: str,
                  author: Author = STUDENT) -> str:
    """Marks a step done (kept, with the time); returns its text."""
    def write(session: Session, plan: Plan) -> str:
        step = _step_of_plan(session, plan, step_id)
        step.done_at = step.done_at or utcnow()
        return step.text

    result = save_once(uow, external_id, "step_done", str(step_id), source_event, author, write)
    if result is ALREADY_SAVED:
        with uow:
            return uow.session.get(GoalStep, step_id).text
    return result


def _step_of_plan(session: Session, plan: Plan, step_id: int) -> GoalStep:
    step = session.get(GoalStep, step_id)
    if step is None or session.get(Goal, step.goal_id).plan_id != plan.id:
        raise InvalidAnswer("unknown_step", "that step is not in this student's plan")
    return step


def _item_id(uow: UnitOfWork, external_id: str, table, source_event: str) -> int:
    with uow:
        student = get_student(uow.session, external_id)
        return uow.session.scalar(select(table.id).where(table.plan_id == student.plan.id,
                                                         table.source_event == source_event))
