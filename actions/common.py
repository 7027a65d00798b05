"""What every action shares: the event key for idempotent writes and the translation of domain errors."""
from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from typing import Any, Awaitable, Callable, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecutionRejected, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from bot.advisors.conversation import flag_concern_in_conversation
from bot.config import Settings
from bot.conversation_events import message_event_key
from bot.db.unit_of_work import UnitOfWork, UnitOfWorkFactory, units_of_work
from bot.errors import IlpError, InvalidAnswer, UnknownStudent
from bot.nlp.mentions import Mention, find_mentions
from bot.plans.postsecondary import postsecondary_named
from bot.plans.readings import aims_at_a_career, is_request, plans_a_path
from bot.safety.categories import Category, category_of_intent

logger = logging.getLogger(__name__)
# The action server's one factory of units of work, built from its settings when it starts.
_uow_factory: UnitOfWorkFactory | None = None


def use_plan_database(settings: Settings) -> None:
    """Points every action at the plan database `settings` name (components/action_server.py, at start)."""
    global _uow_factory
    _uow_factory = units_of_work(settings)


def plan_uow() -> UnitOfWork:
    """A unit of work on the action server's plan database."""
    if _uow_factory is None:
        raise RuntimeError("no plan database: start the action server with `python -m components.action_server`")
    return _uow_factory()


def event_key(tracker: Tracker) -> str:
    """Identifies the student message an action answers, so a retried action writes nothing twice."""
    latest = tracker.latest_message
    return message_event_key(tracker.sender_id, latest.get("message_id"), latest.get("timestamp"))


async def call_service(dispatcher: CollectingDispatcher, service: Callable[..., Any], *args: Any,
                       on_invalid: Optional[Callable[[InvalidAnswer], Awaitable[bool]]] = None, **kwargs: Any) -> Any:
    """Runs a (blocking) service off the event loop; on a domain error, replies and returns None.

    `on_invalid` may answer an unusable answer another way; when it returns True, the usual re-prompt is not sent.
    """
    async def reply(error: IlpError | SQLAlchemyError) -> bool:
        if isinstance(error, InvalidAnswer):
            if on_invalid is None or not await on_invalid(error):
                dispatcher.utter_message(response=f"utter_answer_{error.reason}")
        elif isinstance(error, UnknownStudent):
            dispatcher.utter_message(response="utter_sign_in_first")
        elif isinstance(error, SQLAlchemyError):
            # Never tell a student something was saved unless it was committed.
            logger.exception("plan database write failed in %s", _name_of(service))
            dispatcher.utter_message(response="utter_not_saved")
        else:
            return False  # another domain error is the caller's to answer
        return True

    return await _run_service(service, args, kwargs, reply)


