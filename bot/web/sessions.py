"""Who is signed in, and the CSRF token every state-changing request must carry.

The session is Starlette's signed cookie (SameSite=strict, Secure in production). It holds either a
student's ID or a staff user's id, never both: signing in clears it.
"""
from __future__ import annotations

import asyncio
import hmac
import secrets

from fastapi import Request

from bot.caseload import Viewer, load_viewer
from bot.db.unit_of_work import UnitOfWork
from bot.errors import UnknownUser

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


class SignInRequired(Exception):
    def __init__(self, sign_in_url: str) -> None:
        self.sign_in_url = sign_in_url


class StaffOnly(Exception):
    """Signed in, but this role may not open the page."""


class BadCsrfToken(Exception):
    pass


def csrf_token(request: Request) -> str:
    token = request.session.get(CSRF_FIELD)
    if not token:
        token = request.session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return token


async def check_csrf(request: Request) -> None:
    """Raises BadCsrfToken unless the form field or header matches the session's token."""
    expected = request.session.get(CSRF_FIELD)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        sent = (await request.form()).get(CSRF_FIELD)
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(expected, sent):
        raise BadCsrfToken()


def sign_in(request: Request, **identity) -> None:
    request.session.clear()
    request.session.update(identity)
    csrf_token(request)


def signed_in_student(request: Request) -> str:
    student_id = request.session.get("student_id")
    if not student_id:
        raise SignInRequired("/")
    return student_id


async def signed_in_staff(request: Request) -> Viewer:
    staff_id = request.session.get("staff_id")
    if not isinstance(staff_id, int):
        raise SignInRequired("/staff/sign-in")
    try:
        return await asyncio.to_thread(load_viewer, UnitOfWork(), staff_id)
    except UnknownUser:
        request.session.clear()
        raise SignInRequired("/staff/sign-in") from None


async def counselor_or_admin(request: Request) -> Viewer:
    viewer = await signed_in_staff(request)
    if viewer.role not in ("counselor", "admin"):
        raise StaffOnly()
    return viewer


async def admin(request: Request) -> Viewer:
    viewer = await signed_in_staff(request)
    if not viewer.is_admin:
        raise StaffOnly()
    return viewer


async def advisor(request: Request) -> Viewer:
    viewer = await signed_in_staff(request)
    if viewer.role != "advisor":
        raise StaffOnly()
    return viewer
