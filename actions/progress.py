from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    CONFIDENT,
    STOP_AWAITING,
    ask_to_confirm,
    button,
    call_service,
    entity,
    event_key,
    intent_confidence,
    plan_uow,
    proposed_just_now,
    readable_date,
)
from actions.common import saved as saved_events
from bot.interests.catalog import interest_code_words
from bot.plans.content import Benchmark
from bot.plans.goals import OpenStep, complete_step
from bot.plans.progress import complete_benchmark, next_step, open_item_text, open_items, welcome

# Benchmarks the bot can walk the student through start that conversation from their button.
START_INTENT = {
    "inventory_complete": "start_inventory", "values_ranked": "start_values", "career_saved": "ask_career_suggestions",
    "three_careers_saved": "ask_career_suggestions", "postsecondary_chosen": "choose_postsecondary",
    "goal_with_step": "start_goal", "course_plan": "plan_courses",
}


def benchmark_buttons(benchmark: Benchmark) -> list[dict]:
    intent = START_INTENT.get(benchmark.done_when)
    if intent:
        return [button("Let's do it", intent)]
    return [button("I already did it", "report_done", done_item=f"benchmark:{benchmark.id}")]


class ActionGreet(Action):
    """A first visit hears what the bot does and who sees the answers; a returning student gets their plan and what's next."""

    def name(self) -> str:
        return "action_greet"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        seen = await call_service(dispatcher, welcome, plan_uow(), tracker.sender_id)
        if seen is None or seen.first_visit:
            dispatcher.utter_message(response="utter_greet")
            dispatcher.utter_message(response="utter_ask_start",
                                     buttons=[button("Take the interest quiz", "start_inventory"),
                                              button("Show me careers", "ask_career_suggestions")])
            return STOP_AWAITING
        dispatcher.utter_message(
            response="utter_welcome_back", name=seen.first_name, code=interest_code_words(seen.code) or "not set yet",
            careers=", ".join(seen.careers[-3:]) or "none saved yet", path=seen.postsecondary or "not chosen yet",
            done=seen.benchmarks_done, total=seen.benchmarks_total, grade=seen.grade)
        if seen.next_benchmark is None:
            dispatcher.utter_message(response="utter_all_benchmarks_done", grade=f"grade {seen.grade}")
            return STOP_AWAITING
        dispatcher.utter_message(response="utter_next_benchmark", text=seen.next_benchmark.text,
                                 why=seen.next_benchmark.why, buttons=benchmark_buttons(seen.next_benchmark))
        return STOP_AWAITING + [SlotSet("proposed_item", f"benchmark:{seen.next_benchmark.id}")]


class ActionProposeNextStep(Action):
    def name(self) -> str:
        return "action_propose_next_step"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        proposal = await call_service(dispatcher, next_step, plan_uow(), tracker.sender_id)
        if proposal is None:
            return STOP_AWAITING
        found = proposal.item
        if isinstance(found, OpenStep):
            dispatcher.utter_message(response="utter_next_goal_step", step=found.text, goal=found.goal,
                                     due=readable_date(found.due_date.isoformat()) if found.due_date else "no date yet",
                                     buttons=[button("I finished it", "report_done", done_item=f"step:{found.id}")])
            return STOP_AWAITING + [SlotSet("proposed_item", f"step:{found.id}")]
        if isinstance(found, Benchmark):
            dispatcher.utter_message(response="utter_next_benchmark", text=found.text, why=found.why,
                                     buttons=benchmark_buttons(found))
            return STOP_AWAITING + [SlotSet("proposed_item", f"benchmark:{found.id}")]
        dispatcher.utter_message(response="utter_all_benchmarks_done", grade="this grade")
        return STOP_AWAITING


class ActionReportDone(Action):
    """Marks done the step or benchmark the student means: a button's at once; typed words ("i finished that")
    at once only for the item the bot proposed in its last turn, else after a yes to "Mark ... as done?"."""

    def name(self) -> str:
        return "action_report_done"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        tapped = entity(tracker, "done_item")
        if tapped:
            return await mark_done(dispatcher, tracker.sender_id, tapped, event_key(tracker))
        item = tracker.get_slot("proposed_item") or ""
        if not item:
            return await self._ask_which(dispatcher, tracker)
        if proposed_just_now(tracker, item) and intent_confidence(tracker) >= CONFIDENT:
            return await mark_done(dispatcher, tracker.sender_id, item, event_key(tracker))
        text = await call_service(dispatcher, open_item_text, plan_uow(), tracker.sender_id, item)
        if not text:
            return await self._ask_which(dispatcher, tracker)
        return ask_to_confirm(dispatcher, "utter_confirm_done", {"kind": "done_item", "done_item": item}, item=text)

    async def _ask_which(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list:
        steps, manual = await call_service(dispatcher, open_items, plan_uow(), tracker.sender_id) or ([], [])
        choices = [button(step.text[:60], "report_done", done_item=f"step:{step.id}") for step in steps[:3]]
        choices += [button(b.text, "report_done", done_item=f"benchmark:{b.id}") for b in manual[:3]]
        dispatcher.utter_message(response="utter_which_done" if choices else "utter_nothing_open", buttons=choices)
        return STOP_AWAITING


async def mark_done(dispatcher: CollectingDispatcher, sender_id: str, item: str, source_event: str) -> list:
    """Marks a step ("step:12") or benchmark ("benchmark:g9_job_shadow") done and says which."""
    kind, _, item_id = item.partition(":")
    if kind == "step" and item_id.isdigit():
        text = await call_service(dispatcher, complete_step, plan_uow(), sender_id, int(item_id), source_event)
    elif kind == "benchmark":
        done = await call_service(dispatcher, complete_benchmark, plan_uow(), sender_id, item_id, source_event)
        text = done[0].text if done else None
    else:
        dispatcher.utter_message(response="utter_answer_unknown_step")
        return STOP_AWAITING
    if text is None:
        return STOP_AWAITING + [SlotSet("proposed_item", None)]
    dispatcher.utter_message(response="utter_marked_done", item=text, buttons=[button("What's next?", "ask_next_step")])
    return saved_events(source_event) + [SlotSet("proposed_item", None)]


class ActionStopActivity(Action):
    def name(self) -> str:
        return "action_stop_activity"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        dispatcher.utter_message(response="utter_stopped")
        return STOP_AWAITING


class ActionDeclineOffer(Action):
    def name(self) -> str:
        return "action_decline_offer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        dispatcher.utter_message(response="utter_no_problem")
        return STOP_AWAITING
