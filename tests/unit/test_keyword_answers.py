"""Typed answers read by keyword (bot.plans.content.match_keyword): a work value and a path after high school, in the
words and shorthand students type rather than the buttons' words."""
from __future__ import annotations

import pytest

from bot.errors import InvalidAnswer
from bot.plans.postsecondary import parse_postsecondary
from bot.plans.values import value_named


@pytest.mark.parametrize("text, value", [
    ("working w ppl i like", "relationships"),          # texting shorthand: "w" is with, "ppl" people
    ("helpin ppl who need it", None),                    # shorthand alone is no keyword: "helpin" is no word we know
    ("when ur boss appreciates u", "recognition"),
    ("getting credit for the stuff i do", "recognition"),
    ("i like feeling like i did a good job", "achievement"),
    ("a job well done", "achievement"),
    ("a steady job with good pay", "working_conditions"),  # "a good job" alone names no value
])
def test_a_work_value_typed_in_a_students_words(text, value):
    assert value_named(text) == value


@pytest.mark.parametrize("text, path", [
    ("prob a 2 yr college first", "two_year"),            # "2 yr college" outweighs "college"
    ("a 2 year college close to home", "two_year"),
    ("a four year university", "four_year"),
    ("im gonna work for my aunts cleaning business", "work"),
    ("get a job at the warehouse", "work"),
    ("beauty school after graduation", "apprenticeship"),
    ("learn a trade like plumbing", "apprenticeship"),
    ("community college and then work at a hospital", "two_year"),  # the longer keyword wins
])
def test_a_path_after_high_school_typed_in_a_students_words(text, path):
    assert parse_postsecondary(text).id == path


def test_words_that_name_no_path_are_not_read_as_one():
    with pytest.raises(InvalidAnswer):
        parse_postsecondary("im going to the state school my sister went to")


@pytest.mark.parametrize("text, path", [
    ("not doing university, i'll get a job at the lumber yard", "work"),  # the path ruled out names nothing
    ("i wont enlist, im doing the 2 year college", "two_year"),
    ("never going to a 4 year, but community college sounds ok", "two_year"),
    ("not sure yet, maybe the air force", "military"),  # "not sure" rules nothing out
])
def test_a_path_the_student_rules_out_is_not_the_one_read(text, path):
    assert parse_postsecondary(text).id == path


def test_a_path_only_ruled_out_names_none():
    with pytest.raises(InvalidAnswer):
        parse_postsecondary("i dont want to go to a university")
