"""Career suggestions from everything in a real plan database (SQLite, and PostgreSQL when configured)."""
from bot.careers.catalog import occupations
from bot.interests.inventory import inventory_items
from bot.plans.exploration import matching_profile, save_career, suggest_careers
from bot.plans.inventory import record_inventory_answer
from bot.plans.retraction import retract_saves
from bot.plans.services import record_interest_statement
from bot.plans.values import record_value_choice
from bot.plans.view import plan_view
from bot.roster.services import get_student
from tests.builders import enrol

MINECRAFT = "i also like bulding stuff in minecraft like big citys"
ARCHITECT = next(o for o in occupations().values() if o.title == "Architect")
DENTIST = next(o for o in occupations().values() if o.title == "Dentist")


def gamer(uow_factory) -> None:
    """The issue's student: 14 of 42 quiz answers, then two things said about games."""
    enrol(uow_factory, "S1", grade=9)
    for number, item in enumerate(inventory_items()[:14]):
        record_inventory_answer(uow_factory(), "S1", item.id, "like" if item.riasec in "RI" else "dislike", f"S1:q{number}")
    record_interest_statement(uow_factory(), "S1", MINECRAFT, "S1:m1")
    record_interest_statement(uow_factory(), "S1", "i play video games like every day", "S1:m2")


def profile_of(uow_factory, student_id: str):
    with uow_factory() as uow:
        student = get_student(uow.session, student_id)
        return matching_profile(uow.session, student.plan, plan_view(uow.session, student), occupations())


def test_suggestions_say_what_they_rest_on_and_name_what_the_student_said(uow_factory):
    gamer(uow_factory)
    suggestions = suggest_careers(uow_factory(), "S1")
    assert suggestions.intro.startswith("Here are some careers that fit you, based on 14 of 42 quiz answers and "
                                        "2 things you told me. Your interest code is ")
    assert "Realistic (hands-on)" in suggestions.intro
    assert suggestions.thin and "quiz" in suggestions.thin_note
    reasons = [match.reasons for match in suggestions.matches]
    assert len(suggestions.matches) == 5 and len(set(reasons)) == 5, reasons
    assert any(f"you said \u201c{MINECRAFT}\u201d" in reason for match in reasons for reason in match), reasons
    # the student got pilots, game wardens and dentists, four with one reason; what they said now counts
    titles = {match.occupation.title for match in suggestions.matches}
    assert not titles & {"Commercial Pilot", "Airline Pilot", "Game Warden", "Dentist"}, titles
    assert titles & {"Video Game Designer", "Brickmason"}, titles


def test_a_saved_career_is_not_suggested_again_and_one_taken_back_never_is(uow_factory):
    gamer(uow_factory)
    save_career(uow_factory(), "S1", ARCHITECT.onet_soc, "S1:m3")
    saved = suggest_careers(uow_factory(), "S1", limit=20)
    assert ARCHITECT not in [match.occupation for match in saved.matches]
    assert "1 career on your list" in saved.intro and not saved.thin  # 2 things said and a career saved
    assert any("on your list" in reason for match in saved.matches for reason in match.reasons)
    retract_saves(uow_factory(), "S1", ["S1:m3"], "undo that", "S1:m4")
    assert profile_of(uow_factory, "S1").rejected == {ARCHITECT.onet_soc}
    assert ARCHITECT not in [m.occupation for m in suggest_careers(uow_factory(), "S1", limit=20).matches]


def test_a_career_the_student_said_no_to_is_left_out(uow_factory):
    gamer(uow_factory)
    assert DENTIST.onet_soc not in profile_of(uow_factory, "S1").rejected
    record_interest_statement(uow_factory(), "S1", "i like science but i dont want to be a dentist", "S1:m3")
    assert DENTIST.onet_soc not in {c for said in profile_of(uow_factory, "S1").said for c in said.careers}
    assert DENTIST.onet_soc in profile_of(uow_factory, "S1").rejected
    assert DENTIST not in [m.occupation for m in suggest_careers(uow_factory(), "S1", limit=30).matches]


def test_a_work_value_the_student_picked_is_a_reason_in_their_words(uow_factory):
    gamer(uow_factory)
    record_value_choice(uow_factory(), "S1", "independence", "S1:v1")
    matches = suggest_careers(uow_factory(), "S1").matches
    assert any("you picked \u201cDoing things my own way\u201d as what matters most to you" in match.reasons
               for match in matches), [match.reasons for match in matches]


def test_the_encoder_relates_what_a_student_said_to_careers_and_nothing_to_small_talk():
    from bot.plans.exploration import related_careers

    engines, friends = related_careers(["I love fixing engines", "i like hanging out with my friends"], occupations())
    titles = [occupations()[code].title for code, _ in engines]
    assert titles and all("Mechanic" in title for title in titles[:3]), titles
    assert friends == ()


def test_the_warm_up_encodes_the_catalog_so_the_first_suggestion_does_not(uow_factory):
    from bot.plans import exploration

    exploration._career_vectors.cache_clear()
    encoded = exploration.warm_up_career_vectors(uow_factory())
    assert encoded == sum(1 for occupation in occupations().values() if occupation.riasec)
    assert exploration._career_vectors.cache_info().currsize == 1
    gamer(uow_factory)
    suggest_careers(uow_factory(), "S1")
    assert exploration._career_vectors.cache_info().hits >= 1 and exploration._career_vectors.cache_info().misses == 1
