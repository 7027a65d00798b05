import pytest
from sqlalchemy import func, select

from bot.db.tables import School, Student
from bot.roster.csv_rows import RosterFileError
from bot.roster.services import import_roster, is_enrolled
from tests.builders import COUNSELOR_EMAIL, add_counselor, roster_csv


def count_students(uow_factory) -> int:
    with uow_factory() as uow:
        return uow.session.scalar(select(func.count(Student.id)))


def test_adds_students_and_creates_their_school(uow_factory):
    add_counselor(uow_factory)
    report = import_roster(uow_factory(), roster_csv(
        f"A1,Ana,Diaz,7,North Middle,{COUNSELOR_EMAIL}",
        f"A2,Ben,Cho,12,North Middle,{COUNSELOR_EMAIL.upper()}",
    ))
    assert (report.added, report.updated, report.errors, report.schools_created) == (2, 0, [], ["North Middle"])
    assert is_enrolled(uow_factory(), "A1") and is_enrolled(uow_factory(), "A2")
    with uow_factory() as uow:
        assert uow.session.scalar(select(func.count(School.id))) == 1


def test_reimport_updates_instead_of_duplicating(uow_factory):
    add_counselor(uow_factory)
    import_roster(uow_factory(), roster_csv(f"A1,Ana,Diaz,7,North Middle,{COUNSELOR_EMAIL}"))
    report = import_roster(uow_factory(), roster_csv(
        f"A1,Ana,Diaz,8,North Middle,{COUNSELOR_EMAIL}",
        f"A3,Cy,Ng,6,North Middle,{COUNSELOR_EMAIL}",
    ))
    assert (report.added, report.updated, report.unchanged) == (1, 1, 0)
    assert count_students(uow_factory) == 2
    with uow_factory() as uow:
        assert uow.session.scalar(select(Student.grade).where(Student.external_id == "A1")) == 8
    again = import_roster(uow_factory(), roster_csv(f"A3,Cy,Ng,6,North Middle,{COUNSELOR_EMAIL}"))
    assert (again.added, again.updated, again.unchanged) == (0, 0, 1)


@pytest.mark.parametrize("row, expected", [
    # grade outside 6-12
    (f"B1,Ann,Li,5,North,{COUNSELOR_EMAIL}", "grade must be a whole number from 6 to 12"),
    # grade not a number
    (f"B1,Ann,Li,seventh,North,{COUNSELOR_EMAIL}", "grade must be a whole number"),
    # empty student id
    (f",Ann,Li,7,North,{COUNSELOR_EMAIL}", "student_id must be"),
    # SQL in the id is refused, not executed
    (f"B1'; DROP TABLE students;--,Ann,Li,7,North,{COUNSELOR_EMAIL}", "student_id must be"),
    # missing name
    (f"B1,,Li,7,North,{COUNSELOR_EMAIL}", "first_name is empty"),
    # not an email
    ("B1,Ann,Li,7,North,not-an-email", "counselor_email is not an email"),
    # a counselor who is not a user
    ("B1,Ann,Li,7,North,nobody@school.example", "no counselor with email nobody@school.example"),
])
def test_bad_rows_are_reported_by_line_and_good_rows_kept(uow_factory, row, expected):
    add_counselor(uow_factory)
    report = import_roster(uow_factory(), roster_csv(f"G1,Gil,Ray,9,North,{COUNSELOR_EMAIL}", row))
    assert report.added == 1
    assert len(report.errors) == 1
    assert report.errors[0].line == 3
    assert expected in report.errors[0].message
    assert is_enrolled(uow_factory(), "G1")
    assert count_students(uow_factory) == 1


def test_duplicate_id_in_one_file_is_reported(uow_factory):
    add_counselor(uow_factory)
    report = import_roster(uow_factory(), roster_csv(
        f"D1,Ann,Li,7,North,{COUNSELOR_EMAIL}", f"D1,Ann,Lee,8,North,{COUNSELOR_EMAIL}"))
    assert report.added == 1
    assert [str(error) for error in report.errors] == ["line 3: student_id D1 already appears on line 2"]


def test_header_with_bom_and_extra_columns_and_any_order(uow_factory):
    add_counselor(uow_factory)
    data = ("\ufeffgrade,student_id,last_name,first_name,counselor_email,school,homeroom\n"
            f"9,E1,Park,Eve,{COUNSELOR_EMAIL},North,201\n").encode()
    assert import_roster(uow_factory(), data).added == 1


@pytest.mark.parametrize("data, expected", [
    (b"", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "not text"),
    (b"student_id,first_name\nA,B\n", "missing column(s): last_name, grade, school, counselor_email"),
    ("student_id\n\xe9".encode("latin-1"), "not UTF-8"),
])
def test_unreadable_files_are_refused_whole_with_a_clear_reason(uow_factory, data, expected):
    with pytest.raises(RosterFileError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        import_roster(uow_factory(), data)
    assert count_students(uow_factory) == 0


def test_a_reimport_with_the_id_in_another_case_updates_the_student_and_keeps_their_id(uow_factory):
    add_counselor(uow_factory)
    import_roster(uow_factory(), roster_csv(f"S1001,Ana,Diaz,7,North Middle,{COUNSELOR_EMAIL}"))
    report = import_roster(uow_factory(), roster_csv(f"s1001,Ana,Diaz,8,North Middle,{COUNSELOR_EMAIL}"))
    assert (report.added, report.updated, report.errors) == (0, 1, [])
    with uow_factory() as uow:
        assert uow.session.execute(select(Student.external_id, Student.grade)).all() == [("S1001", 8)]


def test_two_rows_whose_ids_differ_only_in_case_are_one_student_twice(uow_factory):
    add_counselor(uow_factory)
    report = import_roster(uow_factory(), roster_csv(f"S1001,Ana,Diaz,7,North Middle,{COUNSELOR_EMAIL}",
                                                     f"s1001,Ann,Dee,9,North Middle,{COUNSELOR_EMAIL}"))
    assert report.added == 1 and [str(error) for error in report.errors] == [
        "line 3: student_id s1001 already appears on line 2"]


def test_the_database_refuses_a_second_student_whose_id_differs_only_in_case(uow_factory):
    from sqlalchemy.exc import IntegrityError

    add_counselor(uow_factory)
    import_roster(uow_factory(), roster_csv(f"S1001,Ana,Diaz,7,North Middle,{COUNSELOR_EMAIL}"))
    with uow_factory() as uow:
        ana = uow.session.scalar(select(Student))
        uow.session.add(Student(external_id="s1001", first_name="Ann", last_name="Dee", grade=9,
                                school_id=ana.school_id))
        with pytest.raises(IntegrityError):
            uow.session.flush()
