"""How the screen decides: shorthand, negation, idioms, and when the classifier's guess counts."""
import pytest

from bot.safety.lexicon import compile_lexicon, phrase_pattern, unreachable_words
from bot.safety.screen import screen
from bot.nlp.pipeline import load_pipeline


def ranking(*pairs):
    return [{"name": name, "confidence": confidence} for name, confidence in pairs]


@pytest.mark.parametrize("text, category", [
    ("i want to kill myself", "self_harm"),
    ("KMS", "self_harm"),
    ("i wanna unalive", "self_harm"),
    ("i want to diiiie", "self_harm"),
    ("i’m going to kill myself", "self_harm"),        # curly apostrophe
    ("my stepdad hits me", "abuse"),
    ("im bringing a knife to school tomorrow", "violence"),
])
def test_crisis_phrases_are_caught_by_the_rules(text, category):
    concern = screen(text)
    assert (concern.category, concern.severity, concern.source) == (category, "urgent", "rules")


@pytest.mark.parametrize("text", [
    "this homework is killing me",
    "i'm dying to see that movie",
    "i killed it at tryouts",
    "i would never hurt myself, i just like drawing",
    "i'm not going to kill myself over one quiz lol",
    "i want to be a suicide prevention counselor",
    "i want to be a forensic scientist",
])
def test_idioms_negations_and_career_talk_are_not_a_crisis(text):
    concern = screen(text)
    assert concern is None or not concern.is_crisis


def test_a_negation_elsewhere_in_the_message_does_not_cancel_a_crisis():
    assert screen("people won't see the bruises my dad leaves").category == "abuse"
    assert screen("no one would notice if i was gone").category == "self_harm"


def test_a_crisis_buried_in_career_talk_is_still_caught():
    text = ("i want to be a nurse and i like biology. " * 20) + "honestly i want to die. anyway what classes should i take"
    assert screen(text).category == "self_harm"


def test_a_crisis_at_the_end_of_a_very_long_message_is_caught():
    assert screen("i like drawing. " * 5000 + "i want to kill myself").category == "self_harm"


def test_crisis_wins_over_a_follow_up_in_the_same_message():
    assert screen("i'm failing math and i want to die").category == "self_harm"


def sees_some_risk(units):
    return [{"none": 0.7, "self_harm": 0.3, "abuse": 0.0, "violence": 0.0} for _ in units]


def test_the_classifiers_crisis_guess_counts_when_nothing_explains_it_away():
    concern = screen("everything is grey and heavy", ranking(("greet", 0.5), ("concern_self_harm", 0.4)),
                     read=sees_some_risk)
    assert (concern.category, concern.source, concern.confidence) == ("self_harm", "classifier", 0.4)


def test_the_classifiers_crisis_guess_is_ignored_for_an_idiom_or_a_negation():
    assert screen("this homework is killing me", ranking(("concern_self_harm", 0.9)), read=sees_some_risk) is None
    assert screen("i would never kill myself", ranking(("concern_self_harm", 0.9)), read=sees_some_risk) is None


def test_a_weak_crisis_guess_is_below_the_threshold():
    assert screen("everything is grey", ranking(("concern_self_harm", 0.2)), crisis_threshold=0.35,
                  read=sees_some_risk) is None


def sees_some_academic_trouble(units):
    return [{"none": 0.7, "academic": 0.3, "self_harm": 0.0, "abuse": 0.0, "violence": 0.0} for _ in units]


def test_a_follow_up_guess_counts_only_as_the_confident_top_intent_that_the_reader_backs():
    read = sees_some_academic_trouble
    assert screen("hmm", ranking(("concern_academic", 0.8)), read=read).category == "academic"
    assert screen("hmm", ranking(("share_interest", 0.6), ("concern_academic", 0.39)), read=read) is None
    assert screen("hmm", ranking(("concern_academic", 0.5)), follow_up_threshold=0.6, read=read) is None
    assert screen("honors english 9", ranking(("concern_academic", 0.8)), read=sees_some_risk) is None


@pytest.mark.parametrize("text, category, severity", [
    ("people keep bullying me at lunch", "bullying", "high"),
    ("im going to drop out", "dropout_risk", "high"),
    ("can i talk to a real person", "human_request", "normal"),
    ("i have an iep", "accommodations", "normal"),
])
def test_follow_ups_carry_their_severity(text, category, severity):
    concern = screen(text)
    assert (concern.category, concern.severity) == (category, severity)


def test_ordinary_plan_talk_raises_nothing():
    for text in ["i like fixing engines", "i want to be a nurse", "what's in my plan", "", "🎸🎸🎸", "<script>x</script>"]:
        assert screen(text) is None, text


def test_phrase_words_match_every_form_of_a_base_word_but_only_the_written_form_otherwise():
    nlp = load_pipeline()
    assert phrase_pattern(nlp, "kill myself")[0] == {"LEMMA": {"IN": ["kill"]}}
    assert phrase_pattern(nlp, "been cutting")[0] == {"LOWER": {"IN": ["been"]}}
    assert phrase_pattern(nlp, "want * die")[1:3] == [{"OP": "?"}, {"OP": "?"}]


def test_a_bad_phrase_names_itself():
    with pytest.raises(ValueError, match="'hurt my self-esteem'"):
        phrase_pattern(load_pipeline(), "hurt my self-esteem")


def test_a_phrase_word_that_shorthand_rewrites_is_found_unless_a_neighbour_covers_it():
    shorthand = {"blade": "knife", "wanna": "want to", "kms": "kill myself"}
    assert unreachable_words("razor blade", shorthand) == ["blade"]
    assert unreachable_words("kms|end it", shorthand) == ["kms"]
    assert unreachable_words("razor knife|blade", shorthand) == []
    assert unreachable_words("want|wanna to die", shorthand) == []
    assert unreachable_words("!blade razor", shorthand) == []