async def call_service_quietly(service: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Runs a (blocking) service off the event loop for a reply the action can do without: on a domain or
    database error, logs it and returns None, saying nothing (the action goes on to its usual reply)."""
    async def log(error: IlpError | SQLAlchemyError) -> bool:
        logger.exception("%s failed; replying without it", _name_of(service))
        return True

    return await _run_service(service, args, kwargs, log)


async def _run_service(service: Callable[..., Any], args: tuple, kwargs: dict,
                       handle: Callable[[IlpError | SQLAlchemyError], Awaitable[bool]]) -> Any:
    """The core of call_service and call_service_quietly: runs the service in a worker thread. A domain error
    (IlpError) or a database error (SQLAlchemyError) goes to `handle`, inside the except block so that
    logger.exception records it; None is returned when `handle` returns True, else the error propagates, as
    does any other exception."""
    try:
        return await asyncio.to_thread(service, *args, **kwargs)
    except (IlpError, SQLAlchemyError) as error:
        if not await handle(error):
            raise
    return None


def _name_of(service: Callable[..., Any]) -> Any:
    return getattr(service, "__name__", service)


def concern_in(tracker: Tracker) -> Category | None:
    """The concern the safety screen put on the latest message (its intent is concern_<category>), if any."""
    return category_of_intent((tracker.latest_message.get("intent") or {}).get("name"))


async def flag_follow_up_in_answer(tracker: Tracker) -> None:
    """A form answer the safety screen reads as a follow-up concern ("stop failing math") is flagged for the
    counselor; the form still saves it as the answer. Crises never reach a form's validation (rules end it).
    """
    category = concern_in(tracker)
    if category is None or category.is_crisis or not tracker.get_slot("requested_slot"):
        return
    try:
        await asyncio.to_thread(flag_concern_in_conversation, plan_uow(), tracker.sender_id, category.name,
                                excerpt=tracker.latest_message.get("text") or "", event_id=event_key(tracker))
    except Exception:
        logger.exception("could not raise a %s flag from a form answer", category.name)


def entity(tracker: Tracker, name: str) -> str | None:
    """The latest message's entity `name` (button payloads carry their choice this way).

    Only a string: a payload typed by hand (`/choose_value{"work_value": {}}`) can carry any JSON.
    """
    return next((value for value in tracker.get_latest_entity_values(name) if isinstance(value, str)), None)


def answer_text(tracker: Tracker) -> str:
    """What the student typed; a button click (a "/intent{...}" payload) has no typed words."""
    text = tracker.latest_message.get("text") or ""
    return "" if text.startswith("/") else text


def button(title: str, intent: str, **entities: Any) -> dict:
    payload = json.dumps(entities, separators=(",", ":")) if entities else ""
    return {"title": title, "payload": f"/{intent}{payload}"}


def readable_date(iso_date: str) -> str:
    """ "2026-12-07" as "Monday, December 7"."""
    date = dt.date.fromisoformat(iso_date)
    return f"{date:%A, %B} {date.day}"


# The bot is no longer waiting for a quiz answer or a yes to an offer once the student moves on.
STOP_AWAITING = [SlotSet("awaiting", None)]


# --- Never act on a guess: saves a "no" can take back, and saves that wait for a yes --------------------------
# Below this confidence the intent classifier's reading of typed words is a guess: a write waits for a yes.
CONFIDENT = 0.6


def intent_confidence(tracker: Tracker) -> float:
    return float((tracker.latest_message.get("intent") or {}).get("confidence") or 0.0)


def saved(*source_events: str | None) -> list:
    """The events after a save: a "no" or "undo that" now takes back what these messages wrote."""
    return [SlotSet("awaiting", "saved"), SlotSet("last_save", [event for event in source_events if event]),
            SlotSet("pending_save", None)]


def after_a_yes(events: list) -> list:
    """An action a yes runs (data/rules) always leaves `awaiting` at "saved", as its rule says, so the next
    turn is predicted by the rule; when nothing was saved, last_save is empty and a "no" takes nothing back."""
    kept = [event for event in events if event.get("name") not in ("awaiting", "last_save", "pending_save")]
    last: list = next((event["value"] for event in reversed(events) if event.get("name") == "last_save"), [])
    return kept + saved(*(last or []))


def ask_to_confirm(dispatcher: CollectingDispatcher, response: str, pending: dict, **words: Any) -> list:
    """Asks before writing what an uncertain reading gave: the question names exactly what would be saved."""
    dispatcher.utter_message(response=response, buttons=[button("Yes, save it", "affirm"), button("No", "deny")],
                             **words)
    return [SlotSet("awaiting", "confirm_save"), SlotSet("pending_save", pending)]


async def ask_about_the_path_planned(dispatcher: CollectingDispatcher, text: str) -> list:
    """ "i want to join the navy", "im going to community college for nursing" read as something else: the student's
    own plan for after high school, asked about ("Save ... as your plan after high school?"), never saved as read;
    [] (nothing said) when the words plan no path a keyword names."""
    path = await call_service_quietly(postsecondary_named, text) if plans_a_path(text) else None
    if path is None:
        return []
    return ask_to_confirm(dispatcher, "utter_confirm_postsecondary",
                          {"kind": "postsecondary", "postsecondary": path.id, "text": text}, path=path.name)


def ask_to_confirm_career_goal(dispatcher: CollectingDispatcher, text: str, career: Mention) -> list:
    """ "Save "Registered Nurse" as your career goal?": a yes saves exactly this career (action_confirm_save)."""
    return ask_to_confirm(dispatcher, "utter_confirm_career_goal",
                          {"kind": "career_goal", "text": text,
                           "career": [career.item_id, career.label, career.riasec, career.text]},
                          career=career.label)


# Inside a form, these intents change the subject: a question for the bot, or another activity. The form is
# paused (rejected, so data/rules/forms.yml answers the question and comes back) instead of saving them.
QUESTION_INTENTS = frozenset({"ask_career_suggestions", "ask_career_info", "ask_plan_summary", "ask_help"})


def changes_the_subject(tracker: Tracker, activities: set[str]) -> bool:
    """The message in a form is a confident question or request for the bot, or asks for another activity.

    The intent alone is not enough for a question: "ask my counselor for help" reads as ask_help and is a
    fine first step; it has to read as a question or request too ("what can you do?", "show me jobs").
    """
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent_confidence(tracker) < CONFIDENT:
        return False
    if intent in activities:
        return True
    # A button of an earlier answer ("What does a nurse do?") is a question too: its payload has no words to read.
    tapped = (tracker.latest_message.get("text") or "").startswith("/")
    return intent in QUESTION_INTENTS and (tapped or is_request(answer_text(tracker)))


def names_a_career(tracker: Tracker, by_name: bool) -> bool:
    """The message in a form is about a career instead of the question: a career's Save button, or words read
    as sharing a career that say it outright ("i want to be a welder") or, when `by_name`, name one from the
    catalog ("ok put plumber"). "i want to work from home" is neither: it stays an answer."""
    if (tracker.latest_message.get("intent") or {}).get("name") != "share_career_goal":
        return False
    if entity(tracker, "career_id"):
        return True
    text = answer_text(tracker)
    if intent_confidence(tracker) < CONFIDENT or not text:
        return False
    return aims_at_a_career(text) or (by_name and any(
        mention.kind == "career" and not mention.disliked for mention in find_mentions(text)))


def pause_form(form: str, slot: str) -> list:
    """Rejects the form's turn: the slot the text filled is emptied, and Rasa's rules for the form's unhappy
    path run instead (ActionExecutionRejected from a validation action, rasa-sdk 3.6)."""
    return [SlotSet(slot, None), ActionExecutionRejected(form)]


def is_fresh_answer(tracker: Tracker) -> bool:
    """The form validates a message the student just sent (not its return from a question it paused for)."""
    return tracker.get_slot("requested_slot") in tracker.slots_to_validate()


def set_in_last_turn(tracker: Tracker, slot: str) -> Any:
    """The value the bot's last turn (between the student's previous message and this one) gave `slot`,
    else None."""
    users_seen = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users_seen += 1
            if users_seen == 2:
                return None
        elif event.get("event") == "slot" and event.get("name") == slot and users_seen == 1:
            return event.get("value")
    return None


def saved_just_now(tracker: Tracker) -> list[str]:
    """The events of the messages whose saves the bot reported in its last turn, else []."""
    return list(set_in_last_turn(tracker, "last_save") or [])


def asked_just_now(tracker: Tracker, question: str) -> bool:
    """Whether the bot's last turn asked the question (the `awaiting` value: "confirm_save", "course_plan") that
    the student's message answers. A question holds for the very next message only: after any other turn a yes
    is an ordinary yes, even when that turn left `awaiting` as it was (a response, the knowledge base's answer)
    and data/rules/confirm_and_undo.yml still runs the action that saves."""
    return set_in_last_turn(tracker, "awaiting") == question


def proposed_just_now(tracker: Tracker, item: str | None) -> bool:
    """Whether the bot proposed `item` (the proposed_item slot) in its last turn."""
    return bool(item) and set_in_last_turn(tracker, "proposed_item") == item
