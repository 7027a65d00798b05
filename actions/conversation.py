from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.career_context import describe_career_asked_about
from actions.common import answer_text, ask_about_the_path_planned, event_key, plan_uow
from actions.knowledge import KNOWLEDGE_ANSWER, answer_about_courses, answer_from_knowledge
from bot.advisors.conversation import flag_concern_in_conversation
from bot.conversation_events import consecutive_user_intents, since_last_response
from bot.plans.readings import goal_stated_in

logger = logging.getLogger(__name__)
OFFER_CHOICES_AFTER = 2
FLAG_AFTER = 3


class ActionRespondNotUnderstood(Action):
    """A question the knowledge base answers gets that answer, a question about a course an answer about it, and a
    question about a job (named, or "that" job just talked about) that career's profile;
    a goal stated plainly ("goal: finish my essay") starts the goal questions with it. Otherwise: asks to rephrase;
    after two misses in a row offers buttons; after three asks the counselor to check in. A message answered from
    the knowledge base (or with a career's profile) was understood, so the count of misses starts again after it."""

    def name(self) -> str:
        return "action_respond_not_understood"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        text = answer_text(tracker)
        if goal_stated_in(text) and not (tracker.active_loop or {}).get("name"):
            # "goal: finish my essay before break" says plainly what it is: the goal questions start with it.
            return [FollowupAction("goal_form")]
        # "i want to go to community college for fire science", which NLU did not place: asked, never saved as read.
        asked = await ask_about_the_path_planned(dispatcher, text)
        if asked:
            return asked
        if await answer_from_knowledge(dispatcher, text, tracker.events) or \
                await answer_about_courses(dispatcher, tracker.sender_id, text, asked_for_classes=False) or \
                await describe_career_asked_about(dispatcher, tracker.events, text):
            return []
        # Counted since the latest answer (the knowledge base's or a career's profile): those were understood.
        since_answer = since_last_response(since_last_response(tracker.events, KNOWLEDGE_ANSWER), "utter_career_info")
        misses = consecutive_user_intents(since_answer, "nlu_fallback")
        if misses < OFFER_CHOICES_AFTER:
            dispatcher.utter_message(response="utter_default")
            return []
        if misses >= FLAG_AFTER:
            try:
                # An advisor session's conversation is about its student, not named by its sender id.
                await asyncio.to_thread(flag_concern_in_conversation, plan_uow(), tracker.sender_id, "not_understood",
                                        excerpt=tracker.latest_message.get("text") or "", event_id=event_key(tracker))
                dispatcher.utter_message(response="utter_counselor_will_check_in")
            except Exception:
                logger.exception("could not raise a not_understood flag")
        dispatcher.utter_message(response="utter_offer_choices")
        return []
