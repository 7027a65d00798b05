"""Tiny builders for test data (synthetic people only)."""
from __future__ import annotations

from bot.staff import add_user

COUNSELOR_EMAIL = "pat.rivera@school.example"
HEADER = "student_id,first_name,last_name,grade,school,counselor_email\n"


def add_counselor(uow_factory, email: str = COUNSELOR_EMAIL) -> int:
    return add_user(uow_factory(), email=email, role="counselor", password="a-long-test-password")


def roster_csv(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(row + "\n" for row in rows)).encode()


def enrol(uow_factory, student_id: str = "S100", grade: int = 8, school: str = "Test Middle School") -> str:
    from bot.roster.services import import_roster

    add_counselor(uow_factory)
    report = import_roster(uow_factory(), roster_csv(f"{student_id},Sam,Lee,{grade},{school},{COUNSELOR_EMAIL}"))
    assert not report.errors, report.errors
    return student_id


def give_sign_in_code(uow_factory, student_id: str, code: str = "CODE1234") -> str:
    """Stores a sign-in code for the student (hashed, as a counselor's card would); returns the code."""
    from sqlalchemy import select

    from bot.db.tables import Student
    from bot.security import hash_secret

    with uow_factory() as uow:
        uow.session.scalar(select(Student).where(Student.external_id == student_id)).sign_in_code_hash = hash_secret(code)
        uow.commit()
    return code
