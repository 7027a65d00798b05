"""What the student's pages say instead of the plan's codes, and how a conversation is read back (pure functions)."""
from __future__ import annotations

import datetime as dt

import pytest

from bot.chat_history import PRIVATE_NOTE, conversation_from_events
from bot.plans.content import Benchmark, graduation_requirements
from bot.plans.credit_count import count_credits
from bot.plans.goals import OpenStep
from bot.plans.view import Benchmarks, Interests, PlanView, QuizProgress, StudentInfo
from bot.web.plain_words import activity_words, interest_types, plain_date, value_words
from bot.web.welcome_back import FINISH_QUIZ, KEEP_CHOOSING, PAYLOAD_TITLES, WHAT_NEXT, Greeting, greeting

TODAY = dt.date(2026, 12, 6)


@pytest.mark.parametrize("value, words", [
    ("2026-12-19", "Saturday, December 19"),                  # a due date: a day, never a time
    ("2027-01-15", "Friday, January 15, 2027"),               # another year says which
    ("2026-12-06T23:59:00Z", "Sunday, December 6"),           # a stored time (UTC) shows as its date only
    (dt.date(2026, 3, 2), "Monday, March 2"),
    (dt.datetime(2025, 5, 1, 13, 5), "Thursday, May 1, 2025"),
    (None, ""),
])
def test_dates_are_plain_words_without_times(value, words):
    assert plain_date(value, today=TODAY) == words


def test_each_letter_of_an_interest_code_is_named_and_explained_in_order():
    assert [(t.letter, t.name, t.plain) for t in interest_types("SEC")] == [
        ("S", "Social", "helping (teaching, caring for people)"),
        ("E", "Enterprising", "leading (persuading, running things)"),
        ("C", "Conventional", "organizing (keeping things neat and accurate)"),
    ]
    assert interest_types("") == [] and interest_types(None) == []


@pytest.mark.parametrize("value_id, words", [
    ("working_conditions", "Good pay and a steady job"),    # O*NET's name is "Working Conditions"
    ("independence", "Doing things my own way"),
    ("some_value_removed_from_the_file", "Some value removed from the file"),
])
def test_work_values_are_the_words_on_their_buttons(value_id, words):
    assert value_words(value_id) == words


@pytest.mark.parametrize("kind, status, grade, words", [
    ("club", "doing", 8, "club, doing now, grade 8"),
    ("job_shadowing", "planned", None, "job shadow, planning to"),
    ("dual_credit", "done", 11, "college class in high school, done, grade 11"),
    ("other", "doing", None, "doing now"),                  # a kind with no words says nothing about it
])
def test_activities_say_where_the_student_is_with_them(kind, status, grade, words):
    assert activity_words(kind, status, grade) == words


def user(text, intent=None, at=0.0):
    return {"event": "user", "text": text, "timestamp": at, "parse_data": {"intent": {"name": intent}}}


def bot(text, buttons=(), at=0.0):
    return {"event": "bot", "text": text, "timestamp": at, "data": {"buttons": list(buttons)}}


LIKE = {"title": "Like", "payload": '/answer_inventory{"inventory_item":"r01","inventory_choice":"like"}'}


def test_a_tapped_button_reads_as_its_title_and_an_unknown_payload_is_left_out():
    conversation = conversation_from_events([
        user("hi", "greet"), bot("Question 1 of 42", [LIKE]), user(LIKE["payload"], "answer_inventory"),
        {"event": "slot", "name": "awaiting", "value": None},
        user('/choose_postsecondary{"postsecondary":"military"}', "choose_postsecondary"),  # no button offered it
        user("/ask_next_step", "ask_next_step"),        # the greeting's own button
        bot("", [LIKE]),                                # buttons without text: nothing to show
    ], PAYLOAD_TITLES)
    assert [(m.speaker, m.text) for m in conversation.messages] == [
        ("student", "hi"), ("bot", "Question 1 of 42"), ("student", "Like"), ("student", "What should I do next?")]
    assert conversation.last_intent == "ask_next_step" and conversation.returning


