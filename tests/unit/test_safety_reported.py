"""An advisor's report about a student ("she said her dad hits her") is screened as if the student said it.

Cases written for this test (synthetic). Every crisis must be caught; the everyday reports must not alarm.
"""
from __future__ import annotations

import pytest

from bot.safety.screen import first_person_readings, screen

REPORTED_CRISES = {
    "self_harm": [
        "he said he wants to kill himself",
        "she told me she has been thinking about killing herself",
        "they cut themselves sometimes when things get bad",
        "he has been hurting himself again",
        "she said she doesn't want to live anymore",
        "he doesn't want to be alive",
        "she said nobody would miss her if she was gone",
        "he told me he took a bunch of pills last night",
        "she has cuts on her arms from cutting",
        "she wishes she was dead",
    ],
    "abuse": [
        "he says his stepdad hits him when he is drunk",
        "she said her dad hits her",
        "her uncle touches her and she hates it",
        "his mom's boyfriend hits him",
        "she is scared to go home",
        "her stepdad locks her in her room",
        "they said their dad leaves bruises",
    ],
    "violence": [
        "he wants to bring a gun to school",
        "he said he is going to shoot a kid who bullies him",
        "she said she is planning to stab the girl who posted about her",
    ],
}
EVERYDAY_REPORTS = [
    "she likes art and wants to be a nurse",
    "he is killing it in math this year",
    "she wants to be a police officer like her aunt",
    "his dad is a firefighter",
    "she hit a home run last week",
    "he plays shooting games with his friends",
    "her grandma passed away last year and she misses her",
    "he wants to study forensic science",
    "she would never hurt herself, she says school is fine",
    "they want to join the army after high school",
    "he says the test killed him but he passed",
    "she wants to be a surgeon and cut people open to fix them",
]


@pytest.mark.parametrize("category,text", [(c, t) for c, texts in REPORTED_CRISES.items() for t in texts])
def test_a_reported_crisis_is_caught_in_its_category(category, text):
    concern = screen(text, reported=True)
    assert concern is not None and concern.category == category, (text, concern)


@pytest.mark.parametrize("text", EVERYDAY_REPORTS)
def test_an_everyday_report_raises_no_crisis(text):
    concern = screen(text, reported=True)
    assert concern is None or not concern.is_crisis, (text, concern)


def test_without_the_report_reading_third_person_words_are_not_rewritten():
    # A student's own message is screened as written: "she hits him" is not about the student.
    assert screen("my sister says she hits him back in karate") is None
    assert first_person_readings("his dad hits her") == ["my dad hits me"]


def test_her_before_a_noun_is_read_as_a_possessive_and_otherwise_as_an_object():
    assert first_person_readings("she hurt her knee and he hits her when he drinks") == [
        "i hurt my knee and i hits me when i drinks"]
