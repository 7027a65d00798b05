"""Sign-in codes a counselor hands to students: issued here, shown once, stored only as a hash."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from bot.caseload import Viewer, audit_read, student_in_view, visible_students
from bot.db.tables import Student
from bot.db.unit_of_work import UnitOfWork
from bot.security import hash_secret, new_sign_in_code
from bot.sign_in_sessions import end_sessions


@dataclass(frozen=True)
class IssuedCode:
    student_id: str
    name: str
    grade: int
    code: str


def issue_code(uow: UnitOfWork, viewer: Viewer, external_id: str) -> IssuedCode:
    """A new code for one student in view; the old one and the sessions signed in with it stop working. Audited."""
    with uow:
        student = student_in_view(uow.session, viewer, external_id)
        issued = _issue(student)
        audit_read(uow.session, viewer, student, "sign_in_code.issued")
        uow.commit()
        return issued


def issue_missing_codes(uow: UnitOfWork, viewer: Viewer) -> list[IssuedCode]:
    """Codes for every student in view who has none yet (a new roster), by grade and name. Audited per student."""
    query = (select(Student).where(visible_students(viewer), Student.sign_in_code_hash.is_(None))
             .order_by(Student.grade, Student.last_name, Student.first_name))
    with uow:
        issued = []
        for student in uow.session.scalars(query):
            issued.append(_issue(student))
            audit_read(uow.session, viewer, student, "sign_in_code.issued")
        uow.commit()
        return issued


def _issue(student: Student) -> IssuedCode:
    code = new_sign_in_code()
    student.sign_in_code_hash = hash_secret(code)
    end_sessions(student)
    return IssuedCode(student.external_id, f"{student.first_name} {student.last_name}", student.grade, code)
