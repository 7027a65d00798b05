"""The audit log: every staff read or change of a student's record leaves an entry."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from bot.db.tables import AuditActorRole, AuditEntry, StaffUser, Student
from bot.db.unit_of_work import UnitOfWork


def record(session: Session, *, actor_role: AuditActorRole, action: str, actor_id: int | None = None,
           student_id: int | None = None, detail: str = "") -> None:
    session.add(AuditEntry(actor_role=actor_role, actor_id=actor_id, action=action,
                           student_id=student_id, detail=detail[:500]))


@dataclass(frozen=True)
class AuditRow:
    at: dt.datetime
    actor: str
    actor_role: AuditActorRole
    action: str
    student_id: str | None
    detail: str


def school_entries(uow: UnitOfWork, school_id: int | None, *, limit: int = 200,
                   action: str | None = None) -> list[AuditRow]:
    """The newest entries about the school's students, or about no student by the school's staff (the
    admin's audit page). An admin of no school sees none: every student belongs to some school."""
    if school_id is None:
        return []
    query = (select(AuditEntry, StaffUser.email, Student.external_id)
             .outerjoin(StaffUser, StaffUser.id == AuditEntry.actor_id)
             .outerjoin(Student, Student.id == AuditEntry.student_id)
             .where(or_(Student.school_id == school_id,
                        and_(AuditEntry.student_id.is_(None), StaffUser.school_id == school_id)))
             .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()).limit(limit))
    if action:
        query = query.where(AuditEntry.action == action)
    with uow:
        return [AuditRow(entry.created_at, email or "-", entry.actor_role, entry.action, external_id, entry.detail)
                for entry, email, external_id in uow.session.execute(query)]
