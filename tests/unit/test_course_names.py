"""Courses by the names people give them: transcript lines, students' questions, subject area columns."""
from __future__ import annotations

import pytest

from bot.plans.content import graduation_requirements
from bot.plans.course_names import course_of_transcript_line, courses_named_in, subject_area_named
from bot.plans.course_questions import names_a_course


@pytest.mark.parametrize("line, course_id", [
    ("Algebra I", "algebra_1"),  # a Roman number
    ("ALGEBRA_1", "algebra_1"),  # the catalog id, as a district that maps its codes might write it
    ("Chemistry H", "chemistry"),  # a level word the school system adds
    ("Honors English 10", "english_10"),
    ("Pre-AP Biology", "biology"),
    ("Spanish II", "world_language_2"),  # an alias with a Roman number
    ("Dual Credit: English Composition I", "dual_credit_english_composition"),
    ("AP Bio", "ap_biology"),
    ("Anatomy & Physiology", "anatomy_physiology"),
])
def test_a_transcript_line_is_the_catalog_course_it_names(line, course_id):
    assert course_of_transcript_line(line).id == course_id


@pytest.mark.parametrize("line", ["Yearbook", "College Algebra", "Chemistry Lab Aide", "Study Hall"])
def test_a_transcript_line_that_is_no_catalog_course_matches_none(line):
    assert course_of_transcript_line(line) is None


@pytest.mark.parametrize("text, names", [
    ("do i need chemistry for nursing school?", ["Chemistry"]),
    ("what is ap bio", ["AP Biology"]),  # the longest name wins: not Biology
    ("should i take ap bio or regular bio next year", ["AP Biology", "Biology"]),
    ("should i take welding or auto shop next year", ["Welding 1", "Automotive Technology 1"]),
    ("is APUSH hard??", ["AP US History"]),
    ("what classes should i take for engineering", []),  # a career field is no course
    ("i need a job", []),
])
def test_a_question_names_the_courses_it_asks_about(text, names):
    assert [course.name for course in courses_named_in(text)] == names


@pytest.mark.parametrize("text, asked_for_classes, expected", [
    ("do i need chemistry for nursing school?", False, True),  # a cue: "need"
    ("what is ap bio", False, True),
    ("is a government job good", False, False),  # names a course, asks nothing about one
    ("should i take welding or auto shop next year", True, True),
    ("which art classes should i take for graphic design", True, False),  # asks for a schedule
    ("can i fit auto shop into my junior year schedule", True, False),
    ("what classes should i take", True, False),
])
def test_only_a_question_about_particular_courses_is_answered_about_them(text, asked_for_classes, expected):
    assert names_a_course(text, asked_for_classes=asked_for_classes) is expected


@pytest.mark.parametrize("column, area", [
    ("Mathematics", "math"), ("math", "math"), ("Physical Education", "pe_health"), ("PE and Health", "pe_health"),
    ("Foreign Language", "world_language"), ("Career and Technical Education", "cte"), ("CTE", "cte"),
    ("Visual and Performing Arts", "fine_arts"), ("ELA", "english"), ("Basket weaving", None),
])
def test_a_subject_area_column_is_read_as_the_schools_area(column, area):
    assert subject_area_named(column, graduation_requirements()) == area
