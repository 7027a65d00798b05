from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import STOP_AWAITING, answer_text, call_service, plan_uow
from actions.knowledge import answer_from_knowledge
from bot.interests.catalog import interest_code_words
from bot.plans.services import student_plan_view


class ActionSummarizePlan(Action):
    def name(self) -> str:
        return "action_summarize_plan"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        # "who can see my goals" is about the plan, but asks who sees it: the knowledge base's answer, not a summary.
        if await answer_from_knowledge(dispatcher, answer_text(tracker), tracker.events, named_only=True):
            return STOP_AWAITING
        plan = await call_service(dispatcher, student_plan_view, plan_uow(), tracker.sender_id)
        if plan is None:
            return STOP_AWAITING
        liked = [mention.label for mention in plan.interests.mentions]
        careers = [career.title for career in plan.careers]
        if not liked and not careers and not plan.interests.code and not plan.values:
            dispatcher.utter_message(response="utter_plan_empty")
            return STOP_AWAITING
        dispatcher.utter_message(response="utter_plan_summary",
                                 liked=", ".join(dict.fromkeys(liked)) or "nothing yet",
                                 careers=", ".join(careers) or "none yet",
                                 code=interest_code_words(plan.interests.code) or "not enough answers yet",
                                 values=", ".join(value.replace("_", " ") for value in plan.values[:3]) or "not ranked yet",
                                 path=(plan.postsecondary or "not chosen yet").replace("_", " "),
                                 goals=sum(goal.status == "active" for goal in plan.goals),
                                 done=len(plan.benchmarks.done),
                                 total=len(plan.benchmarks.done) + len(plan.benchmarks.pending))
        return STOP_AWAITING
