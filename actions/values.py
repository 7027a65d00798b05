from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import STOP_AWAITING, answer_text, button, call_service, entity, event_key
from bot.db.unit_of_work import UnitOfWork
from bot.plans.values import ValuesProgress, record_value_choice, start_values_ranking


def ask_next(dispatcher: CollectingDispatcher, progress: ValuesProgress) -> list:
    if progress.complete:
        dispatcher.utter_message(response="utter_values_done",
                                 ranking=", ".join(f"{rank}. {value.name}" for rank, value in
                                                   enumerate(progress.ranked, start=1)),
                                 buttons=[button("Show careers that fit", "ask_career_suggestions")])
        return STOP_AWAITING
    response = "utter_values_first" if not progress.ranked else "utter_values_next"
    dispatcher.utter_message(response=response,
                             buttons=[button(value.button, "choose_value", work_value=value.id)
                                      for value in progress.remaining])
    return STOP_AWAITING


class ActionAskValueChoice(Action):
    """Starts or continues ranking the six work values (a finished ranking starts over)."""

    def name(self) -> str:
        return "action_ask_value_choice"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        progress = await call_service(dispatcher, start_values_ranking, UnitOfWork(), tracker.sender_id,
                                      event_key(tracker))
        if progress is None:
            return STOP_AWAITING
        if not progress.ranked:
            dispatcher.utter_message(response="utter_values_intro")
        return ask_next(dispatcher, progress)


class ActionSaveValueChoice(Action):
    def name(self) -> str:
        return "action_save_value_choice"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        progress = await call_service(dispatcher, record_value_choice, UnitOfWork(), tracker.sender_id,
                                      entity(tracker, "work_value") or answer_text(tracker), event_key(tracker))
        if progress is None:
            return STOP_AWAITING
        if progress.ranked and not progress.complete:
            dispatcher.utter_message(response="utter_value_saved", value=progress.ranked[-1].name)
        return ask_next(dispatcher, progress)