def test_the_shipped_lexicon_compiles():
    lexicon = compile_lexicon(load_pipeline())
    assert len(lexicon.matcher) >= 11 and lexicon.shorthand["kms"] == "kill myself"


@pytest.mark.parametrize("text", [
    "are you a real person?", "r u a bot", "is this a bot or a real person", "am i talking to a robot rn",
    "can my teachers read this", "does my counselor see my messages",
])
def test_asking_what_the_bot_is_asks_for_no_one(text):
    assert screen(text) is None


def test_a_request_for_a_person_after_asking_what_the_bot_is_still_counts():
    assert screen("are you a bot? i want to talk to a real person").category == "human_request"


@pytest.mark.parametrize("text, expected", [
    # issue 15: a goal's step the intent classifier took for an academic concern (0.79) raises nothing
    ("go to tutoring with Mr. Lee", None),
    ("step 2 go to office hours", None),
    # study help named as a plan explains away neither a rule's follow-up nor a crisis
    ("i need to go to tutoring because im failing math", "academic"),
    ("going to tutoring then i want to kill myself", "self_harm"),
])
def test_study_help_named_as_a_plan_only_quiets_the_classifiers_follow_up_guess(text, expected):
    concern = screen(text, [{"name": "concern_academic", "confidence": 0.79}])
    assert (concern.category if concern else None) == expected


def sure_of_academic_trouble(texts):
    return [{"none": 0.05, "academic": 0.95, "self_harm": 0.0, "abuse": 0.0, "violence": 0.0} for _ in texts]


def test_a_goal_about_grades_or_a_tutoring_step_is_a_plan_not_trouble():
    # the rules' "grade up", the classifier's guess and the reader's reading all stay quiet on a plan...
    assert screen("get my english grade up to a B", read=sure_of_academic_trouble) is None
    assert screen("step go to tutoring tuesdays", ranking(("concern_academic", 0.9)), read=sure_of_academic_trouble) is None
    assert screen("my goal is raise my gpa to a 3.5", read=sure_of_academic_trouble) is None
    # ...but trouble told in the same words is still flagged, and no crisis is explained away
    assert screen("i need to go to tutoring because im failing everything").category == "academic"
    assert screen("step go to tutoring, also i want to kill myself").is_crisis


def test_the_classifiers_crisis_guess_needs_a_few_words():
    guess = ranking(("concern_self_harm", 0.9))
    assert screen("by xmas", guess, read=sees_some_risk) is None  # a due date typed into a goal
    assert screen("everything feels pointless lately", guess, read=sees_some_risk).category == "self_harm"


@pytest.mark.parametrize("text, category", [
    ("kept googling lethal doses last night", "self_harm"),
    ("how much of my insulin would be lethal", "self_harm"),
    ("how would i make it look like an accident", "self_harm"),
    ("relapsing with the razor again", "self_harm"),
    ("she held my hand over the stove burner", "abuse"),
    ("my stepdad threw a bottle at me", "abuse"),
    ("my dad uses the belt on us when he's mad", "abuse"),
    ("mi papá me dejó sangrando el brazo", "abuse"),
    ("my ex said hell kill me if i leave", "violence"),
    ("they said they would jump me after school", "violence"),
    ("got my uncles gun and i know who i would use it on", "violence"),
])
def test_means_relapse_burns_and_threats_of_the_eighth_set_kinds(text, category):
    concern = screen(text)
    assert concern is not None and concern.category == category


@pytest.mark.parametrize("text", ["i cut myself shaving lol", "my uncle is an emt and talks about overdose calls",
                                  "she said she would catch me up on the notes", "my dad uses the belt sander",
                                  "do pharmacists have to learn about lethal doses"])
def test_shaving_cuts_overdose_calls_and_catching_up_are_not_a_crisis(text):
    concern = screen(text, read=lambda units: [{"none": 1.0, "self_harm": 0.0, "abuse": 0.0, "violence": 0.0}
                                               for _ in units])
    assert concern is None or not concern.is_crisis


@pytest.mark.parametrize("text, category", [
    ("every night i wish i wouldnt wake up", "self_harm"),
    ("i want to drive my car into a pole on purpose", "self_harm"),
    ("wrote a note for whoever finds me", "self_harm"),
    ("i smashed the window on purpose so the pieces would cut me", "self_harm"),
    ("mi tio tiene un cuchillo y pienso en usarlo conmigo", "self_harm"),
    ("voy a caminar en la carretera a ver si un camion me atropella", "self_harm"),
    ("cuantos pisos necesito para morir si me tiro", "self_harm"),
    ("if they jump me im bringing my burner", "violence"),
])
def test_wishes_crashes_notes_and_means_of_the_ninth_set_kinds(text, category):
    concern = screen(text, read=lambda units: [{"none": 1.0, "self_harm": 0.0, "abuse": 0.0, "violence": 0.0}
                                               for _ in units])
    assert concern is not None and concern.category == category


@pytest.mark.parametrize("text", ["i hope i dont wake up late for the sat", "i crashed my car on purpose in the game lol",
                                  "leave a note for whoever finds the lost dog"])
def test_late_alarms_game_crashes_and_lost_pets_are_not_a_crisis(text):
    concern = screen(text, read=lambda units: [{"none": 1.0, "self_harm": 0.0, "abuse": 0.0, "violence": 0.0}
                                               for _ in units])
    assert concern is None or not concern.is_crisis
