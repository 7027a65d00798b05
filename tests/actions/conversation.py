"""Actions run turn by turn, as Rasa would run them in one conversation."""
from __future__ import annotations

import itertools

from rasa_sdk.executor import CollectingDispatcher

from tests.actions.conftest import make_tracker

_ids = itertools.count()


class Conversation:
    """Runs actions turn by turn, keeping the tracker's events and slots as Rasa would."""

    def __init__(self, domain: dict, sender_id: str = "S1") -> None:
        self.domain, self.sender_id, self.events, self.slots = domain, sender_id, [], {}
        self.active_loop = None

    async def say(self, action, text: str, intent: str, entities=None) -> CollectingDispatcher:
        dispatcher = CollectingDispatcher()
        self.events.append({"event": "user", "text": text})
        tracker = make_tracker(self.sender_id, text=text, intent=intent, entities=entities,
                               message_id=f"m{next(_ids)}", slots=dict(self.slots), events=list(self.events),
                               active_loop=self.active_loop)
        self.record(await action.run(dispatcher, tracker, self.domain))
        return dispatcher

    async def answer(self, form, slot: str, text: str, intent: str = "share_interest", entities=None):
        """A form answer: Rasa has filled the requested slot from the text; the validation action runs."""
        self.events.append({"event": "user", "text": text})
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(self.sender_id, text=text, intent=intent, entities=entities,
                               message_id=f"m{next(_ids)}", slots={**self.slots, "requested_slot": slot, slot: text},
                               events=[*self.events, {"event": "slot", "name": slot, "value": text}],
                               active_loop=self.active_loop)
        result = await getattr(form, f"validate_{slot}")(text, dispatcher, tracker, self.domain)
        self.record([{"event": "slot", "name": name, "value": value} for name, value in result.items()])
        return dispatcher, result

    def record(self, events: list) -> None:
        self.events += events
        self.slots.update({e["name"]: e["value"] for e in events if e.get("event") == "slot"})
