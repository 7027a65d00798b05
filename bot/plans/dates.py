"""Due dates typed by students: "friday", "next week", "in 2 weeks", "dec 5", "12/5", "end of the month"."""
from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as date_parser
from dateutil.relativedelta import relativedelta

MAX_AHEAD = relativedelta(years=2)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_UNITS = {"day": relativedelta(days=1), "week": relativedelta(weeks=1), "month": relativedelta(months=1),
          "year": relativedelta(years=1)}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "few": 3, "couple": 2}


def parse_due_date(text: str, today: dt.date) -> dt.date | None:
    """A date from today up to two years ahead, or None if the words name no such date."""
    words = re.sub(r"[^a-z0-9/ -]+", " ", text.lower()).strip()
    date = _relative(words, today) or _absolute(words, today)
    if date is None or date < today or date > today + MAX_AHEAD:
        return None
    return date


def _relative(words: str, today: dt.date) -> dt.date | None:
    if re.search(r"\btoday\b|\btonight\b", words):
        return today
    if re.search(r"\btomorrow\b|\btmrw\b", words):
        return today + relativedelta(days=1)
    match = re.search(r"\bin (\d+|a|an|one|two|three|four|five|six|a few|a couple of|few|couple) (day|week|month|year)s?\b", words)
    if match:
        word = match.group(1).replace(" of", "").split()[-1]
        count = int(word) if word.isdigit() else _NUMBERS.get(word, 1)
        return today + _UNITS[match.group(2)] * count
    match = re.search(r"\bnext (week|month|year|summer)\b", words)
    if match:
        if match.group(1) == "summer":
            return dt.date(today.year + (today.month >= 6), 6, 15)
        return today + _UNITS[match.group(1)]
    if re.search(r"\bend of (the |this )?month\b", words):
        return today + relativedelta(day=31)
    if re.search(r"\bend of (the |this )?(school )?year\b", words):
        return dt.date(today.year + (today.month >= 6), 5, 31)
    for index, day in enumerate(WEEKDAYS):
        if re.search(rf"\b(next |this )?{day}\b", words):
            ahead = (index - today.weekday()) % 7 or 7
            return today + relativedelta(days=ahead)
    return None


def _absolute(words: str, today: dt.date) -> dt.date | None:
    if not re.search(r"\d", words):
        return None
    try:
        parsed = date_parser.parse(words, fuzzy=True, default=dt.datetime(today.year, today.month, 1)).date()
    except (ValueError, OverflowError):
        return None
    if parsed < today and not re.search(r"\b\d{4}\b", words):
        parsed += relativedelta(years=1)  # "march 3" in November means next March
    return parsed
