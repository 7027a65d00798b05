"""Counting credits: earned from a (synthetic) transcript, planned from the course plan, still needed."""
from __future__ import annotations

import pytest

from bot.earned_credits.services import EarnedCourse
from bot.plans.content import courses, graduation_requirements
from bot.plans.credit_count import PlannedCourse, count_credits

REQUIREMENTS = graduation_requirements()  # 24 credits: English 4, Math 4, Science 3, Social Studies 3,
# World Language 2, Fine Arts 1, PE and Health 2, CTE 1, Electives 4


def earned(course_id: str, grade: int, credits: float = 1.0, term: str = "Full year", year: str | None = None,
           course: str | None = None) -> EarnedCourse:
    catalog = courses()[course_id]
    return EarnedCourse(course or catalog.name, course_id, catalog.subject_area, credits, grade, term,
                        year or f"{2014 + grade}-{(15 + grade) % 100:02d}", "A")


def planned(course_id: str, grade: int) -> PlannedCourse:
    catalog = courses()[course_id]
    return PlannedCourse(grade, catalog.name, catalog.subject_area)


NINTH = ["english_9", "algebra_1", "biology", "world_history", "pe_health_1", "art_1"]
TENTH = ["english_10", "geometry", "chemistry", "world_language_1", "pe_health_2", "principles_health_science"]
ELEVENTH = ["english_11", "algebra_2", "physics", "us_history", "world_language_2", "medical_terminology",
            "anatomy_physiology", "psychology"]


def twelfth_grader_transcript() -> list[EarnedCourse]:
    """Grades 9-11: 20 credits, every area but the grade 12 ones on track."""
    return [earned(course_id, grade) for grade, ids in ((9, NINTH), (10, TENTH), (11, ELEVENTH)) for course_id in ids]


def area(count, area_id):
    return next(a for a in count.areas if a.area == area_id)


def test_a_twelfth_grader_with_20_earned_credits_needs_4_and_a_grade_12_plan_covers_them():
    transcript = twelfth_grader_transcript()
    assert sum(course.credits for course in transcript) == 20
    alone = count_credits(REQUIREMENTS, 12, transcript, [])
    assert alone.earned_known and alone.has_transcript
    assert (alone.total.earned, alone.total.planned, alone.total.still_needed) == (20, 0, 4)
    # English and Math lack their grade 12 class; the other two credits left are electives ("in all").
    assert {a.area: a.still_needed for a in alone.shortfalls} == {"english": 1, "math": 1, "total": 4}
    plan = [planned(course_id, 12) for course_id in ("english_12", "precalculus", "government_economics",
                                                    "personal_finance")]
    with_plan = count_credits(REQUIREMENTS, 12, transcript, plan)
    assert (with_plan.total.earned, with_plan.total.planned, with_plan.total.still_needed) == (20, 4, 0)
    assert with_plan.shortfalls == ()


def test_an_eleventh_grader_missing_pe_and_fine_arts_is_told_exactly_those():
    transcript = [earned(course_id, grade) for grade, ids in ((9, NINTH), (10, TENTH)) for course_id in ids
                  if course_id not in ("pe_health_1", "pe_health_2", "art_1")]
    plan = [planned(course_id, grade) for grade, ids in ((11, ELEVENTH), (12, ["english_12", "precalculus",
                                                                                "government_economics",
                                                                                "personal_finance",
                                                                                "nurse_aide_training"]))
            for course_id in ids]
    count = count_credits(REQUIREMENTS, 11, transcript, plan)
    # Every grade is planned, yet PE and Fine Arts are short; adding them also makes up the credits in all.
    assert {a.area: a.still_needed for a in count.shortfalls} == {"pe_health": 2, "fine_arts": 1}
    assert (area(count, "pe_health").earned, area(count, "fine_arts").earned) == (0, 0)
    assert count.total.earned == 9 and count.total.planned == 13 and count.total.still_needed == 2


def test_without_a_transcript_a_high_school_student_has_no_number_still_needed():
    plan = [planned("english_12", 12), planned("precalculus", 12)]
    count = count_credits(REQUIREMENTS, 12, [], plan)
    assert not count.earned_known and not count.has_transcript
    assert count.shortfalls == ()
    assert count.total.planned == 2
    assert count.as_dict()["total"]["still_needed"] is None
    assert all(row["still_needed"] is None for row in count.as_dict()["areas"])


def test_a_middle_schooler_without_a_transcript_has_earned_nothing_yet_and_that_is_known():
    count = count_credits(REQUIREMENTS, 8, [], [planned("english_9", 9)])
    assert count.earned_known and not count.has_transcript
    assert count.total.still_needed == 23 and count.total.earned == 0


def test_a_planned_course_already_on_the_transcript_is_not_counted_twice():
    transcript = [earned("english_12", 12, credits=0.5, term="S1", year="2026-27")]
    count = count_credits(REQUIREMENTS, 12, transcript, [planned("english_12", 12)])
    assert (area(count, "english").earned, area(count, "english").planned) == (0.5, 0.5)


def test_planned_courses_of_a_grade_already_over_do_not_count_once_a_transcript_exists():
    # Planned in grade 9 for grade 9, never taken: the transcript says what was.
    count = count_credits(REQUIREMENTS, 10, [earned("english_9", 9)], [planned("art_1", 9), planned("band", 10)])
    assert (count.total.earned, count.total.planned) == (1, 1)
    assert area(count, "fine_arts").planned == 1


def test_credits_past_an_area_requirement_and_unplaced_courses_count_as_electives():
    transcript = [earned("band", 9), earned("theater_arts", 10), earned("art_1", 11),
                  EarnedCourse("Yearbook", None, None, 0.5, 11, "S2", "2025-26", "B")]
    count = count_credits(REQUIREMENTS, 12, transcript, [])
    assert area(count, "fine_arts").earned == 1
    assert area(count, "elective").earned == 2.5
    assert count.total.earned == 3.5


def test_failed_courses_earn_nothing_and_by_grade_lists_terms_in_order():
    transcript = [earned("algebra_1", 9, credits=0.5, term="Spring", year="2024-25"),
                  earned("english_9", 9, credits=0.5, term="Fall", year="2024-25"),
                  earned("biology", 9, credits=0.0, term="Fall", year="2024-25")]
    count = count_credits(REQUIREMENTS, 10, transcript, [planned("geometry", 10)])
    assert area(count, "science").earned == 0 and count.total.earned == 1
    (ninth, tenth) = count.by_grade
    assert [(term.term, term.credits, term.courses) for term in ninth.terms] == [
        ("Fall", 0.5, ("English 9", "Biology")), ("Spring", 0.5, ("Algebra 1",))]
    assert (ninth.earned, ninth.planned, tenth.grade, tenth.earned, tenth.planned) == (1, 0, 10, 0, 1)


@pytest.mark.parametrize("terms, expected", [
    # semesters by number
    (["S2", "S1"], ["S1", "S2"]),
    # seasons, and a full-year course first
    (["Spring", "Fall", "Full year"], ["Full year", "Fall", "Spring"]),
    # quarters
    (["Q3", "Q1", "Q2"], ["Q1", "Q2", "Q3"]),
])
def test_terms_are_listed_in_the_order_of_the_school_year(terms, expected):
    transcript = [earned("band", 9, credits=0.25, term=term, year="2024-25") for term in terms]
    listed = count_credits(REQUIREMENTS, 10, transcript, []).by_grade[0].terms
    assert [term.term for term in listed] == expected
