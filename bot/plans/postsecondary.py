"""The postsecondary plan (what the student means to do right after high school), with its history."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.careers.catalog import Occupation
from bot.careers.education import Reach, plan_reach
from bot.db.tables import Plan, PostsecondaryChoice
from bot.db.unit_of_work import UnitOfWork
from bot.errors import InvalidAnswer
from bot.flag_words import misalignment_sentence
from bot.flags import raise_concern
from bot.nlp.keywords import match_keyword
from bot.plans.answers import clean_answer
from bot.plans.content import PostsecondaryOption, postsecondary_options
from bot.plans.readings import without_what_is_ruled_out
from bot.plans.services import ALREADY_SAVED, STUDENT, Author, authored, career_goal_occupation, save_once

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PostsecondaryResult:
    option: PostsecondaryOption
    # The career goal when it usually takes more school than this path gives: a plan problem,
    # flagged for the counselor (plan_misalignment).
    out_of_reach: Occupation | None
    already_saved: bool = False


def parse_postsecondary(choice: str | None) -> PostsecondaryOption:
    options = postsecondary_options()
    if choice in options:
        return options[choice]
    keywords = {option.id: option.keywords for option in options.values()}
    text = clean_answer(choice)
    # Only what is left once the ruled-out paths are dropped can name the path ("im not going to college" names none).
    option_id = match_keyword(without_what_is_ruled_out(text), keywords)
    if option_id is None:
        raise InvalidAnswer("unclear_postsecondary", "the answer names none of the postsecondary paths")
    return options[option_id]


def postsecondary_named(text: str | None) -> PostsecondaryOption | None:
    """The path the words name by a keyword, or None."""
    try:
        return parse_postsecondary(text)
    except InvalidAnswer:
        return None


def record_postsecondary(uow: UnitOfWork, external_id: str, choice: str | None, source_event: str,
                         author: Author = STUDENT, *, conversation_id: str | None = None) -> PostsecondaryResult:
    """Saves the path; a career goal it does not reach raises a plan_misalignment flag on the message's
    conversation (`conversation_id`: an advisor session's; None: the student's own)."""
    option = parse_postsecondary(choice)

    def write(session: Session, plan: Plan) -> Occupation | None:
        current = session.scalars(select(PostsecondaryChoice).where(PostsecondaryChoice.plan_id == plan.id,
                                                                    PostsecondaryChoice.retracted_at.is_(None))
                                  .order_by(PostsecondaryChoice.id.desc())).first()
        if current is None or current.choice != option.id:
            session.add(PostsecondaryChoice(plan_id=plan.id, choice=option.id, **authored(author, source_event)))
        return career_goal_out_of_reach(session, plan, option)

    result = save_once(uow, external_id, "postsecondary", option.id, source_event, author, write)
    if result is ALREADY_SAVED:
        return PostsecondaryResult(option, None, already_saved=True)
    if result is not None:
        try:
            raise_concern(uow, external_id, "plan_misalignment", event_id=source_event,
                          excerpt=misalignment_sentence(result, option), conversation_id=conversation_id)
        except SQLAlchemyError:
            # The choice is saved; the student still hears about the mismatch. Only the flag is missing.
            logger.exception("could not raise a plan_misalignment flag")
    return PostsecondaryResult(option, result)


def career_goal_out_of_reach(session: Session, plan: Plan, option: PostsecondaryOption) -> Occupation | None:
    occupation = career_goal_occupation(session, plan)
    if occupation is None:
        return None
    return occupation if plan_reach(occupation, option.gives, option.leads_to) is Reach.BEYOND else None
