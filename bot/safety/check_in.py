"""What a student's answer to "are you okay right now?" says (the check-in of bot.safety.screen).

Only an answer that says the student is okay ends the check-in quietly. "no", "not really", "idk",
"kinda" or "nah" bring the crisis reply and the urgent flag: the message that raised the check-in
showed some sign of a crisis, and a student who does not say they are okay should hear about 988
and be seen by a counselor. Words that answer nothing ("what jobs fit me") are neither: the check-in
lapses and the message is handled as usual (it is screened like any other).

The question is a yes/no one whose "no" is the worrying answer, but students answer it both ways
round: "no im fine" and "nah i'm good" are okay; "yes i need help" is not.
"""
from __future__ import annotations

import re
from enum import Enum

from bot.language import without_accents


class CheckInAnswer(Enum):
    OKAY = "okay"
    NOT_OKAY = "not_okay"
    UNCLEAR = "unclear"


_OKAY_WORD = r"(?:ok(?:ay)?|o\.?k\.?|fine|good|alright|all\s*right|safe|chill|gucci|great|bien|tranquil[oa])"
_NEGATED_OKAY = re.compile(
    rf"\b(?:not|n'?t|no|no\s+(?:estoy|me\s+siento)|nada)\s+(?:(?:really|that|so|very|too|feeling|doing|bien|muy|tan)\s+)*"
    rf"{_OKAY_WORD}\b|\bnot\s+really\b|\bno\s+mucho\b")
_OKAY = re.compile(
    rf"\b(?:{_OKAY_WORD}|no\s+worries|nothing'?s\s+wrong|(?:i\s+was\s+)?(?:just\s+)?(?:joking|kidding)|jk|"
    rf"it\s+was\s+a\s+joke)\b")
_ASKS_FOR_HELP = re.compile(r"\b(?:help|ayuda|i\s+need\s+(?:someone|to\s+talk)|scared|no\s+se)\b")
_YES = re.compile(r"^(?:y+e+[sa]*h*|ye+s+|ya+|yea+h*|yep|yup|mhm+|si|sure)\b")
_NOT_OKAY = re.compile(
    r"\b(?:no+|nope|nah+|idk|i\s*dk|i\s+don'?t\s+know|dunno|not\s+sure|kinda|kind\s+of|sort\s+of|maybe|bad|"
    r"terrible|awful|mal)\b")


def read_check_in_answer(text: str, intent: str | None = None) -> CheckInAnswer:
    """`text` is what the student typed ("" for a button); `intent` what the pipeline read (a button's payload:
    "affirm" for "I'm okay", "deny" for "Not really")."""
    words = without_accents(re.sub(r"\s+", " ", text.lower().replace("\u2019", "'"))).strip()
    if not words:
        return {"affirm": CheckInAnswer.OKAY, "deny": CheckInAnswer.NOT_OKAY}.get(intent or "", CheckInAnswer.UNCLEAR)
    if _NEGATED_OKAY.search(words) or _ASKS_FOR_HELP.search(words):
        return CheckInAnswer.NOT_OKAY
    if _OKAY.search(words) or _YES.search(words):
        return CheckInAnswer.OKAY
    if _NOT_OKAY.search(words):
        return CheckInAnswer.NOT_OKAY
    return CheckInAnswer.UNCLEAR
