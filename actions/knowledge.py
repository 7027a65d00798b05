"""Answers from the knowledge base where the bot would otherwise dead-end: off-topic, not understood, unknown job."""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Sequence

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.career_context import career_asked_about_in_context, describe_career_asked_about, describe_career_meant
from actions.common import answer_text, ask_to_confirm, ask_to_confirm_career_goal, call_service, plan_uow
from bot.advisors.conversation import speaker_of
from bot.conversation_events import reply_to_previous_message
from bot.knowledge.matcher import is_question
from bot.knowledge.service import find_answer
from bot.plans.course_questions import check_with_counselor, course_answer, facts_about_courses_named, names_a_course
from bot.plans.readings import is_undo
from bot.plans.spanish_aims import career_aimed_at, in_english_words, likes_in_spanish, path_aimed_at

logger = logging.getLogger(__name__)
KNOWLEDGE_ANSWER = "utter_knowledge_answer"


async def answer_from_knowledge(dispatcher: CollectingDispatcher, text: str, events: Sequence[dict] = (),
                                unless: frozenset = frozenset(), named_only: bool = False) -> bool:
    """Replies with the entry that answers the message and its source; False (nothing said) when none clearly does,
    or when it is one of `unless` (entries whose answer the bot has just given in other words).
    `events`: the conversation's, so a follow-up ("do i need to study for it") is read with the answer before it.
    `named_only`: only an entry whose key term the message names ("do plumbers need a license", "who sees my
    goals"), for actions that have an answer of their own and add the knowledge base's only when asked outright."""
    if not text.strip():
        return False
    try:
        answer = await asyncio.to_thread(find_answer, text,
                                           previous_reply=reply_to_previous_message(list(events), KNOWLEDGE_ANSWER))
    except Exception:
        # A missing encoder or a broken knowledge file must not cost the student the usual reply.
        logger.exception("the knowledge base could not be consulted")
        return False
    if answer is None or answer.entry_id in unless or (named_only and not answer.key_term):
        return False
    dispatcher.utter_message(response=KNOWLEDGE_ANSWER, answer=answer.text, source=answer.source_line)
    if answer.stale:
        reviewed = answer.last_reviewed
        dispatcher.utter_message(response="utter_knowledge_stale", reviewed=f"{reviewed:%B} {reviewed.day}, {reviewed.year}")
    return True


async def answer_about_courses(dispatcher: CollectingDispatcher, sender_id: str, text: str, *,
                               asked_for_classes: bool) -> bool:
    """Replies about the courses the message asks about (what each is, whether it is in the plan and on the
    career's path); False (nothing said) when it asks about none. Said as a knowledge answer, so it counts as
    understood."""
    if not names_a_course(text, asked_for_classes=asked_for_classes):
        return False
    speaker = await call_service(dispatcher, speaker_of, plan_uow(), sender_id)  # an advisor session: its student
    if speaker is None:
        return True  # call_service has said what went wrong
    facts = await call_service(dispatcher, facts_about_courses_named, plan_uow(), speaker.student_id, text)
    if facts is None:
        return True  # call_service has said what went wrong
    if not facts:
        return False
    dispatcher.utter_message(response=KNOWLEDGE_ANSWER, answer="\n".join(course_answer(fact) for fact in facts),
                             source=check_with_counselor(len(facts)))
    return True


async def confirm_spanish_aim(dispatcher: CollectingDispatcher, text: str) -> list:
    """ "quiero ser enfermera", "después de la prepa voy a un colegio comunitario", "me gusta dibujar": asks to save the
    career, the path or the liking the Spanish words name (read, never saved on that reading alone); [] (nothing
    said) when they name none."""
    career = await asyncio.to_thread(career_aimed_at, text)
    if career is not None:
        return ask_to_confirm_career_goal(dispatcher, text, career)
    path = await asyncio.to_thread(path_aimed_at, text)
    if path is not None:
        return ask_to_confirm(dispatcher, "utter_confirm_postsecondary",
                              {"kind": "postsecondary", "postsecondary": path.id, "text": text}, path=path.name)
    if likes_in_spanish(text):
        return ask_to_confirm(dispatcher, "utter_confirm_liked", {"kind": "interest", "text": text}, text=text)
    return []


class ActionAnswerQuestion(Action):
    """A question (ask_question), an off-topic message (out_of_scope) or a question about the bot (ask_help): the
    knowledge base's answer when one entry clearly answers it. Otherwise the reply the bot gave before: what it
    can do for ask_help (also after an answer about the bot, "are you a real person?"), and "I can't help with
    that one" for the rest. A question about a course the knowledge base does not answer ("what is ap bio") is
    answered about that course, and one about "that" job ("how long is school for that") about the career the
    student just named. A Spanish message (speak_spanish, no concern) gets the answer an entry clearly gives
    ("qué es el FAFSA?": the answers are in English), then, as before, what the bot can do in Spanish; one that says a
    career or a path after high school ("quiero ser enfermera") is asked about, to save it."""

    def name(self) -> str:
        return "action_answer_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        text = answer_text(tracker)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "speak_spanish":
            if is_undo(text):
                # "no, bórralo" right after a save takes it back, as "undo that" does in English.
                from actions.confirmations import ActionRetractLastSave  # confirmations imports this module

                return await ActionRetractLastSave().run(dispatcher, tracker, domain)
            asked = [] if is_question(text) else await confirm_spanish_aim(dispatcher, text)
            if asked:
                return asked
            # "¿qué hace un diseñador gráfico?": a job named in Spanish gets its profile (in English, as the answers are).
            await answer_from_knowledge(dispatcher, text, tracker.events) or \
                await describe_career_asked_about(dispatcher, tracker.events, in_english_words(text))
            dispatcher.utter_message(response="utter_spanish_help")
            return []
        if not is_question(text):
            # A Spanish aim NLU read otherwise ("después de la high school voy a ir a community college").
            asked = await confirm_spanish_aim(dispatcher, text)
            if asked:
                return asked
        answered = await answer_from_knowledge(dispatcher, text, tracker.events) or \
            await answer_about_courses(dispatcher, tracker.sender_id, text, asked_for_classes=False)
        profile = None if answered else await career_asked_about_in_context(tracker.events, text)
        if profile is not None:
            # What it is, then, when the student may mean it ("maybe like an architect?"), whether it is their goal.
            meant = await describe_career_meant(dispatcher, text, profile)
            if meant is not None:
                return ask_to_confirm_career_goal(dispatcher, text, meant)
            answered = True
        if intent == "ask_help":
            dispatcher.utter_message(response="utter_help")
        elif not answered:
            dispatcher.utter_message(response="utter_out_of_scope")
        return []
