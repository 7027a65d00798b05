"""httpx client for Rasa's REST channel and its token-protected HTTP API."""
from __future__ import annotations

from dataclasses import dataclass, field

import httpx

from bot.service_auth import bearer


class RasaError(Exception):
    """Base class for failures talking to Rasa."""


class RasaUnavailable(RasaError):
    """Rasa did not answer (down, timed out, or answered with a server error)."""


class EmptyReply(RasaError):
    """Rasa answered 200 with no messages: something behind it (often the action server) failed."""


@dataclass(frozen=True)
class BotMessage:
    text: str = ""
    buttons: list[dict] = field(default_factory=list)

    @classmethod
    def from_rasa(cls, data: dict) -> "BotMessage":
        buttons = [{"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
                   for b in data.get("buttons") or [] if isinstance(b, dict)]
        return cls(text=str(data.get("text") or ""), buttons=buttons)


class RasaClient:
    def __init__(self, base_url: str, token: str, timeout_s: float = 30.0,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        # The REST channel answers only callers with the token (components/channels.py).
        self._client = httpx.AsyncClient(base_url=base_url, transport=transport, headers=bearer(token),
                                         timeout=httpx.Timeout(timeout_s, connect=5.0))
        self._token = token

    async def send_message(self, sender_id: str, text: str, metadata: dict | None = None) -> list[BotMessage]:
        body = {"sender": sender_id, "message": text, **({"metadata": metadata} if metadata else {})}
        try:
            response = await self._client.post("/webhooks/rest/webhook", json=body)
        except httpx.TimeoutException as error:
            raise RasaUnavailable("Rasa did not answer in time") from error
        except httpx.HTTPError as error:
            raise RasaUnavailable(f"cannot reach Rasa: {type(error).__name__}") from error
        if response.status_code >= 400:
            raise RasaUnavailable(f"Rasa answered HTTP {response.status_code}")
        try:
            payload = response.json()
        except ValueError as error:
            raise RasaUnavailable("Rasa answered with something that is not JSON") from error
        messages = [BotMessage.from_rasa(item) for item in payload if isinstance(item, dict)] if isinstance(payload, list) else []
        messages = [message for message in messages if message.text or message.buttons]
        if not messages:
            raise EmptyReply("Rasa answered with no messages")
        return messages

    async def conversation_events(self, sender_id: str) -> list[dict]:
        """The conversation's events from the tracker API (staff views only)."""
        try:
            response = await self._client.get(f"/conversations/{sender_id}/tracker",
                                              params={"token": self._token, "include_events": "ALL"})
        except httpx.HTTPError as error:
            raise RasaUnavailable(f"cannot reach Rasa: {type(error).__name__}") from error
        if response.status_code >= 400:
            raise RasaUnavailable(f"Rasa answered HTTP {response.status_code}")
        return response.json().get("events", [])

    async def aclose(self) -> None:
        await self._client.aclose()
