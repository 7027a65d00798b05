"""A concern the safety screen found in a conversation's message, and the plan content the same message carries."""
from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError

from bot.db.unit_of_work import UnitOfWork
from bot.errors import InvalidAnswer
from bot.flags import raise_concern
from bot.plans.readings import states_an_aim
from bot.plans.services import STUDENT, Author, careers_named_in, record_career_goal
from bot.safety.categories import CATEGORIES

logger = logging.getLogger(__name__)


def record_concern(uow: UnitOfWork, external_id: str, category: str, text: str, source_event: str, *,
                   conversation_id: str | None = None, author: Author = STUDENT) -> list[str]:
    """Flags the concern; a follow-up (not a crisis) that gives a career as an aim keeps it as well, since "I
    want to be a nurse but we can't afford college" is a money worry and a career goal. Returns the careers
    newly saved.

    A failed flag raises; a failed career save is logged and does not undo the flag.
    """
    raise_concern(uow, external_id, category, excerpt=text, event_id=source_event, conversation_id=conversation_id)
    if CATEGORIES[category].is_crisis:
        return []
    try:
        named = careers_named_in(uow, text)
        # "can i talk to my counselor about my schedule" names a career but means none: only a career the
        # words give as an aim is saved alongside the concern.
        if not named or not states_an_aim(text, named[0].text):
            return []
        saved = record_career_goal(uow, external_id, text, source_event, author)
    except (InvalidAnswer, SQLAlchemyError):
        logger.exception("could not save the careers mentioned alongside a concern")
        return []
    return [] if saved.already_saved else saved.careers

