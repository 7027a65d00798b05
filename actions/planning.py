from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    STOP_AWAITING, answer_text, button, call_service, entity, event_key, flag_follow_up_in_answer, readable_date,
)
from bot.db.unit_of_work import UnitOfWork
from bot.plans.activities import record_activity
from bot.plans.content import postsecondary_options
from bot.plans.courses import save_course_plan, suggest_course_plan
from bot.plans.goals import record_goal, record_goal_step, set_step_due_date
from bot.plans.postsecondary import record_postsecondary

ACTIVITY_WORDS = {"club": "club", "sport": "sport", "job": "job", "job_shadowing": "job shadow",
                  "internship": "internship", "dual_credit": "dual credit class", "volunteering": "volunteering",
                  "other": "activity"}
STATUS_WORDS = {"planned": "planned", "doing": "going on now", "done": "done"}


def postsecondary_buttons() -> list[dict]:
    return [button(option.button, "choose_postsecondary", postsecondary=option.id)
            for option in postsecondary_options().values()]


class ActionSavePostsecondary(Action):
    """Saves the path after high school; a career goal it does not reach is a plan problem for the counselor."""

    def name(self) -> str:
        return "action_save_postsecondary"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        choice = entity(tracker, "postsecondary") or answer_text(tracker)
        if not choice:
            dispatcher.utter_message(response="utter_ask_postsecondary", buttons=postsecondary_buttons())
            return STOP_AWAITING
        saved = await call_service(dispatcher, record_postsecondary, UnitOfWork(), tracker.sender_id, choice,
                                   event_key(tracker))
        if saved is None:
            dispatcher.utter_message(response="utter_ask_postsecondary", buttons=postsecondary_buttons())
            return STOP_AWAITING
        if saved.already_saved:
            dispatcher.utter_message(response="utter_already_saved")
            return STOP_AWAITING
        dispatcher.utter_message(response="utter_postsecondary_saved", path=saved.option.name, plain=saved.option.plain)
        if saved.out_of_reach is not None:
            dispatcher.utter_message(response="utter_postsecondary_mismatch", career=saved.out_of_reach.title,
                                     path=saved.option.name)
        return STOP_AWAITING


class ActionSuggestCourses(Action):
    def name(self) -> str:
        return "action_suggest_courses"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        proposal = await call_service(dispatcher, suggest_course_plan, UnitOfWork(), tracker.sender_id)
        if proposal is None:
            return STOP_AWAITING
        if not proposal.by_grade:
            dispatcher.utter_message(response="utter_courses_already_planned",
                                     check=describe_check(proposal.shortfalls))
            return STOP_AWAITING
        schedule = "\n".join(f"Grade {year}: " + ", ".join(course.name for course in chosen)
                             for year, chosen in proposal.by_grade.items())
        dispatcher.utter_message(
            response="utter_courses_proposal" if proposal.career else "utter_courses_proposal_no_career",
            career=proposal.career.title if proposal.career else "", schedule=schedule,
            check=describe_check(proposal.shortfalls),
            buttons=[button("Add these to my plan", "affirm"), button("Not now", "deny")])
        return [SlotSet("awaiting", "course_plan")]


class ActionSaveCoursePlan(Action):
    def name(self) -> str:
        return "action_save_course_plan"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        saved = await call_service(dispatcher, save_course_plan, UnitOfWork(), tracker.sender_id, event_key(tracker))
        if saved is not None:
            proposal, already = saved
            count = sum(len(chosen) for chosen in proposal.by_grade.values())
            dispatcher.utter_message(response="utter_already_saved" if already else "utter_courses_saved",
                                     count=count)
        return STOP_AWAITING


def describe_check(shortfalls) -> str:
    if not shortfalls:
        return "That covers every graduation requirement."
    return "Still needed to graduate: " + ", ".join(f"{s.missing} more {s.name}" for s in shortfalls) + "."


class ActionSaveActivity(Action):
    def name(self) -> str:
        return "action_save_activity"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        saved = await call_service(dispatcher, record_activity, UnitOfWork(), tracker.sender_id,
                                   tracker.latest_message.get("text"), event_key(tracker))
        if saved is not None:
            dispatcher.utter_message(response="utter_already_saved" if saved.already_saved else "utter_activity_saved",
                                     kind=ACTIVITY_WORDS.get(saved.kind, "activity"), name=saved.name,
                                     status=STATUS_WORDS.get(saved.status, saved.status))
        return STOP_AWAITING


class ValidateGoalForm(FormValidationAction):
    """Saves each goal answer the moment it is given: the goal, its first step, the step's due date.

    An answer the safety screen reads as a follow-up concern ("stop failing math") is saved as the
    answer and flagged for the counselor as well; crises never reach here (they end the form).
    """

    def name(self) -> str:
        return "validate_goal_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list:
        await flag_follow_up_in_answer(tracker)
        return await super().run(dispatcher, tracker, domain)

    async def validate_goal_text(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> dict:
        goal_id = await call_service(dispatcher, record_goal, UnitOfWork(), tracker.sender_id, value,
                                     event_key(tracker))
        return {"goal_text": None} if goal_id is None else {"goal_text": value, "goal_id": goal_id}

    async def validate_goal_step(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> dict:
        step_id = await call_service(dispatcher, record_goal_step, UnitOfWork(), tracker.sender_id,
                                     int(tracker.get_slot("goal_id")), value, event_key(tracker))
        return {"goal_step": None} if step_id is None else {"goal_step": value, "step_id": step_id}

    async def validate_goal_due(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> dict:
        due = await call_service(dispatcher, set_step_due_date, UnitOfWork(), tracker.sender_id,
                                 int(tracker.get_slot("step_id")), value, event_key(tracker))
        return {"goal_due": None} if due is None else {"goal_due": due.isoformat()}


class ActionGoalSaved(Action):
    def name(self) -> str:
        return "action_goal_saved"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        due = tracker.get_slot("goal_due")
        dispatcher.utter_message(response="utter_goal_saved", goal=tracker.get_slot("goal_text"),
                                 step=tracker.get_slot("goal_step"), due=readable_date(due) if due else "no date")
        step_id = tracker.get_slot("step_id")
        return [SlotSet("goal_text", None), SlotSet("goal_step", None), SlotSet("goal_due", None),
                SlotSet("goal_id", None), SlotSet("step_id", None),
                SlotSet("proposed_item", f"step:{int(step_id)}" if step_id else None)]
