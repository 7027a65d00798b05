"""Builders for action tests: real trackers, a dispatcher, the real domain."""
from __future__ import annotations

import uuid

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import common
from bot.config import PROJECT_ROOT


def make_tracker(sender_id: str = "S1", *, text: str = "", intent: str = "share_interest", entities=None,
                 message_id: str | None = None, slots=None, events=None, active_loop=None) -> Tracker:
    return Tracker.from_dict({
        "sender_id": sender_id,
        "slots": slots or {},
        "latest_message": {"text": text, "intent": {"name": intent, "confidence": 0.99},
                           "entities": entities or [], "message_id": message_id or uuid.uuid4().hex},
        "events": events or [],
        "active_loop": {"name": active_loop} if active_loop else {},
        "latest_action_name": "action_listen",
    })


def user_said(text: str, intent: str) -> dict:
    """A student's message as Rasa logs it in the tracker's events."""
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": 0.9}, "entities": []}}


def job_asked_about(question: str) -> list[dict]:
    """The events of a question about a job ("what does a paramedic do") and the career profile the bot sent back."""
    return [user_said(question, "ask_career_info"),
            {"event": "bot", "text": "...", "metadata": {"utter_action": "utter_career_info"}}]


@pytest.fixture(autouse=True)
def actions_on_the_test_database(request, monkeypatch):
    """Actions use the test's plan database when it has one, as the action server uses the one it started with."""
    if "database_url" in request.fixturenames:
        monkeypatch.setattr(common, "_uow_factory", request.getfixturevalue("uow_factory"))


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture(scope="session")
def domain() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    return [message["response"] for message in dispatcher.messages]
