"""The audit log: every staff read or change of a student's record leaves an entry."""
from __future__ import annotations

from sqlalchemy.orm import Session

from bot.db.tables import AuditEntry


def record(session: Session, *, actor_role: str, action: str, actor_id: int | None = None,
           student_id: int | None = None, detail: str = "") -> None:
    session.add(AuditEntry(actor_role=actor_role, actor_id=actor_id, action=action,
                           student_id=student_id, detail=detail[:500]))
