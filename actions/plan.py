from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import call_service
from bot.db.unit_of_work import UnitOfWork
from bot.plans.services import student_plan


class ActionSummarizePlan(Action):
    def name(self) -> str:
        return "action_summarize_plan"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        plan = await call_service(dispatcher, student_plan, UnitOfWork(), tracker.sender_id)
        if plan is None:
            return []
        liked = [mention["label"] for mention in plan["interests"]["mentions"]]
        careers = [career["title"] for career in plan["careers"]]
        if not liked and not careers:
            dispatcher.utter_message(response="utter_plan_empty")
            return []
        dispatcher.utter_message(response="utter_plan_summary",
                                 liked=", ".join(dict.fromkeys(liked)) or "nothing yet",
                                 careers=", ".join(careers) or "none yet",
                                 code=plan["interests"]["code"] or "not enough answers yet")
        return []
