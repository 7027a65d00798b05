"""Flags for counselor follow-up: raise one (repeats attach to the open flag), list them."""
from __future__ import annotations

from sqlalchemy import case, select

from bot.db.tables import FLAG_SEVERITIES, FLAG_STATUSES, Flag, Student, utcnow
from bot.db.unit_of_work import UnitOfWork
from bot.errors import InvalidInput
from bot.roster.services import get_student

MAX_EXCERPT_CHARS = 300


def raise_flag(uow: UnitOfWork, external_id: str, *, category: str, severity: str, excerpt: str = "",
               conversation_id: str | None = None, event_id: str | None = None) -> int:
    """Creates a flag, or attaches to the student's open flag of the same category; returns its id."""
    if severity not in FLAG_SEVERITIES:
        raise InvalidInput(f"severity must be one of {', '.join(FLAG_SEVERITIES)}")
    excerpt = excerpt.strip()[:MAX_EXCERPT_CHARS]
    with uow:
        session = uow.session
        student = get_student(session, external_id)
        flag = session.scalar(select(Flag).where(Flag.student_id == student.id, Flag.category == category,
                                                 Flag.status != "resolved"))
        if flag is None:
            flag = Flag(student_id=student.id, category=category, severity=severity, excerpt=excerpt,
                        conversation_id=conversation_id, event_id=event_id)
            session.add(flag)
        else:
            if FLAG_SEVERITIES.index(severity) < FLAG_SEVERITIES.index(flag.severity):
                flag.severity = severity
            flag.counselor_notes += f"[{utcnow():%Y-%m-%d %H:%M}] repeated: {excerpt}\n"
            flag.updated_at = utcnow()
        uow.commit()
        return flag.id


def list_flags(uow: UnitOfWork, *, status: str | None = None, severity: str | None = None) -> list[dict]:
    """Flags, urgent first then oldest first, in the stable shape of `ilp flags list --json`."""
    if status is not None and status not in FLAG_STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(FLAG_STATUSES)} (got {status!r})")
    if severity is not None and severity not in FLAG_SEVERITIES:
        raise InvalidInput(f"severity must be one of {', '.join(FLAG_SEVERITIES)} (got {severity!r})")
    severity_order = case({name: rank for rank, name in enumerate(FLAG_SEVERITIES)}, value=Flag.severity)
    query = select(Flag, Student.external_id).join(Student).order_by(severity_order, Flag.created_at, Flag.id)
    if status:
        query = query.where(Flag.status == status)
    if severity:
        query = query.where(Flag.severity == severity)
    with uow:
        return [
            {"id": flag.id, "student_id": external_id, "category": flag.category, "severity": flag.severity,
             "status": flag.status, "excerpt": flag.excerpt, "created_at": flag.created_at.isoformat() + "Z",
             "updated_at": flag.updated_at.isoformat() + "Z"}
            for flag, external_id in uow.session.execute(query)
        ]
