"""What a career pays: national median annual wages from the BLS Occupational Employment and Wage
Statistics (OEWS), a public-domain U.S. government source.

Figures come from data/careers/pay.yml (shipped, with its source and period) overlaid by what
`ilp careers import-pay FILE` stored in the plan database. An occupation with no figure has none:
nothing here estimates or fills one in.

`read_oews_csv` reads the national file as BLS publishes it (national_M<year>_dl, saved as CSV): a
header row with at least OCC_CODE, OCC_TITLE and A_MEDIAN; AREA, O_GROUP and NAICS when present.
A_MEDIAN is a whole number of dollars ("86,070" or 86070), `#` when the wage is above the highest
BLS publishes, `*` or empty when BLS has no estimate.
"""
from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.data_files import load_yaml
from bot.db.tables import OccupationPay
from bot.db.unit_of_work import UnitOfWork
from bot.errors import IlpError

REQUIRED_COLUMNS = ("OCC_CODE", "OCC_TITLE", "A_MEDIAN")
SOC_PATTERN = re.compile(r"^\d{2}-\d{4}$")
PERIOD_IN_FILE_NAME = re.compile(r"_M(\d{4})_", re.IGNORECASE)  # national_M2023_dl: the May 2023 estimates
MAX_FILE_BYTES = 20 * 1024 * 1024
TOP_CODED = "#"
NOT_ESTIMATED = ("*", "**", "")


class PayFileError(IlpError):
    """A file that cannot be read as a BLS OEWS national file; nothing was imported."""


@dataclass(frozen=True)
class PayFigure:
    median_annual_wage: int | None  # None: above the highest wage BLS publishes
    period: str                     # "May 2023"
    soc_title: str                  # the BLS occupation the figure is for ("Registered Nurses")
    source: str


@dataclass
class PayImportReport:
    period: str
    added: int = 0
    updated: int = 0
    skipped: int = 0  # rows that are not one national, cross-industry, detailed occupation
    rejected: list[str] = field(default_factory=list)  # "line 7: ..."


@dataclass(frozen=True)
class _Row:
    soc_code: str
    title: str
    median_annual_wage: int | None


def soc_code(onet_soc: str) -> str:
    """The 6-digit SOC code that OEWS publishes for an O*NET-SOC code (29-1141.01 -> 29-1141)."""
    return onet_soc[:7]


def period_from_file_name(path: Path | str) -> str | None:
    found = PERIOD_IN_FILE_NAME.search(Path(path).name)
    return f"May {found[1]}" if found else None


def read_oews_csv(path: Path | str) -> tuple[list[_Row], int, list[str]]:
    """The national, cross-industry, detailed occupations of an OEWS CSV; (rows, skipped, rejected)."""
    path = Path(path)
    if not path.is_file():
        raise PayFileError(f"no such file: {path}")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise PayFileError(f"{path.name} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    data = path.read_bytes()
    if data.startswith(b"PK"):
        raise PayFileError(f"{path.name} is an Excel workbook; open it and save the first sheet as CSV")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PayFileError(f"{path.name} is not UTF-8 text (byte {error.start}); save it as CSV UTF-8") from None
    reader = csv.reader(io.StringIO(text))
    header = [column.strip().upper() for column in next(reader, [])]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise PayFileError(f"{path.name} is not a BLS OEWS file: no {', '.join(missing)} column "
                           f"(the header needs {', '.join(REQUIRED_COLUMNS)})")
    index = {column: header.index(column) for column in header}
    rows: dict[str, _Row] = {}
    seen: dict[str, int] = {}
    skipped, rejected = 0, []
    for number, fields in enumerate(reader, start=2):
        if not any(value.strip() for value in fields):
            continue
        if len(fields) < len(header):
            rejected.append(f"line {number}: expected {len(header)} columns, got {len(fields)}")
            continue

        def value(column: str, fields: list[str] = fields) -> str:
            return fields[index[column]].strip() if column in index else ""

        if value("AREA") not in ("", "99") or value("NAICS") not in ("", "000000") or value("O_GROUP") not in ("", "detailed"):
            skipped += 1  # a state or area, an industry, or a group of occupations: not one national figure
            continue
        code = value("OCC_CODE")
        if not SOC_PATTERN.match(code):
            rejected.append(f"line {number}: OCC_CODE must look like 29-1141 (got {code[:20]!r})")
            continue
        if code in seen:
            rejected.append(f"line {number}: {code} already appears on line {seen[code]}")
            continue
        median = value("A_MEDIAN")
        if median in NOT_ESTIMATED:
            skipped += 1
            continue
        if median == TOP_CODED:
            wage = None
        else:
            digits = median.replace(",", "").replace("$", "")
            if not digits.isdigit() or not 1_000 <= int(digits) <= 10_000_000:
                rejected.append(f"line {number}: A_MEDIAN must be a yearly wage in dollars (got {median[:20]!r})")
                continue
            wage = int(digits)
        seen[code] = number
        rows[code] = _Row(code, value("OCC_TITLE")[:200] or code, wage)
    return list(rows.values()), skipped, rejected


def import_pay(uow: UnitOfWork, path: Path | str, period: str | None = None) -> PayImportReport:
    """Stores the national median wages of an OEWS CSV; `period` ("May 2024") defaults to the one its
    BLS file name says (national_M2024_dl.csv). Importing the same file again changes nothing."""
    period = (period or period_from_file_name(path) or "").strip()
    if not re.fullmatch(r"May \d{4}", period):
        raise PayFileError("say which OEWS estimates these are with --period (for example --period 'May 2024'); "
                           "the file name does not show it")
    rows, skipped, rejected = read_oews_csv(path)
    if not rows:
        raise PayFileError(f"{Path(path).name} has no national median wage for any occupation"
                           + (f" ({len(rejected)} rows rejected, the first: {rejected[0]})" if rejected else ""))
    report = PayImportReport(period, skipped=skipped, rejected=rejected)
    with uow:
        stored = {row.soc_code: row for row in uow.session.scalars(select(OccupationPay))}
        for row in rows:
            existing = stored.get(row.soc_code)
            if existing is None:
                uow.session.add(OccupationPay(soc_code=row.soc_code, title=row.title,
                                              median_annual_wage=row.median_annual_wage, period=period))
                report.added += 1
                continue
            for key, value in (("title", row.title), ("median_annual_wage", row.median_annual_wage), ("period", period)):
                if getattr(existing, key) != value:
                    setattr(existing, key, value)
            report.updated += 1
        uow.commit()
    return report


@functools.lru_cache(maxsize=1)
def shipped_pay() -> dict[str, PayFigure]:
    """data/careers/pay.yml by 6-digit SOC code."""
    shipped = load_yaml("careers/pay.yml")
    return {
        entry["soc"]: PayFigure(entry["median_annual_wage"], shipped["period"], entry["title"], shipped["source"])
        for entry in shipped["wages"]
    }


def load_pay(session: Session, soc_codes: Iterable[str] | None = None) -> dict[str, PayFigure]:
    """Shipped figures overlaid by imported ones, by 6-digit SOC code; only `soc_codes` when given (one career's
    page reads one row, not the whole import)."""
    figures = dict(shipped_pay())
    query = select(OccupationPay)
    if soc_codes is not None:
        query = query.where(OccupationPay.soc_code.in_(list(soc_codes)))
    for row in session.scalars(query):
        figures[row.soc_code] = PayFigure(row.median_annual_wage, row.period, row.title,
                                          "U.S. Bureau of Labor Statistics, Occupational Employment and Wage "
                                          "Statistics (imported by your district)")
    return figures
