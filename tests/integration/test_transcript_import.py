"""`import_transcripts` and the credits it makes count, on a real plan database (SQLite, and PostgreSQL when
configured). Every student and transcript here is synthetic."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.csv_files import CsvFileError
from bot.db.tables import AuditEntry, EarnedCredit
from bot.earned_credits.csv_rows import MAX_FILE_BYTES
from bot.earned_credits.services import import_transcripts
from bot.plans import courses
from bot.plans.services import student_plan
from tests.builders import enrol

HEADER = "student_id,course,credits,grade,term,school_year,subject_area,mark\n"
NINTH = ["English 9", "Algebra I", "Biology", "World History", "PE and Health 1", "Art 1"]
TENTH = ["English 10", "Geometry", "Chemistry", "Spanish I", "PE and Health 2", "Principles of Health Science"]
ELEVENTH = ["English 11", "Algebra II", "Physics", "US History", "Spanish II", "Medical Terminology",
            "Anatomy & Physiology", "Psychology"]


def transcript_csv(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(row + "\n" for row in rows)).encode()


def year_rows(student_id: str, grade: int, names: list[str], school_year: str) -> list[str]:
    """Each course as two semester halves, as many school systems export them."""
    return [f"{student_id},{name},0.5,{grade},{term},{school_year},,A"
            for name in names for term in ("S1", "S2")]


def twelfth_grader_rows(student_id: str = "T12") -> list[str]:
    return (year_rows(student_id, 9, NINTH, "2023-24") + year_rows(student_id, 10, TENTH, "2024-25")
            + year_rows(student_id, 11, ELEVENTH, "2025-26"))


def earned_rows(uow_factory) -> int:
    with uow_factory() as uow:
        return uow.session.scalar(select(func.count(EarnedCredit.id)))


def test_a_twelfth_graders_transcript_counts_20_earned_credits_and_4_still_needed(uow_factory):
    enrol(uow_factory, "T12", grade=12, school="Test High School")
    report = import_transcripts(uow_factory(), transcript_csv(*twelfth_grader_rows()))
    assert (report.errors, report.added, report.students) == ([], 40, 1)
    credits = student_plan(uow_factory(), "T12")["credits"]
    assert credits["earned_known"] and credits["total"]["earned"] == 20
    assert credits["total"]["still_needed"] == 4
    proposal = courses.suggest_course_plan(uow_factory(), "T12")
    assert [course.id for course in proposal.by_grade[12]] == ["english_12", "precalculus", "government_economics",
                                                               "personal_finance"]
    assert proposal.shortfalls == () and proposal.credits.total.earned == 20


def test_an_eleventh_grader_missing_pe_and_fine_arts_is_short_exactly_those(uow_factory):
    enrol(uow_factory, "T11", grade=11, school="Test High School")
    taken = [name for name in NINTH + TENTH if not name.startswith(("PE", "Art"))]
    rows = [f"T11,{name},1.0,{9 if name in NINTH else 10},Full year,{'2024-25' if name in NINTH else '2025-26'},,B"
            for name in taken]
    assert not import_transcripts(uow_factory(), transcript_csv(*rows)).errors
    courses.save_course_plan(uow_factory(), "T11", "e-plan")
    assert courses.suggest_course_plan(uow_factory(), "T11").by_grade == {}  # every grade left is planned
    credits = student_plan(uow_factory(), "T11")["credits"]
    still_needed = {row["area"]: row["still_needed"] for row in credits["areas"] if row["still_needed"]}
    assert still_needed.pop("pe_health") == 2 and still_needed.pop("fine_arts") == 1
    assert set(still_needed) <= {"elective"}  # nothing else is short (electives add up in "total")


def test_without_a_transcript_the_plan_says_earned_credits_are_unknown(uow_factory):
    enrol(uow_factory, "N12", grade=12, school="Test High School")
    proposal = courses.suggest_course_plan(uow_factory(), "N12")
    assert not proposal.credits.earned_known and proposal.shortfalls == ()
    credits = student_plan(uow_factory(), "N12")["credits"]
    assert credits["earned_known"] is False and credits["total"]["still_needed"] is None


def test_reimporting_the_same_file_adds_no_credits_and_a_changed_mark_updates(uow_factory):
    enrol(uow_factory, "T12", grade=12, school="Test High School")
    data = transcript_csv(*twelfth_grader_rows())
    import_transcripts(uow_factory(), data)
    again = import_transcripts(uow_factory(), data)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 40)
    changed = import_transcripts(uow_factory(), transcript_csv("t12,english 9,0.5,9,s1,2023-24,,B+"))
    assert (changed.added, changed.updated) == (0, 1)  # same student, course and term in another case
    assert earned_rows(uow_factory) == 40
    assert student_plan(uow_factory(), "T12")["credits"]["total"]["earned"] == 20


def test_student_ids_match_the_roster_in_any_case_and_the_import_is_audited(uow_factory):
    enrol(uow_factory, "S1001", grade=10, school="Test High School")
    report = import_transcripts(uow_factory(), transcript_csv("s1001,Biology,1,9,Full year,2025-2026,,A"))
    assert (report.errors, report.added) == ([], 1)
    with uow_factory() as uow:
        entry = uow.session.execute(select(AuditEntry.actor_role, AuditEntry.detail)
                                    .where(AuditEntry.action == "transcript.imported")).one()
        row = uow.session.execute(select(EarnedCredit.course_id, EarnedCredit.subject_area, EarnedCredit.credits,
                                         EarnedCredit.school_year)).one()
    assert entry.actor_role == "cli" and "Biology" not in entry.detail
    assert tuple(row) == ("biology", "science", 1.0, "2025-26")


@pytest.mark.parametrize("row, expected", [
    # a student who is not on the roster
    ("NOBODY,Biology,1,9,Fall,2025-26,,A", "no student with ID 'NOBODY' is on the roster"),
    # credits that are not a number
    ("G1,Biology,one,9,Fall,2025-26,,A", "credits must be a number from 0 to 5"),
    # negative credits
    ("G1,Biology,-1,9,Fall,2025-26,,A", "credits must be a number from 0 to 5"),
    # more credits than a course can give
    ("G1,Biology,12,9,Fall,2025-26,,A", "credits must be a number from 0 to 5"),
    # a third of a credit written with too many decimals
    ("G1,Biology,0.333,9,Fall,2025-26,,A", "at most two decimals"),
    # not a grade
    ("G1,Biology,1,13,Fall,2025-26,,A", "grade must be a whole number from 6 to 12"),
    # a school year whose years do not follow
    ("G1,Biology,1,9,Fall,2025-27,,A", "school_year must be like 2025-26"),
    # an empty course
    ("G1,,1,9,Fall,2025-26,,A", "course is empty"),
    # a subject area the school does not have
    ("G1,Biology,1,9,Fall,2025-26,Basket weaving,A", "subject_area 'Basket weaving' is not one of"),
    # SQL in the id is refused, not executed
    ("G1'; DROP TABLE earned_credits;--,Biology,1,9,Fall,2025-26,,A", "student_id must be"),
])
def test_one_bad_row_is_reported_by_line_and_nothing_is_written(uow_factory, row, expected):
    enrol(uow_factory, "G1", grade=10, school="Test High School")
    report = import_transcripts(uow_factory(), transcript_csv("G1,English 9,1,9,Full year,2024-25,,A", row))
    assert not report.written and report.added == 0
    assert [error.line for error in report.errors] == [3]
    assert expected in report.errors[0].message
    assert earned_rows(uow_factory) == 0


def test_the_same_course_twice_in_one_file_is_a_bad_row(uow_factory):
    enrol(uow_factory, "G1", grade=10, school="Test High School")
    report = import_transcripts(uow_factory(), transcript_csv("G1,Biology,1,9,Fall,2025-26,,A",
                                                              "g1,BIOLOGY,1,9,fall,2025-2026,,B"))
    assert [str(error) for error in report.errors] == [
        "line 3: BIOLOGY for g1 in fall 2025-26 already appears on line 2"]
    assert earned_rows(uow_factory) == 0


@pytest.mark.parametrize("data, expected", [
    (b"", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00IHDR", "not text"),
    (b"student_id,course\nA,B\n", "missing column(s): credits, grade, term, school_year"),
    ("student_id,course,credits,grade,term,school_year\nA,Espa\xf1ol,1,9,Fall,2025-26\n".encode("latin-1"),
     "not UTF-8"),
    (b"x" * (MAX_FILE_BYTES + 1), "larger than 50 MB"),
    (HEADER.encode() + b'G1,"' + b"a" * 200_000 + b'",1,9,Fall,2025-26,,A\n', "cannot be read as CSV"),
])
def test_unreadable_files_are_refused_whole_with_a_clear_reason(uow_factory, data, expected):
    with pytest.raises(CsvFileError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        import_transcripts(uow_factory(), data)
    assert earned_rows(uow_factory) == 0


def test_courses_placed_in_no_subject_area_count_as_electives_and_are_reported(uow_factory):
    enrol(uow_factory, "E1", grade=10, school="Test High School")
    report = import_transcripts(uow_factory(), transcript_csv(
        "E1,Yearbook,1,9,Full year,2024-25,,A",
        "E1,Intro to Drones,1,9,Full year,2024-25,Career and Technical Education,A",
        header="student_id,course,credits,grade,term,school_year,subject_area,mark\n"))
    assert report.written and dict(report.counted_as_electives) == {"Yearbook": 1}
    areas = {row["area"]: row["earned"] for row in student_plan(uow_factory(), "E1")["credits"]["areas"]}
    assert (areas["elective"], areas["cte"]) == (1, 1)
