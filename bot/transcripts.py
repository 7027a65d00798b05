"""A conversation as a counselor reads it: the turns of Rasa's tracker events, the flagged one marked."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bot.conversation_events import message_event_key


@dataclass(frozen=True)
class Turn:
    speaker: str  # "student" or "bot"
    text: str
    at: dt.datetime | None
    flagged: bool = False
    buttons: list[str] = field(default_factory=list)


def transcript(sender_id: str, events: list[dict], flagged_event_id: str | None = None) -> list[Turn]:
    """Student and bot messages in order; the student message the flag was raised on has `flagged`."""
    turns = []
    for event in events:
        kind = event.get("event")
        if kind == "user":
            key = message_event_key(sender_id, event.get("message_id"), event.get("timestamp"))
            turns.append(Turn("student", str(event.get("text") or ""), _time(event),
                              flagged=flagged_event_id is not None and key == flagged_event_id))
        elif kind == "bot":
            buttons = [str(b.get("title", "")) for b in (event.get("data") or {}).get("buttons") or []
                       if isinstance(b, dict)]
            if event.get("text") or buttons:
                turns.append(Turn("bot", str(event.get("text") or ""), _time(event), buttons=buttons))
    return turns


def _time(event: dict) -> dt.datetime | None:
    timestamp = event.get("timestamp")
    if not isinstance(timestamp, (int, float)):
        return None
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).replace(tzinfo=None)
