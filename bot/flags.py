"""Flags for counselor follow-up: raise one (repeats attach to the open flag), list them, update them.

Raising an urgent flag also writes its alert to the outbox in the same transaction (bot.alerts).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import case, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import audit
from bot.alerts.outbox import enqueue_urgent_alert
from bot.db.tables import FLAG_SEVERITIES, FLAG_STATUSES, AlertOutbox, Flag, StaffRole, StaffUser, Student, utcnow
from bot.db.unit_of_work import UnitOfWork
from bot.errors import InvalidInput
from bot.roster.services import get_student
from bot.safety.categories import CATEGORIES
from bot.text import without_control_characters

MAX_EXCERPT_CHARS = 300
MAX_NOTE_CHARS = 2000
# Community advisors are volunteers: they raise concerns through a session but never review or close them.
FLAG_REVIEWERS: tuple[StaffRole, ...] = ("counselor", "admin")


def raise_flag(uow: UnitOfWork, external_id: str, *, category: str, severity: str, excerpt: str = "",
               conversation_id: str | None = None, event_id: str | None = None) -> int:
    """Creates a flag, or attaches a follow-up to the student's open flag of the same category; returns its id.

    An urgent event is always a flag of its own, with its own words, at the top of the queue: folded
    into an open flag's notes, a real crisis would hide behind one a counselor is clearing as a false
    alarm. A retry of the same conversation event writes nothing and returns the same id. An urgent
    flag queues an alert that commits with it, so the alert survives a receiver or process that dies;
    the alert says `repeat` when the student has another open flag of the category.
    """
    if severity not in FLAG_SEVERITIES:
        raise InvalidInput(f"severity must be one of {', '.join(FLAG_SEVERITIES)}")
    # A crisis flag must never fail on a NUL byte PostgreSQL refuses.
    excerpt = without_control_characters(excerpt).strip()[:MAX_EXCERPT_CHARS]
    with uow:
        session = uow.session
        student = get_student(session, external_id)
        if event_id is not None:
            earlier = _flag_for_event(session, student.id, category, event_id)
            if earlier is not None:
                return earlier
        flag = session.scalars(select(Flag).where(Flag.student_id == student.id, Flag.category == category,
                                                  Flag.status != "resolved").order_by(Flag.id.desc())).first()
        repeat = flag is not None
        if flag is None or severity == "urgent":
            flag = Flag(student_id=student.id, category=category, severity=severity, excerpt=excerpt,
                        conversation_id=conversation_id, event_id=event_id)
            session.add(flag)
        else:
            if FLAG_SEVERITIES.index(severity) < FLAG_SEVERITIES.index(flag.severity):
                flag.severity = severity
            flag.counselor_notes += note_entry(utcnow(), REPEATED, excerpt)
            flag.updated_at = utcnow()
        if severity == "urgent":
            enqueue_urgent_alert(session, flag, student, event_id=event_id, repeat=repeat)
        try:
            uow.commit()
        except IntegrityError:
            # A concurrent retry of the same event queued this alert first: nothing is lost.
            session.rollback()
            earlier = _flag_for_event(session, student.id, category, event_id) if event_id is not None else None
            if earlier is None:
                raise
            return earlier
        return flag.id


def _flag_for_event(session: Session, student_id: int, category: str, event_id: str) -> int | None:
    """The flag an earlier try of this event raised, or attached an urgent alert to."""
    same_flag = (Flag.student_id == student_id, Flag.category == category)
    return (session.scalar(select(Flag.id).where(*same_flag, Flag.event_id == event_id))
            or session.scalar(select(AlertOutbox.flag_id).join(Flag).where(*same_flag, AlertOutbox.event_id == event_id)))


def raise_concern(uow: UnitOfWork, student_id: str, category: str, *, excerpt: str, event_id: str,
                  conversation_id: str | None = None) -> int:
    """Flags a concern found in a conversation (the student's own unless another is named), at the category's severity."""
    return raise_flag(uow, student_id, category=category, severity=CATEGORIES[category].severity, excerpt=excerpt,
                      conversation_id=conversation_id or student_id, event_id=event_id)


def update_flag(uow: UnitOfWork, flag_id: int, *, status: str | None = None, note: str | None = None,
                actor_role: StaffRole, actor_id: int | None) -> dict:
    """Moves a flag forward (open, acknowledged, resolved) and/or appends a dated note; returns the flag.

    The change is audited with ids only; the note's words stay in the flag.
    """
    if status is not None and status not in FLAG_STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(FLAG_STATUSES)} (got {status!r})")
    if actor_role not in FLAG_REVIEWERS:
        raise InvalidInput(f"only counselors and admins update flags (got {actor_role!r})")
    note = (note or "").strip()
    if len(note) > MAX_NOTE_CHARS:
        raise InvalidInput(f"a note has at most {MAX_NOTE_CHARS} characters")
    if status is None and not note:
        raise InvalidInput("give a new status, a note, or both")
    with uow:
        session = uow.session
        flag = session.get(Flag, flag_id)
        if flag is None:
            raise InvalidInput(f"no flag #{flag_id}")
        changes = []
        if status is not None and status != flag.status:
            if FLAG_STATUSES.index(status) < FLAG_STATUSES.index(flag.status):
                raise InvalidInput(f"flag #{flag_id} is {flag.status} and cannot go back to {status}")
            changes.append(f"status {flag.status} -> {status}")
            flag.status = status
        if note:
            flag.counselor_notes += note_entry(utcnow(), _author(session, actor_role, actor_id), note)
            changes.append("note added")
        if changes:
            flag.updated_at = utcnow()
            audit.record(session, actor_role=actor_role, actor_id=actor_id, action="update_flag",
                         student_id=flag.student_id, detail=f"flag #{flag.id}: {', '.join(changes)}")
            uow.commit()
        return {**_as_dict(flag, flag.student.external_id), "counselor_notes": flag.counselor_notes}


def _author(session: Session, role: str, staff_id: int | None) -> str:
    """A note is signed with the staff member's name and role ("Pat Rivera (counselor)")."""
    user = session.get(StaffUser, staff_id) if staff_id is not None else None
    return f"{user.display_name} ({role})" if user is not None and user.display_name else role


# --- the notes: one text column, an entry per note -------------------------------------------------
# "[2026-12-08 14:05] Pat Rivera (counselor): Called home.\n". A line of a note's own starts with two spaces,
# so no note can begin a line that reads as another entry (and another author).
REPEATED = "repeated"  # the author of an entry the student's repeat of an open flag's concern added
_ENTRY = re.compile(r"^\[(?P<at>\d{4}-\d\d-\d\d \d\d:\d\d)\] (?P<author>[^:\n]*): ?(?P<text>.*)$")


@dataclass(frozen=True)
class NoteEntry:
    at: dt.datetime | None
    author: str
    text: str

    @property
    def is_repeat(self) -> bool:
        return self.author == REPEATED


def note_entry(at: dt.datetime, author: str, text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return f"[{at:%Y-%m-%d %H:%M}] {author}: " + "\n  ".join(lines) + "\n"


def read_notes(notes: str) -> list[NoteEntry]:
    """The entries of a flag's notes, oldest first; a line that starts no entry continues the one before."""
    entries: list[NoteEntry] = []
    for line in (notes or "").splitlines():
        entry = _ENTRY.match(line)
        if entry:
            entries.append(NoteEntry(dt.datetime.strptime(entry["at"], "%Y-%m-%d %H:%M"), entry["author"].strip(),
                                     entry["text"]))
        elif entries:
            last = entries[-1]
            entries[-1] = NoteEntry(last.at, last.author, last.text + "\n" + line.removeprefix("  "))
        elif line.strip():
            entries.append(NoteEntry(None, "", line))
    return entries


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
        return [_as_dict(flag, external_id) for flag, external_id in uow.session.execute(query)]


def _as_dict(flag: Flag, external_id: str) -> dict:
    return {"id": flag.id, "student_id": external_id, "category": flag.category, "severity": flag.severity,
            "status": flag.status, "excerpt": flag.excerpt, "created_at": flag.created_at.isoformat() + "Z",
            "updated_at": flag.updated_at.isoformat() + "Z"}
