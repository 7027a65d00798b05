"""What the student reads instead of the plan's codes: dates in words, values in the words they tapped, the
interest code spelled out, and goals and activities without their stored status names.

The plan keeps ids ("working_conditions", "personal", "active") and UTC times; this module only decides how a
student sees them. The app knows no school time zone, so a stored time is shown as its date, never with a time.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.interests.catalog import RIASEC_NAMES, RIASEC_PLAIN
from bot.plans.content import postsecondary_options, work_values

GOAL_KINDS = {"career": "Career goal", "work": "Work goal", "education": "School goal", "personal": "Personal goal"}
STRENGTH_KINDS = {"strength": "something you're good at", "skill": "a skill", "accomplishment": "something you did",
                  "hobby": "a hobby"}
ACTIVITY_KINDS = {"club": "club", "sport": "sport", "job": "job", "job_shadowing": "job shadow",
                  "internship": "internship", "dual_credit": "college class in high school",
                  "volunteering": "volunteering"}
ACTIVITY_STATUSES = {"planned": "planning to", "doing": "doing now", "done": "done"}


@dataclass(frozen=True)
class InterestType:
    letter: str
    name: str   # "Realistic"
    plain: str  # "hands-on (building, fixing, working outdoors)"


def plain_date(value: dt.date | dt.datetime | str | None, *, today: dt.date) -> str:
    """ "Friday, December 19", with the year when it is not this year's; a time is dropped (see the module)."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.rstrip("Z")) if "T" in value else dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    words = f"{value:%A, %B} {value.day}"
    return words if value.year == today.year else f"{words}, {value.year}"


def interest_types(code: str | None) -> list[InterestType]:
    """Each letter of an interest code ("RIA") with its name and what it means, in the code's order."""
    return [InterestType(letter, RIASEC_NAMES[letter], RIASEC_PLAIN[letter]) for letter in code or ""
            if letter in RIASEC_NAMES]


def value_words(value_id: str) -> str:
    """A work value as the student chose it: the words on its button ("Good pay and a steady job")."""
    info = work_values().get(value_id)
    return info.button if info else value_id.replace("_", " ").capitalize()


def postsecondary_words(choice: str | None) -> tuple[str, str] | None:
    """The path after high school: its name and a sentence about it; None when none is chosen."""
    option = postsecondary_options().get(choice or "")
    return (option.name, option.plain) if option else None


def goal_kind_words(kind: str) -> str:
    return GOAL_KINDS.get(kind, "Goal")


def strength_words(kind: str) -> str:
    return STRENGTH_KINDS.get(kind, "")


def activity_words(kind: str, status: str, grade: int | None) -> str:
    """ "club, doing now, grade 8": what kind of activity, where the student is with it, and when."""
    parts = [ACTIVITY_KINDS.get(kind, ""), ACTIVITY_STATUSES.get(status, "")]
    if grade:
        parts.append(f"grade {grade}")
    return ", ".join(part for part in parts if part)
