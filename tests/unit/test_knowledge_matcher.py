"""The matcher's decision, on a fake encoder whose vectors are chosen by hand (the real one: test_knowledge_retrieval)."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from bot.knowledge.entries import Entry
from bot.knowledge.matcher import Matcher, is_question
from bot.knowledge.service import find_answer


def make_entry(entry_id: str, questions: list[str], key_terms: tuple = (), reviewed=dt.date(2026, 11, 1),
               topic: str = "tests") -> Entry:
    return Entry(id=entry_id, topic=topic, questions=questions, key_terms=list(key_terms),
                 answer=f"The answer of {entry_id}, in plain words.", last_reviewed=reviewed,
                 source={"title": "An official page", "url": "https://example.gov/page"})


def unit(*components: float) -> np.ndarray:
    vector = np.array(components, dtype=np.float32)
    return vector / np.linalg.norm(vector)


# Example questions sit on the axes; a message's vector is set so its cosine to each axis is what a case needs.
VECTORS = {
    "what is the asvab": unit(1, 0, 0),
    "is the asvab hard": unit(1, 0, 0),
    "what is the psat": unit(0, 1, 0),
    "does the psat count": unit(0, 1, 0),
}


def fake_encode(texts):
    def vector(text):
        if text in VECTORS:
            return VECTORS[text]
        if text.startswith("cos "):  # "cos 0.9 0.2 ...": a message with these cosines to the ASVAB and PSAT axes
            a, p = (float(x) for x in text.split()[1:3])
            return np.array([a, p, np.sqrt(max(0.0, 1 - a * a - p * p))], dtype=np.float32)
        return unit(0, 0, 1)
    return np.stack([vector(text) for text in texts])


def two_entries(psat_topic: str = "tests") -> list[Entry]:
    return [make_entry("asvab", ["what is the asvab", "is the asvab hard"], key_terms=("asvab",), topic="military"),
            make_entry("psat", ["what is the psat", "does the psat count"], key_terms=("psat", "nmsqt"),
                       topic=psat_topic)]


@pytest.fixture
def matcher():
    return Matcher(two_entries(), fake_encode, threshold=0.8, lead_threshold=0.65, lead=0.15, key_term_bonus=0.1)


@pytest.mark.parametrize("text, answered", [
    ("cos 0.85 0.2 what?", "asvab"),  # above the threshold
    ("cos 0.79 0.7 what?", None),  # below it, and close to the other entry too
    ("cos 0.70 0.50 what?", "asvab"),  # below the threshold but far ahead of the next entry
    ("cos 0.70 0.58 what?", None),  # below the threshold and only 0.12 ahead
    ("cos 0.60 0.0 what?", None),  # far ahead but too far from any example
    ("cos 0.2 0.1 what?", None),  # nothing near
])
def test_answers_only_above_the_threshold_or_clearly_ahead_of_the_next_entry(matcher, text, answered):
    found = matcher.match(text)
    assert (found.entry.id if found else None) == answered


def test_a_key_term_adds_its_bonus_as_a_whole_word_or_plural(matcher):
    # 0.72 alone and only 0.12 ahead: not answered; with the key term, 0.82.
    assert matcher.match("cos 0.72 0.6 what?") is None
    found = matcher.match("cos 0.72 0.6 what about the ASVAB?")
    assert (found.entry.id, found.key_term, round(found.score, 2)) == ("asvab", "asvab", 0.82)
    psat = {ranked.entry.id: ranked for ranked in matcher.rank("cos 0.72 0.6 what about psats?")}["psat"]
    assert (psat.key_term, round(psat.score, 2)) == ("psat", 0.7)
    assert matcher.rank("cos 0.72 0.6 what about asvabing?")[0].key_term is None  # not a word of its own


def test_a_key_term_answers_a_message_the_encoder_reads_poorly_when_no_other_entry_is_named_or_close(matcher):
    # 0.38 + 0.1: from KEY_TERM_FLOOR (0.45), KEY_TERM_LEAD (0.1) ahead, and no rival names a key term of its own.
    assert matcher.match("cos 0.38 0.0 asvab?").entry.id == "asvab"
    assert matcher.match("cos 0.38 0.36 asvab?").entry.id == "asvab"  # 0.48 against 0.36
    assert matcher.match("cos 0.38 0.40 asvab?") is None  # 0.48 against 0.40: only 0.08 ahead
    assert matcher.match("cos 0.38 0.0 asvab or psat?") is None  # the rival is named too
    assert matcher.match("cos 0.38 0.0 what?") is None  # no key term: the usual thresholds


def test_the_top_entrys_own_key_term_needs_a_smaller_lead_over_a_rival_that_names_its_own(matcher):
    # "does kees work at community college": both named; 0.57 + 0.1 = 0.67 leads 0.45 + 0.1 = 0.55 by 0.12.
    assert matcher.match("cos 0.57 0.45 asvab or psat?").entry.id == "asvab"
    assert matcher.match("cos 0.57 0.50 asvab or psat?") is None  # only 0.07 ahead
    assert matcher.match("cos 0.50 0.30 asvab or psat?") is None  # 0.60: below the lead threshold
    assert matcher.match("cos 0.57 0.45 psat or asvab, what?") is not None  # the order of the terms is no matter
    assert matcher.match("cos 0.67 0.55 what?") is None  # no key term: the lead of 0.15 still holds


def test_the_bonus_cannot_answer_what_is_far_from_every_example(matcher):
    assert matcher.match("cos 0.3 0.0 asvab?") is None


def test_two_entries_of_one_topic_close_to_a_message_are_no_doubt_the_top_one_answers():
    # As the threshold test's "cos 0.79 0.7" (not answered when the entries' topics differ), on entries of one topic.
    same_topic = Matcher(two_entries(psat_topic="military"), fake_encode, threshold=0.8, lead_threshold=0.65,
                         lead=0.15, key_term_bonus=0.1)
    assert same_topic.match("cos 0.79 0.7 what?").entry.id == "asvab"
    assert same_topic.match("cos 0.60 0.55 what?") is None  # still below the lead threshold


@pytest.mark.parametrize("text", [
    "i finished the asvab", "i want to join the navy", "community college", "ok", "", "   ",
    "creo que quiero ser enfermera", "me gusta como cocina mi abuela", "i like cooking, i can make tacos",
    "i do it every weekend", "this is it", "my sister is a nurse and i think i could do that too",
    "cuando termine la prepa quiero ser soldador", "como mi hermana, quiero ir a la universidad",
])
def test_a_message_that_asks_nothing_is_never_answered(text):
    assert not is_question(text)
    # Every text encodes to the same vector, so the message is as close to the entry as can be.
    only = Matcher([make_entry("same", ["what is the asvab", "is the asvab hard"])],
                   lambda texts: np.ones((len(texts), 3), dtype=np.float32) / np.sqrt(3))
    assert only.match(text) is None


@pytest.mark.parametrize("text", [
    "what is the asvab", "whats kees", "what's a cna", "wat is fafsa", "is the act hard", "r u a bot",
    "so um can i get my cna", "sat or act?", "public vs private college", "tell me about kees",
    "i dont know how kees works", "need help with fafsa", "lol wait r u a bot", "btw is the psat hard",
    "hi i need help w the fafsa", "que es el fafsa", "y el kees como funciona", "cuánto gana un electricista",
    "puedo sacar mi cna en la prepa", "oye qué es el asvab", "our school has a tech center, can i get certified there",
    # asked mid-sentence with no comma, or through someone else
    "my parents arent citizens will they still be able to fill it out", "if i drop a class does it go on my record",
    "my grandma asks if the army pays for college", "my mom wants to know about kees",
    # unaccented Spanish question words at the start (added after set H was read)
    "como pido ayuda para pagar la universidad", "cuando abre la solicitud", "donde busco programas de verano",
])
def test_questions_and_requests_for_information_are_questions(text):
    assert is_question(text)


def test_the_answer_carries_its_sources_and_says_when_it_is_stale():
    old = make_entry("asvab", ["what is the asvab", "is the asvab hard"], reviewed=dt.date(2025, 1, 2))
    matcher = Matcher([old, make_entry("psat", ["what is the psat", "does the psat count"])], fake_encode)
    answer = find_answer("what is the asvab", matcher=matcher, today=dt.date(2026, 12, 6))
    assert (answer.entry_id, answer.stale, answer.last_reviewed) == ("asvab", True, dt.date(2025, 1, 2))
    assert answer.source_line == "Source: An official page, https://example.gov/page"
    assert find_answer("what is the asvab", matcher=matcher, today=dt.date(2025, 6, 1)).stale is False
    assert find_answer("how's the weather", matcher=matcher) is None


def test_a_follow_up_is_read_with_the_question_the_answer_before_it_was_for():
    # The follow-up alone is far from every example; with the ASVAB's first question in front it is the ASVAB.
    VECTORS["what is the asvab cos 0.35 0.0 should i prep for it?"] = unit(1, 0, 0)
    VECTORS["what is the asvab cos 0.20 0.0 can you tell me a joke about it?"] = unit(1, 0, 0)
    VECTORS["what is the asvab cos 0.35 0.0 should i prep for the test?"] = unit(1, 0, 0)
    matcher = Matcher([make_entry("asvab", ["what is the asvab", "is the asvab hard"], key_terms=("asvab",)),
                       make_entry("psat", ["what is the psat", "does the psat count"])], fake_encode)
    assert matcher.match("cos 0.35 0.0 should i prep for it?") is None  # no answer before it: nothing to go on
    found = matcher.match("cos 0.35 0.0 should i prep for it?", follows="asvab")
    assert found is not None and found.entry.id == "asvab"
    # Nothing in the message that points back ("it", "that", "too"): read on its own, as always.
    assert matcher.match("cos 0.35 0.0 should i prep for the test?", follows="asvab") is None
    # Points back, but has nothing to do with the topic on its own (below FOLLOW_UP_FLOOR): no answer.
    assert matcher.match("cos 0.20 0.0 can you tell me a joke about it?", follows="asvab") is None


@pytest.mark.parametrize("text, points_back", [
    ("do i need to study for it", True), ("is there state money too", True), ("and the act?", True),
    ("how long is school for that", True), ("do they get paid well", True),
    ("what is the asvab", False), ("how does this work", False), ("is there a test", False),
])
def test_what_points_back_at_the_last_answer(text, points_back):
    from bot.knowledge.matcher import refers_back

    assert refers_back(text) is points_back


def test_a_bot_reply_names_the_entry_it_came_from():
    matcher = Matcher([make_entry("asvab", ["what is the asvab", "is the asvab hard"]),
                       make_entry("psat", ["what is the psat", "does the psat count"])], fake_encode)
    assert matcher.entry_answered("The answer of psat, in plain words.\nSource: An official page") == "psat"
    assert matcher.entry_answered("Sorry, I didn't get that.") is None
