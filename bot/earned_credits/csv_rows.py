"""Reads a transcript CSV into validated rows; every bad row is reported with its line number.

Columns (header required, any order, extra columns ignored; docs/transcripts.md has an example):
student_id, course, credits, grade, term, school_year (required); subject_area, mark (optional).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from bot.csv_files import CsvFileError, RowError, csv_records, decode_csv, is_blank
from bot.roster.csv_rows import STUDENT_ID_PATTERN

REQUIRED_COLUMNS = ("student_id", "course", "credits", "grade", "term", "school_year")
OPTIONAL_COLUMNS = ("subject_area", "mark")
MAX_FILE_BYTES = 50 * 1024 * 1024  # a district's four years of transcripts is a few MB
MAX_CREDITS = Decimal(5)
SCHOOL_YEAR_PATTERN = re.compile(r"^(\d{4})\s*[-/]\s*(\d{2}|\d{4})$")


@dataclass(frozen=True)
class TranscriptRow:
    line: int
    student_id: str
    course: str
    credits: Decimal
    grade: int
    term: str
    school_year: str  # "2025-26"
    subject_area: str  # as written; "" when the file has none
    mark: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What makes a row the same course again: student, course, term and school year, in any case."""
        return self.student_id.lower(), self.course.lower(), self.term.lower(), self.school_year


def decode_transcripts(data: bytes) -> str:
    return decode_csv(data, what="the transcripts", max_bytes=MAX_FILE_BYTES)


def parse_transcripts(text: str) -> tuple[list[TranscriptRow], list[RowError]]:
    reader = csv_records(text, REQUIRED_COLUMNS)
    rows: list[TranscriptRow] = []
    errors: list[RowError] = []
    seen: dict[tuple, int] = {}
    try:
        for record in reader:
            line = reader.line_num
            if is_blank(record):
                continue
            row, problems = _validate(record, line)
            if row and row.key in seen:
                problems.append(f"{row.course} for {row.student_id} in {row.term} {row.school_year} already appears "
                                f"on line {seen[row.key]}")
            if problems:
                errors.append(RowError(line, "; ".join(problems)))
            else:
                seen[row.key] = line
                rows.append(row)
    except csv.Error as error:  # a field past the csv module's size limit, or a line it cannot read at all
        raise CsvFileError(f"line {reader.line_num} cannot be read as CSV ({error})") from error
    return rows, errors


def _validate(record: dict, line: int) -> tuple[TranscriptRow | None, list[str]]:
    value = {column: " ".join((record.get(column) or "").split()) for column in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}
    problems = []
    if not STUDENT_ID_PATTERN.match(value["student_id"]):
        problems.append("student_id must be 1-64 letters, digits, '.', '_' or '-'"
                        + (f" (got {value['student_id'][:40]!r})" if value["student_id"] else " (it is empty)"))
    for column, longest in (("course", 200), ("term", 30), ("subject_area", 100), ("mark", 10)):
        if len(value[column]) > longest:
            problems.append(f"{column} is longer than {longest} characters")
    for column in ("course", "term"):
        if not value[column]:
            problems.append(f"{column} is empty")
    credits = _credits(value["credits"])
    if credits is None:
        problems.append(f"credits must be a number from 0 to {MAX_CREDITS}, such as 0.5 or 1.0, with at most two "
                        f"decimals (got {value['credits'][:20]!r})")
    grade = int(value["grade"]) if value["grade"].isdecimal() else None
    if grade is None or not 6 <= grade <= 12:
        problems.append(f"grade must be a whole number from 6 to 12 (got {value['grade'][:20]!r})")
    school_year = _school_year(value["school_year"])
    if school_year is None:
        problems.append(f"school_year must be like 2025-26 or 2025-2026 (got {value['school_year'][:20]!r})")
    if problems:
        return None, problems
    return TranscriptRow(line, value["student_id"], value["course"], credits, grade, value["term"], school_year,
                         value["subject_area"], value["mark"]), []


def _credits(text: str) -> Decimal | None:
    try:
        credits = Decimal(text)
    except InvalidOperation:
        return None
    if not credits.is_finite() or not 0 <= credits <= MAX_CREDITS or credits != credits.quantize(Decimal("0.01")):
        return None
    return credits


def _school_year(text: str) -> str | None:
    """ "2025-26" for "2025-26", "2025-2026" or "2025/26"; None unless the second year follows the first."""
    match = SCHOOL_YEAR_PATTERN.match(text)
    if not match:
        return None
    start, end = int(match.group(1)), match.group(2)
    if not 1990 <= start <= 2100 or end[-2:] != f"{(start + 1) % 100:02d}" or (len(end) == 4 and int(end) != start + 1):
        return None
    return f"{start}-{end[-2:]}"
