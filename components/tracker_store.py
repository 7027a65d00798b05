"""Rasa's SQL tracker store with less work per message (issue 17). Rasa loads it from endpoints.yml
(`type: components.tracker_store.PooledSQLTrackerStore`, written by bot/rasa_endpoints.py) with the arguments
it gives its own SQLTrackerStore.

tests/integration/test_tracker_store.py fails when a Rasa upgrade changes the code this class overrides or relies on.
"""
from __future__ import annotations

import itertools
import json
import weakref
from typing import Any, Iterator, Optional

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import URL, Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import new_engine

# sha256 of the source, in rasa 3.6.21, of each function this module replaces or relies on.
RASA_SOURCES_SHA256 = {
    # gives SQLite no pool options, so SQLAlchemy 1.4 opens a new file connection for every session
    "create_engine_kwargs": "dff5f092362096da88a6e62b71480d3d085fd321fef756b53fc822ab31526faa",
    # builds self.engine and self.sessionmaker, which __init__ below replaces on SQLite
    "SQLTrackerStore.__init__": "64e704d159dfa35b86175cccdc9d08b05cbf91b2e0779bccf115671106ad9314",
    # repeated in _retrieve below, which also remembers how many rows it read
    "SQLTrackerStore._retrieve": "c8adbf6f4b61ddd1124690944ebdf2ebc82d0723bd07c6704caab0b80120a0ef",
    # counts the stored rows of the latest session: _additional_events below uses the rows read instead
    "SQLTrackerStore._additional_events": "d22f99eb863acb07afee63d9fe3a04ca8464251e67a43eb7d36c2d65ffc1653f",
    # calls _additional_events once per save, inside the session it commits
    "SQLTrackerStore.save": "57165e46eab3de0866e77f03df0bf7fd5eac2c1de617ed431b934c9a4edfeef6",
    # after retrieve() found nothing: init_tracker, then save; the tracker built there is the one saved
    "TrackerStore.create_tracker": "72f79c53bf4f3f9650a5b430ff4df92b62353a8ae6e424055a6c5d208d64ba4d",
    "TrackerStore.get_or_create_tracker": "0b08ab42bd97ab214fa75f108e1881ad6df8791ff7d2a82e15aaf753f75a4612",
}


class PooledSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that, on an SQLite file, keeps its connections in a pool and writes in WAL mode with
    `synchronous=NORMAL`, and that does not count the stored events before saving a tracker it read, created or
    saved itself.

    On PostgreSQL (and every other database) the engine is Rasa's own, which already pools.
    """

    engine: Engine

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Per conversation: the tracker this store last built or saved, and how many of its events are stored.
        self._rows_stored: dict[str, tuple[weakref.ref[DialogueStateTracker], int]] = {}
        # Conversations _retrieve found no row of: the tracker init_tracker builds next for one has nothing stored.
        self._found_empty: set[str] = set()
        url = self.engine.url
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            self.engine.dispose()
            self.engine = pooled_sqlite_engine(url)
            self.sessionmaker = sessionmaker(bind=self.engine)

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool
                        ) -> Optional[DialogueStateTracker]:
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id,
                                     fetch_events_from_all_sessions=fetch_events_from_all_sessions).all()
        events = [json.loads(row.data) for row in rows]
        self._found_empty.discard(sender_id)
        if self.domain and not events and not fetch_events_from_all_sessions:
            self._found_empty.add(sender_id)
        if not (self.domain and events):
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        if not fetch_events_from_all_sessions:
            self._remember_rows_stored(tracker, len(rows))
        return tracker

    def init_tracker(self, sender_id: str) -> DialogueStateTracker:
        # Rasa's get_or_create_tracker calls this (through create_tracker) right after retrieve() found nothing.
        tracker = super().init_tracker(sender_id)
        if sender_id in self._found_empty:
            self._found_empty.discard(sender_id)
            self._remember_rows_stored(tracker, 0)
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(tracker)
        self._found_empty.discard(tracker.sender_id)
        # Saved whole: the next save of this same tracker (the end of the message that created it) stores only
        # what was logged since.
        self._remember_rows_stored(tracker, len(tracker.events))

    def _additional_events(self, session: Session, tracker: DialogueStateTracker) -> Iterator:
        # The rows _retrieve read (or none, for a conversation it found empty, or all of a tracker it saved) are
        # the rows Rasa's count() would find now, unless someone else wrote to this conversation in between: every
        # Rasa path that retrieves and then saves holds the conversation's lock throughout (the lock store: in
        # Redis, shared by all instances, when several run). A tracker this store did not build or save itself
        # (events replaced through the HTTP API) is counted as Rasa does.
        read = self._rows_stored.pop(tracker.sender_id, None)
        rows_stored = read[1] if read is not None and read[0]() is tracker else None
        if rows_stored is None:
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, rows_stored, len(tracker.events))

    def _remember_rows_stored(self, tracker: DialogueStateTracker, rows: int) -> None:
        sender_id = tracker.sender_id

        def forget(dead: weakref.ref) -> None:
            if self._rows_stored.get(sender_id, (None, 0))[0] is dead:
                self._rows_stored.pop(sender_id, None)

        self._rows_stored[sender_id] = (weakref.ref(tracker, forget), rows)


def pooled_sqlite_engine(url: URL) -> Engine:
    # The project's SQLite engine (bot.db.engine: pooled, WAL, hide_parameters), whose connections also skip
    # waiting for the disk on each commit.
    engine = new_engine(url.render_as_string(hide_password=False))
    sa.event.listen(engine, "connect", _commit_without_fsync)
    return engine


def _commit_without_fsync(dbapi_connection: Any, _record: Any) -> None:
    # synchronous=NORMAL is per connection (WAL, which bot.db.engine sets, is a property of the file): a commit no
    # longer waits for fsync; a power cut or an OS crash may lose the last commits (a crash of Rasa loses none), and
    # never corrupts the file.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
