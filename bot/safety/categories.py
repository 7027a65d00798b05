"""Concern categories: how urgent each is and the NLU intent that carries it."""
from __future__ import annotations

from dataclasses import dataclass

INTENT_PREFIX = "concern_"


@dataclass(frozen=True)
class Category:
    name: str
    severity: str  # urgent | high | normal (bot.db.tables.FLAG_SEVERITIES)

    @property
    def intent(self) -> str:
        return INTENT_PREFIX + self.name

    @property
    def is_crisis(self) -> bool:
        return self.severity == "urgent"


# In priority order: when a message touches several, the first one wins the reply.
CATEGORIES = {category.name: category for category in (
    Category("self_harm", "urgent"),
    Category("abuse", "urgent"),
    Category("violence", "urgent"),
    Category("bullying", "high"),
    Category("dropout_risk", "high"),
    Category("human_request", "normal"),
    Category("academic", "normal"),
    Category("financial", "normal"),
    Category("accommodations", "normal"),
    # Raised by actions, not by the screen.
    Category("plan_misalignment", "normal"),
    Category("not_understood", "normal"),
)}
CRISIS = tuple(name for name, category in CATEGORIES.items() if category.is_crisis)


def category_of_intent(intent: str | None) -> Category | None:
    if not intent or not intent.startswith(INTENT_PREFIX):
        return None
    return CATEGORIES.get(intent[len(INTENT_PREFIX):])
