"""Career matching on the real catalog (data/careers/occupations.yml) for synthetic students."""
import pytest

from bot.careers.catalog import occupations
from bot.careers.education import Reach, plan_reach
from bot.careers.matching import Said, StudentProfile, evidence_words, match_careers
from bot.interests.catalog import interest_code_words
from bot.interests.inventory import inventory_items
from bot.nlp.mentions import Mention
from bot.plans.content import postsecondary_options, work_values
from bot.plans.exploration import said_no_to

CATALOG = occupations()
ARCHITECT = next(o for o in CATALOG.values() if o.title == "Architect")
NURSE = CATALOG["29-1141.00"]
MINECRAFT = "i also like bulding stuff in minecraft like big citys"


def quiz(answered: int, likes: str, unsure: str = "") -> tuple:
    """The first `answered` quiz items (interleaved R I A S E C), liked for the types in `likes`."""
    return tuple((item, "like" if item.riasec in likes else "unsure" if item.riasec in unsure else "dislike")
                 for item in inventory_items()[:answered])


def own_evidence(reason: str) -> bool:
    """A reason that names something the student did or said, not a kind of work in general."""
    return any(words in reason for words in ("you said", "you named", "on your list", "you liked", "your quiz answers",
                                             "you picked"))


# The gamer: 14 of 42 quiz answers leaning hands-on and curious, and two things said.
GAMER = StudentProfile(quiz=quiz(14, likes="RI", unsure="A"), said=(
    Said(MINECRAFT, ("R", "A")), Said("i play video games basically every day", ("I",))))
STUDENTS = {
    "gamer": GAMER,
    # a finished quiz that leans helping and organizing, a value, a plan after high school
    "helper": StudentProfile(quiz=quiz(42, likes="SC"), values=(work_values()["relationships"],),
                             postsecondary=postsecondary_options()["two_year"]),
    # no quiz at all: three things said and a saved career
    "talker": StudentProfile(said=(Said("i draw comics all weekend", ("A",)), Said("i like biology class", ("I",)),
                                   Said("i help coach my little brother's soccer team", ("S",))), saved=(NURSE,)),
    # a quiz that likes everything: every career fits the types equally, only the reasons can differ
    "likes everything": StudentProfile(quiz=quiz(42, likes="RIASEC")),
    # the quiz only, half done, one type
    "quiz only": StudentProfile(quiz=quiz(21, likes="R")),
}


@pytest.mark.parametrize("name", STUDENTS)
def test_no_two_matches_give_the_same_reasons_and_each_names_the_students_own_evidence(name):
    matches = match_careers(STUDENTS[name], CATALOG.values())
    assert len(matches) == 5, name
    reasons = [match.reasons for match in matches]
    assert len(set(reasons)) == len(reasons), reasons
    for match in matches:
        assert any(own_evidence(reason) for reason in match.reasons), (match.occupation.title, match.reasons)


def test_the_minecraft_city_builder_hears_about_what_they_said_not_pilots_with_one_generic_reason():
    matches = match_careers(GAMER, CATALOG.values())
    titles = [match.occupation.title for match in matches]
    quoted = [match for match in matches if any(MINECRAFT[:30] in reason for reason in match.reasons)]
    assert quoted, [match.reasons for match in matches]
    assert all(match.occupation.riasec[:3].count("R") + match.occupation.riasec[:3].count("A") for match in quoted)
    # no reason is given to every match (the four careers shared one reason)
    for reason in matches[0].reasons:
        assert not all(reason in match.reasons for match in matches), reason
    assert not {"Dentist", "Commercial Pilot", "Game Warden"} <= set(titles), titles


def test_what_the_student_said_moves_the_matches():
    quiz_alone = StudentProfile(quiz=GAMER.quiz)
    assert [m.occupation for m in match_careers(quiz_alone, CATALOG.values())] != \
        [m.occupation for m in match_careers(GAMER, CATALOG.values())]


def test_a_saved_career_pulls_up_its_neighbours_and_is_not_suggested_again():
    profile = StudentProfile(quiz=quiz(14, likes="RIA"), saved=(ARCHITECT,))
    matches = match_careers(profile, CATALOG.values())
    assert ARCHITECT not in [match.occupation for match in matches]
    close = [match for match in matches if "it is close to Architect, a career on your list" in match.reasons]
    assert close and all(match.occupation.cluster_2024 == ARCHITECT.cluster_2024 for match in close)
    # pulled up: without the saved career it ranks lower, or not at all
    without = [m.occupation for m in match_careers(StudentProfile(quiz=profile.quiz), CATALOG.values(), limit=100)]
    assert close[0].occupation not in without[:matches.index(close[0]) + 1]


