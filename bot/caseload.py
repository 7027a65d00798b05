"""Which students a staff user may see: a counselor their own caseload, an admin their school.

Advisors see no student through these pages (their access comes with assigned advisor sessions).
Every staff read of one student's record goes through `student_in_view`, which checks access, and
`audit_read`, which writes the read to the audit log in the same transaction. The access policy only:
the reads themselves are use cases of their own (`bot.plans.staff_reads`, `bot.flag_queue`, ...).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import false, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from bot import audit
from bot.db.tables import Flag, Plan, StaffRole, StaffUser, Student
from bot.db.unit_of_work import UnitOfWork
from bot.errors import IlpError, UnknownUser
from bot.roster.services import student_id_is
from bot.sign_in_sessions import SessionEnded


class NotInCaseload(IlpError):
    """The student exists but this staff user may not see them (or the ID is unknown: the same answer)."""

    def __init__(self) -> None:
        super().__init__("That student is not in your caseload.")


@dataclass(frozen=True)
class Viewer:
    """The signed-in staff user, as read once per request."""

    staff_id: int
    role: StaffRole
    school_id: int | None
    display_name: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @classmethod
    def of(cls, user: StaffUser) -> Viewer:
        return cls(staff_id=user.id, role=user.role, school_id=user.school_id, display_name=user.display_name)


def load_viewer(uow: UnitOfWork, staff_id: int) -> Viewer:
    with uow:
        user = uow.session.get(StaffUser, staff_id)
        if user is None:
            raise UnknownUser(f"no staff user #{staff_id}")
        return Viewer.of(user)


def signed_in_viewer(uow: UnitOfWork, staff_id: int, session_version: object) -> Viewer:
    """The staff user of a web session still current: not signed out, given a new password or disabled since."""
    with uow:
        user = uow.session.get(StaffUser, staff_id)
        if user is None or user.disabled_at is not None or user.session_version != session_version:
            raise SessionEnded()
        return Viewer.of(user)


def visible_students(viewer: Viewer) -> ColumnElement:
    """A WHERE clause on Student selecting exactly the students this viewer may see."""
    if viewer.role == "counselor":
        return Student.counselor_id == viewer.staff_id
    if viewer.role == "admin" and viewer.school_id is not None:
        return Student.school_id == viewer.school_id
    return false()


def student_in_view(session: Session, viewer: Viewer, external_id: str) -> Student:
    """The student, if this viewer may see them (the ID in any case); an unknown ID and someone else's student
    look alike."""
    student = session.scalar(select(Student).where(student_id_is(external_id), visible_students(viewer)))
    if student is None:
        raise NotInCaseload()
    return student


def audit_read(session: Session, viewer: Viewer, student: Student, action: str, detail: str = "") -> None:
    audit.record(session, actor_role=viewer.role, actor_id=viewer.staff_id, action=action,
                 student_id=student.id, detail=detail)



@dataclass(frozen=True)
class CaseloadRow:
    student_id: str
    name: str
    grade: int
    open_flags: int
    plan_updated_at: dt.datetime | None


def caseload(uow: UnitOfWork, viewer: Viewer, grade: int | None = None) -> list[CaseloadRow]:
    """The students in view, by grade then name, with their open flags and when their plan last changed."""
    open_flags = (select(Flag.student_id, func.count().label("open_flags")).where(Flag.status != "resolved")
                  .group_by(Flag.student_id).subquery())
    query = (select(Student, func.coalesce(open_flags.c.open_flags, 0), Plan.updated_at)
             .outerjoin(open_flags, open_flags.c.student_id == Student.id)
             .outerjoin(Plan, Plan.student_id == Student.id)
             .where(visible_students(viewer))
             .order_by(Student.grade, Student.last_name, Student.first_name))
    if grade is not None:
        query = query.where(Student.grade == grade)
    with uow:
        return [CaseloadRow(student.external_id, f"{student.first_name} {student.last_name}", student.grade,
                            flags, updated_at) for student, flags, updated_at in uow.session.execute(query)]

