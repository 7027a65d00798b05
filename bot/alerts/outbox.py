"""The outbox: urgent alerts written in their flag's transaction, so none is lost before delivery."""
from __future__ import annotations

import datetime as dt
import json
import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.config import get_settings
from bot.db.tables import AlertOutbox, Flag, Student, utcnow
from bot.db.unit_of_work import UnitOfWork


def enqueue_urgent_alert(session: Session, flag: Flag, student: Student, *, event_id: str | None,
                         repeat: bool) -> AlertOutbox:
    """Adds the alert for `flag` to the session; the caller's single commit writes flag and alert together."""
    session.flush()  # a new flag gets its id, which the payload links to
    created_at = utcnow()
    payload = alert_payload(flag, student, delivery_id=str(uuid.uuid4()), repeat=repeat, created_at=created_at,
                            staff_url=get_settings().staff_url)
    row = AlertOutbox(flag_id=flag.id, event_id=event_id, payload=json.dumps(payload, sort_keys=True),
                      created_at=created_at, next_attempt_at=created_at)
    session.add(row)
    return row


def alert_payload(flag: Flag, student: Student, *, delivery_id: str, repeat: bool, created_at: dt.datetime,
                  staff_url: str) -> dict:
    """Only what a counselor needs to act. The student's words (the flag's excerpt) are left out on
    purpose: a chat channel or mailbox is not the place for them, and the link leads to them behind sign-in."""
    return {
        "delivery_id": delivery_id,
        "flag_id": flag.id,
        "category": flag.category,
        "severity": flag.severity,
        "repeat": repeat,
        "student_id": student.external_id,
        "student_name": f"{student.first_name} {student.last_name}",
        "grade": student.grade,
        "school": student.school.name,
        "counselor_email": student.counselor.email if student.counselor else None,
        "created_at": _iso(created_at),
        "url": f"{staff_url}/staff/flags/{flag.id}#flagged-turn",  # the flag page, opened at the flagged message
    }


def delivery_id(payload: str) -> str:
    return json.loads(payload)["delivery_id"]


def count_pending(uow: UnitOfWork) -> int:
    with uow:
        return uow.session.scalar(select(func.count(AlertOutbox.id)).where(AlertOutbox.delivered_at.is_(None)))


def list_alerts(uow: UnitOfWork, *, pending_only: bool = False) -> list[dict]:
    """Outbox rows, oldest first, in the stable shape of `ilp alerts list --json` (no payload: ids only)."""
    query = select(AlertOutbox).order_by(AlertOutbox.created_at, AlertOutbox.id)
    if pending_only:
        query = query.where(AlertOutbox.delivered_at.is_(None))
    with uow:
        return [
            {"delivery_id": delivery_id(row.payload), "flag_id": row.flag_id, "attempts": row.attempts,
             "created_at": _iso(row.created_at),
             "next_attempt_at": None if row.delivered_at else _iso(row.next_attempt_at),
             "delivered_at": _iso(row.delivered_at), "last_error": row.last_error}
            for row in uow.session.scalars(query)
        ]


def _iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.isoformat() + "Z"
