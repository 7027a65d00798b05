"""components/tracker_store.py on real databases (SQLite files, and PostgreSQL when configured): Rasa loads it
from the rendered endpoints, it stores exactly what Rasa's SQLTrackerStore stores, stores on one database (as
several processes would) see each other's events, on SQLite it pools and writes in WAL mode, and the Rasa code it
overrides is still the code it was written against."""
from __future__ import annotations

import hashlib
import inspect
import json
import sqlite3
import subprocess
import sys
from contextlib import closing

import pytest
from rasa.core import tracker_store as rasa_tracker_store
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig, read_endpoint_config
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import QueuePool

from bot.config import PROJECT_ROOT, Settings
from bot.rasa_endpoints import render, sql_tracker_store
from components.tracker_store import RASA_SOURCES_SHA256, PooledSQLTrackerStore
from tests.conftest import throwaway_postgres_database

START = 1_796_000_000.0  # events carry explicit, increasing timestamps: Rasa finds a session's events by them


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def tracker_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tracker.db'}"
    else:
        with throwaway_postgres_database("ilp_tracker_store") as url:
            yield url


@pytest.fixture
def open_store(tracker_url):
    """Opens a store on the test's database as Rasa does from endpoints.yml: ours, or with rasa=True Rasa's own."""
    opened = []

    def open_store(rasa: bool = False) -> TrackerStore:
        config = sql_tracker_store(tracker_url)
        if rasa:
            config["type"] = "SQL"
        store = TrackerStore.create(EndpointConfig.from_dict(config), Domain.empty())
        opened.append(store)
        return store

    yield open_store
    for store in opened:
        store.engine.dispose()


def turn(number: int) -> list:
    """One turn of a conversation, as Rasa logs it; the same number gives the same events."""
    at = START + number * 10
    text_said = f"message {number}: i like fixing engines"
    parse_data = {"intent": {"name": "share_interest", "confidence": 0.9}, "entities": [], "text": text_said}
    return [UserUttered(text_said, parse_data["intent"], [], parse_data, timestamp=at, message_id=f"m{number}"),
            ActionExecuted("action_record_interest", timestamp=at + 1),
            BotUttered(f"saved {number}", timestamp=at + 2),
            ActionExecuted("action_listen", timestamp=at + 3)]


def new_session(number: int) -> list:
    at = START + number * 10
    return [ActionExecuted("action_session_start", timestamp=at), SessionStarted(timestamp=at + 1),
            ActionExecuted("action_listen", timestamp=at + 2)]


async def take_turn(store: TrackerStore, sender: str, *events_lists: list) -> DialogueStateTracker:
    """What Rasa does for a message: read the tracker (a new one for a new conversation), log events, save."""
    tracker = await store.retrieve(sender) or DialogueStateTracker(sender, slots=[])
    for events in events_lists:
        for logged in events:
            tracker.update(logged)
    await store.save(tracker)
    return tracker


def stored(store: TrackerStore, sender: str) -> list[tuple[str, str]]:
    with store.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(
            text("SELECT type_name, data FROM events WHERE sender_id = :sender ORDER BY id"), {"sender": sender})]


def json_of(logged) -> str:
    return json.dumps(logged.as_dict())


def count_queries(store: TrackerStore) -> list[str]:
    counts: list[str] = []

    def record(_connection, _cursor, statement, *_rest):
        if "count(" in statement.lower():
            counts.append(statement)

    event.listen(store.engine, "before_cursor_execute", record)
    return counts


@pytest.mark.parametrize("name, sha256", RASA_SOURCES_SHA256.items())
def test_the_rasa_code_the_store_overrides_or_relies_on_is_the_code_it_was_written_against(name, sha256):
    rasa_code = rasa_tracker_store
    for part in name.split("."):
        rasa_code = getattr(rasa_code, part)
    assert hashlib.sha256(inspect.getsource(rasa_code).encode()).hexdigest() == sha256, (
        f"Rasa's {name} changed: compare it with components/tracker_store.py")


def test_rasa_loads_the_store_from_the_endpoints_file_ilp_serve_writes(open_store, tracker_url, tmp_path):
    endpoints_file = tmp_path / "endpoints.yml"
    endpoints_file.write_text(render(Settings(var_dir=tmp_path, tracker_database_url=tracker_url)))
    ours = TrackerStore.create(read_endpoint_config(str(endpoints_file), "tracker_store"), Domain.empty())
    # Rasa falls back to an in-memory store, with only a warning, when it cannot import the class named.
    assert type(ours) is PooledSQLTrackerStore
    try:
        if make_url(tracker_url).get_backend_name() == "sqlite":
            assert isinstance(ours.engine.pool, QueuePool)
        else:  # Rasa's own engine, which pools already
            rasas = open_store(rasa=True)
            assert (type(ours.engine.pool), ours.engine.pool.size()) == (type(rasas.engine.pool),
                                                                          rasas.engine.pool.size())
    finally:
        ours.engine.dispose()


async def test_it_stores_what_rasas_store_stores_message_by_message(open_store):
    ours, rasas = open_store(), open_store(rasa=True)
    for store in (ours, rasas):
        sender = f"{type(store).__name__}-student"
        await take_turn(store, sender, new_session(0), turn(1))  # a new conversation: nothing read, so counted
        for number in range(2, 6):
            await take_turn(store, sender, turn(number))
        await take_turn(store, sender, new_session(6), turn(7))  # the session expired
        tracker = await take_turn(store, sender, turn(8))
        tracker.update_with_events(turn(9), None, override_timestamp=False)
        await store.save(tracker)  # saved a second time without reading it again: what the first save stored
        current = await store.retrieve(sender)
        replaced = DialogueStateTracker.from_dict(sender, [logged.as_dict() for logged in [*current.events, *turn(10)]])
        await store.save(replaced)  # events replaced through Rasa's HTTP API: counted
        await take_turn(store, sender, turn(11))
    assert stored(ours, "PooledSQLTrackerStore-student") == stored(rasas, "SQLTrackerStore-student")
    assert [data for _, data in stored(ours, "PooledSQLTrackerStore-student")] == [json_of(logged) for logged in [
        *new_session(0), *turn(1), *turn(2), *turn(3), *turn(4), *turn(5), *new_session(6), *turn(7), *turn(8),
        *turn(9), *turn(10), *turn(11)]]


