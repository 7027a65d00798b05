"""Taking back a save ("no", "that's wrong", "undo that").

Everything a conversation message writes carries that message's event key (`source_event`). Taking the
message back marks every item it wrote as retracted: the rows stay (the plan's history, and the answer
in the student's words with its `retracted_at`), every read of the plan leaves them out, an update the
message made is undone (a step marked done is open again, a due date goes back to the one before), a
career goal it replaced is the career goal again, and the audit log records the retraction (ids only).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import audit
from bot.db.tables import (
    Activity,
    Answer,
    BenchmarkCompletion,
    CareerInterest,
    CoursePlanEntry,
    Goal,
    GoalStep,
    InterestMention,
    Plan,
    PostsecondaryChoice,
    Strength,
    WorkValue,
    utcnow,
)
from bot.db.unit_of_work import UnitOfWork
from bot.plans.benchmarks import get_benchmark
from bot.plans.content import postsecondary_options, work_values
from bot.plans.services import ALREADY_SAVED, STUDENT, Author, save_once

# Items a conversation message can write and a student can take back, in the order they are described.
RETRACTABLE = (Goal, GoalStep, CareerInterest, PostsecondaryChoice, WorkValue, Strength, Activity, CoursePlanEntry,
               BenchmarkCompletion, InterestMention, Answer)
RETRACTION = "retraction"


@dataclass(frozen=True)
class Retraction:
    """What was taken back, in words for the student; `restored` is what is back in force because of it."""

    taken_back: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    already_done: bool = False  # the same request was handled before (a retried action)


def retract_saves(uow: UnitOfWork, external_id: str, source_events: Iterable[str | None], said: str,
                  retraction_event: str, author: Author = STUDENT) -> Retraction:
    """Takes back everything the messages `source_events` wrote to the plan; once per `retraction_event`.

    `said` is what the student typed to ask for it ("undo that"), kept as the retraction's answer.
    """
    events = [event for event in dict.fromkeys(source_events) if event]
    if not events:
        return Retraction()

    def write(session: Session, plan: Plan) -> Retraction:
        return retract_in_session(session, plan, events, author)

    result = save_once(uow, external_id, RETRACTION, said or "undo", retraction_event, author, write)
    return Retraction(already_done=True) if result is ALREADY_SAVED else result


def retract_in_session(session: Session, plan: Plan, events: list[str], author: Author,
                       now: dt.datetime | None = None) -> Retraction:
    """Marks what `events` wrote as retracted, inside the caller's transaction (see the module docstring)."""
    now = now or utcnow()
    retracted: dict[type, list] = {}
    for table in RETRACTABLE:
        query = select(table).where(table.source_event.in_(events), table.retracted_at.is_(None))
        if table is GoalStep:
            query = query.join(Goal, GoalStep.goal_id == Goal.id).where(Goal.plan_id == plan.id)
        else:
            query = query.where(table.plan_id == plan.id)
        if table is Answer:
            query = query.where(Answer.topic != RETRACTION)
        rows = list(session.scalars(query.order_by(table.id)))
        for row in rows:
            row.retracted_at = now
        retracted[table] = rows
    taken_back = _describe(retracted)
    taken_back += _undo_updates(session, plan, retracted[Answer])
    restored = _restore_career_goal(session, plan, retracted[Goal])
    if any(retracted.values()):
        audit.record(session, actor_role=author.role, actor_id=author.staff_id, action="plan.retract",
                     student_id=plan.student_id,
                     detail="; ".join(f"{table.__tablename__}:{','.join(str(row.id) for row in rows)}"
                                      for table, rows in retracted.items() if rows))
    return Retraction(list(dict.fromkeys(taken_back)), restored)


def _describe(retracted: dict[type, list]) -> list[str]:
    words: list[str] = []
    goals = retracted[Goal]
    career_goals = {goal.text for goal in goals if goal.kind == "career"}
    for goal in goals:
        words.append(f"{goal.text} as your career goal" if goal.kind == "career" else f'your goal "{goal.text}"')
    retracted_goal_ids = {goal.id for goal in goals}
    words += [f'the step "{step.text}"' for step in retracted[GoalStep] if step.goal_id not in retracted_goal_ids]
    words += [f"{career.title} from your saved careers" for career in retracted[CareerInterest]
              if career.title not in career_goals]
    options = postsecondary_options()
    words += [f"{options[choice.choice].name if choice.choice in options else choice.choice} as your plan after "
              "high school" for choice in retracted[PostsecondaryChoice]]
    values = work_values()
    words += [f"{values[value.value].name if value.value in values else value.value} from what matters to you"
              for value in retracted[WorkValue]]
    words += [f'"{strength.text}" from your strengths' for strength in retracted[Strength]]
    words += [f"{activity.name} from your activities" for activity in retracted[Activity]]
    if retracted[CoursePlanEntry]:
        count = len(retracted[CoursePlanEntry])
        words.append(f"the {count} class{'es' if count != 1 else ''} added to your class plan")
    for completion in retracted[BenchmarkCompletion]:
        benchmark = get_benchmark(completion.benchmark_id)
        words.append(f'"{benchmark.text if benchmark else completion.benchmark_id}" marked done')
    words += [f'"{answer.text}" from the things you like' for answer in retracted[Answer]
              if answer.topic == "interest_statement"]
    return words


def _undo_updates(session: Session, plan: Plan, answers: list[Answer]) -> list[str]:
    """Updates a message made to items it did not create: a step marked done, a step's due date."""
    words = []
    for answer in answers:
        if answer.topic == "step_done" and answer.text.isdigit():
            step = session.get(GoalStep, int(answer.text))
            if step is not None and step.done_at is not None:
                step.done_at = None
                words.append(f'"{step.text}" marked done')
        elif answer.topic.startswith("goal_step_due:"):
            step = session.get(GoalStep, int(answer.topic.split(":", 1)[1]))
            if step is not None and step.retracted_at is None:
                step.due_date = _due_date_before(session, plan, step.id)
                words.append(f'the due date for "{step.text}"')
    return words


def _due_date_before(session: Session, plan: Plan, step_id: int) -> dt.date | None:
    """The step's due date as the newest answer not taken back set it (answers keep "<words> -> <date>")."""
    text = session.scalars(select(Answer.text).where(
        Answer.plan_id == plan.id, Answer.topic == f"goal_step_due:{step_id}", Answer.retracted_at.is_(None))
        .order_by(Answer.id.desc())).first()
    if not text or " -> " not in text:
        return None
    try:
        return dt.date.fromisoformat(text.rsplit(" -> ", 1)[1])
    except ValueError:
        return None


def _restore_career_goal(session: Session, plan: Plan, goals: list[Goal]) -> list[str]:
    """A career goal taken back gives way to the one it replaced, unless another is active."""
    if not any(goal.kind == "career" and goal.status == "active" for goal in goals):
        return []
    live = select(Goal).where(Goal.plan_id == plan.id, Goal.kind == "career", Goal.retracted_at.is_(None))
    if session.scalars(live.where(Goal.status == "active")).first() is not None:
        return []
    previous = session.scalars(live.where(Goal.status == "replaced").order_by(Goal.id.desc())).first()
    if previous is None:
        return []
    previous.status = "active"
    return [f"{previous.text} is your career goal again"]
