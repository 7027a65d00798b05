"""Keys for student messages in Rasa's conversation events, shared by actions and by the flag sweep."""
from __future__ import annotations


def message_event_key(sender_id: str, message_id: str | None, timestamp: float | str | None = None) -> str:
    """Identifies one student message, so whatever a retried write keys on it is written once."""
    return f"{sender_id}:{message_id or 't' + str(timestamp or '')}"
