from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import event_key
from bot.db.unit_of_work import UnitOfWork
from bot.flags import raise_concern
from bot.plans.services import record_career_goal
from bot.safety.categories import category_of_intent

logger = logging.getLogger(__name__)


class ActionRaiseConcernFlag(Action):
    """Flags the concern the safety screen found. The student already has their reply (a rule sent it)."""

    def name(self) -> str:
        return "action_raise_concern_flag"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        category = category_of_intent((tracker.latest_message.get("intent") or {}).get("name"))
        if category is None:
            return []
        try:
            await asyncio.to_thread(raise_concern, UnitOfWork(), tracker.sender_id, category.name,
                                    excerpt=tracker.latest_message.get("text") or "", event_id=event_key(tracker))
        except Exception:
            # Raising makes Rasa log the failure too; the student is not told anything went wrong,
            # because their reply (with crisis resources) has already been sent.
            logger.exception("could not raise a %s flag", category.name)
            raise
        if not category.is_crisis:
            await self._save_careers_mentioned(dispatcher, tracker)
        return []

    async def _save_careers_mentioned(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        """ "I want to be a nurse but we can't afford college" is a money worry and a career goal: keep both."""
        text = tracker.latest_message.get("text") or ""
        try:
            saved = await asyncio.to_thread(record_career_goal, UnitOfWork(), tracker.sender_id, text,
                                            event_key(tracker))
        except Exception:
            logger.exception("could not save the careers mentioned alongside a concern")
            return
        if saved.careers and not saved.already_saved:
            dispatcher.utter_message(response="utter_also_saved_career", careers=" and ".join(saved.careers))
