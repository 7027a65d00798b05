"""The knowledge base's entries: read from data/knowledge/*.yml and checked, with errors that name file and entry.

Each entry answers one kind of student question in plain words, names the official page its facts come from,
and carries the date a person last checked it against that page. An entry not checked for more than a year is
stale: still answered, with a note, and listed by `ilp knowledge` and `make bench`.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml
from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, Extra, ValidationError, conlist, constr, validator

from bot.config import PROJECT_ROOT
from bot.data_files import DATA_DIR
from bot.errors import IlpError

KNOWLEDGE_DIR = DATA_DIR / "knowledge"
STALE_AFTER = relativedelta(years=1)
NAME = r"^[a-z][a-z0-9_]*$"
WEB_URL = re.compile(r"^https://[a-z0-9.-]+\.[a-z]{2,}(/\S*)?$", re.IGNORECASE)

Text = constr(strict=True, strip_whitespace=True, min_length=3)


class KnowledgeError(IlpError, ValueError):
    """A knowledge file that cannot be used; the message names the file, the entry and the field."""


class Source(BaseModel, extra=Extra.forbid, allow_mutation=False):
    title: Text
    url: constr(strict=True, strip_whitespace=True, min_length=1)

    @validator("url")
    def web_page_or_project_file(cls, value: str) -> str:
        if value.startswith("http"):
            if not WEB_URL.match(value):
                raise ValueError("must be a full https:// address of the official page")
        elif not _project_file_exists(value):
            raise ValueError("must be an https:// address, or a file of this repository (README.md#section)")
        return value

    @property
    def is_web_page(self) -> bool:
        return self.url.startswith("https://")


class Entry(BaseModel, extra=Extra.forbid, allow_mutation=False):
    id: constr(strict=True, regex=NAME)
    topic: constr(strict=True, regex=NAME)
    questions: conlist(Text, min_items=2)
    key_terms: list[constr(strict=True, strip_whitespace=True, min_length=2)] = []
    answer: constr(strict=True, strip_whitespace=True, min_length=20, max_length=900)
    # One official page, or a list of up to three; a single mapping is read as a list of one.
    source: conlist(Source, min_items=1, max_items=3)
    last_reviewed: dt.date

    @validator("source", pre=True)
    def one_or_a_list(cls, value: object) -> object:
        return [value] if isinstance(value, dict) else value

    @validator("last_reviewed", pre=True)
    def a_calendar_date(cls, value: object) -> object:
        # pydantic would read a number as a Unix time; a counselor means a date like 2026-12-06.
        if isinstance(value, dt.datetime) or not isinstance(value, (dt.date, str)):
            raise ValueError("must be a date written YYYY-MM-DD")
        return value

    @validator("last_reviewed")
    def not_in_the_future(cls, value: dt.date) -> dt.date:
        if value > dt.date.today():
            raise ValueError(f"{value.isoformat()} is in the future")
        return value

    @validator("key_terms", each_item=True)
    def lower_case(cls, value: str) -> str:
        return value.casefold()

    def stale(self, today: Optional[dt.date] = None) -> bool:
        """True when nobody has checked this entry against its source for more than a year."""
        return self.last_reviewed < (today or dt.date.today()) - STALE_AFTER


def load_file(path: Path) -> list[Entry]:
    """The entries of one file; a KnowledgeError names the file, entry and field of every problem found."""
    name = _display_name(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise KnowledgeError(f"{name}: cannot be read as YAML ({error})") from None
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list) or set(data) != {"entries"}:
        raise KnowledgeError(f"{name}: must be a mapping with one key, 'entries', holding a list of entries")
    entries, problems = [], []
    for index, raw in enumerate(data["entries"]):
        where = _entry_name(name, raw, index)
        if not isinstance(raw, dict):
            problems.append(f"{where}: must be a mapping with id, topic, questions, answer, source, last_reviewed")
            continue
        try:
            entries.append(Entry.parse_obj(raw))
        except ValidationError as error:
            problems += [f"{where}, field '{'.'.join(str(part) for part in issue['loc'])}': {issue['msg']}"
                         for issue in error.errors()]
    if problems:
        raise KnowledgeError("\n".join(problems))
    return entries


def load_entries(directory: Path = KNOWLEDGE_DIR) -> tuple[Entry, ...]:
    """Every entry in the folder's .yml files, checked; ids and example questions must be unique across files."""
    paths = sorted(directory.glob("*.yml"))
    if not paths:
        raise KnowledgeError(f"{_display_name(directory)}: no knowledge files (*.yml)")
    entries: list[Entry] = []
    id_file: dict[str, str] = {}
    question_entry: dict[str, str] = {}
    for path in paths:
        name = _display_name(path)
        for entry in load_file(path):
            if entry.id in id_file:
                raise KnowledgeError(f"{name}: entry '{entry.id}', field 'id': {id_file[entry.id]} already has an "
                                     f"entry with this id")
            id_file[entry.id] = name
            for question in entry.questions:
                key = " ".join(question.casefold().split())
                if key in question_entry:
                    raise KnowledgeError(f"{name}: entry '{entry.id}', field 'questions': {question!r} is also a "
                                         f"question of entry '{question_entry[key]}'")
                question_entry[key] = entry.id
            entries.append(entry)
    return tuple(entries)


@lru_cache(maxsize=1)
def shipped_entries() -> tuple[Entry, ...]:
    return load_entries(KNOWLEDGE_DIR)


def stale_entries(entries: tuple[Entry, ...], today: Optional[dt.date] = None) -> list[Entry]:
    return [entry for entry in entries if entry.stale(today)]


def _project_file_exists(reference: str) -> bool:
    """ "README.md#the-web-app": the file exists in the repository and, for Markdown, has that heading."""
    relative, _, anchor = reference.partition("#")
    path = (PROJECT_ROOT / relative).resolve()
    if PROJECT_ROOT.resolve() not in path.parents or not path.is_file():
        return False
    if not anchor or path.suffix != ".md":
        return True
    headings = re.findall(r"^#+\s+(.+)$", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return anchor in {_heading_anchor(heading) for heading in headings}


def _heading_anchor(heading: str) -> str:
    """GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _entry_name(name: str, raw: object, index: int) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return f"{name}: entry '{raw['id']}'"
    return f"{name}: entry #{index + 1}"


def _display_name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)
