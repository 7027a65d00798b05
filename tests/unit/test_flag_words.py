"""Flags in plain words: every kind, severity, education and path a counselor can meet has its words."""
import pytest

from bot.careers.catalog import occupations
from bot.db.tables import FLAG_SEVERITIES
from bot.flag_words import EDUCATION, KINDS, PATHS, SEVERITIES, misalignment_sentence, what_happened
from bot.plans.content import postsecondary_options
from bot.safety.categories import CATEGORIES


def test_every_flag_category_and_severity_has_words():
    assert set(KINDS) == set(CATEGORIES)
    assert set(SEVERITIES) == set(FLAG_SEVERITIES)
    texts = [text for words in [*KINDS.values(), *SEVERITIES.values()] for text in vars(words).values()
             if isinstance(text, str)]
    assert all(text.strip() and "_" not in text and text[0].isupper() for text in texts)


def test_every_education_in_the_catalog_and_every_path_after_high_school_has_words():
    assert {occupation.education for occupation in occupations().values()} <= set(EDUCATION)
    assert set(postsecondary_options()) == set(PATHS)


def test_a_misalignment_names_the_career_what_it_needs_and_what_the_plan_says():
    dentist = next(o for o in occupations().values() if o.title == "Dentist")
    assert misalignment_sentence(dentist, postsecondary_options()["two_year"]) == \
        "Dentist usually needs a doctoral or professional degree; the plan says a 2-year college."


@pytest.mark.parametrize("category, excerpt, expected", [
    # the wording of misalignment flags raised before they were worded for people
    ("plan_misalignment", "Career goal Dentist (job zone 5) with postsecondary plan two_year",
     "Dentist usually needs a doctoral or professional degree; the plan says a 2-year college."),
    # a title the catalog no longer has: what its job zone usually needs
    ("plan_misalignment", "Career goal Moon Miner (job zone 4) with postsecondary plan work",
     "Moon Miner usually needs a 4-year bachelor's degree; the plan says starting work right after high school."),
    # a student's own words are left as they are
    ("bullying", "Career goal Dentist (job zone 5) with postsecondary plan two_year",
     "Career goal Dentist (job zone 5) with postsecondary plan two_year"),
])
def test_what_happened_reads_old_misalignment_flags_in_words(category, excerpt, expected):
    assert what_happened(category, excerpt) == expected
