"""Does the career goal fit the plan for after high school? A goal that usually needs more school than the
chosen path gives is a plan problem, said in words (bot.flag_words) wherever staff meet it."""
from __future__ import annotations

from sqlalchemy.orm import Session

from bot.db.tables import Student
from bot.flag_words import misalignment_sentence
from bot.plans.content import postsecondary_options
from bot.plans.postsecondary import career_goal_out_of_reach
from bot.plans.view import PlanView, plan_view


def plan_misalignment(session: Session, student: Student, plan: PlanView | None = None) -> str | None:
    """"Dentist usually needs a doctoral or professional degree; the plan says a 2-year college.", or None
    when the career goal fits the path, or either is missing. `plan`: the student's plan as already read
    (plan_view), so the path is the one the plan shows."""
    if student.plan is None:
        return None
    choice = (plan if plan is not None else plan_view(session, student)).postsecondary
    option = postsecondary_options().get(choice or "")
    occupation = career_goal_out_of_reach(session, student.plan, option) if option else None
    return misalignment_sentence(occupation, option) if occupation and option else None
