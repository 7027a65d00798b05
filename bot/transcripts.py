"""A conversation as a counselor reads it: what the student saw and tapped, the flagged message marked.

Rasa's tracker stores a button press as the button's payload (`/answer_inventory{"inventory_item": "r01", ...}`).
A student saw and tapped the button's title ("Like"), so a press shows as that title, matched to the
newest bot message that offered a button with that payload, and that button is marked as the one tapped.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bot.advisors.conversation import START_PAYLOAD
from bot.conversation_events import message_event_key

# Payloads the pages send by themselves, with no button shown: what they mean to someone reading along.
PAGE_PAYLOADS = {START_PAYLOAD: "The advisor's page started the script, or continued it after a pause."}
FLAGGED_TURN_ID = "flagged-turn"  # the flagged message's anchor: links to a flag end in #flagged-turn


@dataclass
class ShownButton:
    title: str
    payload: str
    tapped: bool = False


@dataclass
class Turn:
    speaker: str  # "student", "bot", or "page" (something a page sent by itself)
    text: str
    at: dt.datetime | None
    flagged: bool = False
    buttons: list[ShownButton] = field(default_factory=list)
    tapped: bool = False  # a student's button press: `text` is the button's title


def transcript(sender_id: str, events: list[dict], flagged_event_id: str | None = None) -> list[Turn]:
    """Student and bot messages in order; the student message the flag was raised on has `flagged`."""
    turns: list[Turn] = []
    for event in events:
        kind = event.get("event")
        if kind == "user":
            key = message_event_key(sender_id, event.get("message_id"), event.get("timestamp"))
            turn = _student_turn(str(event.get("text") or ""), event, turns)
            turn.flagged = flagged_event_id is not None and key == flagged_event_id
            turns.append(turn)
        elif kind == "bot":
            buttons = [ShownButton(str(b.get("title") or ""), str(b.get("payload") or ""))
                       for b in (event.get("data") or {}).get("buttons") or [] if isinstance(b, dict)]
            if event.get("text") or buttons:
                turns.append(Turn("bot", str(event.get("text") or ""), _time(event), buttons=buttons))
    return turns


def _student_turn(text: str, event: dict, earlier: list[Turn]) -> Turn:
    """What the student saw themselves send: their words, or the title of the button they tapped."""
    payload = text.strip()
    if payload:
        for turn in reversed(earlier):
            button = next((b for b in turn.buttons if b.payload.strip() == payload), None)
            if button is not None:
                button.tapped = True
                return Turn("student", button.title, _time(event), tapped=True)
    if payload in PAGE_PAYLOADS:
        return Turn("page", PAGE_PAYLOADS[payload], _time(event))
    if payload.startswith("/"):
        # A button no stored bot message offered (the messages before it have passed the retention period):
        # what it asked for, in words, never the payload's code.
        return Turn("student", f"Tapped a button ({_intent_words(event)})", _time(event))
    return Turn("student", text, _time(event))


def _intent_words(event: dict) -> str:
    parse = event.get("parse_data") or {}
    intent = str((parse.get("intent") or {}).get("name") or "").replace("_", " ").strip()
    # Values in words only ("like"): an id such as "r01" means nothing to a reader.
    values = [str(entity.get("value")) for entity in parse.get("entities") or [] if isinstance(entity, dict)
              and str(entity.get("value") or "").replace(" ", "").isalpha()]
    words = intent or "not recorded"
    return f"{words}: {', '.join(values)}" if values else words


def _time(event: dict) -> dt.datetime | None:
    timestamp = event.get("timestamp")
    if not isinstance(timestamp, (int, float)):
        return None
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).replace(tzinfo=None)
