from __future__ import annotations

import asyncio
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    STOP_AWAITING,
    answer_text,
    ask_to_confirm_career_goal,
    asked_just_now,
    button,
    call_service,
    entity,
    event_key,
    plan_uow,
)
from bot.errors import InvalidAnswer
from bot.interests.catalog import RIASEC_PLAIN, interest_code_words
from bot.plans.exploration import career_in_context, career_mention, floats_the_job_talked_about
from bot.plans.inventory import InventoryProgress, inventory_progress, record_inventory_answer

CHOICES = (("👍 Like", "like"), ("🤷 Not sure", "unsure"), ("👎 Dislike", "dislike"))
# A yes or no typed right after a quiz question is an answer to it.
INTENT_ANSWERS = {"affirm": "like", "deny": "dislike"}
# ...when it has a word in it: the intent classifier read control characters as a confident "yes".
A_WORD = re.compile(r"[^\W\d_]{2,}")


def ask_next(dispatcher: CollectingDispatcher, progress: InventoryProgress) -> list:
    item = progress.next_item
    if item is None:
        # "Your interest code is RIA: Realistic (hands-on), ...: you lean hands-on (building, ...) most of all."
        strongest = f"{RIASEC_PLAIN[progress.code[0]]} most of all" if progress.code else "a bit of everything"
        dispatcher.utter_message(response="utter_inventory_done",
                                 code=interest_code_words(progress.code) or "not clear yet", types=strongest,
                                 buttons=[button("Show careers that fit", "ask_career_suggestions")])
        return STOP_AWAITING + [SlotSet("inventory_item", None)]
    dispatcher.utter_message(response="utter_inventory_item", number=progress.answered + 1, total=progress.total,
                             item=item.text,
                             buttons=[button(title, "answer_inventory", inventory_item=item.id, inventory_choice=choice)
                                      for title, choice in CHOICES])
    return [SlotSet("awaiting", "inventory_item"), SlotSet("inventory_item", item.id)]


class ActionAskInventoryItem(Action):
    """Starts or resumes the interest quiz at the first unanswered item."""

    def name(self) -> str:
        return "action_ask_inventory_item"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        progress = await call_service(dispatcher, inventory_progress, plan_uow(), tracker.sender_id)
        if progress is None:
            return STOP_AWAITING
        if progress.answered and not progress.complete:
            dispatcher.utter_message(response="utter_inventory_resume", answered=progress.answered)
        elif not progress.answered:
            dispatcher.utter_message(response="utter_inventory_intro", total=progress.total)
        return ask_next(dispatcher, progress)


class ActionSaveInventoryAnswer(Action):
    def name(self) -> str:
        return "action_save_inventory_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        item_id = entity(tracker, "inventory_item") or tracker.get_slot("inventory_item")
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        typed = tracker.latest_message.get("text") or ""
        said = INTENT_ANSWERS.get(intent) if A_WORD.search(typed) else None
        tapped = entity(tracker, "inventory_choice")
        if said and not tapped and not asked_just_now(tracker, "inventory_item"):
            # Turns have passed since the question (an answer to another question left `awaiting` as it was):
            # this yes or no may be about anything, so the question is asked again and nothing is saved.
            progress = await call_service(dispatcher, inventory_progress, plan_uow(), tracker.sender_id)
            return [] if progress is None else ask_next(dispatcher, progress)
        answer = tapped or said or answer_text(tracker)
        asked: list = []

        async def about_the_job_talked_about(error: InvalidAnswer) -> bool:
            # No quiz question waiting, and "hmm maybe that" right after a job was talked about: a maybe about
            # that job, so the bot asks whether it is the goal (a yes saves it; nothing is saved now).
            if error.reason != "no_quiz_question" or tapped or not floats_the_job_talked_about(typed):
                return False
            career_id = await asyncio.to_thread(career_in_context, tracker.events)
            if career_id is None:
                return False
            asked.extend(ask_to_confirm_career_goal(dispatcher, typed, career_mention(career_id)))
            return True

        progress = await call_service(dispatcher, record_inventory_answer, plan_uow(), tracker.sender_id,
                                      item_id, answer, event_key(tracker), on_invalid=about_the_job_talked_about)
        if progress is None:
            # Unclear or nothing waiting: the reply was sent; the question (if any) stays open.
            return asked
        return ask_next(dispatcher, progress)
