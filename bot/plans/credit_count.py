"""Counting credits towards graduation: earned (the school's transcript), planned (the course plan) and still
needed, by subject area and in all, and by grade and term.

Earned credits come only from an imported transcript (`ilp transcripts import`). A high school student with no
transcript has earned credits nobody has told the bot about, so the count says it does not know them
(`earned_known` is False) and gives no number still needed; it never assumes nothing was earned. A student in
grade 6-8 with no transcript has earned none yet, which is known.

A planned course is worth one credit (data/plan/courses.yml). With a transcript, a planned course counts only
for the grades still ahead (the current grade on), less what the transcript already shows of the same course,
so a course is never counted both earned and planned. Credits beyond a subject area's requirement count
towards electives (data/schools/default.yml), as do courses placed in no subject area.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from bot.earned_credits.services import EarnedCourse
from bot.plans.content import GraduationRequirements, courses

ELECTIVE = "elective"
PLANNED_COURSE_CREDITS = 1.0
FIRST_HIGH_SCHOOL_GRADE = 9


@dataclass(frozen=True)
class PlannedCourse:
    grade: int
    course: str  # the catalog name, as the course plan stores it
    subject_area: str | None


@dataclass(frozen=True)
class AreaCount:
    area: str  # a subject area id, or "total"
    name: str
    required: float
    earned: float
    planned: float

    @property
    def still_needed(self) -> float:
        """What neither the transcript nor the plan covers yet."""
        return _round(max(0.0, self.required - self.earned - self.planned))

    @property
    def left_to_earn(self) -> float:
        return _round(max(0.0, self.required - self.earned))


@dataclass(frozen=True)
class TermCount:
    school_year: str
    term: str
    credits: float
    courses: tuple[str, ...]


@dataclass(frozen=True)
class GradeCount:
    grade: int
    earned: float
    planned: float
    terms: tuple[TermCount, ...]  # earned, in the order the school year went


@dataclass(frozen=True)
class CreditCount:
    earned_known: bool  # False: a high school student whose school has not shared a transcript
    has_transcript: bool
    requirements_name: str
    areas: tuple[AreaCount, ...]  # in the order of the requirements; electives as the school file puts them
    total: AreaCount
    by_grade: tuple[GradeCount, ...]

    @property
    def shortfalls(self) -> tuple[AreaCount, ...]:
        """Subject areas the transcript and the plan together leave short, then "total" when the credits in all
        fall shorter than those areas add up to; none when earned credits are unknown, since then nobody can say."""
        if not self.earned_known:
            return ()
        short = tuple(area for area in self.areas if area.still_needed > 0 and area.area != ELECTIVE)
        in_areas = sum(area.still_needed for area in short)
        return short + ((self.total,) if self.total.still_needed > in_areas else ())

    def as_dict(self) -> dict:
        """The `credits` section of the plan's JSON (README)."""
        def area(count: AreaCount) -> dict:
            return {"area": count.area, "name": count.name, "required": count.required, "earned": count.earned,
                    "planned": count.planned,
                    "still_needed": count.still_needed if self.earned_known else None}
        return {
            "earned_known": self.earned_known, "has_transcript": self.has_transcript,
            "requirements": self.requirements_name,
            "areas": [area(count) for count in self.areas], "total": area(self.total),
            "by_grade": [{"grade": grade.grade, "earned": grade.earned, "planned": grade.planned,
                          "terms": [{"school_year": term.school_year, "term": term.term, "credits": term.credits,
                                     "courses": list(term.courses)} for term in grade.terms]}
                         for grade in self.by_grade],
        }


