"""A student's plan as a printable PDF for family conferences and IEP transition meetings.

Student text is drawn as plain text (no markdown, no HTML). Characters the font cannot draw become "?",
so any input renders: DejaVu Sans covers most alphabets; without it, Helvetica covers Western European only.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Mapping

from fpdf import FPDF, FontFace, XPos, YPos

from bot.interests.catalog import RIASEC_NAMES, RIASEC_SHORT, interest_code_words
from bot.plans.content import graduation_requirements, postsecondary_options, work_values
from bot.plans.credit_count import ELECTIVE
from bot.plans.view import PlanView

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
TITLE = "Individualized Learning Plan"
CONFIDENTIAL = "Confidential student record (FERPA)"
# The database holds at most 200 characters per course; a longer one would not fit a table row.
MAX_CELL_CHARS = 200
LINE = 5.5
BAR_COLOR = (63, 104, 150)
MUTED = (90, 90, 90)
HEADING_FILL = (232, 232, 232)


class _PlanDocument(FPDF):
    def __init__(self, student_name: str):
        super().__init__(format="letter", unit="mm")
        self.student_name = student_name
        self.family, self._glyphs = self._load_font()
        self.bullet = "\u2022" if self._drawable("\u2022") else "-"
        self.set_title(TITLE)
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, margin=18)

    def _load_font(self) -> tuple[str, set[int] | None]:
        regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
        if not (regular.is_file() and bold.is_file()):
            self.core_fonts_encoding = "cp1252"
            return "Helvetica", None
        self.add_font("DejaVu", "", str(regular))
        self.add_font("DejaVu", "B", str(bold))
        return "DejaVu", set(self.fonts["dejavu"].cmap) & set(self.fonts["dejavuB"].cmap)

    def _drawable(self, char: str) -> bool:
        if self._glyphs is not None:
            return ord(char) in self._glyphs
        try:
            char.encode(self.core_fonts_encoding)
        except UnicodeEncodeError:
            return False
        return True

    def clean(self, value: object) -> str:
        """The text with every character the font lacks replaced by "?" (invisible marks are dropped)."""
        out = []
        for char in unicodedata.normalize("NFC", str(value)):
            if char.isspace() and char != "\n":
                char = " "
            if char == "\n" or self._drawable(char):
                out.append(char)
            elif unicodedata.category(char)[0] not in "MC":
                out.append("?")
        return "".join(out)

    def style(self, size: float = 10, bold: bool = False, color: tuple[int, int, int] = (0, 0, 0)) -> None:
        self.set_font(self.family, "B" if bold else "", size)
        self.set_text_color(*color)

    def text_block(self, text: object, *, indent: float = 0, size: float = 10, bold: bool = False,
                   color: tuple[int, int, int] = (0, 0, 0)) -> None:
        self.style(size, bold, color)
        self.set_x(self.l_margin + indent)
        self.multi_cell(self.epw - indent, LINE, self.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def item(self, text: object, *, mark: str | None = None, indent: float = 4, note: str = "") -> None:
        self.text_block(f"{mark or self.bullet} {text}{f'  ({note})' if note else ''}", indent=indent)

    def empty(self, text: str, *, indent: float = 0) -> None:
        self.text_block(text, indent=indent, color=MUTED)

    def heading(self, text: str) -> None:
        if self.will_page_break(LINE * 4):
            self.add_page()
        self.ln(4)
        self.text_block(text, size=13, bold=True)
        self.set_draw_color(180, 180, 180)
        self.line(self.l_margin, self.get_y(), self.l_margin + self.epw, self.get_y())
        self.ln(1.5)

    def footer(self) -> None:
        self.set_y(-12)
        self.style(8, color=MUTED)
        name = self.student_name if len(self.student_name) <= 40 else self.student_name[:37] + "..."
        self.cell(0, 5, self.clean(f"{TITLE} \u00b7 {name} \u00b7 {CONFIDENTIAL}"))
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")


def plan_pdf(plan: PlanView, *, generated_on: dt.date) -> bytes:
    """The plan as a Letter-size PDF; it shows staff notes to nobody (give it `plan.for_family()`)."""
    pdf = _PlanDocument(plan.student.name)
    pdf.add_page()
    _header(pdf, plan, generated_on)
    for section in (_interests, _values, _strengths, _careers, _postsecondary, _goals, _courses, _credits, _activities,
                    _benchmarks):
        section(pdf, plan)
    return bytes(pdf.output())


def _header(pdf: _PlanDocument, plan: PlanView, generated_on: dt.date) -> None:
    student = plan.student
    pdf.text_block(TITLE, size=18, bold=True)
    pdf.ln(1)
    pdf.text_block(student.name, size=13, bold=True)
    for label, value in (("Student ID", student.external_id), ("Grade", student.grade), ("School", student.school),
                         ("Generated", _date(generated_on))):
        pdf.text_block(f"{label}: {value if value not in (None, '') else '-'}")
    pdf.text_block(CONFIDENTIAL, bold=True, color=MUTED)


def _interests(pdf: _PlanDocument, plan: PlanView) -> None:
    pdf.heading("Interests")
    interests = plan.interests
    if interests.code:
        pdf.text_block(f"Interest code {interest_code_words(interests.code)}.")
    else:
        pdf.empty("No interest answers yet.")
    if any(interests.riasec.values()):
        _bars(pdf, interests.riasec)
    inventory = interests.inventory
    progress = f"Interest quiz: {inventory.answered} of {inventory.total} questions answered"
    pdf.text_block(progress + (" (complete)." if inventory.complete else "."))
    if interests.mentions:
        pdf.text_block("Things the student said they like: " + ", ".join(m.label for m in interests.mentions) + ".")
    for statement in interests.statements:
        read = ", ".join(RIASEC_SHORT[letter] for letter in statement.riasec) or "not placed in a type yet"
        pdf.text_block(f"In their own words: \u201c{statement.text}\u201d ({read}).")


def _bars(pdf: _PlanDocument, scores: Mapping[str, float]) -> None:
    label_width, bar_width, row = 62.0, 90.0, 6.0
    top = max(scores.values())
    pdf.ln(1)
    for letter in RIASEC_NAMES:
        score = scores.get(letter, 0)
        if pdf.will_page_break(row):
            pdf.add_page()
        y = pdf.get_y()
        pdf.style(9)
        pdf.cell(label_width, row, f"{RIASEC_NAMES[letter]} ({RIASEC_SHORT[letter]})")
        pdf.set_draw_color(200, 200, 200)
        pdf.rect(pdf.l_margin + label_width, y + 1, bar_width, row - 2)
        pdf.set_fill_color(*BAR_COLOR)
        if score > 0:
            pdf.rect(pdf.l_margin + label_width, y + 1, bar_width * score / top, row - 2, style="F")
        pdf.set_x(pdf.l_margin + label_width + bar_width + 2)
        pdf.cell(0, row, f"{score:g}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def _values(pdf: _PlanDocument, plan: PlanView) -> None:
    pdf.heading("Work values")
    if not plan.values:
        pdf.empty("No work values ranked yet.")
    names = work_values()
    for rank, value in enumerate(plan.values, start=1):
        info = names.get(value)
        pdf.item(info.name if info else _label(value), mark=f"{rank}.")


def _strengths(pdf: _PlanDocument, plan: PlanView) -> None:
    pdf.heading("Strengths and skills")
    if not plan.strengths:
        pdf.empty("No strengths saved yet.")
    for strength in plan.strengths:
        pdf.item(strength.text, note=_label(strength.kind))


def _careers(pdf: _PlanDocument, plan: PlanView) -> None:
    pdf.heading("Careers of interest")
    if not plan.careers:
        pdf.empty("No careers saved yet.")
    for career in plan.careers:
        pdf.item(career.title, note=f"O*NET {career.onet_soc}" if career.onet_soc else "")


def _postsecondary(pdf: _PlanDocument, plan: PlanView) -> None:
    pdf.heading("Postsecondary plan")
    options = postsecondary_options()
    choice = plan.postsecondary
    if not choice:
        pdf.empty("No postsecondary plan chosen yet.")
        return
    option = options.get(choice)
    pdf.text_block(option.name if option else _label(choice), bold=True)
    if option:
        pdf.text_block(option.plain, color=MUTED)
    earlier = plan.postsecondary_history[:-1]
    if earlier:
        pdf.text_block("Earlier choices: " + ", ".join(
            f"{options[e.choice].name if e.choice in options else _label(e.choice)} ({_date(e.at)})"
            for e in earlier) + ".", color=MUTED)


def _goals(pdf: _PlanDocument, plan: PlanView) -> None:
    pdf.heading("Goals and steps")
    if not plan.goals:
        pdf.empty("No goals yet.")
    for goal in plan.goals:
        pdf.ln(1)
        pdf.text_block(goal.text, bold=True)
        pdf.text_block(f"{_label(goal.kind).capitalize()} goal, {_label(goal.status)}", color=MUTED)
        if not goal.steps:
            pdf.empty("No steps yet.", indent=4)
        for step in goal.steps:
            due = f"due {_date(step.due_date)}" if step.due_date else ""
            pdf.item(step.text, mark="[x]" if step.done else "[ ]", note=due)


def _courses(pdf: _PlanDocument, plan: PlanView) -> None:
    pdf.heading("Course plan by grade")
    courses = sorted(plan.courses, key=lambda course: course.grade)
    if not courses:
        pdf.empty("No course plan yet.")
        return
    areas = graduation_requirements(plan.student.school).area_names
    pdf.style(10)
    pdf.set_draw_color(180, 180, 180)
    pdf.set_fill_color(255)  # a table fills its cells with the current fill colour
    with pdf.table(col_widths=(22, 100, 58), text_align="LEFT", line_height=LINE, cell_fill_mode="NONE",
                   headings_style=FontFace(emphasis="BOLD", fill_color=HEADING_FILL)) as table:
        heading = table.row()
        for title in ("Grade", "Course", "Subject area"):
            heading.cell(title)
        for course in courses:
            area = course.subject_area
            row = table.row()
            row.cell(f"Grade {course.grade}")
            row.cell(pdf.clean(_shorten(course.course)))
            row.cell(pdf.clean(_shorten(areas.get(area or "") or _label(area).capitalize())))


def _credits(pdf: _PlanDocument, plan: PlanView) -> None:
    """Credits to graduate in one line per subject short; without a transcript, only what is planned."""
    credits = plan.credits
    pdf.heading("Credits to graduate")
    total = credits.total
    if not credits.earned_known:
        pdf.text_block(f"The school has not shared the credits earned so far, so only what is planned is counted: "
                       f"{total.planned:g} credits.")
        return
    earned = f"Earned {total.earned:g} of {total.required:g} credits; " if credits.has_transcript else ""
    pdf.text_block(f"{earned}{total.planned:g} planned; {total.still_needed:g} still needed.")
    for area in credits.areas:
        if area.still_needed and area.area != ELECTIVE:
            pdf.item(f"{area.name}: {area.still_needed:g} more needed")


def _activities(pdf: _PlanDocument, plan: PlanView) -> None:
    pdf.heading("Activities")
    if not plan.activities:
        pdf.empty("No activities yet.")
    for activity in plan.activities:
        details = [_label(activity.kind), _label(activity.status)]
        if activity.grade:
            details.append(f"grade {activity.grade}")
        pdf.item(activity.name, note=", ".join(filter(None, details)))


def _benchmarks(pdf: _PlanDocument, plan: PlanView) -> None:
    grade = plan.student.grade
    pdf.heading(f"Grade {grade} benchmarks")
    done, pending = plan.benchmarks.done, plan.benchmarks.pending
    if not done and not pending:
        pdf.empty(f"No benchmarks for grade {grade}.")
        return
    pdf.text_block(f"{len(done)} of {len(done) + len(pending)} done.")
    for title, items, mark, empty_line in (("Done", done, "[x]", "None done yet."),
                                           ("Still to do", pending, "[ ]", "Nothing left to do.")):
        pdf.ln(1)
        pdf.text_block(title, bold=True)
        if not items:
            pdf.empty(empty_line)
        for benchmark in items:
            pdf.item(benchmark.text, mark=mark)


def _date(value: dt.date | None) -> str:
    if not value:
        return "-"
    return f"{value:%b} {value.day}, {value:%Y}"


def _label(value: str | None) -> str:
    return (value or "").replace("_", " ")


def _shorten(text: str) -> str:
    return text if len(text) <= MAX_CELL_CHARS else text[:MAX_CELL_CHARS - 3] + "..."
