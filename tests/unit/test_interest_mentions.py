"""Free-text interest statements raise the intended RIASEC type through the project's spaCy pipeline."""
import pytest

from bot.careers.catalog import occupations
from bot.nlp.mentions import find_mentions


def liked_types(text: str) -> set[str]:
    return {mention.riasec for mention in find_mentions(text) if not mention.disliked}


@pytest.mark.parametrize("text, expected", [
    ("I love fixing engines", "R"),                     # inflected verb and plural noun, matched by lemma
    ("me and my dad fix cars every saturday", "R"),
    ("i draw all weekend", "A"),
    ("I'm really into coding", "I"),
    ("biology is my favorite class", "I"),
    ("i play guitar in a band", "A"),
    ("I babysit my cousins a lot", "S"),
    ("I want to be a nurse", "S"),
    ("maybe an electrician like my aunt", "R"),
    ("I LOVE DRAWING", "A"),                            # shouting is still drawing
])
def test_statement_raises_the_intended_type(text, expected):
    assert expected in liked_types(text)


@pytest.mark.parametrize("text", [
    "this homework is killing me",   # idiom, no interest
    "idk",                           # nothing to find
    "😀😀😀",                         # emoji only
    "<script>alert(1)</script>",     # markup
])
def test_nothing_is_found_where_nothing_was_said(text):
    assert find_mentions(text) == []


def test_dislikes_are_marked_not_counted():
    mentions = {m.item_id: m.disliked for m in find_mentions("I hate algebra but I like biology")}
    assert mentions == {"algebra": True, "biology": False}


def test_huge_input_is_cut_not_choked_on():
    assert liked_types("i like drawing " + "x " * 100_000) == {"A"}


def test_a_negation_anywhere_earlier_in_the_clause_rejects_what_it_names():
    # issue 19: "i dont want to be a dentist" was saved as liking Dentist (the window looked four words back)
    assert [(m.label, m.disliked) for m in find_mentions("i dont want to be a dentist")] == [("Dentist", True)]
    assert [(m.label, m.disliked) for m in find_mentions("i really do not ever want to become a dentist")] == [
        ("Dentist", True)]
    # the clause ends at "but", a comma or "and": what comes after is liked again
    assert [(m.label, m.disliked) for m in find_mentions("i dont like math but i want to be a dentist")] == [
        ("Math", True), ("Dentist", False)]
    # being unsure is not rejecting
    assert [(m.label, m.disliked) for m in find_mentions("im not sure, maybe an electrician")] == [
        ("Electrician", False)]


@pytest.mark.parametrize("text, named", [
    ("im bored rn", False),                   # texting "right now"
    ("i like math rn", False),
    ("i study for an hr after school", False),
    ("i wanna be an rn", True),
    ("I want to be an RN", True),              # capitals name the job wherever they stand
    ("i want to work in hr", True),
])
def test_texting_words_name_a_job_only_where_a_job_is_meant(text, named):
    careers = {mention.item_id for mention in find_mentions(text) if mention.kind == "career"}
    assert bool(careers) == named, careers


def test_the_catalog_says_after_which_words_a_texting_word_names_a_job():
    # data/careers/occupations.yml, not code, says where "rn" and "hr" in small letters mean the job
    catalog = occupations()
    assert catalog["29-1141.00"].words_needed_before("rn") == {"a", "an", "the", "be", "become"}
    assert catalog["13-1071.00"].words_needed_before("hr") == {"in", "the", "into"}
    assert "rn" in catalog["29-1141.00"].aliases  # still an alias: the pipeline's patterns come from the aliases


@pytest.mark.parametrize("text, code", [
    ("i want to do it support", "15-1232.00"),           # "it support" after "do": the job, not the pronoun
    ("im thinking industrial designer", "27-1021.00"),   # added with 29 more jobs students name
    ("i wanna be a pro athlete", "27-2021.00"),
    ("maybe an er doctor", "29-1214.00"),
])
def test_jobs_students_name_are_in_the_catalog(text, code):
    assert code in {mention.item_id for mention in find_mentions(text) if mention.kind == "career"}


@pytest.mark.parametrize("text", [
    "i do homework at the coffee shop after school",   # "coffee shop worker" names Barista; the shop alone does not
    "can you make it support dark mode",              # "it support" in small letters only after a, an, the, do, in...
])
def test_an_added_alias_does_not_match_inside_an_ordinary_sentence(text):
    assert [mention for mention in find_mentions(text) if mention.kind == "career"] == []


@pytest.mark.parametrize("text, title", [
    ("what do cosmetologists do all day", "Hairstylist"),        # a plural the lookup lemmatizer does not know
    ("are hairstylists paid well", "Hairstylist"),
    ("my uncles are electricians", "Electrician"),                # one it knows, as before
])
def test_a_job_named_in_the_plural_is_the_job(text, title):
    assert [mention.label for mention in find_mentions(text) if mention.kind == "career"] == [title]


def test_a_plural_is_read_as_its_singular_only_when_the_singular_is_a_catalog_word():
    assert [m.item_id for m in find_mentions("i like building with legos")] == ["build_things"]  # "lego" is one
    assert find_mentions("i like bonus points") == []  # "bonu" is none: read as it was
