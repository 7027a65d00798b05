from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SlotSet, UserUttered
from rasa_sdk.executor import CollectingDispatcher

from actions.common import STOP_AWAITING, answer_text, asked_just_now, concern_in, event_key, plan_uow, saved
from actions.knowledge import answer_from_knowledge
from bot.advisors.conversation import flag_concern_in_conversation, speaker_of
from bot.plans.concerns import record_concern
from bot.safety.check_in import CheckInAnswer, read_check_in_answer
from bot.safety.screen import CHECK_IN_OTHERWISE, SAFETY_KEY

logger = logging.getLogger(__name__)
# Follow-up concerns whose words are often also a question the knowledge base answers: "who can read this chat,
# like can my teachers" (read as a request for a person), "is there state money too" (read as a money worry), "if i
# fail a dual credit class will it hurt my gpa" (read as worry about grades), "my parents only read spanish, can
# they see my plan" (read as a need for support). The rule's reply and the flag stay; the answer comes after them.
# Never for a crisis.
# The request's own reply already says how the counselor will be reached: that entry is not said again.
ANSWERED_AFTER_THE_FLAG = {"human_request": frozenset({"reach_counselor"}), "financial": frozenset(),
                           "academic": frozenset(), "accommodations": frozenset()}


class ActionRaiseConcernFlag(Action):
    """Flags the concern the safety screen found. The student (or their advisor) already has the reply a rule sent.
    A request for a person, a money worry, a worry about grades or a need for support that is also a question the
    knowledge base clearly answers gets that answer after the flag (ANSWERED_AFTER_THE_FLAG)."""

    def name(self) -> str:
        return "action_raise_concern_flag"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        category = concern_in(tracker)
        if category is None:
            return []
        try:
            speaker = await asyncio.to_thread(speaker_of, plan_uow(), tracker.sender_id)
            careers = await asyncio.to_thread(record_concern, plan_uow(), speaker.student_id, category.name,
                                              tracker.latest_message.get("text") or "", event_key(tracker),
                                              conversation_id=tracker.sender_id, author=speaker.author)
        except Exception:
            # Raising makes Rasa log the failure too; the student is not told anything went wrong,
            # because their reply (with crisis resources) has already been sent.
            logger.exception("could not raise a %s flag", category.name)
            raise
        if category.name in ANSWERED_AFTER_THE_FLAG and not category.is_crisis:
            await answer_from_knowledge(dispatcher, answer_text(tracker), tracker.events,
                                        unless=ANSWERED_AFTER_THE_FLAG[category.name])
        if careers:
            dispatcher.utter_message(response="utter_also_saved_career", careers=" and ".join(careers))
            return saved(event_key(tracker))  # "no, that's wrong" takes the career back
        return []


class ActionSafetyCheckIn(Action):
    """A weak sign of a crisis (the screen's check-in): asks "are you okay right now?" with buttons, and keeps the
    message and the crisis it may be for the answer. Nothing is said about crisis lines or flagged yet."""

    def name(self) -> str:
        return "action_safety_check_in"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        latest = tracker.latest_message
        finding = latest.get(SAFETY_KEY) or {}
        dispatcher.utter_message(response="utter_safety_check_in")
        return [SlotSet("check_in", {"category": finding.get("category") or "self_harm", "text": latest.get("text") or "",
                                     "message_id": latest.get("message_id"), "entities": latest.get("entities") or [],
                                     "intent": finding.get(CHECK_IN_OTHERWISE)}),
                SlotSet("awaiting", "safety_check_in")]


class ActionAnswerSafetyCheckIn(Action):
    """The answer to the check-in. "I'm okay" (or words that say so) ends it, and the message that raised it is then
    handled as it would have been ("money is the most important thing to me tbh" starts the values); any other
    answer ("not really", "idk", "no") gets the crisis reply and the urgent flag, with that message and the answer.
    Words that answer nothing, or a yes or no after another turn, are handled as they would have been: the rules
    send the intents an answer is read as here (data/rules/safety.yml), whatever the words."""

    def name(self) -> str:
        return "action_answer_safety_check_in"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        slot = tracker.get_slot("check_in") if asked_just_now(tracker, "safety_check_in") else None
        asked: dict = slot if isinstance(slot, dict) else {}
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        typed = answer_text(tracker)
        answer = read_check_in_answer(typed, intent) if asked else CheckInAnswer.UNCLEAR
        forget = STOP_AWAITING + [SlotSet("check_in", None)]
        if answer is CheckInAnswer.OKAY:
            dispatcher.utter_message(response="utter_check_in_okay")
            return forget + replayed(asked["text"], asked.get("intent"), asked.get("entities"), asked.get("message_id"))
        if answer is CheckInAnswer.UNCLEAR:
            # Not an answer ("what jobs fit me", or a yes long after the question): handled as any such message.
            latest = tracker.latest_message
            return forget + replayed(latest.get("text") or "", latest.get("intent"), latest.get("entities"),
                                     latest.get("message_id"))
        category = asked["category"]
        dispatcher.utter_message(response=f"utter_crisis_{category}")
        excerpt = f'{asked["text"]} (asked "are you okay right now?", answered: {typed or "Not really"})'
        try:
            await asyncio.to_thread(flag_concern_in_conversation, plan_uow(), tracker.sender_id, category,
                                    excerpt=excerpt, event_id=event_key(tracker))
        except Exception:
            logger.exception("could not raise a %s flag after a check-in", category)
            raise
        return forget


def replayed(text: str, intent: Any, entities: Any, message_id: str | None) -> list:
    """A student's message again, as their newest, with `intent`, so the dialogue goes on from it (as Rasa's
    two-stage fallback replays a message it clarified). Its message id is new, so what it saves is keyed apart."""
    if not isinstance(intent, dict) or not intent.get("name"):
        return []
    parse_data = {"text": text, "intent": intent, "entities": entities or [], "intent_ranking": [intent]}
    return [ActionExecuted("action_listen"), {**UserUttered(text, parse_data),
                                              "message_id": f"{message_id or 'check-in'}:replayed"}]
