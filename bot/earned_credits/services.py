"""Importing transcripts (`ilp transcripts import FILE.csv`) and reading a student's earned credits.

An import is all or nothing: one bad row (unknown student, bad credits, a subject area the school does not
have) and nothing is written, so a plan never counts half a transcript. Rows are matched to the roster by
student ID in any case, as sign-in is. A course already imported for the same student, term and school year
is updated, never added twice. Each course is placed in a subject area by the file's subject_area column,
else by the catalog course its name is (data/plan/courses.yml); one placed in neither counts as an elective,
and the report lists it so the district can add the column.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import audit
from bot.csv_files import RowError
from bot.db.tables import AuditActorRole, EarnedCredit, Student
from bot.db.unit_of_work import UnitOfWork
from bot.earned_credits.csv_rows import TranscriptRow, decode_transcripts, parse_transcripts
from bot.plans.content import graduation_requirements
from bot.plans.course_names import course_of_transcript_line, subject_area_named

STUDENT_IDS_PER_QUERY = 500


@dataclass
class TranscriptImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    students: int = 0  # students whose transcript the file holds
    errors: list[RowError] = field(default_factory=list)
    counted_as_electives: Counter = field(default_factory=Counter)  # course name: rows with no subject area found

    @property
    def written(self) -> bool:
        return not self.errors


def import_transcripts(uow: UnitOfWork, data: bytes, *, actor_role: AuditActorRole = "cli", actor_id: int | None = None
                       ) -> TranscriptImportReport:
    rows, errors = parse_transcripts(decode_transcripts(data))
    report = TranscriptImportReport(errors=list(errors))
    with uow:
        session = uow.session
        students = _students(session, {row.student_id.lower() for row in rows})
        placed = []
        for row in rows:
            student = students.get(row.student_id.lower())
            if student is None:
                report.errors.append(RowError(row.line, f"no student with ID {row.student_id!r} is on the roster; "
                                                        "add them first with: ilp roster import"))
                continue
            area, course_id, problem = _place(row, student)
            if problem:
                report.errors.append(RowError(row.line, problem))
                continue
            if area is None:
                report.counted_as_electives[row.course] += 1
            placed.append((row, student, area, course_id))
        report.errors.sort(key=lambda error: error.line)
        if report.errors:
            return report  # nothing written: the unit of work rolls back
        _write(session, placed, report, actor_role, actor_id)
        uow.commit()
    return report


def _students(session: Session, lower_ids: set[str]) -> dict[str, Student]:
    ids = sorted(lower_ids)
    found: dict[str, Student] = {}
    for start in range(0, len(ids), STUDENT_IDS_PER_QUERY):
        chunk = ids[start:start + STUDENT_IDS_PER_QUERY]
        for student in session.scalars(select(Student).where(func.lower(Student.external_id).in_(chunk))):
            found[student.external_id.lower()] = student
    return found


def _place(row: TranscriptRow, student: Student) -> tuple[str | None, str | None, str]:
    """The row's subject area and catalog course id, or the reason the subject area cannot be used."""
    requirements = graduation_requirements(student.school.name)
    course = course_of_transcript_line(row.course)
    if row.subject_area:
        area = subject_area_named(row.subject_area, requirements)
        if area is None:
            return None, None, (f"subject_area {row.subject_area!r} is not one of {requirements.name}'s subject "
                                "areas: " + ", ".join(f"{name} ({area_id})"
                                                      for area_id, name in requirements.area_names.items()))
        return area, course.id if course else None, ""
    if course is None:
        return None, None, ""
    return (course.subject_area if course.subject_area in requirements.credits_by_area else None), course.id, ""


def _write(session: Session, placed: list, report: TranscriptImportReport, actor_role: AuditActorRole,
           actor_id: int | None) -> None:
    student_ids = {student.id for _, student, _, _ in placed}
    existing = {}
    for start in range(0, len(student_ids), STUDENT_IDS_PER_QUERY):
        chunk = sorted(student_ids)[start:start + STUDENT_IDS_PER_QUERY]
        for earned in session.scalars(select(EarnedCredit).where(EarnedCredit.student_id.in_(chunk))):
            existing[(earned.student_id, earned.course.lower(), earned.term.lower(), earned.school_year)] = earned
    changed: Counter = Counter()
    for row, student, area, course_id in placed:
        wanted = dict(course=row.course, course_id=course_id, subject_area=area, credits=float(row.credits),
                      grade=row.grade, term=row.term, school_year=row.school_year, mark=row.mark or None)
        earned = existing.get((student.id, row.course.lower(), row.term.lower(), row.school_year))
        if earned is None:
            session.add(EarnedCredit(student_id=student.id, **wanted))
            report.added += 1
            changed[student.id] += 1
        elif any(getattr(earned, key) != value for key, value in wanted.items()):
            for key, value in wanted.items():
                setattr(earned, key, value)
            report.updated += 1
            changed[student.id] += 1
        else:
            report.unchanged += 1
    report.students = len(student_ids)
    for student_id, courses in sorted(changed.items()):
        audit.record(session, actor_role=actor_role, actor_id=actor_id, action="transcript.imported",
                     student_id=student_id, detail=f"{courses} course(s) added or updated")


@dataclass(frozen=True)
class EarnedCourse:
    course: str
    course_id: str | None
    subject_area: str | None
    credits: float
    grade: int
    term: str
    school_year: str
    mark: str | None


def earned_courses(session: Session, student_ids: list[int]) -> dict[int, list[EarnedCourse]]:
    """Each student's transcript (by student row id), oldest school year first."""
    found: dict[int, list[EarnedCourse]] = {student_id: [] for student_id in student_ids}
    if not student_ids:
        return found
    query = (select(EarnedCredit).where(EarnedCredit.student_id.in_(student_ids))
             .order_by(EarnedCredit.school_year, EarnedCredit.grade, EarnedCredit.id))
    for row in session.scalars(query):
        found[row.student_id].append(EarnedCourse(row.course, row.course_id, row.subject_area, float(row.credits),
                                                  row.grade, row.term, row.school_year, row.mark))
    return found
