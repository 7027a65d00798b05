"""Roster use cases: import a CSV, look a student up, sign a student in.

A student ID is unique whatever its case (a unique index on lower(external_id)). What people type, at
sign-in and wherever staff look a student up, is matched in any case (`student_id_is`); the ID as the
roster has it stays the student's conversation ID. Lookups by a conversation's own sender ID
(`get_student`, `is_enrolled`) match it exactly.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.sql.elements import ColumnElement

from bot.db.tables import School, StaffUser, Student
from bot.db.unit_of_work import UnitOfWork
from bot.errors import UnknownStudent
from bot.roster.csv_rows import RowError, decode_roster, parse_roster
from bot.security import normalize_sign_in_code, verify_secret
from bot.sign_in_sessions import SignIn


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    schools_created: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def import_roster(uow: UnitOfWork, data: bytes) -> ImportReport:
    """Adds new students and updates known ones (matched by student_id); bad rows are reported, good rows kept."""
    rows, errors = parse_roster(decode_roster(data))
    report = ImportReport(errors=list(errors))
    with uow:
        session = uow.session
        schools = {school.name.lower(): school for school in session.scalars(select(School))}
        counselors = {
            user.email: user
            for user in session.scalars(select(StaffUser).where(StaffUser.role == "counselor"))
        }
        # Matched in any case: "s1001" in this year's file updates "S1001", whose ID (and conversation) stays.
        known = {student.external_id.lower(): student for student in session.scalars(
            select(Student).where(func.lower(Student.external_id).in_([row.student_id.lower() for row in rows]))
        )} if rows else {}
        for row in rows:
            counselor = counselors.get(row.counselor_email)
            if counselor is None:
                report.errors.append(RowError(row.line, f"no counselor with email {row.counselor_email}; "
                                                        f"add one with: ilp users add --role counselor {row.counselor_email}"))
                continue
            school = schools.get(row.school.lower())
            if school is None:
                school = School(name=row.school)
                session.add(school)
                schools[row.school.lower()] = school
                report.schools_created.append(row.school)
            student = known.get(row.student_id.lower())
            wanted = dict(first_name=row.first_name, last_name=row.last_name, grade=row.grade,
                          school=school, counselor=counselor)
            if student is None:
                session.add(Student(external_id=row.student_id, **wanted))
                report.added += 1
            elif any(getattr(student, key) != value for key, value in wanted.items()):
                for key, value in wanted.items():
                    setattr(student, key, value)
                report.updated += 1
            else:
                report.unchanged += 1
        uow.commit()
    report.errors.sort(key=lambda error: error.line)
    return report


def is_enrolled(uow: UnitOfWork, external_id: str) -> bool:
    with uow:
        return uow.session.scalar(select(func.count(Student.id)).where(Student.external_id == external_id)) > 0


def student_id_is(external_id: str) -> ColumnElement:
    """A WHERE clause on Student: the student with this ID as someone typed it, in any case."""
    return func.lower(Student.external_id) == external_id.strip().lower()


def find_student(session, external_id: str) -> Student | None:
    """The student with the ID someone typed (in any case, spaces around it ignored), else None."""
    return session.scalar(select(Student).where(student_id_is(external_id)))


def get_student(session, external_id: str) -> Student:
    student = session.scalar(select(Student).where(Student.external_id == external_id))
    if student is None:
        raise UnknownStudent(external_id)
    return student


def authenticate_student(uow: UnitOfWork, external_id: str, code: str) -> SignIn | None:
    """The student's sign-in when the sign-in code matches, else None."""
    with uow:
        student = find_student(uow.session, external_id)
        if student is None:
            verify_secret(None, code)  # as slow as a wrong code
            return None
        if verify_secret(student.sign_in_code_hash, normalize_sign_in_code(code)):
            return SignIn(student.external_id, student.session_version)
        return None
