"""Who is signed in, and the CSRF token every state-changing request must carry.

The session is Starlette's signed cookie (SameSite=strict, Secure in production). It holds either a
student's ID or a staff user's id, never both (signing in clears it), with the account's session
version and the sign-in time: every request checks both (bot.sign_in_sessions), so a copied cookie
stops working once the account signs out, and any session ends 8 hours after sign-in.
"""
from __future__ import annotations

import asyncio
import hmac
import secrets
import time
from typing import NoReturn

from fastapi import Request

from bot.caseload import Viewer, signed_in_viewer
from bot.sign_in_sessions import LIFETIME_SECONDS, SessionEnded, SignIn, check_student_session, sign_out_everywhere
from bot.web.plan_database import uow_factory_of

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
    sent: object = request.headers.get(CSRF_HEADER)  # a form field may be a file: checked below
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        sent = (await request.form()).get(CSRF_FIELD)
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(expected, sent):
        raise BadCsrfToken()


def sign_in(request: Request, identity_key: str, signed_in: SignIn) -> None:
    """Starts a session for the account: `identity_key` is "student_id" or "staff_id"."""
    request.session.clear()
    request.session.update({identity_key: signed_in.account_id, "session_version": signed_in.session_version,
                            "signed_in_at": int(time.time())})
    csrf_token(request)


async def sign_out(request: Request) -> str:
    """Ends every session of the signed-in account; returns where to go next."""
    identity = {key: request.session[key] for key in ("student_id", "staff_id") if key in request.session}
    if identity:
        await asyncio.to_thread(sign_out_everywhere, uow_factory_of(request)(), request.session.get("session_version"),
                                **identity)
    request.session.clear()
    return "/staff/sign-in" if "staff_id" in identity else "/"


async def signed_in_student(request: Request) -> str:
    student_id = request.session.get("student_id")
    if not isinstance(student_id, str):
        raise SignInRequired("/")  # someone else's session (a staff member's) is left as it is
    if not _within_lifetime(request):
        _end(request, "/")
    try:
        await asyncio.to_thread(check_student_session, uow_factory_of(request)(), student_id,
                                request.session.get("session_version"))
    except SessionEnded:
        _end(request, "/")
    return student_id


async def signed_in_staff(request: Request) -> Viewer:
    staff_id = request.session.get("staff_id")
    if not isinstance(staff_id, int):
        raise SignInRequired("/staff/sign-in")  # a student who opens a staff page stays signed in as the student
    if not _within_lifetime(request):
        _end(request, "/staff/sign-in")
    try:
        return await asyncio.to_thread(signed_in_viewer, uow_factory_of(request)(), staff_id,
                                       request.session.get("session_version"))
    except SessionEnded:
        _end(request, "/staff/sign-in")


def _within_lifetime(request: Request) -> bool:
    signed_in_at = request.session.get("signed_in_at")
    return isinstance(signed_in_at, int) and time.time() < signed_in_at + LIFETIME_SECONDS


def _end(request: Request, sign_in_url: str) -> NoReturn:
    request.session.clear()
    raise SignInRequired(sign_in_url)


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
