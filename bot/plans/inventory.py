"""The interest inventory in a student's plan: the next item to ask, answers, and progress."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.tables import InventoryResponse, Plan
from bot.db.unit_of_work import UnitOfWork
from bot.errors import InvalidAnswer
from bot.interests.inventory import POINTS, InventoryItem, get_item, inventory_items, parse_response
from bot.plans.services import (
    ALREADY_SAVED,
    STUDENT,
    Author,
    authored,
    liked_mentions,
    quiz_answers,
    save_once,
)
from bot.plans.view import interests_of
from bot.roster.services import get_student


@dataclass(frozen=True)
class InventoryProgress:
    next_item: InventoryItem | None
    answered: int
    total: int
    riasec: dict[str, float]
    code: str
    already_saved: bool = False

    @property
    def complete(self) -> bool:
        return self.next_item is None


def inventory_progress(uow: UnitOfWork, external_id: str, *, already_saved: bool = False) -> InventoryProgress:
    with uow:
        plan = get_student(uow.session, external_id).plan
        answers = quiz_answers(uow.session, plan)
        interests = interests_of(answers, liked_mentions(uow.session, plan))
    items = inventory_items()
    next_item = next((item for item in items if item.id not in answers), None)
    return InventoryProgress(next_item, len(answers), len(items), dict(interests.riasec), interests.code, already_saved)


def record_inventory_answer(uow: UnitOfWork, external_id: str, item_id: str | None, answer: str | None,
                            source_event: str, author: Author = STUDENT) -> InventoryProgress:
    """Saves a like / not sure / dislike (a button's value or typed words) for one item; answering again replaces it."""
    item = get_item(item_id or "")
    if item is None:
        raise InvalidAnswer("no_quiz_question", "there is no quiz question waiting for an answer")
    response = answer if answer in POINTS else parse_response(answer)
    if response is None:
        raise InvalidAnswer("unclear_choice", "the answer is not like, not sure or dislike")

    def write(session: Session, plan: Plan) -> None:
        saved = session.scalar(select(InventoryResponse).where(
            InventoryResponse.plan_id == plan.id, InventoryResponse.item_id == item.id))
        if saved is None:
            session.add(InventoryResponse(plan_id=plan.id, item_id=item.id, riasec=item.riasec, response=response,
                                          **authored(author, source_event)))
        else:
            saved.response = response

    result = save_once(uow, external_id, "inventory", f"{item.id}: {response}", source_event, author, write)
    return inventory_progress(uow, external_id, already_saved=result is ALREADY_SAVED)
