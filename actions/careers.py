from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.career_context import describe_career_asked_about, describe_career_meant
from actions.common import (
    CONFIDENT,
    STOP_AWAITING,
    answer_text,
    ask_about_the_path_planned,
    ask_to_confirm,
    ask_to_confirm_career_goal,
    button,
    call_service,
    entity,
    event_key,
    intent_confidence,
    plan_uow,
)
from actions.common import saved as saved_events
from actions.knowledge import answer_about_courses, answer_from_knowledge
from bot.knowledge.matcher import is_question as asks_something
from bot.knowledge.matcher import refers_back
from bot.nlp.mentions import Mention, find_mentions
from bot.plans.exploration import (
    career_asked_about,
    career_in_context,
    career_mention,
    describe_career,
    save_career,
    suggest_careers,
)
from bot.plans.readings import (
    aims_at_a_career,
    career_aim_words,
    is_hedged,
    is_non_answer,
    is_question,
    means_one_of_those,
    states_an_aim,
)
from bot.plans.services import careers_named_in, record_career_goal, record_career_goal_in_words
from bot.plans.spanish_aims import career_in_spanish_words


class ActionSaveCareerGoal(Action):
    """A suggestion's Save button adds the career to the student's list. A career the student types becomes
    their career goal when the words say so ("I want to be a nurse", or just "nurse"); otherwise the bot asks
    first ("can i talk to my counselor" names a career but means none). Words that name no career are not
    saved as one: the bot asks whether they are something the student likes."""

    def name(self) -> str:
        return "action_save_career_goal"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        career_id = entity(tracker, "career_id")
        if career_id:
            saved = await call_service(dispatcher, save_career, plan_uow(), tracker.sender_id, career_id,
                                       event_key(tracker))
            if saved is None:
                return STOP_AWAITING
            occupation, already = saved
            dispatcher.utter_message(response="utter_already_saved" if already else "utter_career_saved",
                                     careers=occupation.title)
            return saved_events(event_key(tracker))
        text = answer_text(tracker)
        if is_non_answer(text):
            dispatcher.utter_message(response="utter_answer_unsure")
            return STOP_AWAITING
        named = await call_service(dispatcher, careers_named_in, plan_uow(), text)
        if named is None:
            return STOP_AWAITING
        if not named:
            # A job the catalog does not know, said as an aim ("quiero ser mecánico de carros"), can still be the
            # career goal, in the student's words, once they say yes.
            stated = states_an_aim(text) and not is_question(text)
            # A Spanish job word in an English aim ("i wanna be an enfermera"): asked about, as the Spanish aims are.
            spanish = await asyncio.to_thread(career_in_spanish_words, text) if stated else None
            if spanish is not None:
                return ask_to_confirm_career_goal(dispatcher, text, spanish)
            # "maybe thats what i want to be" right after a job was talked about: asked about, that job.
            context = await asyncio.to_thread(career_in_context, tracker.events) \
                if states_an_aim(text) and (refers_back(text) or means_one_of_those(text)) else None
            if context is not None:
                return ask_to_confirm_career_goal(dispatcher, text, career_mention(context))
            words = career_aim_words(text) if stated else None
            if words:
                return ask_to_confirm(dispatcher, "utter_confirm_career_goal_words",
                                      {"kind": "career_goal_words", "text": text, "words": words}, career=words)
            # "i want to join the navy": a plan for after high school, not a job.
            path = await ask_about_the_path_planned(dispatcher, text)
            if path:
                return path
            if states_an_aim(text) or is_question(text):
                dispatcher.utter_message(response="utter_unknown_career_named")
                return STOP_AWAITING
            return ask_to_confirm(dispatcher, "utter_confirm_interest", {"kind": "interest", "text": text}, text=text)
        career = named[0]
        asked = await asyncio.to_thread(career_asked_about, text) \
            if asks_something(text) and not aims_at_a_career(text) else None
        if asked:
            # "are pharmacists still needed in 10 years", "can you be a cna before graduating": a job asked about,
            # not aimed at ("can i talk to my counselor" names a person: asked about first, as before). The knowledge
            # base's answer when one clearly answers, else the career's profile.
            if await answer_from_knowledge(dispatcher, text, tracker.events):
                return STOP_AWAITING
            profile = await call_service(dispatcher, describe_career, plan_uow(), asked, text)
            if profile is None:
                return STOP_AWAITING
            # "maybe like an architect?", "i know what i want, a welder": what it is, then whether it is the goal.
            meant = await describe_career_meant(dispatcher, text, profile)
            return ask_to_confirm_career_goal(dispatcher, text, meant) if meant else STOP_AWAITING
        if not states_an_aim(text, career.text) or is_hedged(text) or intent_confidence(tracker) < CONFIDENT:
            return ask_to_confirm_career_goal(dispatcher, text, career)
        return await save_career_goal(dispatcher, tracker.sender_id, text, event_key(tracker))


async def save_career_goal(dispatcher: CollectingDispatcher, sender_id: str, text: str, source_event: str,
                           career: Mention | None = None) -> list:
    """Saves the career the words name (or `career`, the one the student confirmed) as the career goal."""
    recognise = (lambda _: [career]) if career else find_mentions
    saved = await call_service(dispatcher, record_career_goal, plan_uow(), sender_id, text, source_event,
                               recognise=recognise)
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
        dispatcher.utter_message(response="utter_unknown_career_named")
        return STOP_AWAITING
    return saved_events(source_event)


async def save_career_goal_in_words(dispatcher: CollectingDispatcher, sender_id: str, words: str,
                                    source_event: str) -> list:
    saved = await call_service(dispatcher, record_career_goal_in_words, plan_uow(), sender_id, words, source_event)
    if saved is None:
        return STOP_AWAITING
    dispatcher.utter_message(response="utter_already_saved" if saved.already_saved else "utter_career_goal_words_saved",
                             goal=words)
    return saved_events(source_event)


class ActionSuggestCareers(Action):
    def name(self) -> str:
        return "action_suggest_careers"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        suggestions = await call_service(dispatcher, suggest_careers, plan_uow(), tracker.sender_id)
        if suggestions is None:
            return STOP_AWAITING
        if not suggestions.matches:
            dispatcher.utter_message(response="utter_no_suggestions_yet",
                                     buttons=[button("Take the interest quiz", "start_inventory")])
            return STOP_AWAITING
        dispatcher.utter_message(text=suggestions.intro)
        if suggestions.thin:
            dispatcher.utter_message(text=suggestions.thin_note,
                                     buttons=[button("Keep going with the quiz", "start_inventory")])
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
        # answers, "what is ap bio" one about a course, and "how long is school for that" one about the career the
        # student just named; if not, the student hears "I don't know that job yet".
        async def answer_another_way(error) -> bool:
            return await answer_from_knowledge(dispatcher, text, tracker.events) or \
                await answer_about_courses(dispatcher, tracker.sender_id, text, asked_for_classes=False) or \
                await describe_career_asked_about(dispatcher, tracker.events, text)

        profile = await call_service(dispatcher, describe_career, plan_uow(), entity(tracker, "career_id"), text,
                                     on_invalid=answer_another_way)
        if profile is None:
            return STOP_AWAITING
        # The student typed just the job's name ("electrician") or floated it ("maybe like an architect?").
        named = await describe_career_meant(dispatcher, text, profile)
        # "do plumbers need a license": the job's profile, then what the knowledge base says of licenses.
        await answer_from_knowledge(dispatcher, text, tracker.events, named_only=True)
        if named:
            # What it is, then whether it is their goal.
            return ask_to_confirm_career_goal(dispatcher, text, named)
        return STOP_AWAITING

