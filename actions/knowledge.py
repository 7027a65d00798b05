"""Answers from the knowledge base where the bot would otherwise dead-end: off-topic, not understood, unknown job."""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import answer_text
from bot.knowledge.service import find_answer

logger = logging.getLogger(__name__)
KNOWLEDGE_ANSWER = "utter_knowledge_answer"


async def answer_from_knowledge(dispatcher: CollectingDispatcher, text: str) -> bool:
    """Replies with the entry that answers the message and its source; False (nothing said) when none clearly does."""
    if not text.strip():
        return False
    try:
        answer = await asyncio.to_thread(find_answer, text)
    except Exception:
        # A missing encoder or a broken knowledge file must not cost the student the usual reply.
        logger.exception("the knowledge base could not be consulted")
        return False
    if answer is None:
        return False
    dispatcher.utter_message(response=KNOWLEDGE_ANSWER, answer=answer.text, source=answer.source_line)
    if answer.stale:
        reviewed = answer.last_reviewed
        dispatcher.utter_message(response="utter_knowledge_stale", reviewed=f"{reviewed:%B} {reviewed.day}, {reviewed.year}")
    return True


class ActionAnswerQuestion(Action):
    """An off-topic message: the knowledge base's answer when one entry clearly answers it, else today's reply."""

    def name(self) -> str:
        return "action_answer_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        if not await answer_from_knowledge(dispatcher, answer_text(tracker)):
            dispatcher.utter_message(response="utter_out_of_scope")
        return []
