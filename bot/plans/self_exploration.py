"""Strengths, skills and accomplishments the student tells the bot about."""
from __future__ import annotations

import re

from sqlalchemy.orm import Session

from bot.db.tables import Plan, Strength, StrengthKind
from bot.db.unit_of_work import UnitOfWork
from bot.plans.answers import clean_statement
from bot.plans.services import ALREADY_SAVED, STUDENT, Author, authored, save_once

_ACCOMPLISHMENT = re.compile(r"\b(won|win|earned|award|place|placed|got|made|finished|completed|record|medal|honor|"
                             r"certificate|certified|student of the)\b")
_SKILL = re.compile(r"\b(can|know how|speak|fluent|type|code|program|play the|fix|drive)\b")


def kind_of_strength(text: str) -> StrengthKind:
    words = text.lower()
    if _ACCOMPLISHMENT.search(words):
        return "accomplishment"
    if _SKILL.search(words):
        return "skill"
    return "strength"


def record_strength(uow: UnitOfWork, external_id: str, text: str | None, source_event: str,
                    author: Author = STUDENT) -> tuple[StrengthKind, bool]:
    """Saves a strength, skill or accomplishment; returns its kind and whether it was saved before (a retry)."""
    text = clean_statement(text)
    kind = kind_of_strength(text)

    def write(session: Session, plan: Plan) -> None:
        session.add(Strength(plan_id=plan.id, kind=kind, text=text, **authored(author, source_event)))

    return kind, save_once(uow, external_id, "strength", text, source_event, author, write) is ALREADY_SAVED
