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


def clean_statement(text: str | None) -> str:
    """A statement about the student (an interest, a strength, an activity): as clean_answer, and not a bare
    "idk" or "stuff i guess", which says nothing to keep (InvalidAnswer "unsure": the bot helps instead)."""
    from bot.plans.readings import is_non_answer

    text = clean_answer(text)
    if is_non_answer(text):
        raise InvalidAnswer("unsure", "the answer says the student does not know (yet)")
    return text
