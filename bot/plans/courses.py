"""The course plan: a schedule per high school grade, aligned to the career goal and checked against
the school's graduation requirements (data/schools/)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.careers.catalog import Occupation
from bot.db.tables import CoursePlanEntry, Plan
from bot.db.unit_of_work import UnitOfWork
from bot.plans.content import Course, GraduationRequirements, course_pathways, courses, graduation_requirements
from bot.plans.services import ALREADY_SAVED, STUDENT, Author, authored, career_goal_occupation, save_once
from bot.roster.services import get_student

HIGH_SCHOOL_GRADES = (9, 10, 11, 12)


@dataclass(frozen=True)
class Shortfall:
    subject_area: str
    name: str
    missing: int


@dataclass(frozen=True)
class CoursePlanProposal:
    career: Occupation | None
    by_grade: dict[int, list[Course]]
    shortfalls: list[Shortfall]  # what the plan would still miss after adding these
    requirements: GraduationRequirements


def propose_courses(grade: int, cluster: str | None, planned: dict[int, set[str]]) -> dict[int, list[Course]]:
    """Core courses plus one elective for the career's cluster in every grade left, skipping what is planned."""
    catalog = courses()
    core, electives = course_pathways()
    taken = {course_id for ids in planned.values() for course_id in ids}
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


def check_requirements(course_ids: list[str], requirements: GraduationRequirements) -> list[Shortfall]:
    """Subject areas still short of the graduation requirement (each course is one credit)."""
    catalog = courses()
    credits = Counter(catalog[course_id].subject_area for course_id in course_ids if course_id in catalog)
    shortfalls = [Shortfall(area, requirements.area_names[area], needed - credits.get(area, 0))
                  for area, needed in requirements.credits_by_area.items()
                  if area != "elective" and credits.get(area, 0) < needed]
    total_missing = requirements.total_credits - len(course_ids)
    if total_missing > 0:
        shortfalls.append(Shortfall("total", "credits in all", total_missing))
    return shortfalls


def suggest_course_plan(uow: UnitOfWork, external_id: str) -> CoursePlanProposal:
    with uow:
        session = uow.session
        student = get_student(session, external_id)
        career = career_goal_occupation(session, student.plan) if student.plan else None
        planned = _planned(session, student.plan) if student.plan else {}
        requirements = graduation_requirements(student.school.name)
        by_grade = propose_courses(student.grade, career.cluster if career else None, planned)
    all_ids = [course_id for ids in planned.values() for course_id in ids] + \
              [course.id for year in by_grade.values() for course in year]
    return CoursePlanProposal(career, by_grade, check_requirements(all_ids, requirements), requirements)


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


def _planned(session: Session, plan: Plan) -> dict[int, set[str]]:
    by_name = {course.name: course.id for course in courses().values()}
    planned: dict[int, set[str]] = {}
    for entry in session.scalars(select(CoursePlanEntry).where(CoursePlanEntry.plan_id == plan.id,
                                                               CoursePlanEntry.retracted_at.is_(None))):
        planned.setdefault(entry.grade, set()).add(by_name.get(entry.course, entry.course))
    return planned
