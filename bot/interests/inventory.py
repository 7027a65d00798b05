"""The interest inventory (data/interests/inventory.yml): items, typed answers, and type scores."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Iterable

from bot.data_files import load_yaml
from bot.db.tables import RIASEC_TYPES

# Points per answer; a type's score is the sum over its items (7 items: 0 to 14).
POINTS = {"like": 2, "unsure": 1, "dislike": 0}

# Typed answers, checked in this order so "not sure" is not read as "sure" and "don't like" not as "like".
_TYPED_ANSWERS = (
    ("unsure", r"not sure|unsure|maybe|idk|i don'?t know|dunno|kinda|kind of|sort of|depends|meh|eh|50 ?50|no idea"),
    ("dislike", r"dislike|don'?t like|do not like|not for me|no way|nope|nah|hate|boring|not really|gross|ew|no\b"),
    ("like", r"like|love|fun|cool|awesome|yes|yeah|yep|sure|interesting|great|good|enjoy|nice|would"),
)


@dataclass(frozen=True)
class InventoryItem:
    id: str
    riasec: str
    text: str


@functools.lru_cache(maxsize=1)
def inventory_items() -> tuple[InventoryItem, ...]:
    return tuple(InventoryItem(entry["id"], entry["riasec"], entry["text"])
                 for entry in load_yaml("interests/inventory.yml")["items"])


def get_item(item_id: str) -> InventoryItem | None:
    return next((item for item in inventory_items() if item.id == item_id), None)


def parse_response(text: str | None) -> str | None:
    """Reads a typed answer ("sounds fun", "nah", "not sure") as like, unsure or dislike; None if unclear."""
    words = (text or "").lower().strip()
    if words in POINTS:
        return words
    for response, pattern in _TYPED_ANSWERS:
        if re.search(rf"\b(?:{pattern})", words):
            return response
    return None


def type_scores(responses: Iterable[tuple[str, str]]) -> dict[str, float]:
    """(riasec, response) pairs to points per type."""
    scores: dict[str, float] = {letter: 0.0 for letter in RIASEC_TYPES}
    for riasec, response in responses:
        scores[riasec] += POINTS[response]
    return scores
