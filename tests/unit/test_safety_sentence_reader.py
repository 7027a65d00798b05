"""How the screen weighs the sentence reader: on its own word, as the intent classifier's check, sentence by sentence.

The reader is given here as a function (its real, trained self is measured by tests/safety and
bot.safety.report), so each rule of the combination is tested on its own.
"""
from bot.safety.classifier import NONE, screened_units
from bot.safety.screen import (
    READER_AGREES_THRESHOLD,
    READER_CHECK_IN_THRESHOLD,
    READER_CRISIS_THRESHOLD,
    READER_FOLLOW_UP_THRESHOLD,
    screen,
)


def ranking(*pairs):
    return [{"name": name, "confidence": confidence} for name, confidence in pairs]


def reads(by_unit, whole_too=True):
    """A reader that gives each unit containing a key the probabilities of that key (else all "none");
    with `whole_too` false, only a sentence of its own, as the real reader's view of a long message is diluted."""
    def read(units):
        found = []
        for number, unit in enumerate(units):
            probabilities = next((p for words, p in by_unit.items() if words in unit and (whole_too or number)), {})
            found.append({NONE: 1.0 - sum(probabilities.values()), "self_harm": 0.0, "abuse": 0.0, "violence": 0.0,
                          "academic": 0.0, **probabilities})
        return found
    return read


def test_a_message_is_read_whole_and_sentence_by_sentence():
    assert screened_units("what classes do i need for nursing? also i keep thinking about it") == [
        "what classes do i need for nursing? also i keep thinking about it",
        "what classes do i need for nursing?", "also i keep thinking about it"]
    assert screened_units("one sentence only") == ["one sentence only"]


def test_a_fragment_of_one_or_two_words_is_read_only_within_the_whole_message():
    assert screened_units("ok whatever. i like drawing in art class") == ["ok whatever. i like drawing in art class"]
    assert screened_units("lol. what do nurses do? ugh. i keep thinking about it") == [
        "lol. what do nurses do? ugh. i keep thinking about it", "what do nurses do?", "i keep thinking about it"]


def test_the_reader_alone_raises_a_crisis_it_is_sure_of_in_one_sentence():
    read = reads({"grey feeling": {"self_harm": READER_CRISIS_THRESHOLD + 0.1}}, whole_too=False)
    concern = screen("what do i need for nursing school? the grey feeling is back tonight", read=read)
    assert (concern.category, concern.source, concern.matched) == ("self_harm", "reader", "the grey feeling is back tonight")


def test_a_crisis_the_reader_is_unsure_of_needs_the_intent_classifier_too():
    unsure = reads({"grey": {"self_harm": READER_AGREES_THRESHOLD + 0.05}})
    assert screen("everything is grey", read=unsure) is None
    concern = screen("everything is grey", ranking(("concern_self_harm", 0.5)), read=unsure)
    assert (concern.category, concern.source) == ("self_harm", "classifier")


def test_a_spanish_message_gets_nothing_from_the_intent_classifier():
    """The intent classifier learned English: its crisis guesses on Spanish were mostly false alarms. The same guess
    on an English message counts (test_a_crisis_the_reader_is_unsure_of_needs_the_intent_classifier_too)."""
    sure = reads({"gris": {"self_harm": READER_AGREES_THRESHOLD + 0.1}})
    assert screen("todo esta gris con mi hermano", ranking(("concern_self_harm", 0.9)), read=sure) is None


def test_the_reader_alone_needs_the_same_certainty_in_spanish():
    unsure = reads({"quiero": {"self_harm": READER_CRISIS_THRESHOLD - 0.01}})
    assert not screen("quiero ser mecánico de carros", read=unsure).is_crisis  # asked about, not acted on
    sure = reads({"quiero": {"self_harm": READER_CRISIS_THRESHOLD + 0.01}})
    assert screen("quiero ser mecánico de carros", read=sure).is_crisis


