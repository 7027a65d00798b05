"""Staff accounts: counselors, advisors and admins."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from bot import audit
from bot.caseload import Viewer
from bot.db.tables import STAFF_ROLES, School, StaffRole, StaffUser, utcnow
from bot.db.unit_of_work import UnitOfWork
from bot.errors import InvalidInput
from bot.security import hash_secret, verify_secret
from bot.sign_in_sessions import SignIn, end_sessions

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 12


def add_user(uow: UnitOfWork, *, email: str, role: str, password: str, display_name: str = "",
             school_name: str | None = None) -> int:
    """Creates a staff user, or resets the password and role of an existing one (ending their sessions); returns its id.

    Resetting does not enable a disabled account (`set_disabled` does).
    """
    email = email.strip().lower()
    if not EMAIL_PATTERN.match(email):
        raise InvalidInput(f"{email!r} is not an email address")
    if role not in STAFF_ROLES:
        raise InvalidInput(f"role must be one of {', '.join(STAFF_ROLES)} (got {role!r})")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    with uow:
        session = uow.session
        school = None
        if school_name:
            school = session.scalar(select(School).where(School.name == school_name))
            if school is None:
                school = School(name=school_name)
                session.add(school)
        user = session.scalar(select(StaffUser).where(StaffUser.email == email))
        if user is None:
            user = StaffUser(email=email)
            session.add(user)
        else:
            end_sessions(user)
        user.role = role
        user.display_name = display_name or user.display_name or email.split("@")[0]
        user.password_hash = hash_secret(password)
        if school is not None:
            user.school = school
        uow.commit()
        return user.id


def authenticate(uow: UnitOfWork, email: str, password: str) -> SignIn | None:
    """The sign-in of the enabled staff user with this email and password, else None (whichever was wrong)."""
    with uow:
        user = uow.session.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))
        if user is None:
            verify_secret(None, password)  # as slow as a wrong password
            return None
        if verify_secret(user.password_hash, password) and user.disabled_at is None:
            return SignIn(user.id, user.session_version)
        return None


def set_disabled(uow: UnitOfWork, staff_id: int, disabled: bool, *, by: Viewer | None) -> bool:
    """Disables a staff account (its sessions end, it cannot sign in) or enables it again. Audited.

    `by` is the admin doing it, who may change staff of their own school but not themselves (None:
    the command line). Returns False when the account already was as asked.
    """
    with uow:
        session = uow.session
        user = session.get(StaffUser, staff_id)
        if user is None or (by is not None and user.school_id != by.school_id):
            raise InvalidInput(f"no staff user #{staff_id} at your school")
        if by is not None and user.id == by.staff_id:
            raise InvalidInput("You cannot disable or enable your own account.")
        if (user.disabled_at is not None) == disabled:
            return False
        if disabled:
            user.disabled_at = utcnow()
            end_sessions(user)
        else:
            user.disabled_at = None
        audit.record(session, actor_role=by.role if by else "system", actor_id=by.staff_id if by else None,
                     action="staff.disable" if disabled else "staff.enable", detail=f"staff user #{staff_id}")
        uow.commit()
        return True


@dataclass(frozen=True)
class StaffRow:
    staff_id: int
    name: str
    email: str
    role: str
    disabled: bool


def staff_of_school(uow: UnitOfWork, school_id: int | None) -> list[StaffRow]:
    """The school's staff accounts by role then name (the admin's staff page)."""
    query = select(StaffUser).where(StaffUser.school_id == school_id).order_by(StaffUser.role, StaffUser.display_name)
    with uow:
        return [StaffRow(user.id, user.display_name, user.email, user.role, user.disabled_at is not None)
                for user in uow.session.scalars(query)]


def staff_identity(uow: UnitOfWork, email: str) -> tuple[StaffRole, int]:
    """The role and id of the staff user with this email, for actions taken in their name."""
    with uow:
        user = uow.session.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))
        if user is None:
            raise InvalidInput(f"no staff user with email {email.strip()!r}")
        return user.role, user.id
