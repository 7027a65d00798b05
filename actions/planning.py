from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    CONFIDENT,
    STOP_AWAITING,
    after_a_yes,
    answer_text,
    ask_to_confirm,
    asked_just_now,
    button,
    call_service,
    changes_the_subject,
    entity,
    event_key,
    flag_follow_up_in_answer,
    intent_confidence,
    is_fresh_answer,
    names_a_career,
    pause_form,
    plan_uow,
    readable_date,
)
from actions.common import saved as saved_events
from actions.knowledge import answer_about_courses, answer_from_knowledge
from bot.errors import InvalidAnswer
from bot.knowledge.matcher import is_question as asks_something
from bot.plans.activities import describe_activity, record_activity
from bot.plans.content import postsecondary_options
from bot.plans.course_questions import SCHEDULE_WORDS
from bot.plans.courses import save_course_plan, suggest_course_plan
from bot.plans.credit_count import CreditCount
from bot.plans.goals import record_goal_step, save_goal, set_step_due_date, take_back_goal, take_back_step
from bot.plans.postsecondary import parse_postsecondary, record_postsecondary
from bot.plans.readings import (
    about_someone_else,
    correction_in,
    due_words_in,
    goal_stated_in,
    is_change_of_mind,
    is_hedged,
    is_non_answer,
    is_question,
    is_undo,
    step_labelled,
)
from bot.plans.retraction import Retraction

ACTIVITY_WORDS = {"club": "club", "sport": "sport", "job": "job", "job_shadowing": "job shadow",
                  "internship": "internship", "dual_credit": "dual credit class", "volunteering": "volunteering",
                  "other": "activity"}
STATUS_WORDS = {"planned": "planned", "doing": "going on now", "done": "done"}


def postsecondary_buttons() -> list[dict]:
    return [button(option.button, "choose_postsecondary", postsecondary=option.id)
            for option in postsecondary_options().values()]


class ActionSavePostsecondary(Action):
    """Saves the path after high school; a career goal it does not reach is a plan problem for the counselor.

    A button is saved as tapped. Typed words that hedge ("after hs prob college or smth idk") or that the
    intent classifier was unsure of are read, then confirmed before anything is saved.
    """

    def name(self) -> str:
        return "action_save_postsecondary"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        tapped = entity(tracker, "postsecondary")
        text = answer_text(tracker)
        if tapped:
            return await save_postsecondary(dispatcher, tracker.sender_id, tapped, event_key(tracker))
        if not text:
            dispatcher.utter_message(response="utter_ask_postsecondary", buttons=postsecondary_buttons())
            return STOP_AWAITING
        option = await call_service(dispatcher, parse_postsecondary, text)
        if option is None:
            dispatcher.utter_message(response="utter_ask_postsecondary", buttons=postsecondary_buttons())
            return STOP_AWAITING
        if is_hedged(text) or about_someone_else(text) or intent_confidence(tracker) < CONFIDENT:
            return ask_to_confirm(dispatcher, "utter_confirm_postsecondary",
                                  {"kind": "postsecondary", "postsecondary": option.id, "text": text}, path=option.name)
        return await save_postsecondary(dispatcher, tracker.sender_id, option.id, event_key(tracker))


async def save_postsecondary(dispatcher: CollectingDispatcher, sender_id: str, choice: str, source_event: str) -> list:
    saved = await call_service(dispatcher, record_postsecondary, plan_uow(), sender_id, choice, source_event)
    if saved is None:
        dispatcher.utter_message(response="utter_ask_postsecondary", buttons=postsecondary_buttons())
        return STOP_AWAITING
    if saved.already_saved:
        dispatcher.utter_message(response="utter_already_saved")
        return saved_events(source_event)
    dispatcher.utter_message(response="utter_postsecondary_saved", path=saved.option.name, plain=saved.option.plain)
    if saved.out_of_reach is not None:
        dispatcher.utter_message(response="utter_postsecondary_mismatch", career=saved.out_of_reach.title,
                                 path=saved.option.name)
    return saved_events(source_event)