def test_below_the_crisis_threshold_the_reader_asks_first():
    asks = reads({"grey": {"abuse": READER_CHECK_IN_THRESHOLD + 0.01}})
    concern = screen("everything at home is grey", read=asks)
    assert (concern.category, concern.is_check_in, concern.is_crisis) == ("abuse", True, False)
    assert screen("everything at home is grey", read=reads({"grey": {"abuse": READER_CHECK_IN_THRESHOLD - 0.01}})) \
        is None


def test_no_check_in_for_an_advisors_note_or_two_words():
    asks = reads({"grey": {"self_harm": READER_CHECK_IN_THRESHOLD + 0.1}})
    assert screen("she said everything is grey", read=asks, reported=True) is None
    assert screen("grey again", read=asks) is None


def test_an_advisors_note_is_not_judged_by_the_intent_classifier():
    sure = reads({"knee": {"self_harm": READER_AGREES_THRESHOLD + 0.1}})
    assert screen("she hurt her knee and liked her PT", ranking(("concern_self_harm", 0.9)), read=sure,
                  reported=True) is None


def test_the_intent_classifiers_crisis_guess_alone_raises_nothing():
    """What made "nxt friday", typed as a due date, a threat of violence."""
    assert screen("nxt friday", ranking(("concern_violence", 0.6)), read=reads({})) is None


def test_the_reader_is_not_vetoed_by_an_idiom_elsewhere_in_the_message():
    read = reads({"hits me": {"abuse": 0.9}})
    assert screen("lol this class is killing me. my dad hits me when he drinks", read=read).category == "abuse"


def test_the_rules_still_win_when_the_reader_sees_nothing():
    assert screen("i want to kill myself", read=reads({})).source == "rules"


def test_a_follow_up_the_reader_is_sure_of_counts():
    read = reads({"credits behind": {"academic": READER_FOLLOW_UP_THRESHOLD + 0.1}})
    concern = screen("im 5 credits behind", read=read)
    assert (concern.category, concern.source) == ("academic", "reader")
    assert screen("im 5 credits behind", read=reads({"credits": {"academic": READER_FOLLOW_UP_THRESHOLD - 0.1}})) is None


def test_a_near_miss_is_read_again_without_its_words():
    # "doctor" is career talk: the sentence is read again without it, and the neglect is still there.
    read = reads({"nobody has taken me to a in years": {"abuse": 0.99}, "doctor": {"abuse": 0.99}})
    concern = screen("nobody has taken me to a doctor in years", read=read)
    assert (concern.category, concern.source) == ("abuse", "reader")


def test_a_near_miss_still_explains_away_what_its_words_alone_carried():
    # Without "suicide prevention" nothing alarming is left.
    read = reads({"suicide prevention": {"self_harm": 0.99}})
    assert screen("i want to work in suicide prevention when i grow up", read=read) is None


def test_a_negated_crisis_phrase_taken_out_with_its_negation_leaves_nothing():
    read = reads({"suicidal": {"self_harm": 0.99}, "dead tired": {"self_harm": 0.99}})
    assert screen("im not suicidal lol, just dead tired from the game", read=read) is None


def test_a_denial_does_not_veto_the_disclosure_after_it():
    # "not ... want to die" is negated, so the rule is silent; read again without the denial, the wish is still there.
    read = reads({"vanish for good": {"self_harm": 0.99}})
    concern = screen("i do not want to die really, i want to vanish for good", read=read)
    assert (concern.category, concern.source) == ("self_harm", "reader")
    # The lesser of the two readings counts: the denial's words alone carried the reading.
    assert screen("i would never hurt myself, just tired of class", read=reads({"hurt myself": {"self_harm": 0.99}})) \
        is None


def test_a_crisis_after_a_comma_and_anyway_is_a_sentence_of_its_own():
    assert "anyway whats a good career for me" in screened_units("my mom threw a cup at me again, anyway whats a good "
                                                                 "career for me")
