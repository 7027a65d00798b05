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


def reply_to_previous_message(events: list[dict], response: str) -> str | None:
    """The text of `response` (a domain response name) when the bot sent it in reply to the student's message
    before the newest one; None when it did not (or there is no earlier message)."""
    users = [index for index, event in enumerate(events) if event.get("event") == "user"]
    if len(users) < 2:
        return None
    for event in events[users[-2] + 1:users[-1]]:
        if event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action") == response:
            return event.get("text") or None
    return None


def earlier_user_messages(events: list[dict], limit: int) -> list[dict]:
    """Up to `limit` of the student's messages before the newest one, the most recent first."""
    users = [event for event in events if event.get("event") == "user"]
    return list(reversed(users[:-1]))[:limit]
