"""Ranking the six work values, as a form: while it asks, what the student types is an answer to it.

Typing a button's words ("doing things my own way") picks that value, whatever the intent classifier
makes of them: it can no longer mark an unrelated plan step done or end the rounds early.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    STOP_AWAITING,
    answer_text,
    button,
    call_service,
    changes_the_subject,
    entity,
    event_key,
    flag_follow_up_in_answer,
    is_fresh_answer,
    names_a_career,
    pause_form,
    plan_uow,
)
from actions.common import saved as saved_events
from actions.planning import answered_instead, say_taken_back
from bot.plans.readings import is_non_answer, is_question, is_undo
from bot.plans.retraction import retract_saves
from bot.plans.values import ValuesProgress, record_value_choice, start_values_ranking, value_named, values_progress


def value_buttons(progress: ValuesProgress) -> list[dict]:
    return [button(value.button, "choose_value", work_value=value.id) for value in progress.remaining]


class ActionAskValueChoice(Action):
    """The values form's question: starts or continues the ranking (a finished one starts over), with a button
    for each value not ranked yet."""

    def name(self) -> str:
        return "action_ask_value_choice"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        progress = await call_service(dispatcher, start_values_ranking, plan_uow(), tracker.sender_id,
                                      event_key(tracker))
        if progress is None:
            return []
        if not progress.ranked:
            dispatcher.utter_message(response="utter_values_intro")
        response = "utter_values_first" if not progress.ranked else "utter_values_next"
        dispatcher.utter_message(response=response, buttons=value_buttons(progress))
        return STOP_AWAITING


class ValidateValuesForm(FormValidationAction):
    """Saves each pick at once and empties the slot so the form asks again, until all six are ranked.

    "idk" gets a hint (the question comes again with its buttons); "that's wrong" takes back the pick before.
    """

    def name(self) -> str:
        return "validate_values_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list:
        # The buttons' own words ("doing things my own way", read as ask_help) are a pick, never a new subject.
        names_a_value = entity(tracker, "work_value") or value_named(answer_text(tracker))
        # A career the student names ("i want to be a nurse") is another subject: the form is paused for it.
        if is_fresh_answer(tracker) and not names_a_value and (
                changes_the_subject(tracker, {"start_inventory", "start_goal"}) or names_a_career(tracker, by_name=True)):
            return pause_form(self.form_name(), "value_choice")
        await flag_follow_up_in_answer(tracker)
        return await super().run(dispatcher, tracker, domain)

    async def validate_value_choice(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> dict:
        tapped = entity(tracker, "work_value")
        typed = answer_text(tracker)
        if not tapped:
            if not typed and (tracker.latest_message.get("text") or "").startswith("/"):
                dispatcher.utter_message(response="utter_answer_later")  # another question's button
                return {"value_choice": None}
            if is_undo(typed):
                taken = await call_service(dispatcher, retract_saves, plan_uow(), tracker.sender_id,
                                           tracker.get_slot("last_save") or [], typed, event_key(tracker))
                say_taken_back(dispatcher, taken)
                return {"value_choice": None, "last_save": None}
            if await answered_instead(dispatcher, tracker, typed):
                return {"value_choice": None, "last_save": None}
            if is_non_answer(typed) or is_question(typed):
                dispatcher.utter_message(response="utter_values_help")
                return {"value_choice": None, "last_save": None}
        progress = await call_service(dispatcher, record_value_choice, plan_uow(), tracker.sender_id,
                                      tapped or typed, event_key(tracker))
        if progress is None:
            # Nothing saved this turn: "undo that" next has nothing to take back.
            return {"value_choice": None, "last_save": None}
        if progress.complete:
            return {"value_choice": progress.ranked[-1].id, "last_save": [event_key(tracker)]}
        dispatcher.utter_message(response="utter_value_saved", value=progress.ranked[-1].name)
        return {"value_choice": None, "last_save": [event_key(tracker)]}


class ActionValuesRanked(Action):
    """The form is done: the whole ranking, read back."""

    def name(self) -> str:
        return "action_values_ranked"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        progress = await call_service(dispatcher, values_progress, plan_uow(), tracker.sender_id)
        events = [SlotSet("value_choice", None)]
        if progress is None:
            return events + STOP_AWAITING
        dispatcher.utter_message(response="utter_values_done",
                                 ranking=", ".join(f"{rank}. {value.name}" for rank, value in
                                                   enumerate(progress.ranked, start=1)),
                                 buttons=[button("Show careers that fit", "ask_career_suggestions")])
        return events + saved_events(*(tracker.get_slot("last_save") or []))
