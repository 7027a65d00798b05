"""The matcher on the real sentence encoder, against student questions written before it (tests/knowledge/questions.yml).

The figures the README reports come from `python -m bot.knowledge.evaluate`; these tests keep them from sliding.
"""
from __future__ import annotations

import pytest

from bot.knowledge import evaluate
from bot.knowledge.service import find_answer, shipped_matcher


@pytest.fixture(scope="module")
def matcher():
    return shipped_matcher()


@pytest.fixture(scope="module")
def tally(matcher):
    examples = {" ".join(question.casefold().split()) for question in matcher.questions}
    cases = [case for case in evaluate.held_out_cases() if " ".join(case.text.casefold().split()) not in examples]
    result = evaluate.measure(matcher, cases)
    print(f"\nheld-out student questions: {result.summary()}")
    return result


def test_most_questions_an_entry_covers_get_that_entry(tally):
    # Measured 0.793 (73 of 92) when written; wrong entries 3.
    assert tally.right / tally.covered >= 0.75, tally.summary()
    assert tally.wrong <= 4, tally.mistakes


def test_questions_no_entry_covers_get_no_answer(tally):
    # 45 questions near a topic or off it ("what is a gap year", "how much do nurses make"): 1 answered when written.
    assert tally.answered_not_covered <= 2, [m for m in tally.mistakes if not m[1]]


@pytest.mark.parametrize("text, entry_id", [
    # the dead ends issue 19 found, in the students' words
    ("What is the FAFSA and when do I fill it out?", "fafsa"),
    ("how do i apply for financial aid", "fafsa"),
    ("can i get my CNA in high school?", "cna_in_high_school"),
    ("are you a real person?", "bot_not_person"),
    ("who can see what i type here?", "privacy_who_sees"),
    # and a few more a counselor would expect
    ("how do i get kees money", "kees"),
    ("what is the asvab", "asvab"),
    ("what is dual credit", "dual_credit"),
])
def test_the_questions_students_came_for_are_answered(matcher, text, entry_id):
    found = find_answer(text, matcher=matcher)
    assert found is not None and found.entry_id == entry_id, (text, matcher.rank(text)[:2])


@pytest.mark.parametrize("text", [
    "what's the weather tomorrow",  # off topic
    "how much do nurses make",  # pay: a career question the knowledge base has no entry for
    "what is a gap year",  # near a topic, not covered
    "i finished the fafsa",  # a report, not a question
    "i want to join the navy",  # a plan, not a question
    "asdfgh",
])
def test_below_the_threshold_or_not_a_question_there_is_no_answer(matcher, text):
    assert find_answer(text, matcher=matcher) is None, matcher.rank(text)[:2]


@pytest.mark.parametrize("text, entry_id", [
    # added for issue 19's second blind set: who sees the chat, licenses, KEES is no loan, reaching a person
    ("is my chat with you private", "privacy_who_sees"),
    ("do i need a license to be a barber", "job_licenses"),
    ("will they make me pay back my kees", "kees"),
    ("lol are you a bot", "bot_not_person"),  # a filler before the question
    ("how do i get an appointment with the counseling office", "reach_counselor"),
])
def test_questions_added_since_the_second_blind_set_are_answered(matcher, text, entry_id):
    found = find_answer(text, matcher=matcher)
    assert found is not None and found.entry_id == entry_id, (text, matcher.rank(text)[:2])


@pytest.mark.parametrize("text, entry_id", [
    # added after set F was read (worded unlike its turns): who sees, whether it is a person, tests, certifications,
    # kinds of colleges, state aid, the FAFSA without a Social Security number
    ("can my dad see what i put here", "privacy_who_sees"),
    ("do teachers see these", "privacy_who_sees"),
    ("am i texting a real human rn", "bot_not_person"),
    ("do colleges still look at test scores", "test_optional"),
    ("can i get a cert in high school for being a medical assistant", "industry_certifications"),
    ("whats the point of a liberal arts school", "other_college_kinds"),
    ("is an online college a real college", "other_college_kinds"),
    ("is the work ready scholarship only for kentucky", "state_aid"),
    ("can i use my kees money at a community college", "kees"),
    ("what if my parent doesnt have an ssn", "fafsa"),
    ("does this app keep what i type forever", "chat_kept"),
])
def test_questions_added_since_set_f_are_answered(matcher, text, entry_id):
    found = find_answer(text, matcher=matcher)
    assert found is not None and found.entry_id == entry_id, (text, matcher.rank(text)[:2])


@pytest.mark.parametrize("text, entry_id", [
    # added after set G was read (worded unlike its turns): grants and aid repaid, a counselor reading the chat,
    # credits carried to a university, a CompTIA cert
    ("are grants something you pay back", "aid_kinds"),
    ("will i owe my financial aid back", "aid_kinds"),  # the repaying, not the scams entry
    ("is my counselor reading all my chats with you", "privacy_who_sees"),
    ("do community college classes transfer to a state university", "community_college"),
    ("is a comptia certification worth getting", "industry_certifications"),
])
def test_questions_added_since_set_g_are_answered(matcher, text, entry_id):
    found = find_answer(text, matcher=matcher)
    assert found is not None and found.entry_id == entry_id, (text, matcher.rank(text)[:2])


@pytest.mark.parametrize("text, entry_id", [
    # added after set H was read (worded unlike its turns): scholarships and the GI Bill asked about in Spanish
    ("donde busco becas para la universidad", "scholarships"),
    ("¿me sirve el gi bill para una escuela técnica?", "military_college"),
])
def test_questions_added_since_set_h_are_answered(matcher, text, entry_id):
    found = find_answer(text, matcher=matcher)
    assert found is not None and found.entry_id == entry_id, (text, matcher.rank(text)[:2])


def _reply_of(matcher, entry_id):
    entry = next(entry for entry in matcher.entries if entry.id == entry_id)
    return f"{entry.answer}\nSource: {entry.source[0].title}"


@pytest.mark.parametrize("before, text", [
    ("asvab", "should i prep for it"),
    ("fafsa", "do my parents need to give their taxes for it"),
    ("privacy_who_sees", "what about my mom, can she see it"),
    ("sat_act", "when do most kids take it"),
    ("apprenticeships", "is the pay good"),  # too short to name a subject of its own
    ("military_join", "whats the age limit"),
])
def test_a_follow_up_right_after_an_answer_gets_the_same_topic(matcher, before, text):
    assert find_answer(text, matcher=matcher) is None or find_answer(text, matcher=matcher).entry_id == before
    found = find_answer(text, matcher=matcher, previous_reply=_reply_of(matcher, before))
    assert found is not None and found.entry_id == before, (text, matcher.rank(text)[:2])


@pytest.mark.parametrize("before, text", [
    ("fafsa", "tell me a joke about it"),  # points back, but asks nothing about the topic
    ("fafsa", "what does an electrician do"),  # points nowhere: read alone, and no entry covers it
    ("apprenticeships", "whats ur name"),  # short, but nothing to do with the topic
    ("fafsa", "can u help me"),
])
def test_a_message_after_an_answer_that_is_no_follow_up_gets_no_answer(matcher, before, text):
    assert find_answer(text, matcher=matcher, previous_reply=_reply_of(matcher, before)) is None
