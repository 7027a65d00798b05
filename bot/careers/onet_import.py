"""Imports occupations from the O*NET database text files into the career catalog.

Reads three files as O*NET publishes them in its text download (tab separated, a header row, UTF-8):

- `Occupation Data.txt`: O*NET-SOC Code, Title, Description
- `Interests.txt`: O*NET-SOC Code, Element ID, Element Name, Scale ID, Data Value, Date, Domain Source.
  Scale OI rates each RIASEC type (elements 1.B.1.a-f, Realistic to Conventional); scale IH gives the
  first, second and third high points (elements 1.B.1.g-i; 1-6 = R to C, 0 = none). The interest code
  is the high points when the file has them, else the three highest OI ratings.
- `Job Zones.txt`: O*NET-SOC Code, Job Zone, Date, Domain Source

Any of the three may be missing (the report names them). Every file is read and checked before
anything is written; a file that cannot be read as a whole is an `OnetFileError` and nothing is
stored. Bad rows are reported by file and line and skipped. Importing the same files again changes
nothing.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from bot.careers.catalog import occupations
from bot.db.tables import RIASEC_TYPES, ImportedOccupation
from bot.db.unit_of_work import UnitOfWork
from bot.errors import IlpError

OCCUPATION_DATA = "Occupation Data.txt"
INTERESTS = "Interests.txt"
JOB_ZONES = "Job Zones.txt"
COLUMNS = {
    OCCUPATION_DATA: ("O*NET-SOC Code", "Title", "Description"),
    INTERESTS: ("O*NET-SOC Code", "Element ID", "Element Name", "Scale ID", "Data Value", "Date", "Domain Source"),
    JOB_ZONES: ("O*NET-SOC Code", "Job Zone", "Date", "Domain Source"),
}
SOC_PATTERN = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_TITLE_LENGTH = 200

INTEREST_NAMES = ("Realistic", "Investigative", "Artistic", "Social", "Enterprising", "Conventional")
OI_ELEMENTS = {f"1.B.1.{suffix}": letter for suffix, letter in zip("abcdef", RIASEC_TYPES, strict=True)}
OI_ELEMENTS.update({name.lower(): letter for name, letter in zip(INTEREST_NAMES, RIASEC_TYPES, strict=True)})
IH_ELEMENTS = {"1.B.1.g": 0, "1.B.1.h": 1, "1.B.1.i": 2,
               "first interest high-point": 0, "second interest high-point": 1, "third interest high-point": 2}


class OnetFileError(IlpError):
    """A directory or file that cannot be read as O*NET data; nothing was imported."""


@dataclass(frozen=True)
class RejectedRow:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file} line {self.line}: {self.message}"


@dataclass
class ImportReport:
    files_read: list[str] = field(default_factory=list)
    files_missing: list[str] = field(default_factory=list)
    added: int = 0  # occupations not in the catalog before
    updated: int = 0  # occupations already in the catalog (shipped or imported before), changed or not
    rejected: list[RejectedRow] = field(default_factory=list)
    without_title: list[str] = field(default_factory=list)  # codes with data but no title anywhere: not added


@dataclass
class _Facts:
    title: str | None = None
    description: str | None = None
    job_zone: int | None = None
    riasec: str | None = None


def import_onet(uow: UnitOfWork, directory: Path | str) -> ImportReport:
    """Adds or updates occupations from the O*NET files in `directory` (see the module docstring)."""
    found = _find_files(Path(directory))
    report = ImportReport(files_read=[name for name in COLUMNS if name in found],
                          files_missing=[name for name in COLUMNS if name not in found])
    tables = {name: _read_table(name, path) for name, path in found.items()}

    facts: dict[str, _Facts] = {}
    if OCCUPATION_DATA in tables:
        _occupation_data(tables[OCCUPATION_DATA], facts, report.rejected)
    if JOB_ZONES in tables:
        _job_zones(tables[JOB_ZONES], facts, report.rejected)
    if INTERESTS in tables:
        _interests(tables[INTERESTS], facts, report.rejected)

    shipped = occupations()
    with uow:
        session = uow.session
        imported = {row.onet_soc: row for row in session.scalars(select(ImportedOccupation))}
        for code in sorted(facts):
            found_facts, row, known = facts[code], imported.get(code), shipped.get(code)
            title = found_facts.title or (row.title if row else None) or (known.title if known else None)
            if title is None:
                report.without_title.append(code)
                continue
            values = {"title": title, "description": found_facts.description,
                      "job_zone": found_facts.job_zone, "riasec": found_facts.riasec}
            if row is None:
                session.add(ImportedOccupation(onet_soc=code, **values))
            else:
                for key, value in values.items():
                    if value is not None and getattr(row, key) != value:
                        setattr(row, key, value)
            if row is None and known is None:
                report.added += 1
            else:
                report.updated += 1
        uow.commit()
    report.rejected.sort(key=lambda rejected: (list(COLUMNS).index(rejected.file), rejected.line))
    return report


def _find_files(directory: Path) -> dict[str, Path]:
    if not directory.exists():
        raise OnetFileError(f"no such directory: {directory}")
    if not directory.is_dir():
        raise OnetFileError(f"{directory} is not a directory; give the folder that holds the O*NET text files")
    entries = {path.name.lower(): path for path in directory.iterdir() if path.is_file()}
    found = {name: entries[name.lower()] for name in COLUMNS if name.lower() in entries}
    if not found:
        hint = (" (found Excel files: download the O*NET database as text files)"
                if any(name.endswith(".xlsx") for name in entries) else "")
        raise OnetFileError(f"none of {', '.join(COLUMNS)} is in {directory}{hint}")
    return found


def _read_table(name: str, path: Path) -> list[tuple[int, list[str]]]:
    """The data rows of one file as (line number, fields); the header must be O*NET's."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise OnetFileError(f"{name} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    data = path.read_bytes()
    if b"\x00" in data:
        raise OnetFileError(f"{name} is not text (it contains binary bytes); use the O*NET text download")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise OnetFileError(f"{name} is not UTF-8 text (byte {error.start})") from error
    lines = text.split("\n")
    if not text.strip():
        raise OnetFileError(f"{name} is empty; its first line must be the header: {_header(name)}")
    header = [column.strip() for column in lines[0].rstrip("\r").split("\t")]
    if [column.lower() for column in header] != [column.lower() for column in COLUMNS[name]]:
        raise OnetFileError(f"{name} does not have O*NET's header; expected the tab-separated columns "
                            f"{_header(name)} (got {' | '.join(header)[:200]!r})")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        line = line.rstrip("\r")
        if line.strip():
            rows.append((number, [value.strip() for value in line.split("\t")]))
    return rows


