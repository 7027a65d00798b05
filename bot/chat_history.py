"""A student's recent conversation as they saw it, read from Rasa's tracker store, for the chat page.

Rasa keeps every event of a conversation in the tracker store's `events` table (the flag sweep and
`ilp students delete` read the same table). A tapped button is stored as its payload
("/answer_inventory{...}"); it is shown as the button's title, found among the buttons of the bot's
message before it, or among the web page's own buttons (`known_payloads`). A payload whose title
cannot be found is left out rather than shown raw.

What a student said about a crisis, bullying or leaving school (and the bot's replies to it) is not shown
again: the page opens in a classroom, on a screen others can see. A short note stands in its place.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Iterable, Mapping

from sqlalchemy import inspect, select
from sqlalchemy.exc import SQLAlchemyError

from bot.db.engine import get_engine
from bot.safety.categories import category_of_intent
from bot.safety.sweep import rasa_events

logger = logging.getLogger(__name__)

# Events read back, newest first: enough for RECENT_MESSAGES messages around the slots and loops between them.
EVENTS_READ = 400
RECENT_MESSAGES = 20
# Concerns whose words stay off the screen when the chat opens again (bot/safety/categories.py severities).
PRIVATE_SEVERITIES = ("urgent", "high")
PRIVATE_NOTE = ("You shared something personal here. It is not shown again, so people near your screen can't "
                "read it; your counselor can see it. If you need to talk to someone now, call or text 988.")


def is_private(intent: str | None) -> bool:
    """True for a message the safety screen read as a crisis, bullying or dropping out."""
    category = category_of_intent(intent)
    return category is not None and category.severity in PRIVATE_SEVERITIES


@dataclass(frozen=True)
class Message:
    speaker: str  # "student", "bot", or "note" (PRIVATE_NOTE in place of a private message and its replies)
    text: str
    at: float  # seconds since the epoch, as Rasa stores it


@dataclass(frozen=True)
class RecentConversation:
    messages: tuple[Message, ...] = ()
    last_intent: str | None = None  # the student's latest intent: what they were doing when they left

    @property
    def returning(self) -> bool:
        return bool(self.messages)


def recent_conversation(tracker_url: str, sender_id: str, known_payloads: Mapping[str, str] | None = None,
                        limit: int = RECENT_MESSAGES) -> RecentConversation:
    """The newest `limit` messages of the conversation, oldest first. A store that cannot be read gives an
    empty conversation (the chat still opens); the error is logged without the student's words."""
    query = (select(rasa_events.c.data).where(rasa_events.c.sender_id == sender_id,
                                              rasa_events.c.type_name.in_(("user", "bot")))
             .order_by(rasa_events.c.id.desc()).limit(EVENTS_READ))
    try:
        engine = get_engine(tracker_url)
        if not inspect(engine).has_table(rasa_events.name):
            return RecentConversation()  # Rasa has not stored a conversation yet
        with engine.connect() as connection:
            rows = connection.execute(query).scalars().all()
    except SQLAlchemyError as error:
        logger.warning("the tracker store could not be read for the chat history: %s", type(error).__name__)
        return RecentConversation()
    events = []
    for data in reversed(rows):
        try:
            events.append(json.loads(data))
        except (TypeError, ValueError):
            continue
    return conversation_from_events(events, known_payloads or {}, limit)


def conversation_from_events(events: Iterable[dict], known_payloads: Mapping[str, str],
                             limit: int = RECENT_MESSAGES) -> RecentConversation:
    """Student and bot messages from Rasa events, each tapped payload as its button's title."""
    messages: list[Message] = []
    last_intent = None
    private = False  # the student's latest message was private: so are the bot's replies to it
    buttons: dict[str, str] = {}  # payload -> title, of the bot's latest message with buttons
    for event in events:
        kind, text, at = event.get("event"), str(event.get("text") or ""), float(event.get("timestamp") or 0)
        if kind == "bot" and not private:
            offered = [b for b in (event.get("data") or {}).get("buttons") or [] if isinstance(b, dict)]
            if offered:
                buttons = {str(b.get("payload", "")): str(b.get("title", "")) for b in offered}
            if text.strip():
                messages.append(Message("bot", text, at))
        elif kind == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            last_intent = intent or last_intent
            private = is_private(intent)
            if private:
                if not messages or messages[-1].speaker != "note":
                    messages.append(Message("note", PRIVATE_NOTE, at))
                continue
            shown = (buttons.get(text) or known_payloads.get(text)) if text.startswith("/") else text
            if shown and shown.strip():
                messages.append(Message("student", shown, at))
    return RecentConversation(tuple(messages[-limit:]), last_intent)
