"""Keys for student messages in Rasa's conversation events, shared by actions and by the flag sweep."""
from __future__ import annotations


def message_event_key(sender_id: str, message_id: str | None, timestamp: float | str | None = None) -> str:
    """Identifies one student message, so whatever a retried write keys on it is written once."""
    return f"{sender_id}:{message_id or 't' + str(timestamp or '')}"


def consecutive_user_intents(events: list[dict], intent: str) -> int:
    """How many of the student's latest messages in a row, ending with the newest, had `intent`."""
    count = 0
    for event in reversed(events):
        if event.get("event") != "user":
            continue
        if ((event.get("parse_data") or {}).get("intent") or {}).get("name") != intent:
            break
        count += 1
    return count


def since_last_response(events: list[dict], response: str) -> list[dict]:
    """The events after the bot last sent `response` (a domain response name), or all of them if it never did."""
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action") == response:
            return events[index + 1:]
    return events
