"""Plan use cases: primitives in, primitives out. Writes are idempotent per conversation event."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import audit
from bot.careers.catalog import Occupation, load_catalog, occupation_titled
from bot.db.tables import (
    Answer,
    AuditActorRole,
    AuthorRole,
    CareerInterest,
    Goal,
    InterestMention,
    InventoryResponse,
    Plan,
    Student,
    utcnow,
)
from bot.db.unit_of_work import UnitOfWork
from bot.errors import InvalidAnswer, UnknownStudent
from bot.interests.reader import InterestReading, read_interest
from bot.nlp.mentions import Mention, distinct_items, find_mentions
from bot.plans.answers import clean_answer, clean_statement
from bot.plans.readings import starts_unsure
from bot.plans.view import STATEMENT, PlanView, plan_json, plan_view, quiz_answers_by_item
from bot.roster.services import find_student, get_student

Recogniser = Callable[[str], Iterable[Mention]]
InterestReader = Callable[[str], InterestReading]


@dataclass(frozen=True)
class Author:
    role: AuthorRole = "student"
    staff_id: int | None = None


STUDENT = Author()


@dataclass
class SavedAnswer:
    """What a write saved; `already_saved` is true when the same event was saved before (a retry)."""

    topic: str
    mentions: list[Mention] = field(default_factory=list)
    careers: list[str] = field(default_factory=list)
    placed: str | None = None  # the RIASEC type the interest reader placed a statement in
    already_saved: bool = False


def get_or_create_plan(session: Session, student: Student) -> Plan:
    query = select(Plan).where(Plan.student_id == student.id)
    plan = session.scalar(query)
    if plan is None:
        try:
            with session.begin_nested():
                plan = Plan(student_id=student.id)
                session.add(plan)
        except IntegrityError:
            # Another conversation turn created it first.
            plan = session.scalar(query)
    return plan


def record_interest_statement(uow: UnitOfWork, external_id: str, text: str, source_event: str,
                              author: Author = STUDENT, recognise: Recogniser = find_mentions,
                              read: InterestReader = read_interest) -> SavedAnswer:
    """Saves a free-text interest ("I love fixing engines") as given, every liked item it mentions, and
    the type the interest reader places it in when it is sure and no mention already carries that type.

    An unsure answer that names nothing ("idk", "idk what i want to do") is not kept: InvalidAnswer "unsure".
    """
    text = clean_statement(text)
    mentions = distinct_items([mention for mention in recognise(text) if not mention.disliked])
    placed = read(text).placed
    if starts_unsure(text) and not mentions and not placed:
        raise InvalidAnswer("unsure", "the student says they do not know, and names nothing they like")

    def write(session: Session, plan: Plan) -> SavedAnswer:
        named = mentions or [career for career in _imported_career_named(session, text) if career.riasec]
        for mention in named:
            session.add(InterestMention(plan_id=plan.id, kind=mention.kind, item_id=mention.item_id,
                                        label=mention.label, riasec=mention.riasec, **authored(author, source_event)))
        if placed and placed not in {mention.riasec for mention in named}:
            session.add(InterestMention(plan_id=plan.id, kind=STATEMENT, item_id=STATEMENT, label=text[:200],
                                        riasec=placed, **authored(author, source_event)))
        return SavedAnswer("interest_statement", mentions=named, placed=placed)

    return _save_answer(uow, external_id, "interest_statement", text, source_event, author, write)


def record_career_goal(uow: UnitOfWork, external_id: str, text: str, source_event: str,
                       author: Author = STUDENT, recognise: Recogniser = find_mentions) -> SavedAnswer:
    """Saves a career the student named: it joins their careers of interest and becomes their career goal."""
    text = clean_answer(text)
    careers = _careers_named(text, recognise)

    def write(session: Session, plan: Plan) -> SavedAnswer:
        named = careers or _imported_career_named(session, text)
        _add_careers(session, plan, named, author, source_event)
        if named:
            set_career_goal(session, plan, named[0].label, author, source_event)
        return SavedAnswer("career_goal", mentions=named, careers=[career.label for career in named])

    return _save_answer(uow, external_id, "career_goal", text, source_event, author, write)


def record_career_goal_in_words(uow: UnitOfWork, external_id: str, words: str, source_event: str,
                                author: Author = STUDENT) -> SavedAnswer:
    """Makes a career the catalog does not know ("mecánico de carros") the career goal, in the student's words;
    the actions ask first. No career joins the saved careers: there is no occupation to point to."""
    words = clean_answer(words)

    def write(session: Session, plan: Plan) -> SavedAnswer:
        set_career_goal(session, plan, words, author, source_event)
        return SavedAnswer("career_goal", careers=[words])

    return _save_answer(uow, external_id, "career_goal", words, source_event, author, write)


def record_careers_to_explore(uow: UnitOfWork, external_id: str, text: str, source_event: str,
                              author: Author = STUDENT, recognise: Recogniser = find_mentions) -> SavedAnswer:
    """Saves the careers a student wants to look into; unlike a career goal, none becomes the goal."""
    text = clean_answer(text)
    careers = _careers_named(text, recognise)

    def write(session: Session, plan: Plan) -> SavedAnswer:
        named = careers or _imported_career_named(session, text)
        _add_careers(session, plan, named, author, source_event)
        return SavedAnswer("careers_to_explore", mentions=named, careers=[career.label for career in named])

    return _save_answer(uow, external_id, "careers_to_explore", text, source_event, author, write)


def careers_named_in(uow: UnitOfWork, text: str, recognise: Recogniser = find_mentions) -> list[Mention]:
    """The careers the words name (the catalog's and imported ones), without saving anything."""
    text = clean_answer(text)
    careers = _careers_named(text, recognise)
    if careers:
        return careers
    with uow:
        return _imported_career_named(uow.session, text)


def _careers_named(text: str, recognise: Recogniser) -> list[Mention]:
    return distinct_items([mention for mention in recognise(text) if mention.kind == "career" and not mention.disliked])


def _imported_career_named(session: Session, text: str) -> list[Mention]:
    """An occupation imported from O*NET that the text names by its title (the spaCy pipeline knows only
    the shipped catalog)."""
    occupation = occupation_titled(load_catalog(session), text)
    if occupation is None:
        return []
    return [Mention("career", occupation.onet_soc, occupation.title, (occupation.riasec or "")[:1], occupation.title)]


def _add_careers(session: Session, plan: Plan, careers: list[Mention], author: Author, source_event: str) -> None:
    saved = {row.onet_soc: row for row in session.scalars(select(CareerInterest).where(CareerInterest.plan_id == plan.id))}
    for career in careers:
        if career.item_id in saved:
            revive(saved[career.item_id], author, source_event)
        else:
            saved[career.item_id] = CareerInterest(plan_id=plan.id, onet_soc=career.item_id, title=career.label,
                                                   **authored(author, source_event))
            session.add(saved[career.item_id])


def revive(row, author: Author, source_event: str | None) -> bool:
    """An item saved again after it was taken back (a row its table keeps one of) is live again, now from
    this event; the earlier answer stays taken back in the history. Returns whether the row was taken back."""
    if row.retracted_at is None:
        return False
    row.retracted_at = None
    row.created_at = utcnow()
    row.author_role, row.author_staff_id, row.source_event = author.role, author.staff_id, source_event
    return True


def live(table):
    """The condition selecting a table's rows not taken back."""
    return table.retracted_at.is_(None)


def set_career_goal(session: Session, plan: Plan, title: str, author: Author, source_event: str | None) -> None:
    """Makes `title` the active career goal; an earlier one is kept as "replaced", so the history stays."""
    active = list(session.scalars(select(Goal).where(Goal.plan_id == plan.id, Goal.kind == "career",
                                                     Goal.status == "active", live(Goal))))
    if any(goal.text == title for goal in active):
        return
    for goal in active:
        goal.status = "replaced"
    session.add(Goal(plan_id=plan.id, kind="career", text=title, status="active", **authored(author, source_event)))


def career_goal_occupation(session: Session, plan: Plan) -> Occupation | None:
    """The catalog occupation of the active career goal, else of the career saved last."""
    goal = session.scalars(select(Goal).where(Goal.plan_id == plan.id, Goal.kind == "career", Goal.status == "active",
                                              live(Goal)).order_by(Goal.id.desc())).first()
    query = select(CareerInterest.onet_soc).where(CareerInterest.plan_id == plan.id, live(CareerInterest))
    onet_soc = session.scalar(query.where(CareerInterest.title == goal.text)) if goal else None
    onet_soc = onet_soc or session.scalars(query.order_by(CareerInterest.id.desc())).first()
    return load_catalog(session).get(onet_soc or "")


ALREADY_SAVED = object()
T = TypeVar("T")


def save_once(uow: UnitOfWork, external_id: str, topic: str, text: str, source_event: str, author: Author,
              write: Callable[[Session, Plan], T]) -> T | object:
    """Saves the answer as given plus what `write` derives from it, once per conversation event.

    Returns what `write` returned, or ALREADY_SAVED when this event was saved before (a retried action).
    """
    with uow:
        session = uow.session
        plan = get_or_create_plan(session, get_student(session, external_id))
        if _already_saved(session, plan.id, topic, source_event):
            return ALREADY_SAVED
        session.add(Answer(plan_id=plan.id, topic=topic, text=text, **authored(author, source_event)))
        result = write(session, plan)
        plan.updated_at = utcnow()
        try:
            uow.commit()
        except IntegrityError:
            # The same event was saved concurrently by a retried action: that write won, nothing is lost.
            uow.session.rollback()
            if _already_saved(uow.session, plan.id, topic, source_event):
                return ALREADY_SAVED
            raise
        return result


def _save_answer(uow: UnitOfWork, external_id: str, topic: str, text: str, source_event: str, author: Author,
                 write: Callable[[Session, Plan], SavedAnswer]) -> SavedAnswer:
    result = save_once(uow, external_id, topic, text, source_event, author, write)
    return SavedAnswer(topic, already_saved=True) if result is ALREADY_SAVED else result


def _already_saved(session: Session, plan_id: int, topic: str, source_event: str) -> bool:
    return session.scalar(select(Answer.id).where(
        Answer.plan_id == plan_id, Answer.topic == topic, Answer.source_event == source_event)) is not None


def authored(author: Author, source_event: str | None) -> dict:
    return {"author_role": author.role, "author_staff_id": author.staff_id, "source_event": source_event}


def quiz_answers(session: Session, plan: Plan | None) -> dict[str, tuple[str, str]]:
    """The student's quiz answers: item id -> (RIASEC type, response), for items still in the quiz."""
    if plan is None:
        return {}
    return quiz_answers_by_item(session.scalars(select(InventoryResponse).where(InventoryResponse.plan_id == plan.id,
                                                                                live(InventoryResponse))))


def liked_mentions(session: Session, plan: Plan | None) -> list[InterestMention]:
    if plan is None:
        return []
    return list(session.scalars(
        select(InterestMention).where(InterestMention.plan_id == plan.id, live(InterestMention))
        .order_by(InterestMention.id)))


def plan_as_dict(session: Session, student: Student) -> dict:
    """The plan in the stable JSON shape documented in README (`ilp plan show --json`)."""
    return plan_json(plan_view(session, student))


def show_plan(uow: UnitOfWork, external_id: str, *, reader_role: AuditActorRole, reader_id: int | None = None) -> dict:
    """A staff read of a student's plan: returns it and writes the read to the audit log."""
    with uow:
        student = find_student(uow.session, external_id)  # staff type the ID: any case
        if student is None:
            raise UnknownStudent(external_id)
        plan = plan_as_dict(uow.session, student)
        audit.record(uow.session, actor_role=reader_role, actor_id=reader_id, action="plan.read", student_id=student.id)
        uow.commit()
        return plan


def student_plan(uow: UnitOfWork, external_id: str) -> dict:
    """The student's own plan as its JSON (see `student_plan_view`)."""
    return plan_json(student_plan_view(uow, external_id))


def student_plan_view(uow: UnitOfWork, external_id: str) -> PlanView:
    """The student's own plan (a student reading their own plan is not a staff read)."""
    with uow:
        return plan_view(uow.session, get_student(uow.session, external_id))