def count_credits(requirements: GraduationRequirements, current_grade: int, earned: list[EarnedCourse],
                  planned: list[PlannedCourse]) -> CreditCount:
    has_transcript = bool(earned)
    earned_known = has_transcript or current_grade < FIRST_HIGH_SCHOOL_GRADE
    counted_plan = _planned_credits(planned, earned, current_grade) if has_transcript else \
        [(course, PLANNED_COURSE_CREDITS) for course in planned]

    earned_by_area: dict[str | None, float] = defaultdict(float)
    planned_by_area: dict[str | None, float] = defaultdict(float)
    for earned_course in earned:
        earned_by_area[_area(earned_course.subject_area, requirements)] += earned_course.credits
    for course, credits in counted_plan:
        planned_by_area[_area(course.subject_area, requirements)] += credits

    earned_counted, earned_extra = _cap(earned_by_area, requirements, {})
    planned_counted, planned_extra = _cap(planned_by_area, requirements, earned_counted)
    areas = []
    for area, required in requirements.credits_by_area.items():
        earned_here, planned_here = earned_counted.get(area, 0.0), planned_counted.get(area, 0.0)
        if area == ELECTIVE:
            earned_here += earned_extra
            planned_here += planned_extra
        areas.append(AreaCount(area, requirements.area_names[area], float(required), _round(earned_here),
                               _round(planned_here)))
    total = AreaCount("total", "credits in all", float(requirements.total_credits),
                      _round(sum(course.credits for course in earned)),
                      _round(sum(credits for _, credits in counted_plan)))
    return CreditCount(earned_known, has_transcript, requirements.name, tuple(areas), total,
                       _by_grade(earned, counted_plan))


def _area(subject_area: str | None, requirements: GraduationRequirements) -> str | None:
    """The requirement a course counts towards; None (an elective) when the school has no such area."""
    return subject_area if subject_area in requirements.credits_by_area else None


def _cap(by_area: dict[str | None, float], requirements: GraduationRequirements,
         already: dict[str, float]) -> tuple[dict[str, float], float]:
    """Credits counted in each area up to what it still requires after `already`; the rest go to electives."""
    counted, extra = {}, 0.0
    for area, credits in by_area.items():
        if area is None or area == ELECTIVE:
            extra += credits
            continue
        room = max(0.0, requirements.credits_by_area[area] - already.get(area, 0.0))
        counted[area] = min(credits, room)
        extra += credits - counted[area]
    return counted, extra


def _planned_credits(planned: list[PlannedCourse], earned: list[EarnedCourse],
                     current_grade: int) -> list[tuple[PlannedCourse, float]]:
    """Planned courses of the grades still ahead, each less what the transcript already shows of it."""
    by_name = {course.name: course.id for course in courses().values()}
    earned_of_course: dict[str, float] = defaultdict(float)
    for earned_course in earned:
        earned_of_course[earned_course.course_id or earned_course.course.casefold()] += earned_course.credits
    counted: list[tuple[PlannedCourse, float]] = []
    for course in planned:
        if course.grade < current_grade:
            continue  # that year is over: the transcript says what was taken
        key = by_name.get(course.course) or course.course.casefold()
        credits = max(0.0, PLANNED_COURSE_CREDITS - earned_of_course[key])
        earned_of_course[key] = max(0.0, earned_of_course[key] - PLANNED_COURSE_CREDITS)
        if credits > 0:
            counted.append((course, credits))
    return counted


def _by_grade(earned: list[EarnedCourse], planned: list[tuple[PlannedCourse, float]]) -> tuple[GradeCount, ...]:
    terms: dict[int, dict[tuple[str, str], list[EarnedCourse]]] = defaultdict(lambda: defaultdict(list))
    for earned_course in earned:
        terms[earned_course.grade][(earned_course.school_year, earned_course.term)].append(earned_course)
    planned_by_grade: dict[int, float] = defaultdict(float)
    for course, credits in planned:
        planned_by_grade[course.grade] += credits
    grades = []
    for grade in sorted(set(terms) | set(planned_by_grade)):
        in_order = sorted(terms[grade].items(), key=lambda item: (item[0][0], _term_order(item[0][1]), item[0][1]))
        grade_terms = tuple(TermCount(year, term, _round(sum(c.credits for c in taken)),
                                      tuple(c.course for c in taken)) for (year, term), taken in in_order)
        grades.append(GradeCount(grade, _round(sum(term.credits for term in grade_terms)),
                                 _round(planned_by_grade[grade]), grade_terms))
    return tuple(grades)


TERM_ORDER = (("year", 0), ("fy", 0), ("full", 0), ("fall", 1), ("autumn", 1), ("winter", 2), ("spring", 3),
              ("summer", 4))


def _term_order(term: str) -> int:
    """Fall before spring, S1 before S2, Q1 before Q2; a full-year course first; a term unknown here last."""
    words = term.casefold()
    for word, order in TERM_ORDER:
        if word in words:
            return order
    number = re.search(r"\d+", words)
    return int(number.group()) if number else 9


def _round(credits: float) -> float:
    return round(credits + 0.0, 2)
