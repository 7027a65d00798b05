"""Career exploration: careers that fit the student's plan, and what a career is like."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.careers.catalog import Occupation, load_catalog, occupation_titled
from bot.careers.pay import load_pay
from bot.careers.profiles import CareerProfile, build_profile
from bot.careers.matching import CareerMatch, match_careers
from bot.db.tables import CareerInterest, Plan
from bot.db.unit_of_work import UnitOfWork
from bot.errors import InvalidAnswer
from bot.nlp.mentions import find_mentions
from bot.plans.content import postsecondary_options, work_values
from bot.plans.services import ALREADY_SAVED, STUDENT, Author, authored, plan_as_dict, revive, save_once
from bot.roster.services import get_student

@dataclass(frozen=True)
class Suggestions:
    matches: list[CareerMatch]
    code: str

    @property
    def has_interests(self) -> bool:
        return bool(self.code)


def suggest_careers(uow: UnitOfWork, external_id: str, limit: int = 5) -> Suggestions:
    with uow:
        plan = plan_as_dict(uow.session, get_student(uow.session, external_id))
        catalog = load_catalog(uow.session)
    values = [work_values()[value] for value in plan["values"] if value in work_values()]
    postsecondary = postsecondary_options().get(plan["postsecondary"] or "")
    saved = {career["onet_soc"] for career in plan["careers"]}
    matches = match_careers(plan["interests"]["riasec"], plan["interests"]["code"], values, postsecondary,
                            catalog.values(), exclude=saved, limit=limit)
    return Suggestions(matches, plan["interests"]["code"])


def find_career(uow: UnitOfWork, career_id: str | None, text: str | None) -> Occupation:
    """The career a button names (its O*NET-SOC code) or the first one the student's words mention."""
    with uow:
        catalog = load_catalog(uow.session)
    return _named_career(catalog, career_id, text)


def describe_career(uow: UnitOfWork, career_id: str | None, text: str | None) -> CareerProfile:
    """The profile of the career a button or the student's words name ("tell me more")."""
    with uow:
        catalog = load_catalog(uow.session)
        pay = load_pay(uow.session)
    return build_profile(_named_career(catalog, career_id, text), catalog, pay)


def _named_career(catalog: dict[str, Occupation], career_id: str | None, text: str | None) -> Occupation:
    if career_id and career_id in catalog:
        return catalog[career_id]
    for mention in find_mentions(text or ""):
        if mention.kind == "career" and mention.item_id in catalog:
            return catalog[mention.item_id]
    occupation = occupation_titled(catalog, text or "")
    if occupation is not None:
        return occupation
    raise InvalidAnswer("unknown_career", "no career in the catalog was named")


def save_career(uow: UnitOfWork, external_id: str, career_id: str | None, source_event: str,
                author: Author = STUDENT) -> tuple[Occupation, bool]:
    """Adds a career (a suggestion's button) to the student's careers of interest; returns it and whether it was already there."""
    occupation = find_career(uow, career_id, None)

    def write(session: Session, plan: Plan) -> bool:
        row = session.scalar(select(CareerInterest).where(
            CareerInterest.plan_id == plan.id, CareerInterest.onet_soc == occupation.onet_soc))
        if row is None:
            session.add(CareerInterest(plan_id=plan.id, onet_soc=occupation.onet_soc, title=occupation.title,
                                       **authored(author, source_event)))
            return False
        return not revive(row, author, source_event)

    result = save_once(uow, external_id, "career_saved", occupation.onet_soc, source_event, author, write)
    return occupation, result is ALREADY_SAVED or bool(result)
