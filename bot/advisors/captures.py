"""Where an advisor's typed answer goes in the plan: one function per `saves_to` of a script step.

Each saves through the plan services (so it is idempotent per message and authored by the advisor)
and returns what it saved, in words for the session summary, and whether it recognised anything.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.tables import Goal, Plan, PlanNote
from bot.db.unit_of_work import UnitOfWork
from bot.flag_words import misalignment_sentence
from bot.plans.activities import record_activity
from bot.plans.answers import clean_answer
from bot.plans.courses import save_course_plan
from bot.plans.goals import record_goal, record_goal_step
from bot.plans.misalignment import plan_misalignment
from bot.plans.postsecondary import record_postsecondary
from bot.plans.self_exploration import record_strength
from bot.plans.services import (
    Author,
    authored,
    record_career_goal,
    record_careers_to_explore,
    record_interest_statement,
    save_once,
)
from bot.roster.services import get_student

ADD_COURSES, NOT_NOW = "Add these courses", "Not now"
# The plan sections a career goal the path after high school does not reach speaks of.
MISALIGNMENT_SECTIONS = {"careers", "goals", "postsecondary"}


@dataclass(frozen=True)
class Captured:
    saved: str          # "Careers to explore: Nurse, Electrician"
    found: bool = True  # false when a recognising step's answer named nothing the catalog knows


@dataclass(frozen=True)
class StepAnswer:
    """One answer at one step of an advisor session."""

    external_id: str
    text: str
    source_event: str
    author: Author
    session_id: int
    topic: str  # "advisor:<script>:<step>", for answers kept as given
    conversation_id: str | None = None  # the session's Rasa conversation (a flag it raises points there)
    plan_sections: tuple[str, ...] = ()  # what the script lets its advisor see of the plan

    @property
    def may_see_misalignment(self) -> bool:
        """Whether a career goal the path does not reach may be told: it names both."""
        return MISALIGNMENT_SECTIONS <= set(self.plan_sections)


Capture = Callable[[UnitOfWork, StepAnswer], Captured]


def capture_answer(uow: UnitOfWork, answer: StepAnswer) -> Captured:
    text = clean_answer(answer.text)
    save_once(uow, answer.external_id, answer.topic, text, answer.source_event, answer.author, lambda *_: None)
    return Captured(f"Answer: {text}")


def capture_interests(uow: UnitOfWork, answer: StepAnswer) -> Captured:
    saved = record_interest_statement(uow, answer.external_id, answer.text, answer.source_event, answer.author)
    labels = [mention.label for mention in saved.mentions]
    return Captured("Interests: " + (", ".join(labels) if labels else "saved in the student's words"), bool(labels))


def capture_strengths(uow: UnitOfWork, answer: StepAnswer) -> Captured:
    kind, _ = record_strength(uow, answer.external_id, answer.text, answer.source_event, answer.author)
    return Captured(f"{kind.capitalize()}: {clean_answer(answer.text)}")


def capture_careers(uow: UnitOfWork, answer: StepAnswer) -> Captured:
    saved = record_careers_to_explore(uow, answer.external_id, answer.text, answer.source_event, answer.author)
    return Captured("Careers to explore: " + (", ".join(saved.careers) or "none the catalog knows"), bool(saved.careers))


def capture_career_goal(uow: UnitOfWork, answer: StepAnswer) -> Captured:
    saved = record_career_goal(uow, answer.external_id, answer.text, answer.source_event, answer.author)
    if saved.careers:
        misalignment = None
        if answer.may_see_misalignment:
            with uow:
                misalignment = plan_misalignment(uow.session, get_student(uow.session, answer.external_id))
        return Captured(f"Career goal: {saved.careers[0]}" + _noting(misalignment))
    return Captured("Career goal: none the catalog knows (kept in the student's words)", False)


def capture_goal(uow: UnitOfWork, answer: StepAnswer) -> Captured:
    record_goal(uow, answer.external_id, answer.text, answer.source_event, answer.author)
    return Captured(f"Goal: {clean_answer(answer.text)}")


def capture_goal_step(uow: UnitOfWork, answer: StepAnswer) -> Captured:
    goal_id = _newest_active_goal(uow, answer.external_id)
    if goal_id is None:
        # No goal yet: the step becomes a goal of its own rather than being lost.
        return capture_goal(uow, answer)
    record_goal_step(uow, answer.external_id, goal_id, answer.text, answer.source_event, answer.author)
    return Captured(f"Next step: {clean_answer(answer.text)}")


def capture_activity(uow: UnitOfWork, answer: StepAnswer) -> Captured:
    saved = record_activity(uow, answer.external_id, answer.text, answer.source_event, author=answer.author)
    return Captured(f"Activity ({saved.kind.replace('_', ' ')}, {saved.status}): {saved.name}")


def capture_postsecondary(uow: UnitOfWork, answer: StepAnswer) -> Captured:
    saved = record_postsecondary(uow, answer.external_id, answer.text, answer.source_event, answer.author,
                                 conversation_id=answer.conversation_id)
    misalignment = misalignment_sentence(saved.out_of_reach, saved.option) \
        if saved.out_of_reach and answer.may_see_misalignment else None
    return Captured(f"After high school: {saved.option.name}" + _noting(misalignment))


def _noting(misalignment: str | None) -> str:
    """A career goal the path does not reach, told to the advisor in the bot's reply (and kept in the summary)."""
    return f" (note: {misalignment})" if misalignment else ""


def capture_course_plan(uow: UnitOfWork, answer: StepAnswer) -> Captured:
    """The step offers the suggested courses; only "Add these courses" (or a yes) adds them."""
    text = clean_answer(answer.text)
    if text.casefold() not in {ADD_COURSES.casefold(), "yes", "add them", "add"}:
        save_once(uow, answer.external_id, answer.topic, text, answer.source_event, answer.author, lambda *_: None)
        return Captured(f"Course plan: not added ({text})")
    proposal, _ = save_course_plan(uow, answer.external_id, answer.source_event, answer.author)
    count = sum(len(courses) for courses in proposal.by_grade.values())
    return Captured(f"Course plan: {count} courses added")


def capture_note(uow: UnitOfWork, answer: StepAnswer) -> Captured:
    text = clean_answer(answer.text)

    def write(session: Session, plan: Plan) -> None:
        add_note(session, plan, text, answer.author, answer.session_id, answer.source_event)

    save_once(uow, answer.external_id, answer.topic, text, answer.source_event, answer.author, write)
    return Captured(f"Note: {text}")


def add_note(session: Session, plan: Plan, text: str, author: Author, advisor_session_id: int | None,
             source_event: str | None) -> None:
    session.add(PlanNote(plan_id=plan.id, text=text, advisor_session_id=advisor_session_id,
                         **authored(author, source_event)))


CAPTURES: dict[str, Capture] = {
    "answer": capture_answer,
    "interests": capture_interests,
    "strengths": capture_strengths,
    "careers": capture_careers,
    "career_goal": capture_career_goal,
    "goal": capture_goal,
    "goal_step": capture_goal_step,
    "activity": capture_activity,
    "postsecondary": capture_postsecondary,
    "course_plan": capture_course_plan,
    "note": capture_note,
}


def _newest_active_goal(uow: UnitOfWork, external_id: str) -> int | None:
    with uow:
        student = get_student(uow.session, external_id)
        if student.plan is None:
            return None
        return uow.session.scalar(select(Goal.id).where(Goal.plan_id == student.plan.id, Goal.status == "active",
                                                        Goal.retracted_at.is_(None))
                                  .order_by(Goal.id.desc()).limit(1))

