"""The plan PDF: every section, student text drawn literally, any Unicode and any length render."""
import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from bot.plans import export_pdf
from bot.plans.export_pdf import plan_pdf

GENERATED_ON = dt.date(2026, 3, 2)
HEADINGS = ["Individualized Learning Plan", "Interests", "Work values", "Strengths and skills", "Careers of interest",
            "Postsecondary plan", "Goals and steps", "Course plan by grade", "Activities", "Grade 10 benchmarks"]


def empty_plan(**changes):
    plan = {
        "student_id": "TEST-0042", "grade": 10, "school": "Synthetic High School",
        "interests": {"riasec": dict.fromkeys("RIASEC", 0.0), "code": "",
                      "inventory": {"answered": 0, "total": 30, "complete": False}, "mentions": []},
        "values": [], "strengths": [], "careers": [], "postsecondary": None, "postsecondary_history": [],
        "goals": [], "courses": [], "activities": [], "benchmarks": {"done": [], "pending": []},
        "updated_at": None,
    }
    return {**plan, **changes}


def full_plan():
    return empty_plan(
        interests={"riasec": {"R": 6.0, "I": 4.5, "A": 1.0, "S": 0.0, "E": 0.0, "C": 2.0}, "code": "RIC",
                   "inventory": {"answered": 12, "total": 30, "complete": False},
                   "mentions": [{"kind": "activity", "label": "fixing bikes", "riasec": "R"}]},
        values=["independence", "achievement"],
        strengths=[{"kind": "skill", "text": "Soldering small circuits"}],
        careers=[{"title": "Automotive Service Technician", "onet_soc": "49-3023.00"}],
        postsecondary="two_year",
        postsecondary_history=[{"choice": "military", "at": "2025-11-03T14:00:00Z"},
                               {"choice": "two_year", "at": "2026-01-20T09:30:00Z"}],
        goals=[{"id": 1, "kind": "education", "text": "Pass the welding certificate", "status": "active",
                "steps": [{"id": 1, "text": "Ask about the night class", "due_date": "2026-04-15", "done": False},
                          {"id": 2, "text": "Buy safety goggles", "due_date": None, "done": True}]}],
        courses=[{"grade": 9, "course": "Algebra I", "subject_area": "math"},
                 {"grade": 10, "course": "Intro to Welding", "subject_area": "cte"}],
        activities=[{"kind": "job_shadowing", "name": "Day at Hill Street Garage", "grade": 10, "status": "planned"}],
        benchmarks={"done": [{"id": "b1", "text": "Finish the interest quiz"}],
                    "pending": [{"id": "b2", "text": "Save three careers to explore"}]},
    )


def render(plan, student_name="Avery Test"):
    pdf = plan_pdf(plan, student_name=student_name, generated_on=GENERATED_ON)
    reader = PdfReader(io.BytesIO(pdf))
    return pdf, reader, "\n".join(page.extract_text() for page in reader.pages)


def flat(text):
    return " ".join(text.split())


def test_is_a_letter_size_pdf_with_page_numbers():
    pdf, reader, text = render(full_plan())
    assert pdf.startswith(b"%PDF")
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    assert f"Page 1 of {len(reader.pages)}" in text


def test_every_section_heading_appears_in_order():
    _, _, text = render(full_plan())
    positions = [text.find(heading) for heading in HEADINGS]
    assert -1 not in positions, [h for h, p in zip(HEADINGS, positions) if p == -1]
    assert positions == sorted(positions)


def test_header_names_the_student_and_the_record():
    text = flat(render(full_plan())[2])
    for expected in ("Avery Test", "Student ID: TEST-0042", "Grade: 10", "School: Synthetic High School",
                     "Generated: Mar 2, 2026", "Confidential student record (FERPA)"):
        assert expected in text


def test_sections_show_readable_plan_content():
    text = flat(render(full_plan())[2])
    for expected in (
        "Interest code RIC: Realistic (hands-on), Investigative (curious), Conventional (organizing).",
        "Interest quiz: 12 of 30 questions answered.",
        "1. Independence", "2. Achievement",
        "Soldering small circuits (skill)",
        "Automotive Service Technician (O*NET 49-3023.00)",
        "Two-year college", "Earlier choices: Military service (Nov 3, 2025).",
        "Day at Hill Street Garage (job shadowing, planned, grade 10)",
        "1 of 2 done.", "[x] Finish the interest quiz", "[ ] Save three careers to explore",
    ):
        assert expected in text


def test_goal_shows_its_steps_with_due_dates_and_done_marks():
    text = flat(render(full_plan())[2])
    assert "Pass the welding certificate" in text
    assert "[ ] Ask about the night class (due Apr 15, 2026)" in text
    assert "[x] Buy safety goggles" in text


def test_courses_appear_under_their_grade():
    text = flat(render(full_plan())[2])
    assert re.search(r"Grade 9 Algebra I Math Grade 10 Intro to Welding Career and Technical Education", text)


def test_empty_sections_say_so():
    text = flat(render(empty_plan())[2])
    for expected in ("No interest answers yet.", "Interest quiz: 0 of 30 questions answered.",
                     "No work values ranked yet.", "No strengths saved yet.", "No careers saved yet.",
                     "No postsecondary plan chosen yet.", "No goals yet.", "No course plan yet.",
                     "No activities yet.", "No benchmarks for grade 10."):
        assert expected in text
    assert all(heading in text for heading in HEADINGS)


@pytest.mark.parametrize("font_dir_exists", [True, False], ids=["dejavu", "helvetica-fallback"])
def test_any_unicode_and_markup_is_drawn_as_literal_text(monkeypatch, tmp_path, font_dir_exists):
    if not font_dir_exists:
        monkeypatch.setattr(export_pdf, "FONT_DIR", tmp_path)
    elif not (export_pdf.FONT_DIR / "DejaVuSans.ttf").is_file():
        pytest.skip("fonts-dejavu-core is not installed")
    goal = {"id": 1, "kind": "personal", "text": "<script>alert(1)</script> **not bold**", "status": "active",
            "steps": [{"id": 1, "text": "Estudiar con José Ñúñez 学习 \U0001f680\U0001f469\u200d\U0001f52c\ufe0f",
                       "due_date": "2026-05-01", "done": False}]}
    plan = empty_plan(goals=[goal], strengths=[{"kind": "hobby", "text": "Música 🎸 y dibujo"}])
    _, _, text = render(plan, student_name="José Ñúñez 学习 😀")
    text = flat(text)
    assert "<script>alert(1)</script> **not bold**" in text
    assert "Estudiar con José Ñúñez" in text
    assert "José Ñúñez" in text.split("Student ID")[0]
    assert "Música" in text and "y dibujo" in text


def test_very_long_text_wraps_onto_more_pages():
    unbroken = "x" * 3000
    plan = empty_plan(
        goals=[{"id": 1, "kind": "personal", "text": unbroken, "status": "active", "steps": []}],
        courses=[{"grade": 11, "course": "y" * 3000, "subject_area": "elective"}],
    )
    _, reader, text = render(plan)
    assert len(reader.pages) > 1
    assert flat(text).count("x") >= 3000
