"""FastAPI app: student sign-in, the chat page and its message API.

The server sets the Rasa sender ID from the signed-in session, so a student can only ever read
or write their own conversation. An empty or failed reply from Rasa is an error the student sees,
and the page keeps their text to send again.
"""
from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

from bot.config import Settings, get_settings
from bot.db.unit_of_work import UnitOfWork
from bot.rasa_client import EmptyReply, RasaClient, RasaUnavailable
from bot.roster.services import authenticate_student
from bot.safety.backstop import screen_unsent_message

logger = logging.getLogger(__name__)
WEB_DIR = Path(__file__).resolve().parent
MAX_MESSAGE_CHARS = 5000
BOT_UNREACHABLE = "I can't reach the chat right now. Your message is still in the box; try sending it again in a minute."
CRISIS_HANDLED_HERE = "The chat is having trouble right now, but your counselor has been told about your message."
TOO_LONG = f"That message is very long. Please keep it under {MAX_MESSAGE_CHARS} characters."


def create_app(settings: Settings | None = None, rasa: RasaClient | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(title="ILP Advisor", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(SessionMiddleware, secret_key=settings.secret_key, session_cookie="ilp_session",
                       same_site="strict", https_only=settings.environment == "production", max_age=8 * 3600)
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
    app.state.rasa = rasa or RasaClient(settings.rasa_url, settings.rasa_token, settings.rasa_reply_timeout_s)

    @app.on_event("shutdown")
    async def close_clients() -> None:
        await app.state.rasa.aclose()

    @app.get("/healthz")
    async def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/", response_class=HTMLResponse)
    async def sign_in_page(request: Request):
        if request.session.get("student_id"):
            return RedirectResponse("/chat", status_code=303)
        return templates.TemplateResponse(request, "sign_in.html", {"error": None})

    @app.post("/sign-in", response_class=HTMLResponse)
    async def sign_in(request: Request, student_id: str = Form(""), code: str = Form("")):
        external_id = None
        if student_id.strip() and code.strip() and len(student_id) <= 64 and len(code) <= 64:
            external_id = await asyncio.to_thread(authenticate_student, UnitOfWork(), student_id, code)
        if external_id is None:
            return templates.TemplateResponse(
                request, "sign_in.html", {"error": "That student ID and code don't match. Check the card from your counselor."},
                status_code=401)
        request.session.clear()
        request.session["student_id"] = external_id
        return RedirectResponse("/chat", status_code=303)

    @app.post("/sign-out")
    async def sign_out(request: Request):
        request.session.clear()
        return RedirectResponse("/", status_code=303)

    @app.get("/chat", response_class=HTMLResponse)
    async def chat_page(request: Request):
        if not request.session.get("student_id"):
            return RedirectResponse("/", status_code=303)
        return templates.TemplateResponse(request, "chat.html", {"student_id": request.session["student_id"]})

    @app.post("/api/messages")
    async def send_message(request: Request):
        sender_id = request.session.get("student_id")
        if not sender_id:
            return JSONResponse({"error": "Please sign in again."}, status_code=401)
        try:
            body = await request.json()
        except ValueError:
            return JSONResponse({"error": "The message could not be read. Please try again."}, status_code=400)
        text = body.get("text") if isinstance(body, dict) else None
        if not isinstance(text, str) or not text.strip():
            return JSONResponse({"error": "Type a message first."}, status_code=422)
        if len(text) > MAX_MESSAGE_CHARS:
            return await _unsent(sender_id, text, TOO_LONG, status_code=413, retry=False)
        try:
            messages = await app.state.rasa.send_message(sender_id, text)
        except (RasaUnavailable, EmptyReply):
            return await _unsent(sender_id, text, BOT_UNREACHABLE, status_code=502, retry=True)
        return {"messages": [{"text": m.text, "buttons": m.buttons} for m in messages]}

    async def _unsent(sender_id: str, text: str, error: str, *, status_code: int, retry: bool) -> JSONResponse:
        """A message the bot will not see is still screened here: a crisis gets its reply and its flag."""
        reply = None
        try:
            reply = await asyncio.to_thread(screen_unsent_message, UnitOfWork(), sender_id, text)
        except Exception:
            logger.exception("safety backstop failed")
        if reply is None:
            return JSONResponse({"error": error, "retry": retry}, status_code=status_code)
        return JSONResponse({"messages": [{"text": reply, "buttons": []}], "notice": CRISIS_HANDLED_HERE})

    return app