def _header(name: str) -> str:
    return " | ".join(COLUMNS[name])


def _checked(name: str, number: int, fields: list[str], rejected: list[RejectedRow]) -> bool:
    """Column count and O*NET-SOC code, the checks every file shares."""
    expected = len(COLUMNS[name])
    if len(fields) != expected:
        rejected.append(RejectedRow(name, number, f"expected {expected} tab-separated columns, got {len(fields)}"))
        return False
    if not SOC_PATTERN.match(fields[0]):
        rejected.append(RejectedRow(name, number, f"O*NET-SOC code must look like 15-1252.00 (got {fields[0][:20]!r})"))
        return False
    return True


def _occupation_data(rows, facts: dict[str, _Facts], rejected: list[RejectedRow]) -> None:
    seen: dict[str, int] = {}
    for number, fields in rows:
        if not _checked(OCCUPATION_DATA, number, fields, rejected):
            continue
        code, title, description = fields
        if code in seen:
            rejected.append(RejectedRow(OCCUPATION_DATA, number, f"{code} already appears on line {seen[code]}"))
        elif not title:
            rejected.append(RejectedRow(OCCUPATION_DATA, number, "the title is empty"))
        elif len(title) > MAX_TITLE_LENGTH:
            rejected.append(RejectedRow(OCCUPATION_DATA, number, f"the title is longer than {MAX_TITLE_LENGTH} characters"))
        else:
            seen[code] = number
            entry = facts.setdefault(code, _Facts())
            entry.title, entry.description = title, description or None


def _job_zones(rows, facts: dict[str, _Facts], rejected: list[RejectedRow]) -> None:
    seen: dict[str, int] = {}
    for number, fields in rows:
        if not _checked(JOB_ZONES, number, fields, rejected):
            continue
        code, zone = fields[0], fields[1]
        if code in seen:
            rejected.append(RejectedRow(JOB_ZONES, number, f"{code} already appears on line {seen[code]}"))
        elif zone not in ("1", "2", "3", "4", "5"):
            rejected.append(RejectedRow(JOB_ZONES, number, f"job zone must be a whole number from 1 to 5 (got {zone[:20]!r})"))
        else:
            seen[code] = number
            facts.setdefault(code, _Facts()).job_zone = int(zone)


def _interests(rows, facts: dict[str, _Facts], rejected: list[RejectedRow]) -> None:
    ratings: dict[str, dict[str, float]] = {}
    high_points: dict[str, dict[int, int]] = {}
    seen: dict[tuple[str, str, str], int] = {}
    for number, fields in rows:
        if not _checked(INTERESTS, number, fields, rejected):
            continue
        code, element_id, element_name, scale, value = fields[:5]
        if scale not in ("OI", "IH"):
            continue  # no other scale is published in this file; nothing here to read
        elements = OI_ELEMENTS if scale == "OI" else IH_ELEMENTS
        element = elements.get(element_id, elements.get(element_name.lower()))
        if element is None:
            rejected.append(RejectedRow(INTERESTS, number, f"unknown element {element_id!r} ({element_name!r}) on scale {scale}"))
            continue
        key = (code, scale, str(element))
        if key in seen:
            rejected.append(RejectedRow(INTERESTS, number, f"{code} {element_name} {scale} already appears on line {seen[key]}"))
            continue
        try:
            number_value = float(value)
        except ValueError:
            number_value = math.nan
        if scale == "OI":
            if not math.isfinite(number_value):
                rejected.append(RejectedRow(INTERESTS, number, f"data value must be a number (got {value[:20]!r})"))
                continue
            ratings.setdefault(code, {})[str(element)] = number_value
        else:
            if not (math.isfinite(number_value) and number_value.is_integer() and 0 <= number_value <= 6):
                rejected.append(RejectedRow(INTERESTS, number, f"a high point must be 0 to 6 (got {value[:20]!r})"))
                continue
            high_points.setdefault(code, {})[int(element)] = int(number_value)
        seen[key] = number
    for code in ratings.keys() | high_points.keys():
        riasec = interest_code(ratings.get(code, {}), high_points.get(code, {}))
        if riasec:
            facts.setdefault(code, _Facts()).riasec = riasec


def interest_code(ratings: dict[str, float], high_points: dict[int, int]) -> str:
    """The RIASEC code: O*NET's high points (position -> 1-6, 0 = none) when there are any, else the
    letters of the three highest OI ratings (ties in RIASEC order)."""
    letters = ""
    for position in sorted(high_points):
        point = high_points[position]
        if point and RIASEC_TYPES[point - 1] not in letters:
            letters += RIASEC_TYPES[point - 1]
    if letters:
        return letters
    ranked = sorted(ratings, key=lambda letter: (-ratings[letter], RIASEC_TYPES.index(letter)))
    return "".join(ranked[:3])
