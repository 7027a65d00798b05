"""What an advisor may see and do: their assigned students, sessions with them, and notes.

An advisor sees only students assigned to them, and of a student's plan only the sections their
script touches: never the student's own conversations, flags, other students, or an export. Every
read of plan sections is audited in the same transaction.
"""
from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass

from sqlalchemy import false, func, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from bot import audit
from bot.advisors.captures import MISALIGNMENT_SECTIONS, add_note
from bot.advisors.conversation import CONVERSATION_PREFIX, Summary, end_advisor_session, summarise
from bot.advisors.scripts import Script, load_scripts
from bot.caseload import NotInCaseload, Viewer, audit_read, student_in_view
from bot.db.tables import AdvisorAssignment, AdvisorSession, PlanNote, StaffUser, Student, utcnow
from bot.db.unit_of_work import UnitOfWork
from bot.errors import InvalidAnswer, InvalidInput
from bot.plans.answers import clean_answer
from bot.plans.misalignment import plan_misalignment
from bot.plans.services import Author, get_or_create_plan
from bot.plans.view import plan_json, plan_view
from bot.roster.services import find_student, student_id_is

MAX_NOTE_CHARS = 2000
CONSENT_NEEDED = "Tick the box to record that the student agreed to this session, then start it."


def assigned_students(viewer: Viewer) -> ColumnElement:
    """A WHERE clause on Student: the students assigned to this advisor (nobody for other roles)."""
    if viewer.role != "advisor":
        return false()
    return Student.id.in_(select(AdvisorAssignment.student_id).where(AdvisorAssignment.advisor_id == viewer.staff_id))


def assigned_student(session: Session, viewer: Viewer, external_id: str) -> Student:
    student = session.scalar(select(Student).where(student_id_is(external_id), assigned_students(viewer)))
    if student is None:
        raise NotInCaseload()
    return student


# --- assignments -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class AdvisorChoice:
    staff_id: int
    name: str
    email: str


def advisors_of_school(uow: UnitOfWork, school_id: int | None) -> list[AdvisorChoice]:
    with uow:
        rows = uow.session.scalars(select(StaffUser).where(StaffUser.role == "advisor", StaffUser.school_id == school_id)
                                   .order_by(StaffUser.display_name))
        return [AdvisorChoice(user.id, user.display_name, user.email) for user in rows]


def assign_advisor(uow: UnitOfWork, advisor_id: int, external_id: str, *, by: Viewer | None) -> bool:
    """Lets an advisor meet a student; `by` is the counselor or admin doing it (None: the command line).

    Returns False when the advisor was already assigned. The advisor must be of the student's school.
    """
    with uow:
        session = uow.session
        student = _student_to_assign(session, external_id, by)
        advisor = session.get(StaffUser, advisor_id)
        if advisor is None or advisor.role != "advisor" or advisor.school_id != student.school_id:
            raise InvalidInput("that is not a community advisor of this student's school")
        if session.scalar(_assignment(advisor_id, student)):
            return False
        session.add(AdvisorAssignment(advisor_id=advisor_id, student_id=student.id,
                                      assigned_by_staff_id=by.staff_id if by else None))
        _audit_assignment(session, by, "advisor.assign", student, advisor_id)
        uow.commit()
        return True


def unassign_advisor(uow: UnitOfWork, advisor_id: int, external_id: str, *, by: Viewer | None) -> bool:
    """Ends an advisor's access to a student, and their open sessions with the student; `by` as for assigning.

    Returns False when the advisor was not assigned.
    """
    with uow:
        session = uow.session
        student = _student_to_assign(session, external_id, by)
        assignment = session.scalar(_assignment(advisor_id, student))
        if assignment is None:
            return False
        session.delete(assignment)
        for advisor_session in session.scalars(select(AdvisorSession).where(
                AdvisorSession.advisor_id == advisor_id, AdvisorSession.student_id == student.id,
                AdvisorSession.status == "open")):
            end_advisor_session(advisor_session, "ended_early", advisor_session.last_event)
        _audit_assignment(session, by, "advisor.unassign", student, advisor_id)
        uow.commit()
        return True


def _student_to_assign(session: Session, external_id: str, by: Viewer | None) -> Student:
    """The student, if in view of the counselor or admin `by` (anyone's from the command line)."""
    student = student_in_view(session, by, external_id) if by else find_student(session, external_id)
    if student is None:
        raise InvalidInput(f"no student with ID {external_id!r}")
    return student


