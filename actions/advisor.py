"""A community advisor's guided session: start or resume, each step, and the summary at the end."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import call_service, event_key, flag_follow_up_in_answer, plan_uow
from bot.advisors.conversation import (
    COMMAND_BUTTONS,
    START_PAYLOAD,
    current_prompt,
    current_step_id,
    finish_session,
    is_advisor_conversation,
    session_progress,
    take_answer,
)

OUTCOME_RESPONSES = {"first_step": "utter_advisor_first_step", "pick_option": "utter_advisor_pick_option"}


class ActionStartAdvisorSession(Action):
    def name(self) -> str:
        return "action_start_advisor_session"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        if not is_advisor_conversation(tracker.sender_id):
            dispatcher.utter_message(response="utter_help")  # a student asking for "the session"
            return []
        progress = await call_service(dispatcher, session_progress, plan_uow(), tracker.sender_id)
        if progress is None:
            dispatcher.utter_message(response="utter_advisor_no_session")
        elif progress.open and progress.fresh:
            dispatcher.utter_message(response="utter_advisor_session_started", title=progress.script_title,
                                     student=progress.student_name, steps=progress.steps, minutes=progress.minutes)
        elif progress.open:
            dispatcher.utter_message(response="utter_advisor_session_resumed", title=progress.script_title,
                                     student=progress.student_name, step=progress.step_number, steps=progress.steps)
        return [SlotSet("conversation_role", "advisor")]


class ValidateAdvisorScriptForm(FormValidationAction):
    """Runs the script one step at a time: each answer is saved, then the slot is emptied for the next step.

    Required slots come from the script: `script_answer` while the session has a current step, none
    after its last step (or End session), which ends the form. A follow-up concern in an answer is
    flagged and the answer still saved; a crisis never reaches here (a rule pauses the form).
    """

    def name(self) -> str:
        return "validate_advisor_script_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> list[str]:
        step = await call_service(dispatcher, current_step_id, plan_uow(), tracker.sender_id)
        return domain_slots if step is not None else []

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list:
        await flag_follow_up_in_answer(tracker)
        return await super().run(dispatcher, tracker, domain)

    async def validate_script_answer(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: DomainDict) -> dict:
        if str(value or "").strip() == START_PAYLOAD:
            # The page was opened again (or Continue pressed) while the form was running: not an answer.
            # Only the exact payload: a typed answer the classifier reads as this intent is still an answer.
            progress = await call_service(dispatcher, session_progress, plan_uow(), tracker.sender_id)
            if progress is not None and progress.open:
                dispatcher.utter_message(response="utter_advisor_session_resumed", title=progress.script_title,
                                         student=progress.student_name, step=progress.step_number, steps=progress.steps)
            return {"script_answer": None}
        outcome = await call_service(dispatcher, take_answer, plan_uow(), tracker.sender_id, str(value or ""),
                                     event_key(tracker))
        if outcome is not None and outcome.kind in OUTCOME_RESPONSES:
            dispatcher.utter_message(response=OUTCOME_RESPONSES[outcome.kind])
        elif outcome is not None and outcome.saved and not outcome.repeated:
            dispatcher.utter_message(text=f"Saved. {outcome.saved}")
        elif outcome is not None and outcome.kind == "skipped":
            dispatcher.utter_message(text="Skipped.")
        return {"script_answer": None}


class ActionAskScriptAnswer(Action):
    """Shows the current step: what to say, tips, and buttons for its options plus Skip, Back, End session."""

    def name(self) -> str:
        return "action_ask_script_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        prompt = await call_service(dispatcher, current_prompt, plan_uow(), tracker.sender_id)
        if prompt is None:
            return []
        lines = [f"Step {prompt.number} of {prompt.total}: {prompt.step.title}", f"Say: {prompt.step.say}"]
        if prompt.detail:
            lines.append(prompt.detail)
        lines += [f"Tip: {tip}" for tip in prompt.step.tips]
        buttons = [{"title": label, "payload": label} for label in prompt.options]
        buttons += [{"title": title, "payload": payload} for title, payload in COMMAND_BUTTONS]
        dispatcher.utter_message(text="\n".join(lines), buttons=buttons)
        return []


class ActionFinishAdvisorSession(Action):
    def name(self) -> str:
        return "action_finish_advisor_session"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        if not is_advisor_conversation(tracker.sender_id):
            return []
        summary = await call_service(dispatcher, finish_session, plan_uow(), tracker.sender_id)
        if summary is None:
            return []
        ended = "ended early" if summary.status == "ended_early" else "is complete"
        lines = [f"The session \"{summary.script_title}\" with {summary.student_name} {ended}."]
        lines.append("Saved to the plan:" if summary.changes else "Nothing new was saved to the plan.")
        lines += [f"- {change}" for change in summary.changes]
        if summary.skipped:
            lines.append("Skipped: " + ", ".join(summary.skipped) + ".")
        if summary.notes:
            lines.append(f"Notes added: {summary.notes}.")
        if summary.next_steps:
            lines.append("Suggested next steps:")
            lines += [f"- {step}" for step in summary.next_steps]
        lines.append("Thank you! The student's counselor can see this session and its notes.")
        dispatcher.utter_message(text="\n".join(lines))
        return [SlotSet("script_answer", None)]
