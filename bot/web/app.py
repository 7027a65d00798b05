"""FastAPI app: the only door people use. Rasa stays on loopback behind it.

Student pages are in student_routes, counselor and admin pages in staff_routes. This module wires
sessions, security headers and the translation of domain errors into pages or JSON.
"""
from __future__ import annotations

import datetime as dt
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from bot.caseload import NotInCaseload
from bot.config import Settings, get_settings, require_secrets
from bot.db.tables import utcnow
from bot.db.unit_of_work import units_of_work
from bot.errors import InvalidInput, UnknownStudent
from bot.rasa_client import RasaClient
from bot.sign_in_sessions import LIFETIME_SECONDS
from bot.web import advisor_routes, staff_routes, student_routes
from bot.web.request_size import LimitBodySize
from bot.web.sessions import BadCsrfToken, SignInRequired, StaffOnly
from bot.web.templating import render

WEB_DIR = Path(__file__).resolve().parent
SECURITY_HEADERS = {
    # No inline script or style anywhere: text a student typed can never run in a counselor's browser.
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
ERROR_PAGES = {
    BadCsrfToken: (403, "This page has expired. Go back, reload it and try again."),
    StaffOnly: (403, "Your account cannot open this page."),
    NotInCaseload: (403, "That student is not in your caseload."),
}
NO_STUDENT_RECORD = "We can't find your student record any more. Please ask your counselor."


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    await app.state.rasa.aclose()  # on shutdown: the Rasa client's connections


def create_app(settings: Settings | None = None, rasa: RasaClient | None = None,
               clock: Callable[[], dt.datetime] = utcnow) -> FastAPI:
    settings = settings or get_settings()
    require_secrets(settings, "secret_key", *(() if rasa else ("rasa_token",)))
    app = FastAPI(title="ILP Advisor", docs_url=None, redoc_url=None, openapi_url=None, lifespan=_lifespan)
    app.add_middleware(SessionMiddleware, secret_key=settings.secret_key, session_cookie="ilp_session",
                       same_site="strict", https_only=settings.environment == "production", max_age=LIFETIME_SECONDS)
    app.add_middleware(LimitBodySize)
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    app.state.rasa = rasa or RasaClient(settings.rasa_url, settings.rasa_token, settings.rasa_reply_timeout_s)
    app.state.uow_factory = units_of_work(settings)  # routes take it through Depends(uow_factory_of)
    app.state.trusted_proxies = settings.trusted_proxy_networks
    app.state.tracker_url = settings.tracker_database_url  # the chat page shows a returning student's recent messages
    app.state.clock = clock  # the sign-in throttle's; tests move it by hand
    app.state.public_url = f"{settings.staff_url}/"  # what people open; behind a proxy, not the server's own address
    app.include_router(student_routes.router)
    app.include_router(staff_routes.router)
    app.include_router(advisor_routes.router)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        if request.url.path.startswith(("/staff", "/advisor", "/plan", "/chat", "/api")):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.get("/healthz")
    async def healthz() -> dict:
        return {"status": "ok"}

    @app.exception_handler(SignInRequired)
    async def sign_in_required(request: Request, error: SignInRequired):
        if _wants_json(request):
            return JSONResponse({"error": "Please sign in again."}, status_code=401)
        return RedirectResponse(error.sign_in_url, status_code=303)

    for error_type, (status_code, message) in ERROR_PAGES.items():
        app.add_exception_handler(error_type, _error_page(status_code, message))

    @app.exception_handler(UnknownStudent)
    async def student_record_gone(request: Request, _error_instance: UnknownStudent):
        # A signed-in student whose record was deleted (`ilp students delete`): the session ends here.
        request.session.clear()
        return _error(request, 401, NO_STUDENT_RECORD)

    @app.exception_handler(InvalidInput)
    async def invalid_input(request: Request, error: InvalidInput):
        return _error(request, 400, str(error))

    @app.exception_handler(RequestValidationError)
    async def unreadable_request(request: Request, error: RequestValidationError):
        return _error(request, 400, "Part of that request is missing or not in the expected form.")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException):
        message = "There is no page here." if error.status_code == 404 else str(error.detail)
        return _error(request, error.status_code, message)

    return app


def _error_page(status_code: int, message: str):
    async def handler(request: Request, _error_instance: Exception):
        return _error(request, status_code, message)
    return handler


def _error(request: Request, status_code: int, message: str):
    if _wants_json(request):
        return JSONResponse({"error": message}, status_code=status_code)
    return render(request, "error.html", {"message": message, "status_code": status_code}, status_code=status_code)


def _wants_json(request: Request) -> bool:
    # The chat endpoints (a student's /api/messages, an advisor session's .../messages) are read by chat.js.
    return request.url.path.startswith("/api/") or request.url.path.endswith((".csv", ".pdf", "/messages"))