async def test_a_save_after_a_retrieve_counts_nothing_and_stores_only_the_new_events(open_store):
    store = open_store()
    await take_turn(store, "student", new_session(0), turn(1))
    counts = count_queries(store)
    await take_turn(store, "student", turn(2))
    await take_turn(store, "student", turn(3))
    assert counts == []
    assert [data for _, data in stored(store, "student")] == [
        json_of(logged) for logged in new_session(0) + turn(1) + turn(2) + turn(3)]


async def test_a_conversation_rasa_creates_is_stored_as_rasas_store_stores_it_and_counted_by_neither_save(open_store):
    ours, rasas = open_store(), open_store(rasa=True)
    counts = count_queries(ours)
    for store in (ours, rasas):
        sender = f"{type(store).__name__}-student"
        # A new conversation's first message, as Rasa handles it: retrieve, find nothing, create and save a tracker
        # (with its first action_listen), log the message's events and save the same tracker again.
        tracker = await store.get_or_create_tracker(sender)
        tracker.update_with_events(new_session(0) + turn(1), None, override_timestamp=False)
        await store.save(tracker)
        await take_turn(store, sender, turn(2))
    assert counts == []
    ours_rows, rasas_rows = stored(ours, "PooledSQLTrackerStore-student"), stored(rasas, "SQLTrackerStore-student")
    assert ours_rows[1:] == rasas_rows[1:]  # the first, create_tracker's action_listen, has the time it was made
    assert [data for _, data in ours_rows][1:] == [json_of(logged) for logged in new_session(0) + turn(1) + turn(2)]


async def test_a_tracker_saved_again_and_again_stores_each_event_once(open_store):
    store = open_store()
    tracker = await store.get_or_create_tracker("student")
    tracker.update_with_events(new_session(0) + turn(1), None, override_timestamp=False)
    await store.save(tracker)
    for number in (2, 3):
        # Rasa's own store counts the latest session's rows here and would store part of turn 1 again.
        tracker.update_with_events(turn(number), None, override_timestamp=False)
        await store.save(tracker)
    assert [data for _, data in stored(store, "student")][1:] == [
        json_of(logged) for logged in new_session(0) + turn(1) + turn(2) + turn(3)]


async def test_stores_on_one_database_see_each_others_events_as_two_rasa_instances_would(open_store):
    first, second = open_store(), open_store()
    await take_turn(first, "student", new_session(0), turn(1))
    await take_turn(second, "student", turn(2))  # the next message went to the other instance
    await take_turn(first, "student", turn(3))  # and this one back: first's pooled connection sees second's rows
    await take_turn(second, "student", turn(4))
    # Each message's events stored once, in order: each instance read what the other wrote.
    assert [data for _, data in stored(first, "student")] == [
        json_of(logged) for logged in new_session(0) + turn(1) + turn(2) + turn(3) + turn(4)]


async def test_a_tracker_the_store_did_not_build_itself_is_counted_as_rasa_counts(open_store):
    first, second = open_store(), open_store()
    await take_turn(first, "student", new_session(0), turn(1))
    shown = await first.retrieve("student")  # read to show it, as Rasa's HTTP API does
    await take_turn(second, "student", turn(2))
    current = await second.retrieve("student")
    replaced = DialogueStateTracker.from_dict("student", [logged.as_dict() for logged in [*current.events, *turn(3)]])
    await first.save(replaced)  # events replaced through Rasa's HTTP API
    assert [data for _, data in stored(first, "student")] == [
        json_of(logged) for logged in new_session(0) + turn(1) + turn(2) + turn(3)]
    assert shown.events  # kept alive until here: its rows read are still remembered, and must not be used


async def add_turn_in_this_process(url: str, number: int) -> None:
    config = sql_tracker_store(url)
    store = TrackerStore.create(EndpointConfig.from_dict(config), Domain.empty())
    await take_turn(store, "student", turn(number))


async def test_another_process_writing_the_sqlite_file_is_seen_and_the_file_is_in_wal_mode(tmp_path):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    store = TrackerStore.create(EndpointConfig.from_dict(sql_tracker_store(url)), Domain.empty())
    await take_turn(store, "student", new_session(0), turn(1))
    child = subprocess.run(
        [sys.executable, "-c", "import asyncio, sys; from tests.integration.test_tracker_store import "
         "add_turn_in_this_process as add; asyncio.run(add(sys.argv[1], 2))", url],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert child.returncode == 0, child.stderr
    await take_turn(store, "student", turn(3))
    assert [data for _, data in stored(store, "student")] == [
        json_of(logged) for logged in new_session(0) + turn(1) + turn(2) + turn(3)]
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    assert store.engine.pool.checkedin() == 1  # one connection, kept between sessions
    store.engine.dispose()
    with closing(sqlite3.connect(tmp_path / "tracker.db")) as connection:  # WAL is a property of the file
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


async def test_a_tracker_read_and_never_saved_leaves_nothing_remembered(tmp_path):
    store = PooledSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))
    await take_turn(store, "student", new_session(0), turn(1))
    await store.retrieve("student")  # as Rasa's HTTP API reads a tracker to show it
    assert store._rows_stored == {}
    store.engine.dispose()
