"""The web app's own safety net for messages Rasa never screened (Rasa down, or a message too long to send).

Runs the screen's rules and its concern reader (the intent classifier lives in Rasa) and, on a
crisis, raises the urgent flag (which queues the counselor alert) and returns the same crisis reply
the bot would have sent.
"""
from __future__ import annotations

import functools
import uuid

import yaml

from bot.advisors.conversation import flag_concern_in_conversation, is_advisor_conversation
from bot.config import PROJECT_ROOT
from bot.db.unit_of_work import UnitOfWork
from bot.safety.screen import Concern, screen


def screen_unsent_message(uow: UnitOfWork, sender_id: str, text: str) -> str | None:
    """The crisis reply to show, after flagging; None when the text holds no crisis.

    `sender_id` is the conversation: a student's own, or an advisor session's (the flag is the
    session student's, and the advisor gets the advisor's words).
    """
    advisor = is_advisor_conversation(sender_id)
    concern: Concern | None = screen(text, reported=advisor)
    if concern is None or not concern.is_crisis:
        return None
    flag_concern_in_conversation(uow, sender_id, concern.category, excerpt=text,
                                 event_id=f"{sender_id}:web-{uuid.uuid4().hex}")
    return crisis_reply(concern.category, for_advisor=advisor)


@functools.lru_cache(maxsize=None)
def crisis_reply(category: str, *, for_advisor: bool = False) -> str:
    """The bot's own crisis response from domain.yml, so both paths say the same words."""
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    variations = domain["responses"][f"utter_crisis_{category}"]
    wanted = [v for v in variations if any(c.get("value") == "advisor" for c in v.get("condition", []))] \
        if for_advisor else [v for v in variations if not v.get("condition")]
    return wanted[0]["text"]
