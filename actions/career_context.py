"""A question about a job that reached no career reply: one that names the job ("how much do carpenters make", read
as a general question) or points back at the career the conversation was just about ("how long is school for that",
"do they get paid good"), answered with that career's profile instead of "I don't know that job yet" or "I can't
help with that one"."""
from __future__ import annotations

import re
from typing import Sequence

from rasa_sdk.executor import CollectingDispatcher

from actions.common import button, call_service_quietly, plan_uow
from bot.interests.catalog import RIASEC_SHORT
from bot.knowledge.matcher import is_question, refers_back
from bot.plans.exploration import career_asked_about, career_in_context, describe_career

# "hows the pay", "how long is the program", "is the training hard": the job just talked about, named by what it has.
THE_JOBS_DETAILS = re.compile(r"\bthe\s+(?:pay|salary|money|wages?|program|training|schooling|school|classes|degree|"
                              r"hours|job|work|outlook|future)\b")


def asks_about_the_job(text: str) -> bool:
    """Whether a question asks about "the pay", "the program" or another part of a job, without naming the job."""
    return bool(THE_JOBS_DETAILS.search(text.casefold()))


def utter_career_profile(dispatcher: CollectingDispatcher, profile, *, save_button: bool = True) -> None:
    dispatcher.utter_message(
        response="utter_career_info", title=profile.title, description=profile.summary,
        education=profile.education, pay=profile.pay_words,
        types=" and ".join(RIASEC_SHORT[line.letter] for line in profile.interests[:2]),
        buttons=[button(f"Save {profile.title}", "share_career_goal", career_id=profile.onet_soc)]
        if save_button else [])


async def describe_career_asked_about(dispatcher: CollectingDispatcher, events: Sequence[dict], text: str) -> bool:
    """A question that names a job ("do welders make good money"), or refers back ("is that a lot of school?") to
    the career the student just named or asked about, gets that career's profile: what it is, the education it
    usually takes, its pay. False (nothing said) when the message is no such question or names no career."""
    if not text or not is_question(text):
        return False
    career_id = career_asked_about(text) or (
        career_in_context(events) if refers_back(text) or asks_about_the_job(text) else None)
    if career_id is None:
        return False
    profile = await call_service_quietly(describe_career, plan_uow(), career_id, None)
    if profile is None:
        return False
    utter_career_profile(dispatcher, profile)
    return True
