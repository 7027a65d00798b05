"""Deleting one student's data everywhere, and deleting old conversation text (transcript retention).

A student's data lives in two databases: the plan database (roster row, plan, plan items, flags,
alerts) and Rasa's tracker store (every event of their conversation). A deletion is two
transactions: the plan rows are deleted first but committed last, after the conversation is gone,
so a tracker failure deletes nothing, and a failed final commit leaves the student on the roster
for the deletion to be run again.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import Table, delete, inspect, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import ColumnElement

from bot import audit
from bot.db.engine import get_engine
from bot.db.tables import AdvisorSession, AuditActorRole, Student, metadata
from bot.db.unit_of_work import UnitOfWork
from bot.errors import InvalidInput
from bot.roster.services import get_student
from bot.safety.sweep import rasa_events

SECONDS_PER_DAY = 24 * 3600


@dataclass(frozen=True)
class DeletionReport:
    """Rows deleted: per plan database table (every table that can hold the student's rows), and tracker events."""

    plan_rows: dict[str, int]
    events: int

    def summary(self) -> str:
        """Counts only, never who: `students 1, plans 1, answers 3, ..., events 5` (empty tables left out)."""
        counts = [f"{table} {count}" for table, count in self.plan_rows.items() if count]
        return ", ".join([*counts, f"events {self.events}"])


def delete_student(plan_uow: UnitOfWork, tracker_url: str, external_id: str, *, actor_role: AuditActorRole,
                   actor_id: int | None) -> DeletionReport:
    """Deletes the student's roster row, plan and plan items, flags and alerts, advisor sessions, and their
    Rasa conversations (their own and their advisor sessions').

    Raises UnknownStudent when the ID is not on the roster. Writes one audit entry with counts only:
    neither the student's ID nor their name is kept anywhere.
    """
    with plan_uow:
        session = plan_uow.session
        student = get_student(session, external_id)
        # The student's own conversation and every advisor session about them (its own Rasa conversation).
        conversations = [student.external_id, *session.scalars(
            select(AdvisorSession.conversation_id).where(AdvisorSession.student_id == student.id))]
        owned = _rows_owned_by(student.id)
        deleted = {table.name: session.execute(delete(table).where(rows)).rowcount
                   for table, rows in reversed(owned)}  # children first, while their parents still select them
        events = _delete_events(get_engine(tracker_url), rasa_events.c.sender_id.in_(conversations))
        report = DeletionReport(plan_rows={table.name: deleted[table.name] for table, _ in owned}, events=events)
        audit.record(session, actor_role=actor_role, actor_id=actor_id, action="student.deleted",
                     detail=f"deleted {report.summary()}")
        plan_uow.commit()
    return report


def apply_retention(tracker_url: str, days: int, *, plan_uow: UnitOfWork, now: float | None = None) -> int:
    """Deletes tracker events older than `days` days and returns how many; plan data is untouched.

    Rasa stores an event's `timestamp` as seconds since the epoch. The run is audited in the plan database.
    """
    if days < 1:
        raise InvalidInput(f"the retention period is at least 1 day (got {days})")
    cutoff = (time.time() if now is None else now) - days * SECONDS_PER_DAY
    deleted = _delete_events(get_engine(tracker_url), rasa_events.c.timestamp < cutoff)
    with plan_uow:
        audit.record(plan_uow.session, actor_role="system", action="transcripts.retention",
                     detail=f"deleted {deleted} events older than {days} days")
        plan_uow.commit()
    return deleted


def _rows_owned_by(student_id: int) -> list[tuple[Table, ColumnElement]]:
    """Every plan database table that holds the student's rows, parents first, with a condition selecting them.

    Follows the schema's ON DELETE CASCADE foreign keys from `students` (plans, their items, goal
    steps, flags, alert outbox rows), so a table added later is deleted and counted without a change here.
    """
    students = Student.__table__
    owned: dict[Table, ColumnElement] = {students: students.c.id == student_id}
    for table in metadata.sorted_tables:  # a parent always comes before its children
        links = [fk.parent.in_(select(fk.column).where(owned[fk.column.table]))
                 for fk in table.foreign_keys if fk.ondelete == "CASCADE" and fk.column.table in owned]
        if links and table is not students:
            owned[table] = or_(*links)
    return list(owned.items())


def _delete_events(engine: Engine, which: ColumnElement) -> int:
    """Deletes matching rows of the tracker store's `events` table in their own transaction."""
    if not inspect(engine).has_table(rasa_events.name):
        return 0  # Rasa has not stored a conversation yet
    with engine.begin() as connection:
        return connection.execute(delete(rasa_events).where(which)).rowcount
