"""The course plan: a schedule per high school grade, aligned to the career goal and counted against the
school's graduation requirements (data/schools/) together with the credits the transcript shows earned."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.careers.catalog import Occupation
from bot.db.tables import CoursePlanEntry, Plan
from bot.db.unit_of_work import UnitOfWork
from bot.earned_credits.services import earned_courses
from bot.plans.content import Course, course_pathways, courses, graduation_requirements
from bot.plans.credit_count import AreaCount, CreditCount, PlannedCourse, count_credits
from bot.plans.services import ALREADY_SAVED, STUDENT, Author, authored, career_goal_occupation, save_once
from bot.roster.services import get_student

HIGH_SCHOOL_GRADES = (9, 10, 11, 12)


@dataclass(frozen=True)
class CoursePlanProposal:
    career: Occupation | None
    by_grade: dict[int, list[Course]]
    credits: CreditCount  # earned, planned (with these courses added) and still needed

    @property
    def shortfalls(self) -> tuple[AreaCount, ...]:
        """What the plan would still miss after adding these; empty when earned credits are unknown."""
        return self.credits.shortfalls


def propose_courses(grade: int, cluster: str | None, planned: dict[int, set[str]],
                    earned: frozenset[str] = frozenset()) -> dict[int, list[Course]]:
    """Core courses plus one elective for the career's cluster in every grade left, skipping what is planned
    or already earned (catalog ids)."""
    catalog = courses()
    core, electives = course_pathways()
    taken = {course_id for ids in planned.values() for course_id in ids} | set(earned)
    proposal: dict[int, list[Course]] = {}
    for year in HIGH_SCHOOL_GRADES:
        if year < grade or planned.get(year):
            continue
        chosen = [catalog[course_id] for course_id in core.get(year, ()) if course_id not in taken]
        elective = next((course_id for course_id in electives.get(cluster or "", ())
                         if course_id not in taken and year in catalog[course_id].grades), None)
        if elective:
            chosen.append(catalog[elective])
            taken.add(elective)
        proposal[year] = chosen
    return proposal


def suggest_course_plan(uow: UnitOfWork, external_id: str) -> CoursePlanProposal:
    with uow:
        session = uow.session
        student = get_student(session, external_id)
        career = career_goal_occupation(session, student.plan) if student.plan else None
        entries = planned_courses(session, student.plan)
        earned = earned_courses(session, [student.id])[student.id]
        requirements = graduation_requirements(student.school.name)
        grade = student.grade
    by_grade = propose_courses(grade, career.cluster if career else None, _planned_ids(entries),
                               frozenset(course.course_id for course in earned if course.course_id))
    proposed = [PlannedCourse(year, course.name, course.subject_area)
                for year, chosen in by_grade.items() for course in chosen]
    return CoursePlanProposal(career, by_grade, count_credits(requirements, grade, earned, entries + proposed))


def save_course_plan(uow: UnitOfWork, external_id: str, source_event: str,
                     author: Author = STUDENT) -> tuple[CoursePlanProposal, bool]:
    """Adds the proposed courses to the plan; returns what was added and whether this was a retry."""
    proposal = suggest_course_plan(uow, external_id)

    def write(session: Session, plan: Plan) -> None:
        for year, chosen in proposal.by_grade.items():
            for course in chosen:
                session.add(CoursePlanEntry(plan_id=plan.id, grade=year, course=course.name,
                                            subject_area=course.subject_area, **authored(author, source_event)))

    summary = "; ".join(f"{year}: " + ", ".join(c.id for c in chosen) for year, chosen in proposal.by_grade.items())
    result = save_once(uow, external_id, "course_plan", summary or "nothing to add", source_event, author, write)
    return proposal, result is ALREADY_SAVED


def planned_courses(session: Session, plan: Plan | None) -> list[PlannedCourse]:
    """The course plan's entries not taken back, in grade order."""
    if plan is None:
        return []
    query = (select(CoursePlanEntry).where(CoursePlanEntry.plan_id == plan.id, CoursePlanEntry.retracted_at.is_(None))
             .order_by(CoursePlanEntry.grade, CoursePlanEntry.id))
    return [PlannedCourse(entry.grade, entry.course, entry.subject_area) for entry in session.scalars(query)]


def _planned_ids(entries: list[PlannedCourse]) -> dict[int, set[str]]:
    by_name = {course.name: course.id for course in courses().values()}
    planned: dict[int, set[str]] = {}
    for entry in entries:
        planned.setdefault(entry.grade, set()).add(by_name.get(entry.course, entry.course))
    return planned