class ActionSuggestCourses(Action):
    """A class plan for the grades left, counted with the credits the transcript shows earned. A message that
    names particular courses ("do i need chemistry for nursing") is answered about those courses instead, and one
    the knowledge base answers ("SAT or ACT this year?") with that answer; neither offers to change the plan."""

    def name(self) -> str:
        return "action_suggest_courses"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        text = answer_text(tracker)
        if await answer_about_courses(dispatcher, tracker.sender_id, text, asked_for_classes=True):
            return STOP_AWAITING
        if text and not SCHEDULE_WORDS.search(text.casefold()) and await answer_from_knowledge(dispatcher, text, tracker.events):
            return STOP_AWAITING
        proposal = await call_service(dispatcher, suggest_course_plan, plan_uow(), tracker.sender_id)
        if proposal is None:
            return STOP_AWAITING
        if not proposal.by_grade:
            dispatcher.utter_message(response="utter_courses_already_planned", check=describe_check(proposal.credits))
            return STOP_AWAITING
        schedule = "\n".join(f"Grade {year}: " + ", ".join(course.name for course in chosen)
                             for year, chosen in proposal.by_grade.items())
        dispatcher.utter_message(
            response="utter_courses_proposal" if proposal.career else "utter_courses_proposal_no_career",
            career=proposal.career.title if proposal.career else "", schedule=schedule,
            check=describe_check(proposal.credits),
            buttons=[button("Add these to my plan", "affirm"), button("Not now", "deny")])
        return [SlotSet("awaiting", "course_plan")]


class ActionSaveCoursePlan(Action):
    """A yes to the class plan proposed in the bot's last turn adds it; a yes after another turn adds nothing."""

    def name(self) -> str:
        return "action_save_course_plan"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        if not asked_just_now(tracker, "course_plan"):
            dispatcher.utter_message(response="utter_ask_start")  # the reply a yes gets with nothing asked
            return after_a_yes([])
        saved = await call_service(dispatcher, save_course_plan, plan_uow(), tracker.sender_id, event_key(tracker))
        if saved is None:
            return after_a_yes([])
        proposal, already = saved
        count = sum(len(chosen) for chosen in proposal.by_grade.values())
        if not already and not count:
            dispatcher.utter_message(response="utter_courses_nothing_to_add")
            return after_a_yes([])
        dispatcher.utter_message(response="utter_already_saved" if already else "utter_courses_saved", count=count)
        return saved_events(event_key(tracker))


def describe_check(credits: CreditCount) -> str:
    """Where the plan stands against the graduation requirements. Without the credits a high school student has
    earned, no number still needed is given: it would assume nothing was earned."""
    total = credits.total
    if not credits.earned_known:
        return ("Your school hasn't shared the credits you've already earned with me yet, so I can't tell how many "
                f"you still need. Your plan has {total.planned:g} credits of classes planned; your counselor can "
                "check them against your transcript.")
    earned = f"You've earned {total.earned:g} of {total.required:g} credits. " if credits.has_transcript else ""
    if not credits.shortfalls:
        return earned + "With your plan, that covers every graduation requirement."
    return (earned + "Still needed to graduate: "
            + ", ".join(f"{area.still_needed:g} more {area.name}" for area in credits.shortfalls) + ".")


class ActionSaveActivity(Action):
    """Saves a club, sport, job or other activity the student tells about. Words that name no kind of activity
    ("i got accepted to a state university"), hedge, ask, or that the intent classifier was unsure of are
    confirmed first."""

    def name(self) -> str:
        return "action_save_activity"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        text = answer_text(tracker)
        if is_non_answer(text):
            dispatcher.utter_message(response="utter_answer_unsure")
            return STOP_AWAITING
        activity = describe_activity(text)
        if not activity.named or is_hedged(text) or intent_confidence(tracker) < CONFIDENT:
            return ask_to_confirm(dispatcher, "utter_confirm_activity", {"kind": "activity", "text": text},
                                  kind=ACTIVITY_WORDS.get(activity.kind, "activity"), name=activity.name,
                                  status=STATUS_WORDS.get(activity.status, activity.status))
        return await save_activity(dispatcher, tracker.sender_id, text, event_key(tracker))


