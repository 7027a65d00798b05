"""Does the career goal fit the plan for after high school? A goal that usually needs more school than the
chosen path gives is a plan problem, said in words (bot.flag_words) wherever staff meet it."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.tables import Plan, PostsecondaryChoice
from bot.flag_words import misalignment_sentence
from bot.plans.content import postsecondary_options
from bot.plans.postsecondary import career_goal_out_of_reach


def plan_misalignment(session: Session, plan: Plan | None) -> str | None:
    """"Dentist usually needs a doctoral or professional degree; the plan says a 2-year college.", or None
    when the career goal fits the path, or either is missing."""
    if plan is None:
        return None
    choice = session.scalars(select(PostsecondaryChoice.choice).where(PostsecondaryChoice.plan_id == plan.id)
                             .order_by(PostsecondaryChoice.id.desc())).first()
    option = postsecondary_options().get(choice or "")
    occupation = career_goal_out_of_reach(session, plan, option) if option else None
    return misalignment_sentence(occupation, option) if occupation and option else None
