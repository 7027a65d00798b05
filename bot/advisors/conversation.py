"""An advisor session as the bot runs it: the current step, an answer taken, Skip, Back, End, the summary.

Called by the custom actions with the Rasa sender ID of the session's conversation. State lives in
advisor_sessions (current step, steps visited), so the script survives restarts and any number of
Rasa instances. Each answer is saved at once through the plan services, with the advisor as author.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.advisors.captures import ADD_COURSES, CAPTURES, NOT_NOW, Captured, StepAnswer
from bot.advisors.scripts import COMMANDS, RECOGNISING, Script, Step, load_scripts
from bot.db.tables import AdvisorSession, AdvisorSessionStep, PlanNote, utcnow
from bot.db.unit_of_work import UnitOfWork
from bot.errors import UnknownStudent
from bot.flags import raise_concern
from bot.plans.courses import suggest_course_plan
from bot.plans.progress import open_items
from bot.plans.services import STUDENT, Author

CONVERSATION_PREFIX = "advisor-"
START_PAYLOAD = "/start_advisor_session"  # what the session page sends on load and on Continue
COMMAND_BUTTONS = [("Skip", "skip"), ("Back", "back"), ("End session", "end session")]


def is_advisor_conversation(sender_id: str) -> bool:
    return sender_id.startswith(CONVERSATION_PREFIX)


def command_of(text: str) -> str | None:
    words = " ".join(text.casefold().replace(".", " ").replace("!", " ").split())
    return next((command for command, phrases in COMMANDS.items() if words in phrases), None)


@dataclass(frozen=True)
class Progress:
    script_title: str
    student_name: str
    steps: int
    minutes: int
    step_number: int
    open: bool
    fresh: bool  # nothing answered or skipped yet


@dataclass(frozen=True)
class Prompt:
    step: Step
    number: int
    total: int
    options: list[str]
    detail: str = ""  # computed for the step, e.g. the suggested courses


@dataclass(frozen=True)
class Outcome:
    """What an answer did: saved (with `saved`), skipped, back, ended, or not taken (`problem`)."""

    kind: str  # saved | skipped | back | ended | first_step | pick_option | closed
    saved: str = ""
    repeated: bool = False


@dataclass(frozen=True)
class Summary:
    script_title: str
    student_name: str
    status: str
    changes: list[str]
    skipped: list[str]
    notes: int
    next_steps: list[str] = field(default_factory=list)


def session_progress(uow: UnitOfWork, conversation_id: str) -> Progress | None:
    with uow:
        advisor_session = _session(uow.session, conversation_id)
        if advisor_session is None:
            return None
        script = _script(advisor_session)
        student = advisor_session.student
        return Progress(script.title, f"{student.first_name} {student.last_name}", len(script.steps), script.minutes,
                        len(_path(advisor_session)), advisor_session.status == "open",
                        fresh=advisor_session.last_event is None)


def current_step_id(uow: UnitOfWork, conversation_id: str) -> str | None:
    """The step the session is at; None when it is over or unknown (the form then has nothing to ask)."""
    with uow:
        advisor_session = _session(uow.session, conversation_id)
        return advisor_session.current_step if advisor_session else None


def current_prompt(uow: UnitOfWork, conversation_id: str) -> Prompt | None:
    """The step the advisor is at, or None when the session is over (or unknown)."""
    with uow:
        advisor_session = _session(uow.session, conversation_id)
        if advisor_session is None or advisor_session.current_step is None:
            return None
        script = _script(advisor_session)
        step = script.step(advisor_session.current_step)
        number, external_id = len(_path(advisor_session)), advisor_session.student.external_id
    options = [option.label for option in step.options]
    detail = ""
    if step.saves_to == "course_plan":
        detail = _course_suggestion(uow, external_id)
        options = [ADD_COURSES, NOT_NOW]
    return Prompt(step, number, max(number, len(script.steps)), options, detail)


def take_answer(uow: UnitOfWork, conversation_id: str, text: str, source_event: str) -> Outcome:
    """Takes what the advisor typed or picked at the current step and moves the script on.

    The same message handled twice (a retried action) changes nothing the second time.
    """
    with uow:
        advisor_session = _session(uow.session, conversation_id, for_update=True)
        if advisor_session is None or advisor_session.current_step is None:
            return Outcome("closed")
        if advisor_session.last_event == source_event:
            return Outcome("saved", repeated=True)
        script = _script(advisor_session)
        step = script.step(advisor_session.current_step)
        answer = StepAnswer(advisor_session.student.external_id, text, source_event,
                            Author("advisor", advisor_session.advisor_id), advisor_session.id,
                            f"advisor:{script.id}:{step.id}", conversation_id, script.plan_sections)
        command = command_of(text)
        if command == "end":
            end_advisor_session(advisor_session, "ended_early", source_event)
            uow.commit()
            return Outcome("ended")
        if command == "back":
            path = _path(advisor_session)
            if len(path) <= 1:
                return Outcome("first_step")
            _move(advisor_session, path[:-1], source_event)
            uow.commit()
            return Outcome("back")
        if command == "skip":
            uow.session.add(AdvisorSessionStep(session_id=advisor_session.id, step_id=step.id, outcome="skipped"))
            _go_to(advisor_session, script.following(step), source_event)
            uow.commit()
            return Outcome("skipped")
    option = _picked_option(step, text)
    if step.options and option is None and step.saves_to == "answer":
        CAPTURES["answer"](uow, answer)  # kept, though it picks no branch
        return Outcome("pick_option")
    captured = CAPTURES[step.saves_to](uow, answer)  # may raise InvalidAnswer: nothing moves
    target = _next_step(script, step, option, captured)
    with uow:
        advisor_session = _session(uow.session, conversation_id, for_update=True)
        if advisor_session.current_step != step.id or advisor_session.last_event == source_event:
            return Outcome("saved", captured.saved, repeated=True)
        uow.session.add(AdvisorSessionStep(session_id=advisor_session.id, step_id=step.id, outcome="answered",
                                           saved=captured.saved[:1000]))
        _go_to(advisor_session, target, source_event)
        uow.commit()
    return Outcome("saved", captured.saved)


def finish_session(uow: UnitOfWork, conversation_id: str) -> Summary | None:
    """Closes a session that reached its end and sums it up: what changed, what was skipped, what is next."""
    with uow:
        advisor_session = _session(uow.session, conversation_id, for_update=True)
        if advisor_session is None:
            return None
        if advisor_session.status == "open" and advisor_session.current_step is None:
            end_advisor_session(advisor_session, "finished", advisor_session.last_event)
            uow.commit()
        summary = summarise(uow.session, advisor_session)
        external_id = advisor_session.student.external_id
    steps, benchmarks = open_items(uow, external_id)
    next_steps = [f"{step.text} (toward: {step.goal})" for step in steps[:2]]
    next_steps += [benchmark.text for benchmark in benchmarks[:2]]
    return replace(summary, next_steps=next_steps[:3])


def summarise(session: Session, advisor_session: AdvisorSession) -> Summary:
    """What a session changed, in the order it happened; a step answered again shows its newest answer."""
    script = _script(advisor_session)
    titles = {step.id: step.title for step in script.steps}
    latest: dict[str, AdvisorSessionStep] = {}
    for row in advisor_session.steps:
        latest.pop(row.step_id, None)
        latest[row.step_id] = row
    notes = session.scalar(select(func.count(PlanNote.id)).where(PlanNote.advisor_session_id == advisor_session.id))
    student = advisor_session.student
    return Summary(
        script.title, f"{student.first_name} {student.last_name}", advisor_session.status,
        changes=[row.saved for row in latest.values() if row.outcome == "answered" and row.saved],
        skipped=[titles.get(row.step_id, row.step_id) for row in latest.values() if row.outcome == "skipped"],
        notes=notes)


@dataclass(frozen=True)
class Speaker:
    """Whose plan a conversation writes to, and in whose name."""

    student_id: str
    author: Author


def speaker_of(uow: UnitOfWork, sender_id: str) -> Speaker:
    """A student's own conversation speaks for them; an advisor session's for its advisor, about its student."""
    if not is_advisor_conversation(sender_id):
        return Speaker(sender_id, STUDENT)
    with uow:
        advisor_session = _session(uow.session, sender_id)
        if advisor_session is None:
            raise UnknownStudent(sender_id)
        return Speaker(advisor_session.student.external_id, Author("advisor", advisor_session.advisor_id))


def flag_concern_in_conversation(uow: UnitOfWork, conversation_id: str, category: str, *, excerpt: str,
                                 event_id: str) -> int:
    """Flags a concern for the student the conversation is about: their own chat, or the student an
    advisor session is with. Raises UnknownStudent for an advisor session that does not exist."""
    student_id = speaker_of(uow, conversation_id).student_id
    return raise_concern(uow, student_id, category, excerpt=excerpt, event_id=event_id, conversation_id=conversation_id)


def is_open_conversation(uow: UnitOfWork, conversation_id: str) -> bool:
    with uow:
        advisor_session = _session(uow.session, conversation_id)
        return advisor_session is not None and advisor_session.status == "open"


def _session(session: Session, conversation_id: str, *, for_update: bool = False) -> AdvisorSession | None:
    if not is_advisor_conversation(conversation_id):
        return None
    query = select(AdvisorSession).where(AdvisorSession.conversation_id == conversation_id)
    if for_update:
        query = query.with_for_update()  # PostgreSQL: two Rasa instances cannot move the same script at once
    return session.scalar(query)


def _script(advisor_session: AdvisorSession) -> Script:
    return load_scripts()[advisor_session.script_id]


def _path(advisor_session: AdvisorSession) -> list[str]:
    return json.loads(advisor_session.path or "[]")


def _move(advisor_session: AdvisorSession, path: list[str], source_event: str | None) -> None:
    advisor_session.path = json.dumps(path)
    advisor_session.current_step = path[-1] if path else None
    advisor_session.last_event = source_event


def _go_to(advisor_session: AdvisorSession, step: Step | None, source_event: str) -> None:
    if step is None:
        advisor_session.current_step = None
        advisor_session.last_event = source_event
        return
    _move(advisor_session, _path(advisor_session) + [step.id], source_event)


def end_advisor_session(advisor_session: AdvisorSession, status: str, source_event: str | None) -> None:
    advisor_session.status = status
    advisor_session.current_step = None
    advisor_session.ended_at = utcnow()
    advisor_session.last_event = source_event


def _picked_option(step: Step, text: str):
    wanted = " ".join(text.casefold().split())
    return next((option for option in step.options if option.label.casefold() == wanted), None)


def _next_step(script: Script, step: Step, option, captured: Captured) -> Step | None:
    if option is not None and option.next:
        return script.step(option.next)
    if step.saves_to in RECOGNISING and step.if_nothing_found and not captured.found:
        return script.step(step.if_nothing_found)
    return script.following(step)


def _course_suggestion(uow: UnitOfWork, external_id: str) -> str:
    proposal = suggest_course_plan(uow, external_id)
    lines = [f"Grade {grade}: " + ", ".join(course.name for course in courses)
             for grade, courses in proposal.by_grade.items() if courses]
    if not lines:
        return "The course plan already has every grade filled in."
    career = f" for {proposal.career.title}" if proposal.career else ""
    return f"Suggested courses{career}:\n" + "\n".join(lines)
