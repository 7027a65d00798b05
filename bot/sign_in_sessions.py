"""Revocable sign-in sessions for students and staff.

Every account has a session version in the plan database. Signing in writes the version into the
signed session cookie, and every request compares the two. Raising the version (signing out, a new
sign-in code, a new password, disabling the account) ends every session signed in before, copies
of the cookie included. The web app also ends a session LIFETIME_SECONDS after sign-in, however
often it is used (the cookie itself is re-signed on every response).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from bot.db.tables import StaffUser, Student
from bot.db.unit_of_work import UnitOfWork
from bot.errors import IlpError, UnknownStudent

LIFETIME_SECONDS = 8 * 3600


class SessionEnded(IlpError):
    """Signed out elsewhere, replaced by a new code or password, or the account was disabled."""


@dataclass(frozen=True)
class SignIn:
    """An account whose sign-in succeeded: what the session records about it."""

    account_id: str | int  # a student's external ID or a staff user's id
    session_version: int


def end_sessions(account: Student | StaffUser) -> None:
    """Every session signed in to the account so far stops working (in the caller's transaction)."""
    account.session_version += 1


def check_student_session(uow: UnitOfWork, external_id: str, session_version: object) -> None:
    """Raises SessionEnded unless the session is the student's current one (UnknownStudent once deleted)."""
    with uow:
        current = uow.session.scalar(select(Student.session_version).where(Student.external_id == external_id))
        if current is None:
            raise UnknownStudent(external_id)
        if current != session_version:
            raise SessionEnded()


def sign_out_everywhere(uow: UnitOfWork, session_version: object, *, student_id: str | None = None,
                        staff_id: int | None = None) -> None:
    """Ends every session of the signed-in account; a session already ended changes nothing."""
    with uow:
        session = uow.session
        account = (session.get(StaffUser, staff_id) if staff_id is not None
                   else session.scalar(select(Student).where(Student.external_id == student_id)))
        if account is not None and account.session_version == session_version:
            end_sessions(account)
            uow.commit()
