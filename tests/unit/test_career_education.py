"""One answer to "what does this career take?": career matching, the profile (and so "tell me more" and the
career page) and the counselor's misalignment sentence all read bot.careers.education, for every occupation
in the shipped catalog and every plan for after high school."""
from __future__ import annotations

import dataclasses

import pytest

from bot.careers.catalog import occupations
from bot.careers.education import LEVELS, Reach, plan_reach, typical_education
from bot.careers.matching import EDUCATION_BONUS, EDUCATION_PENALTY, StudentProfile, match_careers, plan_reach_reason
from bot.careers.profiles import build_profile
from bot.flag_words import misalignment_sentence
from bot.interests.inventory import inventory_items
from bot.plans.content import postsecondary_options

PATHS = list(postsecondary_options().values())


def test_every_shipped_occupation_has_a_known_education():
    assert all(typical_education(occupation) is not None for occupation in occupations().values())


@pytest.mark.parametrize("path", PATHS, ids=lambda path: path.id)
def test_matching_the_profile_and_the_misalignment_flag_agree_for_every_occupation(path):
    catalog = occupations()
    for occupation in catalog.values():
        profile = build_profile(occupation, catalog, {})
        level = LEVELS[profile.education_level]
        assert profile.education == level.plain and profile.education_level == occupation.education
        reach = plan_reach(occupation, path.gives, path.leads_to)
        reason, change = plan_reach_reason(occupation, path)
        sentence = misalignment_sentence(occupation, path)
        if reach is Reach.REACHES:
            # the plan gives what the profile says it takes
            assert level.rank <= LEVELS[path.gives].rank, occupation.title
            assert reason == f"your plan ({path.button}) can get you there" and change == EDUCATION_BONUS
        elif reach is Reach.FIRST_STEP:
            assert LEVELS[path.gives].rank < level.rank <= LEVELS[path.leads_to].rank, occupation.title
            assert "first step" in reason and level.staff in reason and change == EDUCATION_BONUS
        else:
            assert level.rank > LEVELS[path.leads_to].rank, occupation.title
            assert level.staff in reason and "more school than your plan" in reason and change == -EDUCATION_PENALTY
            assert sentence == f"{occupation.title} usually needs {level.staff}; the plan says " + sentence.split(
                "; the plan says ")[1]


def test_a_dentist_is_never_said_to_be_reached_by_a_four_year_plan():
    # issue 19: the list said a 4-year plan gets you there while "tell me more" said a doctoral degree
    dentist = next(o for o in occupations().values() if o.title == "Dentist")
    four_year = postsecondary_options()["four_year"]
    profile = build_profile(dentist, occupations(), {})
    reason, _ = plan_reach_reason(dentist, four_year)
    assert profile.education == "many years of college: a doctoral or professional degree"
    assert reason == "your plan (4-year college) is the first step; it usually takes a doctoral or professional degree in the end"


def test_the_education_decides_not_the_job_zone_when_they_disagree():
    # an import may give a shipped occupation a job zone its education does not match (a nurse at zone 4)
    nurse = dataclasses.replace(occupations()["29-1141.00"], job_zone=4)
    two_year = postsecondary_options()["two_year"]
    assert nurse.education == "associate"
    assert plan_reach(nurse, two_year.gives, two_year.leads_to) is Reach.REACHES
    social_quiz = tuple((item, "like") for item in inventory_items() if item.riasec == "S")
    [match] = match_careers(StudentProfile(quiz=social_quiz, postsecondary=two_year), [nurse])
    assert "your plan (2-year college) can get you there" in match.reasons


def test_an_occupation_known_only_from_onet_takes_the_education_its_job_zone_suggests():
    imported = dataclasses.replace(occupations()["29-1141.00"], onet_soc="51-9999.01", education=None, job_zone=5)
    assert typical_education(imported).id == "master"
    unknown = dataclasses.replace(imported, job_zone=None)
    assert typical_education(unknown) is None and plan_reach(unknown, "high_school", "high_school") is None
    assert plan_reach_reason(unknown, postsecondary_options()["work"]) == (None, 0.0)