async def save_activity(dispatcher: CollectingDispatcher, sender_id: str, text: str, source_event: str) -> list:
    saved = await call_service(dispatcher, record_activity, plan_uow(), sender_id, text, source_event)
    if saved is None:
        return STOP_AWAITING
    dispatcher.utter_message(response="utter_already_saved" if saved.already_saved else "utter_activity_saved",
                             kind=ACTIVITY_WORDS.get(saved.kind, "activity"), name=saved.name,
                             status=STATUS_WORDS.get(saved.status, saved.status))
    return saved_events(source_event)


# Ideas offered when the student is not sure; tapping one sends its words as the answer.
GOAL_IDEAS = ("Raise one of my grades", "Try a club or sport", "Learn about a job I like")
STEP_IDEAS = ("Ask a teacher what to do first", "Spend 20 minutes looking it up", "Write down 3 ideas")
DUE_IDEAS = ("This Friday", "In 2 weeks", "End of the month")


def idea_buttons(ideas: tuple[str, ...]) -> list[dict]:
    return [{"title": idea, "payload": idea} for idea in ideas]


class ValidateGoalForm(FormValidationAction):
    """Reads each goal answer as the answer to the question asked, and saves it the moment it is given.

    "idk" gets ideas to tap instead of being saved; a question or another activity pauses the form instead
    of being saved (run() rejects the turn, and data/rules/forms.yml answers and comes back); a question the
    intent classifier missed is said not to be saved; "that's wrong" takes back the answer
    before and asks it again; "wait no my step is X" replaces the step just given. The same goal twice is
    one goal. An answer the safety screen reads as a follow-up concern ("stop failing math") is saved and
    flagged for the counselor as well; crises never reach here (they end the form).
    """

    def name(self) -> str:
        return "validate_goal_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list:
        requested = tracker.get_slot("requested_slot")
        activities = {"start_inventory", "start_values"} | ({"start_goal"} if requested != "goal_text" else set())
        # After the goal itself, a career said outright is another subject; a step may name one ("ask the nurse").
        if is_fresh_answer(tracker) and (changes_the_subject(tracker, activities) or (
                requested != "goal_text" and names_a_career(tracker, by_name=False))):
            return pause_form(self.form_name(), requested)
        await flag_follow_up_in_answer(tracker)
        return await super().run(dispatcher, tracker, domain)

    async def extract_goal_text(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict:
        """The message that starts the goal questions may state the goal too ("my goal is to make my own game"):
        it is the answer to the first question, which is then not asked."""
        # Rasa calls this at activation with the loop already named active, but with no slot requested yet.
        if tracker.get_slot("requested_slot") or tracker.get_slot("goal_text"):
            return {}
        goal = goal_stated_in(answer_text(tracker))
        return {"goal_text": goal} if goal else {}

    async def validate_goal_text(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> dict:
        text = str(value or "")
        correction = correction_in(text)
        text = correction.new_text if correction else goal_stated_in(text) or text
        if await answered_instead(dispatcher, tracker, text) or \
                not_an_answer(dispatcher, text, "utter_goal_ideas", GOAL_IDEAS):
            return {"goal_text": None}
        return await self._save_goal(dispatcher, tracker, text)

    async def validate_goal_step(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> dict:
        text = str(value or "")
        goal_id = int(tracker.get_slot("goal_id") or 0)
        if is_undo(text):
            taken = await call_service(dispatcher, take_back_goal, plan_uow(), tracker.sender_id, goal_id, text,
                                       event_key(tracker))
            say_taken_back(dispatcher, taken)
            return {"goal_step": None, "goal_text": None, "goal_id": None, "last_save": None}
        correction = correction_in(text)
        if correction and correction.field == "goal":
            return {"goal_step": None, **await self._save_goal(dispatcher, tracker, correction.new_text, goal_id)}
        text = correction.new_text if correction else step_labelled(text) or text
        if await answered_instead(dispatcher, tracker, text) or \
                not_an_answer(dispatcher, text, "utter_step_ideas", STEP_IDEAS):
            return {"goal_step": None}
        return await self._save_step(dispatcher, tracker, goal_id, text)

    async def validate_goal_due(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> dict:
        text = str(value or "")
        step_id = int(tracker.get_slot("step_id") or 0)
        if is_undo(text):
            taken = await call_service(dispatcher, take_back_step, plan_uow(), tracker.sender_id, step_id, text,
                                       event_key(tracker))
            say_taken_back(dispatcher, taken)
            return {"goal_due": None, "goal_step": None, "step_id": None}
        correction = correction_in(text)
        if correction and correction.field == "goal":
            return {"goal_due": None, **await self._save_goal(dispatcher, tracker, correction.new_text,
                                                              int(tracker.get_slot("goal_id") or 0))}
        if correction and correction.field == "step":
            return {"goal_due": None, **await self._save_step(dispatcher, tracker, int(tracker.get_slot("goal_id") or 0),
                                                              correction.new_text, replacing=step_id)}
        text = correction.new_text if correction else text
        another_step = step_labelled(text)
        if another_step and not correction:
            # "step 2 make a platformer by christmas": the next step of this goal, not a date for the one before.
            return {"goal_due": None, **await self._save_step(dispatcher, tracker, int(tracker.get_slot("goal_id") or 0),
                                                              another_step)}
        if is_non_answer(text):
            dispatcher.utter_message(response="utter_due_ideas", buttons=idea_buttons(DUE_IDEAS))
            return {"goal_due": None}
        if await answered_instead(dispatcher, tracker, text):
            return {"goal_due": None}
        due = await call_service(dispatcher, set_step_due_date, plan_uow(), tracker.sender_id, step_id, text,
                                 event_key(tracker))
        if due is None:
            return {"goal_due": None}
        return {"goal_due": due.isoformat(), "last_save": self._saves(tracker)}

    async def _save_goal(self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str,
                         replacing: int | None = None) -> dict:
        saved = await call_service(dispatcher, save_goal, plan_uow(), tracker.sender_id, text, event_key(tracker),
                                   replacing=replacing or None)
        if saved is None:
            return {"goal_text": None}
        if saved.already_a_goal:
            dispatcher.utter_message(response="utter_goal_already_there", goal=text)
        elif saved.replaced:
            dispatcher.utter_message(response="utter_goal_replaced", goal=text, old=saved.replaced)
        return {"goal_text": text, "goal_id": saved.id, "last_save": self._saves(tracker, fresh=not replacing)}

    async def _save_step(self, dispatcher: CollectingDispatcher, tracker: Tracker, goal_id: int, text: str,
                         replacing: int | None = None) -> dict:
        step_id = await call_service(dispatcher, record_goal_step, plan_uow(), tracker.sender_id, goal_id, text,
                                     event_key(tracker), replacing=replacing)
        if step_id is None:
            return {"goal_step": None}
        if replacing:
            dispatcher.utter_message(response="utter_step_replaced", step=text, old=tracker.get_slot("goal_step"))
        saved = {"goal_step": text, "step_id": step_id, "last_save": self._saves(tracker)}
        due_words = due_words_in(text)
        if not due_words:
            return saved
        # A step given with its date ("get my moms tax stuff by dec 15") needs no question about the date.
        due = await call_service(dispatcher, set_step_due_date, plan_uow(), tracker.sender_id, step_id, due_words,
                                 event_key(tracker), on_invalid=nothing_to_say)
        return {**saved, "goal_due": due.isoformat()} if due else saved

    @staticmethod
    def _saves(tracker: Tracker, fresh: bool = False) -> list[str]:
        """Every message that wrote part of this goal, so a "no" after the summary takes the whole goal back."""
        return [*([] if fresh else tracker.get_slot("last_save") or []), event_key(tracker)]


async def nothing_to_say(error: InvalidAnswer) -> bool:
    """Words that looked like a date but name none ("by like christmas break"): the form asks for the date."""
    return True


async def answered_instead(dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> bool:
    """A question asked in place of an answer ("wait who sees this?") that the knowledge base clearly answers: the
    answer is given, nothing is saved, and the form asks its question again."""
    return asks_something(text) and await answer_from_knowledge(dispatcher, text, tracker.events)


def not_an_answer(dispatcher: CollectingDispatcher, text: str, ideas_response: str, ideas: tuple[str, ...]) -> bool:
    """ "idk" gets ideas to tap; a change of mind ("ok nvm back to my goal") and a question are said not to be
    saved. Either way the question is asked again."""
    if is_change_of_mind(text):
        dispatcher.utter_message(response="utter_nothing_saved")
        return True
    if is_non_answer(text):
        dispatcher.utter_message(response=ideas_response, buttons=idea_buttons(ideas))
        return True
    if text.startswith("/"):
        dispatcher.utter_message(response="utter_answer_later")
        return True
    if is_question(text):
        dispatcher.utter_message(response="utter_answer_is_question")
        return True
    return False


def say_taken_back(dispatcher: CollectingDispatcher, taken: Retraction | None) -> None:
    if taken is None:
        return
    if taken.already_done or not taken.taken_back:
        dispatcher.utter_message(response="utter_nothing_to_undo")
        return
    dispatcher.utter_message(response="utter_taken_back", what=join_words(taken.taken_back))
    for restored in taken.restored:
        dispatcher.utter_message(response="utter_restored", what=restored)


def join_words(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


class ActionGoalSaved(Action):
    def name(self) -> str:
        return "action_goal_saved"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        due = tracker.get_slot("goal_due")
        dispatcher.utter_message(response="utter_goal_saved", goal=tracker.get_slot("goal_text"),
                                 step=tracker.get_slot("goal_step"), due=readable_date(due) if due else "no date")
        step_id = tracker.get_slot("step_id")
        return [SlotSet("goal_text", None), SlotSet("goal_step", None), SlotSet("goal_due", None),
                SlotSet("goal_id", None), SlotSet("step_id", None),
                SlotSet("proposed_item", f"step:{int(step_id)}" if step_id else None),
                *saved_events(*(tracker.get_slot("last_save") or []))]


class ActionGoalInProgress(Action):
    """Asking for a goal in the middle of one adds no second goal: the questions go on (data/rules/forms.yml)."""

    def name(self) -> str:
        return "action_goal_in_progress"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        dispatcher.utter_message(response="utter_goal_in_progress", goal=tracker.get_slot("goal_text") or "")
        return []


def paused_form(tracker: Tracker) -> str | None:
    """The form that was active before this turn ended it (the latest active_loop event that names one)."""
    return next((event.get("name") for event in reversed(tracker.events)
                 if event.get("event") == "active_loop" and event.get("name")), None)


class ActionOfferToComeBack(Action):
    """After a form was paused for another subject (data/rules/forms.yml): says what it kept and offers a way back.

    The goal questions' slots are emptied, so a later goal starts clean; a goal with no step yet is kept in them,
    so coming back asks for its step (the form finds the goal already there and adds no second one).
    """

    def name(self) -> str:
        return "action_offer_to_come_back"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        form = paused_form(tracker)
        if form == "values_form":
            dispatcher.utter_message(response="utter_come_back_to_values",
                                     buttons=[button("Back to my values", "start_values")])
            return [SlotSet("value_choice", None)]
        if form != "goal_form":
            return []
        goal, step = tracker.get_slot("goal_text"), tracker.get_slot("goal_step")
        cleared = [SlotSet("goal_step", None), SlotSet("goal_due", None), SlotSet("step_id", None)]
        if goal and not step:
            dispatcher.utter_message(response="utter_come_back_to_goal", goal=goal,
                                     buttons=[button("Back to my goal", "start_goal")])
            return cleared
        if goal:
            dispatcher.utter_message(response="utter_goal_kept", goal=goal, step=step)
        return [SlotSet("goal_text", None), SlotSet("goal_id", None), *cleared]
