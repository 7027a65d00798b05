"""Never act on a guess (issue 19) through the real stack: the trained model reads the walk-through's own
messages, the action server decides, and the plan database shows what was (not) written."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db.tables import AuditEntry
from bot.plans.services import student_plan
from tests.stack import plan_uow, rows, running_stack, say

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("never-guess-var")) as running:
        yield running



def plan(stack, student: str) -> dict:
    return student_plan(plan_uow(stack), student)


def test_words_that_name_a_career_but_mean_none_save_no_career(stack):
    student = "DEMO-1001"
    reply = say(stack, student, "can i talk to my counselor about my schedule")
    assert "saved" not in reply.lower()
    assert plan(stack, student)["careers"] == [] and plan(stack, student)["goals"] == []


def test_a_hedged_path_is_asked_about_and_a_no_saves_nothing(stack):
    student = "DEMO-1007"
    before = plan(stack, student)
    assert 'Save "Four-year college or university" as your plan after high school?' in say(
        stack, student, "after hs prob college or smth idk")
    assert "didn't save" in say(stack, student, "/deny")
    after = plan(stack, student)
    assert after["postsecondary"] == before["postsecondary"] and after["benchmarks"] == before["benchmarks"]


def test_no_thats_wrong_right_after_a_save_takes_it_back_and_says_what(stack):
    student = "DEMO-1002"
    assert "Registered Nurse" in say(stack, student, "i want to be a nurse")
    reply = say(stack, student, "no thats wrong")
    assert "took back Registered Nurse as your career goal" in reply
    assert plan(stack, student)["careers"] == []
    assert [item["text"] for item in plan(stack, student)["taken_back"]] == ["i want to be a nurse"]
    assert "plan.retract" in {action for (action,) in rows(stack["plan_url"], select(AuditEntry.action))}


def test_typing_a_values_buttons_words_picks_it_and_a_question_pauses_the_rounds(stack):
    student = "DEMO-1003"
    done_before = plan(stack, student)["benchmarks"]["done"]
    assert "matters most" in say(stack, student, "rank my work values")
    picked = say(stack, student, "doing things my own way")
    assert "Saved: Independence" in picked and "of the ones left" in picked
    paused = say(stack, student, "what jobs fit me?")
    assert "of the ones left" in paused  # answered, then the same question again
    assert "stop" in say(stack, student, "stop").lower()
    assert plan(stack, student)["values"] == ["independence"]
    assert plan(stack, student)["benchmarks"]["done"] == done_before  # no plan step ticked by the words


def test_goal_questions_help_with_idk_pause_for_a_question_and_take_a_corrected_step(stack):
    student = "DEMO-1011"
    say(stack, student, "i want to set a goal")
    assert "first step" in say(stack, student, "learn to code")
    assert "Tap an idea" in say(stack, student, "idk")
    assert "first step" in say(stack, student, "actually what jobs fit me?")
    assert "by?" in say(stack, student, "make a game")
    assert 'your first step is now "watch a scratch tutorial"' in say(
        stack, student, "wait no my step is watch a scratch tutorial")
    assert "Saved to your plan" in say(stack, student, "in 2 weeks")
    [goal] = [g for g in plan(stack, student)["goals"] if g["text"] == "learn to code"]
    assert [step["text"] for step in goal["steps"]] == ["watch a scratch tutorial"]
    say(stack, student, "add a goal")
    assert "already one of your goals" in say(stack, student, "learn to code")
    assert "stop" in say(stack, student, "stop").lower()
    assert len([g for g in plan(stack, student)["goals"] if g["text"] == "learn to code"]) == 1
