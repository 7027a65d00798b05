from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import STOP_AWAITING, ask_about_the_path_planned, ask_to_confirm, call_service, event_key, plan_uow
from actions.common import saved as saved_events
from bot.interests.catalog import RIASEC_PLAIN
from bot.plans.readings import is_half_hearted, is_non_answer, reports_someone_elses_words
from bot.plans.services import record_interest_statement


class ActionSaveInterestStatement(Action):
    def name(self) -> str:
        return "action_save_interest_statement"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        text = tracker.latest_message.get("text")
        # "my uncle says welders make crazy money" (another person's words) or "i like science i guess" (said without
        # meaning it much): saved only if the student says yes.
        if reports_someone_elses_words(text):
            return ask_to_confirm(dispatcher, "utter_confirm_interest", {"kind": "interest", "text": text}, text=text)
        if is_half_hearted(text) and not is_non_answer(text):  # "stuff i guess" names nothing: the help it gets
            return ask_to_confirm(dispatcher, "utter_confirm_liked", {"kind": "interest", "text": text}, text=text)
        asked = await ask_about_the_path_planned(dispatcher, text or "")
        if asked:
            return asked
        return await save_interest(dispatcher, tracker.sender_id, text, event_key(tracker))


async def save_interest(dispatcher: CollectingDispatcher, sender_id: str, text: str | None, source_event: str) -> list:
    """Saves an interest statement and says what was kept (also after a yes to "save this as something you like?")."""
    saved = await call_service(dispatcher, record_interest_statement, plan_uow(), sender_id, text, source_event)
    if saved is None:
        return STOP_AWAITING
    if saved.already_saved:
        dispatcher.utter_message(response="utter_already_saved")
        return saved_events(source_event)
    types = list(dict.fromkeys([*(mention.riasec for mention in saved.mentions), *filter(None, [saved.placed])]))
    if not types:
        dispatcher.utter_message(response="utter_interest_unplaced")
        return saved_events(source_event)
    dispatcher.utter_message(response="utter_interest_saved",
                             things=_join([mention.text for mention in saved.mentions]) if saved.mentions else "that",
                             interest_types=_join([RIASEC_PLAIN[letter] for letter in types]))
    return saved_events(source_event)


def _join(words: list[str]) -> str:
    words = list(dict.fromkeys(words))
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
