"""The chat page's greeting for a returning student: where they left off, and one button to carry on.

The greeting is part of the page, not of the conversation: nothing is sent to Rasa until the student
types or taps. Its buttons send intents the bot already answers ("/start_inventory" resumes the quiz
at the first unanswered question).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.chat_history import is_private
from bot.plans.benchmarks import VALUES_COUNT
from bot.plans.content import Benchmark
from bot.plans.goals import OpenStep
from bot.plans.progress import next_step, welcome
from bot.plans.services import student_plan_view
from bot.plans.view import PlanView
from bot.web.plain_words import plain_date

FINISH_QUIZ = ("Finish the quiz", "/start_inventory")
KEEP_CHOOSING = ("Keep choosing", "/start_values")
WHAT_NEXT = ("What should I do next?", "/ask_next_step")
# The greeting's buttons by payload, so the chat history shows a tap on one by its title.
PAYLOAD_TITLES = {payload: title for title, payload in (FINISH_QUIZ, KEEP_CHOOSING, WHAT_NEXT)}

QUIZ, VALUES = "quiz", "values"
# What the student was doing, from their latest intent (domain.yml); an intent not listed says nothing.
DOING = {
    "start_inventory": QUIZ, "answer_inventory": QUIZ, "start_values": VALUES, "choose_value": VALUES,
    "share_interest": "talking about what you like doing",
    "share_strength": "talking about what you're good at",
    "share_career_goal": "talking about careers you like",
    "ask_career_suggestions": "looking at careers that fit you",
    "ask_career_info": "looking at careers",
    "choose_postsecondary": "talking about what you'll do after high school",
    "start_goal": "setting a goal",
    "plan_courses": "planning your classes",
    "share_activity": "talking about your activities",
    "ask_next_step": "looking at what to do next",
    "report_done": "checking off what you'd done",
    "ask_plan_summary": "looking over your plan",
}


@dataclass(frozen=True)
class Greeting:
    text: str
    button: tuple[str, str] | None  # (title, payload)


def welcome_back(uow_factory, external_id: str, last_intent: str | None, today: dt.date) -> Greeting:
    seen = welcome(uow_factory(), external_id)
    plan = student_plan_view(uow_factory(), external_id)
    after = next_step(uow_factory(), external_id).item
    return greeting(seen.first_name, plan, last_intent, after, today)


def greeting(first_name: str, plan: PlanView, last_intent: str | None, after: OpenStep | Benchmark | None,
             today: dt.date) -> Greeting:
    """ "Welcome back, Ana!", what they were doing last time, and what comes next."""
    hello = f"Welcome back, {first_name}!"
    if is_private(last_intent):  # they left after telling something hard: no nudge back to the quiz
        return Greeting(f"{hello} I'm glad you're here. We can keep working on your plan whenever you're ready.",
                        None)
    quiz = plan.interests.inventory
    quiz_open = 0 < quiz.answered < quiz.total
    ranked = len(plan.values)
    values_open = 0 < ranked < VALUES_COUNT
    doing = DOING.get(last_intent or "")
    if quiz_open and doing in (QUIZ, None):
        return Greeting(f"{hello} Last time you were taking the interest quiz: {quiz.answered} of "
                        f"{quiz.total} questions answered. Want to finish it?", FINISH_QUIZ)
    if values_open and doing in (VALUES, None):
        return Greeting(f"{hello} Last time you were choosing what matters most to you in a job: {ranked} of "
                        f"{VALUES_COUNT} done. Want to keep going?", KEEP_CHOOSING)
    if doing == QUIZ:
        doing = "talking about your interest quiz"
    elif doing == VALUES:
        doing = "talking about what matters to you in a job"
    last_time = f" Last time we were {doing}." if doing else ""
    if isinstance(after, OpenStep):
        due = f", by {plain_date(after.due_date, today=today)}" if after.due_date else ""
        return Greeting(f"{hello}{last_time} Your next step: {after.text}{due}.", WHAT_NEXT)
    if isinstance(after, Benchmark):
        return Greeting(f"{hello}{last_time} Next on your grade {plan.student.grade} checklist: {after.text}.", WHAT_NEXT)
    return Greeting(f"{hello}{last_time} You've done everything on your grade {plan.student.grade} checklist. "
                    "Tell me about something new any time.", None)
