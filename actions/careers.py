from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import STOP_AWAITING, answer_text, button, call_service, entity, event_key
from actions.knowledge import answer_from_knowledge
from bot.db.unit_of_work import UnitOfWork
from bot.interests.catalog import RIASEC_SHORT
from bot.plans.exploration import education_plain, find_career, save_career, suggest_careers
from bot.plans.services import record_career_goal


class ActionSaveCareerGoal(Action):
    """A career the student names becomes their career goal; a suggestion's Save button adds it to their list."""

    def name(self) -> str:
        return "action_save_career_goal"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        career_id = entity(tracker, "career_id")
        if career_id:
            saved = await call_service(dispatcher, save_career, UnitOfWork(), tracker.sender_id, career_id,
                                       event_key(tracker))
            if saved is not None:
                occupation, already = saved
                dispatcher.utter_message(response="utter_already_saved" if already else "utter_career_saved",
                                         careers=occupation.title)
            return STOP_AWAITING
        saved = await call_service(dispatcher, record_career_goal, UnitOfWork(), tracker.sender_id,
                                   tracker.latest_message.get("text"), event_key(tracker))
        if saved is None:
            return STOP_AWAITING
        if saved.already_saved:
            dispatcher.utter_message(response="utter_already_saved")
        elif saved.careers:
            dispatcher.utter_message(response="utter_career_goal_saved", careers=" and ".join(saved.careers),
                                     goal=saved.careers[0],
                                     buttons=[button(f"What does a {saved.careers[0].lower()} do?", "ask_career_info",
                                                     career_id=saved.mentions[0].item_id)])
        else:
            dispatcher.utter_message(response="utter_career_saved_unrecognised")
        return STOP_AWAITING


class ActionSuggestCareers(Action):
    def name(self) -> str:
        return "action_suggest_careers"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        suggestions = await call_service(dispatcher, suggest_careers, UnitOfWork(), tracker.sender_id)
        if suggestions is None:
            return STOP_AWAITING
        if not suggestions.matches:
            dispatcher.utter_message(response="utter_no_suggestions_yet",
                                     buttons=[button("Take the interest quiz", "start_inventory")])
            return STOP_AWAITING
        dispatcher.utter_message(response="utter_suggestions_intro", code=suggestions.code)
        for match in suggestions.matches:
            occupation = match.occupation
            dispatcher.utter_message(
                response="utter_suggestion", title=occupation.title, description=occupation.description or "",
                reasons="; ".join(match.reasons),
                buttons=[button(f"Save {occupation.title}", "share_career_goal", career_id=occupation.onet_soc),
                         button("Tell me more", "ask_career_info", career_id=occupation.onet_soc)])
        return STOP_AWAITING


class ActionDescribeCareer(Action):
    def name(self) -> str:
        return "action_describe_career"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        text = answer_text(tracker)
        # No job in the catalog was named: "how do i apply for financial aid" may be a question the knowledge base
        # answers; if not, the student hears "I don't know that job yet" as before.
        occupation = await call_service(dispatcher, find_career, UnitOfWork(), entity(tracker, "career_id"), text,
                                        on_invalid=lambda error: answer_from_knowledge(dispatcher, text))
        if occupation is None:
            return STOP_AWAITING
        dispatcher.utter_message(
            response="utter_career_info", title=occupation.title, description=occupation.description or "",
            education=education_plain(occupation),
            types=" and ".join(RIASEC_SHORT[letter] for letter in occupation.riasec[:2]),
            buttons=[button(f"Save {occupation.title}", "share_career_goal", career_id=occupation.onet_soc)])
        return STOP_AWAITING
