from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import call_service, event_key
from bot.db.unit_of_work import UnitOfWork
from bot.plans.services import record_career_goal


class ActionSaveCareerGoal(Action):
    def name(self) -> str:
        return "action_save_career_goal"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        saved = await call_service(dispatcher, record_career_goal, UnitOfWork(), tracker.sender_id,
                                   tracker.latest_message.get("text"), event_key(tracker))
        if saved is None:
            return []
        if saved.already_saved:
            dispatcher.utter_message(response="utter_already_saved")
        elif saved.careers:
            dispatcher.utter_message(response="utter_career_saved", careers=" and ".join(saved.careers))
        else:
            dispatcher.utter_message(response="utter_career_saved_unrecognised")
        return []
