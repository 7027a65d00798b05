"""Which hand-typed intent payloads ("/intent@confidence{entities}") reach Rasa as payloads.

Rasa reads any text that starts with "/" as an intent with entities: its RegexMessageHandler runs
after the whole NLU pipeline, the safety screen included, and replaces the parsed message, the
screen's finding with it. So "/greet@1.0 I want to kill myself tonight" was a greeting: no 988
reply, no flag, no alert.

The rule: a message that starts with "/" is passed on as a payload only when it is, as a whole,
one the bot offered in this conversation. That is any button payload of a bot message in the
conversation's current session (the chat page keeps every button it showed since it loaded, and
each stays clickable, so the last turn's buttons alone would break an honest click; a bot-made
payload gives nothing the student could not get by clicking), plus the start payload an advisor
session's page sends on load and on Continue. An offered payload with words after it is not that
payload. Anything else loses the slashes it starts with and is screened like any other words:
"/greet I want to kill myself" reaches the pipeline as "greet I want to kill myself", so the
screen's verdict is the last word and Rasa never logs a malformed payload's text. This is the
least surprising change: the words are all kept, in order, and the conversation's record shows
them without the slash.

Where: Rasa's input channels (components.channels), which every message passes through on its way
to the pipeline and which can read the conversation's tracker, so the web app's pages and any
other client are held to the same rule. The crisis sweep (bot.safety.sweep) screens the words of
a stored message that starts with "/" and holds more than a button's payload, as a net behind it.
"""
from __future__ import annotations

import re
from typing import Any, Collection, Iterable

from bot.advisors.conversation import START_PAYLOAD, is_advisor_conversation

PAYLOAD_PREFIX = "/"  # Rasa's INTENT_MESSAGE_PREFIX
# How the bot writes a button's payload (domain.yml, actions.common.button): an intent and compact JSON of ids.
BUTTON_SHAPED = re.compile(r"/\w+(\{\S*\})?")


def is_intent_payload(text: str) -> bool:
    """Whether Rasa would try to read `text` as a payload (it trims the text first)."""
    return text.strip().startswith(PAYLOAD_PREFIX)


def offered_payloads(conversation_id: str, bot_buttons: Iterable[Any]) -> set[str]:
    """The payloads a click may send in the conversation: its bot buttons', and an advisor page's start."""
    payloads = {button.get("payload") for button in bot_buttons if isinstance(button, dict)}
    if is_advisor_conversation(conversation_id):
        payloads.add(START_PAYLOAD)
    return {payload.strip() for payload in payloads if isinstance(payload, str) and is_intent_payload(payload)}


def text_for_pipeline(text: str, offered: Collection[str]) -> str:
    """`text` as Rasa should see it: unchanged, unless it is a payload the bot did not offer."""
    if not is_intent_payload(text) or text.strip() in offered:
        return text
    return as_words(text)


def is_button_shaped(text: str) -> bool:
    """Whether `text` could be a button's payload: no confidence, no spaces, nothing after its entities."""
    return BUTTON_SHAPED.fullmatch(text.strip()) is not None


def as_words(text: str) -> str:
    """`text` without the slashes (and spaces) it starts with: words Rasa cannot read as a payload."""
    while is_intent_payload(text):
        text = text.strip()[len(PAYLOAD_PREFIX):]
    return text