def test_only_the_newest_messages_are_kept_oldest_first():
    conversation = conversation_from_events([user(f"message {n}", at=n) for n in range(30)], {}, limit=3)
    assert [m.text for m in conversation.messages] == ["message 27", "message 28", "message 29"]
    assert not conversation_from_events([], {}).returning


def plan(answered=0, values=(), grade=9):
    """A plan with only quiz answers and work values (no database: the greeting is a pure function)."""
    return PlanView(
        student=StudentInfo("S1", "Ana", "Lee", grade, "Test High School"),
        interests=Interests(dict.fromkeys("RIASEC", 0.0), "", QuizProgress(answered, 42), (), ()),
        values=tuple(values), strengths=(), careers=(), postsecondary_history=(), goals=(), courses=(),
        credits=count_credits(graduation_requirements(), grade, [], []), activities=(), notes=(), taken_back=(),
        updated_at=None, benchmarks=Benchmarks((), ()))


NEXT_BENCHMARK = Benchmark("g9_shadow", 9, "Shadow someone at work for a day", "why", "manual")


@pytest.mark.parametrize("the_plan, last_intent, after, text, button", [
    # the quiz half done, and the quiz was the last thing: finish it
    (plan(answered=14), "answer_inventory", NEXT_BENCHMARK,
     "Welcome back, Ana! Last time you were taking the interest quiz: 14 of 42 questions answered. Want to finish it?",
     FINISH_QUIZ),
    # values half ranked, and the student was ranking them (the unfinished quiz waits)
    (plan(answered=14, values=["achievement", "support"]), "choose_value", NEXT_BENCHMARK,
     "Welcome back, Ana! Last time you were choosing what matters most to you in a job: 2 of 6 done. "
     "Want to keep going?", KEEP_CHOOSING),
    # talking about careers last: say so, then the next step with its date in words
    (plan(answered=42), "ask_career_info",
     OpenStep(3, "ask Ms. Diaz about the art class", "take art", dt.date(2026, 12, 19)),
     "Welcome back, Ana! Last time we were looking at careers. Your next step: ask Ms. Diaz about the art class, "
     "by Saturday, December 19.", WHAT_NEXT),
    # an intent the greeting does not know: the next checklist item only
    (plan(answered=42), "some_new_intent", NEXT_BENCHMARK,
     "Welcome back, Ana! Next on your grade 9 checklist: Shadow someone at work for a day.", WHAT_NEXT),
    # the quiz was finished last time and nothing is left this year
    (plan(answered=42), "answer_inventory", None,
     "Welcome back, Ana! Last time we were talking about your interest quiz. You've done everything on your "
     "grade 9 checklist. Tell me about something new any time.", None),
])
def test_the_greeting_says_where_the_student_left_off(the_plan, last_intent, after, text, button):
    said = greeting("Ana", the_plan, last_intent, after, TODAY)
    assert (said.text, said.button) == (text, button)


def test_a_due_date_on_the_staff_pages_is_a_day_not_midnight_utc():
    from bot.web.templating import _when

    assert _when("2026-12-19") == "Dec 19, 2026"
    assert _when("2026-12-06T14:01:00Z") == "Dec 6, 2026 14:01 UTC"  # a stored time keeps its time for staff


def test_words_about_a_crisis_and_the_replies_to_them_are_not_shown_again():
    conversation = conversation_from_events([
        user("i like art", "share_interest"), bot("Saved: art"),
        user("my dad hits me", "concern_abuse"), bot("If you are in danger now, call 911..."), bot("Your counselor..."),
        user("i keep thinking about ending it", "concern_self_harm"), bot("Please call or text 988..."),
        user("hi", "greet"), bot("Hi!"),
    ], {})
    assert [(m.speaker, m.text) for m in conversation.messages] == [
        ("student", "i like art"), ("bot", "Saved: art"), ("note", PRIVATE_NOTE), ("student", "hi"), ("bot", "Hi!")]


def test_after_a_crisis_the_greeting_asks_nothing_of_the_student():
    said = greeting("Ana", plan(answered=14), "concern_self_harm", NEXT_BENCHMARK, TODAY)
    assert said == Greeting("Welcome back, Ana! I'm glad you're here. We can keep working on your plan whenever "
                            "you're ready.", None)
