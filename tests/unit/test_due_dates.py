import datetime as dt

import pytest

from bot.plans.dates import parse_due_date

MONDAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize("text, expected", [
    ("today", MONDAY),
    ("tmrw", dt.date(2026, 11, 24)),
    ("friday", dt.date(2026, 11, 27)),
    ("by next friday", dt.date(2026, 11, 27)),
    ("monday", dt.date(2026, 11, 30)),
    ("in 2 weeks", dt.date(2026, 12, 7)),
    ("in a couple of days", dt.date(2026, 11, 25)),
    ("next month", dt.date(2026, 12, 23)),
    ("end of the month", dt.date(2026, 11, 30)),
    ("dec 5", dt.date(2026, 12, 5)),
    ("12/5", dt.date(2026, 12, 5)),
    ("march 3", dt.date(2027, 3, 3)),  # already past this year: next March
    ("2027-01-15", dt.date(2027, 1, 15)),
])
def test_typed_due_dates(text, expected):
    assert parse_due_date(text, MONDAY) == expected


@pytest.mark.parametrize("text", ["someday", "whenever lol", "", "🎯", "2019-01-01", "2031-01-01", "in 50 years"])
def test_no_date_or_out_of_range_is_none(text):
    assert parse_due_date(text, MONDAY) is None
