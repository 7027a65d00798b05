"""Engines and session factories, built lazily once per database URL (never at import time)."""
from __future__ import annotations

import threading

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool, QueuePool

from bot.var_dir import ensure_sqlite_folder

_lock = threading.Lock()
_engines: dict[str, Engine] = {}
_session_factories: dict[str, sessionmaker] = {}


class DatabaseUnavailable(RuntimeError):
    """The configured database cannot be reached."""


def get_engine(url: str) -> Engine:
    with _lock:
        if url not in _engines:
            _engines[url] = new_engine(url)
        return _engines[url]


def get_session_factory(url: str) -> sessionmaker:
    engine = get_engine(url)
    with _lock:
        if url not in _session_factories:
            _session_factories[url] = sessionmaker(bind=engine, class_=Session, future=True, expire_on_commit=False)
        return _session_factories[url]


def dispose_all() -> None:
    """Closes every pooled connection and forgets the engines (tests switch databases this way)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _session_factories.clear()


def new_engine(url: str, connect_timeout_s: int = 30, **pool_options) -> Engine:
    """An engine of its own, not shared through get_engine: for Rasa's tracker store, which adds a setting.
    On an SQLite file: pooled, WAL, foreign keys on, a busy timeout; elsewhere pooled with a pre-ping."""
    # hide_parameters: a failed statement's error (and so the log) never carries what a student wrote.
    if make_url(url).get_backend_name() == "sqlite":
        ensure_sqlite_folder(url)  # on a fresh clone the var folder does not exist yet
        options = dict(pool_options)
        if not options and make_url(url).database not in (None, "", ":memory:"):
            # SQLAlchemy 1.4 opens a new file connection per checkout (and runs the PRAGMAs below every
            # time: about 2 ms per message, issue 17); 2.0's default, a pool, keeps them.
            options = {"poolclass": QueuePool, "pool_size": 5, "max_overflow": 10}
        engine = create_engine(url, future=True, hide_parameters=True, **options,
                               connect_args={"timeout": connect_timeout_s, "check_same_thread": False})
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    options = pool_options or {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 20}
    return create_engine(url, future=True, hide_parameters=True, connect_args={"connect_timeout": connect_timeout_s},
                         **options)


def _configure_sqlite(dbapi_connection, _record) -> None:
    # The action server and the web app write to the same file: WAL lets readers and one writer
    # work at once, and foreign keys are off in SQLite unless asked for.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def check_reachable(url: str) -> None:
    """Connects once and raises DatabaseUnavailable with a readable reason if that fails."""
    engine = new_engine(url, connect_timeout_s=5, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # any driver error means the same thing to the operator
        shown = make_url(url).render_as_string(hide_password=True)
        raise DatabaseUnavailable(f"cannot reach database {shown}: {error.__class__.__name__}: {error}") from error
    finally:
        engine.dispose()
