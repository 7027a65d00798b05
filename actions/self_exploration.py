from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import STOP_AWAITING, call_service, event_key, plan_uow
from actions.common import saved as saved_events
from bot.plans.readings import asks_what_this_is
from bot.plans.self_exploration import record_strength

KIND_WORDS = {"strength": "a strength", "skill": "a skill", "accomplishment": "an accomplishment"}


class ActionSaveStrength(Action):
    def name(self) -> str:
        return "action_save_strength"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        if asks_what_this_is(tracker.latest_message.get("text")):
            # "im in 6th grade whats this for": a question about the bot, not a strength to save.
            dispatcher.utter_message(response="utter_help")
            return STOP_AWAITING
        saved = await call_service(dispatcher, record_strength, plan_uow(), tracker.sender_id,
                                   tracker.latest_message.get("text"), event_key(tracker))
        if saved is None:
            return STOP_AWAITING
        kind, already = saved
        dispatcher.utter_message(response="utter_already_saved" if already else "utter_strength_saved",
                                 kind=KIND_WORDS[kind])
        return saved_events(event_key(tracker))
