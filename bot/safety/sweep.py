"""Finds crisis messages in Rasa's tracker store that never got their flag, and flags them.

The student's crisis reply comes from Rasa itself, but the flag is raised by the action server.
If that server (or the plan database) was down at that moment, the flag, and with it the
counselor alert, would be missing. The alert worker runs this sweep, so it is raised late
instead of never. raise_concern is idempotent per message, so messages flagged already are untouched.

A crisis message is one whose stored intent is a crisis, or whose parse data holds the screen's
crisis finding (a later step may have changed the intent), or which starts with "/" and whose words
the screen's rules flag: Rasa's own payload handler replaces both intent and finding on such text
(bot.safety.payloads). Only those are screened again, and only when they hold more than a button's
payload could: on any other message the screen's verdict is what was stored, a click carries ids,
not words, and screening every click would load spaCy (with TensorFlow, some 650 MB) into the worker.
"""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, func, inspect, or_, select

from bot.advisors.conversation import flag_concern_in_conversation, is_advisor_conversation
from bot.conversation_events import message_event_key
from bot.db.engine import get_engine
from bot.db.unit_of_work import UnitOfWorkFactory
from bot.errors import UnknownStudent
from bot.safety.categories import CATEGORIES, CRISIS, Category, category_of_intent
from bot.safety.payloads import is_button_shaped, is_intent_payload
from bot.safety.screen import CHECK_IN, SAFETY_KEY, screen

log = logging.getLogger(__name__)

# The columns of Rasa's SQLTrackerStore table that the sweep reads (rasa/core/tracker_store.py).
rasa_events = Table(
    "events", MetaData(),
    Column("id", Integer, primary_key=True), Column("sender_id", String(255)), Column("type_name", String(255)),
    Column("timestamp", Float), Column("intent_name", String(255)), Column("data", Text),
)
CRISIS_INTENTS = [CATEGORIES[name].intent for name in CRISIS]
# A first cut in SQL, so ordinary messages are not read: Rasa stores each event as json.dumps writes it.
MAY_HOLD_A_CRISIS = or_(rasa_events.c.intent_name.in_(CRISIS_INTENTS), rasa_events.c.data.like('%"safety": {%'),
                        rasa_events.c.data.like('%"text": "/%'))
# Messages younger than this are left to the action that is (probably) flagging them right now.
GRACE_S = 60.0


@dataclass(frozen=True)
class SweepResult:
    crisis_messages: int
    last_event_id: int


def sweep_unflagged_crises(tracker_url: str, uow_factory: UnitOfWorkFactory, *,
                           after_event_id: int = 0, lookback_s: float = 24 * 3600, now: float | None = None) -> SweepResult:
    """Flags every crisis message after event `after_event_id` (and within `lookback_s`) that has no flag yet.

    Returns the event id to pass as `after_event_id` next time: past every settled event, but not
    past a crisis message (or a typed payload, not yet screened) still in its grace period.
    """
    now = time.time() if now is None else now
    settled = now - GRACE_S
    candidates = (select(rasa_events.c.id, rasa_events.c.sender_id, rasa_events.c.intent_name,
                            rasa_events.c.timestamp, rasa_events.c.data)
                     .where(rasa_events.c.id > after_event_id, rasa_events.c.type_name == "user",
                            rasa_events.c.timestamp >= now - lookback_s, MAY_HOLD_A_CRISIS)
                     .order_by(rasa_events.c.id))
    engine = get_engine(tracker_url)
    if not inspect(engine).has_table(rasa_events.name):
        return SweepResult(0, after_event_id)  # Rasa has not stored a conversation yet
    with engine.connect() as connection:
        rows = connection.execute(candidates).all()
        next_after = connection.scalar(select(func.max(rasa_events.c.id)).where(rasa_events.c.timestamp < settled))
    next_after = max(next_after or 0, after_event_id)
    swept = 0
    for row in rows:
        event = json.loads(row.data)
        if row.timestamp >= settled:
            # Not screened until it settles, so a payload's words are screened once, not at every poll.
            if stored_crisis(row.intent_name, event) or typed_payload(event.get("text") or ""):
                next_after = min(next_after, row.id - 1)
            continue
        category = stored_crisis(row.intent_name, event) or screened_payload_crisis(row.sender_id, event)
        if category is None:
            continue
        swept += 1
        try:
            flag_concern_in_conversation(uow_factory(), row.sender_id, category.name,
                                         excerpt=event.get("text") or "",
                                         event_id=message_event_key(row.sender_id, event.get("message_id"), row.timestamp))
        except UnknownStudent:
            log.warning("crisis message from a sender who is no longer on the roster (event %s)", row.id)
    return SweepResult(swept, max(next_after, after_event_id))


def stored_crisis(intent_name: str | None, event: dict) -> Category | None:
    """A crisis as Rasa stored the message: its intent, or the screen's finding in its parse data."""
    finding = (event.get("parse_data") or {}).get(SAFETY_KEY) or {}
    # A check-in's finding names the crisis it asked about; only the student's answer makes it one.
    found = CATEGORIES.get(finding.get("category")) if finding.get("severity") != CHECK_IN else None
    for category in (category_of_intent(intent_name), found):
        if category is not None and category.is_crisis:
            return category
    return None


def screened_payload_crisis(sender_id: str, event: dict) -> Category | None:
    """A crisis in the words of a message Rasa read as a payload, which replaced the screen's verdict."""
    text = event.get("text") or ""
    if not typed_payload(text):
        return None
    concern = screen(text, reported=is_advisor_conversation(sender_id))
    return CATEGORIES[concern.category] if concern is not None and concern.is_crisis else None


def typed_payload(text: str) -> bool:
    return is_intent_payload(text) and not is_button_shaped(text)
