"""Checks a free-text answer before it is saved; the reason names the bot's re-prompt."""
from __future__ import annotations

from bot.errors import InvalidAnswer
from bot.text import without_control_characters

MAX_ANSWER_CHARS = 1000


def clean_answer(text: str | None) -> str:
    """Returns the answer trimmed and stripped of control characters, or raises InvalidAnswer."""
    text = without_control_characters(text or "").strip()
    if not text:
        raise InvalidAnswer("empty", "the answer is empty")
    if len(text) > MAX_ANSWER_CHARS:
        raise InvalidAnswer("too_long", f"the answer is longer than {MAX_ANSWER_CHARS} characters")
    if not any(ch.isalnum() for ch in text):
        raise InvalidAnswer("no_words", "the answer has no letters or numbers")
    return text
