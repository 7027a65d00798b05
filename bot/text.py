"""What a student's text may be, shared by the web app, the Rasa channels and the plan database."""
from __future__ import annotations

import unicodedata

# The longest message handed to the bot: DIET's attention needs memory that grows with the square of
# the length (100 KB took Rasa past 20 GB). Longer messages are only screened for a crisis.
MAX_MESSAGE_CHARS = 5000


def is_encodable(text: str) -> bool:
    """False for text JSON can carry but UTF-8 cannot (half a surrogate pair, "\\ud800")."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def without_control_characters(text: str) -> str:
    """The text without control and format characters (NUL among them: PostgreSQL refuses it); keeps \\n and \\t."""
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