def test_a_career_the_student_took_back_or_said_no_to_is_never_suggested():
    first = match_careers(GAMER, CATALOG.values())[0].occupation
    again = match_careers(StudentProfile(quiz=GAMER.quiz, said=GAMER.said, rejected=frozenset({first.onet_soc})),
                          CATALOG.values(), limit=20)
    assert first not in [match.occupation for match in again]


def test_a_career_the_student_named_comes_first_with_their_words():
    profile = StudentProfile(quiz=quiz(14, likes="S"), said=(Said("maybe an architect someday", ("A",),
                                                                   (ARCHITECT.onet_soc,)),))
    top = match_careers(profile, CATALOG.values())[0]
    assert top.occupation == ARCHITECT and top.reasons[0] == "you named it: \u201cmaybe an architect someday\u201d"


def test_a_value_the_student_picked_is_named_in_the_words_they_tapped():
    relationships = work_values()["relationships"]
    matches = match_careers(StudentProfile(quiz=quiz(42, likes="S"), values=(relationships,)), CATALOG.values())
    said = f"you picked \u201c{relationships.button}\u201d as what matters most to you"
    assert any(said in match.reasons for match in matches)
    assert all(match.occupation.riasec[0] == "S" for match in matches if said in match.reasons)


def test_a_plan_that_does_not_reach_a_career_says_so_and_ranks_it_lower():
    work = postsecondary_options()["work"]

    def reached(occupation):
        return plan_reach(occupation, work.gives, work.leads_to) is not Reach.BEYOND

    quiz_alone = match_careers(StudentProfile(quiz=quiz(42, likes="RI")), CATALOG.values())
    assert not all(reached(match.occupation) for match in quiz_alone)
    matches = match_careers(StudentProfile(quiz=quiz(42, likes="RI"), postsecondary=work), CATALOG.values())
    assert all(reached(match.occupation) for match in matches)
    assert all(match.reasons[-1].startswith("your plan (Get a job)") for match in matches)
    # a student who likes only what needs more school hears that it does
    far = match_careers(StudentProfile(quiz=quiz(42, likes="I"), postsecondary=work), CATALOG.values())
    assert far[0].reasons[-1].endswith("more school than your plan (Get a job)")


@pytest.mark.parametrize("profile, words, thin", [
    (GAMER, "14 of 42 quiz answers and 2 things you told me", True),         # the student
    (STUDENTS["helper"], "all 42 quiz answers and what matters to you in a job", False),
    (STUDENTS["talker"], "3 things you told me and 1 career on your list", False),   # no quiz, but enough said
    (StudentProfile(quiz=quiz(3, likes="A")), "3 of 42 quiz answers", True),
    (StudentProfile(), "nothing yet", True),
])
def test_the_evidence_is_counted_and_thin_evidence_is_called_thin(profile, words, thin):
    assert evidence_words(profile) == words
    assert profile.thin is thin


def test_nothing_known_gives_no_matches():
    assert match_careers(StudentProfile(quiz=quiz(42, likes="")), CATALOG.values()) == []


@pytest.mark.parametrize("code, words", [
    ("RIA", "RIA: Realistic (hands-on), Investigative (curious), Artistic (creative)"),
    ("S", "S: Social (helping)"),
    ("", ""),
    (None, ""),
])
def test_an_interest_code_is_spelled_out_in_words(code, words):
    assert interest_code_words(code) == words


@pytest.mark.parametrize("text, said_no", [
    ("i dont want to be a dentist", True),                    # the mention's 4-word check reads this as liked
    ("i like science but i don't want to be a dentist", True),
    ("a nurse, not a dentist", True),
    ("anything but a dentist", True),
    ("i want to be a dentist", False),
    ("not sure, maybe a dentist", False),                     # unsure, not a no
    ("not sure maybe a dentist", False),
    ("i don't like math but i want to be a dentist", False),  # the no is about something else
])
def test_a_career_the_student_rejects_in_words_is_read_as_a_no(text, said_no):
    dentist = Mention("career", "29-1021.00", "Dentist", "I", "dentist")
    assert said_no_to(text, dentist) is said_no


def test_a_career_whose_description_reads_close_to_what_the_student_said_comes_up_with_their_words():
    brickmason = next(o for o in CATALOG.values() if o.title == "Brickmason")
    unrelated = [m.occupation for m in match_careers(GAMER, CATALOG.values())]
    related = StudentProfile(quiz=GAMER.quiz, said=(Said(MINECRAFT, ("R", "A"), related=((brickmason.onet_soc, 0.45),)),
                                                    GAMER.said[1]))
    matches = {m.occupation: m.reasons for m in match_careers(related, CATALOG.values())}
    assert brickmason not in unrelated and brickmason in matches
    assert f"you said \u201c{MINECRAFT}\u201d" in matches[brickmason]  # the words themselves, not a kind of work
