"""Goals (career, education, personal) with concrete steps and due dates; steps are marked done later."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.tables import Goal, GoalKind, GoalStep, Plan, utcnow
from bot.db.unit_of_work import UnitOfWork
from bot.errors import InvalidAnswer
from bot.nlp.mentions import find_mentions
from bot.plans.answers import clean_answer
from bot.plans.dates import parse_due_date
from bot.plans.retraction import RETRACTION, Retraction, retract_in_session
from bot.plans.services import ALREADY_SAVED, STUDENT, Author, authored, save_once
from bot.roster.services import get_student

_EDUCATION = re.compile(r"\b(grade|grades|gpa|class|classes|course|college|school|study|studying|test|sat|act|psat|"
                        r"honor roll|homework|math|english|science|reading|graduate|scholarship|fafsa|credits?)\b")
_CAREER = re.compile(r"\b(job|career|work as|become|internship|shadow|apprentice|resume|hired)\b")


def kind_of_goal(text: str) -> GoalKind:
    """work, education or personal. Never "career": that kind is the career goal itself (set_career_goal), which a
    new career aim replaces; a goal such as "get a job this summer" is about work, and stays when the aim changes."""
    words = text.lower()
    kinds = {mention.kind for mention in find_mentions(text)}
    if _CAREER.search(words) or "career" in kinds:
        return "work"
    if _EDUCATION.search(words) or "school_subject" in kinds:
        return "education"
    return "personal"


@dataclass(frozen=True)
class OpenStep:
    id: int
    text: str
    goal: str
    due_date: dt.date | None


@dataclass(frozen=True)
class SavedGoal:
    id: int
    already_a_goal: bool = False  # the same words were an active goal already: no second goal was added
    replaced: str | None = None   # the goal this one replaced ("wait no my goal is ..."), taken back


def record_goal(uow: UnitOfWork, external_id: str, text: str | None, source_event: str,
                author: Author = STUDENT) -> int:
    """Saves a new goal at once and returns its id (the same id when the event is retried)."""
    return save_goal(uow, external_id, text, source_event, author).id


def save_goal(uow: UnitOfWork, external_id: str, text: str | None, source_event: str, author: Author = STUDENT,
              replacing: int | None = None) -> SavedGoal:
    """Saves the goal the student gave, once: words that are already an active goal add no second one.

    `replacing` is the goal given just before in the same goal questions ("wait no my goal is to make
    varsity"): it is taken back (kept as history) and its steps move to the new goal.
    """
    text = clean_answer(text)

    def write(session: Session, plan: Plan) -> SavedGoal:
        old = _goal_of_plan(session, plan, replacing) if replacing else None
        same = _same_active_goal(session, plan, text)
        if same is not None and (old is None or same.id != old.id):
            return SavedGoal(same.id, already_a_goal=True)
        goal = Goal(plan_id=plan.id, kind=kind_of_goal(text), text=text, **authored(author, source_event))
        session.add(goal)
        session.flush()
        if old is None:
            return SavedGoal(goal.id)
        for step in old.steps:
            step.goal_id = goal.id
        _take_back(session, plan, old, author)
        return SavedGoal(goal.id, replaced=old.text)

    result = save_once(uow, external_id, "goal", text, source_event, author, write)
    if result is not ALREADY_SAVED:
        return result
    with uow:
        plan = get_student(uow.session, external_id).plan
        goal_id = uow.session.scalar(select(Goal.id).where(Goal.plan_id == plan.id, Goal.source_event == source_event))
        return SavedGoal(goal_id) if goal_id else SavedGoal(_same_active_goal(uow.session, plan, text).id, True)


def record_goal_step(uow: UnitOfWork, external_id: str, goal_id: int, text: str | None, source_event: str,
                     author: Author = STUDENT, replacing: int | None = None) -> int:
    """Saves a step of the goal and returns its id; `replacing` is the step given just before, which this one
    replaces ("wait no my step is watch a scratch tutorial"): it is taken back and kept as history."""
    text = clean_answer(text)

    def write(session: Session, plan: Plan) -> None:
        goal = session.get(Goal, goal_id)
        if goal is None or goal.plan_id != plan.id or goal.retracted_at is not None:
            raise InvalidAnswer("no_goal", "the goal this step belongs to was not found")
        if replacing is not None:
            _take_back(session, plan, _step_of_plan(session, plan, replacing), author)
        goal.steps.append(GoalStep(text=text, author_role=author.role, author_staff_id=author.staff_id,
                                   source_event=source_event))

    save_once(uow, external_id, f"goal_step:{goal_id}", text, source_event, author, write)
    with uow:
        goal = uow.session.get(Goal, goal_id)
        return next(step.id for step in reversed(goal.steps) if step.text == text and step.retracted_at is None)


def take_back_goal(uow: UnitOfWork, external_id: str, goal_id: int, said: str, source_event: str,
                   author: Author = STUDENT) -> Retraction:
    """Takes back a goal just given (and any step of it) when the student says it was wrong."""
    return _take_back_once(uow, external_id, said, source_event, author,
                           lambda session, plan: _goal_of_plan(session, plan, goal_id))


def take_back_step(uow: UnitOfWork, external_id: str, step_id: int, said: str, source_event: str,
                   author: Author = STUDENT) -> Retraction:
    """Takes back a goal step just given when the student says it was wrong."""
    return _take_back_once(uow, external_id, said, source_event, author,
                           lambda session, plan: _step_of_plan(session, plan, step_id))


def _take_back_once(uow: UnitOfWork, external_id: str, said: str, source_event: str, author: Author,
                    find: Callable[[Session, Plan], Goal | GoalStep]) -> Retraction:
    def write(session: Session, plan: Plan) -> Retraction:
        return _take_back(session, plan, find(session, plan), author)

    result = save_once(uow, external_id, RETRACTION, said or "undo", source_event, author, write)
    return Retraction(already_done=True) if result is ALREADY_SAVED else result


def _take_back(session: Session, plan: Plan, item: Goal | GoalStep, author: Author) -> Retraction:
    """Retracts what the message that wrote `item` wrote; an item from before events were kept on steps alone."""
    retraction = retract_in_session(session, plan, [item.source_event] if item.source_event else [], author)
    if item.retracted_at is None:
        item.retracted_at = utcnow()
        described = f'the step "{item.text}"' if isinstance(item, GoalStep) else f'your goal "{item.text}"'
        retraction = Retraction(retraction.taken_back + [described], retraction.restored)
    return retraction


def _goal_of_plan(session: Session, plan: Plan, goal_id: int) -> Goal:
    goal = session.get(Goal, goal_id)
    if goal is None or goal.plan_id != plan.id or goal.retracted_at is not None:
        raise InvalidAnswer("no_goal", "that goal is not in this student's plan")
    return goal


def _same_active_goal(session: Session, plan: Plan, text: str) -> Goal | None:
    wanted = _comparable(text)
    return next((goal for goal in session.scalars(select(Goal).where(
        Goal.plan_id == plan.id, Goal.status == "active", Goal.retracted_at.is_(None)).order_by(Goal.id))
        if _comparable(goal.text) == wanted), None)


def _comparable(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


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
        .where(Goal.plan_id == plan.id, Goal.status == "active", GoalStep.done_at.is_(None),
               Goal.retracted_at.is_(None), GoalStep.retracted_at.is_(None))
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
    if step is None or step.retracted_at is not None or session.get(Goal, step.goal_id).plan_id != plan.id:
        raise InvalidAnswer("unknown_step", "that step is not in this student's plan")
    return step
