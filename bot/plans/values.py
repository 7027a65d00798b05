"""Work values ranked through conversation: the student picks what matters most, then the next, and so on."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.db.tables import Plan, WorkValue, utcnow
from bot.db.unit_of_work import UnitOfWork
from bot.errors import InvalidAnswer
from bot.nlp.keywords import match_keyword
from bot.plans.answers import clean_answer
from bot.plans.content import WorkValueInfo, work_values
from bot.plans.services import ALREADY_SAVED, STUDENT, Author, authored, live, revive, save_once
from bot.roster.services import get_student


@dataclass(frozen=True)
class ValuesProgress:
    ranked: list[WorkValueInfo]
    remaining: list[WorkValueInfo]
    already_saved: bool = False

    @property
    def complete(self) -> bool:
        return not self.remaining


def values_progress(uow: UnitOfWork, external_id: str, *, already_saved: bool = False) -> ValuesProgress:
    with uow:
        student = get_student(uow.session, external_id)
        ranked_ids = [] if student.plan is None else list(uow.session.scalars(
            select(WorkValue.value).where(WorkValue.plan_id == student.plan.id, live(WorkValue))
            .order_by(WorkValue.rank)))
    catalog = work_values()
    return ValuesProgress([catalog[value] for value in ranked_ids if value in catalog],
                          [info for value, info in catalog.items() if value not in ranked_ids], already_saved)


def start_values_ranking(uow: UnitOfWork, external_id: str, source_event: str,
                         author: Author = STUDENT) -> ValuesProgress:
    """Continues a ranking in progress; a finished ranking starts over (the old one stays as history, taken back)."""
    progress = values_progress(uow, external_id)
    if not progress.complete:
        return progress

    def write(session: Session, plan: Plan) -> None:
        # The old ranking stays as history, taken back; choosing a value again brings its row back.
        session.execute(update(WorkValue).where(WorkValue.plan_id == plan.id, live(WorkValue))
                        .values(retracted_at=utcnow()))

    save_once(uow, external_id, "values_restart",
              "ranked before: " + ", ".join(info.id for info in progress.ranked), source_event, author, write)
    return values_progress(uow, external_id)


def value_named(choice: str | None) -> str | None:
    """The work value a button's id or typed words name (its name, its button's words or a keyword), if any."""
    catalog = work_values()
    if choice in catalog:
        return choice
    return match_keyword(choice or "", {info.id: (info.name, info.button, *info.keywords) for info in catalog.values()})


def record_value_choice(uow: UnitOfWork, external_id: str, choice: str | None, source_event: str,
                        author: Author = STUDENT) -> ValuesProgress:
    """Ranks the chosen value next (a button's id or typed words); the last one left is ranked with it."""
    catalog = work_values()
    value_id = value_named(clean_answer(choice))
    if value_id is None:
        raise InvalidAnswer("unclear_value", "the answer names none of the six work values")

    def write(session: Session, plan: Plan) -> None:
        rows = {row.value: row for row in session.scalars(select(WorkValue).where(WorkValue.plan_id == plan.id))}
        ranked = [value for value, row in rows.items() if row.retracted_at is None]
        if value_id in ranked:
            return
        rank = max((row.rank for row in rows.values() if row.retracted_at is None), default=0) + 1
        left = [value for value in catalog if value not in ranked and value != value_id]
        for value, its_rank in [(value_id, rank)] + ([(left[0], rank + 1)] if len(left) == 1 else []):
            if value in rows:  # ranked before and taken back: ranked again here
                revive(rows[value], author, source_event)
                rows[value].rank = its_rank
            else:
                session.add(WorkValue(plan_id=plan.id, value=value, rank=its_rank, **authored(author, source_event)))

    result = save_once(uow, external_id, "values", value_id, source_event, author, write)
    return values_progress(uow, external_id, already_saved=result is ALREADY_SAVED)
