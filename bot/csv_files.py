"""Reading a CSV file staff export from a school system (a roster, transcripts): the checks every such file gets.

A file that cannot be read as a whole (too large, binary, not UTF-8, no header, a required column missing)
raises CsvFileError before anything is written; a bad row is a RowError naming its line.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass


class CsvFileError(ValueError):
    """The file as a whole cannot be read as the CSV expected; nothing from it is used."""


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def decode_csv(data: bytes, *, what: str, max_bytes: int) -> str:
    """The file's text; `what` names the file in messages ("the roster")."""
    if len(data) > max_bytes:
        raise CsvFileError(f"the file is larger than {max_bytes // (1024 * 1024)} MB")
    if b"\x00" in data:
        raise CsvFileError(f"the file is not text (it contains binary bytes); export {what} as CSV")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CsvFileError(f"the file is not UTF-8 text (byte {error.start}); save it as CSV UTF-8") from error


def csv_records(text: str, required: tuple[str, ...]) -> csv.DictReader:
    """A reader whose column names are trimmed and lower-case; refuses a file without every required column.
    `reader.line_num` is the line a record ends on."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames is None:
        raise CsvFileError("the file is empty; the first line must name the columns: " + ", ".join(required))
    header = [(name or "").strip().lower() for name in reader.fieldnames]
    missing = [column for column in required if column not in header]
    if missing:
        raise CsvFileError("missing column(s): " + ", ".join(missing) + "; expected: " + ", ".join(required))
    reader.fieldnames = header
    return reader


def is_blank(record: dict) -> bool:
    return not any((value or "").strip() for key, value in record.items() if key and isinstance(value, str))
