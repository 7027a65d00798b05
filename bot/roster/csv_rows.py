"""Reads a roster CSV into validated rows; every bad row is reported with its line number.

Columns (header required, any order, extra columns ignored):
student_id, first_name, last_name, grade, school, counselor_email
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.csv_files import CsvFileError, RowError, csv_records, decode_csv, is_blank

REQUIRED_COLUMNS = ("student_id", "first_name", "last_name", "grade", "school", "counselor_email")
STUDENT_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class RosterRow:
    line: int
    student_id: str
    first_name: str
    last_name: str
    grade: int
    school: str
    counselor_email: str


RosterFileError = CsvFileError  # the file as a whole cannot be read as a roster


def decode_roster(data: bytes) -> str:
    return decode_csv(data, what="the roster", max_bytes=MAX_FILE_BYTES)


def parse_roster(text: str) -> tuple[list[RosterRow], list[RowError]]:
    reader = csv_records(text, REQUIRED_COLUMNS)
    rows: list[RosterRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if is_blank(record):
            continue
        row, problems = _validate(record, line)
        if row and row.student_id.lower() in seen:  # IDs are unique whatever their case
            problems.append(f"student_id {row.student_id} already appears on line {seen[row.student_id.lower()]}")
        if problems:
            errors.append(RowError(line, "; ".join(problems)))
        else:
            seen[row.student_id.lower()] = line
            rows.append(row)
    return rows, errors


def _validate(record: dict, line: int) -> tuple[RosterRow | None, list[str]]:
    value = {column: (record.get(column) or "").strip() for column in REQUIRED_COLUMNS}
    problems = []
    if not STUDENT_ID_PATTERN.match(value["student_id"]):
        problems.append("student_id must be 1-64 letters, digits, '.', '_' or '-'"
                        + (f" (got {value['student_id'][:40]!r})" if value["student_id"] else " (it is empty)"))
    for column in ("first_name", "last_name", "school"):
        if not value[column]:
            problems.append(f"{column} is empty")
        elif len(value[column]) > (200 if column == "school" else 100):
            problems.append(f"{column} is too long")
    grade = None
    try:
        grade = int(value["grade"])
    except ValueError:
        pass
    if grade is None or not 6 <= grade <= 12:
        problems.append(f"grade must be a whole number from 6 to 12 (got {value['grade'][:20]!r})")
    if not EMAIL_PATTERN.match(value["counselor_email"]):
        problems.append(f"counselor_email is not an email address (got {value['counselor_email'][:60]!r})")
    if problems:
        return None, problems
    return RosterRow(line, value["student_id"], value["first_name"], value["last_name"], grade,
                     value["school"], value["counselor_email"].lower()), []
