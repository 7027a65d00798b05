from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import answer_text, concern_in, event_key, saved
from actions.knowledge import answer_from_knowledge
from bot.advisors.conversation import speaker_of
from bot.db.unit_of_work import UnitOfWork
from bot.plans.concerns import record_concern

logger = logging.getLogger(__name__)
# Follow-up concerns whose words are often also a question the knowledge base answers: "who can read this chat,
# like can my teachers" (read as a request for a person), "is there state money too" (read as a money worry), "if i
# fail a dual credit class will it hurt my gpa" (read as worry about grades). The
# rule's reply and the flag stay; the answer comes after them. Never for a crisis.
# The request's own reply already says how the counselor will be reached: that entry is not said again.
ANSWERED_AFTER_THE_FLAG = {"human_request": frozenset({"reach_counselor"}), "financial": frozenset(),
                           "academic": frozenset()}


class ActionRaiseConcernFlag(Action):
    """Flags the concern the safety screen found. The student (or their advisor) already has the reply a rule sent.
    A request for a person, a money worry or a worry about grades that is also a question the knowledge base clearly
    answers gets that answer after the flag (ANSWERED_AFTER_THE_FLAG)."""

    def name(self) -> str:
        return "action_raise_concern_flag"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        category = concern_in(tracker)
        if category is None:
            return []
        try:
            speaker = await asyncio.to_thread(speaker_of, UnitOfWork(), tracker.sender_id)
            careers = await asyncio.to_thread(record_concern, UnitOfWork(), speaker.student_id, category.name,
                                              tracker.latest_message.get("text") or "", event_key(tracker),
                                              conversation_id=tracker.sender_id, author=speaker.author)
        except Exception:
            # Raising makes Rasa log the failure too; the student is not told anything went wrong,
            # because their reply (with crisis resources) has already been sent.
            logger.exception("could not raise a %s flag", category.name)
            raise
        if category.name in ANSWERED_AFTER_THE_FLAG and not category.is_crisis:
            await answer_from_knowledge(dispatcher, answer_text(tracker), tracker.events,
                                        unless=ANSWERED_AFTER_THE_FLAG[category.name])
        if careers:
            dispatcher.utter_message(response="utter_also_saved_career", careers=" and ".join(careers))
            return saved(event_key(tracker))  # "no, that's wrong" takes the career back
        return []