def _assignment(advisor_id: int, student: Student):
    return select(AdvisorAssignment).where(AdvisorAssignment.advisor_id == advisor_id,
                                           AdvisorAssignment.student_id == student.id)


def _audit_assignment(session: Session, by: Viewer | None, action: str, student: Student, advisor_id: int) -> None:
    audit.record(session, actor_role=by.role if by else "system", actor_id=by.staff_id if by else None,
                 action=action, student_id=student.id, detail=f"advisor #{advisor_id}")


def advisor_id_by_email(uow: UnitOfWork, email: str) -> int:
    with uow:
        user = uow.session.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))
        if user is None or user.role != "advisor":
            raise InvalidInput(f"no community advisor with email {email!r} (add one with `ilp users add --role advisor`)")
        return user.id


# --- the advisor's pages ---------------------------------------------------------------------------

@dataclass(frozen=True)
class AssignedStudent:
    student_id: str
    name: str
    grade: int
    sessions: int


def advisor_caseload(uow: UnitOfWork, viewer: Viewer) -> list[AssignedStudent]:
    sessions = (select(AdvisorSession.student_id, func.count().label("sessions"))
                .where(AdvisorSession.advisor_id == viewer.staff_id).group_by(AdvisorSession.student_id).subquery())
    query = (select(Student, func.coalesce(sessions.c.sessions, 0)).outerjoin(sessions, sessions.c.student_id == Student.id)
             .where(assigned_students(viewer)).order_by(Student.grade, Student.last_name, Student.first_name))
    with uow:
        return [AssignedStudent(s.external_id, f"{s.first_name} {s.last_name}", s.grade, count)
                for s, count in uow.session.execute(query)]


@dataclass(frozen=True)
class SessionRow:
    id: int
    script_title: str
    status: str
    started_at: dt.datetime
    advisor: str


@dataclass(frozen=True)
class AdvisorStudent:
    student_id: str
    name: str
    grade: int
    scripts: list[Script]  # those for the student's grade first
    sessions: list[SessionRow]


def advisor_student(uow: UnitOfWork, viewer: Viewer, external_id: str) -> AdvisorStudent:
    """The page to start a session: no plan content, so not a read of the record."""
    with uow:
        student = assigned_student(uow.session, viewer, external_id)
        mine = _sessions(uow.session, student, AdvisorSession.advisor_id == viewer.staff_id)
        rows = [_session_row(row) for row in mine]
        scripts = sorted(load_scripts().values(), key=lambda s: (student.grade not in s.grades, s.title))
        return AdvisorStudent(student.external_id, f"{student.first_name} {student.last_name}", student.grade,
                              scripts, rows)


def start_session(uow: UnitOfWork, viewer: Viewer, external_id: str, script_id: str, *, consent: bool) -> int:
    """Opens a session after the student agreed to it; returns its id."""
    script = load_scripts().get(script_id)
    if script is None:
        raise InvalidInput("Choose one of the scripts listed.")
    if not consent:
        raise InvalidInput(CONSENT_NEEDED)
    with uow:
        session = uow.session
        student = assigned_student(session, viewer, external_id)
        now = utcnow()
        advisor_session = AdvisorSession(
            conversation_id=CONVERSATION_PREFIX + secrets.token_hex(16), student_id=student.id,
            advisor_id=viewer.staff_id, script_id=script.id, consent_at=now, started_at=now, status="open",
            current_step=script.first_step.id, path=json.dumps([script.first_step.id]))
        session.add(advisor_session)
        session.flush()
        audit.record(session, actor_role=viewer.role, actor_id=viewer.staff_id, action="advisor_session.start",
                     student_id=student.id, detail=f"session #{advisor_session.id}, script {script.id}, consent recorded")
        uow.commit()
        return advisor_session.id


@dataclass(frozen=True)
class SessionPage:
    id: int
    conversation_id: str
    student_id: str
    student_name: str
    grade: int
    script: Script
    status: str
    sections: dict  # only the plan sections the script touches
    notes: list[str]  # this session's own notes
    summary: Summary
    misalignment: str | None = None  # the career goal the path after high school does not reach, in words


