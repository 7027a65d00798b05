"""Never act on a guess: a yes saves what the bot asked about, a no saves nothing, and a "no" or "undo that"
right after a save takes it back (data/rules/confirm_and_undo.yml)."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.careers import save_career_goal, save_career_goal_in_words
from actions.common import (
    CONFIDENT,
    STOP_AWAITING,
    after_a_yes,
    answer_text,
    call_service,
    event_key,
    intent_confidence,
    saved_just_now,
)
from actions.interests import save_interest
from actions.planning import save_activity, save_postsecondary, say_taken_back
from actions.progress import mark_done
from bot.db.unit_of_work import UnitOfWork
from bot.nlp.mentions import Mention
from bot.plans.readings import is_undo, says_yes
from bot.plans.retraction import retract_saves

FORGET_PENDING = [SlotSet("pending_save", None)]


class ActionConfirmSave(Action):
    """A yes to "Save ... ?": saves exactly what the question named (kept in the pending_save slot)."""

    def name(self) -> str:
        return "action_confirm_save"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        pending = tracker.get_slot("pending_save")
        kind = pending.get("kind") if isinstance(pending, dict) else None
        source_event = event_key(tracker)
        typed = answer_text(tracker)
        if kind and typed and not (says_yes(typed) and intent_confidence(tracker) >= CONFIDENT):
            # Read as a yes, but the words do not say one ("lmaooo"): nothing is saved on that guess.
            dispatcher.utter_message(response="utter_nothing_saved")
            return after_a_yes([])
        if kind == "career_goal":
            item_id, label, riasec, words = pending["career"]
            events = await save_career_goal(dispatcher, tracker.sender_id, pending["text"], source_event,
                                            career=Mention("career", item_id, label, riasec, words))
        elif kind == "career_goal_words":
            events = await save_career_goal_in_words(dispatcher, tracker.sender_id, pending["words"], source_event)
        elif kind == "postsecondary":
            events = await save_postsecondary(dispatcher, tracker.sender_id, pending["postsecondary"], source_event)
        elif kind == "done_item":
            events = await mark_done(dispatcher, tracker.sender_id, pending["done_item"], source_event)
        elif kind == "interest":
            events = await save_interest(dispatcher, tracker.sender_id, pending["text"], source_event)
        elif kind == "activity":
            events = await save_activity(dispatcher, tracker.sender_id, pending["text"], source_event)
        else:
            dispatcher.utter_message(response="utter_nothing_pending")
            events = []
        return after_a_yes(events)


class ActionDeclineSave(Action):
    """A no to "Save ... ?": nothing is saved, and the bot says so."""

    def name(self) -> str:
        return "action_decline_save"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        dispatcher.utter_message(response="utter_nothing_saved")
        return STOP_AWAITING + FORGET_PENDING


class ActionRetractLastSave(Action):
    """ "no", "that's wrong", "undo that" right after a save: takes back what the bot saved in its last turn,
    kept in the plan's history as taken back and audited, and says exactly what it undid. A plain "no" later
    on is just a no."""

    def name(self) -> str:
        return "action_retract_last_save"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        events = saved_just_now(tracker)
        typed = answer_text(tracker)
        if not events:
            dispatcher.utter_message(response="utter_nothing_to_undo" if is_undo(typed) else "utter_no_problem")
            return STOP_AWAITING
        taken = await call_service(dispatcher, retract_saves, UnitOfWork(), tracker.sender_id, events, typed,
                                   event_key(tracker))
        say_taken_back(dispatcher, taken)
        return STOP_AWAITING + [SlotSet("last_save", None)]
