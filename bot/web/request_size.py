"""A size limit on every request body, so nobody makes the app read megabytes before it checks anything.

The limit is checked from Content-Length before the first byte is read, and again while the body
arrives (a chunked body has no Content-Length). The app has no upload route: every form and chat
message fits in one limit.
"""
from __future__ import annotations

from fastapi import HTTPException
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The longest chat message (bot.text.MAX_MESSAGE_CHARS), every character escaped as JSON allows (an emoji
# as two \uXXXX, 12 bytes), is 60 KB; a flag or session note (2,000 characters, percent-encoded UTF-8) 24 KB.
MAX_BODY_BYTES = 64 * 1024
TOO_LARGE = f"That is too much to send at once (at most {MAX_BODY_BYTES // 1024} KB). Please send something shorter."


class BodyTooLarge(HTTPException):
    """FastAPI's HTTPException: its body parsing passes this on instead of calling it a malformed body (400)."""

    def __init__(self) -> None:
        super().__init__(status_code=413, detail=TOO_LARGE)


class LimitBodySize:
    """ASGI middleware: the app's reads of the body raise BodyTooLarge once it is over `max_bytes`."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        declared_too_large = declared.isdigit() and int(declared) > self.max_bytes
        received = 0

        async def receive_within_limit() -> Message:
            nonlocal received
            if declared_too_large:
                raise BodyTooLarge()
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge()
            return message

        await self.app(scope, receive_within_limit, send)