def session_page(uow: UnitOfWork, viewer: Viewer, session_id: int) -> SessionPage:
    """The session with the plan sections its script touches; the read is audited."""
    with uow:
        session = uow.session
        advisor_session = session_in_view(session, viewer, session_id)
        student = advisor_session.student
        script = load_scripts()[advisor_session.script_id]
        plan = plan_view(session, student).for_family()
        # Notes: only this session's own, whatever the script touches (others' notes are for staff).
        shown = plan_json(plan)
        sections = {name: shown[name] for name in script.plan_sections if name in shown}
        audit_read(session, viewer, student, "plan.read",
                   detail=f"advisor session #{advisor_session.id}: {', '.join(sections) or 'no sections'}")
        notes = list(session.scalars(select(PlanNote.text).where(PlanNote.advisor_session_id == advisor_session.id)
                                     .order_by(PlanNote.id)))
        # Said only to an advisor whose script shows the career goal and the path: nothing they may not see.
        misalignment = plan_misalignment(session, student, plan) if MISALIGNMENT_SECTIONS <= set(sections) else None
        page = SessionPage(advisor_session.id, advisor_session.conversation_id, student.external_id,
                           f"{student.first_name} {student.last_name}", student.grade, script,
                           advisor_session.status, sections, notes, summarise(session, advisor_session), misalignment)
        uow.commit()
        return page


def session_in_view(session: Session, viewer: Viewer, session_id: int) -> AdvisorSession:
    """The advisor's own session with a student still assigned to them; anything else looks unknown."""
    advisor_session = session.scalar(select(AdvisorSession).where(
        AdvisorSession.id == session_id, AdvisorSession.advisor_id == viewer.staff_id,
        AdvisorSession.student_id.in_(select(Student.id).where(assigned_students(viewer)))))
    if advisor_session is None:
        raise NotInCaseload()
    return advisor_session


def open_session_conversation(uow: UnitOfWork, viewer: Viewer, session_id: int) -> str:
    """The Rasa conversation of the advisor's open session (InvalidInput when it has ended)."""
    with uow:
        advisor_session = session_in_view(uow.session, viewer, session_id)
        if advisor_session.status != "open":
            raise InvalidInput("This session has ended. Start a new one from the student's page.")
        return advisor_session.conversation_id


def add_session_note(uow: UnitOfWork, viewer: Viewer, session_id: int, text: str) -> None:
    """A note the advisor writes beside the script; it joins the student's plan with the advisor as author."""
    if len(text or "") > MAX_NOTE_CHARS:
        raise InvalidInput(f"A note has at most {MAX_NOTE_CHARS} characters.")
    try:
        text = clean_answer(text)
    except InvalidAnswer:
        raise InvalidInput("Type a note with some words in it.") from None
    with uow:
        session = uow.session
        advisor_session = session_in_view(session, viewer, session_id)
        plan = get_or_create_plan(session, advisor_session.student)
        add_note(session, plan, text, Author("advisor", viewer.staff_id), advisor_session.id, None)
        plan.updated_at = utcnow()
        uow.commit()


# --- what counselors see ---------------------------------------------------------------------------

@dataclass(frozen=True)
class StudentAdvisors:
    """The advisor part of a counselor's student page."""

    assigned: list[AdvisorChoice]
    choices: list[AdvisorChoice]  # advisors of the school not assigned yet
    sessions: list[tuple[SessionRow, Summary]]  # newest first


def advisors_of_student(uow: UnitOfWork, viewer: Viewer, external_id: str) -> StudentAdvisors:
    """Who may meet the student and every advisor session with them (part of the audited plan read)."""
    with uow:
        session = uow.session
        student = student_in_view(session, viewer, external_id)
        assigned = list(session.scalars(select(StaffUser).join(AdvisorAssignment, AdvisorAssignment.advisor_id == StaffUser.id)
                                        .where(AdvisorAssignment.student_id == student.id).order_by(StaffUser.display_name)))
        sessions = [(_session_row(row), summarise(session, row)) for row in _sessions(session, student, true())]
        school_id = student.school_id
        assigned_choices = [AdvisorChoice(user.id, user.display_name, user.email) for user in assigned]
    assigned_ids = {choice.staff_id for choice in assigned_choices}
    choices = [choice for choice in advisors_of_school(uow, school_id) if choice.staff_id not in assigned_ids]
    return StudentAdvisors(assigned_choices, choices, sessions)


def _sessions(session: Session, student: Student, condition) -> list[AdvisorSession]:
    """The student's advisor sessions that meet `condition`, newest first."""
    return list(session.scalars(select(AdvisorSession).where(AdvisorSession.student_id == student.id, condition)
                                .order_by(AdvisorSession.started_at.desc(), AdvisorSession.id.desc())))


def _session_row(row: AdvisorSession) -> SessionRow:
    scripts = load_scripts()
    return SessionRow(row.id, scripts[row.script_id].title if row.script_id in scripts else row.script_id,
                      row.status, row.started_at, row.advisor.display_name)
