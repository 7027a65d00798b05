"""The plan PDF from a plan read from a real database: every section, student text drawn literally, any Unicode
and any length render, and no staff notes."""
import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from bot.plans import export_pdf
from bot.plans.export_pdf import plan_pdf
from bot.plans.view import plan_view
from bot.roster.services import get_student, import_roster
from tests.builders import COUNSELOR_EMAIL, add_counselor, roster_csv, write_plan_rows

GENERATED_ON = dt.date(2026, 3, 2)
HEADINGS = ["Individualized Learning Plan", "Interests", "Work values", "Strengths and skills", "Careers of interest",
            "Postsecondary plan", "Goals and steps", "Course plan by grade", "Credits to graduate", "Activities",
            "Grade 10 benchmarks"]
# Twelve quiz answers: Realistic 8 points, Investigative 5, Conventional 3, the others none.
QUIZ = {"r01": "like", "r02": "like", "r03": "like", "r04": "like", "i01": "like", "i02": "like", "i03": "unsure",
        "c01": "like", "c02": "unsure", "a01": "dislike", "s01": "dislike", "e01": "dislike"}


@pytest.fixture
def plan_of(uow_factory):
    """Enrols a grade 10 student, writes their plan rows (tests.builders.write_plan_rows) and returns the
    family's view of the plan, read by the one query function, as the PDF route reads it."""
    add_counselor(uow_factory)

    def build(first_name="Avery", last_name="Test", **rows):
        report = import_roster(uow_factory(), roster_csv(
            f"TEST-0042,{first_name},{last_name},10,Synthetic High School,{COUNSELOR_EMAIL}"))
        assert not report.errors, report.errors
        if rows:
            write_plan_rows(uow_factory, "TEST-0042", **rows)
        with uow_factory() as uow:
            return plan_view(uow.session, get_student(uow.session, "TEST-0042")).for_family()
    return build


def full_plan(plan_of):
    return plan_of(
        quiz=QUIZ, mentions=(("activity", "fixing bikes", "R"),),
        values=("independence", "achievement"),
        strengths=(("skill", "Soldering small circuits"),),
        careers=(("Automotive Service Technician", "49-3023.00"),),
        postsecondary=(("military", "2025-11-03T14:00:00"), ("two_year", "2026-01-20T09:30:00")),
        goals=({"kind": "education", "text": "Pass the welding certificate",
                "steps": [("Ask about the night class", "2026-04-15", False), ("Buy safety goggles", None, True)]},),
        courses=((9, "Algebra I", "math"), (10, "Intro to Welding", "cte")),
        activities=(("job_shadowing", "Day at Hill Street Garage", 10, "planned"),),
        completed=("g10_practice_test",),
        notes=("Talked with the family about the welding class",),
    )


def render(plan):
    pdf = plan_pdf(plan, generated_on=GENERATED_ON)
    reader = PdfReader(io.BytesIO(pdf))
    return pdf, reader, "\n".join(page.extract_text() for page in reader.pages)


def flat(text):
    return " ".join(text.split())


def test_is_a_letter_size_pdf_with_page_numbers(plan_of):
    pdf, reader, text = render(full_plan(plan_of))
    assert pdf.startswith(b"%PDF")
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    assert f"Page 1 of {len(reader.pages)}" in text


def test_every_section_heading_appears_in_order(plan_of):
    _, _, text = render(full_plan(plan_of))
    positions = [text.find(heading) for heading in HEADINGS]
    assert -1 not in positions, [h for h, p in zip(HEADINGS, positions) if p == -1]
    assert positions == sorted(positions)


def test_header_names_the_student_and_the_record(plan_of):
    text = flat(render(full_plan(plan_of))[2])
    for expected in ("Avery Test", "Student ID: TEST-0042", "Grade: 10", "School: Synthetic High School",
                     "Generated: Mar 2, 2026", "Confidential student record (FERPA)"):
        assert expected in text


def test_sections_show_readable_plan_content(plan_of):
    text = flat(render(full_plan(plan_of))[2])
    for expected in (
        "Interest code RIC: Realistic (hands-on), Investigative (curious), Conventional (organizing).",
        "Interest quiz: 12 of 42 questions answered.", "Things the student said they like: fixing bikes.",
        "1. Independence", "2. Achievement",
        "Soldering small circuits (skill)",
        "Automotive Service Technician (O*NET 49-3023.00)",
        "Two-year college", "Earlier choices: Military service (Nov 3, 2025).",
        "Day at Hill Street Garage (job shadowing, planned, grade 10)",
        "The school has not shared the credits earned so far, so only what is planned is counted: 2 credits.",
        "1 of 5 done.", "[x] Take the PSAT or a practice college test", "[ ] Sign up for a dual credit class",
    ):
        assert expected in text
    assert "Talked with the family" not in text  # staff notes stay out of the family's copy


def test_goal_shows_its_steps_with_due_dates_and_done_marks(plan_of):
    text = flat(render(full_plan(plan_of))[2])
    assert "Pass the welding certificate" in text
    assert "[ ] Ask about the night class (due Apr 15, 2026)" in text
    assert "[x] Buy safety goggles" in text


def test_courses_appear_under_their_grade(plan_of):
    text = flat(render(full_plan(plan_of))[2])
    assert re.search(r"Grade 9 Algebra I Math Grade 10 Intro to Welding Career and Technical Education", text)


def test_empty_sections_say_so(plan_of):
    text = flat(render(plan_of())[2])  # a student with no plan yet
    for expected in ("No interest answers yet.", "Interest quiz: 0 of 42 questions answered.",
                     "No work values ranked yet.", "No strengths saved yet.", "No careers saved yet.",
                     "No postsecondary plan chosen yet.", "No goals yet.", "No course plan yet.",
                     "only what is planned is counted: 0 credits.", "No activities yet.", "0 of 5 done.",
                     "None done yet."):
        assert expected in text
    assert all(heading in text for heading in HEADINGS)


@pytest.mark.parametrize("font_dir_exists", [True, False], ids=["dejavu", "helvetica-fallback"])
def test_any_unicode_and_markup_is_drawn_as_literal_text(monkeypatch, tmp_path, font_dir_exists, plan_of):
    if not font_dir_exists:
        monkeypatch.setattr(export_pdf, "FONT_DIR", tmp_path)
    elif not (export_pdf.FONT_DIR / "DejaVuSans.ttf").is_file():
        pytest.skip("fonts-dejavu-core is not installed")
    goal = {"kind": "personal", "text": "<script>alert(1)</script> **not bold**",
            "steps": [("Estudiar con José Ñúñez 学习 \U0001f680\U0001f469\u200d\U0001f52c\ufe0f", "2026-05-01", False)]}
    plan = plan_of("José", "Ñúñez 学习 😀", goals=(goal,), strengths=(("hobby", "Música 🎸 y dibujo"),))
    _, _, text = render(plan)
    text = flat(text)
    assert "<script>alert(1)</script> **not bold**" in text
    assert "Estudiar con José Ñúñez" in text
    assert "José Ñúñez" in text.split("Student ID")[0]
    assert "Música" in text and "y dibujo" in text


def test_very_long_text_wraps_onto_more_pages(plan_of):
    unbroken = "x" * 1000  # the longest goal the database holds
    plan = plan_of(goals=tuple({"kind": "personal", "text": unbroken} for _ in range(5)),
                   courses=((11, "y" * 200, "elective"),))
    _, reader, text = render(plan)
    assert len(reader.pages) > 1
    assert flat(text).count("x") >= 5000
