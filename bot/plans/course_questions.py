"""Answers to a question about a course ("do i need chemistry for nursing", "what is ap bio"): what the course is,
when students take it, whether it is in the student's plan or on their transcript, and whether the pathway of
the career the question names (else the student's career goal) lists it.

Nothing here writes to the plan. Facts come from the catalog (data/plan/courses.yml), the student's plan and
transcript, and the career's cluster (data/careers/); the catalog is general, so every answer says to check
with the counselor that the school offers the course.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from bot.careers.catalog import Occupation, load_catalog
from bot.data_files import load_yaml
from bot.db.unit_of_work import UnitOfWork
from bot.earned_credits.services import EarnedCourse, earned_courses
from bot.nlp.mentions import find_mentions
from bot.plans.content import Course, course_pathways, courses, graduation_requirements
from bot.plans.course_names import courses_named_in
from bot.plans.courses import planned_courses
from bot.plans.services import career_goal_occupation, careers_named_in
from bot.roster.services import get_student

MOST_COURSES_ANSWERED = 3
# A request for a whole schedule names classes in general ("what classes should i take", "which electives fit
# my career"); it gets the course plan even when it also names one course ("which art classes ...").
SCHEDULE_WORDS = re.compile(r"\b(classes|courses|electives|schedule|schedules|course plan|class plan|"
                            r"4 year plan|four year plan)\b")
# A question about one course says so: taking it, needing it, what it is, how hard it is.
COURSE_CUES = re.compile(r"\b(class|course|take|taking|took|need|needed|required|require|credit|credits|what is|"
                         r"whats|what's|wat is|tell me about|hard|easy|worth|good for|grade|ap|should i)\b")


@dataclass(frozen=True)
class CourseFacts:
    course: Course
    area_name: str
    planned_grades: tuple[int, ...]
    on_transcript: tuple[EarnedCourse, ...]
    career: Occupation | None  # the career the question names, else the student's career goal
    in_core: bool  # every student's default plan has it (data/plan/courses.yml core_by_grade)
    pathway_name: str  # the career's cluster, "" without a career or a cluster
    pathway: tuple[Course, ...]  # the classes that cluster's pathway suggests


def names_a_course(text: str, *, asked_for_classes: bool) -> bool:
    """Whether the message asks about particular courses rather than for a schedule. `asked_for_classes`:
    the intent already says the message is about classes (plan_courses), so no cue word is needed."""
    words = text.casefold()
    if not courses_named_in(text) or SCHEDULE_WORDS.search(words):
        return False
    return asked_for_classes or bool(COURSE_CUES.search(words))


def facts_about_courses_named(uow: UnitOfWork, external_id: str, text: str,
                              recognise=find_mentions) -> list[CourseFacts]:
    """Facts for each course the message names (at most three), for this student; [] when it names none."""
    named = courses_named_in(text)[:MOST_COURSES_ANSWERED]
    if not named:
        return []
    careers = careers_named_in(uow, text, recognise)
    with uow:
        session = uow.session
        student = get_student(session, external_id)
        catalog = load_catalog(session) if careers else {}
        career = next((catalog[mention.item_id] for mention in careers if mention.item_id in catalog), None) \
            or (career_goal_occupation(session, student.plan) if student.plan else None)
        planned = planned_courses(session, student.plan)
        earned = earned_courses(session, [student.id])[student.id]
        areas = graduation_requirements(student.school.name).area_names
    core, electives = course_pathways()
    in_core = {course_id for ids in core.values() for course_id in ids}
    cluster = career.cluster if career else None
    pathway = tuple(courses()[course_id] for course_id in electives.get(cluster or "", ()))
    return [CourseFacts(
        course=course, area_name=areas.get(course.subject_area, course.subject_area.replace("_", " ")),
        planned_grades=tuple(sorted({entry.grade for entry in planned if entry.course == course.name})),
        on_transcript=tuple(entry for entry in earned if entry.course_id == course.id),
        career=career, in_core=course.id in in_core,
        pathway_name=cluster_names().get(cluster or "", ""), pathway=pathway,
    ) for course in named]


@functools.lru_cache(maxsize=1)
def cluster_names() -> dict[str, str]:
    return {entry["id"]: entry["name"] for entry in load_yaml("careers/clusters.yml")["legacy_clusters"]}


def course_answer(facts: CourseFacts) -> str:
    """The answer about one course, in plain words."""
    course = facts.course
    parts = [f"{course.name} ({_grades(course.grades)}, counts as {facts.area_name}): {course.about}"]
    parts.append(_in_plan(facts))
    parts.append(_fits_career(facts))
    return " ".join(part for part in parts if part)


def _grades(grades: tuple[int, ...]) -> str:
    if len(grades) == 1:
        return f"usually grade {grades[0]}"
    return f"usually grades {grades[0]}-{grades[-1]}" if list(grades) == list(range(grades[0], grades[-1] + 1)) \
        else "usually grades " + ", ".join(map(str, grades))


def _in_plan(facts: CourseFacts) -> str:
    earned = [entry for entry in facts.on_transcript if entry.credits > 0]
    if earned:
        credits = sum(entry.credits for entry in earned)
        return (f"Your transcript shows you earned {credits:g} credit{'' if credits == 1 else 's'} for it in "
                f"grade {earned[0].grade}.")
    if facts.on_transcript:
        return (f"Your transcript shows you took it in grade {facts.on_transcript[0].grade} without earning the "
                "credit; your counselor can help you plan how to make it up.")
    if facts.planned_grades:
        return "It's in your plan for grade " + " and ".join(map(str, facts.planned_grades)) + "."
    return "It's not in your plan yet."


def _fits_career(facts: CourseFacts) -> str:
    career = facts.career
    if career is None:
        return "Tell me a career you're curious about and I can say if this class is on its path."
    if facts.in_core:
        return (f"It's one of the core classes in every student's plan, so it's part of the path to "
                f"{career.title} too.")
    if not facts.pathway:
        return f"I don't have a class pathway for {career.title} yet; your counselor can say which classes help."
    if facts.course in facts.pathway:
        return f"It's on the {facts.pathway_name} pathway, one of the classes suggested for {career.title}."
    return (f"It isn't one of the classes suggested for {career.title}; the {facts.pathway_name} pathway "
            "suggests " + _listed([course.name for course in facts.pathway]) + ".")


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def check_with_counselor(courses_answered: int) -> str:
    """The catalog is general: the last line of every answer about courses."""
    if courses_answered == 1:
        return "Ask your counselor whether your school offers it and what it's called there."
    return "Ask your counselor whether your school offers them and what they're called there."
