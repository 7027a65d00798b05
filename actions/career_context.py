"""A question about "that" job: the career the conversation was just about ("how long is school for that",
"do they get paid good"), answered with that career's profile instead of "I don't know that job yet"."""
from __future__ import annotations

import asyncio
from typing import Optional, Sequence

from rasa_sdk.executor import CollectingDispatcher

from actions.common import button
from bot.conversation_events import earlier_user_messages
from bot.db.unit_of_work import UnitOfWork
from bot.errors import IlpError
from bot.interests.catalog import RIASEC_SHORT
from bot.knowledge.matcher import is_question, refers_back
from bot.nlp.mentions import find_mentions
from bot.plans.exploration import describe_career

# How far back "that" reaches: the student's last few messages (a career named, or a career's button tapped).
LOOK_BACK = 4


def career_in_context(events: Sequence[dict], look_back: int = LOOK_BACK) -> Optional[str]:
    """The O*NET-SOC id of the career the student's recent messages name (a button's career_id, or a job named in
    their words and not rejected), the most recent first; None when none of the last `look_back` names one."""
    for event in earlier_user_messages(list(events), look_back):
        for found in (event.get("parse_data") or {}).get("entities") or []:
            if found.get("entity") == "career_id" and isinstance(found.get("value"), str):
                return found["value"]
        text = event.get("text") or ""
        if text.startswith("/"):
            continue
        for mention in find_mentions(text):
            if mention.kind == "career" and not mention.disliked:
                return mention.item_id
    return None


def utter_career_profile(dispatcher: CollectingDispatcher, profile, *, save_button: bool = True) -> None:
    dispatcher.utter_message(
        response="utter_career_info", title=profile.title, description=profile.summary,
        education=profile.education, pay=profile.pay_words,
        types=" and ".join(RIASEC_SHORT[line.letter] for line in profile.interests[:2]),
        buttons=[button(f"Save {profile.title}", "share_career_goal", career_id=profile.onet_soc)]
        if save_button else [])


async def describe_career_in_context(dispatcher: CollectingDispatcher, events: Sequence[dict], text: str) -> bool:
    """A question that refers back ("is that a lot of school?") to the career the student just named or asked
    about gets that career's profile: what it is, the education it usually takes, its pay. False (nothing said)
    when the message is no such question or no career was named lately."""
    if not text or not is_question(text) or not refers_back(text):
        return False
    career_id = career_in_context(events)
    if career_id is None:
        return False
    try:
        profile = await asyncio.to_thread(describe_career, UnitOfWork(), career_id, None)
    except IlpError:
        return False
    utter_career_profile(dispatcher, profile)
    return True
