"""The web app's own safety net for messages Rasa never screened (Rasa down, or a message too long to send).

Runs the screen's rules (no classifier: that lives in Rasa) and, on a crisis, raises the urgent flag
(which queues the counselor alert) and returns the same crisis reply the bot would have sent.
"""
from __future__ import annotations

import functools
import uuid

import yaml

from bot.config import PROJECT_ROOT
from bot.db.unit_of_work import UnitOfWork
from bot.flags import raise_concern
from bot.safety.screen import Concern, screen


def screen_unsent_message(uow: UnitOfWork, student_id: str, text: str) -> str | None:
    """The crisis reply to show, after flagging; None when the text holds no crisis."""
    concern: Concern | None = screen(text)
    if concern is None or not concern.is_crisis:
        return None
    raise_concern(uow, student_id, concern.category, excerpt=text, event_id=f"{student_id}:web-{uuid.uuid4().hex}")
    return crisis_reply(concern.category)


@functools.lru_cache(maxsize=None)
def crisis_reply(category: str) -> str:
    """The bot's own crisis response from domain.yml, so both paths say the same words."""
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    return domain["responses"][f"utter_crisis_{category}"][0]["text"]
