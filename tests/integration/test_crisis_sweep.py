"""The sweep flags crisis messages in Rasa's real SQL tracker store that never got their flag."""
import asyncio
import time

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import func, select

from bot.db.tables import AlertOutbox
from bot.flags import list_flags, raise_flag
from bot.safety.sweep import GRACE_S, sweep_unflagged_crises
from tests.builders import enrol


@pytest.fixture
def tracker_store(tmp_path):
    path = tmp_path / "tracker.db"
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(path))
    yield store, f"sqlite:///{path}"
    store.engine.dispose()


def say(store, sender, text, intent, message_id, seconds_ago, safety=None):
    """Stores a user message as Rasa does; `safety` is the screen's finding in its parse data."""
    tracker = asyncio.run(store.retrieve(sender)) or DialogueStateTracker(sender, slots=[])
    intent = {"name": intent, "confidence": 1.0}
    parse_data = {"intent": intent, "entities": [], **({"safety": safety} if safety else {})}
    tracker.update(UserUttered(text, intent=intent, parse_data=parse_data, message_id=message_id,
                               timestamp=time.time() - seconds_ago))
    asyncio.run(store.save(tracker))


def outbox_rows(uow_factory):
    with uow_factory() as uow:
        return uow.session.scalar(select(func.count(AlertOutbox.id)))


def test_a_crisis_whose_flag_was_never_raised_is_flagged_once(uow_factory, tracker_store):
    store, url = tracker_store
    enrol(uow_factory, "S1")
    say(store, "S1", "i like drawing", "share_interest", "m-0", 600)
    say(store, "S1", "i want to kill myself", "concern_self_harm", "m-1", 300)
    first = sweep_unflagged_crises(url, uow_factory)
    again = sweep_unflagged_crises(url, uow_factory)
    [flag] = list_flags(uow_factory())
    assert (flag["category"], flag["severity"], flag["excerpt"]) == ("self_harm", "urgent", "i want to kill myself")
    assert outbox_rows(uow_factory) == 1
    assert first.crisis_messages == 1 and again.crisis_messages == 1  # checked again, written once


def test_a_crisis_the_action_already_flagged_is_left_alone(uow_factory, tracker_store):
    store, url = tracker_store
    enrol(uow_factory, "S1")
    say(store, "S1", "my dad hits me", "concern_abuse", "m-1", 300)
    raise_flag(uow_factory(), "S1", category="abuse", severity="urgent", excerpt="my dad hits me",
               conversation_id="S1", event_id="S1:m-1")  # what the action wrote
    sweep_unflagged_crises(url, uow_factory)
    assert len(list_flags(uow_factory())) == 1 and outbox_rows(uow_factory) == 1


def test_a_message_still_in_its_grace_period_waits_and_the_watermark_stays_before_it(uow_factory, tracker_store):
    store, url = tracker_store
    enrol(uow_factory, "S1")
    say(store, "S1", "i like drawing", "share_interest", "m-0", 600)
    say(store, "S1", "im bringing a gun to school", "concern_violence", "m-1", GRACE_S / 2)
    result = sweep_unflagged_crises(url, uow_factory)
    assert list_flags(uow_factory()) == [] and result.crisis_messages == 0
    later = sweep_unflagged_crises(url, uow_factory, after_event_id=result.last_event_id, now=time.time() + GRACE_S)
    assert later.crisis_messages == 1 and [f["category"] for f in list_flags(uow_factory())] == ["violence"]


def test_a_typed_payload_whose_words_the_rules_flag_is_flagged_whatever_its_intent(uow_factory, tracker_store):
    # What Rasa stored before the channel kept hand-typed payloads away from its own handler: a greeting.
    store, url = tracker_store
    enrol(uow_factory, "S1")
    say(store, "S1", "/greet@1.0 I want to kill myself tonight", "greet", "m-1", 300)
    say(store, "S1", "/greet I want to kill myself tonight", "greet", "m-2", 200)
    result = sweep_unflagged_crises(url, uow_factory)
    flags = list_flags(uow_factory())  # each crisis is a flag of its own, with its own words, and alerted
    assert sorted((flag["category"], flag["severity"], flag["excerpt"]) for flag in flags) == [
        ("self_harm", "urgent", "/greet I want to kill myself tonight"),
        ("self_harm", "urgent", "/greet@1.0 I want to kill myself tonight")]
    assert result.crisis_messages == 2 and outbox_rows(uow_factory) == 2


def test_a_message_the_screen_found_a_crisis_in_is_flagged_though_a_later_step_changed_its_intent(
        uow_factory, tracker_store):
    store, url = tracker_store
    enrol(uow_factory, "S1")
    finding = {"category": "abuse", "severity": "urgent", "source": "classifier", "matched": "", "confidence": 0.8}
    say(store, "S1", "he does stuff to me when mom is gone", "greet", "m-1", 300, safety=finding)
    sweep_unflagged_crises(url, uow_factory)
    assert [(f["category"], f["severity"]) for f in list_flags(uow_factory())] == [("abuse", "urgent")]


def test_a_payload_crisis_the_action_already_flagged_is_not_flagged_twice(uow_factory, tracker_store):
    store, url = tracker_store
    enrol(uow_factory, "S1")
    finding = {"category": "self_harm", "severity": "urgent", "source": "rules", "matched": "kill myself"}
    say(store, "S1", "/greet i want to kill myself", "concern_self_harm", "m-1", 300, safety=finding)
    raise_flag(uow_factory(), "S1", category="self_harm", severity="urgent", excerpt="/greet i want to kill myself",
               conversation_id="S1", event_id="S1:m-1")  # what the action wrote
    sweep_unflagged_crises(url, uow_factory)
    sweep_unflagged_crises(url, uow_factory)
    assert len(list_flags(uow_factory())) == 1 and outbox_rows(uow_factory) == 1


def test_buttons_idioms_and_follow_up_findings_raise_no_crisis_flag(uow_factory, tracker_store):
    store, url = tracker_store
    enrol(uow_factory, "S1")
    say(store, "S1", '/answer_inventory{"inventory_item":"r01","inventory_choice":"like"}', "answer_inventory",
        "m-1", 400)
    say(store, "S1", "/greet this homework is killing me", "greet", "m-2", 300)
    finding = {"category": "bullying", "severity": "high", "source": "rules", "matched": "they push me"}
    say(store, "S1", "they push me around at lunch", "concern_bullying", "m-3", 200, safety=finding)
    assert sweep_unflagged_crises(url, uow_factory).crisis_messages == 0
    assert list_flags(uow_factory()) == []


def test_no_tracker_tables_yet_is_not_an_error(uow_factory, tmp_path):
    assert sweep_unflagged_crises(f"sqlite:///{tmp_path / 'empty.db'}", uow_factory).crisis_messages == 0
