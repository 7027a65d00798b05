"""Staff accounts: counselors, advisors and admins."""
from __future__ import annotations

import re

from sqlalchemy import select

from bot.db.tables import STAFF_ROLES, School, StaffUser
from bot.db.unit_of_work import UnitOfWork
from bot.errors import InvalidInput
from bot.security import hash_secret, verify_secret

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 12


def add_user(uow: UnitOfWork, *, email: str, role: str, password: str, display_name: str = "",
             school_name: str | None = None) -> int:
    """Creates a staff user, or resets the password and role of an existing one; returns its id."""
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
        user.role = role
        user.display_name = display_name or user.display_name or email.split("@")[0]
        user.password_hash = hash_secret(password)
        if school is not None:
            user.school = school
        uow.commit()
        return user.id


def authenticate(uow: UnitOfWork, email: str, password: str) -> int | None:
    with uow:
        user = uow.session.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))
        if user is None:
            verify_secret(None, password)  # as slow as a wrong password
            return None
        return user.id if verify_secret(user.password_hash, password) else None


def staff_identity(uow: UnitOfWork, email: str) -> tuple[str, int]:
    """The role and id of the staff user with this email, for actions taken in their name."""
    with uow:
        user = uow.session.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))
        if user is None:
            raise InvalidInput(f"no staff user with email {email.strip()!r}")
        return user.role, user.id
