"""The counselor's flag queue and the flag review: limited to the caseload, reads audited."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from bot.caseload import NotInCaseload, Viewer, audit_read, visible_students
from bot.db.tables import FLAG_SEVERITIES, FLAG_STATUSES, Flag, StaffUser, Student
from bot.db.unit_of_work import UnitOfWork
from bot.errors import InvalidInput
from bot.flag_words import KindWords, SeverityWords, kind_words, severity_words, what_happened
from bot.flags import NoteEntry, read_notes, update_flag
from bot.roster.services import student_id_is
from bot.safety.categories import CATEGORIES

UNRESOLVED = "unresolved"  # the queue's default: open and acknowledged
STATUS_FILTERS = (UNRESOLVED, *FLAG_STATUSES, "all")


@dataclass(frozen=True)
class QueuedFlag:
    id: int
    student_id: str
    student_name: str
    grade: int
    category: str
    severity: str
    status: str
    excerpt: str
    created_at: dt.datetime
    updated_at: dt.datetime

    # In plain words (bot.flag_words): what kind of flag, how urgent, what happened.
    @property
    def kind(self) -> KindWords:
        return kind_words(self.category)

    @property
    def severity_words(self) -> SeverityWords:
        return severity_words(self.severity)

    @property
    def what_happened(self) -> str:
        return what_happened(self.category, self.excerpt)


@dataclass(frozen=True)
class FlagQueue:
    flags: list[QueuedFlag]
    open_by_severity: dict[str, int]  # unresolved flags in the whole caseload, whatever the filters
    by_status: dict[str, int]


@dataclass(frozen=True)
class FlagReview:
    flag: QueuedFlag
    notes: list[NoteEntry]  # oldest first, each signed with its author's name
    conversation_id: str
    event_id: str | None


def flag_queue(uow: UnitOfWork, viewer: Viewer, *, category: str | None = None, status: str = UNRESOLVED,
               grade: int | None = None) -> FlagQueue:
    """The viewer's flags, urgent first then oldest first, with counts for the whole caseload."""
    if category is not None and category not in CATEGORIES:
        raise InvalidInput(f"unknown category {category!r}")
    if status not in STATUS_FILTERS:
        raise InvalidInput(f"status must be one of {', '.join(STATUS_FILTERS)}")
    severity_rank = case({name: rank for rank, name in enumerate(FLAG_SEVERITIES)}, value=Flag.severity)
    in_view = select(Flag, Student).join(Student).where(visible_students(viewer))
    query = in_view.order_by(severity_rank, Flag.created_at, Flag.id)
    if category:
        query = query.where(Flag.category == category)
    if status == UNRESOLVED:
        query = query.where(Flag.status != "resolved")
    elif status != "all":
        query = query.where(Flag.status == status)
    if grade is not None:
        query = query.where(Student.grade == grade)
    counted = select(Flag.severity, Flag.status, func.count()).join(Student).where(visible_students(viewer)) \
        .group_by(Flag.severity, Flag.status)
    with uow:
        rows = uow.session.execute(query).all()
        flags = [_queued(flag, student) for flag, student in rows]
        counts = uow.session.execute(counted).all()
        _audit_excerpts_shown(uow.session, viewer, rows)
        uow.commit()
    open_by_severity: dict[str, int] = {severity: 0 for severity in FLAG_SEVERITIES}
    by_status: dict[str, int] = {name: 0 for name in FLAG_STATUSES}
    for severity, flag_status, count in counts:
        by_status[flag_status] += count
        if flag_status != "resolved":
            open_by_severity[severity] += count
    return FlagQueue(flags, open_by_severity, by_status)


def _audit_excerpts_shown(session: Session, viewer: Viewer, rows: list[tuple[Flag, Student]]) -> None:
    """The queue shows each flag's excerpt, the student's own words: one entry per student shown, naming the flags."""
    flag_ids: dict[Student, list[int]] = {}
    for flag, student in rows:
        flag_ids.setdefault(student, []).append(flag.id)
    for student, ids in flag_ids.items():
        audit_read(session, viewer, student, "flag_queue.read", detail=", ".join(f"flag #{flag_id}" for flag_id in ids))


def review_flag(uow: UnitOfWork, viewer: Viewer, flag_id: int) -> FlagReview:
    """One flag for review; audited as a read of the student's conversation."""
    with uow:
        flag, student = _flag_in_view(uow, viewer, flag_id)
        audit_read(uow.session, viewer, student, "conversation.read", detail=f"flag #{flag.id}")
        notes = _signed_by_name(uow.session, read_notes(flag.counselor_notes))
        uow.commit()
        return FlagReview(_queued(flag, student), notes, flag.conversation_id or student.external_id, flag.event_id)


# Notes written before they were signed by name say "counselor #3": the name of staff user #3 replaces it.
_LEGACY_AUTHOR = re.compile(r"^(?P<role>counselor|admin|advisor) #(?P<id>\d+)$")


def _signed_by_name(session: Session, notes: list[NoteEntry]) -> list[NoteEntry]:
    legacy = {note.author: _LEGACY_AUTHOR.match(note.author) for note in notes}
    ids = {int(match["id"]) for match in legacy.values() if match}
    names = dict(session.execute(select(StaffUser.id, StaffUser.display_name).where(StaffUser.id.in_(ids))).all()) \
        if ids else {}
    signed = []
    for note in notes:
        match = legacy[note.author]
        if match:
            name = names.get(int(match["id"])) or "a former staff member"
            note = NoteEntry(note.at, f"{name} ({match['role']})", note.text)
        signed.append(note)
    return signed


def update_flag_in_view(uow: UnitOfWork, viewer: Viewer, flag_id: int, *, status: str | None,
                        note: str | None) -> dict:
    with uow:
        _flag_in_view(uow, viewer, flag_id)
    return update_flag(uow, flag_id, status=status, note=note, actor_role=viewer.role, actor_id=viewer.staff_id)


def _flag_in_view(uow: UnitOfWork, viewer: Viewer, flag_id: int) -> tuple[Flag, Student]:
    row = uow.session.execute(select(Flag, Student).join(Student)
                              .where(Flag.id == flag_id, visible_students(viewer))).first()
    if row is None:
        raise NotInCaseload()
    return row


def flags_of_student(uow: UnitOfWork, viewer: Viewer, external_id: str) -> list[QueuedFlag]:
    """Every flag of one student in view, newest first (the student page's flag history)."""
    query = (select(Flag, Student).join(Student).where(student_id_is(external_id), visible_students(viewer))
             .order_by(Flag.created_at.desc(), Flag.id.desc()))
    with uow:
        return [_queued(flag, student) for flag, student in uow.session.execute(query)]


def _queued(flag: Flag, student: Student) -> QueuedFlag:
    return QueuedFlag(flag.id, student.external_id, f"{student.first_name} {student.last_name}", student.grade,
                      flag.category, flag.severity, flag.status, flag.excerpt, flag.created_at, flag.updated_at)
