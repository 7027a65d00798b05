"""A question about a job that reached no career reply: one that names the job ("how much do carpenters make", read
as a general question) or points back at the career the conversation was just about ("how long is school for that",
"do they get paid good"), answered with that career's profile instead of "I don't know that job yet" or "I can't
help with that one"."""
from __future__ import annotations

import asyncio
import re
from typing import Sequence

from rasa_sdk.executor import CollectingDispatcher

from actions.common import button, call_service_quietly, plan_uow
from bot.careers.profiles import CareerProfile
from bot.interests.catalog import RIASEC_SHORT
from bot.knowledge.matcher import is_question, refers_back
from bot.nlp.mentions import Mention
from bot.plans.exploration import career_asked_about, career_in_context, career_meant, describe_career

# "hows the pay", "how long is the program", "is the training hard": the job just talked about, named by what it has.
THE_JOBS_DETAILS = re.compile(r"\bthe\s+(?:pay|salary|money|wages?|program|training|schooling|school|classes|degree|"
                              r"hours|job|work|outlook|future)\b")


def asks_about_the_job(text: str) -> bool:
    """Whether a question asks about "the pay", "the program" or another part of a job, without naming the job."""
    return bool(THE_JOBS_DETAILS.search(text.casefold()))


def utter_career_profile(dispatcher: CollectingDispatcher, profile: CareerProfile, *, save_button: bool = True) -> None:
    dispatcher.utter_message(
        response="utter_career_info", title=profile.title, description=profile.summary,
        education=profile.education, pay=profile.pay_words,
        types=" and ".join(RIASEC_SHORT[line.letter] for line in profile.interests[:2]),
        buttons=[button(f"Save {profile.title}", "share_career_goal", career_id=profile.onet_soc)]
        if save_button else [])


async def describe_career_meant(dispatcher: CollectingDispatcher, text: str, profile: CareerProfile) -> Mention | None:
    """Utters the career's profile and returns the career when the words name it alone or float it as a maybe
    ("maybe like an architect?"), for the caller to ask whether it is the goal. The profile then offers no Save
    button of its own, so the student is asked once."""
    meant = await asyncio.to_thread(career_meant, text, profile.title)
    utter_career_profile(dispatcher, profile, save_button=meant is None)
    return meant


async def career_asked_about_in_context(events: Sequence[dict], text: str) -> CareerProfile | None:
    """The profile of the career a question names as a job ("do welders make good money"), or refers back to ("is
    that a lot of school?") after the student named or asked about it; None when the message is no such question
    or names no career."""
    if not text or not is_question(text):
        return None
    career_id = career_asked_about(text) or (
        career_in_context(events) if refers_back(text) or asks_about_the_job(text) else None)
    if career_id is None:
        return None
    return await call_service_quietly(describe_career, plan_uow(), career_id, None)


async def describe_career_asked_about(dispatcher: CollectingDispatcher, events: Sequence[dict], text: str) -> bool:
    """Such a question (`career_asked_about_in_context`) gets the career's profile: what it is, the education it
    usually takes, its pay. False (nothing said) when there is none."""
    profile = await career_asked_about_in_context(events, text)
    if profile is None:
        return False
    utter_career_profile(dispatcher, profile)
    return True
