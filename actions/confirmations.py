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
    asked_just_now,
    call_service,
    event_key,
    intent_confidence,
    plan_uow,
    saved_just_now,
)
from actions.interests import save_interest
from actions.planning import save_activity, save_postsecondary, say_taken_back
from actions.progress import mark_done
from bot.nlp.mentions import Mention
from bot.plans.readings import is_undo, says_yes
from bot.plans.retraction import retract_saves

FORGET_PENDING = [SlotSet("pending_save", None)]


class ActionConfirmSave(Action):
    """A yes to "Save ... ?": saves exactly what the question named (kept in the pending_save slot), when the bot
    asked it in its last turn; a yes after another turn saves nothing and gets the reply a plain yes gets."""

    def name(self) -> str:
        return "action_confirm_save"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        asked = tracker.get_slot("pending_save") if asked_just_now(tracker, "confirm_save") else None
        pending: dict = asked if isinstance(asked, dict) else {}
        kind = pending.get("kind")
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
            # No question in the bot's last turn (a stale one is dropped): the reply any yes gets with nothing asked.
            dispatcher.utter_message(response="utter_ask_start")
            events = []
        return after_a_yes(events)


class ActionDeclineSave(Action):
    """A no to "Save ... ?": nothing is saved, and the bot says so. The question is forgotten either way."""

    def name(self) -> str:
        return "action_decline_save"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        asked = asked_just_now(tracker, "confirm_save")
        # A no to a question asked before the last turn is an ordinary no (data/rules/conversation.yml).
        dispatcher.utter_message(response="utter_nothing_saved" if asked else "utter_no_problem")
        return STOP_AWAITING + FORGET_PENDING


class ActionRetractLastSave(Action):
    """ "no", "that's wrong", "undo that" right after a save: takes back what the bot saved in its last turn,
    kept in the plan's history as taken back and audited, and says exactly what it undid. A plain "no" later
    on is just a no; words that say undo ("undo that", "wait no thats wrong") still take back the latest save
    after turns that wrote nothing and left the bot on it (a "yes" to the save, a "thanks"), as students type
    them: "i want to be a lawyer" - "yes" - "wait no thats wrong"."""

    def name(self) -> str:
        return "action_retract_last_save"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        typed = answer_text(tracker)
        events = saved_just_now(tracker)
        if not events and is_undo(typed) and tracker.get_slot("awaiting") == "saved":
            events = list(tracker.get_slot("last_save") or [])
        if not events:
            dispatcher.utter_message(response="utter_nothing_to_undo" if is_undo(typed) else "utter_no_problem")
            return STOP_AWAITING
        taken = await call_service(dispatcher, retract_saves, plan_uow(), tracker.sender_id, events, typed,
                                   event_key(tracker))
        say_taken_back(dispatcher, taken)
        return STOP_AWAITING + [SlotSet("last_save", None)]
