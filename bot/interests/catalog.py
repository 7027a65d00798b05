"""Interest activities and school subjects shipped in data/interests/."""
from __future__ import annotations

import functools
from dataclasses import dataclass

from bot.data_files import load_yaml

RIASEC_NAMES = {
    "R": "Realistic", "I": "Investigative", "A": "Artistic",
    "S": "Social", "E": "Enterprising", "C": "Conventional",
}
# How the bot explains each type to a 12-year-old.
RIASEC_PLAIN = {
    "R": "hands-on (building, fixing, working outdoors)",
    "I": "curious (figuring out how things work)",
    "A": "creative (making art, music, stories)",
    "S": "helping (teaching, caring for people)",
    "E": "leading (persuading, running things)",
    "C": "organizing (keeping things neat and accurate)",
}

# The same in a word or two, for sentences that list several types ("your hands-on and curious side").
RIASEC_SHORT = {letter: plain.split(" (")[0] for letter, plain in RIASEC_PLAIN.items()}


def interest_code_words(code: str | None) -> str:
    """An interest code as a student reads it, wherever they see one (chat, My plan, the PDF):
    "RIA: Realistic (hands-on), Investigative (curious), Artistic (creative)"; "" for no code."""
    letters = [letter for letter in code or "" if letter in RIASEC_NAMES]
    if not letters:
        return ""
    return "".join(letters) + ": " + ", ".join(f"{RIASEC_NAMES[letter]} ({RIASEC_SHORT[letter]})" for letter in letters)


@dataclass(frozen=True)
class InterestItem:
    id: str
    kind: str  # activity | school_subject
    label: str
    phrases: tuple[str, ...]
    riasec: tuple[str, ...]


@functools.lru_cache(maxsize=1)
def activities() -> dict[str, InterestItem]:
    return {
        entry["id"]: InterestItem(entry["id"], "activity", entry["phrases"][0], tuple(entry["phrases"]),
                                  (entry["riasec"],))
        for entry in load_yaml("interests/activities.yml")["activities"]
    }


@functools.lru_cache(maxsize=1)
def school_subjects() -> dict[str, InterestItem]:
    return {
        entry["id"]: InterestItem(entry["id"], "school_subject", entry["name"], tuple(entry["phrases"]),
                                  tuple(entry["riasec"]))
        for entry in load_yaml("interests/school_subjects.yml")["subjects"]
    }
